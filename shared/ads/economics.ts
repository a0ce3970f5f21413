/**
 * A room's economics: what a yuan of GMV leaves after cost of goods, the
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
import { blendedMargin, breakEvenRoi, grossMargin, marginPerGmv } from './math.ts';

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
  /** the price it sold for (GMV ÷ items), or the list price before it sold: what both margins use */
  effectivePriceFen: number;
  /** 毛利率 as finance defines it: (price − cost) ÷ price, at the effective price; null without a cost */
  grossMargin: number | null;
  /** what a yuan of this product's GMV leaves after cost, fee and refunds (not a 毛利率); null without a cost */
  margin: number | null;
}

export interface EconomicsView {
  settings: RoomEconomics;
  feeRate: number;
  refundRate: number;
  refundSource: 'setting' | 'learned' | 'default';
  learned: LearnedRefund | null;
  products: EconomicsProduct[];
  /** the room's margin per yuan of GMV after cost, fee and refunds (break-even's); null when no product has a cost */
  margin: number | null;
  /** the room's 毛利率 (finance's: before fee and refunds), blended the same way as `margin` */
  grossMargin: number | null;
  /** 'mix': weighted by this show's sales; 'catalog': list prices, equal weights (no sale yet) */
  marginBasis: 'mix' | 'catalog' | null;
  /** products without any cost figure, left out of the blend */
  missingCosts: number;
  /** 1 ÷ margin; null when the margin is unknown or nothing is earned per sale (see `noMargin`) */
  breakEvenRoi: number | null;
  /** the margin is zero or negative: no ROI breaks even */
  noMargin: boolean;
}

/** One change of a room's economics, for the ad console's action log. */
export interface EconomicsChange {
  id: string;
  roomId: string;
  /** the show it was made during, and its source time; null between shows */
  sessionId: string | null;
  ts: number | null;
  at: number;
  before: RoomEconomics;
  after: RoomEconomics;
  breakEvenBefore: number | null;
  breakEvenAfter: number | null;
  byName: string | null;
  byRole: string | null;
}

/** What a change changed, field by field: the fee, the refund rate (null: learned), each product's cost override (null: none). */
export type EconomicsEdit =
  | { field: 'fee'; from: number; to: number }
  | { field: 'refund'; from: number | null; to: number | null }
  | { field: 'cost'; productId: string; from: number | null; to: number | null };

export function economicsEdits(before: RoomEconomics, after: RoomEconomics): EconomicsEdit[] {
  const out: EconomicsEdit[] = [];
  if (before.feeRate !== after.feeRate) out.push({ field: 'fee', from: before.feeRate, to: after.feeRate });
  if (before.refundRate !== after.refundRate) out.push({ field: 'refund', from: before.refundRate, to: after.refundRate });
  const ids = [...new Set([...Object.keys(before.costOverrides), ...Object.keys(after.costOverrides)])].sort();
  for (const id of ids) {
    const from = before.costOverrides[id] ?? null;
    const to = after.costOverrides[id] ?? null;
    if (from !== to) out.push({ field: 'cost', productId: id, from, to });
  }
  return out;
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
    return { ...p, costFen, costSource, effectivePriceFen: priceFen, grossMargin: costFen === null ? null : grossMargin(priceFen, costFen), margin };
  });
  const costed = rows.filter((r) => r.margin !== null);
  const blend = (of: (r: EconomicsProduct) => number | null): number | null => {
    const mix = blendedMargin(costed.map((r) => ({ gmvFen: r.gmvFen, margin: of(r) ?? 0 })));
    return mix ?? (costed.length ? costed.reduce((s, r) => s + (of(r) ?? 0), 0) / costed.length : null);
  };
  const margin = blend((r) => r.margin);
  const marginBasis: EconomicsView['marginBasis'] = !costed.length ? null : costed.some((r) => r.gmvFen > 0) ? 'mix' : 'catalog';
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
    grossMargin: blend((r) => r.grossMargin),
    marginBasis,
    missingCosts,
    breakEvenRoi: be !== null && Number.isFinite(be) ? be : null,
    noMargin: margin !== null && margin <= 0,
  };
}
