/**
 * The 抖店 message push receiver: the platform POSTs a JSON array of `{ tag, msg_id, data }` to
 * the app's push URL, `data` being a JSON string (zsmhub/doudian-sdk `message/doudian_message.go`),
 * signed in header `event-sign` = md5(app_key + raw body + app_secret) with header `app-id`
 * (`message/doudian_sign.go`; the Python SDK agrees). The receiver answers `{"code":0,"msg":"success"}`
 * once it has taken the messages; `{"code":1,"msg":"fail"}` makes the platform send again.
 *
 * - The body is read raw, with a size cap, and verified before it is parsed.
 * - A bad signature is answered 401 `fail` and counted; nothing of the body is used.
 * - Messages are de-duplicated on `msg_id` (a bounded LRU): the platform repeats deliveries.
 * - Tags 101 (paid), 106 (cancelled), 200/201/206 (after-sale; 206 refund succeeded) are handed on
 *   with their parent order id `p_id` (an int64, read exactly). Other tags are counted and dropped.
 *   A push names no room: the consumer fetches the order (`order.orderDetail`) to attribute it.
 * - A message that cannot be read (no `msg_id`, `data` not JSON, no `p_id`) is reported to
 *   `onQuarantine` and the rest of the batch is still taken; a batch that is not a JSON array is
 *   answered 400 `fail`.
 * Nothing a sender does makes `handle` throw or the server crash (the HTTP side: common/push-server.ts).
 */
export { LruSet, type PushAnswer };
import { LruSet, PushServer, headerValue, type PushAnswer } from '../common/push-server.ts';
import { idOf, parseApiJson } from '../common/json.ts';
import { verifyPush } from './sign.ts';

export const PUSH_SUCCESS = '{"code":0,"msg":"success"}';
export const PUSH_FAIL = '{"code":1,"msg":"fail"}';
/** The tags that change a room's GMV. */
export const ORDER_TAGS: ReadonlySet<number> = new Set([101, 106, 200, 201, 206]);

export interface PushMessage {
  tag: number;
  msgId: string;
  /** The shop (parent) order id. */
  pId: string;
  /** `data` decoded (64-bit numbers kept as decimal strings). */
  data: Record<string, unknown>;
}

export interface PushStats {
  requests: number;
  accepted: number;
  badSignature: number;
  /** Bodies that were not a JSON array, and messages that could not be read. */
  malformed: number;
  tooLarge: number;
  messages: number;
  duplicates: number;
  /** Messages of tags other than ORDER_TAGS. */
  otherTags: number;
}

export interface PushReceiverOptions {
  appKey: string;
  /** The app secret, read when needed (the vault may be updated while the receiver runs). */
  appSecret: () => Promise<string | null>;
  onMessage: (m: PushMessage) => void;
  onQuarantine?: (reason: string, raw: unknown) => void;
  /** Default 127.0.0.1: a push from the internet comes through the operator's own reverse proxy. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Default `/doudian/push`. */
  path?: string;
  /** Default 4 MiB. */
  maxBodyBytes?: number;
  /** msg_ids remembered (default 50 000). */
  maxRemembered?: number;
}


const SRC = 'doudian push';

export class DoudianPushReceiver {
  readonly stats: PushStats = { requests: 0, accepted: 0, badSignature: 0, malformed: 0, tooLarge: 0, messages: 0, duplicates: 0, otherTags: 0 };
  private readonly seen: LruSet;
  private readonly server: PushServer;

  constructor(private readonly opts: PushReceiverOptions) {
    this.seen = new LruSet(opts.maxRemembered ?? 50_000);
    this.server = new PushServer({
      host: opts.host,
      port: opts.port,
      path: this.path,
      maxBodyBytes: opts.maxBodyBytes ?? 4 * 1024 * 1024,
      failBody: PUSH_FAIL,
      onTooLarge: () => {
        this.stats.requests++;
        this.stats.tooLarge++;
      },
      handle: (headers, body) => this.handle({ appId: headerValue(headers['app-id']), eventSign: headerValue(headers['event-sign']) }, body),
    });
  }

  get path(): string {
    return this.opts.path ?? '/doudian/push';
  }

  /** Listens; resolves with the push URL (loopback address as bound). */
  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** One delivery: verify, parse, de-duplicate, hand on. Never throws. */
  async handle(headers: { appId: string | undefined; eventSign: string | undefined }, raw: Uint8Array): Promise<PushAnswer> {
    this.stats.requests++;
    let secret: string | null;
    try {
      secret = await this.opts.appSecret();
    } catch {
      secret = null;
    }
    // Without a secret nothing can be verified: the platform is asked to send again later.
    if (!secret) return { status: 503, body: PUSH_FAIL };
    if (!verifyPush(headers, raw, this.opts.appKey, secret)) {
      this.stats.badSignature++;
      this.report(`${SRC}: bad signature (event-sign or app-id)`, { bytes: raw.byteLength, appId: headers.appId?.slice(0, 40) ?? null });
      return { status: 401, body: PUSH_FAIL };
    }
    let batch: unknown;
    try {
      batch = parseApiJson(Buffer.from(raw).toString('utf8'));
    } catch {
      batch = undefined;
    }
    if (!Array.isArray(batch)) {
      this.stats.malformed++;
      this.report(`${SRC}: the body is not a JSON array of messages`, Buffer.from(raw).toString('utf8'));
      return { status: 400, body: PUSH_FAIL };
    }
    this.stats.accepted++;
    for (const item of batch) this.message(item);
    return { status: 200, body: PUSH_SUCCESS };
  }

  private message(item: unknown): void {
    const bad = (why: string): void => {
      this.stats.malformed++;
      this.report(`${SRC}: ${why}`, item);
    };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad('a message is not an object');
    const m = item as Record<string, unknown>;
    const msgId = typeof m.msg_id === 'string' && m.msg_id.length >= 1 && m.msg_id.length <= 200 ? m.msg_id : idOf(m.msg_id);
    if (!msgId) return bad('message without msg_id');
    const tag = typeof m.tag === 'number' ? m.tag : typeof m.tag === 'string' && /^\d{1,9}$/.test(m.tag) ? Number(m.tag) : undefined;
    if (tag === undefined || !Number.isSafeInteger(tag)) return bad('message without a numeric tag');
    if (!ORDER_TAGS.has(tag)) {
      this.stats.otherTags++;
      return;
    }
    let data: unknown = m.data;
    if (typeof data === 'string') {
      try {
        data = parseApiJson(data);
      } catch {
        return bad(`tag ${tag} message whose data is not JSON`);
      }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad(`tag ${tag} message whose data is not an object`);
    const pId = idOf((data as Record<string, unknown>).p_id);
    if (pId === null) return bad(`tag ${tag} message without p_id`);
    // Only a message that was read is remembered: a garbled copy must not shadow a good one.
    if (!this.seen.add(msgId)) {
      this.stats.duplicates++;
      return;
    }
    this.stats.messages++;
    try {
      this.opts.onMessage({ tag, msgId, pId, data: data as Record<string, unknown> });
    } catch (e) {
      this.report(`${SRC}: the consumer failed on a message (${e instanceof Error ? e.message : String(e)})`, { tag, msgId, pId });
    }
  }

  private report(reason: string, raw: unknown): void {
    try {
      this.opts.onQuarantine?.(reason, raw);
    } catch {
      // A failing reporter must not turn a push into a 500.
    }
  }
}
