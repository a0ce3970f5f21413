/**
 * The report's charts as ECharts options, written once: the export renders them to inline SVG on
 * the server (light paper), the app draws them on canvas with tooltips and clicks (dark screen).
 * Same series, same colours per product, same event rows — the team sees on screen what they
 * print. Pure data in, options out; no ECharts import here.
 */
import { whoText } from '../who.ts';
import type { RetroReportView, Comparison } from './types.ts';
import { TrafficSources } from '../protocol.ts';
import type { Localiser } from '../i18n/localiser.ts';
import { adActionText } from './scorecard.ts';
import { clipText, formatCount, formatDateTime, formatMoneyFen, formatRate, formatYuan, type Locale } from '../format.ts';
import { escapeHtml as escapeTip } from '../html.ts';
import { minuteLabel } from '../minutes.ts';

/** What the charts need of a report (the core's RetroReport and the UI's RetroReportView both fit). */
export type ChartReport = Pick<RetroReportView, 'minutes' | 'segments' | 'products' | 'session' | 'timeline' | 'actions' | 'alerts' | 'notes' | 'traffic' | 'scorecard' | 'demand'>;

export const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554', '#61a0a8', '#d48265'];
export const CHART_FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';

export interface ChartTheme {
  text: string;
  muted: string;
  split: string;
  bandLabel: string;
  bandOpacity: number;
  online: string;
  gmv: string;
  /** whether the option carries tooltips (the screen) or not (paper) */
  interactive: boolean;
}

export const PAPER: ChartTheme = { text: '#333', muted: '#666', split: '#f0f0f0', bandLabel: '#333', bandOpacity: 0.16, online: '#1d39c4', gmv: '#f5a623', interactive: false };
export const SCREEN: ChartTheme = { text: '#e6ebf5', muted: '#8b95ad', split: '#263047', bandLabel: '#e6ebf5', bandOpacity: 0.22, online: '#4fc3f7', gmv: '#ffb74d', interactive: true };

export type ChartName = 'timeline' | 'rates' | 'traffic' | 'segments' | 'demand';
export interface ChartSpec {
  height: number;
  option: Record<string, unknown>;
}

/**
 * Axis labels a person reads at a glance: money as ¥ with 万 (zh) or K (en) — never a raw
 * "300000" — counts with 万/K, rates as %. Money values on the charts are yuan.
 */
export function axisFormatter(kind: 'money' | 'count' | 'rate', locale: Locale): (v: number) => string {
  if (kind === 'money') return (v) => formatYuan(v, locale);
  if (kind === 'count') return (v) => formatCount(v, locale);
  return (v) => `${Number((v * 100).toFixed(1))}%`;
}

/** Each product's colour, by its first appearance in the product table (the same in every chart). */
export function productColors(r: Pick<ChartReport, 'products'>): Map<string, string> {
  return new Map(r.products.map((p, i) => [p.productId, PALETTE[i % PALETTE.length]!]));
}

/** The event strip's rows, top to bottom in the order they are listed here. */
export function eventRows(i18n: Localiser): string[] {
  return (['markers', 'ads', 'suggestions', 'alerts', 'notes'] as const).map((row) => i18n(`reportChart.lane.${row}`));
}

/** What every chart of a report shares: its minutes on one x axis, the products' colours, the segment bands and the event marks. */
interface ChartKit {
  r: ChartReport;
  i18n: Localiser;
  theme: ChartTheme;
  locale: Locale;
  colors: Map<string, string>;
  /** minutes in the show: the x axis runs 0…n */
  n: number;
  pxPerMin: number;
  /** each minute's x (its middle) */
  x: number[];
  font: { color: string; fontSize: number };
  base: Record<string, unknown>;
  legend: Record<string, unknown>;
  bands: ReturnType<typeof segmentBands>;
  marks: EventMark[];
  axis: (gridIndex: number, show: boolean) => Record<string, unknown>;
  yName: (name: string, kind: 'money' | 'count' | 'rate') => Record<string, unknown>;
  /** the minute tooltip on the screen (nothing on paper) */
  axisTip: Record<string, unknown>;
}

interface EventMark {
  value: [number, number];
  name: string;
  itemStyle: { color: string };
}

export function reportChartOptions(r: ChartReport, i18n: Localiser, width: number, theme: ChartTheme): Record<ChartName, ChartSpec> {
  const k = chartKit(r, i18n, width, theme);
  return { timeline: timelineChart(k), rates: ratesChart(k), traffic: trafficChart(k), segments: segmentsChart(k), demand: demandChart(k) };
}

function chartKit(r: ChartReport, i18n: Localiser, width: number, theme: ChartTheme): ChartKit {
  const { locale } = i18n;
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const n = Math.max(1, r.minutes.length);
  const minuteOf = minuteOfShow(r.session.startedAt);
  const pxPerMin = (width - 120) / n;
  const font = { color: theme.text, fontSize: 10 };
  const colors = productColors(r);
  const marks = eventMarks(r, i18n, titles);
  const axis = (gridIndex: number, show: boolean) => ({
    type: 'value',
    gridIndex,
    min: 0,
    max: n,
    interval: n > 240 ? 60 : n > 60 ? 30 : n > 20 ? 5 : 1,
    axisLabel: { show, ...font, formatter: (v: number) => i18n('reportChart.minuteTick', { m: v }) },
    axisLine: { lineStyle: { color: theme.muted } },
    splitLine: { show: false },
  });
  const yName = (name: string, kind: 'money' | 'count' | 'rate') => ({ name, nameTextStyle: font, axisLabel: { ...font, formatter: axisFormatter(kind, locale) }, splitLine: { lineStyle: { color: theme.split } } });
  const tip = minuteTooltip(r, i18n, titles, marks);
  const axisTip = theme.interactive
    ? {
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'line' },
          formatter: (ps: Array<{ value: [number, unknown] }> | { value: [number, unknown] }) => {
            const p = Array.isArray(ps) ? ps[0] : ps;
            return p ? tip(Math.floor(p.value[0])) : '';
          },
        },
      }
    : {};
  return {
    r,
    i18n,
    theme,
    locale,
    colors,
    n,
    pxPerMin,
    x: r.minutes.map((m) => m.minute + 0.5),
    font,
    base: { animation: false, textStyle: { fontFamily: CHART_FONT, color: theme.text } },
    legend: { top: 0, textStyle: { fontSize: 11, color: theme.text } },
    bands: segmentBands(r, titles, colors, minuteOf, pxPerMin, theme),
    marks,
    axis,
    yName,
    axisTip,
  };
}

function minuteOfShow(startedAt: number): (ts: number) => number {
  return (ts) => Math.max(0, (ts - startedAt) / 60_000);
}

/** Segments as coloured bands behind the curves, named where there is room for the name. */
function segmentBands(r: ChartReport, titles: Map<string, string>, colors: Map<string, string>, minuteOf: (ts: number) => number, pxPerMin: number, theme: ChartTheme) {
  return r.segments.map((s) => {
    const a = minuteOf(s.startTs);
    const b = minuteOf(s.endTs);
    const room = (b - a) * pxPerMin;
    return [
      {
        xAxis: a,
        name: room >= 48 ? clipText(titles.get(s.productId) ?? s.productId, Math.max(2, Math.floor(room / 13))) : '',
        itemStyle: { color: colors.get(s.productId) ?? '#ccc', opacity: theme.bandOpacity },
        label: { color: theme.bandLabel, fontSize: 10, position: 'insideTop' },
      },
      { xAxis: b },
    ];
  });
}

/** The event strip: one row per kind of mark, a point per mark at its minute. */
function eventMarks(r: ChartReport, i18n: Localiser, titles: Map<string, string>): EventMark[] {
  const { locale } = i18n;
  const minuteOf = minuteOfShow(r.session.startedAt);
  const marks: EventMark[] = [];
  for (const m of r.timeline.markers) marks.push({ value: [m.minute + 0.5, 0], name: m.text ? `${m.kind}: ${m.text}` : m.kind, itemStyle: { color: '#fa8c16' } });
  for (const a of r.timeline.adActions) marks.push({ value: [minuteOf(a.ts), 1], name: adActionText(a, locale), itemStyle: { color: '#722ed1' } });
  for (const d of r.actions) {
    if (d.type !== 'suggestion' || d.action === 'shown') continue;
    const what = d.productId ? (titles.get(d.productId) ?? d.productId) : '';
    const verb = i18n(d.action === 'accepted' ? 'reportChart.accepted' : 'reportChart.dismissed');
    marks.push({ value: [minuteOf(d.ts), 2], name: `${verb} ${what}`.trim(), itemStyle: { color: d.action === 'accepted' ? '#389e0d' : '#8c8c8c' } });
  }
  for (const a of r.alerts) marks.push({ value: [a.minute + 0.5, 3], name: a.kind, itemStyle: { color: '#cf1322' } });
  for (const note of r.notes) marks.push({ value: [note.minute === null ? 0 : note.minute + 0.5, 4], name: note.text, itemStyle: { color: '#1677ff' } });
  // The 场控's messages to the host sit with the team's notes: what the room was told, and by whom.
  for (const d of r.actions) {
    if (d.type !== 'prompt') continue;
    const who = d.byName ? ` · ${whoText(d.byName, d.byRole, locale)}` : '';
    marks.push({ value: [minuteOf(d.ts), 4], name: `${i18n('prompt.fromOperator')}: ${d.text}${who}`, itemStyle: { color: '#d48806' } });
  }
  return marks;
}

/** The screen's tooltip: the minute's own numbers, whatever series the pointer is on. */
function minuteTooltip(r: ChartReport, i18n: Localiser, titles: Map<string, string>, marks: EventMark[]): (minuteIndex: number) => string {
  const { locale } = i18n;
  return (minuteIndex) => {
    const m = r.minutes[minuteIndex];
    if (!m) return '';
    const product = m.pinnedProductId ? (titles.get(m.pinnedProductId) ?? m.pinnedProductId) : i18n('reportChart.nothingExplained');
    const lines = [
      `<b>${minuteLabel(m.minute, locale)}</b> · ${escapeTip(product)}`,
      `${i18n('reportChart.onlineAvg')}: ${formatCount(m.onlineAvg, locale)}`,
      `${i18n('reportChart.enters')}: ${formatCount(m.enters, locale)}`,
      `${i18n('reportChart.gmv')}: ${formatMoneyFen(m.gmvFen, locale)} · ${i18n('reportChart.orders')} ${m.orders}`,
      `GPM: ${formatYuan(m.gpm, locale)} · ${i18n('reportChart.ctr')} ${formatRate(m.ctr, 2)}`,
    ];
    const here = marks.filter((k) => Math.floor(k.value[0]) === m.minute).slice(0, 6);
    for (const k of here) lines.push(`<span style="color:${k.itemStyle.color}">●</span> ${escapeTip(k.name)}`);
    return lines.join('<br/>');
  };
}

/** Online and GMV per minute over the segment bands, with the event strip below. */
function timelineChart(k: ChartKit): ChartSpec {
  const { r, i18n, theme, locale, pxPerMin, x, font, base, legend, bands, marks, axis, yName, axisTip } = k;
  const rows = eventRows(i18n);
  return {
    height: 360,
    option: {
      ...base,
      ...axisTip,
      legend,
      grid: [
        { left: 60, right: 60, top: 28, height: 210 },
        { left: 60, right: 60, top: 262, height: 80 },
      ],
      xAxis: [axis(0, true), axis(1, false)],
      yAxis: [
        { type: 'value', gridIndex: 0, ...yName(i18n('reportChart.online'), 'count') },
        { type: 'value', gridIndex: 0, ...yName(i18n('reportChart.perMinAxis'), 'money'), splitLine: { show: false } },
        { type: 'category', gridIndex: 1, data: rows, axisLabel: font, axisTick: { show: false }, axisLine: { lineStyle: { color: theme.muted } }, splitLine: { show: true, lineStyle: { color: theme.split } } },
      ],
      series: [
        {
          name: i18n('reportChart.onlineAvg'),
          type: 'line',
          xAxisIndex: 0,
          yAxisIndex: 0,
          showSymbol: false,
          lineStyle: { width: 1.5, color: theme.online },
          itemStyle: { color: theme.online },
          data: r.minutes.map((m, i) => [x[i], m.onlineAvg]),
          markArea: { silent: true, data: bands },
        },
        {
          name: i18n('reportChart.perMin'),
          type: 'bar',
          xAxisIndex: 0,
          yAxisIndex: 1,
          barWidth: Math.max(1, pxPerMin * 0.7),
          itemStyle: { color: theme.gmv, opacity: 0.75 },
          data: r.minutes.map((m, i) => [x[i], m.gmvFen / 100]),
        },
        {
          name: i18n('reportChart.events'),
          type: 'scatter',
          xAxisIndex: 1,
          yAxisIndex: 2,
          symbolSize: 7,
          data: marks,
          ...(theme.interactive ? { tooltip: { trigger: 'item', formatter: (p: { name: string; value: [number, number] }) => `${minuteLabel(Math.floor(p.value[0]), locale)}<br/>${escapeTip(p.name)}` } } : {}),
        },
      ],
    },
  };
}

/** GPM and CTR per minute. */
function ratesChart(k: ChartKit): ChartSpec {
  const { r, i18n, x, base, legend, bands, axis, yName, axisTip } = k;
  return {
    height: 200,
    option: {
      ...base,
      ...axisTip,
      legend,
      grid: { left: 60, right: 60, top: 28, bottom: 24 },
      xAxis: axis(0, true),
      yAxis: [
        { type: 'value', ...yName('GPM', 'money') },
        { type: 'value', ...yName(i18n('reportChart.ctr'), 'rate'), splitLine: { show: false } },
      ],
      series: [
        { name: 'GPM', type: 'line', showSymbol: false, lineStyle: { width: 1.2, color: '#d4380d' }, itemStyle: { color: '#d4380d' }, data: r.minutes.map((m, i) => [x[i], m.gpm]), markArea: { silent: true, data: bands.map(([a, b]) => [{ ...a, name: '' }, b]) } },
        { name: i18n('reportChart.ctr'), type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { width: 1.2, color: '#08979c' }, itemStyle: { color: '#08979c' }, data: r.minutes.map((m, i) => [x[i], m.ctr]) },
      ],
    },
  };
}

/** Entries per minute by traffic source, stacked. */
function trafficChart(k: ChartKit): ChartSpec {
  const { r, i18n, theme, base, legend, axis, yName } = k;
  return {
    height: 220,
    option: {
      ...base,
      ...(theme.interactive ? { tooltip: { trigger: 'axis' } } : {}),
      legend,
      grid: { left: 60, right: 60, top: 28, bottom: 24 },
      xAxis: axis(0, true),
      yAxis: { type: 'value', ...yName(i18n('reportChart.enters'), 'count') },
      series: TrafficSources.map((src, i) => ({
        name: i18n(`traffic.${src}`),
        type: 'line',
        stack: 'enters',
        areaStyle: { opacity: 0.7 },
        showSymbol: false,
        lineStyle: { width: 0.5 },
        color: PALETTE[i],
        data: r.traffic.perMinute.map((p) => [p.minute + 0.5, p.bySource[src]]),
      })),
    },
  };
}

/** Each segment's GMV per minute against the show's baseline, strong and weak in colour. */
function segmentsChart(k: ChartKit): ChartSpec {
  const { r, i18n, theme, locale, colors, font, base, yName } = k;
  const segs = r.scorecard.segments;
  return {
    height: 240,
    option: {
      ...base,
      ...(theme.interactive
        ? {
            tooltip: {
              trigger: 'item',
              formatter: (p: { dataIndex: number }) => {
                const s = segs[p.dataIndex];
                return s ? `${s.index + 1}. ${escapeTip(s.title)}<br/>${formatYuan(s.gmvPerMin, locale)}/${i18n('reportChart.min')} · ${formatMoneyFen(s.gmvFen, locale)}` : '';
              },
            },
          }
        : {}),
      grid: { left: 60, right: 56, top: 24, bottom: 30 },
      xAxis: { type: 'category', data: segs.map((s) => `${s.index + 1}`), axisLabel: { ...font, fontSize: 9, interval: segs.length > 40 ? 'auto' : 0 }, axisLine: { lineStyle: { color: theme.muted } } },
      yAxis: { type: 'value', ...yName(i18n('reportChart.perMinAxis'), 'money') },
      series: [
        {
          type: 'bar',
          data: segs.map((s) => ({ value: s.gmvPerMin === null ? 0 : Math.round(s.gmvPerMin), itemStyle: { color: s.verdict === 'strong' ? '#389e0d' : s.verdict === 'weak' ? '#cf1322' : colors.get(s.productId) } })),
          markLine:
            r.scorecard.baseline.gmvPerMin === null
              ? undefined
              : { silent: true, symbol: 'none', label: { formatter: `${i18n('reportChart.baseline')} ${formatYuan(r.scorecard.baseline.gmvPerMin, locale)}`, ...font }, lineStyle: { type: 'dashed', color: theme.muted }, data: [{ yAxis: Math.round(r.scorecard.baseline.gmvPerMin) }] },
        },
      ],
    },
  };
}

/** Demand words in the comments per minute. */
function demandChart(k: ChartKit): ChartSpec {
  const { r, i18n, theme, pxPerMin, base, axis, yName } = k;
  return {
    height: 150,
    option: {
      ...base,
      ...(theme.interactive ? { tooltip: { trigger: 'axis' } } : {}),
      grid: { left: 60, right: 60, top: 20, bottom: 24 },
      xAxis: axis(0, true),
      yAxis: { type: 'value', ...yName(i18n('reportChart.demandAxis'), 'count') },
      series: [{ name: i18n('reportChart.demand'), type: 'bar', barWidth: Math.max(1, pxPerMin * 0.7), itemStyle: { color: '#9254de' }, data: r.demand.perMinute.map((c, m) => [m + 0.5, c]) }],
    },
  };
}

export type CompareMetric = 'onlineAvg' | 'cumGmvFen' | 'gmvFen' | 'gpm' | 'ctr';

/** The sessions' curves overlaid on one axis — minutes since start, or product slots. */
export function compareChartOption(c: Comparison, metric: CompareMetric, locale: Locale, theme: ChartTheme, names: { metric: string; x: (x: number) => string }): ChartSpec {
  const font = { color: theme.text, fontSize: 10 };
  const money = metric === 'cumGmvFen' || metric === 'gmvFen';
  const value = (p: Comparison['series'][number]['points'][number]): number | null => {
    const v = p[metric];
    if (v === null) return null;
    return money ? v / 100 : v;
  };
  const fmt = (v: number | null) => (v === null ? '—' : metric === 'ctr' ? formatRate(v, 2) : metric === 'onlineAvg' ? formatCount(v, locale) : formatYuan(v, locale));
  return {
    height: 260,
    option: {
      animation: false,
      textStyle: { fontFamily: CHART_FONT, color: theme.text },
      legend: { top: 0, textStyle: { fontSize: 11, color: theme.text }, type: 'scroll' },
      tooltip: theme.interactive
        ? {
            trigger: 'axis',
            formatter: (ps: Array<{ seriesName: string; name: string; value: [number, number | null]; color: string }>) => {
              const first = ps[0];
              if (!first) return '';
              // By slot, each show explained its own product there: name it beside the figure.
              const what = (p: { name: string }) => (c.align === 'slot' && p.name ? ` (${escapeTip(p.name)})` : '');
              return [`<b>${escapeTip(names.x(first.value[0]))}</b>`, ...ps.map((p) => `<span style="color:${p.color}">●</span> ${escapeTip(p.seriesName)}: ${fmt(p.value[1])}${what(p)}`)].join('<br/>');
            },
          }
        : undefined,
      grid: { left: 64, right: 24, top: 32, bottom: 28 },
      xAxis: { type: 'value', min: 0, axisLabel: { ...font, formatter: (v: number) => names.x(v) }, axisLine: { lineStyle: { color: theme.muted } }, splitLine: { show: false } },
      yAxis: { type: 'value', name: names.metric, nameTextStyle: font, axisLabel: { ...font, formatter: axisFormatter(metric === 'ctr' ? 'rate' : metric === 'onlineAvg' ? 'count' : 'money', locale) }, splitLine: { lineStyle: { color: theme.split } } },
      series: c.series.map((s, i) => ({
        // Numbered: the same room's shows share a title, and a legend merges series of one name.
        name: `#${i + 1} ${s.title} · ${formatDateTime(s.startedAt, locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })}`,
        type: 'line',
        showSymbol: c.align === 'slot',
        symbolSize: 5,
        step: c.align === 'slot' ? undefined : false,
        lineStyle: { width: 1.6 },
        color: PALETTE[i % PALETTE.length],
        data: s.points.map((p) => ({ value: [p.x, value(p)], name: p.label })),
      })),
    },
  };
}

