import { minuteLabel } from '../../../shared/minutes.ts';
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { GridComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { appStore, series } from '../lib/store.ts';
import { useApp, useT } from '../lib/hooks.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan } from '../../../shared/format.ts';
import { translate } from '../../../shared/i18n/messages.ts';
import type { MinuteRow } from '../../../shared/metrics/types.ts';
import type { SessionMarker } from '../../../shared/contract.ts';
import { markerMarks, markerTooltipLines } from '../lib/chart-markers.ts';
import { escapeHtml } from '../../../shared/html.ts';
import { axisEnd, drawMarks, ECHARTS_GRIDS, plots, valueScale, xOf, type Marks, type TagBox, type ValueScale } from '../lib/marks-layer.ts';
import { drawSeries, pointX, type SeriesColumn, type SeriesStyle } from '../lib/series-layer.ts';

echarts.use([GridComponent, DataZoomComponent, CanvasRenderer]);

const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#c4ccd3'];
const ZOOMS = [10, 30, 60, 0] as const; // 0 = the whole show

/**
 * The six series: the y axis they share (0–1 top grid, 2–3 bottom), how the series layer draws
 * them (the legend's swatches take the same looks) and the minute's figure.
 */
const SERIES: ReadonlyArray<SeriesStyle & { value: (r: MinuteRow) => number | null }> = [
  { id: 'onlineAvg', yAxis: 0, kind: 'line', color: '#4fc3f7', width: 2, value: (r) => (r.onlineAvg === null ? null : Math.round(r.onlineAvg)) },
  { id: 'onlineMax', yAxis: 0, kind: 'line', color: '#81d4fa', width: 1, dash: [4, 4], value: (r) => r.onlineMax },
  { id: 'enters', yAxis: 0, kind: 'line', color: '#9575cd', width: 1, value: (r) => r.enters },
  { id: 'gmv', yAxis: 1, kind: 'bar', color: '#ffb74d', width: 0, value: (r) => r.gmvFen / 100 },
  { id: 'gpm', yAxis: 2, kind: 'line', color: '#aed581', width: 2, value: (r) => r.gpm },
  { id: 'ctr', yAxis: 3, kind: 'line', color: '#f06292', width: 2, value: (r) => r.ctr },
];

function colorIndex(productId: string): number {
  let h = 0;
  for (let i = 0; i < productId.length; i++) h = (h * 31 + productId.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

function colorOf(productId: string): string {
  return PALETTE[colorIndex(productId)]!;
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
 * Layers in one box, bottom to top, so that a push redraws only what it changed:
 *  - marks: bands, pins, alerts, markers on a plain canvas (marks-layer.ts), redrawn only when
 *    they change;
 *  - axes: the ECharts instance — both grids' axes, tick labels and split lines, and the mouse's
 *    zoom (inside dataZoom); no series, so ECharts' series pipeline never runs. Re-rendered only when the zoom window or an axis's scale
 *    moves: a few times an hour. The scales are fixed and computed here (valueScale: what ECharts
 *    itself would pick), the x axis ends at a round minute (axisEnd);
 *  - series: the six series on a plain canvas (series-layer.ts) at the axes' scales and window,
 *    redrawn in the next animation frame after a push. ECharts' own series pipeline re-rendered
 *    the whole chart on every push, 10–25 ms on a 2-core machine (npm run bench:ui, docs/testing.md);
 *    this is under a millisecond. The canvas lets the mouse through to the axes layer;
 *  - the hover: a line at the minute and its tooltip (all of the minute's numbers, the pinned
 *    product, markers), plain DOM;
 *  - the legend: buttons (keyboard-reachable) that switch a series off and on.
 */
export function MinuteChart() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const roomId = useApp((s) => s.selectedRoomId);
  const zoom = useApp((s) => s.zoom);
  // Also applied directly: after a mouse-wheel zoom the active button's zoom is unchanged, and a click must still restore it.
  const setZoom = (z: (typeof ZOOMS)[number]) => {
    // A zoom button leaves the minute opened from an alert.
    appStore.setState({ zoom: z, focus: null });
    zoomTo.current?.(z);
  };
  const el = useRef<HTMLDivElement>(null);
  const marksEl = useRef<HTMLCanvasElement>(null);
  const axesEl = useRef<HTMLDivElement>(null);
  const seriesEl = useRef<HTMLCanvasElement>(null);
  const pointerEl = useRef<HTMLDivElement>(null);
  const tipEl = useRef<HTMLDivElement>(null);
  /** Sets the zoom window (from the buttons and shortcuts); null while no chart. */
  const zoomTo = useRef<((z: number) => void) | null>(null);
  /** Series switched off in the legend: kept across the chart's rebuilds (a language switch). */
  const hiddenRef = useRef<ReadonlySet<string>>(new Set());
  const [hiddenIds, setHiddenIds] = useState<readonly string[]>([]);
  /** Redraws after a legend switch; null while no chart. */
  const applyHidden = useRef<(() => void) | null>(null);
  const toggleSeries = (id: string) => {
    const next = new Set(hiddenRef.current);
    if (!next.delete(id)) next.add(id);
    hiddenRef.current = next;
    setHiddenIds([...next]);
    applyHidden.current?.();
  };
  const names = [t('chart.onlineAvg'), t('chart.onlineMax'), t('chart.enters'), t('chart.gmvPerMin'), t('chart.gpm'), t('chart.ctr')];

  useEffect(() => {
    const node = el.current;
    const canvas = marksEl.current;
    const axesNode = axesEl.current;
    const seriesCanvas = seriesEl.current;
    const pointer = pointerEl.current;
    const tip = tipEl.current;
    if (!node || !canvas || !axesNode || !seriesCanvas || !pointer || !tip) return;
    // Instrumentation (cheap, permanent): each series update becomes one 'lcr:chart-update'
    // performance measure of the real work: the synchronous part on the push (the columns, the
    // scales, and a marks redraw when the marks changed) plus drawing the series in the next
    // animation frame — idle waiting for the frame is not counted. Pushes that land before the
    // same frame are one update. A marks redraw with no series update pending is an
    // 'lcr:chart-marks' measure, the axes layer's re-render 'lcr:chart-axes', a resize
    // 'lcr:chart-resize'. Measures are cleared now and then so an 8-hour show does not fill the
    // timeline; a PerformanceObserver (npm run bench:ui) still sees every one.
    let pending: { start: number; syncMs: number; points: number; coalesced: number } | null = null;
    let measured = 0;
    const record = (name: string, start: number, duration: number, detail: Record<string, number | boolean>) => {
      performance.measure(name, { start, duration, detail });
      if (++measured % 1000 === 0) {
        for (const m of ['lcr:chart-update', 'lcr:chart-marks', 'lcr:chart-axes', 'lcr:chart-resize']) performance.clearMeasures(m);
      }
    };
    const axes = echarts.init(axesNode, 'dark', { renderer: 'canvas' });

    let rows: readonly MinuteRow[] = [];
    let markers: readonly SessionMarker[] = [];
    let xMax = axisEnd(0);
    let box = { width: node.clientWidth, height: node.clientHeight };
    // The zoom window: minutes as values, or a share of the axis (the whole show, the mouse wheel).
    let zoomWindow: { startValue: number; endValue: number } | { start: number; end: number } = { start: 0, end: 100 };
    /** The minutes at the plots' left and right edges. */
    const windowRange = (): [number, number] => {
      const w = zoomWindow;
      return 'startValue' in w ? [w.startValue, w.endValue] : [(w.start / 100) * xMax, (w.end / 100) * xMax];
    };
    const view = () => {
      const [from, to] = windowRange();
      return { ...box, from, to };
    };
    // Series switched off in the legend are not drawn and do not count for their axis's scale, as in ECharts.
    const hidden = () => hiddenRef.current;
    /** Each series' values by row (minute), NaN for none; built once per push. */
    let columns: SeriesColumn[] = [];
    const columnsOf = (): SeriesColumn[] =>
      SERIES.map((sr) => {
        const values = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const v = sr.value(rows[i]!);
          values[i] = v === null ? NaN : v;
        }
        return { style: sr, values };
      });
    const scalesOf = (): ValueScale[] => {
      const max = [0, 0, 0, 0];
      for (const c of columns) {
        if (hidden().has(c.style.id)) continue;
        let m = max[c.style.yAxis]!;
        for (const v of c.values) if (v > m) m = v; // NaN > m is false
        max[c.style.yAxis] = m;
      }
      return max.map(valueScale);
    };
    let scales = scalesOf();
    const scalesKey = (sc: readonly ValueScale[]) => sc.map((x) => `${x.max}/${x.interval}`).join(':');

    // ---- the axes layer (ECharts) ------------------------------------------------------------
    const axisLabel = { color: '#8b95ad' };
    const split = { lineStyle: { color: '#263047' } };
    // Ticks are elapsed time (10′ = ten minutes in, where 第11分钟 starts); minutes are named by minuteLabel.
    const tickLabel = (v: number) => `${v}′`;
    const formatters = [
      memo((v) => formatCount(v, locale)),
      memo((v) => formatMoneyFen(v * 100, locale)),
      memo((v) => formatYuan(v, locale)),
      memo((v) => formatRate(v, 0)),
    ];
    const axesStateKey = () => `${xMax}:${JSON.stringify(zoomWindow)}:${scalesKey(scales)}`;
    let axesKey = '';
    let axesQueued = 0;
    /**
     * Re-renders the axes layer when the window or a scale moved — in a task of its own, after the
     * one that moved it (a push, a zoom button), so no task does both a push and a full ECharts
     * render. The first call sets the whole option.
     */
    const renderAxes = () => {
      if (axesStateKey() === axesKey || axesQueued) return;
      axesQueued = window.setTimeout(() => {
        axesQueued = 0;
        const key = axesStateKey();
        if (key === axesKey) return;
        const first = axesKey === '';
        axesKey = key;
        const t0 = performance.now();
        const xAxis = [0, 1].map((gridIndex) => ({
          min: 0,
          max: xMax,
          ...(first ? { type: 'value', gridIndex, minInterval: 1, axisLabel: { ...axisLabel, formatter: tickLabel }, splitLine: { show: false } } : {}),
        }));
        const yAxis = scales.map((sc, i) => ({ ...sc, ...(first ? { type: 'value', gridIndex: i < 2 ? 0 : 1, axisLabel: { ...axisLabel, formatter: formatters[i] }, splitLine: i % 2 ? { show: false } : split } : {}) }));
        // The window: ECharts' inside dataZoom, which also takes the mouse's wheel and drag.
        const dataZoom = [{ ...(first ? { type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' } : {}), ...zoomWindow }];
        axes.setOption(
          first
            ? { backgroundColor: 'transparent', animation: false, grid: ECHARTS_GRIDS, xAxis, yAxis, dataZoom }
            : { xAxis, yAxis, dataZoom },
        );
        record('lcr:chart-axes', t0, performance.now() - t0, { points: rows.length });
      }, 0);
    };
    renderAxes();
    applyHidden.current = () => {
      node.dataset.hiddenSeries = [...hidden()].join(',');
      scales = scalesOf();
      renderAxes();
      drawNow();
    };
    node.dataset.hiddenSeries = [...hidden()].join(',');
    // Zooming with the mouse (wheel, drag): ECharts has moved its axes already; the canvases follow.
    axes.on('datazoom', (e: unknown) => {
      const ev = e as { start?: number; end?: number; batch?: Array<{ start?: number; end?: number }> };
      const b = ev.batch?.[0] ?? ev;
      if (b.start === undefined || b.end === undefined) return;
      if (!setZoomWindow({ start: b.start, end: b.end })) return;
      axesKey = axesStateKey();
      renderMarks();
      drawNow();
      renderTip();
    });

    // ---- the series layer (canvas) ------------------------------------------------------------
    const dpr = () => window.devicePixelRatio || 1;
    /** While the show runs, its last minute is still being counted. */
    const isLive = () => {
      const session = appStore.getState().room?.session;
      return !!session && session.endedAt === null;
    };
    const drawNow = (): number => {
      const t0 = performance.now();
      const v = view();
      drawSeries(seriesCanvas, v, columns.filter((c) => !hidden().has(c.style.id)), scales, dpr(), isLive());
      node.dataset.window = `${v.from.toFixed(1)}-${v.to.toFixed(1)}`;
      return performance.now() - t0;
    };
    let frameQueued = 0;
    const frame = () => {
      frameQueued = 0;
      const p = pending;
      pending = null;
      const ms = drawNow();
      if (p) record('lcr:chart-update', p.start, p.syncMs + ms, { syncMs: p.syncMs, renderMs: ms, points: p.points, coalesced: p.coalesced });
    };
    const setZoomWindow = (w: typeof zoomWindow) => {
      if (JSON.stringify(w) === JSON.stringify(zoomWindow)) return false;
      zoomWindow = w;
      return true;
    };
    const renderSeries = (next: readonly MinuteRow[]) => {
      const t0 = performance.now();
      rows = next;
      node.dataset.points = String(rows.length);
      node.dataset.lastGmvFen = String(rows.at(-1)?.gmvFen ?? '');
      const end = axisEnd(rows.length);
      const axisMoved = end !== xMax;
      xMax = end;
      const z = Number(node.dataset.zoom ?? 0);
      // A minute opened from an alert keeps its window while the show grows.
      const zoomMoved = z && focusMinute() === null ? setZoomWindow(zoomWindow_(z, rows.length)) : false;
      columns = columnsOf();
      const nextScales = scalesOf();
      const scalesMoved = scalesKey(nextScales) !== scalesKey(scales);
      scales = nextScales;
      const syncMs = performance.now() - t0;
      if (pending) {
        pending.syncMs += syncMs;
        pending.points = rows.length;
        pending.coalesced++;
      } else {
        pending = { start: t0, syncMs, points: rows.length, coalesced: 1 };
      }
      if (!frameQueued) frameQueued = requestAnimationFrame(frame);
      // The axes layer and the marks follow when the window or a scale moved (a few times an hour).
      if (axisMoved || zoomMoved || scalesMoved) renderAxes();
      if (axisMoved || zoomMoved) renderMarks();
      if (tipMinute !== null) renderTip(true);
    };

    // ---- the hover: the minute's line and tooltip ----------------------------------------------
    const tooltipHtml = (m: number): string => {
      const r = rows[m];
      if (!r) return '';
      const st = appStore.getState();
      const pinned = r.pinnedProductId ? (st.products.find((p) => p.productId === r.pinnedProductId)?.title ?? r.pinnedProductId) : '—';
      const L = (k: Parameters<typeof translate>[1]) => translate(locale, k);
      const line = (color: string | null, label: string, v: string) =>
        `<div class="tip-line"><i style="background:${color ?? 'transparent'}"></i><span>${label}</span><b>${v}</b></div>`;
      const c = (id: string) => SERIES.find((sr) => sr.id === id)!.color;
      return [
        `<div class="tip-head">${minuteLabel(m, locale)}${m === rows.length - 1 && isLive() ? ` <span class="tip-live">${L('chart.minuteLive')}</span>` : ''}</div>`,
        line(c('onlineAvg'), L('chart.onlineAvg'), formatCount(r.onlineAvg, locale)),
        line(c('onlineMax'), L('chart.onlineMax'), formatCount(r.onlineMax, locale)),
        line(c('enters'), L('chart.enters'), formatCount(r.enters, locale)),
        line(c('gmv'), L('chart.gmvPerMin'), formatMoneyFen(r.gmvFen, locale)),
        line(null, L('metric.orders'), formatCount(r.orders, locale)),
        line(c('gpm'), L('chart.gpm'), formatYuan(r.gpm, locale)),
        line(c('ctr'), L('chart.ctr'), formatRate(r.ctr)),
        line(null, L('room.pinned').replace(/[：:]\s*$/, ''), escapeHtml(pinned)),
        ...markerTooltipLines(markers, m, locale),
      ].join('');
    };
    let tipMinute: number | null = null;
    let tipAt = { x: 0, y: 0 };
    let tipShown = '';
    const hideTip = () => {
      tipMinute = null;
      tipShown = '';
      tip.style.display = 'none';
      pointer.style.display = 'none';
    };
    /** Shows the hovered minute's tooltip (its content rebuilt only when the minute or, with `fresh`, its data changed). */
    const renderTip = (fresh = false) => {
      const m = tipMinute;
      if (m === null) return;
      const v = view();
      const [top, bottom] = plots(v.width, v.height);
      const px = xOf(pointX(m), v);
      if (px < top.x0 || px > top.x1 || !rows[m]) return hideTip();
      const key = `${m}:${locale}`;
      if (fresh || key !== tipShown) {
        tip.innerHTML = tooltipHtml(m);
        tipShown = key;
      }
      tip.style.display = 'block';
      pointer.style.display = 'block';
      pointer.style.left = `${Math.round(px)}px`;
      pointer.style.top = `${top.y0}px`;
      pointer.style.height = `${bottom.y1 - top.y0}px`;
      // Beside the pointer, kept inside the chart's box (ECharts' confine).
      const w = tip.offsetWidth;
      const h = tip.offsetHeight;
      const left = tipAt.x + 16 + w <= v.width ? tipAt.x + 16 : Math.max(0, tipAt.x - 16 - w);
      const topPx = Math.min(Math.max(0, tipAt.y - h / 2), Math.max(0, v.height - h));
      tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(topPx)}px)`;
    };

    // ---- the marks layer -------------------------------------------------------------------
    /** The minute opened from an alert of this room's show, if any. */
    const focusMinute = (): number | null => {
      const st = appStore.getState();
      const f = st.focus;
      return f && f.roomId === st.selectedRoomId && f.sessionId === st.room?.session?.sessionId ? f.minute : null;
    };
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
        roomAlerts.length, markers.length, markers.at(-1)?.seq, xMax, JSON.stringify(zoomWindow), box.width, box.height, focusMinute(),
      ].join(':');
      if (key === marksKey && !force) return;
      marksKey = key;
      const t0 = performance.now();
      node.dataset.segments = String(st.segments.length);
      node.dataset.alertMarks = String(roomAlerts.length);
      node.dataset.focusMinute = String(focusMinute() ?? '');
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
              focus: focusMinute(),
            };
      tags = drawMarks(canvas, view(), marks, dpr());
      const ms = performance.now() - t0;
      if (pending) pending.syncMs += ms;
      else record('lcr:chart-marks', t0, ms, { points: rows.length });
    };

    // The mouse: the minute's tooltip over either plot; a marker tag's words as the chart's title.
    const onMove = (e: MouseEvent) => {
      const r = node.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      const hit = tags.find((g) => x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1);
      if (hit) node.title = hit.title;
      else if (node.title) node.removeAttribute('title');
      const [top, bottom] = plots(box.width, box.height);
      const inPlot = x >= top.x0 && x <= top.x1 && ((y >= top.y0 && y <= top.y1) || (y >= bottom.y0 && y <= bottom.y1));
      const [from, to] = windowRange();
      const m = Math.floor(from + ((x - top.x0) / (top.x1 - top.x0 || 1)) * (to - from));
      if (!inPlot || m < 0 || m >= rows.length) return hideTip();
      tipAt = { x, y };
      tipMinute = m;
      renderTip();
    };
    const onLeave = () => {
      node.removeAttribute('title');
      hideTip();
    };
    node.addEventListener('mousemove', onMove);
    node.addEventListener('mouseleave', onLeave);

    const offSeries = series.subscribe(renderSeries);
    renderMarks(true);
    // The show ending makes its last minute a whole one: drawn as such without waiting for a push.
    let wasLive = isLive();
    let focusSeen = focusMinute();
    const offStore = appStore.subscribe(() => {
      const f = focusMinute();
      if (f !== focusSeen) {
        focusSeen = f;
        applyZoom(Number(node.dataset.zoom ?? 0));
      }
      renderMarks();
      if (isLive() !== wasLive) {
        wasLive = isLive();
        drawNow();
      }
    });
    const applyZoom = (z: number) => {
      const f = focusMinute();
      if (!setZoomWindow(f === null ? zoomWindow_(z, rows.length) : focusWindow(f))) return;
      renderAxes();
      renderMarks();
      drawNow();
      renderTip();
    };
    node.dataset.zoom = String(appStore.getState().zoom);
    applyZoom(appStore.getState().zoom);
    zoomTo.current = applyZoom;
    // A resize redraws every layer: only when the box really changed size (the observer also
    // fires once right after observe(), at the size the chart was just created with).
    let lastBox = `${node.clientWidth}x${node.clientHeight}`;
    const resize = new ResizeObserver((entries) => {
      const r = entries.at(-1)?.contentRect;
      const size = r ? `${Math.round(r.width)}x${Math.round(r.height)}` : lastBox;
      if (size === lastBox) return;
      lastBox = size;
      const t0 = performance.now();
      box = { width: r?.width ?? node.clientWidth, height: r?.height ?? node.clientHeight };
      axes.resize();
      renderMarks();
      drawNow();
      hideTip();
      record('lcr:chart-resize', t0, performance.now() - t0, { points: rows.length, width: box.width, height: box.height });
    });
    resize.observe(node);
    return () => {
      zoomTo.current = null;
      applyHidden.current = null;
      offSeries();
      offStore();
      resize.disconnect();
      node.removeEventListener('mousemove', onMove);
      node.removeEventListener('mouseleave', onLeave);
      window.clearTimeout(axesQueued);
      cancelAnimationFrame(frameQueued);
      axes.dispose();
    };
  }, [locale, roomId]);

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
        {/* Over the axes layer, but the mouse goes through to it (zoom). */}
        <canvas ref={seriesEl} data-testid="chart-series" style={{ ...layer, width: '100%', height: '100%', pointerEvents: 'none' }} />
        <div ref={pointerEl} className="chart-pointer" style={{ display: 'none' }} />
        <div ref={tipEl} className="chart-tip" data-testid="chart-tip" style={{ display: 'none' }} />
        <div className="chart-legend">
          {SERIES.map((sr, i) => {
            const off = hiddenIds.includes(sr.id);
            const swatch = sr.kind === 'bar' ? 'bar' : sr.dash ? 'line dashed' : 'line';
            return (
              <button key={sr.id} type="button" className={off ? 'legend-item off' : 'legend-item'} data-testid={`legend-${sr.id}`} aria-pressed={!off} onClick={() => toggleSeries(sr.id)}>
                <i className={`swatch ${swatch}`} style={{ color: sr.color }} />
                {names[i]}
              </button>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** Minutes shown either side of a minute opened from an alert. */
const FOCUS_SPAN = 7;

/** The window around minute m opened from an alert: a quarter-hour with the minute in the middle. */
function focusWindow(m: number) {
  return { startValue: Math.max(0, m - FOCUS_SPAN), endValue: m + 1 + FOCUS_SPAN };
}

/**
 * The last N minutes as values; the whole show as 0–100 %, so the window keeps covering the whole
 * axis as the show grows (fixed values would freeze it at the minutes that existed then).
 */
function zoomWindow_(minutes: number, points: number) {
  const last = Math.max(points, 1);
  return minutes ? { startValue: Math.max(0, last - minutes), endValue: last } : { start: 0, end: 100 };
}
