/**
 * `lcr auth <platform> --auth-code CODE`: the code the operator got by authorising the app,
 * exchanged for a token pair by each platform's own client. The record returned is saved by
 * `lcr auth` (whole, atomically); nothing here prints or keeps a secret.
 */
import type { AccountRecord, PlatformName, SecretVault, AccountStatus } from '../secrets/types.ts';
import { exchangeAuthCode } from './qianchuan/client.ts';
import { DoudianClient, doudianApiBase } from './doudian/client.ts';

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
  let saved: AccountRecord | null = null;
  const scratch: SecretVault = {
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
  const client = new DoudianClient({ base: apiBase ?? doudianApiBase(process.env), appKey: record.appId, shopId, vault: scratch });
  await client.createToken({ code, appSecret: record.appSecret });
  if (!saved) throw new Error('抖店 gave no token pair');
  return { ...(saved as AccountRecord), account: shopId };
};

export const TOKEN_EXCHANGES: Partial<Record<PlatformName, TokenExchange>> = {
  qianchuan: qianchuanExchange,
  doudian: doudianExchange,
};
