/**
 * A loopback emulator of the TikTok Shop Partner API, its auth host and its webhooks, for tests
 * only (the product never uses it). Written from the spec (shared/spec/sources/tiktok-api.md) and the
 * community SDK's models (fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance `TikTokGlobalShop/`),
 * independently of the product code — the signature is computed here from the spec, not imported:
 *
 * - API host (`url`): every call checks `app_key`, `timestamp` (Unix s, within
 *   `timestampToleranceSec`), `sign` (HMAC-SHA256 over app_secret + path + sorted k+v without
 *   sign/access_token + body + app_secret), header `x-tts-access-token` (unknown → 105001, expired →
 *   105002), and `shop_cipher` on shop-scoped paths. Codes other than 0/105001/105002 are the
 *   emulator's own (the platform's are unconfirmed): 106001 bad signature, 106002 stale timestamp,
 *   106003 unknown app_key, 106011 bad shop_cipher, 36009003 bad parameter, 36009004 unknown path.
 * - Auth host (`authUrl`): `GET /api/v2/token/get` (grant_type=authorized_code, auth_code from
 *   `issueCode()`) and `/api/v2/token/refresh`; epoch-second `*_expire_in` as the SDK sample has them.
 * - `GET /authorization/202309/shops`, `POST /order/202309/orders/search` (update_time_ge/lt, sort by
 *   update_time, page_size ≤ 100, opaque `next_page_token` bound to the query, '' on the last page),
 *   `GET /order/202309/orders?ids=` (≤ 50), `GET /analytics/202509/shop_lives/performance`
 *   (pavoi's shape: `live_stream_sessions[]{id, username, start_time, end_time, sales_performance{gmv:{amount,currency}, sku_orders, items_sold, customers}}`).
 * - Orders as the 202309 model has them, every field written (zeros and empty strings included), one
 *   line item per unit; ids (order, line item, product, sku, shop) are bare JSON numbers beyond 2^53
 *   (written here, see `Int64`); money is decimal strings in major units beside `currency`.
 * - Webhooks: `{type, shop_id, timestamp, tts_notification_id, data}` POSTed to `webhookUrl` with
 *   `Authorization` = hex HMAC-SHA256(app_secret, app_key + body), retried until a 200.
 *
 * Control API: `addOrder`, `pay`, `cancel`, `refund`, `touch`, `addLiveSession`, `notify`/`deliver`,
 * `failNext`, `failAnalytics`, token expiry, `calls`. `startTikTokShopEmulator` starts it for a
 * separate process (a browser e2e); run this file directly to print its URLs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { Int64, writeJson } from './json-int64.ts';

export { Int64, writeJson };

/** What the emulator signs, from the spec (tiktok-api.md §1). */
function specSign(secret: string, path: string, q: URLSearchParams, body: string): string {
  const pairs = [...q.entries()].filter(([k, v]) => k !== 'sign' && k !== 'access_token' && v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const msg = secret + path + pairs.map(([k, v]) => k + v).join('') + body + secret;
  return createHmac('sha256', secret).update(msg, 'utf8').digest('hex');
}

export type Fault = 'rateLimit' | 'http500' | 'garbage' | 'authExpired' | 'serverError';

export interface TikTokShopEmulatorOptions {
  appKey?: string;
  appSecret?: string;
  shopId?: string;
  shopName?: string;
  cipher?: string;
  region?: string;
  /** Other shops the authorization opens (id → cipher). */
  otherShops?: Array<{ id: string; cipher: string }>;
  /** Leave the configured shop out of the authorized shops (an authorization for another shop). */
  withoutOwnShop?: boolean;
  accessTtlSec?: number;
  refreshTtlSec?: number;
  timestampToleranceSec?: number;
  webhookUrl?: string;
  /** Send ORDER_STATUS_CHANGE on every order change. */
  autoNotify?: boolean;
  now?: () => number;
}

export interface ItemSpec {
  productId?: string;
  skuId?: string;
  /** Units: one line item each. */
  qty?: number;
  /** Sale price of one unit, a decimal string in major units. */
  price?: string;
  /** The product's name as the line item carries it. */
  name?: string;
}

export interface OrderSpec {
  currency?: string;
  items?: ItemSpec[];
  /** Default true. */
  paid?: boolean;
  /** Epoch ms of the order (default now). */
  at?: number;
  buyer?: string;
}

export interface EmuCall {
  host: 'api' | 'auth';
  path: string;
  method: string;
  http: number;
  code: number | null;
  query: Record<string, string>;
  body: unknown;
  hasToken: boolean;
}

interface EmuItem {
  id: string;
  productId: string;
  skuId: string;
  price: string;
  name: string;
  displayStatus: string;
}

interface EmuOrder {
  id: string;
  status: string;
  currency: string;
  createTime: number;
  paidTime: number;
  updateTime: number;
  cancelTime: number;
  buyer: string;
  items: EmuItem[];
}

export interface LiveSessionSpec {
  id?: string;
  startMs: number;
  endMs: number | null;
  gmv: string;
  currency?: string;
  skuOrders: number;
  username?: string;
}

export interface DeliverOptions {
  duplicate?: boolean;
  reorder?: boolean;
  badSignature?: boolean;
  /** Attempts until a 200 (default 5). */
  maxAttempts?: number;
}

export interface Notification {
  type: number;
  shop_id: Int64;
  timestamp: number;
  tts_notification_id: string;
  data: Record<string, unknown>;
}

const ADD = (a: string, n: bigint): string => (BigInt(a) + n).toString();

export class TikTokShopEmulator {
  readonly appKey: string;
  readonly appSecret: string;
  readonly shopId: string;
  readonly cipher: string;
  readonly calls: EmuCall[] = [];
  readonly webhookAnswers: Array<{ status: number; body: string }> = [];
  webhookUrl: string | null;
  autoNotify: boolean;
  url = '';
  authUrl = '';
  private readonly orders = new Map<string, EmuOrder>();
  private readonly sessions: LiveSessionSpec[] = [];
  private readonly access = new Map<string, { expiresAt: number; refresh: string }>();
  private readonly refreshTokens = new Map<string, { expiresAt: number }>();
  private readonly codes = new Set<string>();
  private faults: Array<{ fault: Fault; paths: string[] | null }> = [];
  private analyticsFailing = false;
  private seq = 0n;
  private noteSeq = 0;
  private readonly servers: Server[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(private readonly opts: TikTokShopEmulatorOptions) {
    this.appKey = opts.appKey ?? '6a1b2c3d4e5f6';
    this.appSecret = opts.appSecret ?? 'emu-tts-secret-9d8e7f';
    this.shopId = opts.shopId ?? '7495111122223333444';
    this.cipher = opts.cipher ?? 'GCP_emu0AAAAAB1c2d3e4f5';
    this.webhookUrl = opts.webhookUrl ?? null;
    this.autoNotify = opts.autoNotify ?? false;
  }

  static async start(opts: TikTokShopEmulatorOptions = {}): Promise<TikTokShopEmulator> {
    const emu = new TikTokShopEmulator(opts);
    const listen = async (host: 'api' | 'auth'): Promise<string> => {
      const server = createServer((req, res) => {
        emu.serve(host, req, res).catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      emu.servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    emu.url = await listen('api');
    emu.authUrl = await listen('auth');
    return emu;
  }

  async close(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    const servers = this.servers.splice(0);
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  // ---- Control: orders ---------------------------------------------------------------------------------

  private nextId(prefix: string): string {
    this.seq++;
    return ADD(prefix, this.seq);
  }

  /** A new order (paid unless `paid: false`), one line item per unit. */
  addOrder(spec: OrderSpec = {}): { orderId: string; lineItemIds: string[] } {
    const t = Math.floor((spec.at ?? this.now()) / 1000);
    const paid = spec.paid ?? true;
    const o: EmuOrder = { id: this.nextId('576461413038785000'), status: paid ? 'AWAITING_SHIPMENT' : 'UNPAID', currency: spec.currency ?? 'USD', createTime: t - 30, paidTime: paid ? t : 0, updateTime: t, cancelTime: 0, buyer: spec.buyer ?? `7494${String(this.seq).padStart(15, '0')}`, items: [] };
    for (const it of spec.items ?? [{}]) {
      for (let i = 0; i < (it.qty ?? 1); i++) {
        o.items.push({ id: this.nextId('577086512123755000'), productId: it.productId ?? '1729582718312380123', skuId: it.skuId ?? '2729382476852921560', price: it.price ?? '12.90', name: it.name ?? 'Silk Serum 30ml', displayStatus: o.status });
      }
    }
    this.orders.set(o.id, o);
    if (paid) this.autoSend(o);
    return { orderId: o.id, lineItemIds: o.items.map((x) => x.id) };
  }

  private get(orderId: string): EmuOrder {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`emulator: no order ${orderId}`);
    return o;
  }

  private setStatus(o: EmuOrder, status: string, t: number): void {
    o.status = status;
    o.updateTime = t;
    for (const it of o.items) if (it.displayStatus !== 'CANCELLED') it.displayStatus = status;
    this.autoSend(o);
  }

  pay(orderId: string, at = this.now()): void {
    const o = this.get(orderId);
    const t = Math.floor(at / 1000);
    o.paidTime = t;
    this.setStatus(o, 'AWAITING_SHIPMENT', t);
  }

  /** The whole order cancelled (before payment: nothing was paid; after: the money goes back). */
  cancel(orderId: string, at = this.now()): void {
    const o = this.get(orderId);
    const t = Math.floor(at / 1000);
    o.cancelTime = t;
    this.setStatus(o, 'CANCELLED', t);
  }

  /** Some line items refunded (by index; all when absent): they show CANCELLED, the order keeps its status. */
  refund(orderId: string, opts: { items?: number[]; at?: number } = {}): void {
    const o = this.get(orderId);
    const t = Math.floor((opts.at ?? this.now()) / 1000);
    o.items.forEach((it, i) => {
      if (!opts.items || opts.items.includes(i)) it.displayStatus = 'CANCELLED';
    });
    if (o.items.every((it) => it.displayStatus === 'CANCELLED')) o.status = 'CANCELLED';
    o.updateTime = t;
    this.autoSend(o);
  }

  /** Another change (shipping): only update_time moves and the status goes on. */
  touch(orderId: string, status?: string, at = this.now()): void {
    const o = this.get(orderId);
    const t = Math.floor(at / 1000);
    if (status) this.setStatus(o, status, t);
    else o.updateTime = t;
  }

  /** The order as the API writes it (JSON text with bare 64-bit ids). */
  orderJson(orderId: string): string {
    return writeJson(this.render(this.get(orderId)));
  }

  addLiveSession(s: LiveSessionSpec): string {
    const id = s.id ?? this.nextId('7440000000000000000');
    this.sessions.push({ ...s, id });
    return id;
  }

  // ---- Control: faults and tokens -------------------------------------------------------------------------

  /** The next `n` API requests (to `paths`, or any) fail this way. */
  failNext(n: number, fault: Fault, paths?: string[]): void {
    for (let i = 0; i < n; i++) this.faults.push({ fault, paths: paths ?? null });
  }

  /** The analytics path answers HTTP 500 with code 98001001 (what [PV] reports of per-minute analytics). */
  failAnalytics(on = true): void {
    this.analyticsFailing = on;
  }

  expireAccessTokens(): void {
    for (const a of this.access.values()) a.expiresAt = this.now() - 1000;
  }

  expireRefreshTokens(): void {
    for (const r of this.refreshTokens.values()) r.expiresAt = this.now() - 1000;
  }

  issueCode(): string {
    const code = `TTP_${randomBytes(8).toString('hex')}`;
    this.codes.add(code);
    return code;
  }

  issuePair(): { accessToken: string; refreshToken: string; accessExpiresAt: number; refreshExpiresAt: number } {
    const { access, refresh } = this.newPair();
    return { accessToken: access, refreshToken: refresh, accessExpiresAt: this.access.get(access)!.expiresAt, refreshExpiresAt: this.refreshTokens.get(refresh)!.expiresAt };
  }

  accountRecord(): AccountRecord {
    return { platform: 'tiktok-shop', account: this.shopId, appId: this.appKey, appSecret: this.appSecret, ...this.issuePair(), updatedAt: this.now() };
  }

  accessValid(token: string): boolean {
    const a = this.access.get(token);
    return a !== undefined && a.expiresAt > this.now();
  }

  callsTo(path: string): EmuCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  // ---- Webhooks -------------------------------------------------------------------------------------------

  /** The ORDER_STATUS_CHANGE notification (type 1 in the SDK's samples) for the order as it is now. */
  orderNotification(orderId: string): Notification {
    const o = this.get(orderId);
    return this.notification(1, { order_id: new Int64(o.id), order_status: o.status, is_on_hold_order: false, update_time: o.updateTime });
  }

  notification(type: number, data: Record<string, unknown>): Notification {
    this.noteSeq++;
    return { type, shop_id: new Int64(this.shopId), timestamp: Math.floor(this.now() / 1000), tts_notification_id: `tts-${this.noteSeq}-${randomBytes(4).toString('hex')}`, data };
  }

  /** Delivers notifications, one request each, each retried until a 200 (or `maxAttempts`). */
  async deliver(notes: Notification[], opts: DeliverOptions = {}): Promise<Array<{ status: number; body: string }>> {
    let list = opts.duplicate ? notes.flatMap((n) => [n, n]) : [...notes];
    if (opts.reorder) list = list.reverse();
    const answers: Array<{ status: number; body: string }> = [];
    for (const n of list) {
      const body = writeJson(n);
      let last = { status: 0, body: '' };
      for (let attempt = 0; attempt < (opts.maxAttempts ?? 5); attempt++) {
        last = await this.post(body, opts.badSignature ?? false);
        if (last.status === 200) break;
      }
      answers.push(last);
    }
    return answers;
  }

  /** Posts a raw body to the webhook URL, signed over exactly those bytes (or wrongly). */
  async post(body: string, badSignature = false): Promise<{ status: number; body: string }> {
    if (!this.webhookUrl) throw new Error('emulator: no webhookUrl');
    const sig = createHmac('sha256', badSignature ? 'not-the-secret' : this.appSecret)
      .update(this.appKey + body, 'utf8')
      .digest('hex');
    try {
      const res = await fetch(this.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: sig }, body });
      const answer = { status: res.status, body: await res.text() };
      this.webhookAnswers.push(answer);
      return answer;
    } catch {
      const answer = { status: 0, body: '' };
      this.webhookAnswers.push(answer);
      return answer;
    }
  }

  private autoSend(o: EmuOrder): void {
    if (!this.autoNotify || !this.webhookUrl) return;
    const p = this.deliver([this.orderNotification(o.id)]).catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private async serve(host: 'api' | 'auth', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const token = typeof req.headers['x-tts-access-token'] === 'string' ? req.headers['x-tts-access-token'] : '';
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const call: EmuCall = { host, path: url.pathname, method: req.method ?? '', http: 200, code: null, query: Object.fromEntries(q.entries()), body, hasToken: token !== '' };
    this.calls.push(call);
    const send = (http: number, env: Record<string, unknown> | string): void => {
      call.http = http;
      if (typeof env !== 'string') call.code = typeof env.code === 'number' ? env.code : null;
      const text = typeof env === 'string' ? env : writeJson({ ...env, request_id: `2026${String(this.calls.length).padStart(12, '0')}` });
      res.writeHead(http, { 'content-type': typeof env === 'string' ? 'text/html' : 'application/json' });
      res.end(text);
    };
    if (host === 'auth') return send(200, this.auth(url.pathname, q));
    const fi = this.faults.findIndex((f) => f.paths === null || f.paths.includes(url.pathname));
    const fault = fi >= 0 ? this.faults.splice(fi, 1)[0]!.fault : null;
    if (fault === 'rateLimit') return send(429, { code: 36009006, message: 'Too many requests, please try again later' });
    if (fault === 'http500') return send(500, { code: 36009001, message: 'Internal error' });
    if (fault === 'garbage') return send(200, '<html>bad gateway</html>');
    if (fault === 'serverError') return send(200, { code: 36009001, message: 'Internal system error, please retry' });
    const checked = this.check(url.pathname, req.method ?? '', q, raw, token, fault === 'authExpired');
    if (checked) return send(checked.http ?? 200, checked.env);
    const [http, env] = this.dispatch(url.pathname, req.method ?? '', q, body);
    send(http, env);
  }

  private err(code: number, message: string): Record<string, unknown> {
    return { code, message, data: null };
  }

  private ok(data: unknown): Record<string, unknown> {
    return { code: 0, message: 'Success', data };
  }

  private check(path: string, method: string, q: URLSearchParams, raw: string, token: string, forceExpired: boolean): { env: Record<string, unknown>; http?: number } | null {
    if (q.get('app_key') !== this.appKey) return { env: this.err(106003, 'Invalid app_key') };
    const ts = q.get('timestamp') ?? '';
    if (!/^\d{1,12}$/.test(ts) || Math.abs(Number(ts) - Math.floor(this.now() / 1000)) > (this.opts.timestampToleranceSec ?? 300)) return { env: this.err(106002, 'Invalid timestamp') };
    const sign = q.get('sign');
    if (!sign || sign !== specSign(this.appSecret, path, q, method === 'GET' ? '' : raw)) return { env: this.err(106001, 'Invalid signature') };
    const a = this.access.get(token);
    if (!a) return { env: this.err(105001, 'Invalid credentials: the access token is invalid'), http: 401 };
    if (forceExpired || a.expiresAt <= this.now()) return { env: this.err(105002, 'Expired credentials: the access token has expired'), http: 401 };
    if (path !== '/authorization/202309/shops' && q.get('shop_cipher') !== this.cipher) return { env: this.err(106011, 'Invalid shop_cipher') };
    return null;
  }

  private dispatch(path: string, method: string, q: URLSearchParams, body: unknown): [number, Record<string, unknown>] {
    if (path === '/authorization/202309/shops' && method === 'GET') return [200, this.ok({ shops: this.shops() })];
    if (path === '/order/202309/orders/search' && method === 'POST') return [200, this.search(q, body)];
    if (path === '/order/202309/orders' && method === 'GET') return [200, this.detail(q)];
    if (path === '/analytics/202509/shop_lives/performance' && method === 'GET') {
      if (this.analyticsFailing) return [500, this.err(98001001, 'Internal error, please try again later')];
      return [200, this.livePerformance(q)];
    }
    return [404, this.err(36009004, `Unknown path ${path}`)];
  }

  private shops(): unknown[] {
    const own = this.opts.withoutOwnShop ? [] : [{ id: new Int64(this.shopId), cipher: this.cipher }];
    return [...own, ...(this.opts.otherShops ?? []).map((s) => ({ id: new Int64(s.id), cipher: s.cipher }))].map((s) => ({
      cipher: s.cipher,
      code: 'USLCEMU01',
      id: s.id,
      name: this.opts.shopName ?? 'Emu Beauty Shop',
      region: this.opts.region ?? 'US',
      seller_type: 'LOCAL',
    }));
  }

  private search(q: URLSearchParams, body: unknown): Record<string, unknown> {
    const size = Number(q.get('page_size') ?? '10');
    if (!Number.isInteger(size) || size < 1 || size > 100) return this.err(36009003, 'Invalid page_size: must be 1-100');
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    const ge = num(b.update_time_ge);
    const lt = num(b.update_time_lt);
    const cge = num(b.create_time_ge);
    const clt = num(b.create_time_lt);
    const desc = q.get('sort_order') === 'DESC';
    const byCreate = q.get('sort_field') === 'create_time';
    const queryKey = JSON.stringify([ge, lt, cge, clt, desc, byCreate, size]);
    let offset = 0;
    const pt = q.get('page_token');
    if (pt) {
      try {
        const t = JSON.parse(Buffer.from(pt, 'base64').toString('utf8')) as { o: number; k: string };
        if (t.k !== queryKey || !Number.isInteger(t.o)) throw new Error('mismatch');
        offset = t.o;
      } catch {
        return this.err(36009003, 'Invalid page_token');
      }
    }
    const list = [...this.orders.values()]
      .filter((o) => (ge === undefined || o.updateTime >= ge) && (lt === undefined || o.updateTime < lt) && (cge === undefined || o.createTime >= cge) && (clt === undefined || o.createTime < clt))
      .sort((x, y) => {
        const d = byCreate ? x.createTime - y.createTime : x.updateTime - y.updateTime;
        return (desc ? -d : d) || (BigInt(x.id) < BigInt(y.id) ? -1 : 1);
      });
    const page = list.slice(offset, offset + size);
    const next = offset + size < list.length ? Buffer.from(JSON.stringify({ o: offset + size, k: queryKey })).toString('base64') : '';
    return this.ok({ next_page_token: next, orders: page.map((o) => this.render(o)), total_count: list.length });
  }

  private detail(q: URLSearchParams): Record<string, unknown> {
    const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length < 1 || ids.length > 50) return this.err(36009003, 'Invalid ids: 1-50 order ids');
    return this.ok({ orders: ids.flatMap((id) => (this.orders.has(id) ? [this.render(this.orders.get(id)!)] : [])) });
  }

  private livePerformance(q: URLSearchParams): Record<string, unknown> {
    const start = q.get('start_date_ge');
    const end = q.get('end_date_lt');
    if (!start || !end) return this.err(36009003, 'start_date_ge and end_date_lt are required');
    const from = Date.parse(`${start}T00:00:00Z`);
    const to = Date.parse(`${end}T00:00:00Z`);
    const list = this.sessions
      .filter((s) => s.startMs >= from && s.startMs < to)
      .map((s) => ({
        id: s.id,
        title: 'LIVE',
        username: s.username ?? 'emu_beauty',
        start_time: Math.floor(s.startMs / 1000),
        end_time: s.endMs === null ? 0 : Math.floor(s.endMs / 1000),
        sales_performance: { gmv: { amount: s.gmv, currency: s.currency ?? 'USD' }, '24h_live_gmv': { amount: s.gmv, currency: s.currency ?? 'USD' }, sku_orders: s.skuOrders, items_sold: s.skuOrders, customers: s.skuOrders, click_to_order_rate: '0.0312' },
        interaction_performance: { views: 1000, product_impressions: 500, product_clicks: 80, avg_viewing_duration: 61, click_through_rate: '0.16' },
      }));
    return this.ok({ live_stream_sessions: list, next_page_token: '' });
  }

  private render(o: EmuOrder): Record<string, unknown> {
    const c = o.currency;
    const zero = c === 'VND' || c === 'JPY' || c === 'KRW' ? '0' : '0.00';
    const sub = o.items.reduce((a, it) => a + Number(it.price), 0);
    const subText = c === 'VND' || c === 'JPY' || c === 'KRW' ? String(sub) : sub.toFixed(2);
    return {
      id: new Int64(o.id),
      buyer_email: 'v2b2V5@chat.seller.tiktok.com',
      buyer_message: '',
      cancel_order_sla_time: 0,
      cancel_reason: o.status === 'CANCELLED' ? 'Buyer requested' : '',
      cancel_time: o.cancelTime,
      cancellation_initiator: o.status === 'CANCELLED' ? 'BUYER' : '',
      collection_due_time: 0,
      collection_time: 0,
      commerce_platform: 'TIKTOK_SHOP',
      create_time: o.createTime,
      delivery_option_id: new Int64('7091146663229654785'),
      delivery_option_name: 'Standard shipping',
      delivery_type: 'HOME_DELIVERY',
      fulfillment_type: 'FULFILLMENT_BY_SELLER',
      has_updated_recipient_address: false,
      is_buyer_request_cancel: false,
      is_cod: false,
      is_on_hold_order: false,
      is_replacement_order: false,
      is_sample_order: false,
      line_items: o.items.map((it) => ({
        buyer_service_fee: zero,
        cancel_reason: it.displayStatus === 'CANCELLED' ? 'Refunded' : '',
        cancel_user: it.displayStatus === 'CANCELLED' ? 'BUYER' : '',
        currency: c,
        display_status: it.displayStatus,
        id: new Int64(it.id),
        is_gift: false,
        original_price: it.price,
        package_id: '',
        package_status: 'TO_FULFILL',
        platform_discount: zero,
        product_id: new Int64(it.productId),
        product_name: it.name,
        retail_delivery_fee: zero,
        rts_time: 0,
        sale_price: it.price,
        seller_discount: zero,
        seller_sku: 'SERUM-30',
        shipping_provider_id: '',
        shipping_provider_name: '',
        sku_id: new Int64(it.skuId),
        sku_image: 'https://p16-oec-va.example/sku.jpg',
        sku_name: 'Default',
        sku_type: 'NORMAL',
        small_order_fee: zero,
        tracking_number: '',
      })),
      order_type: 'NORMAL',
      packages: [],
      paid_time: o.paidTime,
      payment: {
        buyer_service_fee: zero,
        currency: c,
        original_shipping_fee: zero,
        original_total_product_price: subText,
        platform_discount: zero,
        product_tax: zero,
        retail_delivery_fee: zero,
        seller_discount: zero,
        shipping_fee: zero,
        shipping_fee_platform_discount: zero,
        shipping_fee_seller_discount: zero,
        shipping_fee_tax: zero,
        small_order_fee: zero,
        sub_total: subText,
        tax: zero,
        total_amount: subText,
      },
      payment_method_name: 'CCDC',
      recipient_address: { full_address: '', name: 'J** D**', phone_number: '(+1)213*****13', postal_code: '90001', region_code: 'US', address_detail: '' },
      rts_sla_time: 0,
      rts_time: 0,
      shipping_due_time: 0,
      shipping_provider: '',
      shipping_provider_id: '',
      shipping_type: 'TIKTOK',
      split_or_combine_tag: '',
      status: o.status,
      tracking_number: '',
      tts_sla_time: 0,
      update_time: o.updateTime,
      user_id: new Int64(o.buyer),
      warehouse_id: '',
    };
  }

  // ---- Tokens ------------------------------------------------------------------------------------------------

  private newPair(): { access: string; refresh: string } {
    const access = `ROW_${randomBytes(24).toString('base64url')}`;
    const refresh = randomBytes(24).toString('base64url');
    this.access.set(access, { expiresAt: this.now() + (this.opts.accessTtlSec ?? 7 * 86_400) * 1000, refresh });
    this.refreshTokens.set(refresh, { expiresAt: this.now() + (this.opts.refreshTtlSec ?? 30 * 86_400) * 1000 });
    return { access, refresh };
  }

  private tokenData(access: string, refresh: string): Record<string, unknown> {
    return {
      access_token: access,
      access_token_expire_in: Math.floor(this.access.get(access)!.expiresAt / 1000),
      refresh_token: refresh,
      refresh_token_expire_in: Math.floor(this.refreshTokens.get(refresh)!.expiresAt / 1000),
      open_id: new Int64('7010736057180325637'),
      seller_name: this.opts.shopName ?? 'Emu Beauty Shop',
      seller_base_region: this.opts.region ?? 'US',
      user_type: 0,
      granted_permissions: ['seller.order.info', 'data.shop_analytics.public.read'],
    };
  }

  private auth(path: string, q: URLSearchParams): Record<string, unknown> {
    if (q.get('app_key') !== this.appKey || q.get('app_secret') !== this.appSecret) return this.err(36004003, 'Invalid app_key or app_secret');
    if (path === '/api/v2/token/get') {
      if (q.get('grant_type') !== 'authorized_code') return this.err(36004002, 'Invalid grant_type');
      const code = q.get('auth_code') ?? '';
      if (!this.codes.delete(code)) return this.err(36004004, 'Invalid auth_code');
      const { access, refresh } = this.newPair();
      return this.ok(this.tokenData(access, refresh));
    }
    if (path === '/api/v2/token/refresh') {
      if (q.get('grant_type') !== 'refresh_token') return this.err(36004002, 'Invalid grant_type');
      const rt = q.get('refresh_token') ?? '';
      const r = this.refreshTokens.get(rt);
      if (!r) return this.err(36004004, 'Invalid refresh_token');
      if (r.expiresAt <= this.now()) return this.err(36004005, 'Expired refresh_token');
      const access = `ROW_${randomBytes(24).toString('base64url')}`;
      this.access.set(access, { expiresAt: this.now() + (this.opts.accessTtlSec ?? 7 * 86_400) * 1000, refresh: rt });
      return this.ok(this.tokenData(access, rt));
    }
    return this.err(36009004, `Unknown path ${path}`);
  }
}

/** For a separate process (a browser e2e): the emulator with its URLs and a vault record to seed. */
export async function startTikTokShopEmulator(opts: TikTokShopEmulatorOptions = {}): Promise<{ url: string; authUrl: string; emu: TikTokShopEmulator; record: AccountRecord; close: () => Promise<void> }> {
  const emu = await TikTokShopEmulator.start(opts);
  return { url: emu.url, authUrl: emu.authUrl, emu, record: emu.accountRecord(), close: () => emu.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void startTikTokShopEmulator({ autoNotify: Boolean(process.env.LCR_EMU_WEBHOOK), webhookUrl: process.env.LCR_EMU_WEBHOOK || undefined }).then((e) => {
    process.stdout.write(`${JSON.stringify({ url: e.url, authUrl: e.authUrl, appKey: e.emu.appKey, shopId: e.emu.shopId, cipher: e.emu.cipher })}\n`);
  });
}
