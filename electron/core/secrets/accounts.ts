/**
 * The accounts as people see them: the environment's seed (CONTRACTS.md's `LCR_QIANCHUAN_*`,
 * `LCR_DOUDIAN_*`), and the lines `lcr auth --status` prints. Nothing here prints a secret: a
 * record's secrets stay in the vault, and only `AccountStatus` (no secret in it) is shown.
 *
 * A seeded refresh token is a starting point, not a standing order: 巨量千川 rotates the pair at
 * every refresh, so once the app has refreshed, its own newest pair is the one that works and the
 * environment's seed is spent. The record keeps a hash of the last seed it took into account: the
 * same seed at the next start changes nothing, a different seed (the person put a new one there)
 * replaces the stored pair.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../../../shared/format.ts';
import { redactSecrets, registerSecret } from './redact.ts';
import type { AccountRecord, AccountStatus, PlatformName, SecretVault } from './types.ts';

export const PLATFORMS: readonly PlatformName[] = ['qianchuan', 'doudian', 'tiktok-shop', 'tiktok-ads'];

export function isPlatformName(v: unknown): v is PlatformName {
  return typeof v === 'string' && (PLATFORMS as readonly string[]).includes(v);
}

const PLATFORM_LABEL: Record<PlatformName, Record<Locale, string>> = {
  qianchuan: { 'zh-CN': '巨量千川', en: '巨量千川 (Qianchuan)' },
  doudian: { 'zh-CN': '抖店', en: '抖店 (Doudian)' },
  'tiktok-shop': { 'zh-CN': 'TikTok Shop', en: 'TikTok Shop' },
  'tiktok-ads': { 'zh-CN': 'TikTok 广告（GMV Max）', en: 'TikTok Ads (GMV Max)' },
};

const ACCOUNT_NOUN: Record<PlatformName, Record<Locale, string>> = {
  qianchuan: { 'zh-CN': '广告主', en: 'advertiser' },
  doudian: { 'zh-CN': '店铺', en: 'shop' },
  'tiktok-shop': { 'zh-CN': '店铺', en: 'shop' },
  'tiktok-ads': { 'zh-CN': '广告主', en: 'advertiser' },
};

export function platformLabel(platform: PlatformName, lang: Locale = 'en'): string {
  return PLATFORM_LABEL[platform][lang];
}

/** "巨量千川 (Qianchuan) advertiser 1234": how messages name an account (ids are not secret). */
export function accountLabel(platform: PlatformName, account: string, lang: Locale = 'en'): string {
  return `${platformLabel(platform, lang)} ${ACCOUNT_NOUN[platform][lang]} ${account}`;
}

/** The hash a record keeps of an environment seed: salted, so it says nothing about the token. */
export function seedHashOf(platform: PlatformName, account: string, seed: string): string {
  return createHash('sha256').update(`lcr-vault seed\n${platform}\n${account}\n${seed}`).digest('hex').slice(0, 32);
}

/** One platform's environment variables, as CONTRACTS.md names them. */
export interface EnvSeedNames {
  appId: string;
  secret: string;
  account: string;
  refreshToken: string;
  /** The seed is a long-lived access token, not a refresh token (TikTok's advertiser tokens have none). */
  seedIsAccessToken?: boolean;
}

export const ENV_SEEDS: Partial<Record<PlatformName, EnvSeedNames>> = {
  qianchuan: { appId: 'LCR_QIANCHUAN_APP_ID', secret: 'LCR_QIANCHUAN_SECRET', account: 'LCR_QIANCHUAN_ADVERTISER_ID', refreshToken: 'LCR_QIANCHUAN_REFRESH_TOKEN' },
  doudian: { appId: 'LCR_DOUDIAN_APP_KEY', secret: 'LCR_DOUDIAN_APP_SECRET', account: 'LCR_DOUDIAN_SHOP_ID', refreshToken: 'LCR_DOUDIAN_REFRESH_TOKEN' },
  'tiktok-shop': { appId: 'LCR_TIKTOK_SHOP_APP_KEY', secret: 'LCR_TIKTOK_SHOP_APP_SECRET', account: 'LCR_TIKTOK_SHOP_ID', refreshToken: 'LCR_TIKTOK_SHOP_REFRESH_TOKEN' },
  'tiktok-ads': { appId: 'LCR_TIKTOK_ADS_APP_ID', secret: 'LCR_TIKTOK_ADS_SECRET', account: 'LCR_TIKTOK_ADS_ADVERTISER_ID', refreshToken: 'LCR_TIKTOK_ADS_ACCESS_TOKEN', seedIsAccessToken: true },
};

/** Every secret the environment carries, registered for redaction before anything is logged. */
export function registerEnvSecrets(env: NodeJS.ProcessEnv): void {
  for (const names of Object.values(ENV_SEEDS)) {
    registerSecret(env[names.secret]);
    registerSecret(env[names.refreshToken]);
  }
  registerSecret(env.LCR_FEED_TOKEN);
}

export interface SeedResult {
  /** Accounts written or confirmed from the environment ("巨量千川 (Qianchuan) advertiser 1"). */
  seeded: string[];
  /** Seeds that could not be used, in words (a variable missing); no secret in them. */
  warnings: string[];
}

/**
 * Builds or updates the records the `LCR_*` variables describe. The app id and secret follow the
 * environment; the token pair is replaced only by a seed this record has not seen before (or
 * when the app id changed: another app's tokens are worthless). `now`: epoch ms.
 */
export async function seedFromEnv(env: NodeJS.ProcessEnv, vault: SecretVault, now: number): Promise<SeedResult> {
  registerEnvSecrets(env);
  const out: SeedResult = { seeded: [], warnings: [] };
  for (const platform of PLATFORMS) {
    const names = ENV_SEEDS[platform];
    if (!names) continue;
    const v = (k: string) => env[k]?.trim() || undefined;
    const given = [names.appId, names.secret, names.account, names.refreshToken].filter((k) => v(k));
    if (!given.length) continue;
    const missing = [names.appId, names.secret, names.account].filter((k) => !v(k));
    if (missing.length) {
      out.warnings.push(`${platformLabel(platform)}: ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not: the account is not connected from the environment`);
      continue;
    }
    const seed = { appId: v(names.appId)!, appSecret: v(names.secret)!, account: v(names.account)!, refreshToken: v(names.refreshToken) ?? null };
    await upsert(vault, platform, seed.account, (current) => seededRecord(platform, seed, current, now, names.seedIsAccessToken === true));
    out.seeded.push(accountLabel(platform, seed.account));
  }
  return out;
}

/** The record after seeding `current` (null: unchanged). */
export function seededRecord(
  platform: PlatformName,
  seed: { appId: string; appSecret: string; account: string; refreshToken: string | null },
  current: AccountRecord | null,
  now: number,
  seedIsAccessToken = false,
): AccountRecord | null {
  const hash = seed.refreshToken ? seedHashOf(platform, seed.account, seed.refreshToken) : undefined;
  const sameApp = current !== null && current.appId === seed.appId;
  const newSeed = hash !== undefined && current?.seedHash !== hash;
  if (current && sameApp && !newSeed) {
    // The pair stays (it may have rotated since the seed); only a changed secret is taken.
    return current.appSecret === seed.appSecret ? null : { ...current, appSecret: seed.appSecret, updatedAt: now };
  }
  // A new seed, a new record, or another app (whose old tokens are worthless): the pair starts from the seed.
  return {
    platform,
    account: seed.account,
    appId: seed.appId,
    appSecret: seed.appSecret,
    accessToken: seedIsAccessToken ? seed.refreshToken : null,
    refreshToken: seedIsAccessToken ? null : seed.refreshToken,
    accessExpiresAt: null,
    // A seed's lifetime is unknown until the first refresh tells it.
    refreshExpiresAt: null,
    updatedAt: now,
    seededFrom: 'env',
    ...(hash !== undefined ? { seedHash: hash } : {}),
  };
}

/**
 * A record from an authorisation (`lcr auth`, the settings screen) also takes note of the
 * environment's seed as it is now: that seed is older than this pair and must not replace it at
 * the next start.
 */
export function withEnvSeedSeen(record: AccountRecord, env: NodeJS.ProcessEnv): AccountRecord {
  const names = ENV_SEEDS[record.platform];
  const seed = names ? env[names.refreshToken]?.trim() : undefined;
  const envAccount = names ? env[names.account]?.trim() : undefined;
  if (!seed || envAccount !== record.account) return record;
  return { ...record, seedHash: seedHashOf(record.platform, record.account, seed) };
}

async function upsert(vault: SecretVault, platform: PlatformName, account: string, change: (current: AccountRecord | null) => AccountRecord | null): Promise<void> {
  if (vault.update) {
    await vault.update(platform, account, change);
    return;
  }
  const next = change(await vault.load(platform, account));
  if (next) await vault.save(next);
}

/**
 * What a platform client says when the platform refuses an account's token after one refresh: which
 * account, and what the person does now. `detail`: the platform's code or message (redacted here).
 */
export function refusedTokenMessage(platform: PlatformName, account: string, detail?: string): string {
  const why = detail ? ` (${redactSecrets(detail)})` : '';
  return `${accountLabel(platform, account)}: the platform refused its token and a refresh did not help${why} — authorise it again: lcr auth ${platform} --account ${account}, or 设置 in the app`;
}

// ---- status ------------------------------------------------------------------------------------

/** Within this of its expiry, an access token is said to be expiring (it refreshes itself). */
const SOON_MS = 60 * 60_000;

export type AccountState = 'connected' | 'expiring' | 'refresh-pending' | 'no-token' | 'needs-reauth';

/**
 * What an account's tokens allow now: `needs-reauth` once the refresh token has expired (nothing
 * but a person can bring it back); `refresh-pending` when the access token has expired but the
 * refresh token still works (the next call refreshes it); `no-token` before the first exchange.
 */
export function accountState(a: AccountStatus, now: number): AccountState {
  if (a.refreshExpiresAt !== null && a.refreshExpiresAt <= now) return 'needs-reauth';
  if (!a.hasToken) return 'no-token';
  if (a.accessExpiresAt !== null && a.accessExpiresAt <= now) return 'refresh-pending';
  if (a.accessExpiresAt !== null && a.accessExpiresAt - now < SOON_MS) return 'expiring';
  return 'connected';
}

/** Epoch ms as "2024-11-11 20:00" in the local time zone (the person's clock), or "?" when unknown. */
export function localMinute(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts) || Math.abs(ts) > 8.64e15) return '?';
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

const WORDS = {
  'zh-CN': {
    app: '应用',
    access: '访问令牌有效至',
    refresh: '刷新令牌有效至',
    unknown: '有效期未知（首次刷新后可知）',
    noToken: '尚无令牌（首次使用时获取）',
    expiring: '即将过期，会自动刷新',
    pending: '访问令牌已过期，下次调用时自动刷新',
    reauth: (exp: string, cmd: string) => `需要重新授权：刷新令牌已于 ${exp} 过期 —— 运行 ${cmd}，或在应用的 设置 中授权`,
    fromEnv: '来自环境变量',
    none: '尚未连接任何账户（lcr auth qianchuan|doudian，或在应用的 设置 中授权）',
  },
  en: {
    app: 'app',
    access: 'access token until',
    refresh: 'refresh token until',
    unknown: 'token expiry unknown (known after the first refresh)',
    noToken: 'no token yet (fetched at first use)',
    expiring: 'expiring soon, refreshes itself',
    pending: 'access token expired, refreshed at the next call',
    reauth: (exp: string, cmd: string) => `needs re-authorisation: the refresh token expired ${exp} — run ${cmd}, or authorise from 设置 in the app`,
    fromEnv: 'from the environment',
    none: 'no accounts connected (lcr auth qianchuan|doudian, or 设置 in the app)',
  },
} as const;

/** `lcr auth --status`: one line per account — which account, which app, until when its tokens hold. */
export function accountStatusLines(list: readonly AccountStatus[], now: number, lang: Locale = 'zh-CN'): string[] {
  const w = WORDS[lang];
  if (!list.length) return [w.none];
  return list.map((a) => {
    const parts = [accountLabel(a.platform, a.account, lang), `${w.app} ${a.appId}`];
    const state = accountState(a, now);
    if (state === 'needs-reauth') parts.push(w.reauth(localMinute(a.refreshExpiresAt), `lcr auth ${a.platform} --account ${a.account}`));
    else if (state === 'no-token') parts.push(w.noToken);
    else {
      if (a.accessExpiresAt === null && a.refreshExpiresAt === null) parts.push(w.unknown);
      if (a.accessExpiresAt !== null) parts.push(`${w.access} ${localMinute(a.accessExpiresAt)}`);
      if (a.refreshExpiresAt !== null) parts.push(`${w.refresh} ${localMinute(a.refreshExpiresAt)}`);
      if (state === 'expiring') parts.push(w.expiring);
      if (state === 'refresh-pending') parts.push(w.pending);
    }
    if (a.seededFrom === 'env') parts.push(w.fromEnv);
    return parts.join(' · ');
  });
}
