/**
 * What the advice card says while the hysteresis holds a new action back (never flapping, and
 * never a mystery): the action the data points to and for how many of the 3 minutes it has, and
 * why a hold is a hold.
 */
import { describe, expect, it } from 'vitest';
import { AdAdvisor } from '../../shared/ads/advisor.ts';

const MIN = 60_000;

/** A plan spending ¥50 a minute whose ads bring `roi` × spend in attributed GMV. */
function advisor(roi: number, minutes: number, breakEvenRoi = 2): AdAdvisor {
  const a = new AdAdvisor({ targetRoi: 3, breakEvenRoi });
  a.observe({ type: 'session', ts: 0, startedAt: 0, status: 'live' });
  for (let k = 0; k < minutes; k++) a.observe({ type: 'ad', ts: k * MIN + 30_000, planId: 'p', spendFen: 5_000 * (k + 1), gmvFen: Math.round(5_000 * roi * (k + 1)), budgetFenPerMin: 5_000 });
  return a;
}

describe('advice pending behind the hysteresis', () => {
  it('says which action is coming and for how many minutes the data has pointed to it', () => {
    const a = advisor(0.8, 12); // ad ROI 0.8 against break-even 2: a cut
    const at = (m: number) => a.advise(m * MIN + 1)[0]!;
    expect(at(6)).toMatchObject({ action: 'hold', pending: { action: 'cut', minutes: 1, needed: 3 } });
    expect(at(7)).toMatchObject({ action: 'hold', pending: { action: 'cut', minutes: 2, needed: 3 } });
    const third = at(8);
    expect(third).toMatchObject({ action: 'cut', pending: null, suggestedBudgetFenPerMin: 3_500 });
    expect(third.reasons.map((r) => r.code)).toEqual(['averageRoiOnly', 'belowBreakEven']);
  });

  it('gives a hold its reason: above break-even, short of the raise bar', () => {
    const a = advisor(2.8, 8); // 2.8 × 0.8 = 2.24: above break-even 2, below 3 × 1.15
    const advice = a.advise(7 * MIN + 1)[0]!;
    expect(advice).toMatchObject({ action: 'hold', pending: null });
    expect(advice.reasons).toContainEqual({ code: 'withinBand', breakEven: 2, raiseAt: 3.45 });
  });
});
