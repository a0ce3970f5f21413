/**
 * The TikTok API for Business as the app speaks it for GMV Max (tiktok-api.md §5): host
 * `https://business-api.tiktok.com`, paths under `/open_api/v1.3/`, the `Access-Token` header,
 * GET parameters with arrays and objects as JSON text (the official SDK's `parameters_to_tuples`
 * sends `store_ids`, `dimensions`, `metrics`, `filtering` through `json.dumps`), and the
 * `{ code, message, request_id, data }` envelope with code 0 = success.
 *
 * Ids: the SDK types every id as a string (converted to int64 server-side), so ids are SENT as
 * strings — exact whatever their size — and READ with the lossless parser (an answer may carry
 * them as bare 64-bit numbers).
 *
 * Tokens: the advertiser's access token is long-lived and has no refresh (the SDK's
 * AuthenticationApi text gives creator tokens 24 h and refresh tokens a year; the advertiser
 * token's lifetime is UNCONFIRMED). A refused token is the operator's to fix: "run
 * `lcr auth tiktok-ads`". The vault record: platform `tiktok-ads`, account = advertiser id,
 * appId = the app id, appSecret = the app secret.
 *
 * Codes, CONFIRMED from the SDK's `python_sdk/business_api_client/tiktok_business/tiktok_code.py`:
 *   20001 partial OK · 40001 permission error · 40002 param error · 40100 request too frequent ·
 *   40102 access token expired · 40103 refresh token expired · 40104 empty access token ·
 *   40105 invalid access token · 40107 invalid refresh token · 40132 request frequency limited ·
 *   50000 system error · 50002 system timeout · 51000–51099 internal RPC errors · 52xxx storage
 *   errors · 60001 maintenance · 61000 too many requests.
 * Which of the rate-limit codes GMV Max endpoints actually answer is UNCONFIRMED (tiktok-api.md §5).
 * Kinds: rate limits → `rateLimited`; token codes → `auth`; 5xxxx/60001 → `network` (the platform
 * failed, the request may or may not have been applied: a write is then decided by a read-back);
 * anything else → `refused`, the platform's message kept as is.
 */
import { PlatformError } from '../common/errors.ts';
import { requestJson } from '../common/http.ts';
import { isObj } from '../../sources/common.ts';
import { idOf } from '../common/json.ts';
import type { AccountRecord, PlatformName, SecretVault } from '../../secrets/types.ts';

/** PlatformError's platform and the vault's platform name. */
export const TIKTOK_ADS = 'tiktok-ads';
/** The vault's platform name. */
export const TIKTOK_ADS_VAULT: PlatformName = 'tiktok-ads';
export const DEFAULT_TIKTOK_ADS_API = 'https://business-api.tiktok.com';
export const TIKTOK_ADS_PREFIX = '/open_api/v1.3/';

/** The API host: `LCR_TIKTOK_ADS_API` (an emulator, a proxy) or the official one. */
export function gmvMaxApiBase(env: Record<string, string | undefined> = process.env): string {
  const v = env.LCR_TIKTOK_ADS_API?.trim();
  return (v || DEFAULT_TIKTOK_ADS_API).replace(/\/+$/, '');
}

/** Rate limits (SDK names: REQUEST_TOO_FREQUENT, REQUEST_FREQUENCY_LIMITED, TOO_MANY_REQUESTS_BL). */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([40100, 40132, 61000]);
/** Token problems (ACCESS_TOKEN_EXPIRE, REFRESH_TOKEN_EXPIRE, EMPTY_ACCESS_TOKEN, INVALID_ACCESS_TOKEN, INVALID_REFRESH_TOKEN). */
export const TOKEN_CODES: ReadonlySet<number> = new Set([40102, 40103, 40104, 40105, 40107]);
/** Code 20001: PARTIAL_OK — some items of a batch were applied. */
export const PARTIAL_OK = 20001;

/** The platform's own failures (SYS_ERROR, SYS_TIMEOUT, 51xxx RPC, 52xxx storage, 53xxx, MAINTENANCE). */
export function isServerCode(code: number): boolean {
  return (code >= 50000 && code < 54000) || code === 60001;
}

export interface GmvMaxAccount {
  advertiserId: string;
  appId: string;
}

export interface GmvMaxClientOptions {
  base?: string;
  vault: SecretVault;
  account: GmvMaxAccount;
  now?: () => number;
  timeoutMs?: number;
}

export interface Envelope {
  code: number;
  message: string;
  requestId: string;
  data: unknown;
}

type Params = Record<string, unknown>;

export const AUTH_HINT = 'run `lcr auth tiktok-ads` (or connect it in 设置 / Settings)';

export class GmvMaxClient {
  readonly base: string;
  readonly account: GmvMaxAccount;
  private readonly vault: SecretVault;
  private readonly now: () => number;
  private readonly timeoutMs: number | undefined;
  /** Calls made, by endpoint (the cadence's cost, shown beside the source). */
  readonly calls = new Map<string, number>();

  constructor(opts: GmvMaxClientOptions) {
    this.base = (opts.base ?? DEFAULT_TIKTOK_ADS_API).replace(/\/+$/, '');
    this.vault = opts.vault;
    this.account = opts.account;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs;
  }

  /** GET `/open_api/v1.3/<path>` with `advertiser_id` added; resolves to `data`. */
  async get(path: string, params: Params): Promise<unknown> {
    return (await this.call('GET', path, params)).data;
  }

  /** POST JSON to `/open_api/v1.3/<path>` with `advertiser_id` added; the whole envelope (code 0 or 20001). */
  post(path: string, body: Params): Promise<Envelope> {
    return this.call('POST', path, body);
  }

  private async call(method: 'GET' | 'POST', path: string, params: Params): Promise<Envelope> {
    const token = await this.accessToken();
    const endpoint = TIKTOK_ADS_PREFIX + path;
    // advertiser/info/ names its advertisers in `advertiser_ids`; every other endpoint takes `advertiser_id`.
    const all = 'advertiser_ids' in params ? params : { advertiser_id: this.account.advertiserId, ...params };
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
    let url = this.base + endpoint;
    let body: string | undefined;
    const headers: Record<string, string> = { 'Access-Token': token, Accept: 'application/json' };
    if (method === 'GET') url += `?${queryOf(all)}`;
    else {
      body = JSON.stringify(all);
      headers['Content-Type'] = 'application/json';
    }
    const answer = await requestJson({ platform: TIKTOK_ADS, endpoint, url, method, headers, body, timeoutMs: this.timeoutMs });
    const env = envelopeOf(answer.body, endpoint);
    if (env.code === 0 || env.code === PARTIAL_OK) return env;
    throw errorOf(env, endpoint, answer.status, this.account.advertiserId);
  }

  private async accessToken(): Promise<string> {
    const rec = await this.vault.load(TIKTOK_ADS_VAULT, this.account.advertiserId);
    if (!rec || !rec.accessToken) throw new PlatformError(`TikTok Ads advertiser ${this.account.advertiserId} is not connected: ${AUTH_HINT}`, { platform: TIKTOK_ADS, kind: 'auth', endpoint: 'vault' });
    if (rec.accessExpiresAt !== null && rec.accessExpiresAt <= this.now()) {
      throw new PlatformError(`TikTok Ads advertiser ${this.account.advertiserId}: the access token has expired; ${AUTH_HINT}`, { platform: TIKTOK_ADS, kind: 'auth', endpoint: 'vault' });
    }
    return rec.accessToken;
  }

  /**
   * Authorisation: the code the operator got from TikTok's consent page becomes the advertiser's
   * access token, saved to the vault (one record per advertiser the token covers that is this
   * client's). `appSecret`: given, or the one already stored for the advertiser.
   */
  async createToken(args: { authCode: string; appSecret?: string }): Promise<{ advertiserIds: string[]; accessExpiresAt: number | null; scope: number[] }> {
    const stored = await this.vault.load(TIKTOK_ADS_VAULT, this.account.advertiserId);
    const secret = args.appSecret ?? stored?.appSecret;
    if (!secret) throw new PlatformError('TikTok Ads: the app secret is needed to exchange the authorisation code', { platform: TIKTOK_ADS, kind: 'auth', endpoint: 'oauth2/access_token/' });
    const now = this.now();
    const tok = await exchangeAuthCode({ base: this.base, appId: this.account.appId, secret, authCode: args.authCode, now, timeoutMs: this.timeoutMs });
    if (tok.advertiserIds.length && !tok.advertiserIds.includes(this.account.advertiserId)) {
      throw new PlatformError(`TikTok Ads: this authorisation covers advertisers ${tok.advertiserIds.join(', ')}, not ${this.account.advertiserId}`, { platform: TIKTOK_ADS, kind: 'auth', endpoint: 'oauth2/access_token/' });
    }
    const rec: AccountRecord = {
      ...(stored ?? {}),
      platform: TIKTOK_ADS_VAULT,
      account: this.account.advertiserId,
      appId: this.account.appId,
      appSecret: secret,
      accessToken: tok.accessToken,
      refreshToken: null,
      accessExpiresAt: tok.accessExpiresAt,
      refreshExpiresAt: null,
      updatedAt: now,
      seededFrom: 'auth-code',
    };
    if (this.vault.update) await this.vault.update(TIKTOK_ADS_VAULT, this.account.advertiserId, () => rec);
    else await this.vault.save(rec);
    return { advertiserIds: tok.advertiserIds, accessExpiresAt: tok.accessExpiresAt, scope: tok.scope };
  }
}

export interface TokenAnswer {
  accessToken: string;
  advertiserIds: string[];
  scope: number[];
  /** Epoch ms; null when the answer states no lifetime (advertiser tokens: unconfirmed). */
  accessExpiresAt: number | null;
}

/**
 * POST `/open_api/v1.3/oauth2/access_token/` `{ app_id, secret, auth_code }` (the SDK's
 * `Oauth2AccessTokenBody`). The answer's fields (`access_token`, `advertiser_ids`, `scope`,
 * `expires_in`) are the portal's; the SDK types the answer as a generic object.
 */
export async function exchangeAuthCode(args: { base?: string; appId: string; secret: string; authCode: string; now?: number; timeoutMs?: number }): Promise<TokenAnswer> {
  const base = (args.base ?? DEFAULT_TIKTOK_ADS_API).replace(/\/+$/, '');
  const endpoint = `${TIKTOK_ADS_PREFIX}oauth2/access_token/`;
  const answer = await requestJson({
    platform: TIKTOK_ADS,
    endpoint,
    url: base + endpoint,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ app_id: args.appId, secret: args.secret, auth_code: args.authCode }),
    timeoutMs: args.timeoutMs,
  });
  const env = envelopeOf(answer.body, endpoint);
  if (env.code !== 0) {
    const err = errorOf(env, endpoint, answer.status, null);
    // A refused code is the operator's to fix (a used or stale code), not a retry's.
    if (err.kind === 'refused') throw new PlatformError(err.message, { ...err.info, kind: 'auth' });
    throw err;
  }
  const d = isObj(env.data) ? env.data : {};
  if (typeof d.access_token !== 'string' || !d.access_token) throw new PlatformError(`TikTok Ads ${endpoint}: the answer carries no access_token`, { platform: TIKTOK_ADS, kind: 'malformed', endpoint, requestId: env.requestId || undefined });
  const ids = Array.isArray(d.advertiser_ids) ? d.advertiser_ids.map(idOf).filter((x): x is string => x !== null) : [];
  const scope = Array.isArray(d.scope) ? d.scope.filter((x): x is number => typeof x === 'number') : [];
  const expiresIn = typeof d.expires_in === 'number' && d.expires_in > 0 ? d.expires_in : null;
  const now = args.now ?? Date.now();
  return { accessToken: d.access_token, advertiserIds: ids, scope, accessExpiresAt: expiresIn !== null ? now + expiresIn * 1000 : null };
}

export function envelopeOf(body: unknown, endpoint: string): Envelope {
  if (!isObj(body) || typeof body.code !== 'number') throw new PlatformError(`TikTok Ads ${endpoint}: the answer has no envelope`, { platform: TIKTOK_ADS, kind: 'malformed', endpoint });
  return {
    code: body.code,
    message: typeof body.message === 'string' ? body.message.slice(0, 500) : '',
    requestId: typeof body.request_id === 'string' ? body.request_id.slice(0, 100) : '',
    data: body.data,
  };
}

export function errorOf(env: Envelope, endpoint: string, status: number, advertiserId: string | null): PlatformError {
  const kind = RATE_LIMIT_CODES.has(env.code) ? 'rateLimited' : TOKEN_CODES.has(env.code) ? 'auth' : isServerCode(env.code) ? 'network' : 'refused';
  const hint = kind === 'auth' ? ` — advertiser ${advertiserId ?? '?'}: ${AUTH_HINT}` : '';
  return new PlatformError(`TikTok Ads ${env.code}: ${env.message || 'no message'}${hint}`, {
    platform: TIKTOK_ADS,
    kind,
    endpoint,
    code: env.code,
    requestId: env.requestId || undefined,
    status,
  });
}

/** Query text as the SDK writes it: scalars as they are, arrays and objects as JSON. */
export function queryOf(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') q.set(k, JSON.stringify(v));
    else q.set(k, String(v));
  }
  return q.toString();
}
