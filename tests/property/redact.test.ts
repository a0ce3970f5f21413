/**
 * The one redaction rule (secrets/redact.ts): a secret the process knows of never survives in
 * text, whatever text it is embedded in and in whichever form it travels (as is, percent-encoded,
 * JSON-escaped); a credential's value after its name in a URL, a header or JSON never survives
 * even when unknown. And the rule leaves ordinary words alone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSecrets, redactSecrets, registerSecret } from '../../electron/core/secrets/redact.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';
import { hostileString } from '../helpers/hostile.ts';

beforeEach(() => clearSecrets());

const TOKEN_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=%'];
/** A token or secret as platforms issue them (hex, base64, base64url, percent-encoded). */
const tokenValue = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 8, maxLength: 64 });
/** Any printable value but the mask's own character: what an app secret could be. */
const anySecret = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).filter((c) => c !== 0x2a).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 64 });
/** Percent-encoding as a URL builder would; a lone surrogate (which cannot be encoded) passes as is. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
};
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), hostileString.map((s) => s.slice(0, 500)));

describe('redactSecrets', () => {
  it('removes a registered secret from any text, in every form it travels in', () => {
    checkDoor(
      'redaction',
      'known secrets are always removed',
      fc.property(anySecret, text, text, text, fc.nat(3), (secret, a, b, c, shape) => {
        clearSecrets();
        registerSecret(secret);
        const embedded = [
          `${a}${secret}${b}${secret}${c}`,
          `${a} https://api.example.com/x?${enc(b)}=${encodeURIComponent(secret)}&k=${enc(c)} ${a}`,
          JSON.stringify({ [a]: b, note: `${c}${secret}${a}`, deep: { list: [secret, b] } }),
          JSON.stringify({ raw: JSON.stringify({ value: secret, [b]: c }) }),
        ][shape]!;
        const out = redactSecrets(embedded);
        expect(out).not.toContain(secret);
        expect(out).not.toContain(encodeURIComponent(secret));
        expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
      }),
      { scale: 5 },
    );
  });

  it('removes an unknown credential after its name in a URL, a header or JSON', () => {
    const names = fc.constantFrom('access_token', 'refresh_token', 'app_secret', 'secret', 'sign', 'client_secret', 'auth_code', 'accessToken', 'refreshToken', 'appSecret', 'password', 'x-tts-access-token', 'Access-Token');
    const headers = fc.constantFrom('Access-Token: ', 'access-token:', 'X-Tts-Access-Token: ', 'Authorization: Bearer ', 'authorization: ', 'event-sign: ', 'App_Secret : ');
    const otherKey = fc.string({ unit: fc.constantFrom(...'abcdefxyz_'), minLength: 1, maxLength: 10 });
    checkDoor(
      'redaction',
      'credential-looking values are always removed',
      fc.property(tokenValue, names, headers, text, text, otherKey, tokenValue, fc.nat(4), (value, name, header, before, after, k, other, shape) => {
        fc.pre(!before.includes(value) && !after.includes(value) && !other.includes(value) && !k.includes(value));
        const embedded = [
          `${before} GET https://open.oceanengine.com/open_api/v1.0/qianchuan/report?${k}=${other}&${name}=${value}&page=1 ${after}`,
          `${before}\n${header}${value}\n${after}`,
          `${before} ${JSON.stringify({ [k]: other, [name]: value, n: 1 })} ${after}`,
          JSON.stringify({ reason: before, raw: JSON.stringify({ data: { [name]: value }, [k]: after }) }),
          `${before} POST /token/refresh app_key=${other}&${name}=${value} ${after}`,
        ][shape]!;
        expect(redactSecrets(embedded)).not.toContain(value);
      }),
      { scale: 5 },
    );
  });

  it('is idempotent: redacted text passes through again unchanged', () => {
    checkDoor(
      'redaction',
      'idempotent',
      fc.property(text, anySecret, (t, secret) => {
        clearSecrets();
        registerSecret(secret);
        const once = redactSecrets(`${t} access_token=${secret} ${t}`);
        expect(redactSecrets(once)).toBe(once);
      }),
    );
  });

  it('leaves ordinary text alone', () => {
    for (const t of [
      'the refresh token: expired at 2024-11-11 20:00; authorise again',
      '巨量千川 (Qianchuan) advertiser 1234 · access token until 2024-11-12 20:00',
      '{"page_token":"p2","next_page_token":"p3","token_type":"bearer","expires_in":86399,"hasToken":true}',
      'GET /order/searchList?app_key=123&method=order.searchList&sign_method=hmac-sha256&timestamp=1700000000&v=2',
      'source qianchuan: refused (code 40100, request id 2024111120000001)',
    ]) {
      expect(redactSecrets(t)).toBe(t);
    }
  });

  it('cuts credentials out of the shapes platforms send', () => {
    registerSecret('the-app-secret-of-shop');
    expect(redactSecrets('POST /oauth2/refresh_token/ {"app_id":1700,"secret":"the-app-secret-of-shop","refresh_token":"rt-123456789"}')).toBe('POST /oauth2/refresh_token/ {"app_id":1700,"secret":"***","refresh_token":"***"}');
    expect(redactSecrets('GET https://openapi-fxg.jinritemai.com/order/searchList?app_key=7&access_token=at-123456&sign=abcdef0123')).toBe('GET https://openapi-fxg.jinritemai.com/order/searchList?app_key=7&access_token=***&sign=***');
    expect(redactSecrets('headers: Access-Token: at-9876543210, Content-Type: application/json')).toBe('headers: Access-Token: ***, Content-Type: application/json');
    expect(redactSecrets("{ accessToken: 'at-1', refreshToken: \"rt-2\" }")).toBe("{ accessToken: '***', refreshToken: \"***\" }");
  });

  it('stays linear on hostile text (a quadratic rule would time this test out)', () => {
    // Each carries a credential's word, so the rule's patterns run (text without one skips them).
    for (const t of ['a_'.repeat(200_000) + ' token', 'a-'.repeat(200_000) + ': x secret', `"${'a'.repeat(400_000)} sign`, '\\"'.repeat(100_000) + 'sign', `${'x_'.repeat(100_000)}token=${'y'.repeat(100_000)}`, 'x-'.repeat(200_000) + 'key']) {
      expect(redactSecrets(t).length).toBeGreaterThan(0);
    }
  });
});
