/**
 * Stable under the hand (issue 15, point 4), the parts that need no browser: each room's KPI
 * history survives while other rooms are shown, so a room switch shows the last-minute changes at
 * once (they were blank for a show-minute — exactly when an operator switches); the board's order
 * holds under the pointer; a pin is pending until the feed confirms it, the segment card never
 * contradicting the board meanwhile, and a confirmed pin can be undone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore, connectStores, selectRoom } from '../../renderer/src/lib/store.ts';
import { KpiStrip } from '../../renderer/src/features/live/KpiStrip.tsx';
import { KpiHistory } from '../../shared/metrics/kpi-history.ts';
import { ProductBoard, heldRows, sortRows } from '../../renderer/src/features/live/ProductBoard.tsx';
import { SegmentCard } from '../../renderer/src/features/live/SegmentCard.tsx';
import { pinProduct, pinUi, undoPin } from '../../renderer/src/features/live/pin-actions.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Kpis, ProductRow, SegmentRow } from '../../shared/metrics/types.ts';
import type { Push, RoomDetail, RoomView } from '../../shared/contract.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
pinUi.getInitialState = () => pinUi.getState();
beforeEach(() => appStore.setState(initial, true));

function kpis(gmvFen: number): Kpis {
  return {
    durationSec: 600, peakOnline: 900, avgOnline: 700, uv: 5000, pv: 6000, avgWatchSec: 80, gmvFen, refundFen: 0, orders: 300, items: 320, buyers: 280, gpm: 205.76,
    uvValue: 24.69, itemPrice: 385.8, orderValue: 440.9, exposures: 20000, clicks: 1200, ctr: 0.06, clickToOrder: 0.025, viewToOrder: 0.05, viewToBuyer: 0.056,
    newFollowers: 120, followRate: 0.024, fansclubJoins: 12, comments: 800, likes: 9000, shares: 40, giftFen: 0, adSpendFen: 0, adGmvFen: 0, roi: null, adRoi: null,
    breakEvenRoi: null, entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: 812,
  };
}

function view(roomId: string, t: number, gmvFen: number): RoomView {
  return { roomId, platform: 'sim', title: roomId, status: 'live', session: { sessionId: `${roomId}@0`, roomId, platform: 'sim', title: roomId, startedAt: 0, endedAt: null }, kpis: kpis(gmvFen), windowEnd: t };
}

describe('KpiHistory', () => {
  it('answers with the newest snapshot at least a minute old, and keeps two minutes', () => {
    const h = new KpiHistory();
    for (let t = 0; t <= 180_000; t += 10_000) h.add(t, kpis(t));
    expect(h.ago(180_000)?.ts).toBe(120_000);
    expect(h.ago(175_000)?.ts).toBe(110_000);
    expect(h.ago(50_000)).toBeNull();
    // Older than two minutes before the newest: gone (the one just before the window stays).
    expect(h.ago(60_000 + 40_000)).toBeNull();
  });

  it('takes an older snapshot from the core in front, and ignores snapshots closer than a second', () => {
    const h = new KpiHistory();
    h.add(100_000, kpis(1));
    h.add(100_500, kpis(2));
    h.seed({ ts: 30_000, kpis: kpis(0) });
    expect(h.ago(100_500)?.kpis.gmvFen).toBe(0);
    expect(h.ago(160_000)?.kpis.gmvFen).toBe(1);
  });
});

describe('switching rooms', () => {
  it('shows the new room\'s last-minute changes at once, from the pushes it got while another room was shown', async () => {
    let push: (p: Push) => void = () => {};
    const requests: string[] = [];
    // getRoom answers only when the test says so: what shows before it is what the switch itself shows.
    let answer: (d: RoomDetail) => void = () => {};
    const transport = {
      onState: () => () => {},
      onPush: (l: (p: Push) => void) => ((push = l), () => {}),
      request: (name: string) => {
        requests.push(name);
        if (name === 'getRoom') return new Promise((resolve) => (answer = (d) => resolve({ ok: true, value: d })));
        return Promise.resolve({ ok: false, error: 'not in this test' });
      },
    } as unknown as Transport;
    connectStores(transport);
    appStore.setState({ selectedRoomId: 'a', room: view('a', 0, 0), rooms: [view('a', 0, 0), view('b', 0, 0)] });
    // Two minutes of both rooms; room a is on screen.
    for (let t = 0; t <= 120_000; t += 5_000) {
      for (const id of ['a', 'b']) push({ topic: 'room', payload: { roomId: id, view: view(id, t, t * (id === 'a' ? 1 : 2)), minutes: [], reset: false, pinnedProductId: null } });
    }
    const switching = selectRoom(transport, 'b');
    // Before the room's detail comes back: b's own figures and its change over the last minute.
    expect(appStore.getState().room?.roomId).toBe('b');
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(120_000);
    const html = renderToStaticMarkup(<KpiStrip />);
    expect(html).toMatch(/data-testid="kpi-delta-gmvFen">近1分钟 \+¥1,200</);
    expect(html).not.toContain('近1分钟 —');
    answer({ ...view('b', 120_000, 240_000), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: true, demand: null, markers: [], kpisMinuteAgo: null });
    await switching;
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(120_000);
    expect(requests).toContain('getRoom');
  });

  it('shows the changes at once for a room this screen has followed for less than a minute, from the core\'s minute-ago KPIs in its pushes', () => {
    let push: (p: Push) => void = () => {};
    const transport = {
      onState: () => () => {},
      onPush: (l: (p: Push) => void) => ((push = l), () => {}),
      // getRoom never answers: the switch must show the deltas from what the pushes brought.
      request: (name: string) => (name === 'getRoom' ? new Promise(() => {}) : Promise.resolve({ ok: false, error: 'not in this test' })),
    } as unknown as Transport;
    connectStores(transport);
    appStore.setState({ selectedRoomId: 'a', room: view('a', 0, 0), rooms: [view('a', 0, 0)] });
    // The page opened 30 s of show ago; room d's pushes carry the core's snapshot of a minute before.
    for (let t = 600_000; t <= 630_000; t += 5_000) push({ topic: 'room', payload: { roomId: 'd', view: { ...view('d', t, t), kpisMinuteAgo: { ts: t - 62_000, kpis: kpis(t - 62_000) } }, minutes: [], reset: false, pinnedProductId: null } });
    void selectRoom(transport, 'd');
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(568_000);
    expect(renderToStaticMarkup(<KpiStrip />)).not.toContain('近1分钟 —');
  });

  it('fills a room never pushed yet from the core\'s own minute-ago figures', async () => {
    const transport = {
      onState: () => () => {},
      onPush: () => () => {},
      request: (name: string) =>
        Promise.resolve(
          name === 'getRoom'
            ? { ok: true, value: { ...view('c', 300_000, 90_000), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: true, demand: null, markers: [], kpisMinuteAgo: { ts: 238_000, kpis: kpis(60_000) } } }
            : { ok: false, error: 'no' },
        ),
    } as unknown as Transport;
    await selectRoom(transport, 'c');
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(60_000);
  });
});

describe('the product board under the pointer', () => {
  const row = (id: string, gmvFen: number): ProductRow => ({
    productId: id, title: `商品${id}`, role: 'hero', priceFen: 9900, exposures: 1000, clicks: 50, ctr: 0.05, orders: 5, items: 5, gmvFen,
    clickToOrder: 0.1, pins: 1, pinnedSec: 300, gmvPerPinnedMin: 99, productGpm: 8.25, stock: 100, soldOut: false,
  });

  it('sorts stably: equal figures keep the same order whatever order they arrive in', () => {
    const sort = { key: 'gmvFen' as const, desc: true };
    expect(sortRows([row('b', 5), row('a', 5), row('c', 9)], sort).map((p) => p.productId)).toEqual(['c', 'a', 'b']);
    expect(sortRows([row('a', 5), row('c', 9), row('b', 5)], sort).map((p) => p.productId)).toEqual(['c', 'a', 'b']);
  });

  it('holds the order it had when the pointer came onto it, new products at the end', () => {
    const sorted = sortRows([row('a', 900), row('b', 100), row('c', 500), row('new', 800)], { key: 'gmvFen', desc: true });
    // When the pointer arrived the order was c, b, a (a has since sold the most): rows stay put.
    expect(heldRows(sorted, ['c', 'b', 'a']).map((p) => p.productId)).toEqual(['c', 'b', 'a', 'new']);
    expect(heldRows(sorted, null).map((p) => p.productId)).toEqual(['a', 'new', 'c', 'b']);
  });
});

describe('a pin from this screen', () => {
  const products = ['x', 'y'].map((id) => ({
    productId: id, title: id === 'x' ? '面膜' : '唇釉', role: null, priceFen: 9900, exposures: 1000, clicks: 50, ctr: 0.05, orders: 5, items: 5, gmvFen: 100,
    clickToOrder: 0.1, pins: 1, pinnedSec: 300, gmvPerPinnedMin: 99, productGpm: 8.25, stock: 100, soldOut: false,
  }));
  const segment = (productId: string): SegmentRow => ({ productId, startTs: 0, endTs: 60_000, durationSec: 60, exposures: 100, clicks: 5, ctr: 0.05, orders: 1, gmvFen: 9900, clickToOrder: 0.2, enters: 50, gpm: 1980, onlineStart: 100, onlineEnd: 110 });
  const requests: Array<[string, unknown]> = [];
  const transport = { request: async (name: string, args: unknown) => (requests.push([name, args]), { ok: true, value: { ok: true } }) } as unknown as Transport;
  beforeEach(() => {
    requests.length = 0;
    pinUi.setState({ pending: null, undoable: null, error: null });
    appStore.setState({ selectedRoomId: 'r', commandsSupported: true, products, segments: [segment('x')], pinnedProductId: 'x' });
  });

  it('is pending until the feed\'s pin arrives, while 讲解中 and the segment card stay with the product the feed says', async () => {
    await pinProduct(transport, 'y');
    expect(requests).toEqual([['sendCommand', { roomId: 'r', command: { type: 'pin', productId: 'y' } }]]);
    let board = renderToStaticMarkup(<ProductBoard transport={transport} />);
    expect(board).toMatch(/data-testid="product-x" data-pin-state="pinned"/);
    expect(board).toMatch(/data-testid="product-y" data-pin-state="pending"/);
    expect(board).toContain('已发送讲解「唇釉」，等待直播间确认');
    const card = renderToStaticMarkup(<SegmentCard />);
    expect(card).toContain('data-product="x"');
    expect(card).toContain('已发送讲解「唇釉」，直播间确认前下表仍是「面膜」');
    expect(card).not.toContain('当前没有讲解商品');
    // The feed confirms: 讲解中 moves, the pending ends, and the pin may be undone.
    appStore.setState({ pinnedProductId: 'y', segments: [segment('x'), segment('y')] });
    board = renderToStaticMarkup(<ProductBoard transport={transport} />);
    expect(board).toMatch(/data-testid="product-y" data-pin-state="pinned"/);
    expect(board).toContain('已切到「唇釉」');
    expect(board).toContain('撤销，回到「面膜」');
  });

  it('never tells the segment card nothing is explained while the board shows a product being explained', () => {
    // The pin has arrived, its segment not yet.
    appStore.setState({ pinnedProductId: 'y', segments: [segment('x')] });
    const card = renderToStaticMarkup(<SegmentCard />);
    expect(card).toContain('唇釉');
    expect(card).toContain('本段刚开始');
    expect(card).not.toContain('当前没有讲解商品');
  });

  it('undoes a confirmed pin: the core is asked to pin back what was explained before', async () => {
    await pinProduct(transport, 'y');
    appStore.setState({ pinnedProductId: 'y' });
    await undoPin(transport);
    expect(requests.at(-1)).toEqual(['undoPin', { roomId: 'r', productId: 'y' }]);
    expect(pinUi.getState().pending).toEqual({ productId: 'x', previousProductId: 'y', undo: true });
    appStore.setState({ pinnedProductId: 'x' });
    // The undo's own confirmation offers no undo of the undo.
    expect(pinUi.getState()).toMatchObject({ pending: null, undoable: null });
  });

  it('says so when the relay refuses, and offers no undo after someone else\'s pin', async () => {
    const refusing = { request: async () => ({ ok: true, value: { ok: false, error: 'unsupported' } }) } as unknown as Transport;
    await pinProduct(refusing, 'y');
    expect(pinUi.getState()).toMatchObject({ pending: null, error: 'unsupported' });
    expect(renderToStaticMarkup(<ProductBoard transport={refusing} />)).toContain('讲解指令失败: unsupported');
    pinUi.setState({ undoable: { productId: 'x', previousProductId: null }, error: null });
    appStore.setState({ pinnedProductId: 'y' });
    expect(pinUi.getState().undoable).toBeNull();
  });
});
