import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { series } from '../lib/store.ts';
import { useApp, useT } from '../lib/hooks.ts';
import { formatCount, formatMoneyFen } from '../../../shared/format.ts';
import type { MinuteRow } from '../../../shared/metrics/types.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/**
 * Online viewers (time-weighted average per minute) and GMV per minute for the whole show.
 * Updated imperatively from MinuteSeries: React renders this component once per room/locale,
 * never per data update.
 */
export function MinuteChart() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const roomId = useApp((s) => s.selectedRoomId);
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const chart = echarts.init(node, 'dark', { renderer: 'canvas' });
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      grid: { left: 64, right: 72, top: 40, bottom: 36 },
      legend: { top: 4, textStyle: { color: '#c9d1e3' }, data: [t('chart.onlineAvg'), t('chart.gmvPerMin')] },
      tooltip: {
        trigger: 'axis',
        valueFormatter: undefined,
      },
      xAxis: { type: 'category', data: [], axisLabel: { color: '#8b95ad' } },
      yAxis: [
        { type: 'value', name: t('chart.onlineAvg'), axisLabel: { color: '#8b95ad', formatter: (v: number) => formatCount(v, locale) }, splitLine: { lineStyle: { color: '#263047' } } },
        { type: 'value', name: t('chart.gmvPerMin'), axisLabel: { color: '#8b95ad', formatter: (v: number) => formatMoneyFen(v * 100, locale) }, splitLine: { show: false } },
      ],
      series: [
        { name: t('chart.onlineAvg'), type: 'line', yAxisIndex: 0, showSymbol: false, smooth: false, lineStyle: { width: 2, color: '#4fc3f7' }, itemStyle: { color: '#4fc3f7' }, data: [] },
        { name: t('chart.gmvPerMin'), type: 'bar', yAxisIndex: 1, itemStyle: { color: '#ffb74d' }, barMaxWidth: 14, data: [] },
      ],
    });
    const render = (rows: readonly MinuteRow[]) => {
      node.dataset.points = String(rows.length);
      node.dataset.lastGmvFen = String(rows.at(-1)?.gmvFen ?? '');
      chart.setOption(
        {
          xAxis: { data: rows.map((r) => `${r.minute}′`) },
          series: [{ data: rows.map((r) => (r.onlineAvg === null ? null : Math.round(r.onlineAvg))) }, { data: rows.map((r) => r.gmvFen / 100) }],
        },
        { lazyUpdate: true },
      );
    };
    const off = series.subscribe(render);
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(node);
    return () => {
      off();
      resize.disconnect();
      chart.dispose();
    };
    // The chart is rebuilt when the words or the room change; data flows in through `series`.
  }, [locale, roomId]);

  return (
    <section className="panel chart-panel">
      <h2>{t('chart.title')}</h2>
      <div ref={el} className="chart" data-testid="minute-chart" data-points="0" />
    </section>
  );
}
