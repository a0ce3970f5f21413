/**
 * TikTokShopClient against the TikTok Shop emulator over real loopback HTTP: signatures (checked by
 * the emulator's own implementation of the spec), the envelope and its error kinds, tokens (create,
 * refresh before expiry and on an auth answer, one refresh for many callers, the pair saved whole),
 * the shop cipher, page tokens, 64-bit ids.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TikTokShopClient, tiktokShopApiBase, tiktokShopAuthBase, type TikTokShopClientOptions } from '../../electron/core/platforms/tiktok-shop/client.ts';
import { isPlatformError, type PlatformError } from '../../electron/core/platforms/common/errors.ts';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { TikTokShopEmulator, type TikTokShopEmulatorOptions } from '../emulators/tiktok-shop.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';

let emu: TikTokShopEmulator | null = null;

afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function setup(opts: TikTokShopEmulatorOptions = {}, record: Partial<AccountRecord> | null = {}, client: Partial<TikTokShopClientOptions> = {}) {
  emu = await TikTokShopEmulator.start(opts);
  const pair = emu.issuePair();
  const seed: AccountRecord[] = record === null ? [] : [{ platform: 'tiktok-shop', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret, ...pair, updatedAt: 0, ...record }];
  const vault = new MemoryVault(seed);
  const c = new TikTokShopClient({ base: emu.url, authBase: emu.authUrl, appKey: emu.appKey, shopId: emu.shopId, vault, ...client });
  return { emu, vault, client: c, pair };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isPlatformError(e)) throw new Error(`expected a PlatformError, got ${String(e)}`);
  return e;
}

function mentionsNoSecret(e: Error, ...secrets: string[]): void {
  for (const s of secrets) expect(e.message).not.toContain(s);
}

const T0 = (): number => Math.floor(Date.now() / 1000) - 3600;
const window = (): { updateTimeGe: number; updateTimeLt: number } => ({ updateTimeGe: T0(), updateTimeLt: Math.floor(Date.now() / 1000) + 60 });

describe('TikTok Shop client', () => {
  it('hosts come from the environment or the public defaults', () => {
    expect(tiktokShopApiBase({})).toBe('https://open-api.tiktokglobalshop.com');
    expect(tiktokShopAuthBase({})).toBe('https://auth.tiktok-shops.com');
    expect(tiktokShopApiBase({ LCR_TIKTOK_SHOP_API: ' http://127.0.0.1:9 ' })).toBe('http://127.0.0.1:9');
    expect(tiktokShopAuthBase({ LCR_TIKTOK_SHOP_AUTH_API: 'http://127.0.0.1:8' })).toBe('http://127.0.0.1:8');
    expect(() => new TikTokShopClient({ appKey: 'k', shopId: 'shop-1', vault: new MemoryVault() })).toThrow(TypeError);
  });

  it('creates a token from an auth code, checks the shop is among the authorized ones, and saves the whole record', async () => {
    const { emu, vault, client } = await setup({}, null);
    const summary = await client.createToken({ authCode: emu.issueCode(), appSecret: emu.appSecret });
    expect(summary).toMatchObject({ shopId: emu.shopId, shopName: 'Emu Beauty Shop' });
    // Epoch seconds in *_expire_in are read as epochs.
    expect(summary.accessExpiresAt! - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(summary.accessExpiresAt! - Date.now()).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(summary.refreshExpiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const saved = vault.peek('tiktok-shop', emu.shopId)!;
    expect(saved).toMatchObject({ platform: 'tiktok-shop', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret });
    expect(emu.accessValid(saved.accessToken!)).toBe(true);
    const get = emu.callsTo('/api/v2/token/get')[0]!;
    expect(get).toMatchObject({ host: 'auth', method: 'GET', code: 0 });
    expect(get.query).toMatchObject({ app_key: emu.appKey, grant_type: 'authorized_code' });
    // The cipher came with the shop check: a search needs no second shops call.
    await client.searchOrders({ ...window(), pageSize: 10 });
    expect(emu.callsTo('/authorization/202309/shops')).toHaveLength(1);
    expect(emu.callsTo('/order/202309/orders/search')[0]).toMatchObject({ code: 0, hasToken: true });
  });

  it('a wrong auth code is an auth error naming the shop; an authorization for another shop is refused before saving', async () => {
    const { emu, vault, client } = await setup({}, null);
    const e = await failure(client.createToken({ authCode: 'not-a-code', appSecret: emu.appSecret }));
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(`TikTok Shop shop ${emu.shopId} could not be authorized: TikTok Shop /api/v2/token/get: Invalid auth_code (code 36004004)`);
    mentionsNoSecret(e, emu.appSecret);
    await emu.close();
    const other = await setup({ withoutOwnShop: true, otherShops: [{ id: '7495000000000000001', cipher: 'GCP_other' }] }, null);
    const refused = await failure(other.client.createToken({ authCode: other.emu.issueCode(), appSecret: other.emu.appSecret }));
    expect(refused.kind).toBe('refused');
    expect(refused.message).toContain(`the authorization is for shop 7495000000000000001, not the configured shop ${other.emu.shopId}`);
    expect(other.vault.saves).toHaveLength(0);
    expect(vault.saves).toHaveLength(0);
  });

  it('signs every call as the spec says; the emulator refuses a wrong secret, a stale timestamp and a missing cipher', async () => {
    const { emu, client, pair } = await setup();
    const w = window();
    await client.searchOrders({ ...w, pageSize: 10 });
    const search = emu.callsTo('/order/202309/orders/search')[0]!;
    expect(search.code).toBe(0);
    expect(search.query).toMatchObject({ app_key: emu.appKey, shop_cipher: emu.cipher, page_size: '10', sort_field: 'update_time', sort_order: 'ASC' });
    expect(search.query).not.toHaveProperty('page_token');
    expect(search.query).not.toHaveProperty('access_token');
    expect(search.body).toEqual({ update_time_ge: w.updateTimeGe, update_time_lt: w.updateTimeLt });
    // The same request by hand: the sign is over the exact body bytes.
    const call = async (opts: { secret?: string; ts?: number; cipher?: string | null } = {}) => {
      const q = new URLSearchParams({ app_key: emu.appKey, timestamp: String(opts.ts ?? Math.floor(Date.now() / 1000)), page_size: '5' });
      if (opts.cipher !== null) q.set('shop_cipher', opts.cipher ?? emu.cipher);
      const body = '{"update_time_ge":1}';
      const secret = opts.secret ?? emu.appSecret;
      const sorted = [...q.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      const sign = createHmac('sha256', secret)
        .update(`${secret}/order/202309/orders/search${sorted.map(([k, v]) => k + v).join('')}${body}${secret}`)
        .digest('hex');
      q.set('sign', sign);
      const res = await fetch(`${emu.url}/order/202309/orders/search?${q.toString()}`, { method: 'POST', headers: { 'x-tts-access-token': pair.accessToken }, body });
      return (await res.json()) as { code: number };
    };
    expect((await call()).code).toBe(0);
    expect((await call({ secret: 'wrong' })).code).toBe(106001);
    expect((await call({ ts: Math.floor(Date.now() / 1000) - 3600 })).code).toBe(106002);
    expect((await call({ cipher: null })).code).toBe(106011);
    const wrong = new TikTokShopClient({ base: emu.url, authBase: emu.authUrl, appKey: emu.appKey, shopId: emu.shopId, shopCipher: emu.cipher, vault: new MemoryVault([{ platform: 'tiktok-shop', account: emu.shopId, appId: emu.appKey, appSecret: 'not-the-secret', accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: Date.now() + 86_400_000, refreshExpiresAt: null, updatedAt: 0 }]) });
    const refused = await failure(wrong.searchOrders({ ...window(), pageSize: 10 }));
    expect(refused).toMatchObject({ kind: 'refused', info: { code: 106001, platform: 'tiktok-shop', endpoint: '/order/202309/orders/search' } });
    expect(refused.message).toBe('TikTok Shop /order/202309/orders/search: Invalid signature (code 106001)');
    expect(refused.info.requestId).toMatch(/^2026/);
    mentionsNoSecret(refused, 'not-the-secret', pair.accessToken);
  });

  it('pages the search with next_page_token until it is empty, oldest update first; page_size over 100 never leaves the client', async () => {
    const { emu, client } = await setup();
    const t0 = Date.now() - 600_000;
    for (let i = 0; i < 230; i++) emu.addOrder({ at: t0 + i * 1000 });
    const q = { updateTimeGe: Math.floor(t0 / 1000), updateTimeLt: Math.floor(t0 / 1000) + 230 };
    const pages = [];
    let token: string | undefined;
    do {
      const p = await client.searchOrders({ ...q, pageSize: 100, pageToken: token });
      pages.push(p);
      token = p.nextPageToken || undefined;
    } while (token && pages.length < 10);
    expect(pages.map((p) => [p.totalCount, p.orders.length, p.nextPageToken === ''])).toEqual([
      [230, 100, false],
      [230, 100, false],
      [230, 30, true],
    ]);
    const times = pages.flatMap((p) => p.orders.map((o) => (o as { update_time: number }).update_time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(pages.flatMap((p) => p.orders.map((o) => (o as { id: string }).id))).size).toBe(230);
    expect(emu.callsTo('/order/202309/orders/search')[1]!.query.page_token).toBe(pages[0]!.nextPageToken);
    await expect(client.searchOrders({ ...q, pageSize: 101 })).rejects.toThrow(RangeError);
    await expect(client.searchOrders({ ...q, updateTimeLt: q.updateTimeGe, pageSize: 10 })).rejects.toThrow(RangeError);
  });

  it('order detail returns the orders with 64-bit ids exact and money as decimal strings', async () => {
    const { emu, client } = await setup();
    const { orderId, lineItemIds } = emu.addOrder({ currency: 'GBP', items: [{ productId: '1729582718312380999', price: '19.99', qty: 2 }] });
    const [detail] = (await client.orderDetail([orderId])) as Array<{ id: string; payment: { currency: string }; line_items: Array<Record<string, unknown>> }>;
    expect(detail!.id).toBe(orderId);
    expect(detail!.payment.currency).toBe('GBP');
    expect(detail!.line_items.map((l) => [l.id, l.product_id, l.sale_price])).toEqual(lineItemIds.map((id) => [id, '1729582718312380999', '19.99']));
    // The text carries bare numbers: a plain JSON.parse would round the order id.
    expect(emu.orderJson(orderId)).toContain(`"id":${orderId},`);
    expect(Number(orderId).toString()).not.toBe(orderId);
    expect(parseApiJson(emu.orderJson(orderId))).toMatchObject({ id: orderId });
    await expect(client.orderDetail(Array.from({ length: 51 }, (_, i) => String(i + 1)))).rejects.toThrow(RangeError);
    await expect(client.orderDetail(['12a'])).rejects.toThrow(TypeError);
    expect(emu.callsTo('/order/202309/orders')[0]!.query.ids).toBe(orderId);
  });

  it('the shop cipher: an option wins; else it is looked up once among the authorized shops (id exact)', async () => {
    const { emu, client } = await setup({ otherShops: [{ id: '7495111122223333445', cipher: 'GCP_neighbour' }] });
    expect(await client.shopCipher()).toBe(emu.cipher);
    expect(await client.shopCipher()).toBe(emu.cipher);
    expect(emu.callsTo('/authorization/202309/shops')).toHaveLength(1);
    const shops = await client.authorizedShops();
    expect(shops.map((s) => [s.id, s.cipher])).toEqual([
      [emu.shopId, emu.cipher],
      ['7495111122223333445', 'GCP_neighbour'],
    ]);
    const given = new TikTokShopClient({ base: emu.url, authBase: emu.authUrl, appKey: emu.appKey, shopId: emu.shopId, shopCipher: 'GCP_given', vault: new MemoryVault([emu.accountRecord()]) });
    expect(await given.shopCipher()).toBe('GCP_given');
    await emu.close();
    const none = await setup({ withoutOwnShop: true });
    const e = await failure(none.client.searchOrders({ ...window(), pageSize: 10 }));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('lcr auth tiktok-shop');
  });

  it('an access token expired on the platform (105002) is refreshed once for many callers, retried once, and the pair saved whole', async () => {
    const { emu, vault, client, pair } = await setup({}, {}, { shopCipher: undefined });
    await client.shopCipher();
    emu.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.searchOrders({ ...window(), pageSize: 10 })));
    expect(results).toHaveLength(5);
    expect(emu.callsTo('/order/202309/orders/search').filter((c) => c.code === 105002).length).toBeGreaterThanOrEqual(1);
    expect(emu.callsTo('/api/v2/token/refresh')).toHaveLength(1);
    expect(emu.callsTo('/api/v2/token/refresh')[0]!.query).toMatchObject({ grant_type: 'refresh_token', refresh_token: pair.refreshToken });
    expect(vault.saves).toHaveLength(1);
    const saved = vault.saves[0]!;
    expect(saved.accessToken).not.toBe(pair.accessToken);
    expect(emu.accessValid(saved.accessToken!)).toBe(true);
    expect(saved).toMatchObject({ platform: 'tiktok-shop', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret, refreshToken: pair.refreshToken });
  });

  it('a token expiring within 10 minutes is refreshed before the call', async () => {
    const { emu, vault, client, pair } = await setup({ accessTtlSec: 300 });
    await client.searchOrders({ ...window(), pageSize: 10 });
    expect(emu.calls.map((c) => [c.path, c.code])).toEqual([
      ['/api/v2/token/refresh', 0],
      ['/authorization/202309/shops', 0],
      ['/order/202309/orders/search', 0],
    ]);
    expect(vault.peek('tiktok-shop', emu.shopId)!.accessToken).not.toBe(pair.accessToken);
  });

  it('when the refresh token has expired too, the error names the shop and `lcr auth tiktok-shop`, with no secret in it', async () => {
    const { emu, vault, client, pair } = await setup();
    emu.expireAccessTokens();
    emu.expireRefreshTokens();
    const e = await failure(client.searchOrders({ ...window(), pageSize: 10 }));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(new RegExp(`^TikTok Shop shop ${emu.shopId} needs authorizing again \\(.*Expired refresh_token.*\\): run \`lcr auth tiktok-shop\`$`));
    mentionsNoSecret(e, pair.accessToken, pair.refreshToken, emu.appSecret);
    expect(vault.saves).toHaveLength(0);
    // A refresh token the vault already knows to be expired: no call at all.
    const known = await setup({}, { refreshExpiresAt: Date.now() - 1, accessExpiresAt: Date.now() - 1 });
    const again = await failure(known.client.searchOrders({ ...window(), pageSize: 10 }));
    expect(again.message).toContain('its refresh token has expired or is missing');
    expect(known.emu.callsTo('/api/v2/token/refresh')).toHaveLength(0);
    await known.emu.close();
    // Nothing stored: the same advice.
    const none = new TikTokShopClient({ base: emu.url, authBase: emu.authUrl, appKey: emu.appKey, shopId: '1234', vault: new MemoryVault() });
    expect((await failure(none.searchOrders({ ...window(), pageSize: 10 }))).message).toContain('shop 1234 needs authorizing again');
  });

  it('maps failures: HTTP 429 rate-limited, HTTP 500 and code errors by kind, garbage malformed', async () => {
    const { emu, client } = await setup({}, {}, {});
    const q = { ...window(), pageSize: 10 };
    await client.shopCipher();
    emu.failNext(1, 'rateLimit');
    expect(await failure(client.searchOrders(q))).toMatchObject({ kind: 'rateLimited', info: { status: 429, platform: 'tiktok-shop' } });
    emu.failNext(1, 'http500');
    expect((await failure(client.searchOrders(q))).kind).toBe('network');
    emu.failNext(1, 'garbage');
    expect((await failure(client.searchOrders(q))).kind).toBe('malformed');
    emu.failNext(1, 'serverError');
    expect(await failure(client.searchOrders(q))).toMatchObject({ kind: 'refused', info: { code: 36009001 } });
    // One auth answer: refreshed and retried, not a failure.
    emu.failNext(1, 'authExpired');
    await client.searchOrders(q);
    expect(emu.callsTo('/api/v2/token/refresh')).toHaveLength(1);
  });

  it('reads LIVE performance (unverified path) and hands the data back; a 500 with 98001001 is a network failure', async () => {
    const { emu, client } = await setup();
    const start = Date.now() - 3600_000;
    const liveId = emu.addLiveSession({ startMs: start, endMs: start + 1800_000, gmv: '1234.50', skuOrders: 42 });
    const day = new Date(start).toISOString().slice(0, 10);
    const next = new Date(start + 2 * 86_400_000).toISOString().slice(0, 10);
    const data = (await client.livePerformance({ startDate: day, endDate: next })) as { live_stream_sessions: Array<Record<string, unknown>> };
    expect(data.live_stream_sessions[0]).toMatchObject({ id: liveId, sales_performance: { gmv: { amount: '1234.50' }, sku_orders: 42 } });
    expect(emu.callsTo('/analytics/202509/shop_lives/performance')[0]!.query).toMatchObject({ start_date_ge: day, end_date_lt: next, currency: 'LOCAL', shop_cipher: emu.cipher });
    emu.failAnalytics();
    expect(await failure(client.livePerformance({ startDate: day, endDate: next }))).toMatchObject({ kind: 'network', info: { status: 500 } });
    await expect(client.livePerformance({ startDate: 'yesterday', endDate: next })).rejects.toThrow(RangeError);
  });
});
