/**
 * The minute chart's series layer: the six minute series (online average and max, entries, GMV
 * per minute as bars, GPM, CTR) drawn with the 2D canvas API over the ECharts axes layer, at the
 * axes' own fixed scales (valueScale) and zoom window.
 *
 * Why not an ECharts series: an ECharts instance runs its whole pipeline (data processing, every
 * component's layout, the zrender display list, a full repaint) on every update, and a line that
 * gained a point is a full update. With six series of ~480 points that was 10–25 ms a push on a
 * 2-core machine, over the frame budget the issue sets (npm run bench:ui, docs/testing.md). Drawn here it
 * is a few polylines and a row of rects: well under a millisecond.
 *
 * ECharts keeps the parts that are not per-push: the axes, tick labels, split lines and legend,
 * and the mouse's zoom (its inside dataZoom). The geometry is ECharts' — a test lays out the
 * same grids, scales and zoom window in ECharts and compares convertToPixel with xOf/yOf.
 */
import { clearCanvas, plots, xOf, type Box, type MarksView, type ValueScale } from '../../../lib/marks-layer.ts';

export interface SeriesStyle {
  id: string;
  /** 0, 1: the top plot's left and right axes; 2, 3: the bottom plot's. */
  yAxis: 0 | 1 | 2 | 3;
  kind: 'line' | 'bar';
  color: string;
  width: number;
  dash?: readonly number[];
}

export interface SeriesColumn {
  style: SeriesStyle;
  /** The value of row i (minute i), NaN where there is none (a gap in the line). */
  values: Float64Array;
}

/** The plot a y axis belongs to. */
export function plotOf(yAxis: number, width: number, height: number): Box {
  const [top, bottom] = plots(width, height);
  return yAxis < 2 ? top : bottom;
}

/** Value → y on a fixed scale from `scale.min` (0) at the plot's bottom to `scale.max` at its top. */
export function yOf(value: number, scale: ValueScale, plot: Box): number {
  const span = scale.max - scale.min || 1;
  return plot.y1 - ((value - scale.min) / span) * (plot.y1 - plot.y0);
}

/** Each minute's point sits at its middle, so a bar stays inside the minute's product band. */
export const pointX = (minute: number): number => minute + 0.5;

/** Bar width: 70 % of a minute, at most 12 px (ECharts' barMaxWidth the chart used), at least 1. */
export function barWidth(v: MarksView): number {
  const [top] = plots(v.width, v.height);
  const perMinute = (top.x1 - top.x0) / (v.to - v.from || 1);
  return Math.max(1, Math.min(12, perMinute * 0.7));
}

/** How the minute still being counted is drawn (`live`): faded, its line dashed — its counts are not a whole minute's yet. */
const PARTIAL_ALPHA = 0.45;
const PARTIAL_DASH = [3, 3];

/**
 * Draws the series onto a canvas sized to the container (devicePixelRatio `dpr`), each clipped
 * to its plot; only the rows inside the window (and one either side, so a line runs to the edge).
 * With `live`, the last row is the minute still being counted: faded, and the line to it dashed,
 * so a partial minute's low entries or GMV do not read as a drop.
 */
export function drawSeries(canvas: HTMLCanvasElement, v: MarksView, columns: readonly SeriesColumn[], scales: readonly ValueScale[], dpr: number, live = false): void {
  const ctx = clearCanvas(canvas, v, dpr);
  if (!ctx) return;
  const rows = columns[0]?.values.length ?? 0;
  const first = Math.max(0, Math.floor(v.from) - 1);
  const last = Math.min(rows - 1, Math.ceil(v.to) + 1);
  const bar = barWidth(v);
  // Bars first, under the lines (ECharts draws series in order; GMV is the only bar and sits under them by z).
  const ordered = [...columns.filter((c) => c.style.kind === 'bar'), ...columns.filter((c) => c.style.kind === 'line')];
  for (const { style, values } of ordered) {
    const scale = scales[style.yAxis];
    if (!scale) continue;
    const plot = plotOf(style.yAxis, v.width, v.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x0, plot.y0, plot.x1 - plot.x0, plot.y1 - plot.y0);
    ctx.clip();
    if (style.kind === 'bar') {
      ctx.fillStyle = style.color;
      for (let i = first; i <= last; i++) {
        const y = values[i]!;
        if (!(y > 0)) continue;
        const top = yOf(y, scale, plot);
        ctx.globalAlpha = live && i === rows - 1 ? PARTIAL_ALPHA : 1;
        ctx.fillRect(xOf(pointX(i), v) - bar / 2, top, bar, plot.y1 - top);
      }
    } else {
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width;
      ctx.lineJoin = 'round';
      ctx.setLineDash(style.dash ? [...style.dash] : []);
      const partial = live && last === rows - 1 && rows > 1;
      ctx.beginPath();
      let open = false;
      for (let i = first; i <= (partial ? last - 1 : last); i++) {
        const y = values[i]!;
        if (Number.isNaN(y)) {
          open = false; // a minute with no figure is a gap, as ECharts draws null
          continue;
        }
        const px = xOf(pointX(i), v);
        const py = yOf(y, scale, plot);
        if (open) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        open = true;
      }
      ctx.stroke();
      const [a, b] = [values[last - 1]!, values[last]!];
      if (partial && !Number.isNaN(a) && !Number.isNaN(b)) {
        ctx.globalAlpha = PARTIAL_ALPHA;
        ctx.setLineDash(PARTIAL_DASH);
        ctx.beginPath();
        ctx.moveTo(xOf(pointX(last - 1), v), yOf(a, scale, plot));
        ctx.lineTo(xOf(pointX(last), v), yOf(b, scale, plot));
        ctx.stroke();
      }
    }
    ctx.restore();
  }
}
