import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, SVGRenderer]);

/**
 * A report chart: the option from shared/retro/chart-options.ts drawn as SVG, as the exports draw
 * it — crisp text, and axis labels a test can read. A report is a still picture (read once when
 * opened; a few hundred points a series), so a plain setOption on change is enough here — the
 * live chart's canvas and imperative tail updates are for the dashboard.
 */
export function EChart({ option, height, testId, onClickX }: { option: Record<string, unknown>; height: number; testId?: string; onClickX?: (x: number) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClickX);
  click.current = onClickX;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = c;
    // A click anywhere in the plot (not only on a point) picks its minute: the way to note a moment.
    c.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
      if (!click.current || !c.containPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY])) return;
      const x = c.convertFromPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      if (x && Number.isFinite(x[0])) click.current(x[0]!);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} className="retro-chart" style={{ height }} data-testid={testId} />;
}
