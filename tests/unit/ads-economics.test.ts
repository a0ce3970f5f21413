/**
 * Break-even and profit by hand: the room's margin by sales mix, cost overrides, break-even ROI, and the refund rate
 * learned from earlier shows (shared/ads/economics.ts), plus the advice's reasons in words.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ECONOMICS, DEFAULT_REFUND_RATE, MIN_LEARN_PAID_FEN, RoomEconomicsSchema, economicsView, learnedRefundRate, type EconomicsProductInput } from '../../shared/ads/economics.ts';
import { renderAdReason, renderAdReasons } from '../../shared/ads/reasons.ts';

// A: ¥100, cost ¥40; B: ¥50, cost ¥30. Fee 5 %, refunds 10 %:
//   A keeps 0.9 × (1 − 0.05 − 0.40) = 0.495 of each yuan, B 0.9 × (1 − 0.05 − 0.60) = 0.315.
const A: EconomicsProductInput = { productId: 'a', title: 'A', priceFen: 10_000, catalogCostFen: 4_000, gmvFen: 0, items: 0 };
const B: EconomicsProductInput = { productId: 'b', title: 'B', priceFen: 5_000, catalogCostFen: 3_000, gmvFen: 0, items: 0 };
const econ = { feeRate: 0.05, refundRate: 0.1, costOverrides: {} };

describe('economics: margin, break-even', () => {
  it('weights each product by this show’s GMV', () => {
    // A sold ¥300 (3 items), B ¥100 (2): (300 × 0.495 + 100 × 0.315) / 400 = 0.45 → break-even 1 / 0.45 = 2.222…
    const v = economicsView(econ, [{ ...A, gmvFen: 30_000, items: 3 }, { ...B, gmvFen: 10_000, items: 2 }], null);
    expect(v.products.map((p) => p.margin)).toEqual([expect.closeTo(0.495, 12), expect.closeTo(0.315, 12)]);
    expect(v.margin).toBeCloseTo(0.45, 12);
    expect(v.marginBasis).toBe('mix');
    expect(v.breakEvenRoi).toBeCloseTo(1 / 0.45, 12);
    expect(v.refundSource).toBe('setting');
    expect(v.missingCosts).toBe(0);
  });

  it('uses the price a product actually sold for (a 秒杀 earns less)', () => {
    // A's 2 items sold for ¥160 in all (¥80 each): 0.9 × (1 − 0.05 − 40/80) = 0.405
    const v = economicsView(econ, [{ ...A, gmvFen: 16_000, items: 2 }, B], null);
    expect(v.margin).toBeCloseTo(0.405, 12);
  });

  it('before the first sale: the catalog’s products at list price, equally weighted', () => {
    const v = economicsView(econ, [A, B], null);
    expect(v.margin).toBeCloseTo((0.495 + 0.315) / 2, 12);
    expect(v.marginBasis).toBe('catalog');
  });

  it('a cost override replaces the catalog’s cost', () => {
    // B at cost ¥20: 0.9 × (1 − 0.05 − 0.4) = 0.495, like A
    const v = economicsView({ ...econ, costOverrides: { b: 2_000 } }, [{ ...A, gmvFen: 30_000, items: 3 }, { ...B, gmvFen: 10_000, items: 2 }], null);
    expect(v.products[1]).toMatchObject({ costFen: 2_000, costSource: 'override' });
    expect(v.products[0]).toMatchObject({ costFen: 4_000, costSource: 'catalog' });
    expect(v.margin).toBeCloseTo(0.495, 12);
  });

  it('leaves products without any cost out of the blend, and says how many', () => {
    const C: EconomicsProductInput = { productId: 'c', title: 'C', priceFen: 9_900, catalogCostFen: null, gmvFen: 99_000, items: 10 };
    const v = economicsView(econ, [{ ...A, gmvFen: 30_000, items: 3 }, C], null);
    expect(v.missingCosts).toBe(1);
    expect(v.products[1]).toMatchObject({ costFen: null, costSource: null, margin: null });
    expect(v.margin).toBeCloseTo(0.495, 12);
  });

  it('no costs at all: no margin, no break-even', () => {
    const v = economicsView(econ, [{ ...A, catalogCostFen: null }], null);
    expect(v).toMatchObject({ margin: null, marginBasis: null, breakEvenRoi: null, noMargin: false, missingCosts: 1 });
  });

  it('a sale that earns nothing after cost and fee: no ROI breaks even', () => {
    const v = economicsView(econ, [{ ...A, catalogCostFen: 9_600 }], null); // 1 − 0.05 − 0.96 < 0
    expect(v.margin).toBeLessThan(0);
    expect(v.breakEvenRoi).toBeNull();
    expect(v.noMargin).toBe(true);
  });

  it('validates the settings', () => {
    expect(RoomEconomicsSchema.safeParse(DEFAULT_ECONOMICS).success).toBe(true);
    expect(RoomEconomicsSchema.safeParse({ ...econ, feeRate: 1.2 }).success).toBe(false);
    expect(RoomEconomicsSchema.safeParse({ ...econ, costOverrides: { a: -1 } }).success).toBe(false);
    expect(RoomEconomicsSchema.safeParse({ ...econ, extra: 1 }).success).toBe(false);
  });
});

describe('refund rate: set, learned from earlier shows, or the default', () => {
  it('learns refunded ÷ paid GMV over the earlier shows', () => {
    // ¥2,000 paid with ¥200 refunded, and ¥1,000 with ¥40: 240 / 3000 = 8 %
    expect(learnedRefundRate([{ gmvFen: 200_000, refundFen: 20_000 }, { gmvFen: 100_000, refundFen: 4_000 }])).toEqual({ rate: 0.08, sessions: 2, paidFen: 300_000, refundedFen: 24_000 });
  });

  it('ignores shows that sold nothing, caps a refund at what was paid, and needs ¥1,000 of sales', () => {
    expect(learnedRefundRate([{ gmvFen: 0, refundFen: 500 }, { gmvFen: MIN_LEARN_PAID_FEN, refundFen: 2 * MIN_LEARN_PAID_FEN }])).toEqual({ rate: 1, sessions: 1, paidFen: MIN_LEARN_PAID_FEN, refundedFen: MIN_LEARN_PAID_FEN });
    expect(learnedRefundRate([{ gmvFen: MIN_LEARN_PAID_FEN - 1, refundFen: 0 }])).toBeNull();
    expect(learnedRefundRate([])).toBeNull();
  });

  it('the team’s figure wins; left empty, history; without history the default', () => {
    const learned = learnedRefundRate([{ gmvFen: 500_000, refundFen: 100_000 }]);
    const set = economicsView({ ...econ, refundRate: 0.1 }, [A], learned);
    expect([set.refundSource, set.refundRate]).toEqual(['setting', 0.1]);
    const fromHistory = economicsView({ ...econ, refundRate: null }, [A], learned);
    expect([fromHistory.refundSource, fromHistory.refundRate]).toEqual(['learned', 0.2]);
    // 0.8 × (1 − 0.05 − 0.4) = 0.44
    expect(fromHistory.margin).toBeCloseTo(0.44, 12);
    const fallback = economicsView({ ...econ, refundRate: null }, [A], null);
    expect([fallback.refundSource, fallback.refundRate]).toEqual(['default', DEFAULT_REFUND_RATE]);
  });
});

describe('the advice in words', () => {
  it('reads in Chinese and English', () => {
    const reasons = [
      { code: 'marginalRoi', value: 1.2, lagMin: 2 },
      { code: 'belowBreakEven', breakEven: 1.85 },
    ] as const;
    expect(renderAdReasons([...reasons], 'zh-CN')).toBe('近期边际ROI 1.20（成交滞后约 2 分钟），低于保本ROI 1.85：多花的钱在亏');
    expect(renderAdReasons([...reasons], 'en')).toBe('recent marginal ROI 1.20 (sales follow spend by ≈ 2 min); below break-even ROI 1.85: extra spend loses money');
    expect(renderAdReason({ code: 'organicRising', pct: 25 }, 'zh-CN')).toBe('自然流量上升 25%（付费撬动免费）');
    expect(renderAdReason({ code: 'aboveTargetAndBreakEven', target: 3, breakEven: null }, 'en')).toBe('above the target ROI 3.00');
    expect(renderAdReason({ code: 'settling', minutesLeft: 4 }, 'zh-CN')).toBe('刚调整过，4 分钟后再判断效果');
    expect(renderAdReason({ code: 'withinBand', breakEven: 1.54, raiseAt: 3.45 }, 'zh-CN')).toBe('高于保本ROI 1.54，但未到加投线 3.45');
  });
});
