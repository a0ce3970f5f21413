/**
 * The ratio formulas of METRICS.md, in one place so every surface divides the same way.
 * A rate whose denominator is 0 (or unknown) is null — never 0, never NaN.
 */

export function rate(num: number | null, den: number | null): number | null {
  if (num === null || den === null || den === 0) return null;
  const r = num / den;
  return Number.isFinite(r) ? r : null;
}

/** Yuan per thousand views (or entries): `(gmvFen/100) / views × 1000`. */
export function gpm(gmvFen: number, views: number | null): number | null {
  const r = rate(gmvFen / 100, views);
  return r === null ? null : r * 1000;
}

/** Yuan per unit: `(fen/100) / den`, for uvValue, itemPrice, orderValue. */
export function yuanPer(fen: number, den: number | null): number | null {
  return rate(fen / 100, den);
}
