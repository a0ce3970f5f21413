/**
 * The report's charts as inline SVG, drawn by ECharts' server-side renderer (no DOM, no canvas),
 * so the HTML and the PDF made from it carry their charts and open anywhere offline.
 * ECharts is loaded on the first export only: the core and `lcr` start without it.
 */
import type { RetroReport } from '../retrospective.ts';
import { TrafficSources } from '../../../shared/protocol.ts';
import { SOURCE_LABELS } from '../../../shared/retro/labels.ts';
import { adActionText } from '../../../shared/retro/scorecard.ts';
import type { Locale } from '../../../shared/format.ts';
import type * as EChartsModule from 'echarts';

type ECharts = typeof EChartsModule;

let echartsLib: Promise<ECharts> | null = null;
function echarts(): Promise<ECharts> {
  echartsLib ??= import('echarts');
  return echartsLib;
}

export const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554', '#61a0a8', '#d48265'];
const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';

export interface ReportCharts {
  timeline: string;
  rates: string;
  traffic: string;
  segments: string;
  demand: string;
}

async function render(width: number, height: number, option: Record<string, unknown>): Promise<string> {
  const ec = await echarts();
  const chart = ec.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Each product's colour, by its first appearance in the product table (the same in every chart). */
export function productColors(report: RetroReport): Map<string, string> {
  return new Map(report.products.map((p, i) => [p.productId, PALETTE[i % PALETTE.length]!]));
}

function short(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

export async function renderCharts(r: RetroReport, locale: Locale, width = 1000): Promise<ReportCharts> {
  const zh = locale === 'zh-CN';
  const colors = productColors(r);
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const n = Math.max(1, r.minutes.length);
  const startedAt = r.session.startedAt;
  const minuteOf = (ts: number) => Math.max(0, (ts - startedAt) / 60_000);
  const pxPerMin = (width - 120) / n;
  // Segments as coloured bands behind the curves, named where there is room for the name.
  const bands = r.segments.map((s) => {
    const a = minuteOf(s.startTs);
    const b = minuteOf(s.endTs);
    const room = (b - a) * pxPerMin;
    return [
      {
        xAxis: a,
        name: room >= 48 ? short(titles.get(s.productId) ?? s.productId, Math.max(2, Math.floor(room / 13))) : '',
        itemStyle: { color: colors.get(s.productId) ?? '#ccc', opacity: 0.16 },
        label: { color: '#333', fontSize: 10, position: 'insideTop' },
      },
      { xAxis: b },
    ];
  });
  // The event strip: one row per kind of mark, a point per mark at its minute.
  const rows = zh ? ['平台标记', '投放', '建议', '预警', '备注'] : ['Markers', 'Ads', 'Suggestions', 'Alerts', 'Notes'];
  const marks: Array<{ value: [number, number]; name: string; itemStyle: { color: string } }> = [];
  for (const m of r.timeline.markers) marks.push({ value: [m.minute + 0.5, 0], name: m.kind, itemStyle: { color: '#fa8c16' } });
  for (const a of r.timeline.adActions) marks.push({ value: [minuteOf(a.ts), 1], name: adActionText(a, locale), itemStyle: { color: '#722ed1' } });
  for (const d of r.actions) {
    if (d.type !== 'suggestion' || d.action === 'shown') continue;
    marks.push({ value: [minuteOf(d.ts), 2], name: d.action, itemStyle: { color: d.action === 'accepted' ? '#389e0d' : '#8c8c8c' } });
  }
  for (const a of r.alerts) marks.push({ value: [a.minute + 0.5, 3], name: a.kind, itemStyle: { color: '#cf1322' } });
  for (const note of r.notes) marks.push({ value: [note.minute === null ? 0 : note.minute + 0.5, 4], name: note.text, itemStyle: { color: '#1677ff' } });
  const x = r.minutes.map((m) => m.minute + 0.5);
  const axis = (gridIndex: number, show: boolean) => ({
    type: 'value',
    gridIndex,
    min: 0,
    max: n,
    interval: n > 240 ? 60 : n > 60 ? 30 : n > 20 ? 5 : 1,
    axisLabel: { show, fontSize: 10, formatter: (v: number) => (zh ? `${v}分` : `${v}m`) },
    splitLine: { show: false },
  });
  const timeline = await render(width, 360, {
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: [
      { left: 60, right: 60, top: 28, height: 210 },
      { left: 60, right: 60, top: 262, height: 80 },
    ],
    xAxis: [axis(0, true), axis(1, false)],
    yAxis: [
      { type: 'value', gridIndex: 0, name: zh ? '在线' : 'Online', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      { type: 'value', gridIndex: 0, name: zh ? '成交(元)' : 'GMV (¥)', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 }, splitLine: { show: false } },
      { type: 'category', gridIndex: 1, data: rows, axisLabel: { fontSize: 10 }, axisTick: { show: false }, splitLine: { show: true, lineStyle: { color: '#f0f0f0' } } },
    ],
    series: [
      {
        name: zh ? '平均在线' : 'Online (avg)',
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: false,
        lineStyle: { width: 1.5, color: '#1d39c4' },
        itemStyle: { color: '#1d39c4' },
        data: r.minutes.map((m, i) => [x[i], m.onlineAvg]),
        markArea: { silent: true, data: bands },
      },
      {
        name: zh ? '每分钟成交' : 'GMV per minute',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 1,
        barWidth: Math.max(1, pxPerMin * 0.7),
        itemStyle: { color: '#f5a623', opacity: 0.75 },
        data: r.minutes.map((m, i) => [x[i], m.gmvFen / 100]),
      },
      { name: zh ? '事件' : 'Events', type: 'scatter', xAxisIndex: 1, yAxisIndex: 2, symbolSize: 7, data: marks },
    ],
  });
  const rates = await render(width, 200, {
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: { left: 60, right: 60, top: 28, bottom: 24 },
    xAxis: axis(0, true),
    yAxis: [
      { type: 'value', name: 'GPM', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      { type: 'value', name: zh ? '点击率' : 'CTR', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10, formatter: (v: number) => `${(v * 100).toFixed(0)}%` }, splitLine: { show: false } },
    ],
    series: [
      { name: 'GPM', type: 'line', showSymbol: false, lineStyle: { width: 1.2, color: '#d4380d' }, itemStyle: { color: '#d4380d' }, data: r.minutes.map((m, i) => [x[i], m.gpm]), markArea: { silent: true, data: bands.map(([a, b]) => [{ ...a, name: '' }, b]) } },
      { name: zh ? '点击率' : 'CTR', type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { width: 1.2, color: '#08979c' }, itemStyle: { color: '#08979c' }, data: r.minutes.map((m, i) => [x[i], m.ctr]) },
    ],
  });
  const traffic = await render(width, 220, {
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: { left: 60, right: 60, top: 28, bottom: 24 },
    xAxis: axis(0, true),
    yAxis: { type: 'value', name: zh ? '进入人数' : 'Entries', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
    series: TrafficSources.map((src, i) => ({
      name: zh ? SOURCE_LABELS[src].zh : SOURCE_LABELS[src].en,
      type: 'line',
      stack: 'enters',
      areaStyle: { opacity: 0.7 },
      showSymbol: false,
      lineStyle: { width: 0.5 },
      color: PALETTE[i],
      data: r.traffic.perMinute.map((p) => [p.minute + 0.5, p.bySource[src]]),
    })),
  });
  const segs = r.scorecard.segments;
  const segments = await render(width, 240, {
    grid: { left: 60, right: 56, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: segs.map((s) => `${s.index + 1}`), axisLabel: { fontSize: 9, interval: segs.length > 40 ? 'auto' : 0 } },
    yAxis: { type: 'value', name: zh ? '元/分钟' : '¥/min', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
    series: [
      {
        type: 'bar',
        data: segs.map((s) => ({ value: s.gmvPerMin === null ? 0 : Math.round(s.gmvPerMin), itemStyle: { color: s.verdict === 'strong' ? '#389e0d' : s.verdict === 'weak' ? '#cf1322' : colors.get(s.productId) } })),
        markLine:
          r.scorecard.baseline.gmvPerMin === null
            ? undefined
            : { silent: true, symbol: 'none', label: { formatter: zh ? '场均' : 'baseline', fontSize: 10 }, lineStyle: { type: 'dashed', color: '#555' }, data: [{ yAxis: Math.round(r.scorecard.baseline.gmvPerMin) }] },
      },
    ],
  });
  const demand = await render(width, 150, {
    grid: { left: 60, right: 60, top: 20, bottom: 24 },
    xAxis: axis(0, true),
    yAxis: { type: 'value', name: zh ? '需求评论' : 'Demand', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
    series: [{ type: 'bar', barWidth: Math.max(1, pxPerMin * 0.7), itemStyle: { color: '#9254de' }, data: r.demand.perMinute.map((c, m) => [m + 0.5, c]) }],
  });
  return { timeline, rates, traffic, segments, demand };
}
