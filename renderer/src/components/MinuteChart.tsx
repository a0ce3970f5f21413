import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { appStore, series } from '../lib/store.ts';
import { useApp, useT } from '../lib/hooks.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan } from '../../../shared/format.ts';
import { translate } from '../../../shared/i18n/messages.ts';
import type { MinuteRow } from '../../../shared/metrics/types.ts';
import type { SessionMarker } from '../../../shared/contract.ts';
import { escapeHtml, markerMarks, markerTooltipLines } from '../lib/chart-markers.ts';
import { axisEnd, drawMarks, GRID, valueScale, type Marks, type TagBox, type ValueScale } from '../lib/marks-layer.ts';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#c4ccd3'];
const ZOOMS = [10, 30, 60, 0] as const; // 0 = the whole show

/** The six series: id, the y axis they share (0–1 top grid, 2–3 bottom) and the minute's figure. */
const SERIES = [
  { id: 'onlineAvg', yAxis: 0, value: (r: MinuteRow) => (r.onlineAvg === null ? null : Math.round(r.onlineAvg)) },
  { id: 'onlineMax', yAxis: 0, value: (r: MinuteRow) => r.onlineMax },
  { id: 'enters', yAxis: 0, value: (r: MinuteRow) => r.enters },
  { id: 'gmv', yAxis: 1, value: (r: MinuteRow) => r.gmvFen / 100 },
  { id: 'gpm', yAxis: 2, value: (r: MinuteRow) => r.gpm },
  { id: 'ctr', yAxis: 3, value: (r: MinuteRow) => r.ctr },
] as const;

function colorIndex(productId: string): number {
  let h = 0;
  for (let i = 0; i < productId.length; i++) h = (h * 31 + productId.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

function colorOf(productId: string): string {
  return PALETTE[colorIndex(productId)]!;
}

/**
 * Exact, identical bounds for both grids (ECharts 6 would otherwise fit each grid around its own
 * axis labels), so a minute sits at the same x in both and on the marks layer, which draws to the
 * same GRID. Top 54: a lane under the legend for the platform markers' tags.
 */
const GRIDS = [
  { left: GRID.left, right: GRID.right, top: GRID.topTop, height: `${GRID.topHeight * 100}%`, outerBoundsMode: 'none' as const },
  { left: GRID.left, right: GRID.right, top: `${GRID.bottomTop * 100}%`, bottom: GRID.bottomBottom, outerBoundsMode: 'none' as const },
];

/**
 * The series layer starts this far below the box's top, so the legend above it (on the axes
 * layer) takes its own clicks; its grids are GRIDS moved up by as much, in px of the box's height.
 */
const LEGEND_STRIP = 30;
function seriesGrids(height: number) {
  const bottomTop = GRID.bottomTop * height;
  return [
    { left: GRID.left, right: GRID.right, top: GRID.topTop - LEGEND_STRIP, height: GRID.topHeight * height, outerBoundsMode: 'none' as const },
    { left: GRID.left, right: GRID.right, top: bottomTop - LEGEND_STRIP, height: Math.max(0, height - GRID.bottomBottom - bottomTop), outerBoundsMode: 'none' as const },
  ];
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

/**
 * L2: the whole show minute by minute. Top: online (average, max), entries and GMV per minute;
 * bottom: GPM and CTR. Product segments are coloured bands named after the product; pins, alerts
 * and platform markers (秒杀, 福袋 … tagged in a lane above the plot) are marks. Updated
 * imperatively from MinuteSeries and the store: React renders this component once per
 * room/locale/zoom, never per data update.
 *
 * Three layers in one box, because an ECharts instance re-renders every component it has on
 * every update (its pipeline has no partial update for a line series that gained a point):
 *  - marks (bottom): bands, pins, alerts, markers on a plain canvas (marks-layer.ts), redrawn
 *    only when they change;
 *  - axes: an ECharts instance with the legend, both grids' axes, tick labels and split lines,
 *    re-rendered only when the zoom window or an axis's scale moves — a few times an hour. The
 *    scales are fixed and computed here (valueScale: what ECharts itself would pick), the x axis
 *    ends at a round minute (axisEnd);
 *  - series (top, transparent): an ECharts instance with the six series over hidden axes at the
 *    same scales, the tooltip and the mouse's zoom, starting below the legend's strip so the
 *    legend takes its own clicks. Only this one is updated with each push, with the series as
 *    typed arrays (no copy or parsing of the option's data). About half the work per update of a
 *    single instance with everything (npm run bench:ui, README).
 */
export function MinuteChart() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const roomId = useApp((s) => s.selectedRoomId);
  const zoom = useApp((s) => s.zoom);
  const setZoom = (z: (typeof ZOOMS)[number]) => appStore.setState({ zoom: z });
  const el = useRef<HTMLDivElement>(null);
  const marksEl = useRef<HTMLCanvasElement>(null);
  const axesEl = useRef<HTMLDivElement>(null);
  const seriesEl = useRef<HTMLDivElement>(null);
  /** Sets the zoom window of both layers (from the buttons and shortcuts); null while no chart. */
  const zoomTo = useRef<((z: number) => void) | null>(null);

  useEffect(() => {
    const node = el.current;
    const canvas = marksEl.current;
    const axesNode = axesEl.current;
    const seriesNode = seriesEl.current;
    if (!node || !canvas || !axesNode || !seriesNode) return;
    // Instrumentation (cheap, permanent): each series update becomes one 'lcr:chart-update'
    // performance measure of the real work. setOption is lazy, so ECharts does the data
    // processing, layout and canvas drawing in its next animation frame (zrender's rAF loop);
    // the measure is the synchronous part (building the arrays, merging the option, and redrawing
    // the marks layer when it changed) plus that frame's work, from the frame's start to ECharts'
    // 'updated' event (which comes at the end of the lazy update, or of a resize that took it
    // over) — idle waiting for the frame is not counted. The frame's start is taken by a no-op rAF
    // loop started before echarts.init, so its callback runs first in every frame (the rAF
    // timestamp would be the vsync time, which falls inside whatever task was running then).
    // Pushes that land before the same frame are one update. A marks redraw with no series update
    // pending is an 'lcr:chart-marks' measure; a resize re-renders the whole chart synchronously:
    // 'lcr:chart-resize'. Measures are cleared now and then so an 8-hour show does not fill the
    // timeline; a PerformanceObserver (npm run bench:ui) still sees every one.
    let pending: { start: number; syncMs: number; syncEnd: number; frameStart: number | null; points: number; coalesced: number } | null = null;
    let measured = 0;
    const record = (name: string, start: number, duration: number, detail: Record<string, number | boolean>) => {
      performance.measure(name, { start, duration, detail });
      if (++measured % 1000 === 0) {
        performance.clearMeasures('lcr:chart-update');
        performance.clearMeasures('lcr:chart-marks');
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
    // The axes layer first: a resize or the first render then paints it before the series.
    const axes = echarts.init(axesNode, 'dark', { renderer: 'canvas' });
    const chart = echarts.init(seriesNode, 'dark', { renderer: 'canvas' });
    chart.on('updated', () => {
      const p = pending;
      if (!p || p.frameStart === null) return;
      pending = null;
      const renderMs = performance.now() - Math.max(p.frameStart, p.syncEnd);
      record('lcr:chart-update', p.start, p.syncMs + renderMs, { syncMs: p.syncMs, renderMs, points: p.points, coalesced: p.coalesced });
    });

    let rows: readonly MinuteRow[] = [];
    let markers: readonly SessionMarker[] = [];
    let xMax = axisEnd(0);
    // The zoom window: minutes as values, or a share of the axis (the whole show, the mouse wheel).
    let zoomWindow: { startValue: number; endValue: number } | { start: number; end: number } = { start: 0, end: 100 };
    /** The minutes at the plots' left and right edges. */
    const windowRange = (): [number, number] => {
      const w = zoomWindow;
      return 'startValue' in w ? [w.startValue, w.endValue] : [(w.start / 100) * xMax, (w.end / 100) * xMax];
    };
    // Series switched off in the legend do not count for their axis's scale, as in ECharts.
    const names: string[] = [t('chart.onlineAvg'), t('chart.onlineMax'), t('chart.enters'), t('chart.gmvPerMin'), t('chart.gpm'), t('chart.ctr')];
    let hidden = new Set<string>();
    const scalesOf = (): ValueScale[] => {
      const max = [0, 0, 0, 0];
      for (const s of SERIES) {
        if (hidden.has(s.id)) continue;
        let m = max[s.yAxis]!;
        for (const r of rows) {
          const v = s.value(r);
          if (v !== null && v > m) m = v;
        }
        max[s.yAxis] = m;
      }
      return max.map(valueScale);
    };
    let scales = scalesOf();
    const scalesKey = (sc: readonly ValueScale[]) => sc.map((x) => `${x.max}/${x.interval}`).join(':');

    const axisLabel = { color: '#8b95ad' };
    const split = { lineStyle: { color: '#263047' } };
    const minuteLabel = (v: number) => `${v}′`;
    const formatters = [
      memo((v) => formatCount(v, locale)),
      memo((v) => formatMoneyFen(v * 100, locale)),
      memo((v) => formatYuan(v, locale)),
      memo((v) => formatRate(v, 0)),
    ];
    // The six series' looks: data on the series layer; on the axes layer, empty, for the legend.
    const seriesStyles = [
      { id: 'onlineAvg', name: names[0], type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 2, color: '#4fc3f7' }, itemStyle: { color: '#4fc3f7' }, z: 3 },
      { id: 'onlineMax', name: names[1], type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 1, type: 'dashed', color: '#81d4fa' }, itemStyle: { color: '#81d4fa' } },
      { id: 'enters', name: names[2], type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 1, color: '#9575cd' }, itemStyle: { color: '#9575cd' } },
      { id: 'gmv', name: names[3], type: 'bar', xAxisIndex: 0, yAxisIndex: 1, itemStyle: { color: '#ffb74d' }, barMaxWidth: 12, large: true, largeThreshold: 120 },
      { id: 'gpm', name: names[4], type: 'line', xAxisIndex: 1, yAxisIndex: 2, showSymbol: false, lineStyle: { width: 2, color: '#aed581' }, itemStyle: { color: '#aed581' } },
      { id: 'ctr', name: names[5], type: 'line', xAxisIndex: 1, yAxisIndex: 3, showSymbol: false, lineStyle: { width: 2, color: '#f06292' }, itemStyle: { color: '#f06292' } },
    ] as const;
    let axesKey = '';
    let axesQueued = 0;
    /**
     * The axes layer: the legend, both grids' axes, tick labels and split lines at the fixed
     * scales (the series layer above takes the mouse but for the legend's strip); the window is
     * the x axes' min and max, where the series layer has its dataZoom.
     *
     * Re-renders the axes layer when the window or a scale moved — in a task of its own, after the
     * one that moved it (a push, a zoom) and before the next frame, where the series layer
     * re-renders: no task does both, and both canvases show the change in the same frame. The
     * first call sets the whole option.
     */
    const renderAxes = () => {
      const [from, to] = windowRange();
      if (`${from}:${to}:${scalesKey(scales)}` === axesKey || axesQueued) return;
      axesQueued = window.setTimeout(() => {
        axesQueued = 0;
        const [from, to] = windowRange();
        const key = `${from}:${to}:${scalesKey(scales)}`;
        if (key === axesKey) return;
        const first = axesKey === '';
        axesKey = key;
        const t0 = performance.now();
        const xAxis = [0, 1].map((gridIndex) => ({ min: from, max: to, ...(first ? { type: 'value', gridIndex, minInterval: 1, axisLabel: { ...axisLabel, formatter: minuteLabel }, splitLine: { show: false } } : {}) }));
        const yAxis = scales.map((sc, i) => ({ ...sc, ...(first ? { type: 'value', gridIndex: i < 2 ? 0 : 1, axisLabel: { ...axisLabel, formatter: formatters[i] }, splitLine: i % 2 ? { show: false } : split } : {}) }));
        axes.setOption(
          first
            ? { backgroundColor: 'transparent', animation: false, legend: { top: 0, textStyle: { color: '#c9d1e3' } }, grid: GRIDS, series: seriesStyles.map((st) => ({ ...st, data: [] })), xAxis, yAxis }
            : { xAxis, yAxis },
        );
        record('lcr:chart-axes', t0, performance.now() - t0, { points: rows.length });
      }, 0);
    };
    renderAxes();

    // The series layer: the six series, the tooltip and the mouse (zoom), over hidden axes at the
    // same scales, below the legend's strip. Both x axes exactly [0, xMax]: no widening for the
    // bars' half-width (containShape), so the layers agree on where each minute is.
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      grid: seriesGrids(node.clientHeight),
      tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, confine: true },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      xAxis: [0, 1].map((gridIndex) => ({ type: 'value', gridIndex, show: false, min: 0, max: xMax, containShape: false })),
      yAxis: scales.map((sc, i) => ({ type: 'value', gridIndex: i < 2 ? 0 : 1, show: false, ...sc })),
      dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' }],
      series: seriesStyles.map((st) => ({ ...st, dimensions: ['x', 'y'], data: [] })),
    });
    // The legend (axes layer): a series switched off is left out of the series layer and of its
    // axis's scale, as ECharts does with its own legend.
    axes.on('legendselectchanged', (e: unknown) => {
      const selected = (e as { selected?: Record<string, boolean> }).selected ?? {};
      hidden = new Set(SERIES.filter((_, i) => selected[names[i]!] === false).map((sr) => sr.id));
      renderSeries(rows);
    });

    const tooltipFormatter = (params: unknown): string => {
      // The hovered point's x (the series' data are [x, y] pairs in typed arrays).
      const list = params as Array<{ value: ArrayLike<number> }>;
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

    // ---- the marks layer -------------------------------------------------------------------
    let box = { width: node.clientWidth, height: node.clientHeight };
    let tags: TagBox[] = [];
    let marksKey = '';
    const renderMarks = (force = false) => {
      const st = appStore.getState();
      const startedAt = st.room?.session?.startedAt ?? null;
      const roomAlerts = st.alerts.filter((a) => a.roomId === st.selectedRoomId && a.sessionId === st.room?.session?.sessionId);
      markers = startedAt === null ? [] : st.markers;
      const open = st.segments.at(-1);
      // The growing segment's band is redrawn when it grew by a tenth of a minute.
      const key = [
        startedAt, st.segments.length, open?.productId, open?.startTs, open ? Math.floor(open.endTs / 6000) : '', st.products.length,
        roomAlerts.length, markers.length, markers.at(-1)?.seq, xMax, JSON.stringify(zoomWindow), box.width, box.height,
      ].join(':');
      if (key === marksKey && !force) return;
      marksKey = key;
      const t0 = performance.now();
      node.dataset.segments = String(st.segments.length);
      node.dataset.alertMarks = String(roomAlerts.length);
      node.dataset.markerMarks = String(markers.length);
      node.dataset.adMarks = String(markers.filter((m) => m.kind === 'ad').length);
      const title = new Map(st.products.map((p) => [p.productId, p.title]));
      const min = (ts: number) => (startedAt === null ? 0 : (ts - startedAt) / 60_000);
      const marks: Marks =
        startedAt === null
          ? { bands: [], pins: [], alerts: [], markers: [] }
          : {
              bands: st.segments.map((s) => ({ from: min(s.startTs), to: min(s.endTs), color: colorOf(s.productId), label: title.get(s.productId) ?? s.productId })),
              pins: st.segments.map((s) => ({ at: min(s.startTs), color: colorOf(s.productId) })),
              // Alerts at the end of the minute they were raised in.
              alerts: roomAlerts.map((a) => a.minute + 1),
              markers: markerMarks(markers, startedAt, locale),
            };
      const [from, to] = windowRange();
      tags = drawMarks(canvas, { ...box, from, to }, marks, window.devicePixelRatio || 1);
      const ms = performance.now() - t0;
      if (pending) pending.syncMs += ms;
      else record('lcr:chart-marks', t0, ms, { points: rows.length });
    };
    // The tags' own tooltip: the marker's words as the chart's title while the pointer is on one.
    const onMove = (e: MouseEvent) => {
      const r = node.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      const hit = tags.find((g) => x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1);
      if (hit) node.title = hit.title;
      else if (node.title) node.removeAttribute('title');
    };
    const onLeave = () => node.removeAttribute('title');
    node.addEventListener('mousemove', onMove);
    node.addEventListener('mouseleave', onLeave);

    // ---- the series layer ------------------------------------------------------------------
    const setZoomWindow = (w: typeof zoomWindow) => {
      if (JSON.stringify(w) === JSON.stringify(zoomWindow)) return false;
      zoomWindow = w;
      return true;
    };
    /**
     * One series as [x, y] pairs in a typed array: ECharts takes it as is (no deep copy of the
     * option, no parsing of 470 little arrays); null is NaN, a gap in the line as before. Points
     * at the middle of each minute, so a bar sits inside its minute's band.
     */
    const column = (value: (r: MinuteRow) => number | null) => {
      const a = new Float64Array(rows.length * 2);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const v = value(r);
        a[2 * i] = r.minute + 0.5;
        a[2 * i + 1] = v === null ? NaN : v;
      }
      return a;
    };
    const NONE = new Float64Array(0);
    const renderSeries = (next: readonly MinuteRow[]) => {
      const t0 = performance.now();
      rows = next;
      node.dataset.points = String(rows.length);
      node.dataset.lastGmvFen = String(rows.at(-1)?.gmvFen ?? '');
      const end = axisEnd(rows.length);
      const axisMoved = end !== xMax;
      xMax = end;
      const z = Number(node.dataset.zoom ?? 0);
      const zoomMoved = z ? setZoomWindow(zoomWindow_(z, rows.length)) : false;
      const nextScales = scalesOf();
      const scalesMoved = scalesKey(nextScales) !== scalesKey(scales);
      scales = nextScales;
      // Only the series (and the hidden axes' ends when they moved): ECharts merges the rest.
      chart.setOption(
        {
          ...(axisMoved ? { xAxis: [{ max: xMax }, { max: xMax }] } : {}),
          ...(scalesMoved ? { yAxis: scales.map((sc) => ({ ...sc })) } : {}),
          ...(zoomMoved ? { dataZoom: [zoomWindow] } : {}),
          series: SERIES.map((sr) => ({ id: sr.id, data: hidden.has(sr.id) ? NONE : column(sr.value) })),
        },
        { lazyUpdate: true },
      );
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
      // The axes layer and the marks follow when the window or a scale moved (a few times an hour).
      if (axisMoved || zoomMoved || scalesMoved) renderAxes();
      if (axisMoved || zoomMoved) renderMarks();
    };
    const offSeries = series.subscribe(renderSeries);
    renderMarks(true);
    const offStore = appStore.subscribe(() => renderMarks());
    // Zooming with the mouse (wheel, drag) on the series layer: the axes and marks layers follow.
    chart.on('datazoom', (e: unknown) => {
      const ev = e as { start?: number; end?: number; batch?: Array<{ start?: number; end?: number }> };
      const b = ev.batch?.[0] ?? ev;
      if (b.start === undefined || b.end === undefined) return;
      if (!setZoomWindow({ start: b.start, end: b.end })) return;
      renderAxes();
      renderMarks();
    });
    const applyZoom = (z: number) => {
      const w = zoomWindow_(z, rows.length);
      setZoomWindow(w);
      chart.setOption({ dataZoom: [w] }, { lazyUpdate: true });
      renderAxes();
      renderMarks();
    };
    node.dataset.zoom = String(appStore.getState().zoom);
    applyZoom(appStore.getState().zoom);
    zoomTo.current = applyZoom;
    // A resize is a full synchronous redraw: only when the box really changed size (the observer
    // also fires once right after observe(), at the size the chart was just created with).
    let lastBox = `${node.clientWidth}x${node.clientHeight}`;
    const resize = new ResizeObserver((entries) => {
      const r = entries.at(-1)?.contentRect;
      const size = r ? `${Math.round(r.width)}x${Math.round(r.height)}` : lastBox;
      if (size === lastBox) return;
      lastBox = size;
      const t0 = performance.now();
      box = { width: r?.width ?? node.clientWidth, height: r?.height ?? node.clientHeight };
      axes.resize();
      chart.setOption({ grid: seriesGrids(box.height) }, { lazyUpdate: true });
      chart.resize();
      renderMarks();
      record('lcr:chart-resize', t0, performance.now() - t0, { points: rows.length, width: box.width, height: box.height });
    });
    resize.observe(node);
    return () => {
      probing = false;
      zoomTo.current = null;
      offSeries();
      offStore();
      resize.disconnect();
      node.removeEventListener('mousemove', onMove);
      node.removeEventListener('mouseleave', onLeave);
      window.clearTimeout(axesQueued);
      chart.dispose();
      axes.dispose();
    };
  }, [locale, roomId, t]);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    node.dataset.zoom = String(zoom);
    zoomTo.current?.(zoom);
  }, [zoom, roomId, locale]);

  const layer = { position: 'absolute', inset: 0 } as const;
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
      <div ref={el} className="chart" data-testid="minute-chart" data-points="0" style={{ position: 'relative' }}>
        <canvas ref={marksEl} data-testid="chart-marks" style={{ ...layer, width: '100%', height: '100%' }} />
        <div ref={axesEl} style={layer} />
        <div ref={seriesEl} style={{ ...layer, top: LEGEND_STRIP }} />
      </div>
    </section>
  );
}

/**
 * The last N minutes as values; the whole show as 0–100 %, so the window keeps covering the whole
 * axis as the show grows (fixed values would freeze it at the minutes that existed then).
 */
function zoomWindow_(minutes: number, points: number) {
  const last = Math.max(points, 1);
  return minutes ? { startValue: Math.max(0, last - minutes), endValue: last } : { start: 0, end: 100 };
}
