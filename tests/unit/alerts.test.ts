/**
 * L4 alert rules by hand (shared/alerts/evaluate.ts header): every expected minute and figure is
 * worked out in the comment next to it. Defaults: ctr target 0.04, tolerance 0.1 → raise below
 * 0.036, re-arm at ≥ 0.038; clickToOrder 0.035 → below 0.0315; roi 3 → below 2.7, re-arm ≥ 2.85.
 */
import { describe, expect, it } from 'vitest';
import { AlertEvaluator, MIN_AD_SPEND_FEN } from '../../shared/alerts/evaluate.ts';
import { DEFAULT_TARGETS, type Alert, type RoomTargets } from '../../shared/contract.ts';
import type { Kpis, MinuteRow, ProductRow } from '../../shared/metrics/types.ts';

const S = 1_700_000_000_000;
const MIN = 60_000;

function row(minute: number, over: Partial<MinuteRow> = {}): MinuteRow {
  return {
    minute,
    ts: S + minute * MIN,
    onlineAvg: null,
    onlineMax: null,
    onlineEnd: null,
    enters: 0,
    likes: 0,
    comments: 0,
    follows: 0,
    shares: 0,
    fansclub: 0,
    giftFen: 0,
    exposures: 0,
    clicks: 0,
    orders: 0,
    items: 0,
    gmvFen: 0,
    refundFen: 0,
    adSpendFen: 0,
    pinnedProductId: null,
    ctr: null,
    gpm: null,
    ...over,
  };
}

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    durationSec: 0,
    peakOnline: null,
    avgOnline: null,
    uv: null,
    pv: 0,
    avgWatchSec: null,
    gmvFen: 0,
    refundFen: 0,
    orders: 0,
    items: 0,
    buyers: null,
    gpm: null,
    uvValue: null,
    itemPrice: null,
    orderValue: null,
    exposures: 0,
    clicks: 0,
    ctr: null,
    clickToOrder: null,
    viewToOrder: null,
    viewToBuyer: null,
    newFollowers: 0,
    followRate: null,
    fansclubJoins: 0,
    comments: 0,
    likes: 0,
    shares: 0,
    giftFen: 0,
    adSpendFen: 0,
    adGmvFen: 0,
    roi: null,
    adRoi: null,
    breakEvenRoi: null,
    entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 },
    onlineNow: null,
    ...over,
  };
}

function product(productId: string, stock: number | null, soldOut = false): ProductRow {
  return {
    productId,
    title: `商品${productId}`,
    role: null,
    priceFen: 9900,
    exposures: 0,
    clicks: 0,
    ctr: null,
    orders: 0,
    items: 0,
    gmvFen: 0,
    clickToOrder: null,
    pins: 0,
    pinnedSec: 0,
    gmvPerPinnedMin: null,
    productGpm: null,
    stock,
    soldOut,
  };
}

function evaluator(t: Partial<RoomTargets> = {}): AlertEvaluator {
  return new AlertEvaluator('r1', 's1', { ...DEFAULT_TARGETS, ...t });
}

/**
 * Plays minute rows as the core would: at each step k, minutes 0..k with k still running (the
 * partial minute), evaluated halfway through minute k. Returns every alert raised, and at which step.
 */
function play(ev: AlertEvaluator, rows: MinuteRow[]): Array<{ step: number; alert: Alert }> {
  const out: Array<{ step: number; alert: Alert }> = [];
  for (let k = 0; k < rows.length; k++) {
    for (const alert of ev.evaluate({ ts: S + k * MIN + 30_000, minutes: rows.slice(0, k + 1), kpis: kpis() })) out.push({ step: k, alert });
  }
  return out;
}

/** Rows with the given exposures / clicks / orders per minute (orders default to a healthy clicks / 10), plus one partial minute at the end. */
function traffic(per: Array<[exposures: number, clicks: number, orders?: number]>): MinuteRow[] {
  const rows = per.map(([exposures, clicks, orders], m) => row(m, { exposures, clicks, orders: orders ?? Math.round(clicks / 10) }));
  rows.push(row(per.length));
  return rows;
}

describe('ctr and clickToOrder over the last 3 complete minutes', () => {
  it('raises ctr at the minute whose window first falls below target × (1 − tolerance), not before', () => {
    // clicks per 100 exposures: 5 5 5 2 2 2
    // window m2 = 15/300 = 0.05; m3 = 12/300 = 0.04; m4 = 9/300 = 0.03 < 0.036 → raise at minute 4; m5 = 6/300 holds: no repeat.
    const got = play(evaluator(), traffic([[100, 5], [100, 5], [100, 5], [100, 2], [100, 2], [100, 2]]));
    expect(got).toHaveLength(1);
    const a = got[0]!.alert;
    expect(got[0]!.step).toBe(5); // seen once minute 4 is complete, i.e. during minute 5
    expect(a).toMatchObject({ id: 's1:ctr::4', kind: 'ctr', minute: 4, ts: S + 5 * MIN, roomId: 'r1', sessionId: 's1', acknowledgedAt: null, acknowledgedBy: null });
    expect(a.params.value).toBeCloseTo(0.03, 10);
    expect(a.params.target).toBe(0.04);
  });

  it('raises again only after the window has cleared (≥ target × (1 − tolerance / 2))', () => {
    // clicks per 1000 exposures: 30 30 30 | 37 37 37 | 30 30 30
    // windows: m2 0.030 raise; m3 0.0323; m4 0.0347; m5 0.037 (between 0.036 and 0.038: still holds);
    // m6 (37+37+30)/3000 = 0.0347 … m8 0.030: still the same episode → one alert.
    const band = play(evaluator(), traffic([...Array(3).fill([1000, 30]), ...Array(3).fill([1000, 37]), ...Array(3).fill([1000, 30])]));
    expect(band.map((g) => g.alert.id)).toEqual(['s1:ctr::2']);
    // The same with 38: window m5 = 0.038 clears; m6 = (38+38+30)/3000 = 0.0353 < 0.036 → raised again at minute 6.
    const cleared = play(evaluator(), traffic([...Array(3).fill([1000, 30]), ...Array(3).fill([1000, 38]), ...Array(3).fill([1000, 30])]));
    expect(cleared.map((g) => g.alert.id)).toEqual(['s1:ctr::2', 's1:ctr::6']);
  });

  it('needs 200 exposures / 60 clicks in the window before it judges a rate', () => {
    // 60 exposures a minute: 180 in any window, no clicks at all → still no ctr alert.
    expect(play(evaluator(), traffic(Array(6).fill([60, 0])))).toEqual([]);
    // 70 a minute: the first full window (m2) has 210 ≥ 200 with ctr 0 → raise at minute 2, not at 0 or 1 (70, 140).
    expect(play(evaluator(), traffic(Array(6).fill([70, 0]))).map((g) => g.alert.id)).toEqual(['s1:ctr::2']);
    // clickToOrder: 15 clicks a minute (ctr 15/300 = 0.05, fine), no orders: 45 clicks < 60 → nothing.
    expect(play(evaluator(), traffic(Array(6).fill([300, 15, 0])))).toEqual([]);
    // 20 clicks a minute: window m2 has 60 clicks, 0 orders → clickToOrder raised at minute 2 (ctr 60/900 fine).
    const cto = play(evaluator(), traffic(Array(6).fill([300, 20, 0])));
    expect(cto.map((g) => g.alert.id)).toEqual(['s1:clickToOrder::2']);
    expect(cto[0]!.alert.params).toEqual({ value: 0, target: 0.035 });
    // 20 clicks and 1 order a minute: 3/60 = 0.05 ≥ 0.0315 → nothing.
    expect(play(evaluator(), traffic(Array(6).fill([300, 20, 1])))).toEqual([]);
  });

  it('evaluates every completed minute even when called less often, and the first call only looks at the latest window', () => {
    // Same data as the first test, but one call when minutes 0..5 are complete: the first call judges only window m5 (6/300 = 0.02).
    const rows = traffic([[100, 5], [100, 5], [100, 5], [100, 2], [100, 2], [100, 2]]);
    const late = evaluator().evaluate({ ts: S + 6 * MIN + 1, minutes: rows, kpis: kpis() });
    expect(late.map((a) => a.id)).toEqual(['s1:ctr::5']);
    // Called at minute 2, then not again until minute 6: windows m2..m5 are all judged → the alert is still dated minute 4.
    const ev = evaluator();
    expect(ev.evaluate({ ts: S + 2 * MIN + 1, minutes: rows.slice(0, 3), kpis: kpis() })).toEqual([]);
    expect(ev.fromMinute(6)).toBe(0); // window m2 starts at 0; the next pending window m2 needs minutes 0..2
    expect(ev.evaluate({ ts: S + 6 * MIN + 1, minutes: rows, kpis: kpis() }).map((a) => a.id)).toEqual(['s1:ctr::4']);
  });

  it('a targets change takes effect on the latest window at once', () => {
    // ctr 37/1000 = 0.037 ≥ 0.036: no alert with the defaults.
    const ev = evaluator();
    const rows = traffic(Array(3).fill([1000, 37]));
    expect(ev.evaluate({ ts: S + 3 * MIN + 1, minutes: rows, kpis: kpis() })).toEqual([]);
    // Target 0.05 → threshold 0.045: the same window is now low, raised without waiting for a new minute.
    ev.setTargets({ ...DEFAULT_TARGETS, ctr: 0.05 });
    const got = ev.evaluate({ ts: S + 3 * MIN + 2, minutes: rows, kpis: kpis() });
    expect(got.map((a) => a.id)).toEqual(['s1:ctr::2']);
    expect(got[0]!.params.target).toBe(0.05);
  });
});

describe('roi', () => {
  it('judges the session ROI once the ad spend reaches ¥100, with hysteresis and live targets', () => {
    const ev = evaluator();
    const rows = [row(0), row(1)];
    const at = (roi: number, adSpendFen: number) => ev.evaluate({ ts: S + 90_000, minutes: rows, kpis: kpis({ roi, adSpendFen }) });
    expect(at(1, MIN_AD_SPEND_FEN - 1)).toEqual([]); // ROI 1 on ¥99.99: too early to judge
    const first = at(2, MIN_AD_SPEND_FEN); // 2 < 3 × 0.9 = 2.7
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ id: 's1:roi::1', kind: 'roi', minute: 1, params: { value: 2, target: 3 } });
    expect(at(2.8, 20_000)).toEqual([]); // 2.8 < 2.85: not cleared, and not low either
    expect(at(2, 20_000)).toEqual([]); // still the same episode
    // Lowering the target to 2: 2 ≥ 2 × 0.95 clears; back to 3: raised again (same minute → same id, so never twice).
    ev.setTargets({ ...DEFAULT_TARGETS, roi: 2 });
    expect(at(2, 20_000)).toEqual([]);
    ev.setTargets({ ...DEFAULT_TARGETS, roi: 3 });
    expect(at(2, 20_000)).toEqual([]); // id s1:roi::1 was already raised
    const later = ev.evaluate({ ts: S + 150_000, minutes: [row(0), row(1), row(2)], kpis: kpis({ roi: 2, adSpendFen: 20_000 }) });
    expect(later).toEqual([]); // the condition holds since the id clash: no repeat within the episode
  });

  it('raises again in a later minute once cleared', () => {
    const ev = evaluator();
    const k = (roi: number) => kpis({ roi, adSpendFen: 50_000 });
    expect(ev.evaluate({ ts: S + 30_000, minutes: [row(0)], kpis: k(2) }).map((a) => a.id)).toEqual(['s1:roi::0']);
    expect(ev.evaluate({ ts: S + 90_000, minutes: [row(0), row(1)], kpis: k(2.9) })).toEqual([]); // ≥ 2.85: cleared
    expect(ev.evaluate({ ts: S + 150_000, minutes: [row(0), row(1), row(2)], kpis: k(2.5) }).map((a) => a.id)).toEqual(['s1:roi::2']);
  });
});

describe('roiBelowBreakEven', () => {
  // Target 3, break-even 2.2 (margin ≈ 45 %): ROI 2.5 is below target but still profitable.
  const k = (roi: number, breakEvenRoi: number | null, adSpendFen = 50_000) => kpis({ roi, adSpendFen, breakEvenRoi });
  const kinds = (alerts: Alert[]) => alerts.map((a) => a.kind);

  it('fires below break-even, alongside (not instead of) the below-target alert', () => {
    const ev = evaluator();
    // 2.5: below target × 0.9 = 2.7 (roi fires) but above break-even 2.2 (no loss yet)
    expect(kinds(ev.evaluate({ ts: S + 30_000, minutes: [row(0)], kpis: k(2.5, 2.2) }))).toEqual(['roi']);
    const below = ev.evaluate({ ts: S + 90_000, minutes: [row(0), row(1)], kpis: k(2.1, 2.2) });
    expect(below).toHaveLength(1);
    expect(below[0]).toMatchObject({ id: 's1:roiBelowBreakEven::1', kind: 'roiBelowBreakEven', minute: 1, params: { value: 2.1, breakEven: 2.2, target: 3 } });
  });

  it('needs a break-even and ¥100 of spend', () => {
    const ev = evaluator();
    expect(ev.evaluate({ ts: S + 30_000, minutes: [row(0)], kpis: k(1, null) }).map((a) => a.kind)).toEqual(['roi']);
    const ev2 = evaluator();
    expect(ev2.evaluate({ ts: S + 30_000, minutes: [row(0)], kpis: k(1, 2.2, MIN_AD_SPEND_FEN - 1) })).toEqual([]);
  });

  it('raises once per episode and re-arms only at break-even × (1 + tolerance / 2)', () => {
    const ev = evaluator({ roi: 1 }); // a low target: only the break-even rule speaks
    const at = (m: number, roi: number) => ev.evaluate({ ts: S + m * MIN + 30_000, minutes: Array.from({ length: m + 1 }, (_, i) => row(i)), kpis: k(roi, 2) });
    expect(at(0, 1.9).map((a) => a.id)).toEqual(['s1:roiBelowBreakEven::0']);
    expect(at(1, 1.5)).toEqual([]); // the same episode
    expect(at(2, 2.05)).toEqual([]); // above break-even but below 2 × 1.05 = 2.1: not re-armed
    expect(at(3, 1.9)).toEqual([]);
    expect(at(4, 2.1)).toEqual([]); // ≥ 2.1: re-armed
    expect(at(5, 1.99).map((a) => a.id)).toEqual(['s1:roiBelowBreakEven::5']);
  });
});

describe('onlineDrop', () => {
  const online = (minute: number, onlineMax: number) => row(minute, { onlineMax, onlineAvg: onlineMax, onlineEnd: onlineMax });

  it('fires as soon as the live online is ≥ 30 % below the high of the last 2 minutes', () => {
    const ev = evaluator();
    const rows = [online(0, 1000), online(1, 1000), online(2, 1000)];
    const now = (onlineNow: number, r = rows, ts = S + 2 * MIN + 10_000) => ev.evaluate({ ts, minutes: r, kpis: kpis({ onlineNow }) });
    expect(now(800)).toEqual([]);
    expect(now(701)).toEqual([]); // 701 > 1000 × 0.7
    const got = now(700);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ id: 's1:onlineDrop::2', kind: 'onlineDrop', minute: 2, ts: S + 2 * MIN + 10_000, params: { from: 1000, to: 700, windowMin: 2 } });
    expect(now(650)).toEqual([]); // still the same drop
    // Minute 4: the window is minutes 3..4 (highs 700, 680); 680 ≥ 700 × 0.85 clears it …
    const later = [...rows, online(3, 700), online(4, 680)];
    expect(now(680, later, S + 4 * MIN + 1000)).toEqual([]);
    // … and a new fall to 400 ≤ 700 × 0.7 is a new alert.
    expect(now(400, later, S + 4 * MIN + 2000).map((a) => a.params)).toEqual([{ from: 700, to: 400, windowMin: 2 }]);
  });

  it('only counts values within onlineDropWindowMin minutes, and ignores tiny rooms', () => {
    const rows = [online(0, 1000), online(1, 1000), online(2, 650), online(3, 650)];
    // W = 2 in minute 3: minutes 2..3 (650): 650 is no drop.
    expect(evaluator().evaluate({ ts: S + 3 * MIN + 1, minutes: rows, kpis: kpis({ onlineNow: 650 }) })).toEqual([]);
    // W = 3: minute 1's 1000 counts: 650 ≤ 700.
    expect(evaluator({ onlineDropWindowMin: 3 }).evaluate({ ts: S + 3 * MIN + 1, minutes: rows, kpis: kpis({ onlineNow: 650 }) })).toHaveLength(1);
    // 40 → 10 online is −75 %, but in a room that small it is noise.
    const small = [online(0, 40), online(1, 40)];
    expect(evaluator().evaluate({ ts: S + MIN + 1, minutes: small, kpis: kpis({ onlineNow: 10 }) })).toEqual([]);
  });

  it('does not raise again what the store already holds (restart)', () => {
    const ev = evaluator();
    ev.restore([{ id: 's1:onlineDrop::2', kind: 'onlineDrop', params: { from: 1000, to: 600, windowMin: 2 } }]);
    const rows = [online(0, 1000), online(1, 1000), online(2, 1000), online(3, 1000)];
    expect(ev.evaluate({ ts: S + 3 * MIN + 1, minutes: rows, kpis: kpis({ onlineNow: 500 }) })).toEqual([]);
  });
});

describe('lowStock', () => {
  const stockAt = (ev: AlertEvaluator, products: ProductRow[]) => ev.evaluate({ ts: S + 60_500, minutes: [row(0), row(1)], kpis: kpis(), products });

  it('raises once per product when stock falls under 10 % of its starting level or sells out', () => {
    const ev = evaluator();
    expect(stockAt(ev, [product('p1', 1000), product('p2', 20)])).toEqual([]); // starting levels 1000 and 20
    expect(stockAt(ev, [product('p1', 100), product('p2', 3)])).toEqual([]); // 100 is not < 100; 3 is not < 2
    const low = stockAt(ev, [product('p1', 99), product('p2', 3)]);
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ id: 's1:lowStock:p1:1', kind: 'lowStock', params: { productId: 'p1', title: '商品p1', stock: 99, startStock: 1000 } });
    expect(stockAt(ev, [product('p1', 50), product('p2', 3)])).toEqual([]);
    // p1 sells out: still the same episode; p2 sells out: its first alert.
    const out = stockAt(ev, [product('p1', 0, true), product('p2', 0, true)]);
    expect(out.map((a) => a.params)).toEqual([{ productId: 'p2', title: '商品p2', stock: 0, startStock: 20 }]);
    // Products without a stock figure never raise.
    expect(stockAt(ev, [product('p3', null, false)])).toEqual([]);
  });

  it('takes the starting level from the feed when it saw it first, and re-arms after a restock', () => {
    const ev = evaluator({ lowStockPct: 0.2 });
    ev.observeStock('p1', 200); // the catalog said 200
    expect(stockAt(ev, [product('p1', 39)]).map((a) => a.params.startStock)).toEqual([200]); // 39 < 40
    expect(stockAt(ev, [product('p1', 150)])).toEqual([]); // restocked above 40: cleared, start stays 200
    expect(stockAt(ev, [product('p1', 30)])).toEqual([]); // same minute → same id as the first: never twice
    const next = ev.evaluate({ ts: S + 2 * MIN + 1, minutes: [row(0), row(1), row(2)], kpis: kpis(), products: [product('p1', 150)] });
    expect(next).toEqual([]);
    const again = ev.evaluate({ ts: S + 2 * MIN + 2, minutes: [row(0), row(1), row(2)], kpis: kpis(), products: [product('p1', 20)] });
    expect(again.map((a) => a.id)).toEqual(['s1:lowStock:p1:2']);
    // A restock above the old start is the new starting level: 1000, so 150 is low (< 200).
    const ev2 = evaluator({ lowStockPct: 0.2 });
    expect(stockAt(ev2, [product('p9', 100)])).toEqual([]);
    expect(stockAt(ev2, [product('p9', 1000)])).toEqual([]);
    expect(stockAt(ev2, [product('p9', 150)]).map((a) => a.params.startStock)).toEqual([1000]);
  });
});
