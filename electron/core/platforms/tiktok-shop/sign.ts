/**
 * TikTok Shop Partner API signatures (../shared/spec/sources/tiktok-api.md §1 and §3, after the
 * SKIT TikTokGlobalShop SDK's `TikTokShopRequestSigningInterceptor` and the webhook check of
 * easycb-go `tiktok/sign.go`):
 *
 * - A request: the query parameters without `sign`, `access_token` and empty values, sorted by key
 *   (ordinal), concatenated as key+value; the text signed is `app_secret + path + those + body +
 *   app_secret` (no body for GET and multipart); `sign` = lowercase hex HMAC-SHA256 keyed by the app
 *   secret. The body signed must be the bytes sent.
 * - A webhook: header `Authorization` (no "Bearer") = lowercase hex HMAC-SHA256 keyed by the app
 *   secret over `app_key + raw body`, computed on the raw bytes before any parsing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TikTokSignInput {
  appSecret: string;
  /** The request path, e.g. `/order/202309/orders/search`. */
  path: string;
  /** The query parameters as sent (app_key, timestamp, shop_cipher, page_size …). */
  query: Record<string, string | number | undefined>;
  /** The raw body sent; omitted for GET and multipart requests. */
  body?: string;
}

/** The text that is signed; exported for the known-answer tests. */
export function tiktokSignPattern(i: TikTokSignInput): string {
  const keys = Object.keys(i.query)
    .filter((k) => k !== 'sign' && k !== 'access_token' && i.query[k] !== undefined && i.query[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${i.appSecret}${i.path}${keys.map((k) => `${k}${String(i.query[k])}`).join('')}${i.body ?? ''}${i.appSecret}`;
}

export function tiktokSign(i: TikTokSignInput): string {
  return createHmac('sha256', Buffer.from(i.appSecret, 'utf8')).update(tiktokSignPattern(i), 'utf8').digest('hex');
}

/** The `Authorization` header a genuine webhook carries. */
export function tiktokWebhookSign(appKey: string, rawBody: Uint8Array, appSecret: string): string {
  return createHmac('sha256', Buffer.from(appSecret, 'utf8')).update(Buffer.from(appKey, 'utf8')).update(rawBody).digest('hex');
}

/**
 * Whether a webhook is genuinely TikTok's for this app: compared in constant time (a sender cannot
 * learn the signature byte by byte); hex case is not significant; anything else is refused.
 */
export function verifyTikTokWebhook(authorization: string | undefined, rawBody: Uint8Array, appKey: string, appSecret: string): boolean {
  if (typeof authorization !== 'string') return false;
  const expected = Buffer.from(tiktokWebhookSign(appKey, rawBody, appSecret), 'utf8');
  const given = Buffer.from(authorization.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
