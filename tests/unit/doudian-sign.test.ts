/**
 * 抖店 signatures against the SDK's algorithm spelled out by hand (zsmhub/doudian-sdk
 * `utils/sign_util.go` Sign/Marshal, `message/doudian_sign.go` VerifySign): the expected values are
 * computed here from the written-out pattern, and pinned as hex so the test and the code cannot
 * drift together.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { methodOf, paramJson, pushSign, signPattern, signRequest, verifyPush } from '../../electron/core/platforms/doudian/sign.ts';

const APP_KEY = '7100000000000000001';
const SECRET = 's3cr3t';

describe('抖店 request signature', () => {
  it('is HMAC-SHA256(app_secret, secret + app_key… method… param_json… timestamp… v2 + secret), hex', () => {
    const body = paramJson({ update_time_start: 1720000000, update_time_end: 1720000600, page: 0, size: 100, order_by: 'update_time', order_asc: true });
    expect(body).toBe('{"order_asc":true,"order_by":"update_time","page":0,"size":100,"update_time_end":1720000600,"update_time_start":1720000000}');
    const input = { appKey: APP_KEY, appSecret: SECRET, method: 'order.searchList', paramJson: body, timestamp: 1720000123 };
    const spelled = 's3cr3t' + 'app_key7100000000000000001' + 'methodorder.searchList' + 'param_json' + body + 'timestamp1720000123' + 'v2' + 's3cr3t';
    expect(signPattern(input)).toBe(spelled);
    const byHand = createHmac('sha256', 's3cr3t').update(spelled, 'utf8').digest('hex');
    expect(signRequest(input)).toBe(byHand);
    expect(signRequest(input)).toBe('1bb271c30934c09df8217bf66137d3179e7122e3ecfc23ffbe6d70b7e3e75458');
  });

  it('signs the UTF-8 bytes of non-ASCII params and secrets', () => {
    const input = { appKey: APP_KEY, appSecret: '密钥', method: 'order.orderDetail', paramJson: paramJson({ product: '隔离乳' }), timestamp: 1 };
    const spelled = '密钥app_key' + APP_KEY + 'methodorder.orderDetailparam_json{"product":"隔离乳"}timestamp1v2密钥';
    expect(signRequest(input)).toBe(createHmac('sha256', Buffer.from('密钥', 'utf8')).update(Buffer.from(spelled, 'utf8')).digest('hex'));
  });

  it('the method is the path with dots', () => {
    expect(methodOf('/order/searchList')).toBe('order.searchList');
    expect(methodOf('token/create')).toBe('token.create');
  });
});

describe('抖店 param_json (the SDK Marshal: a Go map, sorted keys, no HTML escaping)', () => {
  it('sorts keys at every depth, arrays keep their order', () => {
    const v = { b: 1, a: { d: [{ z: 1, y: 2 }, 3], c: 'x' }, combine_status: [{ order_status: '2', main_status: '' }] };
    expect(paramJson(v)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1},3]},"b":1,"combine_status":[{"main_status":"","order_status":"2"}]}');
  });

  it('sorts keys by their UTF-8 bytes, as Go sorts map keys', () => {
    // UTF-16 order would put the emoji (D83D…) before U+FF01; UTF-8 puts EF BC 81 before F0 9F…
    expect(paramJson({ '\u{1F600}': 1, '\uFF01': 2, z: 3 })).toBe('{"z":3,"！":2,"😀":1}');
  });

  it('writes <, > and & as they are, escapes U+2028/U+2029 and control characters as Go does', () => {
    expect(paramJson({ s: '<a>&"b"\\' })).toBe('{"s":"<a>&\\"b\\"\\\\"}');
    expect(paramJson({ s: 'a\u2028b\u2029c\n\u0001' })).toBe('{"s":"a\\u2028b\\u2029c\\n\\u0001"}');
    expect(paramJson({ s: '清透' })).toBe('{"s":"清透"}');
  });

  it('bigint is a bare integer (int64 shop ids), undefined is left out (omitempty), null stays (a nil pointer)', () => {
    expect(paramJson({ shop_id: 7312345678901234567n, code: '', auth_id: null, gone: undefined })).toBe('{"auth_id":null,"code":"","shop_id":7312345678901234567}');
    expect(paramJson({})).toBe('{}');
  });

  it('refuses what Go could not have written', () => {
    expect(() => paramJson({ x: NaN })).toThrow(TypeError);
    expect(() => paramJson({ x: () => 1 })).toThrow(TypeError);
  });
});

describe('抖店 push verification', () => {
  const body = Buffer.from('[{"tag":"101","msg_id":"1","data":"{}"}]', 'utf8');
  const good = createHash('md5').update(APP_KEY + body.toString('utf8') + SECRET).digest('hex');

  it('event-sign is md5(app_key + raw body + app_secret), hex', () => {
    expect(good).toBe('2e02f74601025b5c98df04f3159470ca');
    expect(pushSign(APP_KEY, body, SECRET)).toBe(good);
    expect(verifyPush({ appId: APP_KEY, eventSign: good }, body, APP_KEY, SECRET)).toBe(true);
    expect(verifyPush({ appId: APP_KEY, eventSign: good.toUpperCase() }, body, APP_KEY, SECRET)).toBe(true);
  });

  it('refuses another app, another signature, a changed byte, a missing or odd-length header', () => {
    expect(verifyPush({ appId: '7100000000000000002', eventSign: good }, body, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: undefined, eventSign: good }, body, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: APP_KEY, eventSign: undefined }, body, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: APP_KEY, eventSign: good.slice(0, 31) }, body, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: APP_KEY, eventSign: good + '0' }, body, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: APP_KEY, eventSign: '\u00e9'.repeat(16) }, body, APP_KEY, SECRET)).toBe(false);
    const changed = Buffer.from(body);
    changed[10] = changed[10]! ^ 1;
    expect(verifyPush({ appId: APP_KEY, eventSign: good }, changed, APP_KEY, SECRET)).toBe(false);
    expect(verifyPush({ appId: APP_KEY, eventSign: good }, body, APP_KEY, 'other')).toBe(false);
  });

  it('hashes the raw bytes: a body that is not valid UTF-8 is verified as sent', () => {
    const raw = Buffer.from([0x5b, 0xff, 0xfe, 0x5d]);
    const sign = createHash('md5').update(Buffer.concat([Buffer.from(APP_KEY), raw, Buffer.from(SECRET)])).digest('hex');
    expect(verifyPush({ appId: APP_KEY, eventSign: sign }, raw, APP_KEY, SECRET)).toBe(true);
  });
});
