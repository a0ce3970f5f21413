/**
 * The ad buyer's arithmetic (METRICS.md ads), pure and hand-checkable.
 * Money is fen; ROI is a plain ratio (GMV ÷ spend).
 */

/** METRICS.md `roi` / `adRoi`: GMV ÷ spend; null without spend. */
export function roi(gmvFen: number, spendFen: number): number | null {
  return spendFen > 0 ? gmvFen / spendFen : null;
}

/** CPM in fen: spend per thousand impressions. */
export function cpmFen(spendFen: number, impressions: number): number | null {
  return impressions > 0 ? (spendFen / impressions) * 1000 : null;
}

/** Cost per paid entry (fen). */
export function costPerEntryFen(spendFen: number, entries: number): number | null {
  return entries > 0 ? spendFen / entries : null;
}

export interface MarginInputs {
  /** selling price and cost of goods, fen */
  priceFen: number;
  costFen: number;
  /** platform commission / technical service fee, share of the price (e.g. 0.05) */
  feeRate: number;
  /** share of sales refunded (the goods come back; the fee is refunded too) */
  refundRate: number;
}

/**
 * Gross margin as finance defines it: (price − cost of goods) ÷ price. No fee, no refunds — those
 * are in `marginPerGmv`, which is what break-even needs but is not a 毛利率.
 */
export function grossMargin(priceFen: number, costFen: number): number | null {
  return priceFen > 0 ? (priceFen - costFen) / priceFen : null;
}

/**
 * What a yuan of GMV leaves after goods, fees and refunds: (1 − refund) · (1 − fee − cost/price).
 * Refunded sales return the goods and the fee, so they earn nothing and cost nothing.
 */
export function marginPerGmv(m: MarginInputs): number {
  if (!(m.priceFen > 0)) return 0;
  return (1 - clamp01(m.refundRate)) * (1 - clamp01(m.feeRate) - m.costFen / m.priceFen);
}

/**
 * METRICS.md `breakEvenRoi`: 1 ÷ margin per GMV — the ROI at which ad spend exactly pays for
 * itself. Infinity when nothing is earned per sale (no ROI breaks even).
 */
export function breakEvenRoi(margin: number): number {
  return margin > 0 ? 1 / margin : Number.POSITIVE_INFINITY;
}

/** The room's margin: each product's margin weighted by its GMV (its sales mix so far). */
export function blendedMargin(rows: readonly { gmvFen: number; margin: number }[]): number | null {
  const gmv = rows.reduce((s, r) => s + Math.max(0, r.gmvFen), 0);
  if (gmv <= 0) return null;
  return rows.reduce((s, r) => s + Math.max(0, r.gmvFen) * r.margin, 0) / gmv;
}

/** Estimated profit (fen): GMV × margin − spend. */
export function profitFen(gmvFen: number, margin: number, spendFen: number): number {
  return gmvFen * margin - spendFen;
}

/** Ordinary least squares y = a + b·x; null when x does not vary. */
export function ols(xs: readonly number[], ys: readonly number[]): { a: number; b: number; r2: number; n: number } | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] ?? 0;
    sy += ys[i] ?? 0;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx <= 1e-9) return null;
  const b = sxy / sxx;
  return { a: my - b * mx, b, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 0, n };
}

/**
 * Marginal ROI of recent minutes: how much GMV an extra fen of spend brought, with the lag at
 * which spend shows up in sales. For each lag L in 0…maxLag it regresses GMV per minute on spend
 * per minute L minutes earlier over the window, and keeps the lag that explains most (r²).
 * `spend[i]`, `gmv[i]` are per-minute amounts, oldest first, the same minutes.
 */
export function marginalRoi(spend: readonly number[], gmv: readonly number[], maxLag = 4): { value: number; lagMin: number; r2: number; n: number } | null {
  let best: { value: number; lagMin: number; r2: number; n: number } | null = null;
  for (let lag = 0; lag <= maxLag; lag++) {
    const xs = spend.slice(0, spend.length - lag);
    const ys = gmv.slice(lag);
    const fit = ols(xs, ys);
    if (!fit) continue;
    if (!best || fit.r2 > best.r2) best = { value: fit.b, lagMin: lag, r2: fit.r2, n: fit.n };
  }
  return best;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
