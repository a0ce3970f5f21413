/**
 * Which official platform accounts a run reads, from CONTRACTS.md's environment (the settings
 * screen saves the same non-secret values). Secrets are not here: app secrets and tokens live in
 * the vault (secrets/), seeded from `LCR_QIANCHUAN_SECRET`, `LCR_DOUDIAN_APP_SECRET` and the
 * refresh-token variables at start.
 *
 * Also here: how `--source a,b,c` reads — the first kind names the rooms, the official ones after
 * it join each room.
 */
import { OFFICIAL_KINDS, SOURCE_KINDS, isOfficialKind, isSourceKind, type OfficialKind, type SavedSettings, type SourceKind } from '../../../shared/contract.ts';
import type { UniCostUnit } from './qianchuan/units.ts';

export interface QianchuanSettings {
  appId: string;
  advertiserId: string;
  base?: string;
  /** The 抖音号 of each room when 千川 is not the first source (aligned with `--rooms`). */
  awemeIds?: string[];
  uniCostUnit?: UniCostUnit;
}

export interface DoudianSettings {
  appKey: string;
  shopId: string;
  base?: string;
  /** Where the message push is received (the platform's push URL must reach it). */
  push?: { host?: string; port: number; path?: string };
}

export interface TikTokShopSettings {
  appKey: string;
  shopId: string;
  /** The shop's cipher (shop-scoped calls carry it); default: asked of the platform's authorised shops. */
  shopCipher?: string;
  base?: string;
  authBase?: string;
  /** Where the shop's webhooks are received (the Partner Center's webhook URL must reach it). */
  webhook?: { host?: string; port: number; path?: string };
}

export interface TikTokAdsSettings {
  appId: string;
  advertiserId: string;
  /** The TikTok Shop the GMV Max campaigns promote (`store_id`). */
  storeId: string;
  base?: string;
  /** The LIVE room id of each room for the report's `room_ids` filter (aligned with `--rooms`). */
  roomIds?: string[];
}

export interface PlatformSettings {
  /** How often the polled APIs are read (ms). */
  pollMs?: number;
  qianchuan?: QianchuanSettings;
  doudian?: DoudianSettings;
  tiktokShop?: TikTokShopSettings;
  tiktokAds?: TikTokAdsSettings;
}

export class PlatformConfigError extends Error {}

const ID = /^\d{1,20}$/;

/**
 * The official accounts named in the environment, over those saved from the settings screen (the
 * environment wins, platform by platform); a malformed variable is an error naming it.
 */
export function platformSettingsFromEnv(env: NodeJS.ProcessEnv, saved?: SavedSettings['platforms']): PlatformSettings {
  const out: PlatformSettings = {};
  if (saved?.qianchuan) out.qianchuan = { appId: saved.qianchuan.appId, advertiserId: saved.qianchuan.advertiserId, awemeIds: saved.qianchuan.awemeIds, base: apiBase(env, 'LCR_QIANCHUAN_API') };
  if (saved?.doudian) out.doudian = { appKey: saved.doudian.appKey, shopId: saved.doudian.shopId, base: apiBase(env, 'LCR_DOUDIAN_API'), push: saved.doudian.pushPort !== undefined ? { port: saved.doudian.pushPort } : undefined };
  if (env.LCR_API_POLL_SEC) {
    const sec = Number(env.LCR_API_POLL_SEC);
    if (!(sec >= 1 && sec <= 3600)) throw new PlatformConfigError(`LCR_API_POLL_SEC must be a number of seconds from 1 to 3600 (got "${env.LCR_API_POLL_SEC}")`);
    out.pollMs = Math.round(sec * 1000);
  }
  const qcApp = env.LCR_QIANCHUAN_APP_ID?.trim();
  const qcAdv = env.LCR_QIANCHUAN_ADVERTISER_ID?.trim();
  if (qcApp || qcAdv) {
    if (!qcApp || !ID.test(qcApp)) throw new PlatformConfigError(`LCR_QIANCHUAN_APP_ID must be the app's numeric id (got "${qcApp ?? ''}")`);
    if (!qcAdv || !ID.test(qcAdv)) throw new PlatformConfigError(`LCR_QIANCHUAN_ADVERTISER_ID must be the 千川 account's numeric id (got "${qcAdv ?? ''}")`);
    const aweme = env.LCR_QIANCHUAN_AWEME_ID?.split(',').map((s) => s.trim()).filter(Boolean);
    if (aweme?.some((a) => !ID.test(a))) throw new PlatformConfigError(`LCR_QIANCHUAN_AWEME_ID must be numeric 抖音号 ids, comma-separated (got "${env.LCR_QIANCHUAN_AWEME_ID}")`);
    const unit = env.LCR_QIANCHUAN_UNI_COST_UNIT?.trim();
    if (unit && unit !== 'yuan' && unit !== '1e-5') throw new PlatformConfigError(`LCR_QIANCHUAN_UNI_COST_UNIT must be yuan or 1e-5 (got "${unit}")`);
    out.qianchuan = { appId: qcApp, advertiserId: qcAdv, base: apiBase(env, 'LCR_QIANCHUAN_API'), awemeIds: aweme?.length ? aweme : undefined, uniCostUnit: (unit || undefined) as UniCostUnit | undefined };
  }
  const ddKey = env.LCR_DOUDIAN_APP_KEY?.trim();
  const ddShop = env.LCR_DOUDIAN_SHOP_ID?.trim();
  if (ddKey || ddShop) {
    if (!ddKey || !/^[\w-]{1,64}$/.test(ddKey)) throw new PlatformConfigError(`LCR_DOUDIAN_APP_KEY must be the app key (got "${ddKey ?? ''}")`);
    if (!ddShop || !ID.test(ddShop)) throw new PlatformConfigError(`LCR_DOUDIAN_SHOP_ID must be the shop's numeric id (got "${ddShop ?? ''}")`);
    const push = pushPort(env, 'LCR_DOUDIAN_PUSH');
    out.doudian = { appKey: ddKey, shopId: ddShop, base: apiBase(env, 'LCR_DOUDIAN_API'), push };
  }
  if (saved?.tiktokShop) out.tiktokShop = { appKey: saved.tiktokShop.appKey, shopId: saved.tiktokShop.shopId, base: apiBase(env, 'LCR_TIKTOK_SHOP_API'), authBase: apiBase(env, 'LCR_TIKTOK_SHOP_AUTH_API'), webhook: saved.tiktokShop.webhookPort !== undefined ? { port: saved.tiktokShop.webhookPort } : undefined };
  const ttKey = env.LCR_TIKTOK_SHOP_APP_KEY?.trim();
  const ttShop = env.LCR_TIKTOK_SHOP_ID?.trim();
  if (ttKey || ttShop) {
    if (!ttKey || !/^[\w-]{1,64}$/.test(ttKey)) throw new PlatformConfigError(`LCR_TIKTOK_SHOP_APP_KEY must be the app key (got "${ttKey ?? ''}")`);
    if (!ttShop || !ID.test(ttShop)) throw new PlatformConfigError(`LCR_TIKTOK_SHOP_ID must be the shop's numeric id (got "${ttShop ?? ''}")`);
    const cipher = env.LCR_TIKTOK_SHOP_CIPHER?.trim();
    if (cipher && !/^[\w-]{1,200}$/.test(cipher)) throw new PlatformConfigError('LCR_TIKTOK_SHOP_CIPHER must be the shop cipher as the platform gives it (letters, digits, _ and -)');
    out.tiktokShop = { appKey: ttKey, shopId: ttShop, shopCipher: cipher || undefined, base: apiBase(env, 'LCR_TIKTOK_SHOP_API'), authBase: apiBase(env, 'LCR_TIKTOK_SHOP_AUTH_API'), webhook: pushPort(env, 'LCR_TIKTOK_SHOP_WEBHOOK') };
  }
  if (saved?.tiktokAds) out.tiktokAds = { ...saved.tiktokAds, base: apiBase(env, 'LCR_TIKTOK_ADS_API') };
  const adsApp = env.LCR_TIKTOK_ADS_APP_ID?.trim();
  const adsAdv = env.LCR_TIKTOK_ADS_ADVERTISER_ID?.trim();
  const adsStore = env.LCR_TIKTOK_ADS_STORE_ID?.trim();
  if (adsApp || adsAdv || adsStore) {
    if (!adsApp || !ID.test(adsApp)) throw new PlatformConfigError(`LCR_TIKTOK_ADS_APP_ID must be the TikTok API for Business app's numeric id (got "${adsApp ?? ''}")`);
    if (!adsAdv || !ID.test(adsAdv)) throw new PlatformConfigError(`LCR_TIKTOK_ADS_ADVERTISER_ID must be the ad account's numeric id (got "${adsAdv ?? ''}")`);
    if (!adsStore || !ID.test(adsStore)) throw new PlatformConfigError(`LCR_TIKTOK_ADS_STORE_ID must be the TikTok Shop's numeric store id the GMV Max campaigns promote (got "${adsStore ?? ''}")`);
    const roomIds = env.LCR_TIKTOK_ADS_ROOM_IDS?.split(',').map((s) => s.trim()).filter(Boolean);
    if (roomIds?.some((r) => !ID.test(r))) throw new PlatformConfigError(`LCR_TIKTOK_ADS_ROOM_IDS must be numeric TikTok LIVE room ids, comma-separated (got "${env.LCR_TIKTOK_ADS_ROOM_IDS}")`);
    out.tiktokAds = { appId: adsApp, advertiserId: adsAdv, storeId: adsStore, base: apiBase(env, 'LCR_TIKTOK_ADS_API'), roomIds: roomIds?.length ? roomIds : undefined };
  }
  return out;
}

/** `<PREFIX>_PORT` (and `_HOST`, `_PATH`): where a platform's pushes are received; undefined when no port is set. */
function pushPort(env: NodeJS.ProcessEnv, prefix: string): { port: number; host?: string; path?: string } | undefined {
  const text = env[`${prefix}_PORT`];
  if (!text) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PlatformConfigError(`${prefix}_PORT must be a port number (got "${text}")`);
  return { port, host: env[`${prefix}_HOST`] || undefined, path: env[`${prefix}_PATH`] || undefined };
}

function apiBase(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new PlatformConfigError(`${name} must be an http(s) URL (got "${v}")`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new PlatformConfigError(`${name} must be an http(s) URL (got "${v}")`);
  if (u.username || u.password || u.search) throw new PlatformConfigError(`${name} must be a plain base URL, without credentials or a query`);
  return v.replace(/\/+$/, '');
}

/** `--source douyin-ws,qianchuan,doudian`: the first kind and the official kinds joining it. */
export function parseSourceList(text: string, name = '--source'): { kind: SourceKind; also: OfficialKind[] } {
  const kinds = text.split(',').map((s) => s.trim()).filter(Boolean);
  const [first, ...rest] = kinds;
  if (!first || !isSourceKind(first)) throw new PlatformConfigError(`${name} must be one of ${SOURCE_KINDS.join(', ')} (got "${text}")`);
  const also: OfficialKind[] = [];
  for (const k of rest) {
    if (!isOfficialKind(k)) throw new PlatformConfigError(`only the official platforms (${OFFICIAL_KINDS.join(', ')}) can join a room's first source (got "${k}" in "${text}")`);
    if (k === first || also.includes(k)) throw new PlatformConfigError(`"${k}" is named twice in "${text}"`);
    also.push(k);
  }
  if (also.length && (first === 'feed' || first === 'replay')) throw new PlatformConfigError(`${first} cannot take other sources in its room (got "${text}")`);
  return { kind: first, also };
}
