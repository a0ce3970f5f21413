/**
 * A room's economics (PRODUCT.md A2): what a yuan of GMV leaves after cost of goods, the
 * platform's fee and refunds, and so the ROI at which ad spend pays for itself (METRICS.md
 * `breakEvenRoi`). Pure: the core feeds it the catalog, the show's sales and the store's history.
 *
 * - Cost of goods per product: the team's override, else the catalog's `costFen`; a product with
 *   neither is left out of the blend (and counted in `missingCosts`, so the screen can say so).
 * - Refund rate: the team's figure; left empty (null), it is learned from the room's earlier
 *   shows — refunded ÷ paid GMV over them — once they sold at least MIN_LEARN_PAID_FEN; without
 *   such history DEFAULT_REFUND_RATE, and the screen says which one is in use.
 * - The blend follows this show's sales mix: each product's margin at the price it actually sold
 *   for (GMV ÷ items, so a 秒杀 at 80 % earns less), weighted by its GMV. Before the first sale:
 *   the catalog's products at list price, equally weighted.
 */
import { z } from 'zod';
import { blendedMargin, breakEvenRoi, marginPerGmv } from './math.ts';

export const RoomEconomicsSchema = z
  .object({
    /** platform commission / technical service fee, a share of the price */
    feeRate: z.number().min(0).max(0.9),
    /** expected share of sales refunded; null: learn it from the room's earlier shows */
    refundRate: z.number().min(0).max(0.95).nullable(),
    /** cost of goods per product id, fen; overrides the catalog's costFen */
    costOverrides: z
      .record(z.string().min(1).max(200), z.number().int().min(0).max(1e10))
      .refine((r) => Object.keys(r).length <= 5000, 'at most 5000 cost overrides'),
  })
  .strict();
export type RoomEconomics = z.infer<typeof RoomEconomicsSchema>;

/** 5 %: the technical service fee of most Douyin categories; the team sets its own. */
export const DEFAULT_ECONOMICS: RoomEconomics = { feeRate: 0.05, refundRate: null, costOverrides: {} };
/** Used when the team left the refund rate empty and the room has no history to learn from. */
export const DEFAULT_REFUND_RATE = 0.05;
/** Earlier shows must have sold at least ¥1,000 before their refund rate is trusted. */
export const MIN_LEARN_PAID_FEN = 100_000;

export interface LearnedRefund {
  rate: number;
  sessions: number;
  paidFen: number;
  refundedFen: number;
}

/**
 * The refund rate of earlier shows: Σ refunded ÷ Σ paid GMV (METRICS.md `refundFen` / `gmvFen`,
 * both counting each order once). Null when they sold too little to tell.
 */
export function learnedRefundRate(history: readonly { gmvFen: number; refundFen: number }[]): LearnedRefund | null {
  let paid = 0;
  let refunded = 0;
  let sessions = 0;
  for (const h of history) {
    if (!(h.gmvFen > 0)) continue;
    paid += h.gmvFen;
    refunded += Math.max(0, Math.min(h.refundFen, h.gmvFen));
    sessions++;
  }
  if (paid < MIN_LEARN_PAID_FEN) return null;
  return { rate: refunded / paid, sessions, paidFen: paid, refundedFen: refunded };
}

export interface EconomicsProductInput {
  productId: string;
  title: string;
  /** list price */
  priceFen: number;
  /** the catalog's cost of goods, when the feed gives one */
  catalogCostFen: number | null;
  /** this show's paid GMV and items of the product */
  gmvFen: number;
  items: number;
}

export interface EconomicsProduct extends EconomicsProductInput {
  costFen: number | null;
  costSource: 'override' | 'catalog' | null;
  /** what a yuan of this product's GMV leaves (at its effective price); null without a cost */
  margin: number | null;
}

export interface EconomicsView {
  settings: RoomEconomics;
  feeRate: number;
  refundRate: number;
  refundSource: 'setting' | 'learned' | 'default';
  learned: LearnedRefund | null;
  products: EconomicsProduct[];
  /** the room's margin per yuan of GMV; null when no product has a cost */
  margin: number | null;
  /** 'mix': weighted by this show's sales; 'catalog': list prices, equal weights (no sale yet) */
  marginBasis: 'mix' | 'catalog' | null;
  /** products without any cost figure, left out of the blend */
  missingCosts: number;
  /** 1 ÷ margin; null when the margin is unknown or nothing is earned per sale (see `noMargin`) */
  breakEvenRoi: number | null;
  /** the margin is zero or negative: no ROI breaks even */
  noMargin: boolean;
}

export function economicsView(settings: RoomEconomics, products: readonly EconomicsProductInput[], learned: LearnedRefund | null): EconomicsView {
  const refundSource: EconomicsView['refundSource'] = settings.refundRate !== null ? 'setting' : learned ? 'learned' : 'default';
  const refundRate = settings.refundRate ?? learned?.rate ?? DEFAULT_REFUND_RATE;
  const feeRate = settings.feeRate;
  const rows: EconomicsProduct[] = products.map((p) => {
    const override = settings.costOverrides[p.productId];
    const costFen = override ?? p.catalogCostFen;
    const costSource = override !== undefined ? 'override' : p.catalogCostFen !== null ? 'catalog' : null;
    // The price it actually sold for; list price before it sold.
    const priceFen = p.gmvFen > 0 && p.items > 0 ? p.gmvFen / p.items : p.priceFen;
    const margin = costFen === null || !(priceFen > 0) ? null : marginPerGmv({ priceFen, costFen, feeRate, refundRate });
    return { ...p, costFen, costSource, margin };
  });
  const costed = rows.filter((r) => r.margin !== null);
  let margin = blendedMargin(costed.map((r) => ({ gmvFen: r.gmvFen, margin: r.margin! })));
  let marginBasis: EconomicsView['marginBasis'] = margin === null ? null : 'mix';
  if (margin === null && costed.length) {
    margin = costed.reduce((s, r) => s + r.margin!, 0) / costed.length;
    marginBasis = 'catalog';
  }
  // Products that sold without a cost distort the mix; those never sold do not matter yet.
  const missingCosts = rows.filter((r) => r.margin === null).length;
  const be = margin === null ? null : breakEvenRoi(margin);
  return {
    settings,
    feeRate,
    refundRate,
    refundSource,
    learned,
    products: rows,
    margin,
    marginBasis,
    missingCosts,
    breakEvenRoi: be !== null && Number.isFinite(be) ? be : null,
    noMargin: margin !== null && margin <= 0,
  };
}
