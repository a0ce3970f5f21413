/**
 * 抖店 Open Platform signatures, as the official Go SDK computes them (zsmhub/doudian-sdk
 * `utils/sign_util.go`, `core/doudian_op_api_client.go`, `message/doudian_sign.go`):
 *
 * - A request is signed over `app_secret + "app_key"… "method"… "param_json"… "timestamp"… "v2" +
 *   app_secret` with HMAC-SHA256 keyed by the app secret, in lowercase hex. `param_json` is the
 *   request body itself, so the text signed and the text sent must be the same bytes.
 * - `param_json` is what the SDK's `Marshal` writes: the params round-tripped through a Go map, so
 *   object keys are sorted at every depth (Go sorts map keys by their UTF-8 bytes), with HTML
 *   escaping off. Go's encoder still escapes U+2028 and U+2029, which `JSON.stringify` does not.
 *   A `bigint` is written as a bare integer: the SDK's int64 fields (`shop_id`) are JSON numbers
 *   and a shop id may exceed 2^53. `undefined` members are left out, as Go's `omitempty` does.
 * - A push is verified with header `app-id` = app_key and header `event-sign` =
 *   md5(app_key + raw body + app_secret) in hex, computed over the raw bytes before any parsing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `/order/searchList` → `order.searchList` (the SDK's urlPathToMethod). */
export function methodOf(path: string): string {
  return path.replace(/^\//, '').replaceAll('/', '.');
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function writeString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function write(v: unknown, depth: number): string | undefined {
  if (depth > 64) throw new TypeError('param_json: nested deeper than 64 levels');
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (typeof v === 'string') return writeString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('param_json: a number that is not finite');
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => write(x, depth + 1) ?? 'null').join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const key of Object.keys(v).sort(compareUtf8)) {
      const text = write((v as Record<string, unknown>)[key], depth + 1);
      if (text !== undefined) parts.push(`${writeString(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`param_json: cannot write a ${typeof v}`);
}

/** The request's `param_json` (and body), byte for byte as the Go SDK's `Marshal` writes it. */
export function paramJson(params: Record<string, unknown>): string {
  return write(params, 0) ?? '{}';
}

export interface SignInput {
  appKey: string;
  appSecret: string;
  method: string;
  paramJson: string;
  /** Unix seconds, as sent in the `timestamp` query parameter. */
  timestamp: number;
}

/** The text that is signed; exported for the known-answer tests. */
export function signPattern(i: SignInput): string {
  return `${i.appSecret}app_key${i.appKey}method${i.method}param_json${i.paramJson}timestamp${i.timestamp}v2${i.appSecret}`;
}

/** `sign` for `sign_method=hmac-sha256`. */
export function signRequest(i: SignInput): string {
  return createHmac('sha256', Buffer.from(i.appSecret, 'utf8')).update(signPattern(i), 'utf8').digest('hex');
}

/** `event-sign` of a push body: md5(app_key + raw body + app_secret), lowercase hex. */
export function pushSign(appKey: string, rawBody: Uint8Array, appSecret: string): string {
  return createHash('md5').update(Buffer.from(appKey, 'utf8')).update(rawBody).update(Buffer.from(appSecret, 'utf8')).digest('hex');
}

export interface PushHeaders {
  /** Header `app-id`. */
  appId: string | undefined;
  /** Header `event-sign`. */
  eventSign: string | undefined;
}

/**
 * Whether a push is genuinely from the platform for this app. The comparison of the signature takes
 * the same time whatever the given one holds, so a sender cannot learn the right one byte by byte.
 * Hex case is not significant.
 */
export function verifyPush(headers: PushHeaders, rawBody: Uint8Array, appKey: string, appSecret: string): boolean {
  if (headers.appId !== appKey || typeof headers.eventSign !== 'string') return false;
  const expected = Buffer.from(pushSign(appKey, rawBody, appSecret), 'utf8');
  const given = Buffer.from(headers.eventSign.toLowerCase(), 'utf8');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
