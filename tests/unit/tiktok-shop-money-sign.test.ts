/**
 * TikTok Shop's money and signatures (electron/core/platforms/tiktok-shop/): decimal strings in
 * major units kept exactly as integer minor units of their own currency (generated amounts round
 * trip; anything that would need rounding or guessing is refused), and the request and webhook
 * signatures on known answers computed with openssl, independent of this code.
 */
import { describe, expect, it } from 'vitest';
import { fc, fuzzRuns } from '../helpers/fuzz.ts';
import { CURRENCY_EXPONENT, MoneyError, formatMinor, parseMoney } from '../../electron/core/platforms/tiktok-shop/money.ts';
import { tiktokSign, tiktokSignPattern, verifyTikTokWebhook } from '../../electron/core/platforms/tiktok-shop/sign.ts';

describe('TikTok Shop money', () => {
  it('keeps amounts exactly in minor units of their currency', () => {
    expect(parseMoney('12.90', 'USD')).toEqual({ minor: 1290, currency: 'USD' });
    expect(parseMoney('12.9', 'usd')).toEqual({ minor: 1290, currency: 'USD' });
    expect(parseMoney('150000', 'IDR')).toEqual({ minor: 15_000_000, currency: 'IDR' });
    expect(parseMoney('250000', 'VND')).toEqual({ minor: 250_000, currency: 'VND' });
    expect(parseMoney('250000.00', 'VND')).toEqual({ minor: 250_000, currency: 'VND' });
    expect(parseMoney('-3.50', 'GBP')).toEqual({ minor: -350, currency: 'GBP' });
    expect(parseMoney('-0.00', 'GBP')).toEqual({ minor: 0, currency: 'GBP' });
    expect(parseMoney(7, 'THB')).toEqual({ minor: 700, currency: 'THB' });
  });

  it('refuses what it would have to round or guess', () => {
    for (const [amount, currency, says] of [
      ['1.005', 'USD', /not rounded/],
      ['10.5', 'JPY', /not rounded/],
      ['1,299.00', 'USD', /plain decimal/],
      ['1e3', 'USD', /plain decimal/],
      ['', 'USD', /plain decimal/],
      [null, 'USD', /not a decimal string/],
      [0.1 + 0.2, 'USD', /not rounded/],
      ['12.90', 'XYZ', /unknown currency/],
      ['12.90', undefined, /unknown currency/],
      ['99999999999999999999', 'USD', /beyond/],
    ] as const) {
      expect(() => parseMoney(amount, currency), `${String(amount)} ${String(currency)}`).toThrow(MoneyError);
      expect(() => parseMoney(amount, currency)).toThrow(says);
    }
  });

  it('round-trips any amount a currency can hold', () => {
    const currency = fc.constantFrom(...Object.keys(CURRENCY_EXPONENT));
    fc.assert(
      fc.property(currency, fc.integer({ min: -1e12, max: 1e12 }), (code, minor) => {
        const text = formatMinor({ minor, currency: code });
        expect(parseMoney(text, code)).toEqual({ minor: minor === 0 ? 0 : minor, currency: code });
      }),
      { numRuns: fuzzRuns(10) },
    );
  });
});

describe('TikTok Shop signatures', () => {
  const query = { app_key: 'abc123', timestamp: 1700000000, shop_cipher: 'CIPHER', page_size: 20, sign: 'old', access_token: 'tok', page_token: '' };
  const body = '{"order_status":"COMPLETED"}';

  it('signs app_secret + path + sorted non-empty params (no sign, no access_token) + body + app_secret', () => {
    expect(tiktokSignPattern({ appSecret: 'sec123', path: '/order/202309/orders/search', query, body })).toBe(
      'sec123/order/202309/orders/searchapp_keyabc123page_size20shop_cipherCIPHERtimestamp1700000000{"order_status":"COMPLETED"}sec123',
    );
    // openssl dgst -sha256 -hmac sec123 over that text.
    expect(tiktokSign({ appSecret: 'sec123', path: '/order/202309/orders/search', query, body })).toBe('7837e01828793c242913568a483b54f54af5ad3581b68493b3b371053ee5cdb3');
  });

  it('verifies a webhook’s Authorization over app_key + the raw body, and nothing else', () => {
    const raw = Buffer.from('{"type":1,"shop_id":"7494","data":{"order_id":"576461413038785752"}}');
    const good = 'bc76dc7f172a7b10b46eb56b4de71c50a8304baaab5be6122462491410c6c796'; // openssl, key "sekret", text "appkey1" + body
    expect(verifyTikTokWebhook(good, raw, 'appkey1', 'sekret')).toBe(true);
    expect(verifyTikTokWebhook(good.toUpperCase(), raw, 'appkey1', 'sekret')).toBe(true);
    expect(verifyTikTokWebhook(`Bearer ${good}`, raw, 'appkey1', 'sekret')).toBe(false);
    expect(verifyTikTokWebhook(good, Buffer.concat([raw, Buffer.from(' ')]), 'appkey1', 'sekret')).toBe(false);
    expect(verifyTikTokWebhook(good, raw, 'appkey2', 'sekret')).toBe(false);
    expect(verifyTikTokWebhook(undefined, raw, 'appkey1', 'sekret')).toBe(false);
    expect(verifyTikTokWebhook(good.slice(1), raw, 'appkey1', 'sekret')).toBe(false);
  });
});
