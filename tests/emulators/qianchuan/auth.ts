/**
 * OAuth as the SDK describes it: an auth_code (single use, 10 minutes) is exchanged for an access
 * token (86399 s) and a refresh token (2591999 s — the lifetimes one real response showed); each
 * refresh issues a NEW pair and the refresh token it used is dead from then on. Lifetimes run on the
 * emulator's clock, so a test ages a token by advancing time. Tokens are random, never logged.
 */
import { randomBytes } from 'node:crypto';

export const ACCESS_TTL_SEC = 86_399;
export const REFRESH_TTL_SEC = 2_591_999;
const AUTH_CODE_TTL_MS = 600_000;

export interface Grant {
  advertiserIds: string[];
}

interface Issued extends Grant {
  expiresAt: number;
  dead: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshTokenExpiresIn: number;
  advertiserIds: string[];
}

export type TokenCheck = { ok: true; grant: Grant } | { ok: false; why: 'missing' | 'expired' | 'unknown' };

const newToken = (): string => randomBytes(20).toString('hex');

export class Tokens {
  private codes = new Map<string, Issued>();
  private access = new Map<string, Issued>();
  private refresh = new Map<string, Issued & { accessToken: string }>();

  constructor(private readonly keepOldAccessOnRefresh: boolean) {}

  issueAuthCode(advertiserIds: string[], now: number): string {
    const code = newToken();
    this.codes.set(code, { advertiserIds: [...advertiserIds], expiresAt: now + AUTH_CODE_TTL_MS, dead: false });
    return code;
  }

  issuePair(advertiserIds: string[], now: number): TokenPair {
    const accessToken = newToken();
    const refreshToken = newToken();
    this.access.set(accessToken, { advertiserIds: [...advertiserIds], expiresAt: now + ACCESS_TTL_SEC * 1000, dead: false });
    this.refresh.set(refreshToken, { advertiserIds: [...advertiserIds], expiresAt: now + REFRESH_TTL_SEC * 1000, dead: false, accessToken });
    return { accessToken, refreshToken, expiresIn: ACCESS_TTL_SEC, refreshTokenExpiresIn: REFRESH_TTL_SEC, advertiserIds: [...advertiserIds] };
  }

  exchange(code: string, now: number): TokenPair | null {
    const c = this.codes.get(code);
    if (!c || c.dead || now >= c.expiresAt) return null;
    c.dead = true;
    return this.issuePair(c.advertiserIds, now);
  }

  rotate(refreshToken: string, now: number): TokenPair | null {
    const r = this.refresh.get(refreshToken);
    if (!r || r.dead || now >= r.expiresAt) return null;
    r.dead = true;
    if (!this.keepOldAccessOnRefresh) {
      const old = this.access.get(r.accessToken);
      if (old) old.dead = true;
    }
    return this.issuePair(r.advertiserIds, now);
  }

  check(token: string | null, now: number): TokenCheck {
    if (!token) return { ok: false, why: 'missing' };
    const a = this.access.get(token);
    if (!a) return { ok: false, why: 'unknown' };
    if (a.dead || now >= a.expiresAt) return { ok: false, why: 'expired' };
    return { ok: true, grant: a };
  }

  /** Every access token issued so far stops working (refresh tokens still do). */
  expireAccessTokens(): void {
    for (const a of this.access.values()) a.dead = true;
  }

  /** Every token and code stops working: the operator must authorise again. */
  revokeAll(): void {
    for (const m of [this.codes, this.access, this.refresh]) for (const t of m.values()) t.dead = true;
  }
}
