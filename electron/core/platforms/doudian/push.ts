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
 * Nothing a sender does makes `handle` throw or the server crash.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface PushAnswer {
  status: number;
  body: string;
}

const SRC = 'doudian push';

/** A set of recent keys that forgets the least recently seen beyond `max`. */
export class LruSet {
  private readonly items = new Map<string, true>();
  constructor(private readonly max: number) {}

  /** Adds `key` (or freshens it); returns false when it was already there. */
  add(key: string): boolean {
    const had = this.items.delete(key);
    this.items.set(key, true);
    if (this.items.size > this.max) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    return !had;
  }

  get size(): number {
    return this.items.size;
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export class DoudianPushReceiver {
  readonly stats: PushStats = { requests: 0, accepted: 0, badSignature: 0, malformed: 0, tooLarge: 0, messages: 0, duplicates: 0, otherTags: 0 };
  private readonly seen: LruSet;
  private server: Server | null = null;

  constructor(private readonly opts: PushReceiverOptions) {
    this.seen = new LruSet(opts.maxRemembered ?? 50_000);
  }

  get path(): string {
    return this.opts.path ?? '/doudian/push';
  }

  /** Listens; resolves with the push URL (loopback address as bound). */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    server.on('clientError', (_e, socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return `http://${host}:${port}${this.path}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: PushAnswer;
    let tooLarge = false;
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== this.path) answer = { status: 404, body: PUSH_FAIL };
      else if (req.method !== 'POST') answer = { status: 405, body: PUSH_FAIL };
      else {
        const body = await this.readBody(req);
        tooLarge = body === null;
        answer = body === null ? { status: 413, body: PUSH_FAIL } : await this.handle({ appId: header(req.headers['app-id']), eventSign: header(req.headers['event-sign']) }, body);
      }
    } catch {
      answer = { status: 500, body: PUSH_FAIL };
    }
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      // The rest of an oversized body is not read: the connection is closed once the answer is out.
      res.end(answer.body, () => {
        if (tooLarge) req.destroy();
      });
    }
  }

  /** The raw body, or null when it is larger than the cap (the connection is then cut short). */
  private readBody(req: IncomingMessage): Promise<Buffer | null> {
    const max = this.opts.maxBodyBytes ?? 4 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          this.stats.requests++;
          this.stats.tooLarge++;
          req.removeAllListeners('data');
          req.resume();
          resolve(null);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
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
