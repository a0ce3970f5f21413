/**
 * The pieces of a per-minute row (METRICS.md "Per-minute row"): the minute's counts, its online
 * figures from the step function, and the product pinned for the largest part of it.
 * SessionAggregator.minuteRows walks the minutes and puts them together.
 */
import { gpm, rate } from './formulas.ts';
import type { StepSeries } from './series.ts';
import type { PinSpan } from './segments.ts';
import type { FirstLikeTotal, MinuteAgg } from './tally.ts';
import type { MinuteRow } from './types.ts';

/** A minute's counts as a row; online figures and the pinned product are filled in after. */
export function countsRow(m: number, a: number, c: MinuteAgg, likes: number): MinuteRow {
  return {
    minute: m,
    ts: a,
    onlineAvg: null,
    onlineMax: null,
    onlineEnd: null,
    enters: c.enters,
    likes,
    comments: c.comments,
    follows: c.follows,
    shares: c.shares,
    fansclub: c.fansclub,
    giftFen: c.giftFen,
    exposures: c.exposures,
    clicks: c.clicks,
    orders: c.orders,
    items: c.items,
    gmvFen: c.gmvFen,
    refundFen: c.refundFen,
    adSpendFen: c.adSpendFen,
    pinnedProductId: null,
    ctr: rate(c.clicks, c.exposures),
    gpm: gpm(c.gmvFen, c.enters),
  };
}

/**
 * With like totals, the running max of the totals before minute `from`, starting from the first
 * total's own starting point (what the room had before that message): the next minute's likes
 * are its increase over this.
 */
export function likesBefore(mins: readonly MinuteAgg[], from: number, first: FirstLikeTotal | null): number {
  let running = first ? Math.max(0, first.total - first.n) : 0;
  for (let m = 0; m < from && m < mins.length; m++) {
    const t = mins[m]!.likesMaxTotal;
    if (t > running) running = t;
  }
  return running;
}

/** Online avg/max/end over [a, e), e = min(minute end, window end). */
export function fillOnline(row: MinuteRow, online: StepSeries, a: number, e: number, w: number, startedAt: number): void {
  if (e <= a) {
    // Only minute 0 of a zero-length window is inside the window; other such rows are not.
    if (a === w && a === startedAt) {
      const v = online.valueAt(w, false);
      row.onlineAvg = v;
      row.onlineMax = v;
      row.onlineEnd = v;
    }
    return;
  }
  const first = online.firstTime();
  if (first === null || first >= e) {
    row.onlineEnd = e === w ? online.valueAt(w, false) : null;
    return;
  }
  const a1 = first > a ? first : a;
  row.onlineAvg = (online.integralTo(e) - online.integralTo(a1)) / (e - a1);
  const k0 = online.indexAt(a, false);
  const hi = online.indexAt(e, true) + 1;
  const val = online.val;
  let max = k0 >= 0 ? val[k0]! : -Infinity;
  for (let j = k0 + 1; j < hi; j++) if (val[j]! > max) max = val[j]!;
  row.onlineMax = max;
  row.onlineEnd = e === w ? online.valueAt(w, false) : val[hi - 1]!;
}

/**
 * The product pinned for the largest part of each minute, asked minute after minute in order
 * (the span cursor only moves forward). Ties: a product beats "none"; between products, the one
 * first pinned later in the minute wins.
 */
export class MinutePins {
  private span = 0;
  private readonly pinIds: string[] = [];
  private readonly pinDurs: number[] = [];

  constructor(private readonly spans: readonly PinSpan[]) {}

  /** For the minute part [a, e), e > a. */
  pinnedIn(a: number, e: number): string | null {
    const spans = this.spans;
    const pinIds = this.pinIds;
    const pinDurs = this.pinDurs;
    while (this.span < spans.length && spans[this.span]!.end <= a) this.span++;
    pinIds.length = 0;
    pinDurs.length = 0;
    let pinned = 0;
    for (let j = this.span; j < spans.length && spans[j]!.start < e; j++) {
      const sp = spans[j]!;
      const d = Math.min(sp.end, e) - Math.max(sp.start, a);
      if (d <= 0) continue;
      pinned += d;
      const k = pinIds.indexOf(sp.productId);
      if (k < 0) {
        pinIds.push(sp.productId);
        pinDurs.push(d);
      } else {
        pinDurs[k] = pinDurs[k]! + d;
      }
    }
    let best: string | null = null;
    let bestDur = 0;
    for (let k = 0; k < pinIds.length; k++) {
      if (pinDurs[k]! >= bestDur) {
        best = pinIds[k]!;
        bestDur = pinDurs[k]!;
      }
    }
    return e - a - pinned > bestDur ? null : best;
  }
}
