/**
 * When a low figure is more than chance (shared/alerts/evaluate.ts "Room size"): a rate measured
 * on a few dozen clicks, or an online count of a hundred viewers, swings by itself; these say how
 * far it must be off before the alert rules believe it.
 */

/** One-sided 90 %: z of the Wilson bound the rate rules use (npm run bench:alerts chose it over 95 %, which missed half the real ones). */
export const RATE_Z = 1.2816;

/**
 * Online counts in a small room swing by several times √online within two minutes (viewers come
 * in bursts and leave together after a giveaway): a fall counts only when it is at least this many
 * √(high) viewers. Measured on the shipped rooms (npm run bench:alerts): the noise falls of a
 * 100–160-viewer room reach ≈ 4 √high; a real fall of a 700–5,000-viewer room is 10–22 √high.
 */
export const DROP_Z = 6;

/** Upper end of the Wilson score interval for `successes` out of `trials` (one-sided, z). */
export function wilsonUpper(successes: number, trials: number, z = RATE_Z): number {
  if (trials <= 0) return 1;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.min(1, (centre + spread) / (1 + z2 / trials));
}

/**
 * The smallest fall (viewers) that counts as a drop from `from` online: the operator's share
 * (onlineDropPct) in a big room, DROP_Z·√from in a small one. At the default 30 % the two meet at
 * 400 online; a 100-viewer room needs 60 viewers gone (60 %), a 10,000-viewer room 3,000 (30 %).
 */
export function minDrop(from: number, pct: number): number {
  return Math.max(pct * from, DROP_Z * Math.sqrt(from));
}
