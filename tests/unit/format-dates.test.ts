/**
 * Issue 13, defect 6: a stored time may be any number a relay or a file sent. Every date of a
 * stored value is written through shared/format.ts, which must answer any number with a date or
 * "—", never a RangeError.
 */
import { describe, expect, it } from 'vitest';
import { DASH, formatDate, formatDateTime, isDateTs, isoMinute } from '../../shared/format.ts';
import { fc } from '../helpers/fuzz.ts';
import { hostileTs } from '../helpers/hostile.ts';

describe('date formatting of stored values', () => {
  const fmt = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
  it('survives any number', () => {
    fc.assert(
      fc.property(hostileTs, (ts) => {
        for (const out of [formatDate(ts, fmt), formatDateTime(ts, 'zh-CN'), formatDateTime(ts, 'en', { month: 'short' }), isoMinute(ts)]) {
          expect(typeof out).toBe('string');
          if (!isDateTs(ts)) expect(out).toBe(DASH);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('writes real dates as dates', () => {
    expect(isoMinute(Date.UTC(2024, 10, 11, 20, 5))).toBe('2024-11-11 20:05');
    expect(isoMinute(9e15)).toBe(DASH);
    expect(formatDate(NaN, fmt)).toBe(DASH);
    expect(formatDate(0, fmt)).toMatch(/1970/);
  });
});
