/**
 * `lcr auth <platform> --auth-code CODE`: the code the operator got by authorising the app,
 * exchanged for a token pair by each platform's own client. The record returned is saved by
 * `lcr auth` (whole, atomically); nothing here prints or keeps a secret.
 */
import type { AccountRecord, PlatformName, SecretVault, AccountStatus } from '../secrets/types.ts';
import { exchangeAuthCode } from './qianchuan/client.ts';
import { DoudianClient, doudianApiBase } from './doudian/client.ts';
import { TikTokShopClient, tiktokShopApiBase, tiktokShopAuthBase } from './tiktok-shop/client.ts';
import { exchangeAuthCode as exchangeTikTokAdsCode, gmvMaxApiBase } from './gmv-max/client.ts';

/** Resolves to the full record to store: tokens, their expiry times, and the account they are for. Throws when the platform refuses. */
export type TokenExchange = (platform: PlatformName, record: AccountRecord, code: string, base?: string) => Promise<AccountRecord>;

/** 千川: one code may cover several advertisers; the account asked for (or the first) is the one stored. */
export const qianchuanExchange: TokenExchange = async (_platform, record, code, apiBase) => {
  const base = apiBase ?? (process.env.LCR_QIANCHUAN_API?.trim() || undefined);
  const now = Date.now();
  const pair = await exchangeAuthCode({ base, appId: record.appId, secret: record.appSecret, authCode: code, now });
  const account = record.account || pair.advertiserIds[0] || '';
  if (record.account && pair.advertiserIds.length && !pair.advertiserIds.includes(record.account)) {
    throw new Error(`this authorisation covers advertisers ${pair.advertiserIds.join(', ')}, not ${record.account}`);
  }
  return { ...record, account, accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: pair.accessExpiresAt, refreshExpiresAt: pair.refreshExpiresAt, updatedAt: now };
};

/** 抖店: the shop is named by --account (or LCR_DOUDIAN_SHOP_ID); the client writes the pair into a one-record vault handed back here. */
export const doudianExchange: TokenExchange = async (_platform, record, code, apiBase) => {
  const shopId = record.account || process.env.LCR_DOUDIAN_SHOP_ID?.trim() || '';
  if (!/^\d{1,20}$/.test(shopId)) throw new Error('抖店 needs the shop id: --account SHOP_ID or LCR_DOUDIAN_SHOP_ID');
  const scratch = scratchVault();
  const client = new DoudianClient({ base: apiBase ?? doudianApiBase(process.env), appKey: record.appId, shopId, vault: scratch.vault });
  await client.createToken({ code, appSecret: record.appSecret });
  const saved = scratch.saved();
  if (!saved) throw new Error('抖店 gave no token pair');
  return { ...saved, account: shopId };
};

/** A vault of one record, for a client whose token call writes the record it makes: the exchange hands that record back. */
function scratchVault(): { vault: SecretVault; saved: () => AccountRecord | null } {
  let saved: AccountRecord | null = null;
  const vault: SecretVault = {
    where: 'memory',
    load: async () => saved,
    save: async (r) => {
      saved = { ...r };
    },
    remove: async () => {
      saved = null;
    },
    list: async (): Promise<AccountStatus[]> => [],
  };
  return { vault, saved: () => saved };
}

/** TikTok Shop: the shop is named by --account (or LCR_TIKTOK_SHOP_ID); `/api/v2/token/get` with the code. */
export const tiktokShopExchange: TokenExchange = async (_platform, record, code, apiBase) => {
  const shopId = record.account || process.env.LCR_TIKTOK_SHOP_ID?.trim() || '';
  if (!/^\d{1,20}$/.test(shopId)) throw new Error('TikTok Shop needs the shop id: --account SHOP_ID or LCR_TIKTOK_SHOP_ID');
  const scratch = scratchVault();
  const client = new TikTokShopClient({ base: apiBase ?? tiktokShopApiBase(process.env), authBase: tiktokShopAuthBase(process.env), appKey: record.appId, shopId, vault: scratch.vault });
  await client.createToken({ authCode: code, appSecret: record.appSecret });
  const saved = scratch.saved();
  if (!saved) throw new Error('TikTok Shop gave no token pair');
  return { ...saved, account: shopId };
};

/** TikTok API for Business (GMV Max): one code may cover several advertisers; the one asked for (or the first) is stored. */
export const tiktokAdsExchange: TokenExchange = async (_platform, record, code, apiBase) => {
  const now = Date.now();
  const tok = await exchangeTikTokAdsCode({ base: apiBase ?? gmvMaxApiBase(process.env), appId: record.appId, secret: record.appSecret, authCode: code, now });
  const want = record.account || process.env.LCR_TIKTOK_ADS_ADVERTISER_ID?.trim() || '';
  if (want && tok.advertiserIds.length && !tok.advertiserIds.includes(want)) throw new Error(`this authorisation covers advertisers ${tok.advertiserIds.join(', ')}, not ${want}`);
  const account = want || tok.advertiserIds[0] || '';
  return { ...record, account, accessToken: tok.accessToken, refreshToken: null, accessExpiresAt: tok.accessExpiresAt, refreshExpiresAt: null, updatedAt: now };
};

export const TOKEN_EXCHANGES: Partial<Record<PlatformName, TokenExchange>> = {
  qianchuan: qianchuanExchange,
  doudian: doudianExchange,
  'tiktok-shop': tiktokShopExchange,
  'tiktok-ads': tiktokAdsExchange,
};
