/**
 * The minute chart's series layer draws the six series on a canvas over the ECharts axes layer.
 * It must put every point exactly where ECharts' own axes say it is — at every zoom window and
 * scale — or the lines would drift off their tick labels and out of their product bands. Here
 * ECharts lays out the chart's real grids, fixed scales and inside dataZoom (server-side, no
 * canvas), and convertToPixel is compared with the layer's xOf/yOf.
 */
import { describe, expect, it } from 'vitest';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, DataZoomComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { axisEnd, ECHARTS_GRIDS, plots, valueScale, xOf } from '../../renderer/src/lib/marks-layer.ts';
import { barWidth, plotOf, pointX, yOf } from '../../renderer/src/features/live/chart/series-layer.ts';

echarts.use([LineChart, BarChart, GridComponent, DataZoomComponent, SVGRenderer]);

const WIDTH = 1144;
const HEIGHT = 400;

/** The axes layer's layout as the chart's controller (minute-chart.ts) sets it: x 0…axisEnd, four fixed y scales, a zoom window. */
function axesLayer(points: number, maxima: number[], window: { start: number; end: number } | { startValue: number; endValue: number }) {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  const scales = maxima.map(valueScale);
  const xMax = axisEnd(points);
  chart.setOption({
    animation: false,
    grid: ECHARTS_GRIDS,
    xAxis: [0, 1].map((gridIndex) => ({ type: 'value', gridIndex, min: 0, max: xMax, minInterval: 1 })),
    yAxis: scales.map((sc, i) => ({ type: 'value', gridIndex: i < 2 ? 0 : 1, ...sc })),
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], filterMode: 'none', ...window }],
    // Empty series, as the legend's on the axes layer.
    series: [0, 1, 2, 3].map((i) => ({ type: 'line', xAxisIndex: i < 2 ? 0 : 1, yAxisIndex: i, data: [] })),
  });
  return { chart, scales, xMax };
}

describe('the series layer’s geometry against the ECharts axes under it', () => {
  const cases: Array<{ name: string; points: number; maxima: number[]; window: { start: number; end: number } | { startValue: number; endValue: number } }> = [
    { name: 'the whole show, late', points: 476, maxima: [14_820, 3_150.5, 97.3, 0.083], window: { start: 0, end: 100 } },
    { name: 'the last 10 minutes', points: 476, maxima: [14_820, 3_150.5, 97.3, 0.083], window: { startValue: 466, endValue: 476 } },
    { name: 'the last 60 minutes, early scales', points: 75, maxima: [812, 29.9, 66, 0.053], window: { startValue: 15, endValue: 75 } },
    { name: 'a mouse-wheel window', points: 230, maxima: [2_000, 120, 5.5, 0.2], window: { start: 12.5, end: 61 } },
  ];

  for (const c of cases) {
    it(`puts each minute and value where ECharts does: ${c.name}`, () => {
      const { chart, scales, xMax } = axesLayer(c.points, c.maxima, c.window);
      const [from, to] = 'start' in c.window ? [(c.window.start / 100) * xMax, (c.window.end / 100) * xMax] : [c.window.startValue, c.window.endValue];
      const view = { width: WIDTH, height: HEIGHT, from, to };
      for (let yAxis = 0; yAxis < 4; yAxis++) {
        const plot = plotOf(yAxis, WIDTH, HEIGHT);
        const scale = scales[yAxis]!;
        for (const minute of [Math.floor(from), Math.floor((from + to) / 2), Math.ceil(to) - 1]) {
          for (const share of [0, 0.37, 1]) {
            const value = scale.max * share;
            const [ex, ey] = chart.convertToPixel({ xAxisIndex: yAxis < 2 ? 0 : 1, yAxisIndex: yAxis }, [pointX(minute), value]) as number[];
            expect(xOf(pointX(minute), view), `x of minute ${minute}, axis ${yAxis}`).toBeCloseTo(ex!, 6);
            expect(yOf(value, scale, plot), `y of ${value}, axis ${yAxis}`).toBeCloseTo(ey!, 6);
          }
        }
      }
      chart.dispose();
    });
  }

  it('gives each y axis its own plot: 0–1 the top one, 2–3 the bottom one', () => {
    const [top, bottom] = plots(WIDTH, HEIGHT);
    expect(plotOf(0, WIDTH, HEIGHT)).toEqual(top);
    expect(plotOf(1, WIDTH, HEIGHT)).toEqual(top);
    expect(plotOf(2, WIDTH, HEIGHT)).toEqual(bottom);
    expect(plotOf(3, WIDTH, HEIGHT)).toEqual(bottom);
  });

  it('keeps a bar inside its minute: 70 % of a minute, never wider than 12 px nor narrower than 1', () => {
    expect(barWidth({ width: WIDTH, height: HEIGHT, from: 0, to: 100 })).toBeCloseTo(7, 6); // 10 px a minute
    expect(barWidth({ width: WIDTH, height: HEIGHT, from: 466, to: 476 })).toBe(12);
    expect(barWidth({ width: WIDTH, height: HEIGHT, from: 0, to: 5000 })).toBe(1);
  });
});
