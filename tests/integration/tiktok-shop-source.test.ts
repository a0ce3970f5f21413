/**
 * TikTokShopOrderSource against the TikTok Shop emulator over loopback HTTP, webhooks included: the
 * LIVE attribution rule (window, products), refunds, page tokens, token expiry, failures, the
 * platform's LIVE totals beside ours, and an analytics endpoint that fails without stopping orders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TikTokShopOrderSource, type TikTokShopSourceOptions } from '../../electron/core/platforms/tiktok-shop/source.ts';
import type { SourceEvent, SourceState } from '../../electron/core/sources/common.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';
import { validateEvent } from '../../shared/protocol.ts';
import { TikTokShopEmulator, type TikTokShopEmulatorOptions } from '../emulators/tiktok-shop.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { waitFor } from '../helpers/util.ts';

type Order = Extract<SourceEvent, { type: 'order' }>;
type Totals = Extract<SourceEvent, { type: 'totals' }>;
const PRODUCT = '1729582718312380123';
const OTHER = '1729582718312380124';

let running: { source: TikTokShopOrderSource; emu: TikTokShopEmulator } | null = null;
afterEach(async () => {
  await running?.source.stop();
  await running?.emu.close();
  running = null;
});

async function setup(opts: Partial<TikTokShopSourceOptions> = {}, emuOpts: TikTokShopEmulatorOptions = {}) {
  const emu = await TikTokShopEmulator.start(emuOpts);
  const pair = emu.issuePair();
  const vault = new MemoryVault([{ platform: 'tiktok-shop', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret, ...pair, updatedAt: 0 }]);
  const events: SourceEvent[] = [];
  const states: SourceState[] = [];
  const sink: RoomSink = { name: 'tiktok-shop', push: (es) => void events.push(...es), priceOf: () => undefined };
  const live = { startedAt: Date.now() - 30 * 60_000, endedAt: null as number | null };
  let window: typeof live | null = live;
  let products: Set<string> | null = null;
  const source = new TikTokShopOrderSource({
    sink,
    api: { base: emu.url, authBase: emu.authUrl, appKey: emu.appKey, shopId: emu.shopId },
    vault,
    liveWindow: () => window,
    shownProducts: () => products,
    pollMs: 150,
    backoff: { initialMs: 30, maxMs: 100 },
    problemBackoff: { initialMs: 50, maxMs: 200 },
    onState: (s) => void states.push(s),
    ...opts,
  });
  running = { source, emu };
  const orders = (): Order[] => events.filter((e): e is Order => e.type === 'order');
  const totals = (origin: string): Totals[] => events.filter((e): e is Totals => e.type === 'totals' && e.origin === origin);
  const polls = (): number => emu.callsTo('/order/202309/orders/search').filter((c) => c.code === 0).length;
  const nextPoll = async (): Promise<void> => {
    const n = polls();
    await waitFor(() => polls() > n + 1, 'two more search answers');
  };
  return {
    emu,
    vault,
    pair,
    source,
    events,
    states,
    orders,
    totals,
    polls,
    nextPoll,
    live,
    setWindow: (w: typeof live | null) => void (window = w),
    setProducts: (p: Set<string> | null) => void (products = p),
  };
}

const keys = (os: Order[]): string[] => os.map((o) => `${o.orderId}|${o.status}`).sort();

describe('TikTok Shop order source', () => {
  it('window rule: orders paid in the LIVE count, before it or unpaid do not; totals carry currency and rule', async () => {
    const t = await setup({ opensSession: true });
    const a = t.emu.addOrder({ items: [{ price: '12.90', qty: 2 }], at: t.live.startedAt + 60_000 });
    const b = t.emu.addOrder({ items: [{ productId: OTHER, skuId: '2729382476852921599', price: '5.00' }], at: t.live.startedAt + 120_000 });
    t.emu.addOrder({ at: t.live.startedAt - 60_000 });
    t.emu.addOrder({ paid: false, at: t.live.startedAt + 60_000 });
    t.source.start();
    await waitFor(() => t.orders().length >= 2, 'the LIVE orders');
    await t.nextPoll();
    expect(keys(t.orders())).toEqual([`${a.orderId}:2729382476852921560|paid`, `${b.orderId}:2729382476852921599|paid`].sort());
    expect(t.orders().find((o) => o.orderId.startsWith(a.orderId))).toMatchObject({ productId: PRODUCT, qty: 2, amountFen: 2580, currency: 'USD' });
    for (const e of t.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
    expect(t.events[0]).toMatchObject({ type: 'session', status: 'live' });
    expect(t.totals('tiktok-shop').at(-1)).toMatchObject({ gmvFen: 3080, orders: 2, refundFen: 0, currency: 'USD', rule: 'window' });
    expect(t.source.rule).toBe('window');
    expect(t.source.currency).toBe('USD');
    expect(t.source.state).toMatchObject({ source: 'tiktok-shop', status: 'live', quarantined: 0 });
    expect(t.source.state.target).not.toContain(t.emu.appSecret);
  });

  it('window+products: only line items of shown products count; after the end plus the grace nothing counts', async () => {
    const t = await setup({ afterEndMs: 60_000 });
    t.setProducts(new Set([OTHER]));
    t.setWindow({ startedAt: t.live.startedAt, endedAt: t.live.startedAt + 10 * 60_000 });
    const mixed = t.emu.addOrder({ items: [{ price: '10.00' }, { productId: OTHER, skuId: '77', price: '4.50' }], at: t.live.startedAt + 60_000 });
    t.emu.addOrder({ items: [{ price: '10.00' }], at: t.live.startedAt + 90_000 });
    const grace = t.emu.addOrder({ items: [{ productId: OTHER, skuId: '78', price: '1.00' }], at: t.live.startedAt + 10 * 60_000 + 30_000 });
    t.emu.addOrder({ items: [{ productId: OTHER, skuId: '79', price: '1.00' }], at: t.live.startedAt + 10 * 60_000 + 120_000 });
    t.source.start();
    await waitFor(() => t.orders().length >= 2, 'the shown-product orders');
    await t.nextPoll();
    expect(keys(t.orders())).toEqual([`${mixed.orderId}:77|paid`, `${grace.orderId}:78|paid`].sort());
    expect(t.totals('tiktok-shop').at(-1)).toMatchObject({ gmvFen: 550, orders: 2, rule: 'window+products' });
  });

  it('VND orders (exponent 0), ids beyond 2^53 exact, pages by next_page_token', async () => {
    const t = await setup({ pageSize: 2 });
    const placed = Array.from({ length: 5 }, (_, i) => t.emu.addOrder({ currency: 'VND', items: [{ price: String(259_000 + i) }], at: t.live.startedAt + (i + 1) * 1000 }));
    t.source.start();
    await waitFor(() => t.orders().length === 5, 'five VND orders over pages of 2');
    expect(t.orders().map((o) => [o.orderId.split(':')[0], o.amountFen, o.currency]).sort()).toEqual(placed.map((p, i) => [p.orderId, 259_000 + i, 'VND']).sort());
    expect(Number(placed[0]!.orderId).toString()).not.toBe(placed[0]!.orderId);
    const tokens = t.emu.callsTo('/order/202309/orders/search').slice(0, 3).map((c) => c.query.page_token ?? '');
    expect(tokens[0]).toBe('');
    expect(tokens[1]).not.toBe('');
    expect(t.totals('tiktok-shop').at(-1)).toMatchObject({ currency: 'VND', gmvFen: 5 * 259_000 + 10 });
  });

  it('a refund and a cancellation after payment turn paid into refunded at the next poll', async () => {
    const t = await setup();
    const a = t.emu.addOrder({ items: [{ price: '50.00' }], at: t.live.startedAt + 1000 });
    const b = t.emu.addOrder({ items: [{ price: '70.00', qty: 2 }], at: t.live.startedAt + 2000 });
    t.source.start();
    await waitFor(() => t.orders().length === 2, 'two paid orders');
    t.emu.cancel(a.orderId);
    t.emu.refund(b.orderId, { items: [0] });
    await waitFor(() => t.orders().length === 4, 'two refunds');
    expect(t.orders().filter((o) => o.status === 'refunded').map((o) => [o.orderId.split(':')[0], o.amountFen, o.qty])).toEqual(
      expect.arrayContaining([
        [a.orderId, 5000, 1],
        [b.orderId, 7000, 1],
      ]),
    );
    expect(t.totals('tiktok-shop').at(-1)).toMatchObject({ orders: 2, gmvFen: 19_000, refundFen: 12_000 });
  });

  it('webhooks (duplicated, reordered, retried until 200) lead to each order once through the detail call; a forged one changes nothing', async () => {
    const t = await setup({ pollMs: 3_600_000, webhook: { port: 0 } });
    t.source.start();
    t.emu.webhookUrl = await t.source.webhookUrl();
    expect(t.emu.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tiktok-shop\/webhook$/);
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    const placed = [t.emu.addOrder(), t.emu.addOrder()];
    const notes = placed.map((o) => t.emu.orderNotification(o.orderId));
    const answers = await t.emu.deliver(notes, { duplicate: true, reorder: true });
    for (const a of answers) expect(a.status).toBe(200);
    await waitFor(() => t.orders().length === 2, 'the notified orders');
    expect(t.source.pushStats).toMatchObject({ notices: 2, duplicates: 2, badSignature: 0 });
    expect(t.source.pushes).toBe(true);
    const forged = await t.emu.deliver([t.emu.orderNotification(t.emu.addOrder().orderId)], { badSignature: true, maxAttempts: 3 });
    expect(forged).toEqual([{ status: 401, body: '{"code":1,"message":"fail"}' }]);
    expect(t.source.pushStats).toMatchObject({ badSignature: 3, notices: 2 });
    expect(t.emu.callsTo('/order/202309/orders/search')).toHaveLength(1);
    expect(t.orders()).toHaveLength(2);
  });

  it('a detail call that fails leaves the order to reconciliation', async () => {
    const t = await setup({ pollMs: 400, webhook: { port: 0 } });
    t.source.start();
    t.emu.webhookUrl = await t.source.webhookUrl();
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    const o = t.emu.addOrder();
    t.emu.failNext(1, 'http500', ['/order/202309/orders']);
    await t.emu.deliver([t.emu.orderNotification(o.orderId)]);
    await waitFor(() => t.source.detailFailures === 1, 'the failed detail');
    await waitFor(() => t.orders().length === 1, 'the order by polling');
    expect(t.orders()[0]!.orderId.startsWith(o.orderId)).toBe(true);
  });

  it('a seller deauthorization stops the source with what to do', async () => {
    const t = await setup({ pollMs: 3_600_000, webhook: { port: 0 } });
    t.source.start();
    t.emu.webhookUrl = await t.source.webhookUrl();
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    await t.emu.deliver([t.emu.notification(6, { message: 'Shop is deauthorized from your APP by merchant.' })]);
    await waitFor(() => t.source.state.status === 'failed', 'failed');
    expect(t.source.state.error).toContain('lcr auth tiktok-shop');
  });

  it('an expired access token is refreshed and saved once; an expired refresh token stops with `lcr auth tiktok-shop` and no secret', async () => {
    const t = await setup();
    t.emu.expireAccessTokens();
    t.emu.addOrder({ at: t.live.startedAt + 1000 });
    t.source.start();
    await waitFor(() => t.orders().length === 1, 'the order after a refresh');
    expect(t.emu.callsTo('/api/v2/token/refresh')).toHaveLength(1);
    expect(t.vault.saves).toHaveLength(1);
    await t.source.stop();
    await t.emu.close();
    const u = await setup();
    u.emu.expireAccessTokens();
    u.emu.expireRefreshTokens();
    u.source.start();
    await waitFor(() => u.source.state.status === 'failed', 'failed');
    expect(u.source.state.error).toContain(`TikTok Shop shop ${u.emu.shopId} needs authorizing again`);
    expect(u.source.state.error).toContain('lcr auth tiktok-shop');
    for (const secret of [u.pair.accessToken, u.pair.refreshToken, u.emu.appSecret]) expect(JSON.stringify(u.source.state)).not.toContain(secret);
  });

  it('rate limits back off without failing; server errors and garbage retry', async () => {
    const t = await setup();
    t.emu.addOrder({ at: t.live.startedAt + 1000 });
    t.source.start();
    await waitFor(() => t.source.state.status === 'live', 'live');
    t.emu.failNext(2, 'rateLimit', ['/order/202309/orders/search']);
    t.emu.failNext(1, 'http500', ['/order/202309/orders/search']);
    t.emu.failNext(1, 'garbage', ['/order/202309/orders/search']);
    await waitFor(() => t.emu.callsTo('/order/202309/orders/search').filter((c) => c.code === 0).length >= 3, 'polls after the faults');
    expect(t.states.some((s) => s.status === 'reconnecting' && s.problem === 'rateLimited')).toBe(true);
    expect(t.states.map((s) => s.status)).not.toContain('failed');
    expect(t.orders()).toHaveLength(1);
  });

  it('waits for the LIVE window; a new broadcast reads again from its start', async () => {
    const t = await setup();
    t.setWindow(null);
    t.emu.addOrder({ at: t.live.startedAt + 1000 });
    t.source.start();
    await waitFor(() => t.source.state.error?.startsWith("waiting for the LIVE's start"), 'waiting for the window');
    expect(t.emu.callsTo('/order/202309/orders/search')).toHaveLength(0);
    t.setWindow(t.live);
    await waitFor(() => t.orders().length === 1, 'the order once the window is known');
  });

  it('LIVE analytics: the overlapping session becomes a tiktok-shop-live totals event beside the order totals', async () => {
    const t = await setup();
    t.emu.addLiveSession({ startMs: t.live.startedAt - 3 * 3600_000, endMs: t.live.startedAt - 2 * 3600_000, gmv: '999.00', skuOrders: 9 });
    const id = t.emu.addLiveSession({ startMs: t.live.startedAt + 5000, endMs: null, gmv: '1234.56', skuOrders: 42 });
    t.emu.addOrder({ at: t.live.startedAt + 1000 });
    t.source.start();
    await waitFor(() => t.totals('tiktok-shop-live').length === 1, 'the LIVE totals');
    expect(t.totals('tiktok-shop-live')[0]).toMatchObject({ gmvFen: 123_456, orders: 42, currency: 'USD', rule: `live:${id}` });
    expect(t.source.liveSession?.id).toBe(id);
    expect(t.source.analyticsNote).toBeNull();
  });

  it('analytics failing with HTTP 500 / 98001001 is a note; orders keep coming; once the window ends they are read at once', async () => {
    const t = await setup();
    t.emu.failAnalytics();
    t.emu.addOrder({ at: t.live.startedAt + 1000 });
    t.source.start();
    await waitFor(() => t.source.analyticsNote !== null, 'the analytics note');
    expect(t.source.analyticsNote).toContain('orders are unaffected');
    await waitFor(() => t.orders().length === 1, 'the order');
    t.emu.addOrder({ at: Date.now() });
    await waitFor(() => t.orders().length === 2, 'a later order');
    expect(t.source.state.status).toBe('live');
    t.emu.failAnalytics(false);
    t.emu.addLiveSession({ startMs: t.live.startedAt, endMs: Date.now(), gmv: '25.80', skuOrders: 2 });
    const reads = t.emu.callsTo('/analytics/202509/shop_lives/performance').length;
    t.setWindow({ startedAt: t.live.startedAt, endedAt: Date.now() });
    await waitFor(() => t.totals('tiktok-shop-live').length === 1, 'the LIVE totals after the end');
    expect(t.emu.callsTo('/analytics/202509/shop_lives/performance').length).toBe(reads + 1);
    expect(t.source.analyticsNote).toBeNull();
    expect(t.totals('tiktok-shop-live')[0]).toMatchObject({ gmvFen: 2580, orders: 2 });
  });
});
