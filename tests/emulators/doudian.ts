/**
 * A loopback emulator of the 抖店 Open Platform, for tests only (the product never uses it). It
 * behaves as the official SDK and the platform's code table describe (zsmhub/doudian-sdk `core/`,
 * `utils/sign_util.go`, `api/order_searchList`, `api/order_orderDetail`, `api/token_*`, `message/*`;
 * "平台基础错误码汇总" as third-party SDKs transcribe it), written independently of the product code
 * so a mistake there is not mirrored here:
 *
 * - Every request: `app_key`, `method` (= the path with dots), `v=2`, `timestamp` (Unix s, within
 *   `timestampToleranceSec` of its clock) and `sign` are checked against the raw body (`param_json`):
 *   HMAC-SHA256 with `sign_method=hmac-sha256`, else md5. Failures answer the platform's envelopes
 *   (40001 `isv.*-missing`, 40003 `isv.signature-invalid`, `isv.timestamp-invalid`, …).
 * - Tokens: `/token/create` (authorization_self with the shop id, authorization_code with a code
 *   from `issueCode()`), `/token/refresh` with the documented rules (more than an hour left: the same
 *   pair; less: a new pair, the old one valid for another hour; expired: a new pair only). An expired
 *   access token answers 40003 `isv.access-token-expired`.
 * - `order.searchList`: filtered by update/create time (inclusive, Unix s), sorted, page from 0,
 *   size ≤ 100 (more: 40004); `order.orderDetail` by `shop_order_id`.
 * - Orders are written as the SDK models have them, every field present (zeros included), 64-bit
 *   ids (`room_id`, `product_id`, `author_id`, `shop_id`) as bare JSON numbers — the JSON text is
 *   written here, so 7312345678901234567 is not rounded — and amounts in 分.
 * - Pushes: `[{ tag, msg_id, data }]` with `data` a JSON string, signed `event-sign` =
 *   md5(app_key + body + app_secret) and `app-id`, to `pushUrl` — on demand, or on every order change
 *   with `autoPush`.
 *
 * Control API for tests: `addOrder`, `pay`, `refund`, `cancel`, `touch`, `pushFor`/`deliver`
 * (duplicate, reorder, bad signature), `failNext` (rate limit, server errors, garbage), token expiry,
 * and `calls` (what the client sent).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { Int64, writeJson } from './json-int64.ts';

export { Int64, writeJson };

export type Fault = 'rateLimit' | 'serverBusy' | 'http500' | 'garbage' | 'authExpired';

export interface DoudianEmulatorOptions {
  appKey?: string;
  appSecret?: string;
  shopId?: string;
  shopName?: string;
  accessTtlSec?: number;
  refreshTtlSec?: number;
  timestampToleranceSec?: number;
  /** Where pushes go (the app's push URL). */
  pushUrl?: string;
  /** Push 101/106/200/206 on every order change. */
  autoPush?: boolean;
  now?: () => number;
}

export interface SkuSpec {
  productId?: string;
  productName?: string;
  qty?: number;
  /** Unit price (分). */
  unitFen?: number;
  /** What the buyer paid for this SKU (分); default unit × qty. */
  payFen?: number;
}

export interface OrderSpec {
  /** The live room; null/absent: not a live-room order. */
  roomId?: string | null;
  /** 下单来源: 1 直播间, 0 其他 (default 1 with a room, else 0). */
  themeType?: 0 | 1;
  authorId?: string;
  adEnvType?: 'live' | 'video' | '';
  cBiz?: 2 | 8;
  skus?: SkuSpec[];
  /** Default true. */
  paid?: boolean;
  /** Epoch ms of the order (default now). */
  at?: number;
  buyer?: string;
}

export interface EmuCall {
  path: string;
  method: string | null;
  code: number | null;
  http: number;
  hasAccessToken: boolean;
  noOldErrCode: boolean;
  params: Record<string, unknown> | null;
}

interface AfterSale {
  after_sale_status: number;
  after_sale_type: number;
  refund_status: number;
}

interface EmuSku {
  id: string;
  productId: string;
  skuId: string;
  productName: string;
  qty: number;
  unitFen: number;
  payFen: number;
  roomId: string | null;
  themeType: 0 | 1;
  authorId: string;
  adEnvType: string;
  cBiz: number;
  afterSale: AfterSale;
  updateTime: number;
}

interface EmuOrder {
  id: string;
  status: number;
  createTime: number;
  payTime: number;
  updateTime: number;
  cancelReason: string;
  buyer: string;
  skus: EmuSku[];
}

export interface EmuPush {
  tag: string;
  msg_id: string;
  data: string;
}

export interface PushOptions {
  /** Every message delivered twice. */
  duplicate?: boolean;
  /** Delivered in reverse order. */
  reorder?: boolean;
  badSignature?: boolean;
  /** All messages in one body (default) or one request each. */
  batch?: boolean;
}

const STATUS_DESC: Record<number, string> = { 1: '待支付', 105: '已支付', 2: '备货中', 101: '部分发货', 3: '已发货', 4: '已取消', 5: '已完成' };
const NO_AFTER_SALE: AfterSale = { after_sale_status: 0, after_sale_type: 0, refund_status: 0 };

function err(code: number, msg: string, subCode = '', subMsg = ''): { code: number; msg: string; sub_code: string; sub_msg: string } {
  return { code, msg, sub_code: subCode, sub_msg: subMsg };
}

export class DoudianEmulator {
  readonly appKey: string;
  readonly appSecret: string;
  readonly shopId: string;
  readonly calls: EmuCall[] = [];
  /** Answers to every push delivered. */
  readonly pushAnswers: Array<{ status: number; body: string }> = [];
  pushUrl: string | null;
  autoPush: boolean;
  private readonly orders = new Map<string, EmuOrder>();
  private readonly access = new Map<string, { expiresAt: number; refresh: string }>();
  private readonly refreshTokens = new Map<string, { expiresAt: number; access: string }>();
  private readonly codes = new Set<string>();
  private faults: Array<{ fault: Fault; methods: string[] | null }> = [];
  private seq = 0n;
  private msgSeq = 0n;
  private readonly inFlight = new Set<Promise<unknown>>();
  private server: Server | null = null;
  url = '';

  private constructor(private readonly opts: DoudianEmulatorOptions) {
    this.appKey = opts.appKey ?? '7100000000000000001';
    this.appSecret = opts.appSecret ?? 'emu-secret-6f1c2d9a';
    this.shopId = opts.shopId ?? '4463798';
    this.pushUrl = opts.pushUrl ?? null;
    this.autoPush = opts.autoPush ?? false;
  }

  static async start(opts: DoudianEmulatorOptions = {}): Promise<DoudianEmulator> {
    const emu = new DoudianEmulator(opts);
    const server = createServer((req, res) => {
      emu.serve(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    emu.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    emu.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return emu;
  }

  async close(): Promise<void> {
    await this.settled();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  // ---- Control: orders -----------------------------------------------------------------------------

  private nextId(prefix: bigint): string {
    this.seq++;
    return (prefix + this.seq).toString();
  }

  /** A new shop order (paid unless `paid: false`); returns its ids. */
  addOrder(spec: OrderSpec = {}): { shopOrderId: string; skuOrderIds: string[] } {
    const t = Math.floor((spec.at ?? this.now()) / 1000);
    const paid = spec.paid ?? true;
    const roomId = spec.roomId ?? null;
    const order: EmuOrder = { id: this.nextId(6_920_000_000_000_000_000n), status: paid ? 2 : 1, createTime: t - 20, payTime: paid ? t : 0, updateTime: t, cancelReason: '', buyer: spec.buyer ?? `buyer-${this.seq}`, skus: [] };
    for (const s of spec.skus ?? [{}]) {
      const qty = s.qty ?? 1;
      const unitFen = s.unitFen ?? 4990;
      order.skus.push({
        id: this.nextId(6_920_000_000_100_000_000n),
        productId: s.productId ?? '3691984502923623681',
        skuId: this.nextId(1_760_000_000_000_000_000n),
        productName: s.productName ?? '清透隔离乳',
        qty,
        unitFen,
        payFen: s.payFen ?? unitFen * qty,
        roomId,
        themeType: spec.themeType ?? (roomId ? 1 : 0),
        authorId: spec.authorId ?? (roomId ? '98765432109' : '0'),
        adEnvType: spec.adEnvType ?? (roomId ? 'live' : ''),
        cBiz: spec.cBiz ?? 8,
        afterSale: { ...NO_AFTER_SALE },
        updateTime: t,
      });
    }
    this.orders.set(order.id, order);
    if (paid) this.autoDeliver(order.id, ['101']);
    return { shopOrderId: order.id, skuOrderIds: order.skus.map((s) => s.id) };
  }

  private get(shopOrderId: string): EmuOrder {
    const o = this.orders.get(shopOrderId);
    if (!o) throw new Error(`emulator: no order ${shopOrderId}`);
    return o;
  }

  private touchAll(o: EmuOrder, t: number): void {
    o.updateTime = t;
    for (const s of o.skus) s.updateTime = t;
  }

  pay(shopOrderId: string, at = this.now()): void {
    const o = this.get(shopOrderId);
    const t = Math.floor(at / 1000);
    o.status = 2;
    o.payTime = t;
    this.touchAll(o, t);
    this.autoDeliver(shopOrderId, ['101']);
  }

  /** An after-sale refund that succeeded (仅退款 by default) on one SKU order or all. The order status stays. */
  refund(shopOrderId: string, opts: { sku?: number; at?: number; afterSaleType?: number } = {}): void {
    const o = this.get(shopOrderId);
    const t = Math.floor((opts.at ?? this.now()) / 1000);
    o.skus.forEach((s, i) => {
      if (opts.sku !== undefined && opts.sku !== i) return;
      s.afterSale = { after_sale_status: 12, after_sale_type: opts.afterSaleType ?? 2, refund_status: 3 };
      s.updateTime = t;
    });
    o.updateTime = t;
    this.autoDeliver(shopOrderId, ['200', '206']);
  }

  /** Cancelled: before payment nothing was paid; after payment the money goes back. */
  cancel(shopOrderId: string, at = this.now()): void {
    const o = this.get(shopOrderId);
    const t = Math.floor(at / 1000);
    const wasPaid = o.payTime > 0;
    o.status = 4;
    o.cancelReason = wasPaid ? '买家申请取消' : '超时未支付';
    for (const s of o.skus) if (wasPaid) s.afterSale = { after_sale_status: 51, after_sale_type: 5, refund_status: 3 };
    this.touchAll(o, t);
    this.autoDeliver(shopOrderId, ['106']);
  }

  /** Some other change (shipping, a remark): only `update_time` moves. */
  touch(shopOrderId: string, at = this.now()): void {
    this.touchAll(this.get(shopOrderId), Math.floor(at / 1000));
  }

  /** The shop order as the API writes it. */
  shopOrderJson(shopOrderId: string): string {
    return writeJson(this.renderShop(this.get(shopOrderId)));
  }

  // ---- Control: faults and tokens --------------------------------------------------------------------

  /** The next `n` requests (to `methods`, e.g. `order.searchList`, or any) fail this way. */
  failNext(n: number, fault: Fault, methods?: string[]): void {
    for (let i = 0; i < n; i++) this.faults.push({ fault, methods: methods ?? null });
  }

  /** Every access token issued so far expires now. */
  expireAccessTokens(): void {
    for (const a of this.access.values()) a.expiresAt = this.now() - 1000;
  }

  expireRefreshTokens(): void {
    for (const r of this.refreshTokens.values()) r.expiresAt = this.now() - 1000;
  }

  /** A one-off authorization code (10 minutes) for `authorization_code`. */
  issueCode(): string {
    const code = randomBytes(8).toString('hex');
    this.codes.add(code);
    return code;
  }

  /** A valid pair as `/token/create` would issue it (to seed a vault without a create call). */
  issuePair(): { accessToken: string; refreshToken: string; accessExpiresAt: number; refreshExpiresAt: number } {
    const { access, refresh } = this.newPair();
    return { accessToken: access, refreshToken: refresh, accessExpiresAt: this.access.get(access)!.expiresAt, refreshExpiresAt: this.refreshTokens.get(refresh)!.expiresAt };
  }

  /** A vault record for the emulated shop with a freshly issued pair (to seed a test's vault). */
  accountRecord(): AccountRecord {
    return { platform: 'doudian', account: this.shopId, appId: this.appKey, appSecret: this.appSecret, ...this.issuePair(), updatedAt: this.now() };
  }

  /** The refresh token issued together with this access token (undefined: not one of ours). */
  pairOf(accessToken: string): string | undefined {
    return this.access.get(accessToken)?.refresh;
  }

  /** Whether the platform would accept this access token now. */
  accessValid(accessToken: string): boolean {
    const a = this.access.get(accessToken);
    return a !== undefined && a.expiresAt > this.now();
  }

  callsTo(method: string): EmuCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- Pushes ------------------------------------------------------------------------------------------

  /** The message the platform would push for this order and tag (101, 106, 200, 201, 206). */
  pushFor(shopOrderId: string, tag: '101' | '106' | '200' | '201' | '206', sku = 0): EmuPush {
    const o = this.get(shopOrderId);
    const s = o.skus[sku] ?? o.skus[0]!;
    const common = { p_id: new Int64(o.id), shop_id: new Int64(this.shopId) };
    const sIds = o.skus.map((x) => new Int64(x.id));
    let data: Record<string, unknown>;
    if (tag === '101') data = { biz: 2, order_status: 2, order_type: 0, ...common, pay_amount: o.skus.reduce((a, x) => a + x.payFen, 0), pay_time: o.payTime, pay_type: 1, s_ids: sIds };
    else if (tag === '106') data = { biz: 2, cancel_reason: o.cancelReason, cancel_time: o.updateTime, order_status: 4, order_type: 0, ...common, s_ids: sIds };
    else {
      const when = tag === '200' ? { apply_time: o.updateTime } : tag === '201' ? { agree_time: o.updateTime } : { success_time: o.updateTime };
      data = { aftersale_id: new Int64((7_100_000_000_000_000_000n + BigInt(s.id.slice(-6))).toString()), aftersale_status: tag === '206' ? 12 : 6, aftersale_type: 2, ...common, reason_code: 0, refund_amount: s.payFen, refund_post_amount: 0, refund_voucher_num: 0, s_id: new Int64(s.id), ...when };
    }
    this.msgSeq++;
    return { tag, msg_id: (7_300_000_000_000_000_000n + this.msgSeq).toString(), data: writeJson(data) };
  }

  /** Delivers messages to `pushUrl`, signed (or not); resolves with each answer. */
  async deliver(messages: EmuPush[], opts: PushOptions = {}): Promise<Array<{ status: number; body: string }>> {
    if (!this.pushUrl) throw new Error('emulator: no pushUrl');
    let list = opts.duplicate ? messages.flatMap((m) => [m, m]) : [...messages];
    if (opts.reorder) list = list.reverse();
    const bodies = (opts.batch ?? true) ? [list] : list.map((m) => [m]);
    const answers: Array<{ status: number; body: string }> = [];
    for (const b of bodies) answers.push(await this.post(JSON.stringify(b), opts.badSignature ?? false));
    return answers;
  }

  /** Posts a raw body to the push URL with a correct signature over exactly those bytes (or a wrong one). */
  async post(body: string, badSignature = false): Promise<{ status: number; body: string }> {
    const sign = createHash('md5').update(`${this.appKey}${body}${badSignature ? 'not-the-secret' : this.appSecret}`, 'utf8').digest('hex');
    const res = await fetch(this.pushUrl!, { method: 'POST', headers: { 'content-type': 'application/json', 'app-id': this.appKey, 'event-sign': sign }, body });
    const answer = { status: res.status, body: await res.text() };
    this.pushAnswers.push(answer);
    return answer;
  }

  /** Waits for automatic pushes in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private autoDeliver(shopOrderId: string, tags: Array<'101' | '106' | '200' | '206'>): void {
    if (!this.autoPush || !this.pushUrl) return;
    const p = this.deliver(tags.map((t) => this.pushFor(shopOrderId, t))).catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // ---- The API -------------------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const q = url.searchParams;
    const call: EmuCall = { path: url.pathname, method: q.get('method'), code: null, http: 200, hasAccessToken: q.has('access_token'), noOldErrCode: req.headers['x-open-no-old-err-code'] === '1', params: null };
    this.calls.push(call);
    const send = (http: number, text: string): void => {
      call.http = http;
      res.writeHead(http, { 'content-type': http === 200 ? 'application/json' : 'text/plain' });
      res.end(text);
    };
    const checked = this.check(url.pathname, q, raw);
    let envelope: Record<string, unknown>;
    if ('error' in checked) envelope = checked.error;
    else {
      call.params = checked.params;
      const i = this.faults.findIndex((f) => f.methods === null || f.methods.includes(checked.method));
      const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : null;
      if (fault === 'http500') return send(500, 'Internal Server Error');
      if (fault === 'garbage') return send(200, '<html>bad gateway</html>');
      envelope = fault ? this.faultEnvelope(fault) : this.dispatch(checked.method, checked.params, q.get('access_token'));
    }
    call.code = typeof envelope.code === 'number' ? envelope.code : null;
    send(200, writeJson({ ...envelope, log_id: `2024${String(this.calls.length).padStart(10, '0')}` }));
  }

  private check(path: string, q: URLSearchParams, raw: string): { method: string; params: Record<string, unknown> } | { error: Record<string, unknown> } {
    const appKey = q.get('app_key');
    if (!appKey) return { error: err(40001, '缺少必选参数（平台校验）', 'isv.app-id-missing', '认证失败，app_key不存在') };
    if (appKey !== this.appKey) return { error: err(40003, '非法的参数（平台校验）', 'isv.app-id-invalid', '认证失败，app_key不正确') };
    const method = q.get('method');
    const expected = path.replace(/^\//, '').replaceAll('/', '.');
    if (!method || method !== expected) return { error: err(70000, '接口服务已下线', 'isp.api-service-off', 'API不存在或API已下线') };
    if (q.get('v') !== '2') return { error: err(40003, '非法的参数（平台校验）', 'isv.parameter-invalid', 'v必须为2') };
    const ts = q.get('timestamp') ?? '';
    if (!/^\d{1,12}$/.test(ts)) return { error: err(40003, '非法的参数（平台校验）', 'isv.timestamp-format-error', '时间戳格式错误') };
    if (Math.abs(Number(ts) - this.nowSec()) > (this.opts.timestampToleranceSec ?? 600)) return { error: err(40003, '非法的参数（平台校验）', 'isv.timestamp-invalid', '时间戳不合法') };
    const sign = q.get('sign');
    if (!sign) return { error: err(40001, '缺少必选参数（平台校验）', 'isv.signature-missing', '获取签名失败') };
    const pattern = `${this.appSecret}app_key${appKey}method${method}param_json${raw}timestamp${ts}v2${this.appSecret}`;
    const signMethod = q.get('sign_method') ?? 'md5';
    let want: string;
    if (signMethod === 'hmac-sha256') want = createHmac('sha256', this.appSecret).update(pattern, 'utf8').digest('hex');
    else if (signMethod === 'md5') want = createHash('md5').update(pattern, 'utf8').digest('hex');
    else return { error: err(40003, '非法的参数（平台校验）', 'isv.parameter-invalid', 'sign_method不支持') };
    if (sign !== want) return { error: err(40003, '非法的参数（平台校验）', 'isv.signature-invalid', '签名校验失败') };
    let params: unknown;
    try {
      params = parseApiJson(raw || '{}');
    } catch {
      params = null;
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return { error: err(40003, '非法的参数（平台校验）', 'isv.parameter-format-invalid', '业务参数json解析失败') };
    return { method, params: params as Record<string, unknown> };
  }

  private faultEnvelope(fault: Fault): Record<string, unknown> {
    if (fault === 'rateLimit') return err(60000, '触发限流，请稍后重试');
    if (fault === 'serverBusy') return err(20000, '服务不可用', 'isp.service-error', '内部错误，请稍后重试');
    return err(40003, '非法的参数（平台校验）', 'isv.access-token-expired', 'access_token已过期');
  }

  private dispatch(method: string, p: Record<string, unknown>, accessToken: string | null): Record<string, unknown> {
    if (method === 'token.create') return this.tokenCreate(p);
    if (method === 'token.refresh') return this.tokenRefresh(p);
    if (!accessToken) return err(40001, '缺少必选参数（平台校验）', 'isv.access-token-missing', '认证失败，access_token不能为空');
    const a = this.access.get(accessToken);
    if (!a) return err(40003, '非法的参数（平台校验）', 'isv.access-token-no-existed', 'access_token不存在，请使用最新的access_token访问');
    if (a.expiresAt <= this.now()) return err(40003, '非法的参数（平台校验）', 'isv.access-token-expired', 'access_token已过期');
    if (method === 'order.searchList') return this.searchList(p);
    if (method === 'order.orderDetail') return this.orderDetail(p);
    return err(70000, '接口服务已下线', 'isp.api-service-off', 'API不存在或API已下线');
  }

  private ok(data: unknown): Record<string, unknown> {
    return { code: 10000, msg: 'success', sub_code: '', sub_msg: '', data };
  }

  // ---- Tokens ----------------------------------------------------------------------------------------------

  private newPair(): { access: string; refresh: string } {
    const access = randomBytes(16).toString('hex');
    const refresh = randomBytes(16).toString('hex');
    this.access.set(access, { expiresAt: this.now() + (this.opts.accessTtlSec ?? 7 * 86_400) * 1000, refresh });
    this.refreshTokens.set(refresh, { expiresAt: this.now() + (this.opts.refreshTtlSec ?? 14 * 86_400) * 1000, access });
    return { access, refresh };
  }

  private tokenData(access: string, refresh: string): Record<string, unknown> {
    const expiresIn = Math.max(0, Math.floor((this.access.get(access)!.expiresAt - this.now()) / 1000));
    return { access_token: access, expires_in: expiresIn, refresh_token: refresh, scope: 'SCOPE', shop_id: new Int64(this.shopId), shop_name: this.opts.shopName ?? '清透美妆旗舰店', authority_id: this.shopId, auth_subject_type: 'Shop' };
  }

  private tokenCreate(p: Record<string, unknown>): Record<string, unknown> {
    if (p.grant_type === 'authorization_self') {
      if (String(p.shop_id) !== this.shopId) return err(50001, '平台处理失败', 'dop.token-generate-failed:no-authorization', '生成token失败，店铺授权已失效，请重新引导商家完成店铺授权');
    } else if (p.grant_type === 'authorization_code') {
      if (typeof p.code !== 'string' || !this.codes.delete(p.code)) return err(50001, '平台处理失败', 'dop.token-generate-failed:code-invalid', '生成token失败，code参数不正确，请引导商家重新授权获取code');
    } else return err(50001, '平台处理失败', 'dop.token-generate-failed:grant-type-invalid', '生成token失败，grant_type参数取值不正确');
    const { access, refresh } = this.newPair();
    return this.ok(this.tokenData(access, refresh));
  }

  private tokenRefresh(p: Record<string, unknown>): Record<string, unknown> {
    if (p.grant_type !== 'refresh_token') return err(50001, '平台处理失败', 'dop.token-generate-failed:grant-type-invalid', '生成token失败，grant_type参数取值不正确');
    const r = typeof p.refresh_token === 'string' ? this.refreshTokens.get(p.refresh_token) : undefined;
    if (!r) return err(50001, '平台处理失败', 'dop.token-generate-failed:token-invalid', '生成token失败，token不存在');
    if (r.expiresAt <= this.now()) return err(50001, '平台处理失败', 'dop.token-generate-failed:token-expired', '生成token失败，token已过期');
    const old = this.access.get(r.access);
    const left = old ? old.expiresAt - this.now() : 0;
    if (old && left > 3_600_000) return this.ok(this.tokenData(r.access, p.refresh_token as string));
    if (old && left > 0) r.expiresAt = Math.min(r.expiresAt, this.now() + 3_600_000);
    else {
      this.access.delete(r.access);
      this.refreshTokens.delete(p.refresh_token as string);
    }
    const { access, refresh } = this.newPair();
    return this.ok(this.tokenData(access, refresh));
  }

  // ---- Orders -----------------------------------------------------------------------------------------------

  private searchList(p: Record<string, unknown>): Record<string, unknown> {
    const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
    const size = num(p.size) ?? 10;
    const page = num(p.page) ?? 0;
    if (!Number.isInteger(size) || size < 1 || size > 100) return err(40004, '非法的参数（业务校验）', 'isv.parameter-invalid:size', 'size超过限制，最大值为100');
    if (!Number.isInteger(page) || page < 0) return err(40004, '非法的参数（业务校验）', 'isv.parameter-invalid:page', 'page不合法');
    const [us, ue, cs, ce] = [p.update_time_start, p.update_time_end, p.create_time_start, p.create_time_end].map(num);
    const byUpdate = p.order_by === 'update_time';
    const asc = p.order_asc === true;
    const list = [...this.orders.values()]
      .filter((o) => (us === undefined || o.updateTime >= us) && (ue === undefined || o.updateTime <= ue) && (cs === undefined || o.createTime >= cs) && (ce === undefined || o.createTime <= ce))
      .sort((a, b) => {
        const d = byUpdate ? a.updateTime - b.updateTime : a.createTime - b.createTime;
        return (asc ? d : -d) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
      });
    const slice = list.slice(page * size, page * size + size);
    return this.ok({ page, total: list.length, size, shop_order_list: slice.map((o) => this.renderShop(o)) });
  }

  private orderDetail(p: Record<string, unknown>): Record<string, unknown> {
    const id = typeof p.shop_order_id === 'string' ? p.shop_order_id : String(p.shop_order_id ?? '');
    const o = this.orders.get(id);
    if (!o) return err(50002, '业务处理失败', 'isv.business-failed:订单不存在', '订单不存在');
    return this.ok({ shop_order_detail: this.renderShop(o) });
  }

  private renderSku(o: EmuOrder, s: EmuSku): Record<string, unknown> {
    const sum = s.unitFen * s.qty;
    return {
      order_id: s.id, parent_order_id: o.id, order_level: 3, biz: 2, biz_desc: '小店', order_type: 0, order_type_desc: '普通实物订单', trade_type: 0, trade_type_desc: '普通',
      order_status: o.status, order_status_desc: STATUS_DESC[o.status] ?? '', main_status: o.status, main_status_desc: STATUS_DESC[o.status] ?? '',
      pay_time: o.payTime, order_expire_time: o.status === 1 ? o.createTime + 1800 : 0, finish_time: 0, create_time: o.createTime, update_time: s.updateTime, cancel_reason: o.cancelReason,
      b_type: 2, b_type_desc: '抖音', sub_b_type: 1, sub_b_type_desc: 'app内-原生', send_pay: 0, send_pay_desc: '',
      author_id: new Int64(s.authorId), author_name: s.roomId ? '清透小课堂' : '', theme_type: String(s.themeType), theme_type_desc: s.themeType === 1 ? '直播间' : '其他',
      app_id: 0, room_id: new Int64(s.roomId ?? '0'), content_id: '', video_id: '', origin_id: '', cid: 0, c_biz: s.cBiz, c_biz_desc: s.cBiz === 2 ? '精选联盟' : '小店自卖', page_id: 0,
      pay_type: o.payTime ? 1 : 0, channel_payment_no: '', order_amount: s.payFen, pay_amount: s.payFen, post_insurance_amount: 0, modify_amount: 0, modify_post_amount: 0,
      promotion_amount: sum - s.payFen, promotion_shop_amount: sum - s.payFen, promotion_platform_amount: 0, shop_cost_amount: sum - s.payFen, platform_cost_amount: 0, promotion_talent_amount: 0, promotion_pay_amount: 0,
      code: '', post_tel: '', encrypt_post_tel: '', post_receiver: '', encrypt_post_receiver: '', post_addr: null, exp_ship_time: o.payTime ? o.payTime + 172_800 : 0, ship_time: 0, logistics_receipt_time: 0, confirm_receipt_time: 0,
      goods_type: 0, product_id: new Int64(s.productId), sku_id: new Int64(s.skuId), spec: [{ name: '规格', value: '标准装' }], first_cid: 20029, second_cid: 20085, third_cid: 20105, fourth_cid: 0,
      out_sku_id: '', supplier_id: '', out_product_id: '', warehouse_ids: [], out_warehouse_ids: [], inventory_type: '', inventory_type_desc: '', reduce_stock_type: 1, reduce_stock_type_desc: '下单减库存',
      origin_amount: s.unitFen, has_tax: false, item_num: s.qty, sum_amount: sum, source_platform: '', product_pic: 'https://p3-aio.ecombdimg.com/obj/x.jpg', is_comment: 0, product_name: s.productName,
      inventory_list: [], post_amount: 0, pre_sale_type: 0, after_sale_info: { ...s.afterSale }, promotion_redpack_amount: 0, promotion_redpack_platform_amount: 0, promotion_redpack_talent_amount: 0,
      receive_type: 1, need_serial_number: false, ad_env_type: s.adEnvType, sku_order_tag_ui: [], product_id_str: s.productId, appointment_ship_time: 0, room_id_str: s.roomId ?? '0',
      given_product_type: '', master_sku_order_id: '', card_voucher: null, bundle_sku_info: [], account_list: null, sku_customization_info: [], author_cost_amount: 0, only_platform_cost_amount: 0,
      promise_info: '', store_info: null, mask_post_receiver: '张**', mask_post_tel: '1**********', mask_post_addr: null, contract_info: null, master_sku_order_id_list: [], given_product_activity_info: null, quality_check_info: null, sku_yun_warehouse_info: [], tax_amount: 0,
    };
  }

  private renderShop(o: EmuOrder): Record<string, unknown> {
    const pay = o.skus.reduce((a, s) => a + s.payFen, 0);
    const sum = o.skus.reduce((a, s) => a + s.unitFen * s.qty, 0);
    return {
      accept_order_status: 0, shop_id: new Int64(this.shopId), shop_name: this.opts.shopName ?? '清透美妆旗舰店', open_id: '', order_id: o.id, order_level: 2, biz: 2, biz_desc: '小店', order_type: 0, order_type_desc: '普通实物订单', trade_type: 0, trade_type_desc: '普通',
      order_status: o.status, order_status_desc: STATUS_DESC[o.status] ?? '', main_status: o.status, main_status_desc: STATUS_DESC[o.status] ?? '', pay_time: o.payTime, order_expire_time: o.status === 1 ? o.createTime + 1800 : 0, finish_time: 0,
      create_time: o.createTime, update_time: o.updateTime, cancel_reason: o.cancelReason, buyer_words: '', seller_words: '', b_type: 2, b_type_desc: '抖音', sub_b_type: 1, sub_b_type_desc: 'app内-原生', app_id: 0, pay_type: o.payTime ? 1 : 0, channel_payment_no: '',
      order_amount: pay, pay_amount: pay, post_amount: 0, post_insurance_amount: 0, modify_amount: 0, modify_post_amount: 0, promotion_amount: sum - pay, promotion_shop_amount: sum - pay, promotion_platform_amount: 0, shop_cost_amount: sum - pay, platform_cost_amount: 0, promotion_talent_amount: 0, promotion_pay_amount: 0,
      post_tel: '', encrypt_post_tel: '', post_receiver: '', encrypt_post_receiver: '', post_addr: null, exp_ship_time: 0, ship_time: 0, logistics_info: [], sku_order_list: o.skus.map((s) => this.renderSku(o, s)),
      seller_remark_stars: 0, order_phase_list: [], doudian_open_id: o.buyer, serial_number_list: [], promotion_redpack_amount: 0, promotion_redpack_platform_amount: 0, promotion_redpack_talent_amount: 0, user_id_info: null, appointment_ship_time: 0, d_car_shop_biz_data: null, shop_order_tag_ui: [],
      total_promotion_amount: sum - pay, post_origin_amount: 0, post_promotion_amount: 0, user_tag_ui: [], author_cost_amount: 0, only_platform_cost_amount: 0, promise_info: '', mask_post_receiver: '张**', mask_post_tel: '1**********', mask_post_addr: null, user_coordinate: null,
      earliest_receipt_time: 0, latest_receipt_time: 0, early_arrival: false, target_arrival_time: 0, packing_amount: 0, supermarket_order_serial_no: '', tax_amount: 0, address_tag_ui: [],
    };
  }
}
