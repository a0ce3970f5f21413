import { minuteLabel } from '../../../../shared/minutes.ts';
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useApp, useT } from '../../lib/hooks.ts';
import { formatCount, formatMoneyFen, getDisplayCurrency, type Locale } from '../../../../shared/format.ts';
import { currencyMark } from '../../../../shared/currency.ts';
import { translate } from '../../../../shared/i18n/messages.ts';
import type { AdConsoleView } from '../../../../shared/ads/console.ts';
import { adActionText, adTag } from './ad-marks.ts';
import { escapeHtml } from '../../../../shared/html.ts';
import { valueScaleIn } from '../../lib/marks-layer.ts';
import { minuteIndex } from '../../../../shared/metrics/window.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

const COLORS = { spend: '#ef9a9a', gmv: '#4fc3f7', adGmv: '#ffb74d', paid: '#ce93d8', roi: '#81c784', target: '#ffb74d', breakEven: '#ef5350', mark: '#ba68c8' };
/** The bottom plot's ROI: GMV ÷ spend over this many minutes up to each minute (one minute is too noisy). */
export const ROI_WINDOW_MIN = 3;

/** ROI over the last `w` minutes up to each minute; null without spend. */
export function rollingRoi(gmv: readonly number[], spend: readonly number[], w = ROI_WINDOW_MIN): Array<number | null> {
  const out: Array<number | null> = [];
  let g = 0;
  let s = 0;
  for (let i = 0; i < gmv.length; i++) {
    g += gmv[i] ?? 0;
    s += spend[i] ?? 0;
    if (i >= w) {
      g -= gmv[i - w] ?? 0;
      s -= spend[i - w] ?? 0;
    }
    out.push(s > 0 ? Math.round((g / s) * 100) / 100 : null);
  }
  return out;
}

/** The chart's option for a console view: pure, so a test can read what is drawn. */
export function adChartOption(v: AdConsoleView, locale: Locale) {
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  const xs = v.series.spendFen.map((_, i) => i);
  const pair = <T,>(col: readonly T[]) => col.map((y, i) => [xs[i], y] as [number, T]);
  const roiCol = rollingRoi(v.series.gmvFen, v.series.spendFen);
  const marks = v.actions.map((a) => ({ xAxis: Math.max(0, (a.ts - v.startedAt) / 60_000), name: adTag(a, locale), label: { formatter: adTag(a, locale) } }));
  const be = v.economics.breakEvenRoi;
  const roiLines: Array<{ yAxis: number; name: string; lineStyle: { color: string; type: 'dashed' | 'solid'; width: number }; label: { formatter: string; color: string; position: 'insideEndTop' | 'insideEndBottom' } }> = [
    { yAxis: v.targetRoi, name: t('ads.target'), lineStyle: { color: COLORS.target, type: 'dashed', width: 1.5 }, label: { formatter: `${t('ads.target')} ${v.targetRoi.toFixed(2)}`, color: COLORS.target, position: 'insideEndTop' as const } },
  ];
  if (be !== null) roiLines.push({ yAxis: round2(be), name: t('ads.breakEven'), lineStyle: { color: COLORS.breakEven, type: 'solid', width: 1.5 }, label: { formatter: `${t('ads.breakEven')} ${be.toFixed(2)}`, color: COLORS.breakEven, position: 'insideEndBottom' as const } });
  // The ROI axis reaches the highest ROI drawn and both reference lines, on a round scale: nothing
  // is clipped. Three splits: the ROI plot is short, five labels touched.
  const roiScale = valueScaleIn(Math.max(v.targetRoi, be ?? 0, ...roiCol.map((r) => r ?? 0)) * 1.05, 3);
  const last = Math.max(1, xs.length - 1);
  const actionMark = {
    symbol: 'none',
    silent: false,
    animation: false,
    lineStyle: { color: COLORS.mark, type: 'dotted' as const, width: 2 },
    label: { show: true, position: 'end' as const, color: COLORS.mark, fontSize: 11 },
    data: marks,
  };
  // The same actions on the lower plots, without their labels (the top plot names them).
  const quietMarks = { symbol: 'none', silent: true, animation: false, data: marks.map((m) => ({ xAxis: m.xAxis, lineStyle: { color: COLORS.mark, type: 'dotted' as const, width: 2 }, label: { show: false } })) };
  // Money per minute in the room's currency (¥ for a Douyin room, $ for a US TikTok Shop).
  const perMin = `${currencyMark(getDisplayCurrency()).trim()}/min`;
  return {
    animation: false,
    backgroundColor: 'transparent',
    legend: { top: 0, textStyle: { color: '#c8d0e0' }, data: [t('ads.chart.spend'), t('ads.chart.gmv'), t('ads.chart.adGmv'), t('ads.chart.paidEnters'), t('ads.chart.roi')] },
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'line' as const },
      formatter: (params: Array<{ axisValue: number }>) => {
        const m = Math.round(Number(params[0]?.axisValue ?? 0));
        const lines = [
          `<b>${minuteLabel(m, locale)}</b>`,
          `${t('ads.chart.spend')}: ${formatMoneyFen(v.series.spendFen[m] ?? null, locale)}`,
          `${t('ads.chart.gmv')}: ${formatMoneyFen(v.series.gmvFen[m] ?? null, locale)}`,
          `${t('ads.chart.adGmv')}: ${formatMoneyFen(v.series.adGmvFen[m] ?? null, locale)}`,
          `${t('ads.chart.paidEnters')}: ${formatCount(v.series.paidEnters[m] ?? null, locale)} · ${t('ads.organicEnters')}: ${formatCount(v.series.organicEnters[m] ?? null, locale)}`,
          `${t('ads.chart.roi')}: ${roiCol[m]?.toFixed(2) ?? '—'}`,
          `${t('ads.profit')}: ${formatMoneyFen(v.series.profitFen[m] ?? null, locale)}`,
        ];
        for (const a of v.actions) {
          if (minuteIndex(a.ts, v.startedAt) !== m) continue;
          lines.push(`<div style="max-width:380px;white-space:normal;margin-top:4px"><span style="color:${COLORS.mark}">■</span> ${escapeHtml(adActionText(a, locale))}</div>`);
        }
        return lines.join('<br/>');
      },
    },
    // Three plots on one time axis, each figure on an axis of its own unit: GMV; spend (bars, its
    // own ¥ axis: on the GMV axis it was a sliver) with paid entries; ROI.
    grid: [
      { left: 64, right: 64, top: 40, height: '34%' },
      { left: 64, right: 64, top: '50%', height: '18%' },
      { left: 64, right: 64, top: '76%', bottom: 28 },
    ],
    xAxis: [0, 1, 2].map((gridIndex) => ({
      type: 'value' as const,
      gridIndex,
      min: 0,
      max: last,
      axisLabel: gridIndex === 2 ? { color: '#8b95ad', formatter: (x: number) => `${x}′` } : { show: false },
      splitLine: { show: false },
    })),
    yAxis: [
      { type: 'value' as const, gridIndex: 0, name: `${t('ads.chart.gmv')} ${perMin}`, nameTextStyle: { color: '#8b95ad', align: 'left' as const }, axisLabel: { color: '#8b95ad', formatter: (y: number) => formatMoneyFen(y, locale) }, splitLine: { lineStyle: { color: '#263047' } } },
      { type: 'value' as const, gridIndex: 1, name: `${t('ads.chart.spend')} ${perMin}`, nameTextStyle: { color: COLORS.spend, align: 'left' as const }, axisLabel: { color: COLORS.spend, formatter: (y: number) => formatMoneyFen(y, locale) }, splitLine: { lineStyle: { color: '#263047' } }, splitNumber: 2 },
      { type: 'value' as const, gridIndex: 1, position: 'right' as const, name: t('ads.chart.paidEnters'), nameTextStyle: { color: COLORS.paid, align: 'right' as const }, axisLabel: { color: COLORS.paid }, splitLine: { show: false }, splitNumber: 2 },
      { type: 'value' as const, gridIndex: 2, name: 'ROI', nameTextStyle: { color: '#8b95ad' }, ...roiScale, axisLabel: { color: '#8b95ad' }, splitLine: { lineStyle: { color: '#263047' } } },
    ],
    series: [
      { name: t('ads.chart.spend'), type: 'bar' as const, xAxisIndex: 1, yAxisIndex: 1, data: pair(v.series.spendFen), itemStyle: { color: COLORS.spend }, barMaxWidth: 10, markLine: quietMarks },
      { name: t('ads.chart.gmv'), type: 'line' as const, xAxisIndex: 0, yAxisIndex: 0, data: pair(v.series.gmvFen), showSymbol: false, lineStyle: { width: 2, color: COLORS.gmv }, itemStyle: { color: COLORS.gmv }, markLine: actionMark },
      { name: t('ads.chart.adGmv'), type: 'line' as const, xAxisIndex: 0, yAxisIndex: 0, data: pair(v.series.adGmvFen), showSymbol: false, lineStyle: { width: 1.5, color: COLORS.adGmv }, itemStyle: { color: COLORS.adGmv } },
      { name: t('ads.chart.paidEnters'), type: 'line' as const, xAxisIndex: 1, yAxisIndex: 2, data: pair(v.series.paidEnters), showSymbol: false, lineStyle: { width: 1.5, color: COLORS.paid, type: 'dashed' as const }, itemStyle: { color: COLORS.paid } },
      {
        name: t('ads.chart.roi'),
        type: 'line' as const,
        xAxisIndex: 2,
        yAxisIndex: 3,
        data: pair(roiCol),
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 2, color: COLORS.roi },
        itemStyle: { color: COLORS.roi },
        markLine: { ...quietMarks, data: [...roiLines, ...quietMarks.data] },
      },
    ],
  };
}


function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * GMV, then spend with paid entries, then ROI over the last 3 minutes against the room's
 * target and break-even lines — three plots on one time axis, each figure on an axis of its own;
 * every ad action a dotted mark with its change (the tooltip says who and why). Updated with the
 * console's push, at most once a second.
 */
export function AdChart({ view }: { view: AdConsoleView }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const node = useRef<HTMLDivElement | null>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!node.current) return;
    const c = echarts.init(node.current, 'dark', { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(adChartOption(view, locale), { notMerge: true, lazyUpdate: true });
  }, [view, locale]);

  return (
    <section className="panel chart-panel ad-chart-panel" data-testid="ad-chart" data-minutes={view.series.spendFen.length} data-marks={view.actions.length} data-target={view.targetRoi} data-break-even={view.economics.breakEvenRoi ?? ''}>
      <div className="chart-head">
        <h2>{t('ads.chart.title')}</h2>
      </div>
      <div className="chart" ref={node} />
    </section>
  );
}
