/**
 * DoudianOrderSource against the 抖店 emulator over loopback HTTP, pushes included: the room's orders
 * and only them, exact 64-bit room ids, refunds, duplicated and reordered pushes, a forged push,
 * token expiry, rate limits, and a missed push caught by reconciliation.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DoudianOrderSource, type DoudianOrderSourceOptions } from '../../electron/core/platforms/doudian/source.ts';
import type { SourceEvent, SourceState } from '../../electron/core/sources/common.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';
import { validateEvent } from '../../shared/protocol.ts';
import { DoudianEmulator, type DoudianEmulatorOptions } from '../emulators/doudian.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { waitFor } from '../helpers/util.ts';

const ROOM = '7312345678901234567';
/** One apart: the same double. */
const OTHER_ROOM = '7312345678901234568';

type Order = Extract<SourceEvent, { type: 'order' }>;

let running: { source: DoudianOrderSource; emu: DoudianEmulator } | null = null;
afterEach(async () => {
  await running?.source.stop();
  await running?.emu.close();
  running = null;
});

async function setup(opts: Partial<DoudianOrderSourceOptions> = {}, emuOpts: DoudianEmulatorOptions = {}) {
  const emu = await DoudianEmulator.start(emuOpts);
  const pair = emu.issuePair();
  const vault = new MemoryVault([{ platform: 'doudian', account: emu.shopId, appId: emu.appKey, appSecret: emu.appSecret, ...pair, updatedAt: 0 }]);
  const events: SourceEvent[] = [];
  const states: SourceState[] = [];
  const sink: RoomSink = { name: 'doudian', push: (es) => void events.push(...es), priceOf: () => undefined };
  let room: string | null = ROOM;
  const source = new DoudianOrderSource({
    sink,
    api: { base: emu.url, appKey: emu.appKey, shopId: emu.shopId },
    vault,
    liveRoomId: () => room,
    pollMs: 150,
    backoff: { initialMs: 30, maxMs: 100 },
    problemBackoff: { initialMs: 50, maxMs: 200 },
    onState: (s) => void states.push(s),
    ...opts,
  });
  running = { source, emu };
  const orders = (): Order[] => events.filter((e): e is Order => e.type === 'order');
  const polls = (): number => emu.callsTo('order.searchList').filter((c) => c.code === 10000).length;
  /** Waits until the source has finished one more poll than now. */
  const nextPoll = async (): Promise<void> => {
    const n = polls();
    await waitFor(() => polls() > n + 1, 'two more searchList answers');
  };
  return { emu, vault, pair, source, events, states, orders, polls, nextPoll, setRoom: (r: string | null) => void (room = r) };
}

const keys = (os: Order[]): string[] => os.map((o) => `${o.orderId}|${o.status}`).sort();

describe('抖店 order source', () => {
  it('polls the room orders and only them: other rooms (one apart beyond 2^53), non-live and unpaid orders are ignored', async () => {
    const t = await setup({ opensSession: true });
    const mine = [t.emu.addOrder({ roomId: ROOM, skus: [{ qty: 2, unitFen: 4990, payFen: 8980 }] }), t.emu.addOrder({ roomId: ROOM, skus: [{ productId: '3691984502923623682', payFen: 12_900 }, { payFen: 990 }] })];
    t.emu.addOrder({ roomId: OTHER_ROOM });
    t.emu.addOrder({ roomId: null });
    t.emu.addOrder({ roomId: ROOM, themeType: 0 });
    t.emu.addOrder({ roomId: ROOM, paid: false });
    t.source.start();
    const want = mine.flatMap((o) => o.skuOrderIds);
    await waitFor(() => t.orders().length >= 3, 'the room orders');
    await t.nextPoll();
    expect(keys(t.orders())).toEqual(want.map((id) => `${id}|paid`).sort());
    expect(t.orders().find((o) => o.orderId === mine[0]!.skuOrderIds[0])).toMatchObject({ productId: '3691984502923623681', qty: 2, amountFen: 8980, status: 'paid' });
    for (const e of t.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
    expect(t.events[0]).toMatchObject({ type: 'session', status: 'live' });
    const st = t.source.state;
    // The session, three SKU orders, and the running totals the report compares with 千川's.
    expect(st).toMatchObject({ source: 'doudian', status: 'live', quarantined: 0 });
    expect(st.events).toBe(t.events.length);
    expect(t.events.filter((e) => e.type === 'totals').at(-1)).toMatchObject({ origin: 'doudian', orders: 3, gmvFen: 8980 + 12_900 + 990 });
    expect(st.ignored).toBeGreaterThanOrEqual(4);
    expect(st.duplicates).toBeGreaterThanOrEqual(3);
    expect(st.target).not.toContain(t.emu.appSecret);
  });

  it('a refund or a cancellation after payment turns paid into refunded at the next poll', async () => {
    const t = await setup();
    const a = t.emu.addOrder({ roomId: ROOM, skus: [{ payFen: 5000 }] });
    const b = t.emu.addOrder({ roomId: ROOM, skus: [{ payFen: 7000 }] });
    t.source.start();
    await waitFor(() => t.orders().length === 2, 'two paid orders');
    t.emu.refund(a.shopOrderId);
    t.emu.cancel(b.shopOrderId);
    await waitFor(() => t.orders().length === 4, 'two refunds');
    expect(t.orders().filter((o) => o.status === 'refunded').map((o) => [o.orderId, o.amountFen])).toEqual(
      expect.arrayContaining([
        [a.skuOrderIds[0], 5000],
        [b.skuOrderIds[0], 7000],
      ]),
    );
    await t.nextPoll();
    expect(t.orders()).toHaveLength(4);
    // Not the room's only source: no session of its own; besides orders, only its totals.
    expect(t.events.every((e) => e.type === 'order' || e.type === 'totals')).toBe(true);
    expect(t.events.filter((e) => e.type === 'totals').at(-1)).toMatchObject({ origin: 'doudian', orders: 2, gmvFen: 12_000, refundFen: 12_000 });
  });

  it('a push port already taken is reported, and orders still come by polling', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const t = await setup({ push: { port } });
      t.emu.addOrder({ roomId: ROOM });
      t.source.start();
      expect(await t.source.pushUrl()).toBeNull();
      expect(t.source.pushError).toBe(`抖店 push receiver could not listen on 127.0.0.1:${port} (EADDRINUSE); orders still come by polling`);
      await waitFor(() => t.orders().length === 1, 'the order by polling');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('pushes (duplicated, reordered) lead to each order once, through orderDetail', async () => {
    const t = await setup({ pollMs: 3_600_000, push: { port: 0 } });
    t.source.start();
    t.emu.pushUrl = await t.source.pushUrl();
    expect(t.emu.pushUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/doudian\/push$/);
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    const placed = [t.emu.addOrder({ roomId: ROOM }), t.emu.addOrder({ roomId: ROOM }), t.emu.addOrder({ roomId: OTHER_ROOM })];
    t.emu.refund(placed[1]!.shopOrderId);
    const messages = [...placed.map((o) => t.emu.pushFor(o.shopOrderId, '101')), t.emu.pushFor(placed[1]!.shopOrderId, '206')];
    const answers = [...(await t.emu.deliver(messages, { duplicate: true, reorder: true })), ...(await t.emu.deliver(messages, { batch: false }))];
    for (const a of answers) expect(a).toEqual({ status: 200, body: '{"code":0,"msg":"success"}' });
    await waitFor(() => t.orders().length === 3 && t.emu.callsTo('order.orderDetail').length >= 3, 'the pushed orders');
    expect(keys(t.orders())).toEqual([`${placed[0]!.skuOrderIds[0]}|paid`, `${placed[1]!.skuOrderIds[0]}|paid`, `${placed[1]!.skuOrderIds[0]}|refunded`].sort());
    expect(t.source.pushStats).toMatchObject({ messages: 4, duplicates: 8, badSignature: 0 });
    expect(t.emu.callsTo('order.searchList')).toHaveLength(1);
  });

  it('a push with a bad signature is refused with fail, counted, and changes nothing', async () => {
    const t = await setup({ pollMs: 3_600_000, push: { port: 0 } });
    t.source.start();
    t.emu.pushUrl = await t.source.pushUrl();
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    const o = t.emu.addOrder({ roomId: ROOM });
    expect(await t.emu.deliver([t.emu.pushFor(o.shopOrderId, '101')], { badSignature: true })).toEqual([{ status: 401, body: '{"code":1,"msg":"fail"}' }]);
    expect(t.source.pushStats).toMatchObject({ badSignature: 1, messages: 0 });
    expect(t.source.state.quarantinedByReason).toEqual({ 'doudian push: bad signature (event-sign or app-id)': 1 });
    expect(t.emu.callsTo('order.orderDetail')).toHaveLength(0);
    expect(t.orders()).toHaveLength(0);
  });

  it('a missed push is caught by reconciliation', async () => {
    const t = await setup({ push: { port: 0 } });
    t.source.start();
    t.emu.pushUrl = await t.source.pushUrl();
    await waitFor(() => t.source.state.status === 'live', 'the first poll');
    const o = t.emu.addOrder({ roomId: ROOM });
    await waitFor(() => t.orders().length === 1, 'the order, by polling');
    expect(t.orders()[0]!.orderId).toBe(o.skuOrderIds[0]);
    expect(t.emu.callsTo('order.orderDetail')).toHaveLength(0);
  });

  it('an expired access token is refreshed and the new pair saved whole, once', async () => {
    const t = await setup();
    t.emu.expireAccessTokens();
    t.emu.addOrder({ roomId: ROOM });
    t.source.start();
    await waitFor(() => t.orders().length === 1, 'the order after a refresh');
    expect(t.emu.callsTo('token.refresh')).toHaveLength(1);
    expect(t.vault.saves).toHaveLength(1);
    const saved = t.vault.saves[0]!;
    expect(saved.accessToken).not.toBe(t.pair.accessToken);
    expect(t.emu.pairOf(saved.accessToken!)).toBe(saved.refreshToken);
    expect(saved.appSecret).toBe(t.emu.appSecret);
    await t.nextPoll();
    expect(t.emu.callsTo('token.refresh')).toHaveLength(1);
    expect(t.states.map((s) => s.status)).not.toContain('failed');
  });

  it('an authorization that cannot be refreshed stops the source with what to do, and no secret in the state', async () => {
    const t = await setup();
    t.emu.expireAccessTokens();
    t.emu.expireRefreshTokens();
    t.source.start();
    await waitFor(() => t.source.state.status === 'failed', 'failed');
    const st = t.source.state;
    expect(st.error).toContain(`抖店 shop ${t.emu.shopId} needs authorizing again`);
    expect(st.error).toContain('lcr auth doudian');
    for (const secret of [t.pair.accessToken, t.pair.refreshToken, t.emu.appSecret]) expect(JSON.stringify(st)).not.toContain(secret);
  });

  it('rate-limit answers back off and ask again without failing', async () => {
    const t = await setup();
    t.emu.addOrder({ roomId: ROOM });
    t.emu.failNext(3, 'rateLimit', ['order.searchList']);
    t.source.start();
    await waitFor(() => t.orders().length === 1, 'the order after the limits');
    await waitFor(() => t.source.state.status === 'live', 'live again');
    expect(t.states.some((s) => s.status === 'reconnecting' && s.problem === 'rateLimited')).toBe(true);
    expect(t.states.map((s) => s.status)).not.toContain('failed');
    expect(t.emu.callsTo('order.searchList').filter((c) => c.code === 60000)).toHaveLength(3);
  });

  it('server errors retry with backoff; a window read half-way is read again whole', async () => {
    const t = await setup({ pageSize: 2 });
    for (let i = 0; i < 5; i++) t.emu.addOrder({ roomId: ROOM });
    t.emu.failNext(1, 'serverBusy', ['order.searchList']);
    t.emu.failNext(1, 'http500', ['order.searchList']);
    t.source.start();
    await waitFor(() => t.orders().length === 5, 'all five orders over pages of 2');
    const pages = t.emu.callsTo('order.searchList').filter((c) => c.code === 10000).map((c) => c.params!.page);
    expect(pages.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('waits for the room id; once known, orders since the start are read; a new room reads again from the start', async () => {
    const t = await setup();
    t.setRoom(null);
    const first = t.emu.addOrder({ roomId: ROOM });
    const second = t.emu.addOrder({ roomId: OTHER_ROOM });
    t.source.start();
    await waitFor(() => t.source.state.error?.startsWith('waiting for the live room id'), 'waiting for the room');
    expect(t.emu.callsTo('order.searchList')).toHaveLength(0);
    t.setRoom(ROOM);
    await waitFor(() => t.orders().length === 1, 'the first room order');
    expect(t.orders()[0]!.orderId).toBe(first.skuOrderIds[0]);
    t.setRoom(OTHER_ROOM);
    await waitFor(() => t.orders().length === 2, 'the new room order');
    expect(t.orders()[1]!.orderId).toBe(second.skuOrderIds[0]);
  });
});
