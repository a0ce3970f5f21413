/**
 * The minute chart's engine (the minute charts: the whole show minute by minute). Top: online (average, max),
 * entries and GMV per minute; bottom: GPM and CTR. Product segments are coloured bands named after
 * the product; pins, alerts and platform markers (秒杀, 福袋 … tagged in a lane above the plot) are
 * marks. Plain TypeScript with an explicit API — setRows, setMarkers, setZoom, setLive,
 * setHidden, resize, dispose — so it runs and is tested without React; MinuteChart only mounts it
 * and forwards the store's changes, and React renders that component once per room/locale/zoom,
 * never per data update.
 *
 * Layers in one box, bottom to top, so that a push redraws only what it changed:
 *  - marks: bands, pins, alerts, markers on a plain canvas (marks-layer.ts), redrawn only when
 *    they change;
 *  - axes: the ECharts instance — both grids' axes, tick labels and split lines, and the mouse's
 *    zoom (inside dataZoom); no series, so ECharts' series pipeline never runs. Re-rendered only
 *    when the zoom window or an axis's scale moves: a few times an hour. The scales are fixed and
 *    computed here (valueScale: what ECharts itself would pick), the x axis ends at a round
 *    minute (axisEnd);
 *  - series: the six series on a plain canvas (series-layer.ts) at the axes' scales and window,
 *    redrawn in the next animation frame after a push. ECharts' own series pipeline re-rendered
 *    the whole chart on every push, 10–25 ms on a 2-core machine (npm run bench:ui, docs/testing.md);
 *    this is under a millisecond. The canvas lets the mouse through to the axes layer;
 *  - the hover: a line at the minute and its tooltip (all of the minute's numbers, the pinned
 *    product, markers), plain DOM.
 *
 * Instrumentation (cheap, permanent): each series update becomes one 'lcr:chart-update'
 * performance measure of the real work: the synchronous part on the push (the columns, the
 * scales, and a marks redraw when the marks changed) plus drawing the series in the next
 * animation frame — idle waiting for the frame is not counted. Pushes that land before the same
 * frame are one update. A marks redraw with no series update pending is an 'lcr:chart-marks'
 * measure, the axes layer's re-render 'lcr:chart-axes', a resize 'lcr:chart-resize'. Measures
 * are cleared now and then so an 8-hour show does not fill the timeline; a PerformanceObserver
 * (npm run bench:ui) still sees every one.
 */
import * as echarts from 'echarts/core';
import { GridComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Locale } from '../../../../../shared/format.ts';
import type { MinuteRow } from '../../../../../shared/metrics/types.ts';
import { axisEnd, drawMarks, plots, xOf, type TagBox, type ValueScale } from '../../../lib/marks-layer.ts';
import { drawSeries, pointX, type SeriesColumn } from './series-layer.ts';
import {
  axesOption, axisFormatters, columnsOf, focusWindow, marksOf, NO_SHOW, scalesKey, scalesOf, shownMarkers, tooltipHtml, windowRange, zoomWindowOf,
  type ShowMarks, type ZoomWindow,
} from './minute-chart-model.ts';

echarts.use([GridComponent, DataZoomComponent, CanvasRenderer]);

/** The chart's box and its layers (MinuteChart renders them). */
export interface MinuteChartLayers {
  /** The box: takes the mouse, and says what the chart shows in data-* attributes (the e2e tests and the UI bench read them). */
  box: HTMLElement;
  marks: HTMLCanvasElement;
  /** Where the ECharts instance renders. */
  axes: HTMLElement;
  series: HTMLCanvasElement;
  pointer: HTMLElement;
  tip: HTMLElement;
}

export interface MinuteChartOptions {
  locale: Locale;
  /** Series switched off in the legend, kept across the chart's rebuilds (a language switch). */
  hidden?: Iterable<string>;
  /**
   * Makes the axes layer's ECharts instance; by default on `axes` with the canvas renderer and
   * the dark theme. One made without a DOM (server-side rendering) is told its size on resize.
   */
  initAxes?: (el: HTMLElement) => echarts.EChartsType;
}

const MEASURES = ['lcr:chart-update', 'lcr:chart-marks', 'lcr:chart-axes', 'lcr:chart-resize'];

const dpr = () => globalThis.devicePixelRatio || 1;

export class MinuteChartController {
  private readonly layers: MinuteChartLayers;
  private readonly locale: Locale;
  private readonly axes: echarts.EChartsType;
  private readonly formatters: Array<(v: number) => string>;
  private disposed = false;

  private rows: readonly MinuteRow[] = [];
  private show: ShowMarks = NO_SHOW;
  /** While the show runs, its last minute is still being counted. */
  private live = false;
  /** The zoom buttons' minutes (0: the whole show). */
  private zoom = 0;
  private hidden: ReadonlySet<string>;
  private xMax = axisEnd(0);
  private box: { width: number; height: number };
  private lastBox: string;
  private zoomWindow: ZoomWindow = { start: 0, end: 100 };
  private columns: SeriesColumn[] = [];
  private scales: ValueScale[];

  private axesKey = '';
  private axesQueued: ReturnType<typeof setTimeout> | 0 = 0;
  private frameQueued = 0;
  private pending: { start: number; syncMs: number; points: number; coalesced: number } | null = null;
  private measured = 0;
  private tags: TagBox[] = [];
  private marksKey = '';
  private tipMinute: number | null = null;
  private tipAt = { x: 0, y: 0 };
  private tipShown = '';

  constructor(layers: MinuteChartLayers, options: MinuteChartOptions) {
    this.layers = layers;
    this.locale = options.locale;
    this.hidden = new Set(options.hidden ?? []);
    this.formatters = axisFormatters(options.locale);
    this.axes = (options.initAxes ?? ((el) => echarts.init(el, 'dark', { renderer: 'canvas' })))(layers.axes);
    this.box = { width: layers.box.clientWidth, height: layers.box.clientHeight };
    this.lastBox = `${this.box.width}x${this.box.height}`;
    this.scales = scalesOf(this.columns, this.hidden);
    this.renderAxes();
    layers.box.dataset.hiddenSeries = [...this.hidden].join(',');
    this.axes.on('datazoom', this.onDataZoom);
    layers.box.addEventListener('mousemove', this.onMove);
    layers.box.addEventListener('mouseleave', this.onLeave);
  }

  /** The show's minutes so far: the series, the axes' scales and extent, and a window that follows the show. */
  setRows(next: readonly MinuteRow[]): void {
    if (this.disposed) return;
    const t0 = performance.now();
    const node = this.layers.box;
    this.rows = next;
    node.dataset.points = String(next.length);
    node.dataset.lastGmvFen = String(next.at(-1)?.gmvFen ?? '');
    const end = axisEnd(next.length);
    const axisMoved = end !== this.xMax;
    this.xMax = end;
    // A minute opened from an alert keeps its window while the show grows.
    const zoomMoved = this.zoom && this.show.focus === null ? this.setZoomWindow(zoomWindowOf(this.zoom, next.length)) : false;
    this.columns = columnsOf(next);
    const nextScales = scalesOf(this.columns, this.hidden);
    const scalesMoved = scalesKey(nextScales) !== scalesKey(this.scales);
    this.scales = nextScales;
    const syncMs = performance.now() - t0;
    if (this.pending) {
      this.pending.syncMs += syncMs;
      this.pending.points = next.length;
      this.pending.coalesced++;
    } else {
      this.pending = { start: t0, syncMs, points: next.length, coalesced: 1 };
    }
    if (!this.frameQueued) this.frameQueued = requestAnimationFrame(this.frame);
    // The axes layer and the marks follow when the window or a scale moved (a few times an hour).
    if (axisMoved || zoomMoved || scalesMoved) this.renderAxes();
    if (axisMoved || zoomMoved) this.renderMarks();
    if (this.tipMinute !== null) this.renderTip(true);
  }

  /** The show's marks; a new minute opened from an alert moves the window to it (or, closed, back to the zoom). */
  setMarkers(show: ShowMarks): void {
    if (this.disposed) return;
    const focusMoved = show.focus !== this.show.focus;
    this.show = show;
    if (focusMoved) this.applyZoom();
    this.renderMarks();
  }

  /** The last `minutes` minutes, following the show as it grows; 0: the whole show. A minute opened from an alert has precedence. */
  setZoom(minutes: number): void {
    if (this.disposed) return;
    this.zoom = minutes;
    this.layers.box.dataset.zoom = String(minutes);
    this.applyZoom();
  }

  /** The show ending makes its last minute a whole one: drawn as such without waiting for a push. */
  setLive(live: boolean): void {
    if (this.disposed || live === this.live) return;
    this.live = live;
    this.drawNow();
  }

  /** Series switched off in the legend: not drawn, and not counted for their axis's scale. */
  setHidden(ids: Iterable<string>): void {
    if (this.disposed) return;
    this.hidden = new Set(ids);
    this.layers.box.dataset.hiddenSeries = [...this.hidden].join(',');
    this.scales = scalesOf(this.columns, this.hidden);
    this.renderAxes();
    this.drawNow();
  }

  /**
   * The box's new size (a ResizeObserver's): every layer is redrawn, only when the size really
   * changed (an observer also reports the size the chart was created with).
   */
  resize(width: number, height: number): void {
    if (this.disposed) return;
    const size = `${Math.round(width)}x${Math.round(height)}`;
    if (size === this.lastBox) return;
    this.lastBox = size;
    const t0 = performance.now();
    this.box = { width, height };
    // In a page ECharts measures its own element (inset in the box); without a DOM it cannot.
    if (this.axes.getDom()) this.axes.resize();
    else this.axes.resize({ width, height });
    this.renderMarks();
    this.drawNow();
    this.hideTip();
    this.record('lcr:chart-resize', t0, performance.now() - t0, { points: this.rows.length, width, height });
  }

  /** Stops listening, drops what is queued and disposes of the ECharts instance; later calls do nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.layers.box.removeEventListener('mousemove', this.onMove);
    this.layers.box.removeEventListener('mouseleave', this.onLeave);
    if (this.axesQueued) clearTimeout(this.axesQueued);
    if (this.frameQueued) cancelAnimationFrame(this.frameQueued);
    this.axes.dispose();
  }

  private record(name: string, start: number, duration: number, detail: Record<string, number | boolean>): void {
    performance.measure(name, { start, duration, detail });
    if (++this.measured % 1000 === 0) for (const m of MEASURES) performance.clearMeasures(m);
  }

  private view() {
    const [from, to] = windowRange(this.zoomWindow, this.xMax);
    return { ...this.box, from, to };
  }

  private setZoomWindow(w: ZoomWindow): boolean {
    if (JSON.stringify(w) === JSON.stringify(this.zoomWindow)) return false;
    this.zoomWindow = w;
    return true;
  }

  private applyZoom(): void {
    const f = this.show.focus;
    if (!this.setZoomWindow(f === null ? zoomWindowOf(this.zoom, this.rows.length) : focusWindow(f))) return;
    this.renderAxes();
    this.renderMarks();
    this.drawNow();
    this.renderTip();
  }

  // ---- the axes layer (ECharts) --------------------------------------------------------------

  private axesStateKey(): string {
    return `${this.xMax}:${JSON.stringify(this.zoomWindow)}:${scalesKey(this.scales)}`;
  }

  /**
   * Re-renders the axes layer when the window or a scale moved — in a task of its own, after the
   * one that moved it (a push, a zoom button), so no task does both a push and a full ECharts
   * render. The first render sets the whole option.
   */
  private renderAxes(): void {
    if (this.axesStateKey() === this.axesKey || this.axesQueued) return;
    this.axesQueued = setTimeout(() => {
      this.axesQueued = 0;
      const key = this.axesStateKey();
      if (key === this.axesKey) return;
      const first = this.axesKey === '';
      this.axesKey = key;
      const t0 = performance.now();
      this.axes.setOption(axesOption(first, this.xMax, this.scales, this.zoomWindow, this.formatters));
      this.record('lcr:chart-axes', t0, performance.now() - t0, { points: this.rows.length });
    }, 0);
  }

  /** Zooming with the mouse (wheel, drag): ECharts has moved its axes already; the canvases follow. */
  private readonly onDataZoom = (e: unknown) => {
    const ev = e as { start?: number; end?: number; batch?: Array<{ start?: number; end?: number }> };
    const b = ev.batch?.[0] ?? ev;
    if (b.start === undefined || b.end === undefined) return;
    if (!this.setZoomWindow({ start: b.start, end: b.end })) return;
    this.axesKey = this.axesStateKey();
    this.renderMarks();
    this.drawNow();
    this.renderTip();
  };

  // ---- the series layer (canvas) -------------------------------------------------------------

  private drawNow(): number {
    const t0 = performance.now();
    const v = this.view();
    drawSeries(this.layers.series, v, this.columns.filter((c) => !this.hidden.has(c.style.id)), this.scales, dpr(), this.live);
    this.layers.box.dataset.window = `${v.from.toFixed(1)}-${v.to.toFixed(1)}`;
    return performance.now() - t0;
  }

  private readonly frame = () => {
    this.frameQueued = 0;
    const p = this.pending;
    this.pending = null;
    const ms = this.drawNow();
    if (p) this.record('lcr:chart-update', p.start, p.syncMs + ms, { syncMs: p.syncMs, renderMs: ms, points: p.points, coalesced: p.coalesced });
  };

  // ---- the marks layer -----------------------------------------------------------------------

  private renderMarks(): void {
    const s = this.show;
    const markers = shownMarkers(s);
    const open = s.segments.at(-1);
    // The growing segment's band is redrawn when it grew by a tenth of a minute.
    const key = [
      s.startedAt, s.segments.length, open?.productId, open?.startTs, open ? Math.floor(open.endTs / 6000) : '', s.products.length,
      s.alerts.length, markers.length, markers.at(-1)?.seq, this.xMax, JSON.stringify(this.zoomWindow), this.box.width, this.box.height, s.focus,
    ].join(':');
    if (key === this.marksKey) return;
    this.marksKey = key;
    const t0 = performance.now();
    const node = this.layers.box;
    node.dataset.segments = String(s.segments.length);
    node.dataset.alertMarks = String(s.alerts.length);
    node.dataset.focusMinute = String(s.focus ?? '');
    node.dataset.markerMarks = String(markers.length);
    node.dataset.adMarks = String(markers.filter((m) => m.kind === 'ad').length);
    this.tags = drawMarks(this.layers.marks, this.view(), marksOf(s, this.locale), dpr());
    const ms = performance.now() - t0;
    if (this.pending) this.pending.syncMs += ms;
    else this.record('lcr:chart-marks', t0, ms, { points: this.rows.length });
  }

  // ---- the hover: the minute's line and tooltip ------------------------------------------------

  private hideTip(): void {
    this.tipMinute = null;
    this.tipShown = '';
    this.layers.tip.style.display = 'none';
    this.layers.pointer.style.display = 'none';
  }

  /** Shows the hovered minute's tooltip (its content rebuilt only when the minute or, with `fresh`, its data changed). */
  private renderTip(fresh = false): void {
    const m = this.tipMinute;
    if (m === null) return;
    const { tip, pointer } = this.layers;
    const v = this.view();
    const [top, bottom] = plots(v.width, v.height);
    const px = xOf(pointX(m), v);
    if (px < top.x0 || px > top.x1 || !this.rows[m]) return this.hideTip();
    const key = `${m}:${this.locale}`;
    if (fresh || key !== this.tipShown) {
      tip.innerHTML = tooltipHtml(m, this.rows, this.show, this.live, this.locale);
      this.tipShown = key;
    }
    tip.style.display = 'block';
    pointer.style.display = 'block';
    pointer.style.left = `${Math.round(px)}px`;
    pointer.style.top = `${top.y0}px`;
    pointer.style.height = `${bottom.y1 - top.y0}px`;
    // Beside the pointer, kept inside the chart's box (ECharts' confine).
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const { x, y } = this.tipAt;
    const left = x + 16 + w <= v.width ? x + 16 : Math.max(0, x - 16 - w);
    const topPx = Math.min(Math.max(0, y - h / 2), Math.max(0, v.height - h));
    tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(topPx)}px)`;
  }

  /** The mouse: the minute's tooltip over either plot; a marker tag's words as the chart's title. */
  private readonly onMove = (e: MouseEvent) => {
    const node = this.layers.box;
    const r = node.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const hit = this.tags.find((g) => x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1);
    if (hit) node.title = hit.title;
    else if (node.title) node.removeAttribute('title');
    const [top, bottom] = plots(this.box.width, this.box.height);
    const inPlot = x >= top.x0 && x <= top.x1 && ((y >= top.y0 && y <= top.y1) || (y >= bottom.y0 && y <= bottom.y1));
    const [from, to] = windowRange(this.zoomWindow, this.xMax);
    const m = Math.floor(from + ((x - top.x0) / (top.x1 - top.x0 || 1)) * (to - from));
    if (!inPlot || m < 0 || m >= this.rows.length) return this.hideTip();
    this.tipAt = { x, y };
    this.tipMinute = m;
    this.renderTip();
  };

  private readonly onLeave = () => {
    this.layers.box.removeAttribute('title');
    this.hideTip();
  };
}
