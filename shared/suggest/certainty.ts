/**
 * How sure the suggestion panel is, in one place (issue 15: "confidence words and percentages
 * agree"). Every certainty on screen is the chance of one claim — "explaining X from now on sells
 * more per minute than the alternative" — and every such chance is worded by `certaintyOf`, so a
 * card never says 把握 85% while another says 把握不大 about the same pick.
 *
 * The estimates are treated as independent normals (value ± sd), so the chance that A sells more
 * than B is Φ((vA − vB) / √(sdA² + sdB²)). A model is never certain: the chance is kept within
 * [MIN_CHANCE, MAX_CHANCE], except that leaving a sold-out product is certain.
 */
import { normalCdf } from './estimators.ts';

export const MIN_CHANCE = 0.05;
export const MAX_CHANCE = 0.99;
/** 把握大 from here up, 有一定把握 from MEDIUM_FROM, 把握不大 below. */
export const HIGH_FROM = 0.8;
export const MEDIUM_FROM = 0.6;

export type Certainty = 'high' | 'medium' | 'low';

export interface Valued {
  valueFenPerMin: number;
  sdFenPerMin: number;
}

/** The chance that `a` sells more per minute than `b`. */
export function winChance(a: Valued, b: Valued): number {
  const z = (a.valueFenPerMin - b.valueFenPerMin) / Math.sqrt(a.sdFenPerMin ** 2 + b.sdFenPerMin ** 2 + 1e-9);
  return Math.max(MIN_CHANCE, Math.min(MAX_CHANCE, normalCdf(z)));
}

/** The chance that switching from the pinned product to `to` sells more: certain when the pinned one sold out. */
export function switchChance(to: Valued, pinned: Valued & { soldOut: boolean }): number {
  return pinned.soldOut ? 1 : winChance(to, pinned);
}

/** The one mapping from a chance to words. */
export function certaintyOf(chance: number): Certainty {
  return chance >= HIGH_FROM ? 'high' : chance >= MEDIUM_FROM ? 'medium' : 'low';
}
