/**
 * The TikTok Shop Partner API (202309 generation) as the community SDK calls it
 * (fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance, `TikTokGlobalShop/`: `TikTokShopClient.cs`,
 * `Interceptors/TikTokShopRequestSigningInterceptor.cs`, `Extensions/*Auth*`, `*Authorization*`,
 * `*Order*`; shared/spec/sources/tiktok-api.md §1–2):
 *
 * - Shop APIs at `https://open-api.tiktokglobalshop.com` (`LCR_TIKTOK_SHOP_API` overrides it): the
 *   query carries `app_key`, `timestamp` (Unix s), `shop_cipher` (shop-scoped paths) and `sign`
 *   (sign.ts), the header `x-tts-access-token` the token; a JSON body for POST. Empty query values
 *   are dropped from the URL as from the signature (the SDK removes them too).
 * - Tokens at `https://auth.tiktok-shops.com` (`LCR_TIKTOK_SHOP_AUTH_API`): `GET /api/v2/token/get`
 *   (`grant_type=authorized_code`, `auth_code`) and `GET /api/v2/token/refresh`
 *   (`grant_type=refresh_token`), both with `app_key` and `app_secret` in the query and unsigned.
 *   The answer holds `access_token`, `access_token_expire_in`, `refresh_token`,
 *   `refresh_token_expire_in` (`Models/Auth/AuthGetTokenResponse.cs`; the SDK's sample has epoch
 *   seconds there, 1660556783, so a value above 1e9 is read as an epoch, a smaller one as seconds
 *   from now), `open_id`, `seller_name`. It names no shop: `createToken` asks
 *   `/authorization/202309/shops` with the new token and refuses a pair that does not cover the
 *   configured shop, before anything is saved.
 * - Every answer is `{ code, message, request_id, data }`; `code` 0 is success (`TikTokShopResponse.cs`).
 *
 * Failure kinds (`PlatformError`). What is confirmed and what is not:
 * - HTTP 429 → `rateLimited`, HTTP ≥ 500 → `network` (transport level, http.ts): confirmed as HTTP.
 *   An envelope whose message says "too many requests" / "rate limit" is `rateLimited` too; the
 *   platform's own numeric rate-limit code is NOT confirmed by any source read.
 * - `auth`: 105001 (invalid credentials), 105002 (expired credentials) and the 1050xx family, and
 *   36004004 (invalid/expired access token): community knowledge of TikTok's code table, NOT
 *   confirmed by the SDK (it has no code table). A message that says the access token is
 *   invalid or expired is `auth` whatever its code.
 * - Any non-zero answer of the token endpoints is `auth` (the grant or the refresh token was
 *   refused: only a new authorisation helps) unless it is a rate limit.
 * - Anything else → `refused` with the platform's words as they are.
 *
 * Tokens live in the vault (platform `tiktok-shop`, account = the shop id, appId = app_key, with the
 * app secret). A token that expires within `refreshWithinMs` (10 min) is refreshed first; an `auth`
 * answer refreshes once and retries once; after that the error names the shop and says to run
 * `lcr auth tiktok-shop`. A refresh is written as one record, under the vault's lock where it has one.
 */
import { isPlatformError, PlatformError, type PlatformErrorKind } from '../common/errors.ts';
import { requestJson } from '../common/http.ts';
import { idOf } from '../common/json.ts';
import type { AccountRecord, SecretVault } from '../../secrets/types.ts';
import { tiktokSign } from './sign.ts';

export const TIKTOK_SHOP_PLATFORM = 'tiktok-shop';
export const TIKTOK_SHOP_API = 'https://open-api.tiktokglobalshop.com';
export const TIKTOK_SHOP_AUTH = 'https://auth.tiktok-shops.com';
export const SUCCESS_CODE = 0;
/** `page_size` of orders search: 1–100 (Partner API docs as the SDK's request model cites them). */
export const MAX_PAGE_SIZE = 100;
/** Ids per `GET /order/202309/orders` call. */
export const MAX_DETAIL_IDS = 50;
/** Community knowledge, unconfirmed (see the header). */
export const AUTH_CODES: ReadonlySet<number> = new Set([105000, 105001, 105002, 105003, 105004, 105005, 36004004]);

export const PATHS = {
  tokenGet: '/api/v2/token/get',
  tokenRefresh: '/api/v2/token/refresh',
  shops: '/authorization/202309/shops',
  ordersSearch: '/order/202309/orders/search',
  orders: '/order/202309/orders',
  /** [PV] pavoi/social-objects `lib/pavoi/tiktok_shop/analytics.ex`: community code, unverified against docs. */
  livePerformance: '/analytics/202509/shop_lives/performance',
  /** [PV] as above, unverified; `{live_id}` is replaced. */
  liveProducts: '/analytics/202512/shop/{live_id}/products_performance',
} as const;

const DAY_MS = 86_400_000;
/** When the answer gives no lifetimes: 7 days access, 30 days refresh — assumptions, not documented figures. */
const DEFAULT_ACCESS_MS = 7 * DAY_MS;
const DEFAULT_REFRESH_MS = 30 * DAY_MS;

/** The shop API base: `LCR_TIKTOK_SHOP_API` (a proxy, a test server) or the public host. */
export function tiktokShopApiBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.LCR_TIKTOK_SHOP_API?.trim() || TIKTOK_SHOP_API;
}

/** The auth base: `LCR_TIKTOK_SHOP_AUTH_API` or the public auth host (paths `/api/v2/token/…` are added). */
export function tiktokShopAuthBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.LCR_TIKTOK_SHOP_AUTH_API?.trim() || TIKTOK_SHOP_AUTH;
}

/** Which kind of failure an envelope with a non-zero code is. */
export function envelopeKind(code: number | undefined, message: string): PlatformErrorKind {
  if (code === 429 || /too many requests|rate.?limit|frequen|qps/i.test(message)) return 'rateLimited';
  if ((code !== undefined && AUTH_CODES.has(code)) || /access.?token.*(invalid|expired)|(invalid|expired).*(access.?token|credential)/i.test(message)) return 'auth';
  return 'refused';
}

export interface TikTokShopClientOptions {
  /** Default `tiktokShopApiBase()`. */
  base?: string;
  /** Default `tiktokShopAuthBase()`. */
  authBase?: string;
  appKey: string;
  /** The shop (its vault record's `account`): digits. */
  shopId: string;
  /** The shop's cipher when known (wins over asking `authorizedShops`). */
  shopCipher?: string;
  vault: SecretVault;
  now?: () => number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Refresh an access token that expires sooner than this (ms; default 10 min). */
  refreshWithinMs?: number;
}

export interface AuthorizedShop {
  id: string;
  cipher: string;
  name: string;
  region: string;
  seller_type: string;
}

export interface SearchOrdersQuery {
  /** Unix seconds, inclusive. */
  updateTimeGe: number;
  /** Unix seconds, exclusive. */
  updateTimeLt: number;
  /** 1–100. */
  pageSize: number;
  /** The previous page's `next_page_token`; absent for the first page. */
  pageToken?: string;
}

export interface SearchOrdersPage {
  /** The orders as sent (ids exact), for orders.ts to read. */
  orders: unknown[];
  /** '' when there is no further page. */
  nextPageToken: string;
  totalCount: number | null;
}

export interface LivePerformanceQuery {
  /** YYYY-MM-DD, inclusive. */
  startDate: string;
  /** YYYY-MM-DD, exclusive. */
  endDate: string;
  pageToken?: string;
  /** `LOCAL` (the shop's currency) or `USD`; default LOCAL. */
  currency?: 'LOCAL' | 'USD';
  pageSize?: number;
}

/** What a token call established, without the tokens. */
export interface TokenSummary {
  shopId: string;
  shopName: string | null;
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: Obj;
  /** Shop-scoped: carries `shop_cipher`. */
  shop: boolean;
}

export class TikTokShopClient {
  readonly base: string;
  readonly authBase: string;
  readonly shopId: string;
  private readonly now: () => number;
  private record: AccountRecord | null = null;
  private refreshing: Promise<AccountRecord> | null = null;
  private cipher: string | null;
  private cipherLookup: Promise<string> | null = null;

  constructor(private readonly opts: TikTokShopClientOptions) {
    if (!/^\d{1,20}$/.test(opts.shopId)) throw new TypeError(`TikTok Shop shop id must be digits, not "${opts.shopId.slice(0, 40)}"`);
    if (!opts.appKey) throw new TypeError('TikTok Shop app_key is empty');
    this.base = (opts.base ?? tiktokShopApiBase()).replace(/\/+$/, '');
    this.authBase = (opts.authBase ?? tiktokShopAuthBase()).replace(/\/+$/, '');
    this.shopId = opts.shopId;
    this.cipher = opts.shopCipher?.trim() || null;
    this.now = opts.now ?? Date.now;
  }

  /** The app secret from the vault (webhook verification), or null when no record is stored. */
  async appSecret(): Promise<string | null> {
    const r = this.record ?? (await this.opts.vault.load('tiktok-shop', this.shopId));
    return r?.appSecret || null;
  }

  /**
   * `/api/v2/token/get` with the `code` from the authorisation redirect. `appSecret` is needed when
   * the vault has no record for the shop yet. The pair is checked against the configured shop
   * (authorized shops) and then saved as one record.
   */
  async createToken(grant: { authCode: string; appSecret?: string }): Promise<TokenSummary> {
    const stored = await this.opts.vault.load('tiktok-shop', this.shopId);
    const appSecret = grant.appSecret ?? stored?.appSecret;
    if (!appSecret) throw this.needsAuthorization('no app secret is stored for it');
    if (!grant.authCode) throw this.needsAuthorization('no authorization code was given');
    let data: unknown;
    try {
      data = await this.sendAuth(PATHS.tokenGet, { app_key: this.opts.appKey, app_secret: appSecret, auth_code: grant.authCode, grant_type: 'authorized_code' }, appSecret);
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      throw new PlatformError(`TikTok Shop shop ${this.shopId} could not be authorized: ${e.message}`, e.info);
    }
    const base: AccountRecord = stored ?? { platform: 'tiktok-shop', account: this.shopId, appId: this.opts.appKey, appSecret, accessToken: null, refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: 0 };
    const next = this.withPair({ ...base, appId: this.opts.appKey, appSecret }, data, PATHS.tokenGet);
    // The token answer names no shop: the shops it opens must include ours before it replaces a stored pair.
    const shops = await this.shopsWith(next);
    const mine = shops.find((s) => s.id === this.shopId);
    if (!mine) {
      throw new PlatformError(`TikTok Shop ${PATHS.tokenGet}: the authorization is for shop${shops.length === 1 ? '' : 's'} ${shops.map((s) => s.id).join(', ') || '(none)'}, not the configured shop ${this.shopId}`, {
        platform: TIKTOK_SHOP_PLATFORM,
        kind: 'refused',
        endpoint: PATHS.tokenGet,
      });
    }
    if (!this.opts.shopCipher) this.cipher = mine.cipher;
    await this.opts.vault.save(next);
    this.record = next;
    const name = isObj(data) && typeof data.seller_name === 'string' ? data.seller_name.slice(0, 200) : mine.name || null;
    return { shopId: this.shopId, shopName: name, accessExpiresAt: next.accessExpiresAt, refreshExpiresAt: next.refreshExpiresAt };
  }

  /** `/api/v2/token/refresh` now, whatever the expiry; the new pair is saved as one record. */
  async refreshToken(): Promise<TokenSummary> {
    const r = await this.refresh(null, true);
    return { shopId: this.shopId, shopName: null, accessExpiresAt: r.accessExpiresAt, refreshExpiresAt: r.refreshExpiresAt };
  }

  /** `GET /authorization/202309/shops`: the shops the token opens, each with its cipher. */
  async authorizedShops(): Promise<AuthorizedShop[]> {
    return readShops(await this.call({ method: 'GET', path: PATHS.shops, shop: false }), (why) => this.malformed(PATHS.shops, why));
  }

  /** The shop's cipher: the configured one, else looked up once among the authorized shops. */
  async shopCipher(): Promise<string> {
    if (this.cipher) return this.cipher;
    this.cipherLookup ??= (async () => {
      const shops = await this.authorizedShops();
      const mine = shops.find((s) => s.id === this.shopId);
      if (!mine) {
        throw new PlatformError(`TikTok Shop shop ${this.shopId} is not among the shops this authorization opens (${shops.map((s) => s.id).join(', ') || 'none'}): run \`lcr auth tiktok-shop\` for it`, {
          platform: TIKTOK_SHOP_PLATFORM,
          kind: 'auth',
          endpoint: PATHS.shops,
        });
      }
      this.cipher = mine.cipher;
      return mine.cipher;
    })().finally(() => {
      this.cipherLookup = null;
    });
    return this.cipherLookup;
  }

  /** `POST /order/202309/orders/search` by update time, oldest update first, one page. */
  async searchOrders(q: SearchOrdersQuery): Promise<SearchOrdersPage> {
    if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > MAX_PAGE_SIZE) throw new RangeError(`orders search: page_size ${q.pageSize} is not 1–${MAX_PAGE_SIZE}`);
    if (!Number.isSafeInteger(q.updateTimeGe) || !Number.isSafeInteger(q.updateTimeLt) || q.updateTimeGe < 0 || q.updateTimeLt <= q.updateTimeGe) throw new RangeError(`orders search: update time [${q.updateTimeGe}, ${q.updateTimeLt}) is not a window of Unix seconds`);
    const data = await this.call({
      method: 'POST',
      path: PATHS.ordersSearch,
      query: { page_size: q.pageSize, page_token: q.pageToken || undefined, sort_field: 'update_time', sort_order: 'ASC' },
      body: { update_time_ge: q.updateTimeGe, update_time_lt: q.updateTimeLt },
      shop: true,
    });
    if (!isObj(data)) throw this.malformed(PATHS.ordersSearch, 'the answer has no data');
    const list = data.orders;
    if (list !== undefined && list !== null && !Array.isArray(list)) throw this.malformed(PATHS.ordersSearch, 'orders is not a list');
    const token = data.next_page_token;
    if (token !== undefined && token !== null && typeof token !== 'string') throw this.malformed(PATHS.ordersSearch, 'next_page_token is not text');
    if (typeof token === 'string' && token.length > 4096) throw this.malformed(PATHS.ordersSearch, 'next_page_token is longer than 4096 characters');
    const total = typeof data.total_count === 'number' && Number.isSafeInteger(data.total_count) && data.total_count >= 0 ? data.total_count : null;
    return { orders: (list as unknown[] | null | undefined) ?? [], nextPageToken: token ?? '', totalCount: total };
  }

  /** `GET /order/202309/orders?ids=`: up to 50 orders (ids exact). */
  async orderDetail(ids: readonly string[]): Promise<unknown[]> {
    if (ids.length < 1 || ids.length > MAX_DETAIL_IDS) throw new RangeError(`order detail: ${ids.length} ids (1–${MAX_DETAIL_IDS} a call)`);
    for (const id of ids) if (idOf(id) === null) throw new TypeError(`order detail: "${String(id).slice(0, 40)}" is not an order id`);
    const data = await this.call({ method: 'GET', path: PATHS.orders, query: { ids: ids.join(',') }, shop: true });
    if (!isObj(data)) throw this.malformed(PATHS.orders, 'the answer has no data');
    const list = data.orders;
    if (list !== undefined && list !== null && !Array.isArray(list)) throw this.malformed(PATHS.orders, 'orders is not a list');
    return (list as unknown[] | null | undefined) ?? [];
  }

  /**
   * `GET /analytics/202509/shop_lives/performance`: the shop's LIVE sessions between two dates,
   * biggest GMV first. Unverified community knowledge ([PV] pavoi `analytics.ex`, the stream sync
   * worker reads `data.live_stream_sessions` and `next_page_token`): the data is handed back as
   * sent, for a defensive reader.
   */
  async livePerformance(q: LivePerformanceQuery): Promise<unknown> {
    if (!DATE.test(q.startDate) || !DATE.test(q.endDate)) throw new RangeError(`LIVE performance: dates must be YYYY-MM-DD, not ${q.startDate.slice(0, 20)}–${q.endDate.slice(0, 20)}`);
    const size = q.pageSize ?? 100;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new RangeError(`LIVE performance: page_size ${size} is not 1–100`);
    return this.call({
      method: 'GET',
      path: PATHS.livePerformance,
      query: { start_date_ge: q.startDate, end_date_lt: q.endDate, page_size: size, page_token: q.pageToken || undefined, sort_field: 'gmv', sort_order: 'DESC', currency: q.currency ?? 'LOCAL', account_type: 'ALL' },
      shop: true,
    });
  }

  /** `GET /analytics/202512/shop/{live_id}/products_performance` (unverified, [PV]): the data as sent. */
  async liveProductsPerformance(liveId: string, currency: 'LOCAL' | 'USD' = 'LOCAL'): Promise<unknown> {
    if (idOf(liveId) === null) throw new TypeError(`LIVE products performance: "${liveId.slice(0, 40)}" is not a live id`);
    return this.call({ method: 'GET', path: PATHS.liveProducts.replace('{live_id}', idOf(liveId)!), query: { currency }, shop: true });
  }

  // ---- Calls with a token ------------------------------------------------------------------------

  private async call(c: Call): Promise<unknown> {
    let r = await this.usable();
    const cipher = c.shop ? await this.shopCipher() : undefined;
    try {
      return await this.send(c, r, cipher);
    } catch (e) {
      if (!isPlatformError(e) || e.kind !== 'auth') throw e;
      r = await this.refresh(r.accessToken, false);
      try {
        return await this.send(c, r, cipher);
      } catch (again) {
        if (isPlatformError(again) && again.kind === 'auth') throw this.needsAuthorization(again.message, again);
        throw again;
      }
    }
  }

  private async shopsWith(r: AccountRecord): Promise<AuthorizedShop[]> {
    return readShops(await this.send({ method: 'GET', path: PATHS.shops, shop: false }, r, undefined), (why) => this.malformed(PATHS.shops, why));
  }

  private expiresSoon(r: AccountRecord): boolean {
    return !r.accessToken || (r.accessExpiresAt !== null && r.accessExpiresAt - this.now() < (this.opts.refreshWithinMs ?? 10 * 60_000));
  }

  private async load(): Promise<AccountRecord> {
    const r = await this.opts.vault.load('tiktok-shop', this.shopId);
    if (!r) throw this.needsAuthorization('no authorization is stored for it');
    if (r.appId !== this.opts.appKey) throw this.needsAuthorization(`the stored authorization is for app_key ${r.appId}, not ${this.opts.appKey}`);
    this.record = r;
    return r;
  }

  private async usable(): Promise<AccountRecord> {
    const r = this.record ?? (await this.load());
    // A pair written in the last minute that is still valid is used as it is: a platform whose tokens
    // live shorter than `refreshWithinMs` must not be refreshed before every call.
    const fresh = r.accessToken !== null && r.updatedAt > this.now() - 60_000 && (r.accessExpiresAt === null || r.accessExpiresAt > this.now());
    return this.expiresSoon(r) && !fresh ? this.refresh(r.accessToken, false) : r;
  }

  /**
   * One refresh at a time: concurrent calls that all met an expired token share it. The vault is read
   * first (under its lock where it has one), since `lcr auth tiktok-shop` may have written a newer pair.
   */
  private refresh(stale: string | null, force: boolean): Promise<AccountRecord> {
    if (this.refreshing) return this.refreshing;
    const change = async (latest: AccountRecord): Promise<AccountRecord | null> => {
      if (latest.appId !== this.opts.appKey) throw this.needsAuthorization(`the stored authorization is for app_key ${latest.appId}, not ${this.opts.appKey}`);
      if (!force && latest.accessToken && latest.accessToken !== stale && !this.expiresSoon(latest)) return null;
      if (!latest.refreshToken || (latest.refreshExpiresAt !== null && latest.refreshExpiresAt <= this.now())) throw this.needsAuthorization('its refresh token has expired or is missing');
      let data: unknown;
      try {
        data = await this.sendAuth(PATHS.tokenRefresh, { app_key: this.opts.appKey, app_secret: latest.appSecret, refresh_token: latest.refreshToken, grant_type: 'refresh_token' }, latest.appSecret, latest);
      } catch (e) {
        if (isPlatformError(e) && e.kind === 'auth') throw this.needsAuthorization(e.message, e);
        throw e;
      }
      return this.withPair(latest, data, PATHS.tokenRefresh);
    };
    this.refreshing = (async () => {
      const vault = this.opts.vault;
      if (vault.update) {
        const got = await vault.update('tiktok-shop', this.shopId, async (cur) => {
          if (!cur) throw this.needsAuthorization('no authorization is stored for it');
          return change(cur);
        });
        if (!got) throw this.needsAuthorization('no authorization is stored for it');
        this.record = got;
        return got;
      }
      const latest = await this.load();
      const next = await change(latest);
      if (!next) return latest;
      await vault.save(next);
      this.record = next;
      return next;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The record with the pair a token call returned, or a `malformed` error naming what is missing. */
  private withPair(r: AccountRecord, data: unknown, path: string): AccountRecord {
    if (!isObj(data)) throw this.malformed(path, 'the answer has no data');
    const access = data.access_token;
    const refresh = data.refresh_token;
    if (typeof access !== 'string' || !access || access.length > 4096 || typeof refresh !== 'string' || !refresh || refresh.length > 4096) {
      throw this.malformed(path, 'the answer has no access_token and refresh_token');
    }
    const now = this.now();
    const when = (v: unknown, fallbackMs: number): number => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n) || n <= 0) return now + fallbackMs;
      return n > 1e9 ? n * 1000 : now + n * 1000;
    };
    return { ...r, accessToken: access, refreshToken: refresh, accessExpiresAt: when(data.access_token_expire_in, DEFAULT_ACCESS_MS), refreshExpiresAt: when(data.refresh_token_expire_in, DEFAULT_REFRESH_MS), updatedAt: now };
  }

  // ---- Exchanges -----------------------------------------------------------------------------------

  private async send(c: Call, r: AccountRecord, cipher: string | undefined): Promise<unknown> {
    const query: Record<string, string | number | undefined> = { ...c.query, app_key: this.opts.appKey, timestamp: Math.floor(this.now() / 1000), shop_cipher: cipher };
    const body = c.method === 'POST' ? JSON.stringify(c.body ?? {}) : undefined;
    const sign = tiktokSign({ appSecret: r.appSecret, path: c.path, query, body });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
    qs.set('sign', sign);
    return this.exchange(c.path, `${this.base}${c.path}?${qs.toString()}`, c.method, { 'content-type': 'application/json', 'x-tts-access-token': r.accessToken ?? '' }, body, false, r);
  }

  private sendAuth(path: string, query: Record<string, string>, appSecret: string, r?: AccountRecord): Promise<unknown> {
    const qs = new URLSearchParams(query);
    return this.exchange(path, `${this.authBase}${path}?${qs.toString()}`, 'GET', { 'content-type': 'application/json' }, undefined, true, r, appSecret);
  }

  private async exchange(path: string, url: string, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined, auth: boolean, r?: AccountRecord, appSecret?: string): Promise<unknown> {
    const answer = await requestJson({ platform: TIKTOK_SHOP_PLATFORM, endpoint: path, url, method, headers, body, timeoutMs: this.opts.timeoutMs ?? 12_000, maxBytes: this.opts.maxBytes });
    const env = answer.body;
    if (!isObj(env) || env.code === undefined) throw this.malformed(path, `the answer is not an envelope (HTTP ${answer.status})`);
    const code = typeof env.code === 'number' ? env.code : Number(text(env.code));
    if (code === SUCCESS_CODE) return env.data;
    const message = text(env.message).slice(0, 300);
    let kind = envelopeKind(Number.isFinite(code) ? code : undefined, message);
    if (auth && kind !== 'rateLimited') kind = 'auth';
    if (!auth && answer.status === 401) kind = 'auth';
    const detail = this.scrub(`TikTok Shop ${path}: ${message || 'no message'} (code ${Number.isFinite(code) ? code : text(env.code).slice(0, 20)})`, r, appSecret);
    throw new PlatformError(detail, { platform: TIKTOK_SHOP_PLATFORM, kind, endpoint: path, code: Number.isFinite(code) ? code : undefined, requestId: text(env.request_id).slice(0, 100) || undefined, status: answer.status });
  }

  /** A platform's words never carry our credentials onwards, should it echo them. */
  private scrub(message: string, r?: AccountRecord, appSecret?: string): string {
    let out = message;
    for (const s of [appSecret, r?.appSecret, r?.accessToken, r?.refreshToken, this.record?.appSecret, this.record?.accessToken, this.record?.refreshToken]) if (s && s.length >= 4) out = out.split(s).join('***');
    return out;
  }

  private malformed(path: string, why: string): PlatformError {
    return new PlatformError(`TikTok Shop ${path}: ${why}`, { platform: TIKTOK_SHOP_PLATFORM, kind: 'malformed', endpoint: path });
  }

  private needsAuthorization(why: string, cause?: PlatformError): PlatformError {
    return new PlatformError(`TikTok Shop shop ${this.shopId} needs authorizing again (${this.scrub(why)}): run \`lcr auth tiktok-shop\``, {
      platform: TIKTOK_SHOP_PLATFORM,
      kind: 'auth',
      endpoint: cause?.info.endpoint ?? PATHS.tokenRefresh,
      code: cause?.info.code,
      requestId: cause?.info.requestId,
    });
  }
}

/** `data.shops[]` of the authorized-shops answer (`Models/Authorization/AuthorizationGetShopsResponse.cs`). */
function readShops(data: unknown, malformed: (why: string) => PlatformError): AuthorizedShop[] {
  if (!isObj(data) || !Array.isArray(data.shops)) throw malformed('the answer has no shops list');
  const out: AuthorizedShop[] = [];
  for (const s of data.shops.slice(0, 1000)) {
    if (!isObj(s)) continue;
    const id = idOf(s.id);
    const cipher = typeof s.cipher === 'string' && s.cipher.length >= 1 && s.cipher.length <= 512 ? s.cipher : null;
    if (id === null || cipher === null) continue;
    const t = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 200) : '');
    out.push({ id, cipher, name: t(s.name), region: t(s.region), seller_type: t(s.seller_type) });
  }
  return out;
}
