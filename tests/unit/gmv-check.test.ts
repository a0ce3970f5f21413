import { describe, expect, it } from 'vitest';
import { gmvCheck, gmvCheckLines } from '../../shared/retro/gmv-check.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import type { PlatformTotals } from '../../shared/retro/types.ts';

const T = Date.UTC(2026, 11, 6, 13, 0);
const dd = (over: Partial<PlatformTotals> = {}): PlatformTotals => ({ origin: 'doudian', asOf: T, gmvFen: 1_000_000, orders: 100, refundFen: 0, adGmvFen: null, spendFen: null, ...over });
const qc = (over: Partial<PlatformTotals> = {}): PlatformTotals => ({ origin: 'qianchuan', asOf: T, gmvFen: 1_080_000, orders: 104, refundFen: null, adGmvFen: 600_000, spendFen: 200_000, ...over });

describe('抖店 GMV against 千川 GMV', () => {
  it('says nothing without a platform', () => {
    expect(gmvCheck(undefined)).toBeNull();
    expect(gmvCheck([])).toBeNull();
  });
  it('gives the gap and its reasons: scope, moments, refunds, and 千川 varying until tomorrow', () => {
    const c = gmvCheck([dd({ refundFen: 5_000, asOf: T - 3 * 60_000 }), qc()])!;
    expect(c.gapFen).toBe(80_000);
    expect(c.gapRatio).toBeCloseTo(0.08);
    expect(c.reasons.map((r) => r.code)).toEqual(['gmv.why.attribution', 'gmv.why.timing', 'gmv.why.refunds', 'gmv.why.varies']);
    const zh = gmvCheckLines(c, localiser('zh-CN'));
    expect(zh.rows.map((r) => r.value)).toEqual(['¥1万', '¥1.08万', '+¥800']);
    expect(zh.reasons.join('')).toContain('相隔 3 分钟');
    expect(zh.reasons.join('')).toContain('¥50');
    expect(gmvCheckLines(c, localiser('en')).reasons[0]).toMatch(/Different scope/);
  });
  it('calls a gap within 1 % a match', () => {
    expect(gmvCheck([dd(), qc({ gmvFen: 1_005_000 })])!.reasons[0]!.code).toBe('gmv.match');
  });
  it('says which side is missing', () => {
    expect(gmvCheck([qc()])!.reasons[0]!.code).toBe('gmv.onlyQianchuan');
    expect(gmvCheck([dd()])!.reasons[0]!.code).toBe('gmv.onlyDoudian');
  });
});
