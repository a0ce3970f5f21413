/**
 * Money as people read it (shared/format.ts): a loss is "−¥30", never "¥-30" — the ad console's
 * profit per minute and any negative figure go through here.
 */
import { describe, expect, it } from 'vitest';
import { formatMoneyFen, formatYuan, MINUS } from '../../shared/format.ts';

describe('formatMoneyFen', () => {
  it('puts a true minus before the currency for a negative amount', () => {
    expect(formatMoneyFen(-3_000, 'zh-CN')).toBe(`${MINUS}¥30`);
    expect(formatMoneyFen(-3_000, 'en')).toBe(`${MINUS}¥30`);
    expect(formatMoneyFen(-1_234_567, 'zh-CN')).toBe(`${MINUS}¥1.23万`);
    expect(formatMoneyFen(-1_234_567, 'en')).toBe(`${MINUS}¥12.3K`);
    expect(formatMoneyFen(-1_050, 'zh-CN', { precise: true })).toBe(`${MINUS}¥10.50`);
  });

  it('writes positive amounts and zero as before, and no minus on an amount that rounds to zero', () => {
    expect(formatMoneyFen(3_000, 'zh-CN')).toBe('¥30');
    expect(formatMoneyFen(0, 'zh-CN')).toBe('¥0');
    expect(formatMoneyFen(-0.2, 'zh-CN')).toBe('¥0');
    expect(formatMoneyFen(null, 'zh-CN')).toBe('—');
  });

  it('does the same for yuan figures', () => {
    expect(formatYuan(-27.87, 'zh-CN')).toBe(`${MINUS}¥27.87`);
    expect(formatYuan(891, 'zh-CN')).toBe('¥891');
  });
});
