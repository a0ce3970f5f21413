/**
 * What the minute chart shows, as pure functions of its data: the six series and their columns,
 * the axes' fixed scales and the ECharts option for them, the zoom windows, the marks and the
 * hovered minute's tooltip. The controller (minute-chart.ts) decides when each is needed.
 */
import { minuteLabel } from '../../../../../shared/minutes.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../../shared/format.ts';
import { translate } from '../../../../../shared/i18n/messages.ts';
import { escapeHtml } from '../../../../../shared/html.ts';
import type { MinuteRow, ProductRow, SegmentRow } from '../../../../../shared/metrics/types.ts';
import type { SessionMarker } from '../../../../../shared/contract.ts';
import { markerMarks, markerTooltipLines } from './chart-markers.ts';
import { ECHARTS_GRIDS, valueScale, type Marks, type ValueScale } from '../../../lib/marks-layer.ts';
import type { SeriesColumn, SeriesStyle } from './series-layer.ts';

const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#c4ccd3'];

/**
 * The six series: the y axis they share (0–1 top grid, 2–3 bottom), how the series layer draws
 * them (the legend's swatches take the same looks) and the minute's figure.
 */
export const SERIES: ReadonlyArray<SeriesStyle & { value: (r: MinuteRow) => number | null }> = [
  { id: 'onlineAvg', yAxis: 0, kind: 'line', color: '#4fc3f7', width: 2, value: (r) => (r.onlineAvg === null ? null : Math.round(r.onlineAvg)) },
  { id: 'onlineMax', yAxis: 0, kind: 'line', color: '#81d4fa', width: 1, dash: [4, 4], value: (r) => r.onlineMax },
  { id: 'enters', yAxis: 0, kind: 'line', color: '#9575cd', width: 1, value: (r) => r.enters },
  { id: 'gmv', yAxis: 1, kind: 'bar', color: '#ffb74d', width: 0, value: (r) => r.gmvFen / 100 },
  { id: 'gpm', yAxis: 2, kind: 'line', color: '#aed581', width: 2, value: (r) => r.gpm },
  { id: 'ctr', yAxis: 3, kind: 'line', color: '#f06292', width: 2, value: (r) => r.ctr },
];

/** What the chart marks of the selected room's show (from the store; MinuteChart forwards it). */
export interface ShowMarks {
  /** When the show started; null before one started: no marks at all. */
  startedAt: number | null;
  /** Product segments: coloured bands named after the product, a pin where each starts. */
  segments: readonly Pick<SegmentRow, 'productId' | 'startTs' | 'endTs'>[];
  /** Product titles, for the bands and the tooltip's pinned product. */
  products: readonly Pick<ProductRow, 'productId' | 'title'>[];
  /** This show's alerts, each marked at the end of the minute it was raised in. */
  alerts: readonly { minute: number }[];
  /** Platform markers (秒杀, 福袋 …), tagged in a lane above the plot. */
  markers: readonly SessionMarker[];
  /** The minute opened from an alert of this show: highlighted, and the window is around it. */
  focus: number | null;
}

export const NO_SHOW: ShowMarks = { startedAt: null, segments: [], products: [], alerts: [], markers: [], focus: null };

/** The zoom window: minutes as values, or a share of the axis (the whole show, the mouse wheel). */
export type ZoomWindow = { startValue: number; endValue: number } | { start: number; end: number };

/** Minutes shown either side of a minute opened from an alert. */
const FOCUS_SPAN = 7;

/** The window around minute m opened from an alert: a quarter-hour with the minute in the middle. */
export function focusWindow(m: number): ZoomWindow {
  return { startValue: Math.max(0, m - FOCUS_SPAN), endValue: m + 1 + FOCUS_SPAN };
}

/**
 * The last N minutes as values; the whole show as 0–100 %, so the window keeps covering the whole
 * axis as the show grows (fixed values would freeze it at the minutes that existed then).
 */
export function zoomWindowOf(minutes: number, points: number): ZoomWindow {
  const last = Math.max(points, 1);
  return minutes ? { startValue: Math.max(0, last - minutes), endValue: last } : { start: 0, end: 100 };
}

/** The minutes at the plots' left and right edges. */
export function windowRange(w: ZoomWindow, xMax: number): [number, number] {
  return 'startValue' in w ? [w.startValue, w.endValue] : [(w.start / 100) * xMax, (w.end / 100) * xMax];
}

function colorIndex(productId: string): number {
  let h = 0;
  for (let i = 0; i < productId.length; i++) h = (h * 31 + productId.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

function colorOf(productId: string): string {
  return PALETTE[colorIndex(productId)]!;
}

/** Each series' values by row (minute), NaN for none; built once per push. */
export function columnsOf(rows: readonly MinuteRow[]): SeriesColumn[] {
  return SERIES.map((sr) => {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = sr.value(rows[i]!);
      values[i] = v === null ? NaN : v;
    }
    return { style: sr, values };
  });
}

/** The four y axes' scales; series switched off in the legend do not count, as in ECharts. */
export function scalesOf(columns: readonly SeriesColumn[], hidden: ReadonlySet<string>): ValueScale[] {
  const max = [0, 0, 0, 0];
  for (const c of columns) {
    if (hidden.has(c.style.id)) continue;
    let m = max[c.style.yAxis]!;
    for (const v of c.values) if (v > m) m = v; // NaN > m is false
    max[c.style.yAxis] = m;
  }
  return max.map(valueScale);
}

export function scalesKey(sc: readonly ValueScale[]): string {
  return sc.map((x) => `${x.max}/${x.interval}`).join(':');
}

/** Axis-label formatters are called many times per render with the same tick values; the Intl-backed ones are not cheap. */
function memo(f: (v: number) => string): (v: number) => string {
  const cache = new Map<number, string>();
  return (v) => {
    let s = cache.get(v);
    if (s === undefined) {
      if (cache.size > 2000) cache.clear();
      s = f(v);
      cache.set(v, s);
    }
    return s;
  };
}

/** The four y axes' tick labels: people, money per minute, GPM, CTR. */
export function axisFormatters(locale: Locale): Array<(v: number) => string> {
  return [
    memo((v) => formatCount(v, locale)),
    memo((v) => formatMoneyFen(v * 100, locale)),
    memo((v) => formatYuan(v, locale)),
    memo((v) => formatRate(v, 0)),
  ];
}

const axisLabel = { color: '#8b95ad' };
const split = { lineStyle: { color: '#263047' } };
// Ticks are elapsed time (10′ = ten minutes in, where 第11分钟 starts); minutes are named by minuteLabel.
const tickLabel = (v: number) => `${v}′`;

/**
 * The axes layer's ECharts option: both grids' axes at the fixed scales and the window (ECharts'
 * inside dataZoom, which also takes the mouse's wheel and drag). The `first` option is the whole
 * one; after it only what moves.
 */
export function axesOption(first: boolean, xMax: number, scales: readonly ValueScale[], zoomWindow: ZoomWindow, formatters: ReadonlyArray<(v: number) => string>) {
  const xAxis = [0, 1].map((gridIndex) => ({
    min: 0,
    max: xMax,
    ...(first ? { type: 'value', gridIndex, minInterval: 1, axisLabel: { ...axisLabel, formatter: tickLabel }, splitLine: { show: false } } : {}),
  }));
  const yAxis = scales.map((sc, i) => ({ ...sc, ...(first ? { type: 'value', gridIndex: i < 2 ? 0 : 1, axisLabel: { ...axisLabel, formatter: formatters[i] }, splitLine: i % 2 ? { show: false } : split } : {}) }));
  const dataZoom = [{ ...(first ? { type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' } : {}), ...zoomWindow }];
  return first ? { backgroundColor: 'transparent', animation: false, grid: ECHARTS_GRIDS, xAxis, yAxis, dataZoom } : { xAxis, yAxis, dataZoom };
}

/** The show's markers to draw: none before it started (a relay backlog can carry earlier ones). */
export function shownMarkers(show: ShowMarks): readonly SessionMarker[] {
  return show.startedAt === null ? [] : show.markers;
}

/** The marks layer's bands, pins, alerts, markers and focus, in minutes of the show. */
export function marksOf(show: ShowMarks, locale: Locale): Marks {
  const { startedAt } = show;
  if (startedAt === null) return { bands: [], pins: [], alerts: [], markers: [] };
  const title = new Map(show.products.map((p) => [p.productId, p.title]));
  const min = (ts: number) => (ts - startedAt) / 60_000;
  return {
    bands: show.segments.map((s) => ({ from: min(s.startTs), to: min(s.endTs), color: colorOf(s.productId), label: title.get(s.productId) ?? s.productId })),
    pins: show.segments.map((s) => ({ at: min(s.startTs), color: colorOf(s.productId) })),
    // Alerts at the end of the minute they were raised in.
    alerts: show.alerts.map((a) => a.minute + 1),
    markers: markerMarks(show.markers, startedAt, locale),
    focus: show.focus,
  };
}

/** The hovered minute's tooltip: all of its numbers, the pinned product and the minute's markers. */
export function tooltipHtml(m: number, rows: readonly MinuteRow[], show: ShowMarks, live: boolean, locale: Locale): string {
  const r = rows[m];
  if (!r) return '';
  const pinned = r.pinnedProductId ? (show.products.find((p) => p.productId === r.pinnedProductId)?.title ?? r.pinnedProductId) : '—';
  const L = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const line = (color: string | null, label: string, v: string) =>
    `<div class="tip-line"><i style="background:${color ?? 'transparent'}"></i><span>${label}</span><b>${v}</b></div>`;
  const c = (id: string) => SERIES.find((sr) => sr.id === id)!.color;
  return [
    `<div class="tip-head">${minuteLabel(m, locale)}${m === rows.length - 1 && live ? ` <span class="tip-live">${L('chart.minuteLive')}</span>` : ''}</div>`,
    line(c('onlineAvg'), L('chart.onlineAvg'), formatCount(r.onlineAvg, locale)),
    line(c('onlineMax'), L('chart.onlineMax'), formatCount(r.onlineMax, locale)),
    line(c('enters'), L('chart.enters'), formatCount(r.enters, locale)),
    line(c('gmv'), L('chart.gmvPerMin'), formatMoneyFen(r.gmvFen, locale)),
    line(null, L('metric.orders'), formatCount(r.orders, locale)),
    line(c('gpm'), L('chart.gpm'), formatYuan(r.gpm, locale)),
    line(c('ctr'), L('chart.ctr'), formatRate(r.ctr)),
    line(null, L('room.pinned').replace(/[：:]\s*$/, ''), escapeHtml(pinned)),
    ...markerTooltipLines(shownMarkers(show), m, locale),
  ].join('');
}
