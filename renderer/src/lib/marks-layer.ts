/**
 * The minute chart's marks layer: product-segment bands with their names, pins, alerts and
 * platform markers, drawn with the 2D canvas API on a canvas under the ECharts axes layer (and
 * the series canvas over it, series-layer.ts).
 *
 * Why not ECharts: an ECharts instance re-renders every component on every update, and an 8-hour
 * show has a hundred-odd bands and pins; as markArea/markLine items (or in a second ECharts
 * instance redrawn whenever a segment ends) they cost 10–25 ms a frame on a 2-core machine. Here
 * they are a few hundred fillRect/stroke calls (well under a millisecond), redrawn only when they
 * change: a segment ended, an alert or marker came, the axis end or the zoom window moved, a resize.
 *
 * The geometry mirrors the ECharts grids exactly (GRID below is what the chart's controller, minute-chart.ts, gives ECharts).
 */

/** The two plots' bounds as ECharts is told them: px from the edges, or fractions of the height. */
export const GRID = { left: 72, right: 72, topTop: 54, topHeight: 0.47, bottomTop: 0.7, bottomBottom: 28 } as const;

/**
 * GRID as the ECharts axes layer is given it: exact bounds for both grids (ECharts 6 would
 * otherwise fit each grid around its own axis labels), so a minute sits at the same x in both
 * plots and on the canvas layers. Top 54: a lane under the legend for the platform markers' tags.
 */
export const ECHARTS_GRIDS = [
  { left: GRID.left, right: GRID.right, top: GRID.topTop, height: `${GRID.topHeight * 100}%`, outerBoundsMode: 'none' as const },
  { left: GRID.left, right: GRID.right, top: `${GRID.bottomTop * 100}%`, bottom: GRID.bottomBottom, outerBoundsMode: 'none' as const },
];

/**
 * Where the x axis ends for a show of `points` minutes: a round minute at or after the data, at
 * least 10 (early on, a 1-minute axis would put minute 0 in the middle). Rounded up to a step of
 * 5–60 minutes (5–10 % of the show: the headroom on the right), so the axis — and this layer, drawn against it — moves every few
 * minutes of the show, not with every new minute.
 */
export function axisEnd(points: number): number {
  if (points <= 10) return 10;
  const step = [5, 10, 15, 30, 60].find((s) => s >= points / 20) ?? 60;
  return Math.ceil(points / step) * step;
}

/** A value axis's fixed scale: from 0 to `max` in steps of `interval`. */
export interface ValueScale {
  min: 0;
  max: number;
  interval: number;
}

/** zrender's `nice(v, round = true)`: 1, 2, 3, 5 or 10 times a power of ten. */
function niceRound(v: number): number {
  const exp = Math.floor(Math.log10(v));
  const p = 10 ** exp;
  const f = v / p;
  const nf = f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10;
  return Number((nf * p).toFixed(Math.max(0, -exp)));
}

/**
 * The scale ECharts picks for a value axis over data from 0 to `dataMax` (five splits, a nice
 * step, the end rounded up to a step; 0–1 with no data), so the ECharts axes layer and the
 * canvases share one fixed scale, and the axes are only re-rendered when a scale changes.
 * One argument: it is mapped over arrays of maxima.
 */
export function valueScale(dataMax: number): ValueScale {
  return valueScaleIn(dataMax, 5);
}

/** valueScale with `splits` splits: a short plot asks for fewer, its labels would touch. */
export function valueScaleIn(dataMax: number, splits: number): ValueScale {
  if (!(dataMax > 0) || !Number.isFinite(dataMax)) return { min: 0, max: 1, interval: 1 / splits };
  const interval = niceRound(dataMax / splits);
  return { min: 0, max: Number((Math.ceil(dataMax / interval) * interval).toFixed(12)), interval };
}

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface MarksView {
  /** The container's CSS size. */
  width: number;
  height: number;
  /** Minutes at the plots' left and right edges (the zoom window). */
  from: number;
  to: number;
}

export interface Marks {
  /** Finished segments: a translucent band in both plots, the product's name in the top one where it fits. */
  bands: Array<{ from: number; to: number; color: string; label: string }>;
  /** Each pin (a segment's start): a thin line in the product's colour across the top plot. */
  pins: Array<{ at: number; color: string }>;
  /** Alerts: a red dashed line at the end of their minute with ⚠. */
  alerts: number[];
  /** A minute opened from an alert: [m, m+1) highlighted in both plots. */
  focus?: number | null;
  /** Platform markers: a dotted line in the kind's colour and a tag above the top plot. */
  markers: Array<{ at: number; color: string; tag: string; title: string }>;
}

/** A drawn marker tag, for hovering. */
export interface TagBox extends Box {
  title: string;
}

export function plots(width: number, height: number): [Box, Box] {
  const x0 = GRID.left;
  const x1 = Math.max(x0, width - GRID.right);
  return [
    { x0, x1, y0: GRID.topTop, y1: GRID.topTop + GRID.topHeight * height },
    { x0, x1, y0: GRID.bottomTop * height, y1: Math.max(GRID.bottomTop * height, height - GRID.bottomBottom) },
  ];
}

/** Minute → x, as ECharts maps a value axis [from, to] onto the plot's width. */
export function xOf(minute: number, v: MarksView): number {
  const [top] = plots(v.width, v.height);
  const span = v.to - v.from || 1;
  return top.x0 + ((minute - v.from) / span) * (top.x1 - top.x0);
}

const FONT = '11px sans-serif';
const TAG_FONT = 'bold 11px sans-serif';
const TAG_H = 17;

/**
 * Text widths by font, kept: the layer is redrawn with every push while a segment grows, and
 * fitting a hundred-odd product names is otherwise thousands of measureText calls a redraw.
 */
const widths = new Map<string, Map<string, number>>();
function measurer(ctx: CanvasRenderingContext2D, font: string): (s: string) => number {
  let cache = widths.get(font);
  if (!cache) widths.set(font, (cache = new Map()));
  const c = cache;
  return (s) => {
    let w = c.get(s);
    if (w === undefined) {
      if (c.size > 5000) c.clear();
      w = ctx.measureText(s).width;
      c.set(s, w);
    }
    return w;
  };
}

/** The longest prefix of `text` (with …) that fits `maxPx`; null when not even two characters do. */
export function fitText(text: string, maxPx: number, measure: (s: string) => number): string | null {
  if (measure(text) <= maxPx) return text;
  for (let n = Math.min(text.length - 1, 24); n >= 2; n--) {
    const s = text.slice(0, n) + '…';
    if (measure(s) <= maxPx) return s;
  }
  return null;
}

/** Where the marker tags go: centred on their line, in the lane between the legend and the top plot. */
export function tagBoxes(markers: Marks['markers'], v: MarksView, measure: (s: string) => number): Array<TagBox & { tag: string; color: string; x: number }> {
  const [top] = plots(v.width, v.height);
  const out: Array<TagBox & { tag: string; color: string; x: number }> = [];
  for (const m of markers) {
    const x = xOf(m.at, v);
    if (x < top.x0 - 0.5 || x > top.x1 + 0.5) continue;
    const w = measure(m.tag) + 8;
    out.push({ x, x0: x - w / 2, x1: x + w / 2, y0: top.y0 - 3 - TAG_H, y1: top.y0 - 3, title: m.title, tag: m.tag, color: m.color });
  }
  return out;
}

/**
 * Sizes a chart layer's canvas to the container at devicePixelRatio `dpr` (only when that changed:
 * resizing a canvas reallocates it) and clears it; returns its context drawing in CSS px, or null.
 */
export function clearCanvas(canvas: HTMLCanvasElement, v: { width: number; height: number }, dpr: number): CanvasRenderingContext2D | null {
  const pw = Math.max(1, Math.round(v.width * dpr));
  const ph = Math.max(1, Math.round(v.height * dpr));
  if (canvas.width !== pw || canvas.height !== ph) {
    canvas.width = pw;
    canvas.height = ph;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, pw, ph);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** A minute opened from an alert: the minute [x0, x1) highlighted in each plot. */
function drawFocus(ctx: CanvasRenderingContext2D, boxes: readonly Box[], fromX: number, toX: number): void {
  ctx.save();
  ctx.fillStyle = 'rgba(255, 202, 40, 0.28)';
  for (const plot of boxes) {
    const x0 = Math.max(plot.x0, fromX);
    const x1 = Math.min(plot.x1, toX);
    if (x1 > x0) ctx.fillRect(x0, plot.y0, x1 - x0, plot.y1 - plot.y0);
  }
  ctx.restore();
}

/** Draws every mark onto a canvas sized to the container (devicePixelRatio `dpr`); returns the marker tags drawn. */
export function drawMarks(canvas: HTMLCanvasElement, v: MarksView, marks: Marks, dpr: number): TagBox[] {
  const ctx = clearCanvas(canvas, v, dpr);
  if (!ctx) return [];
  const [top, bottom] = plots(v.width, v.height);
  const x = (m: number) => xOf(m, v);
  // A 1-px line on a pixel's centre stays crisp.
  const crisp = (px: number) => Math.round(px * dpr) / dpr + 0.5 / dpr;

  const clipTo = (b: Box) => {
    ctx.beginPath();
    ctx.rect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    ctx.clip();
  };

  // Bands in both plots.
  for (const plot of [top, bottom]) {
    ctx.save();
    clipTo(plot);
    ctx.globalAlpha = 0.13;
    for (const b of marks.bands) {
      const x0 = Math.max(plot.x0, x(b.from));
      const x1 = Math.min(plot.x1, x(b.to));
      if (x1 <= x0) continue;
      ctx.fillStyle = b.color;
      ctx.fillRect(x0, plot.y0, x1 - x0, plot.y1 - plot.y0);
    }
    ctx.restore();
  }
  if (marks.focus !== undefined && marks.focus !== null) drawFocus(ctx, [top, bottom], x(marks.focus), x(marks.focus + 1));

  ctx.save();
  clipTo(top);
  // Names of the bands that have room for them.
  ctx.font = FONT;
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#c9d1e3';
  const measure = measurer(ctx, FONT);
  for (const b of marks.bands) {
    const x0 = Math.max(top.x0, x(b.from));
    const room = Math.min(top.x1, x(b.to)) - x0 - 10;
    if (room < 16) continue;
    const text = fitText(b.label, room, measure);
    if (text) ctx.fillText(text, x0 + 5, top.y0 + 5);
  }
  // Pins.
  ctx.lineWidth = 1;
  for (const p of marks.pins) {
    const px = crisp(x(p.at));
    if (px < top.x0 || px > top.x1) continue;
    ctx.strokeStyle = p.color;
    ctx.beginPath();
    ctx.moveTo(px, top.y0);
    ctx.lineTo(px, top.y1);
    ctx.stroke();
  }
  // Markers: dotted lines.
  ctx.lineWidth = 1.5;
  ctx.setLineDash([1.5, 3]);
  for (const m of marks.markers) {
    const px = x(m.at);
    if (px < top.x0 || px > top.x1) continue;
    ctx.strokeStyle = m.color;
    ctx.beginPath();
    ctx.moveTo(px, top.y0);
    ctx.lineTo(px, top.y1);
    ctx.stroke();
  }
  // Alerts: red dashed lines with ⚠ at the top.
  ctx.setLineDash([5, 5]);
  ctx.strokeStyle = '#ef5350';
  ctx.fillStyle = '#ef5350';
  ctx.font = '10px sans-serif';
  ctx.textAlign = 'right';
  for (const a of marks.alerts) {
    const px = x(a);
    if (px < top.x0 || px > top.x1) continue;
    ctx.beginPath();
    ctx.moveTo(px, top.y0);
    ctx.lineTo(px, top.y1);
    ctx.stroke();
    ctx.fillText('⚠', px - 2, top.y0 + 3);
  }
  ctx.restore();

  // Marker tags in the lane above the plot (outside the clip).
  ctx.save();
  ctx.font = TAG_FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  const tags = tagBoxes(marks.markers, v, measurer(ctx, TAG_FONT));
  for (const t of tags) {
    ctx.fillStyle = t.color;
    ctx.beginPath();
    ctx.roundRect(t.x0, t.y0, t.x1 - t.x0, t.y1 - t.y0, 3);
    ctx.fill();
    ctx.fillStyle = '#10141f';
    ctx.fillText(t.tag, t.x, (t.y0 + t.y1) / 2 + 0.5);
  }
  ctx.restore();
  return tags;
}
