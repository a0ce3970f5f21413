/**
 * A loopback stand-in for the 巨量千川 (Ocean Engine) Open API, for the app's 千川 client tests and
 * end-to-end runs: the SDK's paths and shapes, OAuth with rotating refresh tokens, the
 * `{code, message, request_id, data}` envelope (HTTP 200 even for refusals, as the platform does),
 * 64-bit ids as bare JSON numbers, rate-limit answers with `X-RateLimit-Dimension`, and an account
 * whose rooms, products and plans a test builds and whose figures grow deterministically as the
 * test advances time. Never used by the product.
 *
 *   const emu = await QianchuanEmulator.start({ seed: 7 });
 *   const room = emu.addRoom({ products: [{ title: '羊绒衫', price: 299, stock: 500 }] });
 *   const plan = emu.addPlan({ budget: 1000, roiGoal: 2.5 });
 *   const { accessToken } = emu.issueTokens();
 *   emu.advance(60_000);  // a minute of show
 *   … fetch(`${emu.url}/open_api/v1.0/qianchuan/report/today_live/get/?…`, { headers: { 'Access-Token': accessToken } })
 *   await emu.close();
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { idOf } from '../../../electron/core/platforms/common/json.ts';
import { type Grant, type TokenPair, Tokens } from './auth.ts';
import { ApiRefusal, QC, type RateLayer, RATE_CODE, invalid, rateLayerOf } from './codes.ts';
import type { Ctx, WriteRecord } from './context.ts';
import { int64, toJsonText } from './json.ts';
import { type BucketSpec, type ForcedAnswer, LAYERS, Limits } from './limits.ts';
import type { UniStatCostUnit } from './metrics.ts';
import { type Json, type ListChaos, Pager, Params, parseRequestJson } from './params.ts';
import { ROUTES, type Route, normalizePath } from './routes.ts';
import { Simulation } from './sim.ts';
import { type LogSnapshot, type PlanSnapshot, type RoomSnapshot, type Snapshot, logSnapshot, planSnapshot, roomSnapshot } from './snapshot.ts';
import { type OptStatus, type PlanInput, type RoomInput, type RoomStatus, World, type Advertiser } from './state.ts';
import { fmtDateTime } from './time.ts';
import { type Operator, budgetProblem, setBid, setBudget, setOpt, setRoi } from './writes.ts';

export { PATHS } from './routes.ts';
export { QC, RATE_CODE } from './codes.ts';
export type { RateLayer } from './codes.ts';
export type { BucketSpec, ForcedAnswer } from './limits.ts';
export type { ListChaos } from './params.ts';
export type { UniStatCostUnit } from './metrics.ts';
export type { PlanInput, ProductInput, RoomInput } from './state.ts';
export type { LogSnapshot, PlanSnapshot, ProductSnapshot, RoomSnapshot, Snapshot } from './snapshot.ts';
export type { TokenPair } from './auth.ts';
export type { WriteRecord } from './context.ts';

/** Default app credentials (also printed by the CLI runner). app_id fits a JS number, like real ones. */
export const DEFAULT_APP_ID = '1712000000000001';
export const DEFAULT_SECRET = 'qc-emulator-secret-7f3a9c2e5b8d1f4a6c0e';

export interface QianchuanEmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  appId?: string;
  secret?: string;
  /** Seeds every figure; the same seed and the same test steps give the same show. Default 1. */
  seed?: number;
  /** The clock. Default: frozen at start, moved only by `advance(ms)`. Pass `Date.now` for a live demo. */
  now?: () => number;
  /** Unit of `uni_promotion/list` `stat_cost` (docs conflict, qianchuan-api.md §6). Default 'yuan'. */
  uniStatCostUnit?: UniStatCostUnit;
  /** Lowest daily budget a write may set (an emulator choice). Default 300 元. */
  minBudgetYuan?: number;
  /** Whether an access token keeps working after its refresh token was used. Default true. */
  keepOldAccessOnRefresh?: boolean;
  /** Name the operation log shows for API writes. Default `开放平台应用(<appId>)`. */
  apiOperatorName?: string;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  /** The query without `access_token`. */
  query: Record<string, string>;
  code: number | null;
  httpStatus: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

export class QianchuanEmulator {
  readonly appId: string;
  readonly secret: string;
  /** The advertiser (and its 抖音号) created at start; rooms and plans go there unless told otherwise. */
  readonly advertiserId: string;
  readonly awemeId: string;
  /** Unit of `uni_promotion/list` `stat_cost`; tests may switch it between polls. */
  uniStatCostUnit: UniStatCostUnit;
  private readonly world: World;
  private readonly sim: Simulation;
  private readonly tokens: Tokens;
  private readonly limits = new Limits();
  private readonly pager = new Pager();
  private readonly clock: () => number;
  private offsetMs = 0;
  private server: Server | null = null;
  private port = 0;
  private seq = 0;
  private readonly writeLog: WriteRecord[] = [];
  private readonly requestLog: RequestRecord[] = [];
  /** Handler crashes (emulator bugs): answered HTTP 500 and kept here so a test can assert there were none. */
  readonly internalErrors: string[] = [];

  private constructor(private readonly opts: QianchuanEmulatorOptions) {
    this.appId = opts.appId ?? DEFAULT_APP_ID;
    this.secret = opts.secret ?? DEFAULT_SECRET;
    this.uniStatCostUnit = opts.uniStatCostUnit ?? 'yuan';
    const base = Date.now();
    this.clock = opts.now ?? (() => base);
    this.world = new World(opts.seed ?? 1, this.clock());
    this.sim = new Simulation(this.world);
    this.tokens = new Tokens(opts.keepOldAccessOnRefresh ?? true);
    const adv = this.world.addAdvertiser({ name: '千川模拟账户' });
    this.advertiserId = adv.advertiserId;
    this.awemeId = adv.awemes.keys().next().value!;
  }

  static async start(opts: QianchuanEmulatorOptions = {}): Promise<QianchuanEmulator> {
    const emu = new QianchuanEmulator(opts);
    const server = createServer((req, res) => void emu.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    emu.server = server;
    emu.port = (server.address() as AddressInfo).port;
    return emu;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  // ── Time ────────────────────────────────────────────────────────────────

  /** The emulator's current time (epoch ms). */
  now(): number {
    return this.clock() + this.offsetMs;
  }

  /** Moves time forward by `ms` and grows every figure accordingly (in 1-second steps). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('qianchuan emulator: advance(ms) needs ms ≥ 0');
    this.offsetMs += ms;
    this.sync();
  }

  private sync(): void {
    this.sim.runTo(this.now());
  }

  // ── Credentials ─────────────────────────────────────────────────────────

  /** A fresh auth_code (single use, 10 minutes) granting these advertisers (default: all). */
  authCode(advertiserIds?: string[]): string {
    return this.tokens.issueAuthCode(advertiserIds ?? [...this.world.advertisers.keys()], this.now());
  }

  /** A token pair issued directly, as if the OAuth dance had happened. */
  issueTokens(advertiserIds?: string[]): TokenPair {
    return this.tokens.issuePair(advertiserIds ?? [...this.world.advertisers.keys()], this.now());
  }

  expireAccessTokens(): void {
    this.tokens.expireAccessTokens();
  }

  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  // ── The account ─────────────────────────────────────────────────────────

  addAdvertiser(opts: { advertiserId?: string; name?: string; awemeId?: string; awemeName?: string } = {}): { advertiserId: string; awemeId: string } {
    const adv = this.world.addAdvertiser(opts);
    return { advertiserId: adv.advertiserId, awemeId: adv.awemes.keys().next().value! };
  }

  addRoom(input: RoomInput = {}): RoomSnapshot {
    this.sync();
    const room = this.world.addRoom(input);
    this.sim.begin(room);
    return roomSnapshot(room);
  }

  addPlan(input: PlanInput): PlanSnapshot {
    this.sync();
    return planSnapshot(this.world, this.world.addPlan(input));
  }

  /** Ends the room now (FINISH); its plans stop spending. */
  endRoom(roomId: string): void {
    this.sync();
    this.sim.endRoom(this.mustRoom(roomId), this.now());
  }

  /** PAUSE stops the figures growing; LIVING resumes them. */
  setRoomStatus(roomId: string, status: Exclude<RoomStatus, 'FINISH'>): void {
    this.sync();
    this.mustRoom(roomId).status = status;
  }

  /** Puts a product on explain now, as an operator pinning it; the rotation continues from it. */
  explain(roomId: string, productId: string): void {
    this.sync();
    const room = this.mustRoom(roomId);
    const product = room.products.find((p) => p.productId === productId);
    if (!product) throw new Error(`qianchuan emulator: no product ${productId} in room ${roomId}`);
    this.sim.explain(room, product, this.now());
  }

  setStock(roomId: string, productId: string, stock: number): void {
    const product = this.mustRoom(roomId).products.find((p) => p.productId === productId);
    if (!product) throw new Error(`qianchuan emulator: no product ${productId} in room ${roomId}`);
    product.stock = Math.max(0, Math.floor(stock));
  }

  /**
   * A change made by a person in the 千川 console (not through the API): applied and logged under
   * `operatorName`, not recorded in `writes()`. Lets a test check the app notices outside edits.
   */
  editPlan(adId: string, changes: { budget?: number; bid?: number; roiGoal?: number; optStatus?: OptStatus }, operatorName = '运营（千川后台）'): void {
    this.sync();
    const plan = this.world.plan(adId);
    if (!plan) throw new Error(`qianchuan emulator: no plan ${adId}`);
    const op: Operator = { name: operatorName, id: '7000000000000001', ip: '10.0.0.8' };
    if (changes.budget !== undefined) {
      const problem = budgetProblem(this.world, 0, plan, changes.budget);
      if (problem) throw new Error(`qianchuan emulator: ${problem}`);
      setBudget(this.world, op, plan, changes.budget);
    }
    if (changes.bid !== undefined) setBid(this.world, op, plan, changes.bid);
    if (changes.roiGoal !== undefined) setRoi(this.world, op, plan, changes.roiGoal);
    if (changes.optStatus !== undefined) setOpt(this.world, op, plan, changes.optStatus);
  }

  private mustRoom(roomId: string) {
    const room = this.world.room(roomId);
    if (!room) throw new Error(`qianchuan emulator: no room ${roomId}`);
    return room;
  }

  // ── Truth, for assertions ───────────────────────────────────────────────

  snapshot(): Snapshot {
    this.sync();
    return { now: this.world.simTime, rooms: this.world.rooms.map(roomSnapshot), plans: this.world.plans.map((p) => planSnapshot(this.world, p)) };
  }

  room(roomId: string): RoomSnapshot {
    this.sync();
    return roomSnapshot(this.mustRoom(roomId));
  }

  plan(adId: string): PlanSnapshot {
    this.sync();
    const plan = this.world.plan(adId);
    if (!plan) throw new Error(`qianchuan emulator: no plan ${adId}`);
    return planSnapshot(this.world, plan);
  }

  /** Plan-write requests received, in order, refused ones included. */
  writes(): WriteRecord[] {
    return this.writeLog.map((w) => structuredClone(w));
  }

  /** The operation log (oldest first), as `tools/log_search/` serves it. */
  log(): LogSnapshot[] {
    return this.world.log.map(logSnapshot);
  }

  /** Every request received (no tokens, no bodies), for checks on how the client polls. */
  requests(): RequestRecord[] {
    return this.requestLog.map((r) => ({ ...r, query: { ...r.query } }));
  }

  // ── Faults ──────────────────────────────────────────────────────────────

  /** A token bucket on one layer of one endpoint ('ad/get', 'report/today_live/get', …). */
  setRateLimit(path: string, layer: RateLayer, spec: BucketSpec): void {
    this.limits.set(normalizePath(path), layer, spec);
  }

  /** Removes every rate limit and every pending forced answer. */
  clearFaults(): void {
    this.limits.clear();
  }

  /** The next `times` requests to `path` get this answer instead (e.g. `{ code: 40100 }`, `{ httpStatus: 503 }`). */
  failNext(path: string, answer: ForcedAnswer, times = 1): void {
    this.limits.force(normalizePath(path), answer, times);
  }

  setListChaos(chaos: Partial<ListChaos>): void {
    this.pager.chaos = { ...this.pager.chaos, ...chaos };
  }

  // ── HTTP ────────────────────────────────────────────────────────────────

  private requestId(): string {
    const stamp = fmtDateTime(this.now()).replace(/\D/g, '');
    return `${stamp}${(++this.seq).toString(16).toUpperCase().padStart(6, '0')}${randomBytes(7).toString('hex').toUpperCase()}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record: RequestRecord = { at: this.now(), method: req.method ?? '', path: '', query: {}, code: null, httpStatus: 200 };
    this.requestLog.push(record);
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      record.path = url.pathname;
      for (const [k, v] of url.searchParams) if (k !== 'access_token') record.query[k] = v;
      const route = ROUTES.get(url.pathname);
      if (!route || req.method !== route.method) {
        record.httpStatus = route ? 405 : 404;
        return plain(res, record.httpStatus, route ? 'Method Not Allowed' : 'Not Found');
      }
      let text: string | null = '';
      if (req.method === 'POST') {
        try {
          text = await readBody(req);
        } catch {
          // The client gave up mid-upload: nothing to answer.
          record.httpStatus = 0;
          res.destroy();
          return;
        }
      }
      this.sync();
      const forced = this.limits.nextForced(url.pathname);
      if (forced?.httpStatus !== undefined) {
        record.httpStatus = forced.httpStatus;
        return plain(res, forced.httpStatus, 'upstream error');
      }
      const out = this.answer(route, url, text, req.headers['access-token'], forced);
      record.code = out.code;
      this.send(res, out.code, out.message, out.data, out.headers);
    } catch (e) {
      this.internalErrors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
      record.httpStatus = 500;
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    }
  }

  private answer(route: Route, url: URL, text: string | null, header: string | string[] | undefined, forced: ForcedAnswer | undefined): { code: number; message: string; data: Json; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    let body: Json = {};
    let ctx: Ctx | null = null;
    try {
      if (text === null) throw invalid('request body too large');
      if (forced) {
        try {
          body = parseBody(text);
        } catch {
          body = {};
        }
        const layer = rateLayerOf(forced.code ?? QC.RATE_GLOBAL);
        const dimension = forced.dimension ?? layer;
        if (dimension) headers['X-RateLimit-Dimension'] = dimension;
        throw new ApiRefusal(forced.code ?? QC.RATE_GLOBAL, forced.message ?? (layer ? 'Too many requests, please retry later' : 'forced error'));
      }
      body = parseBody(text);
      const p = new Params(url.searchParams, body);
      const grant = this.authenticate(route, url, header);
      this.rateLimit(url.pathname, url, body, headers);
      if (route.handler === 'accessToken') return ok(this.exchangeAuthCode(p), headers);
      if (route.handler === 'refreshToken') return ok(this.refresh(p), headers);
      if (route.handler === 'advertiserGet') return ok(this.advertiserList(grant!), headers);
      ctx = {
        w: this.world, sim: this.sim, p, grant: grant!, pager: this.pager, appId: this.appId, uniStatCostUnit: this.uniStatCostUnit,
        minBudgetYuan: this.opts.minBudgetYuan ?? 300, apiOperatorName: this.opts.apiOperatorName ?? `开放平台应用(${this.appId})`,
      };
      const data = route.handler(ctx);
      if (route.write) this.recordWrite(url.pathname, body, QC.OK, ctx);
      return ok(data, headers);
    } catch (e) {
      if (!(e instanceof ApiRefusal)) throw e;
      if (route.write) this.recordWrite(url.pathname, body, e.code, ctx);
      return { code: e.code, message: e.message, data: {}, headers };
    }
  }

  private authenticate(route: Route, url: URL, header: string | string[] | undefined): Grant | null {
    if (route.auth === 'none') return null;
    const fromHeader = Array.isArray(header) ? header[0] : header;
    const token = fromHeader || (route.auth === 'tokenOrQuery' ? url.searchParams.get('access_token') : null);
    const check = this.tokens.check(token ?? null, this.now());
    if (check.ok) return check.grant;
    if (check.why === 'missing') throw new ApiRefusal(QC.TOKEN_MISSING, 'Access-Token is empty');
    throw new ApiRefusal(QC.TOKEN_INVALID, check.why === 'expired' ? 'access_token has expired' : 'access_token is invalid');
  }

  private rateLimit(path: string, url: URL, body: Json, headers: Record<string, string>): void {
    const advertiser = idOf(body.advertiser_id ?? url.searchParams.get('advertiser_id'));
    for (const layer of LAYERS) {
      const key = layer === 'global' ? '*' : layer === 'developer' ? this.appId : advertiser;
      if (key === null) continue;
      if (!this.limits.take(path, layer, key, this.now())) {
        headers['X-RateLimit-Dimension'] = layer;
        throw new ApiRefusal(RATE_CODE[layer], 'Too many requests, please retry later');
      }
    }
  }

  private appCredentials(p: Params): void {
    const appId = p.id('app_id');
    const secret = p.str('secret');
    if (appId !== this.appId || secret !== this.secret) throw invalid('app_id or secret is invalid');
  }

  private exchangeAuthCode(p: Params): Json {
    this.appCredentials(p);
    const pair = this.tokens.exchange(p.str('auth_code'), this.now());
    if (!pair) throw invalid('auth_code is invalid or has expired');
    return { ...pairJson(pair), advertiser_ids: pair.advertiserIds.map(int64) };
  }

  private refresh(p: Params): Json {
    this.appCredentials(p);
    const token = p.str('refresh_token');
    const pair = this.tokens.rotate(token, this.now());
    if (!pair) throw new ApiRefusal(QC.REFRESH_TOKEN_INVALID, 'refresh_token is invalid, expired or already used');
    return pairJson(pair);
  }

  private advertiserList(grant: Grant): Json {
    const list = grant.advertiserIds
      .map((id) => this.world.advertisers.get(id))
      .filter((a): a is Advertiser => a !== undefined)
      .map((a) => ({
        account_id: int64(a.advertiserId), account_name: a.name, account_role: 'PLATFORM_ROLE_QIANCHUAN_AGENT', account_string_id: '', account_type: 'ADVERTISER',
        advertiser_id: int64(a.advertiserId), advertiser_name: a.name, advertiser_role: 1, company_list: [], is_valid: true,
      }));
    return { list };
  }

  private recordWrite(path: string, body: Json, code: number, ctx: Ctx | null): void {
    const advertiserId = idOf(body.advertiser_id);
    this.writeLog.push({ at: this.now(), path, advertiserId, body: structuredClone(body), code, succeeded: ctx?.record?.succeeded ?? [], failed: ctx?.record?.failed ?? [] });
  }

  private send(res: ServerResponse, code: number, message: string, data: Json, headers: Record<string, string>): void {
    const requestId = this.requestId();
    const text = toJsonText({ code, message, request_id: requestId, data });
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Tt-Logid': requestId, ...headers });
    res.end(text);
  }
}

const ok = (data: Json, headers: Record<string, string>) => ({ code: QC.OK as number, message: 'OK', data, headers });

function pairJson(pair: TokenPair): Json {
  return { access_token: pair.accessToken, expires_in: pair.expiresIn, refresh_token: pair.refreshToken, refresh_token_expires_in: pair.refreshTokenExpiresIn };
}

function parseBody(text: string): Json {
  if (text === '') return {};
  const v = parseRequestJson(text, 'request body');
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid('request body must be a JSON object');
  return v as Json;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** The body text, or null when it is larger than any real request (the rest is drained, not kept). */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

