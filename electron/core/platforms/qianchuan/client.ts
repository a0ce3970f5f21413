/**
 * The 巨量千川 Open API as the app speaks it: the `Access-Token` header, GET parameters with arrays
 * and objects as JSON text (as the official SDK sends them), the `{ code, message, request_id, data }`
 * envelope, and the token that refreshes itself.
 *
 * Tokens: access ~24 h, refresh ~30 days, and every refresh issues a NEW pair and voids the old
 * refresh token — so a refreshed pair is saved to the vault (atomically) before it is used, and
 * refreshes of one account never run twice at once (two would void each other's token).
 *
 * Failures become `PlatformError`s: 40100/40110/40130 are rate limits (the layer from
 * `X-RateLimit-Dimension`); the token-class codes refresh once and retry once; everything else is
 * the platform's refusal, its message kept as is.
 */
import { PlatformError } from '../common/errors.ts';
import { requestJson } from '../common/http.ts';
import { isObj } from '../../sources/common.ts';
import type { AccountRecord, SecretVault } from '../../secrets/types.ts';
import { refusedTokenMessage } from '../../secrets/accounts.ts';

export const QIANCHUAN = 'qianchuan';
export const DEFAULT_QIANCHUAN_API = 'https://api.oceanengine.com';
export const QIANCHUAN_PREFIX = '/open_api/v1.0/qianchuan/';

/** Rate-limit codes: advertiser × endpoint, developer × endpoint, global per endpoint. */
export const RATE_LIMIT_CODES = new Set([40100, 40110, 40130]);
/**
 * Token-class codes. The official appendix lists 40102/40103/40104/40107 without saying which is
 * which, and peers treat 40105 as "expired": any of them refreshes once and retries once.
 */
export const TOKEN_CODES = new Set([40102, 40103, 40104, 40105, 40107]);

/** Refresh this long before the platform's stated expiry, so a poll never carries a dying token. */
const REFRESH_MARGIN_MS = 10 * 60_000;

export interface QianchuanAccount {
  /** The advertiser (千川 account) whose data and plans are read. */
  advertiserId: string;
  appId: string;
}

export interface QianchuanClientOptions {
  base?: string;
  vault: SecretVault;
  account: QianchuanAccount;
  now?: () => number;
  timeoutMs?: number;
}

export interface Envelope {
  code: number;
  message: string;
  requestId: string;
  data: unknown;
}

type Params = Record<string, string | number | boolean | Int64 | readonly unknown[] | Record<string, unknown> | undefined>;

export class QianchuanClient {
  readonly base: string;
  readonly account: QianchuanAccount;
  private readonly vault: SecretVault;
  private readonly now: () => number;
  private readonly timeoutMs: number | undefined;
  private refreshing: Promise<AccountRecord> | null = null;
  /** Calls made, by endpoint (for the cadence's cost shown beside the source). */
  readonly calls = new Map<string, number>();

  constructor(opts: QianchuanClientOptions) {
    this.base = (opts.base ?? DEFAULT_QIANCHUAN_API).replace(/\/+$/, '');
    this.vault = opts.vault;
    this.account = opts.account;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs;
  }

  /** GET `/open_api/v1.0/qianchuan/<path>` with `advertiser_id` added. */
  get(path: string, params: Params): Promise<unknown> {
    return this.call('GET', path, params);
  }

  /** POST JSON to `/open_api/v1.0/qianchuan/<path>` with `advertiser_id` added. */
  post(path: string, body: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', path, body);
  }

  private async call(method: 'GET' | 'POST', path: string, params: Params | Record<string, unknown>, retried = false): Promise<unknown> {
    const token = await this.accessToken();
    try {
      return await this.send(method, path, params, token);
    } catch (e) {
      if (!retried && e instanceof PlatformError && e.kind === 'auth') {
        await this.refresh(token);
        return this.call(method, path, params, true);
      }
      throw e;
    }
  }

  private async send(method: 'GET' | 'POST', path: string, params: Params | Record<string, unknown>, token: string): Promise<unknown> {
    const endpoint = QIANCHUAN_PREFIX + path;
    const all = { advertiser_id: numericId(this.account.advertiserId), ...params };
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
    let url = this.base + endpoint;
    let body: string | undefined;
    const headers: Record<string, string> = { 'Access-Token': token, Accept: 'application/json' };
    if (method === 'GET') url += `?${queryOf(all)}`;
    else {
      body = jsonWithIds(all);
      headers['Content-Type'] = 'application/json';
    }
    const answer = await requestJson({ platform: QIANCHUAN, endpoint, url, method, headers, body, timeoutMs: this.timeoutMs });
    const env = envelopeOf(answer.body, endpoint);
    if (env.code === 0) return env.data;
    throw errorOf(env, endpoint, answer.headers.get('x-ratelimit-dimension') ?? undefined, answer.status);
  }

  /** The current access token, refreshed first when it is about to expire. */
  private async accessToken(): Promise<string> {
    const rec = await this.record();
    if (rec.accessToken && (rec.accessExpiresAt === null || rec.accessExpiresAt - REFRESH_MARGIN_MS > this.now())) return rec.accessToken;
    return (await this.refresh(rec.accessToken)).accessToken ?? '';
  }

  private async record(): Promise<AccountRecord> {
    const rec = await this.vault.load('qianchuan', this.account.advertiserId);
    if (!rec) throw new PlatformError(`千川 account ${this.account.advertiserId} is not connected: run \`lcr auth qianchuan\` or connect it in 设置 / Settings`, { platform: QIANCHUAN, kind: 'auth', endpoint: 'vault' });
    return rec;
  }

  /**
   * Exchanges the stored refresh token for a new pair, saved before it is used. `stale`: the access
   * token the caller saw refused — when another call has refreshed since, its pair is used instead.
   */
  refresh(stale: string | null): Promise<AccountRecord> {
    if (this.refreshing) return this.refreshing;
    // Under the vault's lock where it has one: another process (the app and `lcr ad`) may hold the
    // same account, and two refreshes of one rotating token would void each other.
    const change = async (rec: AccountRecord | null): Promise<AccountRecord | null> => {
      if (!rec) return null;
      if (rec.accessToken && rec.accessToken !== stale && (rec.accessExpiresAt ?? Infinity) - REFRESH_MARGIN_MS > this.now()) return null;
      if (!rec.refreshToken || (rec.refreshExpiresAt !== null && rec.refreshExpiresAt <= this.now())) {
        throw new PlatformError(`千川 account ${this.account.advertiserId}: the authorisation has expired; authorise again with \`lcr auth qianchuan\` or in 设置 / Settings`, { platform: QIANCHUAN, kind: 'auth', endpoint: 'oauth2/refresh_token' });
      }
      let pair: TokenPair;
      try {
        pair = await tokenCall(this.base, '/open_api/oauth2/refresh_token/', { app_id: numericId(rec.appId), secret: rec.appSecret, refresh_token: rec.refreshToken }, this.timeoutMs);
      } catch (e) {
        // A refused refresh is the operator's to fix: say which account and what to do.
        if (e instanceof PlatformError && e.kind === 'auth') throw new PlatformError(refusedTokenMessage('qianchuan', this.account.advertiserId, e.message), e.info);
        throw e;
      }
      return { ...rec, ...pairTimes(pair, this.now()), accessToken: pair.accessToken, refreshToken: pair.refreshToken, updatedAt: this.now() };
    };
    this.refreshing = (async () => {
      if (this.vault.update) {
        const got = await this.vault.update('qianchuan', this.account.advertiserId, change);
        if (!got) return this.record();
        return got;
      }
      const rec = await this.record();
      const next = await change(rec);
      if (!next) return rec;
      await this.vault.save(next);
      return next;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number | null;
  refreshExpiresIn: number | null;
  advertiserIds: string[];
}

function pairTimes(pair: TokenPair, now: number): Pick<AccountRecord, 'accessExpiresAt' | 'refreshExpiresAt'> {
  return {
    accessExpiresAt: pair.expiresIn !== null ? now + pair.expiresIn * 1000 : null,
    refreshExpiresAt: pair.refreshExpiresIn !== null ? now + pair.refreshExpiresIn * 1000 : null,
  };
}

/**
 * Step one of OAuth: the code the operator got by authorising the app becomes a token pair and
 * the list of advertisers it covers. The record is saved by the caller (`lcr auth`, the settings screen).
 */
export async function exchangeAuthCode(args: { base?: string; appId: string; secret: string; authCode: string; now?: number; timeoutMs?: number }): Promise<TokenPair & { accessExpiresAt: number | null; refreshExpiresAt: number | null }> {
  const base = (args.base ?? DEFAULT_QIANCHUAN_API).replace(/\/+$/, '');
  const pair = await tokenCall(base, '/open_api/oauth2/access_token/', { app_id: numericId(args.appId), secret: args.secret, auth_code: args.authCode }, args.timeoutMs);
  return { ...pair, ...pairTimes(pair, args.now ?? Date.now()) };
}

async function tokenCall(base: string, endpoint: string, body: Record<string, unknown>, timeoutMs?: number): Promise<TokenPair> {
  const answer = await requestJson({ platform: QIANCHUAN, endpoint, url: base + endpoint, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: jsonWithIds(body), timeoutMs });
  const env = envelopeOf(answer.body, endpoint);
  if (env.code !== 0) {
    const err = errorOf(env, endpoint, answer.headers.get('x-ratelimit-dimension') ?? undefined, answer.status);
    // A refused refresh or code is the operator's to fix, not a retry's.
    if (err.kind === 'refused') throw new PlatformError(err.message, { ...err.info, kind: 'auth' });
    throw err;
  }
  const d = isObj(env.data) ? env.data : {};
  const access = d.access_token;
  const refresh = d.refresh_token;
  if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) throw new PlatformError(`千川 ${endpoint}: the answer carries no token pair`, { platform: QIANCHUAN, kind: 'malformed', endpoint, requestId: env.requestId });
  const ids = Array.isArray(d.advertiser_ids) ? d.advertiser_ids.map((x) => (typeof x === 'number' || typeof x === 'string' ? String(x) : '')).filter(Boolean) : [];
  return {
    accessToken: access,
    refreshToken: refresh,
    expiresIn: typeof d.expires_in === 'number' ? d.expires_in : null,
    refreshExpiresIn: typeof d.refresh_token_expires_in === 'number' ? d.refresh_token_expires_in : null,
    advertiserIds: ids,
  };
}

function envelopeOf(body: unknown, endpoint: string): Envelope {
  if (!isObj(body) || typeof body.code !== 'number') throw new PlatformError(`千川 ${endpoint}: the answer has no envelope`, { platform: QIANCHUAN, kind: 'malformed', endpoint });
  return {
    code: body.code,
    message: typeof body.message === 'string' ? body.message.slice(0, 500) : '',
    requestId: typeof body.request_id === 'string' ? body.request_id.slice(0, 100) : '',
    data: body.data,
  };
}

function errorOf(env: Envelope, endpoint: string, dimension: string | undefined, status: number): PlatformError {
  const kind = RATE_LIMIT_CODES.has(env.code) ? 'rateLimited' : TOKEN_CODES.has(env.code) ? 'auth' : 'refused';
  return new PlatformError(`千川 ${env.code}: ${env.message || 'no message'}`, {
    platform: QIANCHUAN,
    kind,
    endpoint,
    code: env.code,
    requestId: env.requestId || undefined,
    dimension: dimension?.slice(0, 50),
    status,
  });
}

/**
 * An id the platform types as int64, sent back as a bare number. Ids above 2^53 cannot be a JS
 * number, so the value travels as a marker that `jsonWithIds` and `queryOf` write without quotes.
 */
export class Int64 {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return `\u0000int64:${this.digits}\u0000`;
  }
}

export function numericId(id: string): Int64 | string {
  return /^\d{1,20}$/.test(id) ? new Int64(id) : id;
}

/** JSON text with `Int64` values written as bare digits (the platform's int64 fields). */
export function jsonWithIds(v: unknown): string {
  return JSON.stringify(v).replace(/"\\u0000int64:(\d+)\\u0000"/g, '$1');
}

/** Query text: scalars as they are, arrays and objects as JSON (the SDK sends `fields` and `filtering` so). */
export function queryOf(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (v instanceof Int64) q.set(k, v.digits);
    else if (typeof v === 'object' && v !== null) q.set(k, jsonWithIds(v));
    else q.set(k, String(v));
  }
  return q.toString();
}
