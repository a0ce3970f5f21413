/**
 * The segment scorecard — each 讲解 segment against the room baseline and the product's other
 * segments — and what the report finds on its own: dead air and the biggest drops and gains, each
 * with what happened before it. Pure.
 *
 * Definitions (keep them current; docs/retrospective.md and the exports repeat them):
 * - Baseline: the room while a product was explained — Σ segment GMV ÷ Σ segment minutes (¥/min),
 *   Σ GMV ÷ Σ entries × 1000 (GPM, METRICS.md's segment GPM is per entry), Σ clicks ÷ Σ exposures,
 *   Σ orders ÷ Σ clicks over every segment.
 * - A segment's `vsRoom` / `vsProduct` are value ÷ yardstick − 1; the product yardstick pools the
 *   product's other segments. `verdict`: strong / weak when ¥/min is 25 % above / below the
 *   baseline (segments of at least a minute).
 * - `advice`: `followed` when an accepted suggestion's command pinned this product within 3 minutes
 *   before the segment began; `against` when a "next up" for another product was on screen then
 *   and this product was chosen instead; else null.
 * - Dead air: a run of whole minutes with no product explained during which online fell 5 % or
 *   more (from the minute before the run to the end of its last minute).
 * - Drops and gains, and what explains them: shared/retro/moments.ts.
 */
import type { MinuteRow, ProductRow, SegmentRow } from '../metrics/types.ts';
import type { Alert } from '../alerts/types.ts';
import type { SessionMarker } from '../sessions.ts';
import type { Decision } from '../suggest/live.ts';
import type { StockOut, TrafficMinute } from './extras.ts';
import type { DeadAir, Scorecard, SegmentScore } from './types.ts';
import type { RetroAdAction } from './ad-actions.ts';
import { formatChange } from './labels.ts';
import { formatCount } from '../format.ts';
import { minuteRangeLabel } from '../minutes.ts';
import { inBoth } from '../i18n/localiser.ts';
import { Attribution, capitalise, findMoments } from './moments.ts';
import { minuteIndex } from '../metrics/window.ts';

export type { RetroAdAction } from './ad-actions.ts';
export { adActionText } from './ad-actions.ts';

export interface ScorecardInput {
  startedAt: number;
  minutes: readonly MinuteRow[];
  segments: readonly SegmentRow[];
  products: readonly ProductRow[];
  decisions: readonly Decision[];
  alerts: readonly Alert[];
  markers: readonly SessionMarker[];
  adActions: readonly RetroAdAction[];
  traffic: readonly TrafficMinute[];
  /** when products ran out (RetroExtras.stockOuts; absent from an older rollup) */
  stockOuts?: readonly StockOut[];
}

const ADVICE_WINDOW_MS = 3 * 60_000;
const DEAD_AIR_FALL = 0.05;
const VERDICT = 0.25;

function rate(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}
function rel(v: number | null, base: number | null): number | null {
  return v === null || base === null || !(base > 0) ? null : v / base - 1;
}

export function buildScorecard(inp: ScorecardInput): Scorecard {
  const titles = new Map(inp.products.map((p) => [p.productId, p]));
  const segs = inp.segments;
  const tot = segs.reduce(
    (a, s) => ({ gmv: a.gmv + s.gmvFen, sec: a.sec + s.durationSec, enters: a.enters + s.enters, exp: a.exp + s.exposures, clicks: a.clicks + s.clicks, orders: a.orders + s.orders }),
    { gmv: 0, sec: 0, enters: 0, exp: 0, clicks: 0, orders: 0 },
  );
  const baseline = {
    gmvPerMin: tot.sec > 0 ? tot.gmv / 100 / (tot.sec / 60) : null,
    gpm: tot.enters > 0 ? (tot.gmv / 100 / tot.enters) * 1000 : null,
    ctr: rate(tot.clicks, tot.exp),
    clickToOrder: rate(tot.orders, tot.clicks),
  };
  const accepted = inp.decisions.filter((d) => d.action === 'accepted');
  const shownNext = inp.decisions.filter((d) => d.action === 'shown' && d.kind === 'next-up');
  const segments: SegmentScore[] = segs.map((s, index) => {
    const gmvPerMin = s.durationSec > 0 ? s.gmvFen / 100 / (s.durationSec / 60) : null;
    const others = segs.filter((o) => o !== s && o.productId === s.productId);
    let vsProduct: SegmentScore['vsProduct'] = null;
    if (others.length) {
      const o = others.reduce((a, x) => ({ gmv: a.gmv + x.gmvFen, sec: a.sec + x.durationSec, exp: a.exp + x.exposures, clicks: a.clicks + x.clicks, orders: a.orders + x.orders }), { gmv: 0, sec: 0, exp: 0, clicks: 0, orders: 0 });
      vsProduct = {
        others: others.length,
        gmvPerMin: rel(gmvPerMin, o.sec > 0 ? o.gmv / 100 / (o.sec / 60) : null),
        ctr: rel(s.ctr, rate(o.clicks, o.exp)),
        clickToOrder: rel(s.clickToOrder, rate(o.orders, o.clicks)),
      };
    }
    const vsRoom = { gmvPerMin: rel(gmvPerMin, baseline.gmvPerMin), gpm: rel(s.gpm, baseline.gpm), ctr: rel(s.ctr, baseline.ctr), clickToOrder: rel(s.clickToOrder, baseline.clickToOrder) };
    const p = titles.get(s.productId);
    return {
      index,
      productId: s.productId,
      title: p?.title ?? s.productId,
      role: p?.role ?? null,
      startTs: s.startTs,
      endTs: s.endTs,
      startMinute: minuteIndex(s.startTs, inp.startedAt),
      durationSec: s.durationSec,
      gmvFen: s.gmvFen,
      gmvPerMin,
      gpm: s.gpm,
      ctr: s.ctr,
      clickToOrder: s.clickToOrder,
      orders: s.orders,
      exposures: s.exposures,
      clicks: s.clicks,
      enters: s.enters,
      onlineStart: s.onlineStart,
      onlineEnd: s.onlineEnd,
      onlineChange: s.onlineStart !== null && s.onlineEnd !== null ? rel(s.onlineEnd, s.onlineStart) : null,
      vsRoom,
      vsProduct,
      advice: adviceOf(s, accepted, shownNext),
      verdict: s.durationSec >= 60 && vsRoom.gmvPerMin !== null ? (vsRoom.gmvPerMin >= VERDICT ? 'strong' : vsRoom.gmvPerMin <= -VERDICT ? 'weak' : 'normal') : 'normal',
    };
  });
  const moments = { ...inp, segments, stockOuts: inp.stockOuts ?? [] };
  const why = new Attribution(moments);
  return { segments, baseline, deadAir: deadAir(inp.minutes), drops: findMoments(moments, 'drop', why), gains: findMoments(moments, 'gain', why) };
}

function commandProduct(d: Decision): string | null {
  const c = d.command;
  if (c && (c.type === 'pin' || c.type === 'flash')) return c.productId;
  return d.kind === 'switch-now' ? (typeof d.figures.toProductId === 'string' ? d.figures.toProductId : null) : d.productId;
}

function adviceOf(s: SegmentRow, accepted: readonly Decision[], shownNext: readonly Decision[]): SegmentScore['advice'] {
  const near = (d: Decision) => d.ts <= s.startTs + 5_000 && d.ts >= s.startTs - ADVICE_WINDOW_MS;
  if (accepted.some((d) => near(d) && commandProduct(d) === s.productId)) return 'followed';
  // A "next up" on screen for another product when this one was chosen (and not this product's own card).
  const onScreen = shownNext.filter(near);
  if (onScreen.length && !onScreen.some((d) => d.productId === s.productId)) return 'against';
  return null;
}

function deadAir(minutes: readonly MinuteRow[]): DeadAir[] {
  const out: DeadAir[] = [];
  let i = 0;
  while (i < minutes.length) {
    if (minutes[i]!.pinnedProductId !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < minutes.length && minutes[j + 1]!.pinnedProductId === null) j++;
    const before = i > 0 ? minutes[i - 1]!.onlineEnd : minutes[i]!.onlineAvg;
    const after = minutes[j]!.onlineEnd;
    if (before !== null && after !== null && before > 0) {
      const change = after / before - 1;
      if (change <= -DEAD_AIR_FALL) {
        const a = minutes[i]!.minute;
        const b = minutes[j]!.minute;
        out.push({
          startMinute: a,
          endMinute: b,
          minutes: b - a + 1,
          onlineFrom: before,
          onlineTo: after,
          change,
          // At the start of a sentence: "Minutes 11–13" (the Chinese label has no case).
          ...inBoth((t) => t('deadAir.line', { span: capitalise(minuteRangeLabel(a, b, t.locale)), from: formatCount(before, t.locale), to: formatCount(after, t.locale), change: formatChange(change) })),
        });
      }
    }
    i = j + 1;
  }
  return out;
}
