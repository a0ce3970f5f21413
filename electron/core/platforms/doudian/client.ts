/**
 * The 抖店 Open Platform API as the official Go SDK calls it (zsmhub/doudian-sdk `core/`, `api/`):
 * a POST to `{base}/{path}` with the common parameters in the query (`app_key`, `method`,
 * `timestamp`, `v=2`, `sign`, `sign_method=hmac-sha256`, `access_token`), the business params as
 * the body (`param_json`, see sign.ts), and the header `x-open-no-old-err-code: 1` that selects
 * the current error codes. The answer is `{ code, msg, sub_code, sub_msg, log_id, data }`; the
 * SDK takes `code == 10000` as success and nothing else (`core/access_token_builder.go`).
 *
 * Failures become `PlatformError` kinds. The platform's own code table ("平台基础错误码汇总",
 * op.jinritemai.com/docs/guide-docs/212/1427, as two third-party SDKs transcribe it):
 * 60000 触发限流 → `rateLimited`; 40003 `isv.access-token-expired` / `-no-existed` / `-invalid`,
 * 40001 `isv.access-token-missing`, 30001 `dop.authorization-*` and 50001
 * `dop.token-generate-failed:*` → `auth`; 20000/20001 (service unavailable, internal timeout) →
 * `network`; anything else → `refused` with the platform's words as they are.
 *
 * Tokens live in the vault (one record per shop: app secret + token pair). An access token that
 * expires within `refreshWithinMs` (10 min) is refreshed first; an `auth` answer refreshes once and
 * retries once; after that the error names the shop and says to run `lcr auth doudian`. A refresh
 * writes the whole record with one `vault.save`. Per the SDK's token comments, a refresh more than
 * an hour before expiry returns the same pair, within the last hour a new pair (the old one stays
 * valid for an hour), after expiry a new pair only. `expires_in` is read as seconds from now (the
 * core SDK's comment, and the Python SDK's use) unless it is large enough to be an epoch time (the
 * generated model's comment says "秒级时间戳"); the refresh token lasts 14 days (not returned).
 */
import { isPlatformError, PlatformError, type PlatformErrorKind } from '../common/errors.ts';
import { requestJson } from '../common/http.ts';
import { idOf } from '../common/json.ts';
import type { AccountRecord, SecretVault } from '../../secrets/types.ts';
import { methodOf, paramJson, signRequest } from './sign.ts';

export const DOUDIAN_PLATFORM = 'doudian';
export const DOUDIAN_GATEWAY = 'https://openapi-fxg.jinritemai.com';
export const SUCCESS_CODE = 10000;
export const RATE_LIMIT_CODE = 60000;
export const MAX_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;
const DEFAULT_ACCESS_MS = 7 * DAY_MS;
const REFRESH_LIFETIME_MS = 14 * DAY_MS;

/** The API base: `LCR_DOUDIAN_API` (a proxy, a test server) or the public gateway. */
export function doudianApiBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.LCR_DOUDIAN_API?.trim() || DOUDIAN_GATEWAY;
}

const AUTH_SUB_CODES = new Set(['isv.access-token-expired', 'isv.access-token-no-existed', 'isv.access-token-invalid', 'isv.access-token-missing']);

/** Which kind of failure an envelope with a non-success code is. */
export function envelopeKind(code: number | undefined, subCode: string, msg: string): PlatformErrorKind {
  if (code === RATE_LIMIT_CODE || /frequen|rate-limit|qps|call-limited/i.test(subCode) || /限流|频繁/.test(msg)) return 'rateLimited';
  if (AUTH_SUB_CODES.has(subCode) || subCode.startsWith('dop.token-generate-failed') || subCode.startsWith('dop.authorization-')) return 'auth';
  if (code === 20000 || code === 20001) return 'network';
  return 'refused';
}

export interface DoudianClientOptions {
  /** Default `doudianApiBase()`. */
  base?: string;
  appKey: string;
  /** The shop (its vault record's `account`): digits. */
  shopId: string;
  vault: SecretVault;
  now?: () => number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Refresh an access token that expires sooner than this (ms; default 10 min). */
  refreshWithinMs?: number;
}

export interface SearchListQuery {
  /** Unix seconds, inclusive. */
  updateTimeStart: number;
  updateTimeEnd: number;
  /** From 0. */
  page: number;
  /** 1–100. */
  size: number;
  orderBy?: 'update_time' | 'create_time';
  asc?: boolean;
}

export interface SearchListPage {
  page: number;
  size: number;
  /** All orders in the window; null when the answer did not say. */
  total: number | null;
  /** The shop orders as sent (ids exact), for orders.ts to read. */
  shopOrders: unknown[];
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

export class DoudianClient {
  readonly base: string;
  readonly shopId: string;
  private readonly now: () => number;
  private record: AccountRecord | null = null;
  private refreshing: Promise<AccountRecord> | null = null;

  constructor(private readonly opts: DoudianClientOptions) {
    if (!/^\d{1,20}$/.test(opts.shopId)) throw new TypeError(`抖店 shop id must be digits, not "${opts.shopId.slice(0, 40)}"`);
    if (!opts.appKey) throw new TypeError('抖店 app_key is empty');
    this.base = (opts.base ?? doudianApiBase()).replace(/\/+$/, '');
    this.shopId = opts.shopId;
    this.now = opts.now ?? Date.now;
  }

  /** The app secret from the vault (push verification), or null when no record is stored. */
  async appSecret(): Promise<string | null> {
    const r = this.record ?? (await this.opts.vault.load('doudian', this.shopId));
    return r?.appSecret || null;
  }

  /**
   * `/token/create`: `authorization_self` with the shop id (a 自用型 app), or `authorization_code`
   * with the code from the authorize redirect (a 工具型 app). `appSecret` is needed when the vault
   * has no record for the shop yet. The new pair is saved as one record.
   */
  async createToken(grant: { code?: string; appSecret?: string } = {}): Promise<TokenSummary> {
    const stored = await this.opts.vault.load('doudian', this.shopId);
    const appSecret = grant.appSecret ?? stored?.appSecret;
    if (!appSecret) throw this.needsAuthorization('no app secret is stored for it');
    // The shape the SDK's BuildAccessToken sends (core/create_token_request.go): nil pointers are nulls.
    const params = grant.code
      ? { code: grant.code, grant_type: 'authorization_code', shop_id: null, auth_id: null, auth_subject_type: null }
      : { code: '', grant_type: 'authorization_self', shop_id: BigInt(this.shopId), auth_id: null, auth_subject_type: null };
    let data: unknown;
    try {
      data = await this.send('/token/create', params, null, appSecret);
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      throw new PlatformError(`抖店 shop ${this.shopId} could not be authorized: ${e.message}`, e.info);
    }
    const base: AccountRecord = stored ?? { platform: 'doudian', account: this.shopId, appId: this.opts.appKey, appSecret, accessToken: null, refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: 0 };
    const next = this.withPair({ ...base, appId: this.opts.appKey, appSecret }, data, '/token/create');
    await this.opts.vault.save(next);
    this.record = next;
    return this.summary(next, data);
  }

  /** `/token/refresh` now, whatever the expiry; the new pair is saved as one record. */
  async refreshToken(): Promise<TokenSummary> {
    const r = await this.refresh(null, true);
    return this.summary(r, {});
  }

  async searchList(q: SearchListQuery): Promise<SearchListPage> {
    if (!Number.isInteger(q.size) || q.size < 1 || q.size > MAX_PAGE_SIZE) throw new RangeError(`order.searchList: size ${q.size} is not 1–${MAX_PAGE_SIZE}`);
    if (!Number.isInteger(q.page) || q.page < 0) throw new RangeError(`order.searchList: page ${q.page} is not an integer ≥ 0`);
    // The request model's tags (api/order_searchList/request): zero times and a false order_asc are left out; page and size are pointers, so page 0 is sent.
    const params = {
      update_time_start: q.updateTimeStart || undefined,
      update_time_end: q.updateTimeEnd || undefined,
      page: q.page,
      size: q.size,
      order_by: q.orderBy ?? 'update_time',
      order_asc: q.asc ? true : undefined,
    };
    const data = await this.call('/order/searchList', params);
    if (!isObj(data)) throw this.malformed('/order/searchList', 'the answer has no data');
    const list = data.shop_order_list;
    if (list !== undefined && list !== null && !Array.isArray(list)) throw this.malformed('/order/searchList', 'shop_order_list is not a list');
    const total = typeof data.total === 'number' && Number.isSafeInteger(data.total) && data.total >= 0 ? data.total : null;
    return { page: q.page, size: q.size, total, shopOrders: (list as unknown[] | null | undefined) ?? [] };
  }

  /** `order.orderDetail`: the shop order (`shop_order_detail`), ids exact. */
  async orderDetail(shopOrderId: string): Promise<unknown> {
    if (idOf(shopOrderId) === null) throw new TypeError(`order.orderDetail: "${shopOrderId.slice(0, 40)}" is not an order id`);
    const data = await this.call('/order/orderDetail', { shop_order_id: shopOrderId });
    if (!isObj(data) || !isObj(data.shop_order_detail)) throw this.malformed('/order/orderDetail', 'the answer has no shop_order_detail');
    return data.shop_order_detail;
  }

  // ---- Calls with a token ------------------------------------------------------------------------

  private async call(path: string, params: Obj): Promise<unknown> {
    let r = await this.usable();
    try {
      return await this.send(path, params, r.accessToken, r.appSecret);
    } catch (e) {
      if (!isPlatformError(e) || e.kind !== 'auth') throw e;
      r = await this.refresh(r.accessToken, false);
      try {
        return await this.send(path, params, r.accessToken, r.appSecret);
      } catch (again) {
        if (isPlatformError(again) && again.kind === 'auth') throw this.needsAuthorization(again.message, again);
        throw again;
      }
    }
  }

  private expiresSoon(r: AccountRecord): boolean {
    return !r.accessToken || (r.accessExpiresAt !== null && r.accessExpiresAt - this.now() < (this.opts.refreshWithinMs ?? 10 * 60_000));
  }

  private async load(): Promise<AccountRecord> {
    const r = await this.opts.vault.load('doudian', this.shopId);
    if (!r) throw this.needsAuthorization('no authorization is stored for it');
    if (r.appId !== this.opts.appKey) throw this.needsAuthorization(`the stored authorization is for app_key ${r.appId}, not ${this.opts.appKey}`);
    this.record = r;
    return r;
  }

  private async usable(): Promise<AccountRecord> {
    const r = this.record ?? (await this.load());
    return this.expiresSoon(r) ? this.refresh(r.accessToken, false) : r;
  }

  /**
   * One refresh at a time: concurrent calls that all met an expired token share it. The vault is
   * read first, since another process (`lcr auth doudian`) may have written a newer pair.
   */
  private refresh(stale: string | null, force: boolean): Promise<AccountRecord> {
    if (this.refreshing) return this.refreshing;
    // Under the vault's cross-process lock where it has one: the app and `lcr` may hold the same shop.
    const change = async (latest: AccountRecord): Promise<AccountRecord | null> => {
      if (latest.appId !== this.opts.appKey) throw this.needsAuthorization(`the stored authorization is for app_key ${latest.appId}, not ${this.opts.appKey}`);
      if (!force && latest.accessToken && latest.accessToken !== stale && !this.expiresSoon(latest)) return null;
      if (!latest.refreshToken || (latest.refreshExpiresAt !== null && latest.refreshExpiresAt <= this.now())) throw this.needsAuthorization('its refresh token has expired or is missing');
      let data: unknown;
      try {
        data = await this.send('/token/refresh', { grant_type: 'refresh_token', refresh_token: latest.refreshToken }, null, latest.appSecret);
      } catch (e) {
        if (isPlatformError(e) && e.kind === 'auth') throw this.needsAuthorization(e.message, e);
        throw e;
      }
      return this.withPair(latest, data, '/token/refresh');
    };
    this.refreshing = (async () => {
      const vault = this.opts.vault;
      if (vault.update) {
        const got = await vault.update('doudian', this.shopId, async (cur) => {
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
    const shop = idOf(data.shop_id);
    if (shop !== null && shop !== '0' && shop !== this.shopId) {
      throw new PlatformError(`抖店 ${path}: the authorization is for shop ${shop}, not the configured shop ${this.shopId}`, { platform: DOUDIAN_PLATFORM, kind: 'refused', endpoint: path });
    }
    const now = this.now();
    const expiresIn = typeof data.expires_in === 'number' && Number.isFinite(data.expires_in) && data.expires_in > 0 ? data.expires_in : null;
    const accessExpiresAt = expiresIn === null ? now + DEFAULT_ACCESS_MS : expiresIn > 1e9 ? expiresIn * 1000 : now + expiresIn * 1000;
    const sameRefresh = refresh === r.refreshToken && r.refreshExpiresAt !== null;
    return { ...r, accessToken: access, refreshToken: refresh, accessExpiresAt, refreshExpiresAt: sameRefresh ? r.refreshExpiresAt : now + REFRESH_LIFETIME_MS, updatedAt: now };
  }

  private summary(r: AccountRecord, data: unknown): TokenSummary {
    const name = isObj(data) && typeof data.shop_name === 'string' ? data.shop_name.slice(0, 200) : null;
    return { shopId: this.shopId, shopName: name, accessExpiresAt: r.accessExpiresAt, refreshExpiresAt: r.refreshExpiresAt };
  }

  // ---- One signed exchange -------------------------------------------------------------------------

  private async send(path: string, params: Obj, accessToken: string | null, appSecret: string): Promise<unknown> {
    const method = methodOf(path);
    const body = paramJson(params);
    const timestamp = Math.floor(this.now() / 1000);
    const sign = signRequest({ appKey: this.opts.appKey, appSecret, method, paramJson: body, timestamp });
    const query = new URLSearchParams({ app_key: this.opts.appKey, method, timestamp: String(timestamp), v: '2', sign, sign_method: 'hmac-sha256' });
    if (accessToken) query.set('access_token', accessToken);
    const answer = await requestJson({
      platform: DOUDIAN_PLATFORM,
      endpoint: path,
      url: `${this.base}/${path.replace(/^\//, '')}?${query.toString()}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-open-no-old-err-code': '1' },
      body,
      timeoutMs: this.opts.timeoutMs ?? 12_000,
      maxBytes: this.opts.maxBytes,
    });
    const env = answer.body;
    if (!isObj(env) || env.code === undefined) throw this.malformed(path, `the answer is not an envelope (HTTP ${answer.status})`);
    const code = typeof env.code === 'number' ? env.code : Number(text(env.code));
    if (code === SUCCESS_CODE) return env.data;
    const subCode = text(env.sub_code).slice(0, 200);
    const msg = text(env.msg).slice(0, 300);
    const subMsg = text(env.sub_msg).slice(0, 300);
    const kind = envelopeKind(Number.isFinite(code) ? code : undefined, subCode, `${msg} ${subMsg}`);
    const words = [msg, subMsg && subMsg !== msg ? subMsg : ''].filter(Boolean).join(' — ') || 'no message';
    const detail = this.scrub(`抖店 ${method}: ${words} (code ${Number.isFinite(code) ? code : text(env.code).slice(0, 20)}${subCode ? `, ${subCode}` : ''})`);
    throw new PlatformError(detail, { platform: DOUDIAN_PLATFORM, kind, endpoint: path, code: Number.isFinite(code) ? code : undefined, requestId: text(env.log_id).slice(0, 100) || undefined, status: answer.status });
  }

  /** A platform's words never carry our credentials onwards, should it echo them. */
  private scrub(message: string): string {
    let out = message;
    for (const s of [this.record?.appSecret, this.record?.accessToken, this.record?.refreshToken]) if (s && s.length >= 4) out = out.split(s).join('***');
    return out;
  }

  private malformed(path: string, why: string): PlatformError {
    return new PlatformError(`抖店 ${methodOf(path)}: ${why}`, { platform: DOUDIAN_PLATFORM, kind: 'malformed', endpoint: path });
  }

  private needsAuthorization(why: string, cause?: PlatformError): PlatformError {
    return new PlatformError(`抖店 shop ${this.shopId} needs authorizing again (${this.scrub(why)}): run \`lcr auth doudian\``, {
      platform: DOUDIAN_PLATFORM,
      kind: 'auth',
      endpoint: cause?.info.endpoint ?? '/token/refresh',
      code: cause?.info.code,
      requestId: cause?.info.requestId,
    });
  }
}
