/**
 * The small statistics the suggestion engine is built from. Pure functions, hand-checkable:
 * tests/unit/suggest.test.ts works each one through on paper-sized numbers.
 *
 * Vocabulary
 *   freshness f ∈ [0, 1]   how much of a product's appeal is left: 1 = rested, falls while it is
 *                          explained (half-life H minutes), comes back while it rests (half-life
 *                          RECOVERY_FACTOR · H). The engine never sees the simulator's numbers; H is
 *                          fitted from the feed (fitHalfLife).
 *   adjusted exposures     exposures × ctrLift(f): what the exposures are worth at full freshness.
 *                          Dividing clicks by them gives the product's *fresh* click-through.
 */

/** Interest does not fall to zero: arriving viewers have never seen the pitch. Generic domain prior. */
export const CTR_FLOOR = 0.3;
export const CVR_FLOOR = 0.5;
/** Appeal comes back more slowly than it goes (viewers remember). */
export const RECOVERY_FACTOR = 1.5;
/** Half-lives (minutes) the engine considers; fitHalfLife picks among them. */
export const HALF_LIFE_GRID = [2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30, 45, 60, 90] as const;
export const DEFAULT_HALF_LIFE_MIN = 8;

export function ctrLift(f: number): number {
  return CTR_FLOOR + (1 - CTR_FLOOR) * clamp01(f);
}

export function cvrLift(f: number): number {
  return CVR_FLOOR + (1 - CVR_FLOOR) * clamp01(f);
}

/** Freshness after `min` minutes explained, from f0. */
export function decay(f0: number, min: number, halfLifeMin: number): number {
  return clamp01(f0) * Math.pow(0.5, Math.max(0, min) / halfLifeMin);
}

/** Freshness after `min` minutes of rest, from f0. */
export function recover(f0: number, min: number, halfLifeMin: number): number {
  return 1 - (1 - clamp01(f0)) * Math.pow(0.5, Math.max(0, min) / (halfLifeMin * RECOVERY_FACTOR));
}

/**
 * The mean value multiplier ctrLift·cvrLift over the next `horizonMin` minutes of explaining,
 * starting at f0 (Simpson's rule on 8 intervals: smooth curve, exact enough).
 */
export function meanLiftOver(f0: number, horizonMin: number, halfLifeMin: number): number {
  if (horizonMin <= 0) return ctrLift(f0) * cvrLift(f0);
  const n = 8;
  const h = horizonMin / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const f = decay(f0, i * h, halfLifeMin);
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * ctrLift(f) * cvrLift(f);
  }
  return s / (3 * n);
}

/**
 * A Gamma–Poisson rate: `events` seen over `exposure` (already freshness-adjusted), shrunk
 * toward `priorMean` as if `priorWeight` units of exposure had been seen at that rate.
 * Returns the posterior mean and standard deviation.
 */
export function gammaRate(events: number, exposure: number, priorMean: number, priorWeight: number): { mean: number; sd: number } {
  const a = priorMean * priorWeight + Math.max(0, events);
  const b = priorWeight + Math.max(0, exposure);
  if (b <= 0) return { mean: priorMean, sd: priorMean };
  return { mean: a / b, sd: Math.sqrt(Math.max(a, 1e-9)) / b };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** One stretch of explaining a product, in minutes since the show started. */
export interface Stretch {
  startMin: number;
  /** null while it runs */
  endMin: number | null;
}

/** Freshness at the start of each stretch, given the product's pin history and a half-life. */
export function freshnessAtStarts(stretches: readonly Stretch[], halfLifeMin: number, nowMin: number): number[] {
  const out: number[] = [];
  let f = 1;
  let lastEnd: number | null = null;
  for (const s of stretches) {
    if (lastEnd !== null) f = recover(f, s.startMin - lastEnd, halfLifeMin);
    out.push(f);
    const end = s.endMin ?? nowMin;
    f = decay(f, end - s.startMin, halfLifeMin);
    lastEnd = end;
  }
  return out;
}

/** Freshness now, given the pin history (the last stretch may still run). */
export function freshnessNow(stretches: readonly Stretch[], halfLifeMin: number, nowMin: number): number {
  let f = 1;
  let lastEnd: number | null = null;
  for (const s of stretches) {
    if (lastEnd !== null) f = recover(f, s.startMin - lastEnd, halfLifeMin);
    const end = s.endMin ?? nowMin;
    f = decay(f, end - s.startMin, halfLifeMin);
    lastEnd = end;
  }
  if (lastEnd !== null && lastEnd < nowMin) f = recover(f, nowMin - lastEnd, halfLifeMin);
  return f;
}

/** Evidence collected while a product was explained, in buckets of its stretches. */
export interface PinnedBucket {
  stretch: number;
  /** minutes from the stretch start to the bucket's middle */
  tauMin: number;
  exposures: number;
  clicks: number;
  orders: number;
}

/**
 * Poisson log-likelihood of the clicks and orders in `buckets` for one half-life, with the
 * product's fresh click-through and conversion at their maximum-likelihood values (profiled out).
 * Constant terms (log k!) are dropped: only differences between half-lives matter.
 */
export function halfLifeLogLik(buckets: readonly PinnedBucket[], starts: readonly number[], halfLifeMin: number): number {
  let clicks = 0;
  let adjExpo = 0;
  let orders = 0;
  let adjClicks = 0;
  const fs = buckets.map((b) => decay(starts[b.stretch] ?? 1, b.tauMin, halfLifeMin));
  buckets.forEach((b, i) => {
    const f = fs[i] ?? 1;
    clicks += b.clicks;
    adjExpo += b.exposures * ctrLift(f);
    orders += b.orders;
    adjClicks += b.clicks * cvrLift(f);
  });
  if (adjExpo <= 0) return 0;
  const ctr = clicks / adjExpo;
  const cvr = adjClicks > 0 ? orders / adjClicks : 0;
  let ll = 0;
  buckets.forEach((b, i) => {
    const f = fs[i] ?? 1;
    const lc = b.exposures * ctrLift(f) * ctr;
    if (lc > 0) ll += b.clicks * Math.log(lc) - lc;
    const lo = b.clicks * cvrLift(f) * cvr;
    if (lo > 0) ll += b.orders * Math.log(lo) - lo;
  });
  return ll;
}

/** Log-normal prior on the half-life around `centerMin` (log-sd 0.9: a factor of ~2.5 either way). */
export function halfLifeLogPrior(halfLifeMin: number, centerMin: number): number {
  const z = Math.log(halfLifeMin / centerMin) / 0.9;
  return -0.5 * z * z;
}
