/**
 * METRICS.md by hand: every expected number below is worked out in the comment next to it, so a
 * failure means either the code or the comment misreads the spec — never a snapshot to re-bless.
 */
import { describe, it, expect } from 'vitest';
import type { EventBody, KnownFeedEvent } from '../../shared/protocol.ts';
import { SessionAggregator, type AggregatorOptions } from '../../shared/metrics/aggregator.ts';
import { gpm, rate } from '../../shared/metrics/formulas.ts';
import type { SessionMetrics } from '../../shared/metrics/types.ts';

const S = 1_700_000_000_000;
/** Seconds since the session start → epoch ms. */
const t = (sec: number): number => S + sec * 1000;

/** Assigns seq 1, 2, 3… in list order (seq travels with the event when a test shuffles). */
function withSeq(list: EventBody[]): KnownFeedEvent[] {
  return list.map((b, i) => ({ ...b, seq: i + 1 }) as KnownFeedEvent);
}

function run(list: EventBody[], opts?: AggregatorOptions): SessionAggregator {
  const a = new SessionAggregator(S, opts);
  for (const e of withSeq(list)) a.ingest(e);
  return a;
}

function feed(events: KnownFeedEvent[], opts?: AggregatorOptions): SessionAggregator {
  const a = new SessionAggregator(S, opts);
  for (const e of events) a.ingest(e);
  return a;
}

/** mulberry32: a tiny seeded PRNG so the shuffles are the same on every run. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let r = Math.imul(x ^ (x >>> 15), 1 | x);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  const rnd = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function expectNoNaN(x: unknown, path = 'metrics'): void {
  if (typeof x === 'number') {
    expect(Number.isFinite(x), `${path} = ${x}`).toBe(true);
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  } else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) expectNoNaN(v, `${path}.${k}`);
  }
}

const paid = (ts: number, orderId: string, productId: string, amountFen: number, qty = 1, buyerId?: string): EventBody => ({
  ts,
  type: 'order',
  orderId,
  productId,
  qty,
  amountFen,
  status: 'paid',
  ...(buyerId !== undefined ? { buyerId } : {}),
});
const refunded = (ts: number, orderId: string, productId: string, amountFen: number): EventBody => ({
  ts,
  type: 'order',
  orderId,
  productId,
  qty: 1,
  amountFen,
  status: 'refunded',
});

describe('formulas', () => {
  it('rate is null on a zero or unknown denominator, never NaN', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 0)).toBeNull();
    expect(rate(5, null)).toBeNull();
    expect(rate(null, 5)).toBeNull();
    // 12 345 fen = 123.45 yuan over 1 000 views → 123.45 yuan per thousand views
    expect(gpm(12_345, 1000)).toBeCloseTo(123.45, 10);
    expect(gpm(12_345, 0)).toBeNull();
  });
});

describe('minute bucketing and the window', () => {
  it('buckets by floor((ts − startedAt)/60000), clamps pre-start events to minute 0', () => {
    const a = run([
      { ts: t(0), type: 'enter', n: 1 },
      { ts: t(59.999), type: 'enter', n: 2 },
      { ts: t(60), type: 'enter', n: 4 }, // first ms of minute 1
      { ts: t(-5), type: 'enter', n: 8 }, // before the start → minute 0
      { ts: t(150), type: 'enter', n: 16 },
    ]);
    const m = a.snapshot(t(170));
    // window [0 s, 170 s) → minutes 0, 1, 2; minute 0 = 1 + 2 + 8
    expect(m.minutes.map((r) => r.enters)).toEqual([11, 4, 16]);
    expect(m.minutes.map((r) => r.minute)).toEqual([0, 1, 2]);
    expect(m.minutes.map((r) => r.ts)).toEqual([S, S + 60_000, S + 120_000]);
    expect(m.kpis.durationSec).toBe(170);
  });

  it('has every minute up to the window end, empty ones with zero counts', () => {
    const a = run([{ ts: t(10), type: 'comment', text: 'hi' }]);
    const m = a.snapshot(t(200)); // 200 s → minute 3 holds the end
    expect(m.minutes).toHaveLength(4);
    expect(m.minutes.map((r) => r.comments)).toEqual([1, 0, 0, 0]);
    expect(m.minutes[3]).toMatchObject({ enters: 0, gmvFen: 0, adSpendFen: 0, ctr: null, gpm: null, onlineAvg: null });
  });

  it('window end exactly on a boundary excludes that minute unless an event falls in it', () => {
    const quiet = run([{ ts: t(10), type: 'share', n: 1 }]);
    // [0, 180 s): minutes 0..2 only
    expect(quiet.snapshot(t(180)).minutes).toHaveLength(3);
    const busy = run([{ ts: t(180), type: 'share', n: 1 }]);
    expect(busy.snapshot(t(180)).minutes).toHaveLength(4);
    expect(busy.snapshot(t(180)).minutes[3]!.shares).toBe(1);
    // a zero-length window still has minute 0
    expect(new SessionAggregator(S).snapshot(S).minutes).toHaveLength(1);
  });

  it('once ended, the window is fixed at the end and late events still count', () => {
    const a = run([
      { ts: t(30), type: 'follow', n: 2 },
      { ts: t(100), type: 'session', status: 'ended', startedAt: S },
      { ts: t(130), type: 'follow', n: 3 }, // a straggler after the end
    ]);
    expect(a.endedAt).toBe(t(100));
    const m = a.snapshot(t(9999));
    expect(m.kpis.durationSec).toBe(100);
    expect(m.kpis.newFollowers).toBe(5);
    // minutes 0,1 from the window, minute 2 because the straggler falls in it
    expect(m.minutes.map((r) => r.follows)).toEqual([2, 0, 3]);
  });

  it('sums comments (count), follows, shares, fansclub, gifts; enter without source is other', () => {
    const a = run([
      { ts: t(1), type: 'comment', text: 'a' },
      { ts: t(2), type: 'comment', text: 'b', userId: 'u1' },
      { ts: t(3), type: 'follow', n: 4 },
      { ts: t(4), type: 'share', n: 2 },
      { ts: t(5), type: 'fansclub', n: 3 },
      { ts: t(6), type: 'gift', n: 2, valueFen: 500 },
      { ts: t(61), type: 'gift', n: 1, valueFen: 100 },
      { ts: t(7), type: 'enter', n: 10, source: 'recommend' },
      { ts: t(8), type: 'enter', n: 5 },
      { ts: t(9), type: 'enter', n: 1, source: 'other' },
      { ts: t(10), type: 'enter', n: 2, source: 'shortVideo' },
      { ts: t(11), type: 'marker', kind: 'note', text: 'ignored' },
    ]);
    const k = a.snapshot(t(90)).kpis;
    expect(k.comments).toBe(2);
    expect(k.newFollowers).toBe(4);
    expect(k.shares).toBe(2);
    expect(k.fansclubJoins).toBe(3);
    expect(k.giftFen).toBe(600);
    expect(k.entersBySource).toEqual({ recommend: 10, paid: 0, follow: 0, search: 0, shortVideo: 2, other: 6 });
    expect(a.snapshot(t(90)).minutes.map((r) => r.giftFen)).toEqual([500, 100]);
  });
});

describe('online step function', () => {
  it('avg/max/end per minute, null before the first snapshot, carried-in value counts for max', () => {
    const a = run([
      { ts: t(90), type: 'viewers', online: 100 },
      { ts: t(120), type: 'viewers', online: 200 }, // exactly on the minute-2 boundary
      { ts: t(150), type: 'viewers', online: 50 },
      { ts: t(190), type: 'viewers', online: 10 },
      { ts: t(200), type: 'session', status: 'ended', startedAt: S },
    ]);
    const m = a.snapshot(t(500));
    const online = m.minutes.map((r) => [r.onlineAvg, r.onlineMax, r.onlineEnd]);
    expect(online).toEqual([
      // minute 0: no snapshot yet
      [null, null, null],
      // minute 1 [60,120): 100 from 90 s on → avg over [90,120) = 100; the 200 at 120 s is minute 2's
      [100, 100, 100],
      // minute 2 [120,180): 200 for 30 s, 50 for 30 s → 125; max 200; end 50
      [125, 200, 50],
      // minute 3 [180,200), the partial last one: 50 for 10 s, 10 for 10 s → 30;
      // max 50 carried in; end = value at the window end = 10
      [30, 50, 10],
    ]);
    // from 90 s to 200 s: 100·30 + 200·30 + 50·40 + 10·10 = 3000 + 6000 + 2000 + 100 = 11100 over 110 s
    expect(m.kpis.avgOnline).toBeCloseTo(11_100 / 110, 10);
    expect(m.kpis.peakOnline).toBe(200);
    expect(m.kpis.onlineNow).toBe(10);
  });

  it('a snapshot before the start holds from the start on; one superseded before the start never shows', () => {
    const a = run([
      { ts: t(-10), type: 'viewers', online: 500 }, // replaced at −5 s: never on air
      { ts: t(-5), type: 'viewers', online: 60 },
      { ts: t(30), type: 'viewers', online: 80 },
    ]);
    const m = a.snapshot(t(60));
    // [0,30) at 60, [30,60) at 80 → 70
    expect(m.minutes).toHaveLength(1);
    expect(m.minutes[0]).toMatchObject({ onlineAvg: 70, onlineMax: 80, onlineEnd: 80 });
    expect(m.kpis.peakOnline).toBe(80);
    expect(m.kpis.avgOnline).toBe(70);
  });

  it('a snapshot exactly at the window end is the last row’s onlineEnd and onlineNow', () => {
    const a = run([
      { ts: t(0), type: 'viewers', online: 5 },
      { ts: t(60), type: 'viewers', online: 7 },
    ]);
    const m = a.snapshot(t(60));
    expect(m.minutes).toHaveLength(1);
    expect(m.minutes[0]).toMatchObject({ onlineAvg: 5, onlineMax: 5, onlineEnd: 7 });
    expect(m.kpis.onlineNow).toBe(7);
    expect(m.kpis.avgOnline).toBe(5);
  });
});

describe('out-of-order ts', () => {
  const base: EventBody[] = [
    { ts: t(-2), type: 'catalog', products: [{ id: 'p1', title: 'Tea', priceFen: 990, role: 'hero', stock: 100 }, { id: 'p2', title: 'Cup', priceFen: 2990 }] },
    { ts: t(0), type: 'viewers', online: 100, uv: 10, pv: 12, watchSeconds: 60 },
    { ts: t(5), type: 'enter', n: 10, source: 'recommend' },
    { ts: t(8), type: 'enter', n: 3 },
    { ts: t(10), type: 'pin', productId: 'p1' },
    { ts: t(12), type: 'like', n: 3, total: 40 },
    { ts: t(15), type: 'exposure', productId: 'p1', n: 50 },
    { ts: t(16), type: 'exposure', productId: 'p2', n: 20 },
    { ts: t(20), type: 'click', productId: 'p1', n: 6 },
    { ts: t(25), type: 'ad', planId: 'A', spendFen: 100 },
    { ts: t(30), type: 'viewers', online: 160 },
    paid(t(33), 'o1', 'p1', 990, 1, 'b1'),
    paid(t(34), 'o1', 'p1', 990, 1, 'b1'), // duplicate
    { ts: t(40), type: 'comment', text: '好' },
    { ts: t(45), type: 'ad', planId: 'B', spendFen: 500, gmvFen: 1500 },
    { ts: t(55), type: 'like', total: 90 },
    { ts: t(60), type: 'viewers', online: 140, uv: 25, pv: 30, watchSeconds: 900 },
    { ts: t(61), type: 'product', productId: 'p1', stock: 80, priceFen: 890 },
    { ts: t(65), type: 'pin', productId: 'p1' }, // same product: continues
    { ts: t(70), type: 'ad', planId: 'A', spendFen: 260 },
    paid(t(72), 'o2', 'p2', 2990, 1, 'b2'),
    { ts: t(80), type: 'pin', productId: 'p2' },
    { ts: t(81), type: 'enter', n: 7, source: 'paid' },
    { ts: t(85), type: 'click', productId: 'p2', n: 4 },
    paid(t(88), 'o3', 'p2', 5980, 2, 'b1'),
    refunded(t(95), 'o2', 'p2', 2990),
    refunded(t(96), 'o2', 'p2', 2990), // duplicate
    { ts: t(100), type: 'viewers', online: 90 },
    { ts: t(105), type: 'pin', productId: null },
    { ts: t(110), type: 'like', total: 120 },
    { ts: t(115), type: 'ad', planId: 'B', spendFen: 900, gmvFen: 2500 },
    { ts: t(118), type: 'follow', n: 2 },
    { ts: t(125), type: 'click', productId: 'px', n: 1 },
    { ts: t(130), type: 'pin', productId: 'p1' },
    { ts: t(135), type: 'ad', planId: 'A', spendFen: 300 },
    paid(t(140), 'o4', 'p1', 1780, 2),
    { ts: t(150), type: 'viewers', online: 120, uv: 40, pv: 48, watchSeconds: 2400 },
    { ts: t(160), type: 'gift', n: 1, valueFen: 100 },
    { ts: t(170), type: 'session', status: 'ended', startedAt: S },
  ];
  const events = withSeq(base);

  it('gives the same snapshot for any arrival order (seeded shuffles)', () => {
    const expected = feed(events, { breakEvenRoi: 2.5 }).snapshot(t(1000));
    // sanity: the reference run is the one the other tests describe
    expect(expected.kpis.gmvFen).toBe(990 + 2990 + 5980 + 1780);
    for (let seed = 1; seed <= 25; seed++) {
      const got = feed(shuffled(events, seed), { breakEvenRoi: 2.5 }).snapshot(t(1000));
      expect(got, `seed ${seed}`).toEqual(expected);
    }
  });

  it('reads interleaved with out-of-order ingest do not leave stale caches behind', () => {
    const order = shuffled(events, 42);
    const expected = feed(order).snapshot(t(1000));
    const a = new SessionAggregator(S);
    order.forEach((e, i) => {
      a.ingest(e);
      if (i % 3 === 0) a.snapshot(t(1000));
      else a.live(t(1000), i % 4);
    });
    expect(a.snapshot(t(1000))).toEqual(expected);
  });

  it('gives the same live rows and kpis as snapshot, from any minute', () => {
    const a = feed(shuffled(events, 7));
    const snap = a.snapshot(t(1000));
    for (const from of [0, 1, 2, 5]) {
      const live = a.live(t(1000), from);
      expect(live.kpis).toEqual(snap.kpis);
      expect(live.minutes).toEqual(snap.minutes.slice(from));
    }
    expectNoNaN(snap);
  });
});

describe('orders', () => {
  it('counts a paid orderId once; the earliest paid event wins', () => {
    const a = run([
      paid(t(10), 'o1', 'p1', 1000, 2),
      paid(t(20), 'o1', 'p1', 1000, 2), // resent: ignored
      paid(t(70), 'o2', 'p1', 500, 1),
      paid(t(50), 'o2', 'p1', 500, 1), // same order, earlier ts, arrives later: it wins
    ]);
    const m = a.snapshot(t(120));
    expect(m.kpis).toMatchObject({ gmvFen: 1500, orders: 2, items: 3 });
    // both orders count in minute 0 (o2 at 50 s), none in minute 1
    expect(m.minutes.map((r) => [r.orders, r.items, r.gmvFen])).toEqual([
      [2, 3, 1500],
      [0, 0, 0],
    ]);
  });

  it('refunds: gmv not reduced, refundFen in the refund’s minute, each orderId once', () => {
    const a = run([
      paid(t(10), 'o1', 'p1', 1000),
      paid(t(20), 'o2', 'p1', 400),
      refunded(t(70), 'o1', 'p1', 1000),
      refunded(t(80), 'o1', 'p1', 1000), // duplicate refund
    ]);
    const m = a.snapshot(t(120));
    expect(m.kpis).toMatchObject({ gmvFen: 1400, refundFen: 1000, orders: 2 });
    expect(m.minutes.map((r) => [r.gmvFen, r.refundFen])).toEqual([
      [1400, 0],
      [0, 1000],
    ]);
  });

  it('buyers: distinct buyerId, null when no order has one (orderValue then per order)', () => {
    const none = run([paid(t(1), 'o1', 'p', 1000), paid(t(2), 'o2', 'p', 3000)]).snapshot(t(60)).kpis;
    expect(none.buyers).toBeNull();
    expect(none.viewToBuyer).toBeNull();
    // 40 yuan over 2 orders
    expect(none.orderValue).toBe(20);

    const some = run([
      paid(t(1), 'o1', 'p', 1000, 1, 'alice'),
      paid(t(2), 'o2', 'p', 3000, 1, 'alice'),
      paid(t(3), 'o3', 'p', 2000, 1, 'bob'),
      { ts: t(4), type: 'viewers', online: 10, uv: 8 },
    ]).snapshot(t(60)).kpis;
    expect(some.buyers).toBe(2);
    // 60 yuan over 2 buyers
    expect(some.orderValue).toBe(30);
    // 2 buyers / 8 uv
    expect(some.viewToBuyer).toBe(0.25);
  });
});

describe('zero denominators', () => {
  it('every rate is null, nothing is NaN, for an empty session', () => {
    const m = new SessionAggregator(S).snapshot(t(30));
    const k = m.kpis;
    for (const key of ['gpm', 'uvValue', 'itemPrice', 'orderValue', 'ctr', 'clickToOrder', 'viewToOrder', 'viewToBuyer', 'followRate', 'avgWatchSec', 'roi', 'adRoi'] as const) {
      expect(k[key], key).toBeNull();
    }
    expect(k).toMatchObject({ peakOnline: null, avgOnline: null, onlineNow: null, uv: null, pv: 0, buyers: null, breakEvenRoi: null });
    expect(m.minutes[0]).toMatchObject({ ctr: null, gpm: null });
    expectNoNaN(m);
  });

  it('uv = 0 and pv = 0 give null, not Infinity; products and segments too', () => {
    const m = run([
      { ts: t(0), type: 'catalog', products: [{ id: 'p1', title: 'Tea', priceFen: 990 }] },
      { ts: t(0), type: 'viewers', online: 0, uv: 0, pv: 0, watchSeconds: 0 },
      { ts: t(1), type: 'follow', n: 1 },
      { ts: t(2), type: 'pin', productId: 'p1' },
      { ts: t(2), type: 'pin', productId: null }, // a zero-length segment
      paid(t(3), 'o1', 'p2', 1000), // an order with no clicks, no exposures, pv 0
    ]).snapshot(t(30));
    expect(m.kpis).toMatchObject({ avgWatchSec: null, uvValue: null, followRate: null, gpm: null, viewToOrder: null, clickToOrder: null });
    expect(m.kpis.itemPrice).toBe(10);
    const p1 = m.products.find((p) => p.productId === 'p1')!;
    expect(p1).toMatchObject({ ctr: null, clickToOrder: null, productGpm: null, gmvPerPinnedMin: null, pins: 1, pinnedSec: 0 });
    expect(m.segments[0]).toMatchObject({ ctr: null, clickToOrder: null, gpm: null, enters: 0, durationSec: 0 });
    expectNoNaN(m);
  });
});

describe('viewers without online', () => {
  it('a cumulative-only snapshot sets uv and leaves the online figures alone', () => {
    const m = run([
      { ts: t(10), type: 'viewers', online: 300 },
      { ts: t(20), type: 'viewers', uv: 12_345 },
    ]).snapshot(t(50));
    expect(m.kpis.uv).toBe(12_345);
    expect(m.kpis.peakOnline).toBe(300);
    expect(m.kpis.onlineNow).toBe(300);
  });
});

describe('likes', () => {
  it('sums n when the source gives no totals', () => {
    const m = run([
      { ts: t(10), type: 'like', n: 5 },
      { ts: t(70), type: 'like', n: 3 },
    ]).snapshot(t(90));
    expect(m.kpis.likes).toBe(8);
    expect(m.minutes.map((r) => r.likes)).toEqual([5, 3]);
  });

  it('uses the highest total when any event has one; minutes get the increase of the running max from the first total', () => {
    const m = run([
      { ts: t(10), type: 'like', total: 100 },
      { ts: t(20), type: 'like', n: 7 }, // n is ignored once totals exist
      { ts: t(30), type: 'like', total: 150, n: 50 },
      { ts: t(70), type: 'like', total: 140 }, // a lower total does not lower the running max
      { ts: t(130), type: 'like', total: 200 },
    ]).snapshot(t(170));
    expect(m.kpis.likes).toBe(200);
    // The first total (100) is where counting starts: minute 0: 150 − 100; minute 1: 0; minute 2: 200 − 150
    expect(m.minutes.map((r) => r.likes)).toEqual([50, 0, 50]);
  });

  it('a room joined mid-show: the KPI is the room total from the broadcast start, minutes are the increases seen', () => {
    // The adapter's first like carries the room's total (120 000, counted before we joined) and its own batch (15).
    const m = run([
      { ts: t(200), type: 'like', n: 15, total: 120_000 },
      { ts: t(230), type: 'like', n: 30, total: 120_030 },
      { ts: t(290), type: 'like', n: 10, total: 120_040 },
    ]).snapshot(t(300));
    expect(m.kpis.likes).toBe(120_040);
    expect(m.minutes.map((r) => r.likes)).toEqual([0, 0, 0, 45, 10]);
    // Out of order arrival gives the same rows.
    const shuffled = run([
      { ts: t(290), type: 'like', n: 10, total: 120_040 },
      { ts: t(200), type: 'like', n: 15, total: 120_000 },
      { ts: t(230), type: 'like', n: 30, total: 120_030 },
    ]).snapshot(t(300));
    expect(shuffled.minutes.map((r) => r.likes)).toEqual([0, 0, 0, 45, 10]);
  });
});

describe('ad spend', () => {
  it('cumulative per plan, two plans, out of order', () => {
    const a = run([
      { ts: t(90), type: 'ad', planId: 'A', spendFen: 250 },
      { ts: t(130), type: 'ad', planId: 'B', spendFen: 1600, gmvFen: 5000 },
      { ts: t(30), type: 'ad', planId: 'A', spendFen: 100 },
      { ts: t(150), type: 'ad', planId: 'A', spendFen: 400 },
      { ts: t(50), type: 'ad', planId: 'B', spendFen: 1000, gmvFen: 3000 },
      paid(t(100), 'o1', 'p', 10_000),
    ]);
    const m = a.snapshot(t(170));
    // A: minute 0 +100, minute 1 +150 (250−100), minute 2 +150 (400−250)
    // B: minute 0 +1000, minute 1 nothing, minute 2 +600 (1600−1000)
    expect(m.minutes.map((r) => r.adSpendFen)).toEqual([1100, 150, 750]);
    // latest-ts report of each plan: A 400 + B 1600; gmv A none (0) + B 5000
    expect(m.kpis.adSpendFen).toBe(2000);
    expect(m.kpis.adGmvFen).toBe(5000);
    // 10 000 / 2000 and 5000 / 2000
    expect(m.kpis.roi).toBe(5);
    expect(m.kpis.adRoi).toBe(2.5);
  });

  it('a late report between two earlier ones moves spend between minutes, the total is unchanged', () => {
    const a = run([
      { ts: t(10), type: 'ad', planId: 'A', spendFen: 100 },
      { ts: t(130), type: 'ad', planId: 'A', spendFen: 700 },
    ]);
    expect(a.snapshot(t(150)).minutes.map((r) => r.adSpendFen)).toEqual([100, 0, 600]);
    a.ingest({ seq: 99, ts: t(70), type: 'ad', planId: 'A', spendFen: 300 });
    const m = a.snapshot(t(150));
    // 100 | 300−100 | 700−300
    expect(m.minutes.map((r) => r.adSpendFen)).toEqual([100, 200, 400]);
    expect(m.kpis.adSpendFen).toBe(700);
  });
});

describe('viewers cumulative figures', () => {
  it('pv falls back to the sum of enter.n when the source never gives pv', () => {
    const k = run([
      { ts: t(1), type: 'enter', n: 30 },
      { ts: t(2), type: 'enter', n: 12, source: 'search' },
      { ts: t(3), type: 'viewers', online: 9, uv: 20 },
      paid(t(4), 'o1', 'p', 8400),
    ]).snapshot(t(60)).kpis;
    expect(k.pv).toBe(42);
    // 84 yuan / 42 views × 1000
    expect(k.gpm).toBe(2000);
    // 1 order / 42 views
    expect(k.viewToOrder).toBeCloseTo(1 / 42, 12);
  });

  it('uv, pv, watchSeconds are the last cumulative values by ts, not by arrival', () => {
    const k = run([
      { ts: t(120), type: 'viewers', online: 5, uv: 50, pv: 500, watchSeconds: 6000 },
      { ts: t(60), type: 'viewers', online: 9, uv: 40, pv: 300, watchSeconds: 3000 }, // older, arrives late
      { ts: t(130), type: 'viewers', online: 4 }, // no cumulative fields: keeps the 120 s ones
      { ts: t(10), type: 'enter', n: 7 }, // ignored for pv: the source gives pv
      paid(t(20), 'o1', 'p', 10_000),
      { ts: t(30), type: 'follow', n: 5 },
    ]).snapshot(t(150)).kpis;
    expect(k).toMatchObject({ uv: 50, pv: 500 });
    // 6000 s / 50 viewers
    expect(k.avgWatchSec).toBe(120);
    // 100 yuan / 50 uv; 100 yuan / 500 pv × 1000; 5 follows / 50 uv
    expect(k.uvValue).toBe(2);
    expect(k.gpm).toBe(200);
    expect(k.followRate).toBe(0.1);
  });

  it('avgWatchSec is null without watchSeconds', () => {
    expect(run([{ ts: t(1), type: 'viewers', online: 1, uv: 3 }]).snapshot(t(2)).kpis.avgWatchSec).toBeNull();
  });
});

describe('pin segments and products', () => {
  const list: EventBody[] = [
    { ts: t(0), type: 'catalog', products: [{ id: 'p1', title: 'Tea', priceFen: 990, role: 'hero' }, { id: 'p2', title: 'Cup', priceFen: 2990 }, { id: 'p3', title: 'Pot', priceFen: 8800 }] },
    { ts: t(0), type: 'viewers', online: 100 },
    { ts: t(100), type: 'viewers', online: 300 },
    { ts: t(20), type: 'pin', productId: 'p1' },
    { ts: t(40), type: 'pin', productId: 'p1' }, // already pinned: the segment continues
    { ts: t(80), type: 'pin', productId: 'p2' },
    { ts: t(130), type: 'pin', productId: null },
    { ts: t(160), type: 'pin', productId: 'p1' },
    { ts: t(30), type: 'exposure', productId: 'p1', n: 10 },
    { ts: t(50), type: 'exposure', productId: 'p2', n: 99 }, // p2 not pinned yet
    { ts: t(60), type: 'click', productId: 'p1', n: 4 },
    paid(t(70), 'o1', 'p1', 2000),
    { ts: t(80), type: 'exposure', productId: 'p1', n: 5 }, // at p2's pin: in neither p1 segment
    paid(t(85), 'o2', 'p1', 3000), // p1 bought while p2 is pinned
    { ts: t(25), type: 'enter', n: 50 },
    { ts: t(79), type: 'enter', n: 30 },
    { ts: t(80), type: 'enter', n: 20 },
    { ts: t(140), type: 'enter', n: 7 }, // nothing pinned
    { ts: t(200), type: 'enter', n: 3 }, // exactly at the end: in the open segment
    paid(t(200), 'o3', 'p1', 1000),
    { ts: t(200), type: 'session', status: 'ended', startedAt: S },
  ];

  it('segments: from a pin to the next pin event or the end, counting only that product', () => {
    const m = run(list).snapshot(t(999));
    expect(m.segments).toEqual([
      {
        // [20, 80): p1's exposure 10, click 4, order o1; enters 50 + 30
        productId: 'p1',
        startTs: t(20),
        endTs: t(80),
        durationSec: 60,
        exposures: 10,
        clicks: 4,
        ctr: 0.4,
        orders: 1,
        gmvFen: 2000,
        clickToOrder: 0.25,
        enters: 80,
        gpm: 250, // 20 yuan / 80 × 1000
        onlineStart: 100,
        onlineEnd: 100,
      },
      {
        // [80, 130): p2 had nothing here (its exposure was at 50 s); enters 20
        productId: 'p2',
        startTs: t(80),
        endTs: t(130),
        durationSec: 50,
        exposures: 0,
        clicks: 0,
        ctr: null,
        orders: 0,
        gmvFen: 0,
        clickToOrder: null,
        enters: 20,
        gpm: 0,
        onlineStart: 100,
        onlineEnd: 300,
      },
      {
        // [160, 200]: the open segment takes the order and enters at exactly the end
        productId: 'p1',
        startTs: t(160),
        endTs: t(200),
        durationSec: 40,
        exposures: 0,
        clicks: 0,
        ctr: null,
        orders: 1,
        gmvFen: 1000,
        clickToOrder: null,
        enters: 3,
        gpm: (10 / 3) * 1000,
        onlineStart: 300,
        onlineEnd: 300,
      },
    ]);
  });

  it('pinnedProductId: the product pinned for the largest part of the minute, none can win', () => {
    const m = run(list).snapshot(t(999));
    // m0: none 20 s, p1 40 s → p1
    // m1: p1 20 s, p2 40 s → p2
    // m2: p2 10 s, none 30 s, p1 20 s → none
    // m3 [180, 200): p1 20 s → p1
    expect(m.minutes.map((r) => r.pinnedProductId)).toEqual(['p1', 'p2', null, 'p1']);
  });

  it('pinnedProductId ties: a product beats none; between products the later one', () => {
    const tie = run([
      { ts: t(0), type: 'pin', productId: 'a' },
      { ts: t(30), type: 'pin', productId: 'b' },
      { ts: t(60), type: 'pin', productId: null },
      { ts: t(90), type: 'pin', productId: 'c' },
    ]).snapshot(t(120));
    expect(tie.minutes.map((r) => r.pinnedProductId)).toEqual(['b', 'c']);
  });

  it('products: pins, pinnedSec, gmvPerPinnedMin only from orders while pinned, productGpm by pv', () => {
    const m = run(list).snapshot(t(999));
    const byId = Object.fromEntries(m.products.map((p) => [p.productId, p]));
    expect(m.products.map((p) => p.productId)).toEqual(['p1', 'p2', 'p3']);
    // pv = enters 50 + 30 + 20 + 7 + 3 = 110; p1 gmv = 2000 + 3000 + 1000 = 6000 fen
    expect(m.kpis.pv).toBe(110);
    expect(byId.p1).toMatchObject({ title: 'Tea', role: 'hero', priceFen: 990, exposures: 15, clicks: 4, orders: 3, items: 3, gmvFen: 6000, pins: 2, pinnedSec: 100 });
    // while pinned: o1 2000 + o3 1000 = 30 yuan over 100 s = 5/3 min → 18 yuan/min (o2 was under p2)
    expect(byId.p1!.gmvPerPinnedMin).toBeCloseTo(18, 10);
    // 60 yuan / 110 pv × 1000
    expect(byId.p1!.productGpm).toBeCloseTo(60_000 / 110, 10);
    expect(byId.p1!.ctr).toBeCloseTo(4 / 15, 12); // 4 clicks / (10 + 5) exposures
    expect(byId.p1!.clickToOrder).toBe(0.75);
    // p2: pinned 50 s, no orders of its own in that time → 0 per minute
    expect(byId.p2).toMatchObject({ pins: 1, pinnedSec: 50, gmvPerPinnedMin: 0, exposures: 99, gmvFen: 0, productGpm: 0, role: null });
    expect(byId.p3).toMatchObject({ pins: 0, pinnedSec: 0, gmvPerPinnedMin: null, exposures: 0 });
  });

  it('products not in the catalog get a row (title = id, price 0, role null); product events update the row', () => {
    const m = run([
      { ts: t(0), type: 'catalog', products: [{ id: 'p1', title: 'Tea', priceFen: 990, role: 'hero', stock: 100 }] },
      { ts: t(5), type: 'click', productId: 'zz', n: 1 },
      { ts: t(6), type: 'exposure', productId: 'px', n: 3 },
      { ts: t(7), type: 'product', productId: 'p1', priceFen: 890, stock: 0 },
      { ts: t(8), type: 'product', productId: 'py', soldOut: true },
      refunded(t(9), 'o9', 'pr', 100), // a refund names a product too
    ]).snapshot(t(60));
    // catalog order first, then the others sorted by id (arrival order would not replay the same)
    expect(m.products.map((p) => p.productId)).toEqual(['p1', 'pr', 'px', 'py', 'zz']);
    expect(m.products[0]).toMatchObject({ title: 'Tea', priceFen: 890, stock: 0, soldOut: true, role: 'hero' });
    expect(m.products[2]).toMatchObject({ title: 'px', priceFen: 0, role: null, exposures: 3, stock: null, soldOut: false });
    expect(m.products[3]).toMatchObject({ title: 'py', soldOut: true });
    expect(m.products[4]).toMatchObject({ title: 'zz', clicks: 1 });
  });

  it('the latest catalog by ts replaces the list, even when it arrives first', () => {
    const m = run([
      { ts: t(50), type: 'catalog', products: [{ id: 'new', title: 'New', priceFen: 100 }] },
      { ts: t(10), type: 'catalog', products: [{ id: 'old', title: 'Old', priceFen: 200 }] },
      { ts: t(20), type: 'click', productId: 'old', n: 1 },
    ]).snapshot(t(60));
    // 'old' is off the latest list but has events: its row keeps what the older catalog said
    expect(m.products.map((p) => [p.title, p.priceFen])).toEqual([
      ['New', 100],
      ['Old', 200],
    ]);
  });
});

describe('live reads', () => {
  it('takeDirtyFrom returns the lowest changed minute once', () => {
    const a = new SessionAggregator(S);
    expect(a.takeDirtyFrom()).toBeNull();
    a.ingest({ seq: 1, ts: t(200), type: 'enter', n: 1 });
    a.ingest({ seq: 2, ts: t(70), type: 'enter', n: 1 });
    expect(a.takeDirtyFrom()).toBe(1);
    expect(a.takeDirtyFrom()).toBeNull();
    a.ingest({ seq: 3, ts: t(10), type: 'viewers', online: 3 });
    a.ingest({ seq: 4, ts: t(10), type: 'catalog', products: [] }); // no minute row depends on it
    expect(a.takeDirtyFrom()).toBe(0);
  });

  it('breakEvenRoi comes from the options', () => {
    expect(new SessionAggregator(S, { breakEvenRoi: 2.4 }).snapshot(S).kpis.breakEvenRoi).toBe(2.4);
    expect(new SessionAggregator(S).snapshot(S).kpis.breakEvenRoi).toBeNull();
  });

  it('a snapshot is a pure read: repeated calls agree and do not change later results', () => {
    const a = run([
      { ts: t(0), type: 'viewers', online: 10 },
      { ts: t(10), type: 'pin', productId: 'p' },
      paid(t(20), 'o1', 'p', 500),
    ]);
    const first = a.snapshot(t(90));
    first.kpis.entersBySource.other = 999;
    const second: SessionMetrics = a.snapshot(t(90));
    expect(second.kpis.entersBySource.other).toBe(0);
    expect(a.snapshot(t(90))).toEqual(second);
  });
});

describe('compaction of the per-event series (bounded memory on long shows)', () => {
  /** A show of `hours` with slightly out-of-order events, pins every ~40 s, orders and refunds. */
  function show(hours: number): KnownFeedEvent[] {
    const start = 1_700_000_000_000;
    const events: KnownFeedEvent[] = [{ seq: 1, ts: start, type: 'session', status: 'live', startedAt: start }];
    let seq = 1;
    let state = 7;
    const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const products = ['a', 'b', 'c'];
    for (let t = start; t < start + hours * 3_600_000; t += 250 + Math.floor(rand() * 500)) {
      const p = products[Math.floor(rand() * 3)]!;
      const r = rand();
      const ts = t - Math.floor(rand() * 20_000); // up to 20 s out of order, as relays are
      if (r < 0.01) events.push({ seq: ++seq, ts, type: 'pin', productId: rand() < 0.1 ? null : p });
      else if (r < 0.4) events.push({ seq: ++seq, ts, type: 'enter', n: 1 + Math.floor(rand() * 3) });
      else if (r < 0.7) events.push({ seq: ++seq, ts, type: 'exposure', productId: p, n: 1 + Math.floor(rand() * 9) });
      else if (r < 0.9) events.push({ seq: ++seq, ts, type: 'click', productId: p, n: 1 });
      else events.push({ seq: ++seq, ts, type: 'order', orderId: `o${seq % 700}`, productId: p, qty: 1, amountFen: 100 + (seq % 13) * 50, status: rand() < 0.1 ? 'refunded' : 'paid' });
    }
    return events;
  }
  const entries = (a: SessionAggregator) => (a as unknown as { enterSeries: { length: number } }).enterSeries.length;

  it('keeps every figure exact, and the entries it holds do not grow with the length of the show', () => {
    const held: number[] = [];
    for (const hours of [3, 6]) {
      const events = show(hours);
      const compacted = new SessionAggregator(events[0]!.ts);
      const whole = new SessionAggregator(events[0]!.ts, { compactHorizonMs: Number.POSITIVE_INFINITY });
      for (const e of events) {
        compacted.ingest(e);
        whole.ingest(e);
      }
      const end = events[0]!.ts + hours * 3_600_000;
      expect(compacted.snapshot(end)).toEqual(whole.snapshot(end));
      expect(entries(whole)).toBeGreaterThan(hours * 2_500);
      held.push(entries(compacted));
    }
    // Twice the show, about the same held: the last half hour and one entry per segment before it.
    expect(held[1]!).toBeLessThan(held[0]! * 1.4);
  });
});
