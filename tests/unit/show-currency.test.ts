/**
 * One currency per show: the first money event that names a currency sets it, money in another —
 * or unnamed fen in a foreign-currency show — is refused with the reason; the screen writes the
 * show's own mark with its minor units.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { admitCurrency } from '../../electron/core/live/currency.ts';
import type { SessionRow } from '../../electron/core/store/writer.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
import { formatMoneyFen, getDisplayCurrency, setDisplayCurrency } from '../../shared/format.ts';
import { CURRENCY_EXPONENT } from '../../shared/currency.ts';

const row = (): SessionRow => ({ sessionId: 's', roomId: 'r', platform: 'tiktok', title: 't', startedAt: 0, endedAt: null, feed: 'f', epoch: 1, firstSeq: 1, lastSeq: 1 });
const order = (currency?: string): FeedEvent => ({ seq: 1, ts: 1, type: 'order', orderId: 'o', productId: 'p', qty: 1, amountFen: 100, status: 'paid', ...(currency ? { currency } : {}) }) as FeedEvent;

describe('a show’s currency', () => {
  it('is taken from the first money event that names one, and refuses money in another', () => {
    const r = row();
    expect(admitCurrency(r, { seq: 1, ts: 1, type: 'gift', n: 1, valueFen: 10 } as FeedEvent)).toBeNull();
    expect(admitCurrency(r, order('USD'))).toBeNull();
    expect(r.currency).toBe('USD');
    expect(admitCurrency(r, order('USD'))).toBeNull();
    expect(admitCurrency(r, order('GBP'))).toMatch(/GBP in a show whose money is USD/);
    expect(admitCurrency(r, order())).toMatch(/without a currency .* USD/);
    expect(r.currency).toBe('USD');
  });

  it('leaves FEED-PROTOCOL’s fen alone in a show that never named a currency', () => {
    const r = row();
    expect(admitCurrency(r, order())).toBeNull();
    expect(admitCurrency(r, order('CNY'))).toBeNull();
    expect(admitCurrency(r, order())).toBeNull();
    expect(r.currency).toBe('CNY');
  });

  it('whatever the order of events, counts money of one currency only', () => {
    const codes = ['USD', 'GBP', 'VND', undefined];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...codes), { minLength: 1, maxLength: 30 }), (seq) => {
        const r = row();
        const admitted = seq.filter((c) => admitCurrency(r, order(c)) === null);
        const named = admitted.filter((c) => c !== undefined);
        expect(new Set(named).size).toBeLessThanOrEqual(1);
        if (named.length && named[0] !== 'CNY') expect(admitted.every((c) => c === named[0] || (c === undefined && admitted.indexOf(c) < admitted.indexOf(named[0])))).toBe(true);
      }),
    );
  });

  it('writes the show’s mark with its minor units, never ¥ for a foreign show', () => {
    expect(formatMoneyFen(4499, 'en', { currency: 'USD', precise: true })).toBe('$44.99');
    expect(formatMoneyFen(1_250_000, 'en', { currency: 'VND' })).toBe('₫1.25M');
    expect(formatMoneyFen(123_456_00, 'zh-CN', { currency: 'GBP' })).toBe('£12.35万');
    setDisplayCurrency('THB');
    try {
      expect(getDisplayCurrency()).toBe('THB');
      expect(formatMoneyFen(-3000, 'en')).toBe('−฿30');
    } finally {
      setDisplayCurrency(null);
    }
    expect(formatMoneyFen(3000, 'en')).toBe('¥30');
    expect(CURRENCY_EXPONENT.VND).toBe(0);
  });
});
