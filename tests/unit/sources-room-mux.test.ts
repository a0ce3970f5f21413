import { describe, expect, it } from 'vitest';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { RoomMux } from '../../electron/core/sources/room-mux.ts';
import { CumulativeCounter, displayCount, field, sourceTs, toCount } from '../../electron/core/sources/common.ts';
import type { SourceEvent } from '../../electron/core/sources/common.ts';

const T = 1_720_000_000_000;

function setup(opts: Partial<ConstructorParameters<typeof RoomMux>[0]> = {}) {
  const relay = new RelayServer();
  const quarantined: string[] = [];
  const mux = new RoomMux({ relay, roomId: 'r1', platform: 'douyin', title: 'room', onQuarantine: (q) => quarantined.push(q.reason), ...opts });
  const viewer = mux.sink('douyin-webcast', { opensSession: true });
  const merchant = mux.sink('merchant-orders', { opensSession: false });
  // Everything published, across sessions (the relay's own history restarts with each broadcast).
  const published: Array<SourceEvent & { seq?: number }> = [];
  const publish = relay.publish.bind(relay);
  relay.publish = (roomId, bodies) => {
    const first = relay.info(roomId)!.lastSeq + 1;
    publish(roomId, bodies);
    published.push(...bodies.map((b, i) => ({ ...b, seq: first + i })));
  };
  const history = () => {
    mux.flush();
    return published as Array<SourceEvent & { seq: number }>;
  };
  return { relay, mux, viewer, merchant, history, quarantined };
}

const live = (ts: number): SourceEvent => ({ ts, type: 'session', status: 'live', startedAt: ts });
const order = (id: string, ts: number): SourceEvent => ({ ts, type: 'order', orderId: id, productId: 'p', qty: 1, amountFen: 100, status: 'paid' });

describe('RoomMux: two sources, one room, one session, one seq stream', () => {
  it('holds merchant events until the viewer source opens the session, then numbers everything in one stream', () => {
    const { viewer, merchant, history } = setup();
    merchant.push([order('o1', T - 10_000)]);
    expect(history()).toEqual([]);
    viewer.push([live(T), { ts: T + 1, type: 'enter', n: 1 }]);
    merchant.push([order('o2', T + 2)]);
    const h = history();
    expect(h.map((e) => [e.seq, e.type])).toEqual([
      [1, 'session'],
      [2, 'order'],
      [3, 'enter'],
      [4, 'order'],
    ]);
    // Held from before the start: clamped to the session start (minute 0), as the store would.
    expect(h[1]!.ts).toBe(T);
  });

  it('a repeated live (reconnect) is dropped; only the opening sink starts or ends; after ended a live is a new broadcast', () => {
    const { viewer, merchant, history, mux } = setup();
    viewer.push([live(T)]);
    viewer.push([live(T + 5)]);
    merchant.push([live(T + 6), { ts: T + 7, type: 'session', status: 'ended', startedAt: T }]);
    viewer.push([{ ts: T + 8, type: 'session', status: 'ended', startedAt: T }, { ts: T + 9, type: 'session', status: 'ended', startedAt: T }]);
    merchant.push([order('late', T + 10)]);
    viewer.push([live(T + 100)]);
    expect(history().map((e) => `${e.type}${'status' in e ? `:${e.status}` : ''}`)).toEqual(['session:live', 'session:ended', 'order:paid', 'session:live']);
    expect(mux.stats.sessionRepeats).toBe(4);
  });

  it('an event FEED-PROTOCOL rejects is quarantined with the reason, not published', () => {
    const { viewer, history, quarantined } = setup();
    viewer.push([live(T), { ts: T, type: 'enter', n: -1 } as SourceEvent, { ts: T, type: 'gift', n: 1, valueFen: 1.5 } as SourceEvent]);
    expect(history().map((e) => e.type)).toEqual(['session']);
    expect(quarantined).toHaveLength(2);
    expect(quarantined[0]).toMatch(/^douyin-webcast: produced an invalid enter event \(enter: n: /);
  });

  it('a flood is merged (count events per type and second) and bounded, never unbounded memory', () => {
    const { viewer, history, mux } = setup({ coalesceAbove: 100, maxPending: 1000 });
    viewer.push([live(T)]);
    for (let i = 0; i < 50_000; i++) viewer.push([{ ts: T + (i % 3000), type: 'enter', n: 1 }]);
    for (let i = 0; i < 5_000; i++) viewer.push([{ ts: T + 10, type: 'comment', text: `c${i}` }]);
    const h = history();
    const enters = h.filter((e) => e.type === 'enter').reduce((s, e) => s + (e as { n: number }).n, 0);
    expect(enters).toBe(50_000); // merged, none lost
    expect(h.length).toBeLessThanOrEqual(1000);
    expect(mux.stats.dropped).toBeGreaterThan(0); // comments beyond the cap: dropped and counted
    expect(mux.stats.coalesced).toBeGreaterThan(40_000);
  });
});

describe('source helpers', () => {
  it('field reads camelCase, snake_case and PascalCase, own keys only', () => {
    expect(field({ repeat_end: 1 }, 'repeatEnd')).toBe(1);
    expect(field({ RepeatEnd: 2 }, 'repeatEnd')).toBe(2);
    expect(field({ gift: { diamond_count: '5' } }, 'gift.diamondCount')).toBe('5');
    expect(field({}, 'constructor')).toBeUndefined();
    expect(field(JSON.parse('{"__proto__": {"x": 1}}'), 'x')).toBeUndefined();
  });

  it('counts from strings; rejects negatives, fractions, NaN and absurd sizes', () => {
    expect(toCount('42')).toBe(42);
    for (const bad of ['-1', '1.5', 'NaN', '1e400', 1e300, -3, null, {}, '9'.repeat(40)]) expect(toCount(bad)).toBeUndefined();
    expect(displayCount('43.6万')).toBe(436_000);
    expect(displayCount('1.2亿')).toBe(120_000_000);
  });

  it('ts rule: source time within [receipt − 1 h, receipt + 60 s], seconds scaled, else receipt', () => {
    expect(sourceTs(String(T - 500), T)).toBe(T - 500);
    expect(sourceTs((T - 2000) / 1000, T)).toBe(T - 2000);
    expect(sourceTs(T + 61_000, T)).toBe(T);
    expect(sourceTs(T - 2 * 3600_000, T)).toBe(T);
    expect(sourceTs(undefined, T)).toBe(T);
  });

  it('cumulative counter: baseline, deltas, out-of-order, reset', () => {
    const c = new CumulativeCounter();
    expect([c.next(100, 3), c.next(110, 0), c.next(105, 0), c.next(120, 0), c.next(10, 10), c.next(15, 0)]).toEqual([3, 10, 0, 10, 10, 5]);
  });
});

describe('RoomMux: what the broadcast showed, for TikTok Shop’s attribution', () => {
  const catalog = (ts: number, ids: string[]): SourceEvent => ({ ts, type: 'catalog', products: ids.map((id) => ({ id, title: id, priceFen: 100 })) });

  it('knows the window and the products shown; a fallback list neither counts as shown nor replaces the room’s catalog', () => {
    const { mux, viewer, history } = setup();
    const shop = mux.sink('tiktok-shop', { opensSession: false, showsProducts: false });
    expect(mux.liveWindow()).toBeNull();
    viewer.push([live(T)]);
    expect(mux.liveWindow()).toEqual({ startedAt: T, endedAt: null });
    // Only the shop's list so far: published (the board's titles), but nothing is "shown".
    shop.push([catalog(T + 1, ['sold'])]);
    expect(mux.shownProducts()).toBeNull();
    viewer.push([catalog(T + 2, ['a', 'b']), { ts: T + 3, type: 'pin', productId: 'c' }]);
    expect([...mux.shownProducts()!]).toEqual(['a', 'b', 'c']);
    // Now the room has its own catalog: the shop's list is left out.
    shop.push([catalog(T + 4, ['sold', 'more'])]);
    expect(history().filter((e) => e.type === 'catalog')).toHaveLength(2);
    expect(mux.stats.fallbackCatalogs).toBe(1);
    viewer.push([{ ts: T + 60_000, type: 'session', status: 'ended', startedAt: T }]);
    expect(mux.liveWindow()).toEqual({ startedAt: T, endedAt: T + 60_000 });
    // The next broadcast shows its own products.
    viewer.push([live(T + 120_000)]);
    expect(mux.shownProducts()).toBeNull();
  });
});
