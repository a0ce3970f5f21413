/**
 * Fatigue half-lives fitted to the feed (engine.ts's model: "H_p is fitted to the feed, the room's
 * pooled fit as a prior for each product"), from the likelihoods in estimators.ts.
 */
import { DEFAULT_HALF_LIFE_MIN, HALF_LIFE_GRID, freshnessAtStarts, halfLifeLogLik, halfLifeLogPrior } from './estimators.ts';
import type { PState } from './evidence.ts';
import type { LearnedPriors } from './types.ts';

/**
 * Fits each product's fatigue half-life: its own likelihood plus the room's pooled one as a prior.
 * Sets every product's `halfLifeMin`; returns the room's (null: nothing explained yet, no fit).
 */
export function fitHalfLives(products: ReadonlyMap<string, PState>, priors: LearnedPriors | null, nowMin: number): number | null {
  const list = [...products.values()].filter((p) => p.buckets.length > 0);
  if (!list.length) return null;
  const center = priors?.halfLifeMin ?? DEFAULT_HALF_LIFE_MIN;
  const perProduct = list.map((p) => HALF_LIFE_GRID.map((h) => halfLifeLogLik(p.buckets, freshnessAtStarts(p.stretches, h, nowMin), h)));
  const pooled = HALF_LIFE_GRID.map((h, i) => halfLifeLogPrior(h, center) + perProduct.reduce((s, ll) => s + (ll[i] ?? 0), 0));
  const roomHalfLife = HALF_LIFE_GRID[argmax(pooled)] ?? DEFAULT_HALF_LIFE_MIN;
  // The room's curve, normalised to a log-prior per product (worth about one product's evidence).
  const pmax = Math.max(...pooled);
  const roomPrior = pooled.map((v) => (v - pmax) / Math.max(1, list.length));
  list.forEach((p, j) => {
    const own = perProduct[j] ?? [];
    const learned = priors?.products[p.id]?.halfLifeMin;
    const score = HALF_LIFE_GRID.map((h, i) => (own[i] ?? 0) + (roomPrior[i] ?? 0) + (learned ? halfLifeLogPrior(h, learned) : 0));
    p.halfLifeMin = HALF_LIFE_GRID[argmax(score)] ?? roomHalfLife;
  });
  for (const p of products.values()) if (!p.buckets.length) p.halfLifeMin = priors?.products[p.id]?.halfLifeMin ?? roomHalfLife;
  return roomHalfLife;
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] ?? -Infinity) > (xs[best] ?? -Infinity)) best = i;
  return best;
}
