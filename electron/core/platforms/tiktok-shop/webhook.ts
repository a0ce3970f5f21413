/**
 * The TikTok Shop webhook receiver. The platform POSTs one JSON envelope per notification,
 * `{ type, shop_id, timestamp, tts_notification_id, data }` (the community SDK's
 * `TikTokShopEvent.cs`, `Events/*.cs`; tiktok-api.md §3), signed in header `Authorization` (no
 * "Bearer") = lower-hex HMAC-SHA256(app_secret, app_key + raw body) (sign.ts). It keeps sending
 * until it gets a 200.
 *
 * - The body is read raw, with a size cap, and verified before it is parsed; a bad signature is
 *   answered 401, counted, and nothing of the body is used. No secret yet: 503 (send again later).
 * - Notifications are de-duplicated on `tts_notification_id` (a bounded LRU); one without an id
 *   (the SDK's samples have none) on a hash of its raw body, so an identical redelivery still counts once.
 * - `type` is a number in the SDK's model and samples: 1 ORDER_STATUS_CHANGE, 4 PACKAGE_UPDATE,
 *   6 SELLER_DEAUTHORIZATION, 7 UPCOMING_AUTHORIZATION_EXPIRATION, 11 CANCELLATION_STATUS_CHANGE,
 *   12 RETURN_STATUS_CHANGE (`EventSamples/_/*.json`, community knowledge, not the platform's docs).
 *   The names are accepted too. A type outside that table is read by its data: `return_id` → a
 *   return, `cancel_id` → a cancellation, `order_id` + `order_status` → an order status change.
 * - Order, return and cancellation notifications are handed on with their `order_id` (an int64,
 *   read exactly); a notification names no LIVE, so the consumer fetches the order to attribute it.
 *   Deauthorization and upcoming expiry are handed on too (the source says "authorise again").
 *   Other notifications are counted and dropped. One for another shop is counted and dropped.
 * - The answer is 200 as soon as the notification is taken (the consumer's work is queued).
 * Nothing a sender does makes `handle` throw or the server crash.
 */
import { createHash } from 'node:crypto';
import { idOf, parseApiJson } from '../common/json.ts';
import { LruSet, PushServer, headerValue, type PushAnswer } from '../common/push-server.ts';
import { verifyTikTokWebhook } from './sign.ts';

export const WEBHOOK_OK = '{"code":0,"message":"success"}';
export const WEBHOOK_FAIL = '{"code":1,"message":"fail"}';

export type WebhookKind = 'orderStatus' | 'return' | 'cancellation' | 'deauthorized' | 'authExpiring';

/** The numeric types of the SDK's event samples (unconfirmed against the platform's docs). */
export const WEBHOOK_TYPES: Readonly<Record<number, WebhookKind | 'package' | 'addressUpdate'>> = {
  1: 'orderStatus',
  4: 'package',
  6: 'deauthorized',
  7: 'authExpiring',
  11: 'cancellation',
  12: 'return',
};

const NAMED: Readonly<Record<string, WebhookKind>> = {
  ORDER_STATUS_CHANGE: 'orderStatus',
  RETURN_STATUS_CHANGE: 'return',
  CANCELLATION_STATUS_CHANGE: 'cancellation',
  SELLER_DEAUTHORIZATION: 'deauthorized',
  UPCOMING_AUTHORIZATION_EXPIRATION: 'authExpiring',
};

export interface WebhookNotice {
  kind: WebhookKind;
  /** `type` as sent (a number, or a name). */
  type: number | string;
  notificationId: string;
  shopId: string | null;
  /** The order, for order/return/cancellation notices; null otherwise. */
  orderId: string | null;
  /** `data` as sent (64-bit numbers kept as decimal strings). */
  data: Record<string, unknown>;
}

export interface WebhookStats {
  requests: number;
  accepted: number;
  badSignature: number;
  /** Bodies that were not an envelope, and notices that could not be read. */
  malformed: number;
  tooLarge: number;
  notices: number;
  duplicates: number;
  /** Notifications of types not handed on (package, address, product …). */
  otherTypes: number;
  otherShop: number;
}

export interface WebhookReceiverOptions {
  appKey: string;
  /** The app secret, read when needed (the vault may be updated while the receiver runs). */
  appSecret: () => Promise<string | null>;
  /** The configured shop: notifications for another shop are dropped. */
  shopId?: string;
  onNotice: (n: WebhookNotice) => void;
  onQuarantine?: (reason: string, raw: unknown) => void;
  /** Default 127.0.0.1: a webhook from the internet comes through the operator's own reverse proxy. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Default `/tiktok-shop/webhook`. */
  path?: string;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Notification ids remembered (default 50 000). */
  maxRemembered?: number;
}

export type WebhookAnswer = PushAnswer;

const SRC = 'tiktok-shop webhook';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which notice a type (and, for an unknown one, its data) is; null for types not handed on. */
export function webhookKind(type: unknown, data: Obj): WebhookKind | null | 'other' {
  if (typeof type === 'string' && Object.hasOwn(NAMED, type.toUpperCase())) return NAMED[type.toUpperCase()]!;
  const n = typeof type === 'number' ? type : typeof type === 'string' && /^\d{1,6}$/.test(type) ? Number(type) : undefined;
  if (n !== undefined && Object.hasOwn(WEBHOOK_TYPES, n)) {
    const k = WEBHOOK_TYPES[n]!;
    return k === 'package' || k === 'addressUpdate' ? 'other' : k;
  }
  if (n === undefined && typeof type !== 'string') return null;
  if (data.return_id !== undefined && data.order_id !== undefined) return 'return';
  if (data.cancel_id !== undefined && data.order_id !== undefined) return 'cancellation';
  if (data.order_id !== undefined && data.order_status !== undefined) return 'orderStatus';
  return 'other';
}

export class TikTokShopWebhookReceiver {
  readonly stats: WebhookStats = { requests: 0, accepted: 0, badSignature: 0, malformed: 0, tooLarge: 0, notices: 0, duplicates: 0, otherTypes: 0, otherShop: 0 };
  private readonly seen: LruSet;
  private readonly server: PushServer;

  constructor(private readonly opts: WebhookReceiverOptions) {
    this.seen = new LruSet(opts.maxRemembered ?? 50_000);
    this.server = new PushServer({
      host: opts.host,
      port: opts.port,
      path: this.path,
      maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
      failBody: WEBHOOK_FAIL,
      onTooLarge: () => {
        this.stats.requests++;
        this.stats.tooLarge++;
      },
      handle: (headers, body) => this.handle(headerValue(headers.authorization), body),
    });
  }

  get path(): string {
    return this.opts.path ?? '/tiktok-shop/webhook';
  }

  /** Listens; resolves with the webhook URL (loopback address as bound). */
  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** One delivery: verify, parse, de-duplicate, hand on. Never throws. */
  async handle(authorization: string | undefined, raw: Uint8Array): Promise<WebhookAnswer> {
    this.stats.requests++;
    let secret: string | null;
    try {
      secret = await this.opts.appSecret();
    } catch {
      secret = null;
    }
    if (!secret) return { status: 503, body: WEBHOOK_FAIL };
    let genuine = false;
    try {
      genuine = verifyTikTokWebhook(authorization, raw, this.opts.appKey, secret);
    } catch {
      genuine = false;
    }
    if (!genuine) {
      this.stats.badSignature++;
      this.report(`${SRC}: bad signature (Authorization)`, { bytes: raw.byteLength });
      return { status: 401, body: WEBHOOK_FAIL };
    }
    const text = Buffer.from(raw).toString('utf8');
    let env: unknown;
    try {
      env = parseApiJson(text);
    } catch {
      env = undefined;
    }
    const bad = (why: string): WebhookAnswer => {
      this.stats.malformed++;
      this.report(`${SRC}: ${why}`, text);
      // Signed by the platform but unreadable: sending it again will not help, so it is taken.
      return { status: 200, body: WEBHOOK_OK };
    };
    if (!isObj(env)) return bad('the body is not a JSON object');
    const data = env.data;
    if (!isObj(data)) return bad('notification without a data object');
    const kind = webhookKind(env.type, data);
    if (kind === null) return bad('notification without a type');
    const shopId = idOf(env.shop_id);
    const nid = typeof env.tts_notification_id === 'string' && env.tts_notification_id.length >= 1 && env.tts_notification_id.length <= 200 ? env.tts_notification_id : idOf(env.tts_notification_id);
    let orderId: string | null = null;
    if (kind === 'orderStatus' || kind === 'return' || kind === 'cancellation') {
      orderId = idOf(data.order_id);
      if (orderId === null) return bad(`${kind} notification without an order_id`);
    }
    this.stats.accepted++;
    if (this.opts.shopId !== undefined && shopId !== null && shopId !== this.opts.shopId) {
      this.stats.otherShop++;
      return { status: 200, body: WEBHOOK_OK };
    }
    // Only a notification that was read is remembered: a garbled copy must not shadow a good one.
    const key = nid ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    if (!this.seen.add(key)) {
      this.stats.duplicates++;
      return { status: 200, body: WEBHOOK_OK };
    }
    if (kind === 'other') {
      this.stats.otherTypes++;
      return { status: 200, body: WEBHOOK_OK };
    }
    this.stats.notices++;
    const type = typeof env.type === 'number' || typeof env.type === 'string' ? (typeof env.type === 'string' ? env.type.slice(0, 60) : env.type) : '';
    try {
      this.opts.onNotice({ kind, type, notificationId: key, shopId, orderId, data });
    } catch (e) {
      this.report(`${SRC}: the consumer failed on a notification (${e instanceof Error ? e.message : String(e)})`, { kind, orderId });
    }
    return { status: 200, body: WEBHOOK_OK };
  }

  private report(reason: string, raw: unknown): void {
    try {
      this.opts.onQuarantine?.(reason, raw);
    } catch {
      // A failing reporter must not turn a notification into a 500.
    }
  }
}
