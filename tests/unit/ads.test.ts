/** The ad buyer's arithmetic (issue 5) on hand-worked cases. */
import { describe, expect, it } from 'vitest';
import { blendedMargin, breakEvenRoi, costPerEntryFen, cpmFen, marginPerGmv, marginalRoi, ols, profitFen, roi } from '../../shared/ads/math.ts';

describe('ROI and costs', () => {
  it('roi, cpm, cost per entry', () => {
    expect(roi(300_00, 100_00)).toBe(3);
    expect(roi(5, 0)).toBeNull();
    expect(cpmFen(5000, 2000)).toBe(2500); // ¥50 for 2,000 impressions: ¥25 per thousand
    expect(costPerEntryFen(5000, 40)).toBe(125);
    expect(costPerEntryFen(5000, 0)).toBeNull();
  });

  it('break-even ROI from cost, fee and refunds', () => {
    // price ¥100, cost ¥40, fee 5 %, refunds 10 %: 0.9 · (1 − 0.05 − 0.4) = 0.495 → 2.02
    const m = marginPerGmv({ priceFen: 10_000, costFen: 4_000, feeRate: 0.05, refundRate: 0.1 });
    expect(m).toBeCloseTo(0.495);
    expect(breakEvenRoi(m)).toBeCloseTo(2.0202, 3);
    // selling below cost: no ROI breaks even
    expect(breakEvenRoi(marginPerGmv({ priceFen: 100, costFen: 120, feeRate: 0, refundRate: 0 }))).toBe(Infinity);
    // the room's margin weights products by what they sold
    expect(blendedMargin([{ gmvFen: 300, margin: 0.5 }, { gmvFen: 100, margin: 0.1 }])).toBeCloseTo(0.4);
    expect(blendedMargin([])).toBeNull();
    // profit: ¥1,000 GMV at 0.4 margin minus ¥250 spend = ¥150
    expect(profitFen(100_000, 0.4, 25_000)).toBe(15_000);
  });
});

describe('marginal ROI', () => {
  it('least squares on a line', () => {
    expect(ols([1, 2, 3, 4], [3, 5, 7, 9])).toMatchObject({ a: 1, b: 2, r2: 1, n: 4 });
    expect(ols([2, 2, 2], [1, 2, 3])).toBeNull();
  });

  it('finds the slope and the lag at which spend shows up in GMV', () => {
    // GMV = 1000 organic + 3 × the spend of two minutes earlier
    const spend = [100, 100, 300, 300, 100, 200, 400, 100, 100, 300, 200, 100];
    const gmv = spend.map((_, i) => 1000 + 3 * (spend[i - 2] ?? 100));
    const m = marginalRoi(spend, gmv);
    expect(m?.lagMin).toBe(2);
    expect(m?.value).toBeCloseTo(3);
    expect(m?.r2).toBeCloseTo(1);
  });
});
