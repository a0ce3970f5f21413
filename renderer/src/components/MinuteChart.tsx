import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { appStore, series } from '../lib/store.ts';
import { useApp, useT } from '../lib/hooks.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan } from '../../../shared/format.ts';
import { translate } from '../../../shared/i18n/messages.ts';
import type { MinuteRow, ProductRow, SegmentRow } from '../../../shared/metrics/types.ts';
import type { SessionMarker } from '../../../shared/contract.ts';
import { escapeHtml, markerLine, markerMarks, markerTooltipLines } from '../lib/chart-markers.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkAreaComponent, MarkLineComponent, CanvasRenderer]);

const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#c4ccd3'];
const ZOOMS = [10, 30, 60, 0] as const; // 0 = the whole show

function colorOf(productId: string): string {
  let h = 0;
  for (let i = 0; i < productId.length; i++) h = (h * 31 + productId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Segment bands in minute units (fractional), named after the product. */
function bands(segments: readonly SegmentRow[], products: readonly ProductRow[], startedAt: number | null, withLabels: boolean) {
  if (startedAt === null) return [];
  const title = new Map(products.map((p) => [p.productId, p.title]));
  return segments.map((s) => [
    {
      xAxis: (s.startTs - startedAt) / 60_000,
      itemStyle: { color: colorOf(s.productId), opacity: 0.13 },
      label: withLabels ? { show: true, position: 'insideTopLeft' as const, color: '#c9d1e3', fontSize: 11, formatter: shorten(title.get(s.productId) ?? s.productId) } : { show: false },
    },
    { xAxis: (s.endTs - startedAt) / 60_000 },
  ]);
}

function shorten(t: string): string {
  return t.length > 8 ? t.slice(0, 8) + '…' : t;
}

/**
 * L2: the whole show minute by minute. Top: online (average, max), entries and GMV per minute;
 * bottom: GPM and CTR. Product segments are coloured bands named after the product; pins, alerts
 * and platform markers (秒杀, 福袋 … tagged in a lane above the plot) are marks. Updated imperatively from MinuteSeries and the store: React renders this component
 * once per room/locale/zoom, never per data update.
 */
export function MinuteChart() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const roomId = useApp((s) => s.selectedRoomId);
  const zoom = useApp((s) => s.zoom);
  const setZoom = (z: (typeof ZOOMS)[number]) => appStore.setState({ zoom: z });
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    // Instrumentation (cheap, permanent): each series update becomes one 'lcr:chart-update'
    // performance measure of the real work. setOption is lazy, so ECharts does the data
    // processing, layout and canvas drawing in its next animation frame (zrender's rAF loop);
    // the measure is the synchronous part (building the arrays, merging the option) plus that
    // frame's work, from the frame's start to ECharts' 'updated' event (which comes at the end of
    // the lazy update, or of a resize that took it over) — idle waiting for the frame is not counted. The frame's start is taken by a no-op rAF loop started before
    // echarts.init, so its callback runs first in every frame (the rAF timestamp would be the
    // vsync time, which falls inside whatever task was running then). Pushes that land before
    // the same frame are one update. A resize re-renders the whole chart synchronously:
    // 'lcr:chart-resize'. Measures are cleared now and then so an 8-hour show does not fill the
    // timeline; a PerformanceObserver (npm run bench:ui) still sees every one.
    let pending: { start: number; syncMs: number; syncEnd: number; frameStart: number | null; points: number; coalesced: number } | null = null;
    let measured = 0;
    const record = (name: string, start: number, duration: number, detail: Record<string, number | boolean>) => {
      performance.measure(name, { start, duration, detail });
      if (++measured % 1000 === 0) {
        performance.clearMeasures('lcr:chart-update');
        performance.clearMeasures('lcr:chart-resize');
      }
    };
    let probing = true;
    const frameProbe = () => {
      if (!probing) return;
      requestAnimationFrame(frameProbe);
      if (!pending) return;
      if (pending.frameStart === null) {
        pending.frameStart = performance.now();
      } else {
        // A frame went by without ECharts' 'updated' (e.g. a resize took the pending update): the synchronous part only.
        record('lcr:chart-update', pending.start, pending.syncMs, { syncMs: pending.syncMs, renderMs: 0, points: pending.points, coalesced: pending.coalesced, noFrame: true });
        pending = null;
      }
    };
    requestAnimationFrame(frameProbe);
    const chart = echarts.init(node, 'dark', { renderer: 'canvas' });
    chart.on('updated', () => {
      const p = pending;
      if (!p || p.frameStart === null) return;
      pending = null;
      const renderMs = performance.now() - Math.max(p.frameStart, p.syncEnd);
      record('lcr:chart-update', p.start, p.syncMs + renderMs, { syncMs: p.syncMs, renderMs, points: p.points, coalesced: p.coalesced });
    });
    const axisLabel = { color: '#8b95ad' };
    const split = { lineStyle: { color: '#263047' } };
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      legend: { top: 0, textStyle: { color: '#c9d1e3' } },
      // Exact, identical bounds for both grids (ECharts 6 would otherwise fit each grid around its
      // own axis labels), so a minute sits at the same x in both and the bands line up.
      grid: [
        // top 54: a lane under the legend for the platform markers' tags.
        { left: 72, right: 72, top: 54, height: '47%', outerBoundsMode: 'none' },
        { left: 72, right: 72, top: '70%', bottom: 28, outerBoundsMode: 'none' },
      ],
      tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, confine: true },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      xAxis: [
        { type: 'value', gridIndex: 0, min: 0, max: 'dataMax', minInterval: 1, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}′` }, splitLine: { show: false } },
        { type: 'value', gridIndex: 1, min: 0, max: 'dataMax', minInterval: 1, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}′` }, splitLine: { show: false } },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, axisLabel: { ...axisLabel, formatter: (v: number) => formatCount(v, locale) }, splitLine: split },
        { type: 'value', gridIndex: 0, axisLabel: { ...axisLabel, formatter: (v: number) => formatMoneyFen(v * 100, locale) }, splitLine: { show: false } },
        { type: 'value', gridIndex: 1, axisLabel: { ...axisLabel, formatter: (v: number) => formatYuan(v, locale) }, splitLine: split },
        { type: 'value', gridIndex: 1, axisLabel: { ...axisLabel, formatter: (v: number) => formatRate(v, 0) }, splitLine: { show: false } },
      ],
      dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' }],
      series: [
        { id: 'onlineAvg', name: t('chart.onlineAvg'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 2, color: '#4fc3f7' }, itemStyle: { color: '#4fc3f7' }, data: [], z: 3 },
        { id: 'onlineMax', name: t('chart.onlineMax'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 1, type: 'dashed', color: '#81d4fa' }, itemStyle: { color: '#81d4fa' }, data: [] },
        { id: 'enters', name: t('chart.enters'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 1, color: '#9575cd' }, itemStyle: { color: '#9575cd' }, data: [] },
        { id: 'gmv', name: t('chart.gmvPerMin'), type: 'bar', xAxisIndex: 0, yAxisIndex: 1, itemStyle: { color: '#ffb74d' }, barMaxWidth: 12, large: true, largeThreshold: 120, data: [] },
        { id: 'gpm', name: t('chart.gpm'), type: 'line', xAxisIndex: 1, yAxisIndex: 2, showSymbol: false, lineStyle: { width: 2, color: '#aed581' }, itemStyle: { color: '#aed581' }, data: [] },
        { id: 'ctr', name: t('chart.ctr'), type: 'line', xAxisIndex: 1, yAxisIndex: 3, showSymbol: false, lineStyle: { width: 2, color: '#f06292' }, itemStyle: { color: '#f06292' }, data: [] },
        // ECharts widens a value axis to fit half a bar at each end; an invisible bar series gives the
        // lower grid the same widening, so the two x axes stay identical.
        { id: 'align', type: 'bar', xAxisIndex: 1, yAxisIndex: 2, barMaxWidth: 12, large: true, largeThreshold: 120, silent: true, itemStyle: { opacity: 0 }, tooltip: { show: false }, data: [] },
      ],
    });

    let rows: readonly MinuteRow[] = [];
    let markers: readonly SessionMarker[] = [];
    const tooltipFormatter = (params: unknown): string => {
      const list = params as Array<{ value: [number, number | null] }>;
      const m = Math.floor(list[0]?.value[0] ?? 0);
      const r = rows[m];
      if (!r) return '';
      const st = appStore.getState();
      const pinned = r.pinnedProductId ? (st.products.find((p) => p.productId === r.pinnedProductId)?.title ?? r.pinnedProductId) : '—';
      const L = (k: Parameters<typeof translate>[1]) => translate(locale, k);
      const line = (label: string, v: string) => `<div style="display:flex;justify-content:space-between;gap:16px"><span>${label}</span><b>${v}</b></div>`;
      return [
        `<div style="font-weight:700;margin-bottom:4px">${L('chart.minute').replace('{m}', String(m))}</div>`,
        line(L('chart.onlineAvg'), formatCount(r.onlineAvg, locale)),
        line(L('chart.onlineMax'), formatCount(r.onlineMax, locale)),
        line(L('chart.enters'), formatCount(r.enters, locale)),
        line(L('chart.gmvPerMin'), formatMoneyFen(r.gmvFen, locale)),
        line(L('metric.orders'), formatCount(r.orders, locale)),
        line(L('chart.gpm'), formatYuan(r.gpm, locale)),
        line(L('chart.ctr'), formatRate(r.ctr)),
        line(L('room.pinned').replace(/[：:]\s*$/, ''), escapeHtml(pinned)),
        ...markerTooltipLines(markers, m, locale),
      ].join('');
    };
    chart.setOption({ tooltip: { formatter: tooltipFormatter } });

    const applyZoom = () => {
      const last = Math.max(rows.length, 1);
      const z = Number(node.dataset.zoom ?? 0);
      chart.dispatchAction(zoomAction(z, last));
    };
    const renderSeries = (next: readonly MinuteRow[]) => {
      const t0 = performance.now();
      rows = next;
      node.dataset.points = String(rows.length);
      node.dataset.lastGmvFen = String(rows.at(-1)?.gmvFen ?? '');
      // Points at the middle of each minute, so a bar sits inside its minute's band.
      const at = (r: MinuteRow) => r.minute + 0.5;
      // Both grids share one x range (whole minutes), so bands and points line up across them.
      // At least 10 minutes wide: early in a show a 1-minute axis would be stretched by the bars'
      // half-width padding and put minute 0 in the middle of the chart.
      const xMax = Math.max(10, rows.length);
      chart.setOption(
        {
          xAxis: [{ max: xMax }, { max: xMax }],
          series: [
            { id: 'onlineAvg', data: rows.map((r) => [at(r), r.onlineAvg === null ? null : Math.round(r.onlineAvg)]) },
            { id: 'onlineMax', data: rows.map((r) => [at(r), r.onlineMax]) },
            { id: 'enters', data: rows.map((r) => [at(r), r.enters]) },
            { id: 'gmv', data: rows.map((r) => [at(r), r.gmvFen / 100]) },
            { id: 'gpm', data: rows.map((r) => [at(r), r.gpm]) },
            { id: 'ctr', data: rows.map((r) => [at(r), r.ctr]) },
            { id: 'align', data: rows.map((r) => [at(r), 0]) },
          ],
        },
        { lazyUpdate: true },
      );
      if (Number(node.dataset.zoom ?? 0)) applyZoom();
      const syncEnd = performance.now();
      const syncMs = syncEnd - t0;
      if (pending) {
        pending.syncMs += syncMs;
        pending.syncEnd = syncEnd;
        pending.points = rows.length;
        pending.coalesced++;
      } else {
        pending = { start: t0, syncMs, syncEnd, frameStart: null, points: rows.length, coalesced: 1 };
      }
    };
    const renderMarks = () => {
      const st = appStore.getState();
      const startedAt = st.room?.session?.startedAt ?? null;
      const pins = startedAt === null ? [] : st.segments.map((s) => ({ xAxis: (s.startTs - startedAt) / 60_000, lineStyle: { color: colorOf(s.productId), type: 'solid' as const, width: 1 } }));
      node.dataset.segments = String(st.segments.length);
      // Alerts of this room as red marks at the end of the minute they were raised in.
      const roomAlerts = st.alerts.filter((a) => a.roomId === st.selectedRoomId && a.sessionId === st.room?.session?.sessionId);
      const alertMarks = roomAlerts.map((a) => ({
        xAxis: a.minute + 1,
        lineStyle: { color: '#ef5350', type: 'dashed' as const, width: 1.5 },
        label: { show: true, position: 'insideEndTop' as const, color: '#ef5350', fontSize: 10, formatter: '⚠' },
      }));
      node.dataset.alertMarks = String(alertMarks.length);
      // Platform markers of this session: their own markLine (on 'enters'), hoverable for their text.
      markers = startedAt === null ? [] : st.markers;
      node.dataset.markerMarks = String(markers.length);
      chart.setOption(
        {
          series: [
            { id: 'onlineAvg', markArea: { silent: true, data: bands(st.segments, st.products, startedAt, true) }, markLine: { silent: true, symbol: 'none', label: { show: false }, data: [...pins, ...alertMarks] } },
            {
              id: 'enters',
              markLine: {
                symbol: 'none',
                tooltip: { trigger: 'item', formatter: (p: { dataIndex: number }) => (markers[p.dataIndex] ? markerLine(markers[p.dataIndex]!, locale) : '') },
                data: startedAt === null ? [] : markerMarks(markers, startedAt, locale),
              },
            },
            { id: 'gpm', markArea: { silent: true, data: bands(st.segments, st.products, startedAt, false) } },
          ],
        },
        { lazyUpdate: true },
      );
    };
    const offSeries = series.subscribe(renderSeries);
    // Segments arrive as a new array every second; the bands only need redrawing when they look
    // different: a new segment, or the open one grown by a tenth of a minute.
    const marksKey = (segs: readonly SegmentRow[]) => {
      const last = segs.at(-1);
      const st = appStore.getState();
      return `${segs.length}:${last?.productId ?? ''}:${last ? Math.floor(last.endTs / 6000) : 0}:${st.alerts.length}:${st.markers.length}:${st.markers.at(-1)?.seq ?? ''}`;
    };
    let lastKey = marksKey(appStore.getState().segments);
    renderMarks();
    const offStore = appStore.subscribe((s) => {
      const key = marksKey(s.segments);
      if (key !== lastKey) {
        lastKey = key;
        renderMarks();
      }
    });
    applyZoom();
    // A resize is a full synchronous redraw: only when the box really changed size (the observer
    // also fires once right after observe(), at the size the chart was just created with).
    let lastBox = `${node.clientWidth}x${node.clientHeight}`;
    const resize = new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      const size = box ? `${Math.round(box.width)}x${Math.round(box.height)}` : lastBox;
      if (size === lastBox) return;
      lastBox = size;
      const t0 = performance.now();
      chart.resize();
      record('lcr:chart-resize', t0, performance.now() - t0, { points: rows.length, width: box?.width ?? node.clientWidth, height: box?.height ?? node.clientHeight });
    });
    resize.observe(node);
    return () => {
      probing = false;
      offSeries();
      offStore();
      resize.disconnect();
      chart.dispose();
    };
  }, [locale, roomId, t]);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    node.dataset.zoom = String(zoom);
    const chart = echarts.getInstanceByDom(node);
    const last = Math.max(series.current.length, 1);
    chart?.dispatchAction(zoomAction(zoom, last));
  }, [zoom, roomId, locale]);

  return (
    <section className="panel chart-panel">
      <h2 className="chart-head">
        {t('chart.title')}
        <span className="zooms">
          {ZOOMS.map((z) => (
            <button key={z} className={z === zoom ? 'zoom active' : 'zoom'} data-testid={`zoom-${z || 'all'}`} onClick={() => setZoom(z)}>
              {z ? `${z}${t('chart.zoom.min')}` : t('chart.zoom.all')}
            </button>
          ))}
        </span>
      </h2>
      <div ref={el} className="chart" data-testid="minute-chart" data-points="0" />
    </section>
  );
}

/**
 * The last N minutes as values; the whole show as 0–100 %, so the window keeps covering the whole
 * axis as the show grows (fixed values would freeze it at the minutes that existed then).
 */
function zoomAction(minutes: number, last: number) {
  return minutes ? { type: 'dataZoom', startValue: Math.max(0, last - minutes), endValue: last } : { type: 'dataZoom', start: 0, end: 100 };
}

