/**
 * DoudianClient against the 抖店 emulator over real loopback HTTP: signatures, the envelope and its
 * error kinds, tokens (create, refresh before expiry and on an auth answer, one refresh for many
 * callers, the pair saved whole), paging, 64-bit ids.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DoudianClient } from '../../electron/core/platforms/doudian/client.ts';
import { isPlatformError, type PlatformError } from '../../electron/core/platforms/common/errors.ts';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { DoudianEmulator, type DoudianEmulatorOptions } from '../emulators/doudian.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';

const ROOM = '7312345678901234567';
let emu: DoudianEmulator | null = null;

afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function setup(opts: DoudianEmulatorOptions = {}, record: Partial<AccountRecord> | null = {}) {
  emu = await DoudianEmulator.start(opts);
  const pair = emu.issuePair();
  const seed: AccountRecord[] = record === null ? [] : [{ platform: 'doudian', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret, ...pair, updatedAt: 0, ...record }];
  const vault = new MemoryVault(seed);
  const client = new DoudianClient({ base: emu.url, appKey: emu.appKey, shopId: emu.shopId, vault });
  return { emu, vault, client, pair };
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

describe('抖店 client', () => {
  it('creates a token (authorization_self) and saves the whole record; calls are signed and carry the new-code header', async () => {
    const { emu, vault, client } = await setup({}, null);
    const summary = await client.createToken({ appSecret: emu.appSecret });
    expect(summary).toMatchObject({ shopId: emu.shopId, shopName: '清透美妆旗舰店' });
    expect(summary.accessExpiresAt! - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    const saved = vault.peek('doudian', emu.shopId)!;
    expect(saved).toMatchObject({ appId: emu.appKey, appSecret: emu.appSecret });
    expect(emu.pairOf(saved.accessToken!)).toBe(saved.refreshToken);
    const create = emu.callsTo('token.create')[0]!;
    expect(create).toMatchObject({ code: 10000, hasAccessToken: false, noOldErrCode: true });
    expect(create.params).toEqual({ code: '', grant_type: 'authorization_self', shop_id: Number(emu.shopId), auth_id: null, auth_subject_type: null });
    expect(await client.searchList({ updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 })).toMatchObject({ total: 0, shopOrders: [] });
    expect(emu.callsTo('order.searchList')[0]).toMatchObject({ code: 10000, hasAccessToken: true });
  });

  it('creates a token with an authorization code; a wrong code is an auth error naming the shop, in the platform words', async () => {
    const { emu, vault, client } = await setup({}, null);
    await client.createToken({ code: emu.issueCode(), appSecret: emu.appSecret });
    expect(vault.saves).toHaveLength(1);
    const e = await failure(client.createToken({ code: 'not-a-code' }));
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(`抖店 shop ${emu.shopId} could not be authorized: 抖店 token.create: 平台处理失败 — 生成token失败，code参数不正确，请引导商家重新授权获取code (code 50001, dop.token-generate-failed:code-invalid)`);
    mentionsNoSecret(e, emu.appSecret, vault.saves[0]!.accessToken!, vault.saves[0]!.refreshToken!);
  });

  it('pages order.searchList from 0 by update_time, ascending, and sends the SDK request shape', async () => {
    const { emu, client } = await setup();
    const t0 = Date.now() - 600_000;
    for (let i = 0; i < 230; i++) emu.addOrder({ roomId: ROOM, at: t0 + i * 1000 });
    const q = { updateTimeStart: Math.floor(t0 / 1000), updateTimeEnd: Math.floor(t0 / 1000) + 229, size: 100, asc: true };
    const pages = [await client.searchList({ ...q, page: 0 }), await client.searchList({ ...q, page: 1 }), await client.searchList({ ...q, page: 2 })];
    expect(pages.map((p) => [p.total, p.shopOrders.length])).toEqual([
      [230, 100],
      [230, 100],
      [230, 30],
    ]);
    const times = pages.flatMap((p) => p.shopOrders.map((o) => (o as { update_time: number }).update_time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(emu.callsTo('order.searchList')[0]!.params).toEqual({ update_time_start: q.updateTimeStart, update_time_end: q.updateTimeEnd, page: 0, size: 100, order_by: 'update_time', order_asc: true });
    // Descending: order_asc is left out, as the SDK's omitempty does.
    await client.searchList({ ...q, page: 0, asc: false });
    expect(emu.callsTo('order.searchList').at(-1)!.params).not.toHaveProperty('order_asc');
    await expect(client.searchList({ ...q, page: 0, size: 101 })).rejects.toThrow(RangeError);
  });

  it('the emulator refuses what the platform refuses: size over 100, a wrong signature, a stale timestamp', async () => {
    const { emu, pair } = await setup();
    const call = async (params: string, opts: { secret?: string; ts?: number } = {}) => {
      const ts = opts.ts ?? Math.floor(Date.now() / 1000);
      const secret = opts.secret ?? emu.appSecret;
      const sign = createHmac('sha256', secret).update(`${secret}app_key${emu.appKey}methodorder.searchListparam_json${params}timestamp${ts}v2${secret}`).digest('hex');
      const q = new URLSearchParams({ app_key: emu.appKey, method: 'order.searchList', timestamp: String(ts), v: '2', sign, sign_method: 'hmac-sha256', access_token: pair.accessToken });
      const res = await fetch(`${emu.url}/order/searchList?${q.toString()}`, { method: 'POST', body: params });
      return (await res.json()) as { code: number; sub_code: string };
    };
    expect((await call('{"page":0,"size":100}')).code).toBe(10000);
    expect(await call('{"page":0,"size":101}')).toMatchObject({ code: 40004, sub_code: 'isv.parameter-invalid:size' });
    expect(await call('{"page":0,"size":10}', { secret: 'wrong' })).toMatchObject({ code: 40003, sub_code: 'isv.signature-invalid' });
    expect(await call('{"page":0,"size":10}', { ts: Math.floor(Date.now() / 1000) - 3600 })).toMatchObject({ code: 40003, sub_code: 'isv.timestamp-invalid' });
  });

  it('orderDetail returns the shop order with 64-bit ids exact and amounts in fen', async () => {
    const { emu, client } = await setup();
    const { shopOrderId, skuOrderIds } = emu.addOrder({ roomId: ROOM, skus: [{ qty: 3, unitFen: 3990, payFen: 10_970 }] });
    const detail = (await client.orderDetail(shopOrderId)) as { order_id: string; sku_order_list: Array<Record<string, unknown>> };
    expect(detail.order_id).toBe(shopOrderId);
    expect(detail.sku_order_list[0]).toMatchObject({ order_id: skuOrderIds[0], room_id: ROOM, room_id_str: ROOM, product_id: '3691984502923623681', item_num: 3, pay_amount: 10_970, theme_type: '1' });
    // The text really carries bare numbers: a plain JSON.parse would have rounded the room id.
    expect(emu.shopOrderJson(shopOrderId)).toContain(`"room_id":${ROOM},`);
    expect(parseApiJson(emu.shopOrderJson(shopOrderId))).toMatchObject({ sku_order_list: [{ room_id: ROOM }] });
    const missing = await failure(client.orderDetail('6920000000000099999'));
    expect(missing).toMatchObject({ kind: 'refused', info: { code: 50002, endpoint: '/order/orderDetail' } });
  });

  it('an access token that expired on the platform is refreshed once, retried once, and the new pair saved whole', async () => {
    const { emu, vault, client, pair } = await setup();
    emu.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.searchList({ updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 })));
    expect(results).toHaveLength(5);
    expect(emu.callsTo('token.refresh')).toHaveLength(1);
    expect(vault.saves).toHaveLength(1);
    const saved = vault.saves[0]!;
    expect(saved.accessToken).not.toBe(pair.accessToken);
    expect(saved.refreshToken).not.toBe(pair.refreshToken);
    expect(emu.pairOf(saved.accessToken!)).toBe(saved.refreshToken);
    expect(saved).toMatchObject({ platform: 'doudian', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret });
    expect(saved.accessExpiresAt! - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect(saved.refreshExpiresAt! - Date.now()).toBeGreaterThan(13 * 86_400_000);
  });

  it('an access token expiring within 10 minutes is refreshed before the call; the old pair stays valid for the hour', async () => {
    const { emu, vault, client, pair } = await setup({ accessTtlSec: 300 });
    await client.searchList({ updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 });
    expect(emu.calls.map((c) => [c.method, c.code])).toEqual([
      ['token.refresh', 10000],
      ['order.searchList', 10000],
    ]);
    const saved = vault.peek('doudian', emu.shopId)!;
    expect(saved.accessToken).not.toBe(pair.accessToken);
    expect(emu.accessValid(pair.accessToken)).toBe(true);
  });

  it('a refresh more than an hour before expiry returns the same pair (the platform rule), and is still saved whole', async () => {
    const { emu, vault, client, pair } = await setup();
    await client.refreshToken();
    expect(vault.saves[0]).toMatchObject({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, refreshExpiresAt: pair.refreshExpiresAt });
    expect(emu.callsTo('token.refresh')).toHaveLength(1);
  });

  it('when the refresh token has expired too, the error names the shop and `lcr auth doudian`, without a token in it', async () => {
    const { emu, vault, client, pair } = await setup();
    emu.expireAccessTokens();
    emu.expireRefreshTokens();
    const e = await failure(client.searchList({ updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 }));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(new RegExp(`抖店 shop ${emu.shopId} needs authorizing again .*: run \`lcr auth doudian\``));
    mentionsNoSecret(e, pair.accessToken, pair.refreshToken, emu.appSecret);
    expect(vault.saves).toHaveLength(0);
    // Nothing stored for a shop: the same advice.
    const none = new DoudianClient({ base: emu.url, appKey: emu.appKey, shopId: '1234', vault: new MemoryVault() });
    expect((await failure(none.searchList({ updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 }))).message).toContain('shop 1234 needs authorizing again');
  });

  it('maps the envelope: 60000 rate-limited, 20000 and HTTP 500 network, garbage malformed, a wrong secret refused with the platform words', async () => {
    const { emu, client } = await setup();
    const q = { updateTimeStart: 1, updateTimeEnd: 2, page: 0, size: 10 };
    emu.failNext(1, 'rateLimit');
    expect(await failure(client.searchList(q))).toMatchObject({ kind: 'rateLimited', info: { code: 60000, platform: 'doudian', endpoint: '/order/searchList' } });
    emu.failNext(1, 'serverBusy');
    expect((await failure(client.searchList(q))).kind).toBe('network');
    emu.failNext(1, 'http500');
    expect((await failure(client.searchList(q))).kind).toBe('network');
    emu.failNext(1, 'garbage');
    expect((await failure(client.searchList(q))).kind).toBe('malformed');
    const wrong = new DoudianClient({ base: emu.url, appKey: emu.appKey, shopId: emu.shopId, vault: new MemoryVault([{ platform: 'doudian', account: emu.shopId, appId: emu.appKey, appSecret: 'not-the-secret', accessToken: 'a'.repeat(32), refreshToken: 'b'.repeat(32), accessExpiresAt: Date.now() + 86_400_000, refreshExpiresAt: null, updatedAt: 0 }]) });
    const refused = await failure(wrong.searchList(q));
    expect(refused).toMatchObject({ kind: 'refused', info: { code: 40003 } });
    expect(refused.message).toBe('抖店 order.searchList: 非法的参数（平台校验） — 签名校验失败 (code 40003, isv.signature-invalid)');
    expect(refused.info.requestId).toMatch(/^2024/);
    mentionsNoSecret(refused, 'not-the-secret', 'a'.repeat(32));
  });
});
