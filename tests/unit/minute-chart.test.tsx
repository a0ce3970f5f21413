/**
 * The minute chart's engine without React: MinuteChartController's setRows, setMarkers, setZoom,
 * setHidden, setLive, resize and dispose, against a real ECharts instance rendered server-side
 * (SVG, no canvas). Node has no DOM: the box and the layers are stand-ins holding what the
 * controller writes (data-* attributes, styles, the tooltip's HTML), and the two canvases' 2D
 * contexts record the calls the real marks and series layers make. The e2e tests see the same
 * chart drawn in Chromium.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { MinuteChartController } from '../../renderer/src/features/live/chart/minute-chart.ts';
import { NO_SHOW, type ShowMarks } from '../../renderer/src/features/live/chart/minute-chart-model.ts';
import { markerMarks } from '../../renderer/src/features/live/chart/chart-markers.ts';
import { axisEnd, plots, valueScale, xOf } from '../../renderer/src/lib/marks-layer.ts';
import { emptyMinuteRow } from '../../shared/metrics/window.ts';
import { minuteLabel } from '../../shared/minutes.ts';
import { translate } from '../../shared/i18n/messages.ts';
import type { MinuteRow } from '../../shared/metrics/types.ts';
import type { SessionMarker } from '../../shared/contract.ts';

echarts.use([SVGRenderer]);

// Node has no animation frames: the next frame is the next task.
globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(performance.now()), 0) as unknown as number;
globalThis.cancelAnimationFrame ??= (id) => clearTimeout(id);

const WIDTH = 1144;
const HEIGHT = 400;
const T0 = 1_700_000_000_000;

/** The box or a DOM layer: what the controller reads and writes, and the listeners it adds. */
function element(width = 0, height = 0) {
  const listeners = new Map<string, (e: { clientX: number; clientY: number }) => void>();
  const el = {
    dataset: {} as Record<string, string>,
    style: {} as Record<string, string>,
    clientWidth: width,
    clientHeight: height,
    offsetWidth: 180,
    offsetHeight: 220,
    title: '',
    innerHTML: '',
    listeners,
    removeAttribute: (name: string) => {
      if (name === 'title') el.title = '';
    },
    getBoundingClientRect: () => ({ left: 0, top: 0 }),
    addEventListener: (type: string, l: (e: { clientX: number; clientY: number }) => void) => listeners.set(type, l),
    removeEventListener: (type: string, l: unknown) => {
      if (listeners.get(type) === l) listeners.delete(type);
    },
  };
  return el;
}

/** A canvas whose 2D context records each drawing call; text measures 7 px a character. */
function canvas() {
  const calls: Array<{ op: string; args: unknown[] }> = [];
  const ctx = new Proxy({}, {
    get: (_t, op) => (op === 'measureText' ? (s: string) => ({ width: s.length * 7 }) : (...args: unknown[]) => void calls.push({ op: String(op), args })),
    set: () => true,
  });
  return { width: 0, height: 0, getContext: () => ctx, calls };
}

/** The calls since the canvas was last cleared: what it shows now. */
function shown(c: ReturnType<typeof canvas>, op: string) {
  const from = c.calls.findLastIndex((x) => x.op === 'clearRect');
  return c.calls.slice(from + 1).filter((x) => x.op === op);
}

type AxesOption = {
  xAxis: Array<{ max: number }>;
  yAxis: Array<{ max: number; interval: number }>;
  dataZoom: Array<{ start: number; end: number; startValue?: number; endValue?: number }>;
};

const made: MinuteChartController[] = [];
afterEach(() => {
  for (const c of made.splice(0)) c.dispose();
});

function make(hidden: string[] = []) {
  const [box, axesEl, pointer, tip] = [element(WIDTH, HEIGHT), element(), element(), element()];
  const [marks, series] = [canvas(), canvas()];
  let axes: echarts.EChartsType | undefined;
  const chart = new MinuteChartController(
    { box, marks, axes: axesEl, series, pointer, tip } as unknown as ConstructorParameters<typeof MinuteChartController>[0],
    { locale: 'zh-CN', hidden, initAxes: () => (axes = echarts.init(null, 'dark', { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT })) },
  );
  made.push(chart);
  return { chart, axes: axes!, option: () => axes!.getOption() as unknown as AxesOption, box, marks, series, pointer, tip };
}

/** The axes layer renders in a task of its own, the series in the next frame. */
const settle = () => new Promise((r) => setTimeout(r, 10));

function rows(n: number): MinuteRow[] {
  return Array.from({ length: n }, (_, i) => ({
    ...emptyMinuteRow(i, T0 + i * 60_000),
    onlineAvg: 200 + i * 10.4,
    onlineMax: 260 + i * 11,
    enters: 40 + (i % 7),
    orders: i % 3 ? 2 : 0,
    gmvFen: i % 3 ? 12_345 * (i % 5) : 0,
    gpm: 300 + i,
    ctr: 0.05,
    pinnedProductId: 'p1',
  }));
}

const flash: SessionMarker = { seq: 20, ts: T0 + 12 * 60_000, minute: 12, kind: 'flash', text: '秒杀：面膜 ¥19.9，限量200件' };
const show: ShowMarks = {
  startedAt: T0,
  segments: [
    { productId: 'p1', startTs: T0, endTs: T0 + 8 * 60_000 },
    { productId: 'p2', startTs: T0 + 8 * 60_000, endTs: T0 + 20 * 60_000 },
  ],
  products: [
    { productId: 'p1', title: '玻尿酸补水面膜' },
    { productId: 'p2', title: '丝绒哑光唇釉' },
  ],
  alerts: [{ minute: 9 }],
  markers: [flash],
  focus: null,
};

describe('MinuteChartController', () => {
  it('setRows: the axes end at the show’s round minute, the scales fit the rows, the series are drawn from them', async () => {
    const { chart, option, box, series } = make();
    const rs = rows(23);
    chart.setRows(rs);
    expect(box.dataset.points).toBe('23');
    expect(box.dataset.lastGmvFen).toBe(String(rs[22]!.gmvFen));
    await settle();
    const o = option();
    expect(o.xAxis.map((x) => x.max)).toEqual([axisEnd(23), axisEnd(23)]);
    expect(o.yAxis[0]).toMatchObject(valueScale(Math.max(...rs.map((r) => r.onlineMax!))));
    expect(o.yAxis[1]).toMatchObject(valueScale(Math.max(...rs.map((r) => r.gmvFen / 100))));
    expect(o.yAxis[2]).toMatchObject(valueScale(322));
    // The whole show: one bar per minute with GMV, and five lines through every minute.
    expect(box.dataset.window).toBe(`0.0-${axisEnd(23).toFixed(1)}`);
    expect(series.width).toBe(WIDTH);
    expect(shown(series, 'fillRect')).toHaveLength(rs.filter((r) => r.gmvFen > 0).length);
    expect(shown(series, 'lineTo')).toHaveLength(5 * 22);

    chart.setRows(rows(47));
    await settle();
    expect(option().xAxis.map((x) => x.max)).toEqual([axisEnd(47), axisEnd(47)]);
    expect(shown(series, 'lineTo')).toHaveLength(5 * 46);
  });

  it('setMarkers: bands named after their products, the alert, the marker’s tag with its words on hover', () => {
    const { chart, box, marks } = make();
    chart.setRows(rows(23));
    chart.setMarkers(show);
    expect(box.dataset).toMatchObject({ segments: '2', alertMarks: '1', markerMarks: '1', adMarks: '0', focusMinute: '' });
    const texts = shown(marks, 'fillText');
    expect(texts.map((c) => c.args[0])).toEqual(expect.arrayContaining(['玻尿酸补水面膜', '丝绒哑光唇釉', '⚠', '秒杀']));
    const tag = texts.find((c) => c.args[0] === '秒杀')!;
    const [x, y] = tag.args.slice(1) as [number, number];
    expect(x).toBeCloseTo(xOf(12, { width: WIDTH, height: HEIGHT, from: 0, to: axisEnd(23) }));
    box.listeners.get('mousemove')!({ clientX: x, clientY: y });
    expect(box.title).toBe(markerMarks([flash], T0, 'zh-CN')[0]!.title);
    box.listeners.get('mouseleave')!({ clientX: 0, clientY: 0 });
    expect(box.title).toBe('');

    // Before the show started there is nothing to mark.
    chart.setMarkers({ ...show, startedAt: null });
    expect(box.dataset.markerMarks).toBe('0');
    expect(shown(marks, 'fillText')).toEqual([]);
  });

  it('setZoom: the last 10 minutes, following the show; a minute opened from an alert has precedence; 0 is the whole show', async () => {
    const { chart, option, box } = make();
    chart.setRows(rows(60));
    chart.setZoom(10);
    expect(box.dataset.zoom).toBe('10');
    expect(box.dataset.window).toBe('50.0-60.0');
    await settle();
    expect(option().dataZoom[0]).toMatchObject({ startValue: 50, endValue: 60 });

    chart.setRows(rows(61));
    await settle();
    expect(box.dataset.window).toBe('51.0-61.0');
    expect(option().dataZoom[0]).toMatchObject({ startValue: 51, endValue: 61 });

    chart.setMarkers({ ...NO_SHOW, startedAt: T0, focus: 20 });
    chart.setRows(rows(62));
    expect(box.dataset.window).toBe('13.0-28.0');
    expect(box.dataset.focusMinute).toBe('20');
    chart.setMarkers({ ...NO_SHOW, startedAt: T0, focus: null });
    expect(box.dataset.window).toBe('52.0-62.0');

    chart.setZoom(0);
    await settle();
    expect(box.dataset.window).toBe(`0.0-${axisEnd(62).toFixed(1)}`);
    expect(option().dataZoom[0]).toMatchObject({ start: 0, end: 100 });
  });

  it('follows a zoom made with the mouse on the axes layer (ECharts’ inside dataZoom)', async () => {
    const { chart, axes, box } = make();
    chart.setRows(rows(40));
    await settle();
    axes.dispatchAction({ type: 'dataZoom', start: 25, end: 75 });
    const end = axisEnd(40);
    expect(box.dataset.window).toBe(`${(end / 4).toFixed(1)}-${((end * 3) / 4).toFixed(1)}`);
  });

  it('setHidden: a series switched off is not drawn and no longer sets its axis’s scale', async () => {
    const { chart, option, box, series } = make(['enters']);
    expect(box.dataset.hiddenSeries).toBe('enters');
    chart.setRows(rows(23));
    await settle();
    expect(shown(series, 'fillRect').length).toBeGreaterThan(0);
    chart.setHidden(['enters', 'gmv']);
    expect(box.dataset.hiddenSeries).toBe('enters,gmv');
    expect(shown(series, 'fillRect')).toEqual([]);
    expect(shown(series, 'lineTo')).toHaveLength(4 * 22);
    await settle();
    expect(option().yAxis[1]).toMatchObject(valueScale(0));
  });

  it('the hover: the minute’s numbers beside the pointer; the minute still being counted says so', () => {
    const { chart, box, tip, pointer } = make();
    chart.setRows(rows(23));
    chart.setMarkers(show);
    const view = { width: WIDTH, height: HEIGHT, from: 0, to: axisEnd(23) };
    const y = plots(WIDTH, HEIGHT)[0].y0 + 20;
    box.listeners.get('mousemove')!({ clientX: xOf(5.5, view), clientY: y });
    expect(tip.style.display).toBe('block');
    expect(pointer.style.left).toBe(`${Math.round(xOf(5.5, view))}px`);
    expect(tip.innerHTML).toContain(minuteLabel(5, 'zh-CN'));
    expect(tip.innerHTML).toContain('玻尿酸补水面膜');
    expect(tip.innerHTML).not.toContain(translate('zh-CN', 'chart.minuteLive'));
    chart.setLive(true);
    box.listeners.get('mousemove')!({ clientX: xOf(22.5, view), clientY: y });
    expect(tip.innerHTML).toContain(translate('zh-CN', 'chart.minuteLive'));
    box.listeners.get('mouseleave')!({ clientX: 0, clientY: 0 });
    expect(tip.style.display).toBe('none');
  });

  it('resize: every layer takes the new size, and a size it already has redraws nothing', async () => {
    const { chart, axes, box, marks, series, tip } = make();
    chart.setRows(rows(30));
    chart.setMarkers(show);
    await settle();
    const before = marks.calls.length;
    chart.resize(WIDTH + 0.3, HEIGHT - 0.2);
    expect(marks.calls.length).toBe(before);

    box.listeners.get('mousemove')!({ clientX: 400, clientY: 100 });
    expect(tip.style.display).toBe('block');
    chart.resize(800, 300);
    expect([axes.getWidth(), axes.getHeight()]).toEqual([800, 300]);
    expect([marks.width, marks.height, series.width, series.height]).toEqual([800, 300, 800, 300]);
    expect(marks.calls.length).toBeGreaterThan(before);
    expect(tip.style.display).toBe('none');
    // The marker's tag moved with the narrower plot.
    const tag = shown(marks, 'fillText').find((c) => c.args[0] === '秒杀')!;
    expect(tag.args[1]).toBeCloseTo(xOf(12, { width: 800, height: 300, from: 0, to: axisEnd(30) }));
  });

  it('dispose: the ECharts instance goes, nothing queued runs, the mouse is let go and later calls do nothing', async () => {
    const { chart, axes, box, series } = make();
    const axesRenders = () => performance.getEntriesByName('lcr:chart-axes').length;
    chart.setRows(rows(10)); // queues the series' frame and the axes' render
    const rendered = axesRenders();
    chart.dispose();
    expect(axes.isDisposed()).toBe(true);
    expect(box.listeners.size).toBe(0);

    chart.setRows(rows(20));
    chart.setMarkers(show);
    chart.setZoom(10);
    chart.setHidden(['gmv']);
    chart.setLive(true);
    chart.resize(800, 300);
    chart.dispose();
    await settle();
    expect(box.dataset).toMatchObject({ points: '10', hiddenSeries: '' });
    expect(box.dataset.zoom).toBeUndefined();
    expect(series.calls).toEqual([]);
    expect(axesRenders()).toBe(rendered);
  });
});
