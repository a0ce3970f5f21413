/**
 * The simulator model (electron/core/sim): determinism, protocol validity, the closed loop
 * (pin / ads / flash), fatigue, the snowball, stock-outs, refunds, comments, scenario files.
 * Every assertion is on quantities the model produces, so a broken mechanism fails a test.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../shared/protocol.ts';
import type { EventBody } from '../../shared/protocol.ts';
import { RoomSim } from '../../electron/core/sim/model.ts';
import { Rng } from '../../electron/core/sim/rng.ts';
import { loadScenario, readScenarioFile } from '../../electron/core/sim/scenario.ts';
import type { Scenario } from '../../electron/core/sim/scenario.ts';

const SCENARIOS = fileURLToPath(new URL('../../assets/scenarios/', import.meta.url));
const T0 = 1_700_000_000_000;
const MIN = 60_000;

function scenario(name: string): Scenario {
  return readScenarioFile(`${SCENARIOS}${name}.json`);
}

/** A scenario copy with changes (scenarios are plain data). */
function variant(name: string, change: (s: Scenario) => void): Scenario {
  const s = structuredClone(scenario(name));
  change(s);
  return loadScenario(s);
}

function runTo(sim: RoomSim, untilMs: number, stepMs = 10_000, into: EventBody[] = []): EventBody[] {
  const start = sim.simMs;
  for (let t = start + stepMs; ; t += stepMs) {
    const at = Math.min(t, untilMs);
    into.push(...sim.advance(at));
    if (at >= untilMs || sim.ended) break;
  }
  return into;
}

type Ev<T extends EventBody['type']> = Extract<EventBody, { type: T }>;
function ofType<T extends EventBody['type']>(events: EventBody[], type: T, fromMs = 0, toMs = Infinity): Ev<T>[] {
  return events.filter((e): e is Ev<T> => e.type === type && e.ts >= T0 + fromMs && e.ts < T0 + toMs);
}
function sumN(events: Array<{ n: number }>): number {
  return events.reduce((s, e) => s + e.n, 0);
}
function paidOrders(events: EventBody[]): Ev<'order'>[] {
  return ofType(events, 'order').filter((o) => o.status === 'paid');
}
function lastAd(events: EventBody[], planId: string, beforeMs: number): Ev<'ad'> {
  const ads = ofType(events, 'ad', 0, beforeMs).filter((a) => a.planId === planId);
  const last = ads[ads.length - 1];
  if (!last) throw new Error(`no ad event for ${planId} before ${beforeMs}`);
  return last;
}

describe('rng', () => {
  it('is reproducible, seed-sensitive and has the right moments', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(sa).toEqual(Array.from({ length: 5 }, () => b.nextU32()));
    expect(sa).not.toEqual(Array.from({ length: 5 }, () => c.nextU32()));
    const r = new Rng(7);
    const mean = (f: () => number, n = 20_000) => Array.from({ length: n }, f).reduce((s, v) => s + v, 0) / n;
    expect(mean(() => r.poisson(3))).toBeCloseTo(3, 1);
    expect(mean(() => r.poisson(200), 4000)).toBeGreaterThan(197);
    expect(mean(() => r.poisson(200), 4000)).toBeLessThan(203);
    expect(mean(() => r.normal(10, 2))).toBeCloseTo(10, 1);
    expect(mean(() => r.binomial(1000, 0.3), 4000) / 1000).toBeCloseTo(0.3, 2);
    const picks = Array.from({ length: 20_000 }, () => r.weighted(['a', 'b'], [1, 3]));
    expect(picks.filter((p) => p === 'b').length / picks.length).toBeCloseTo(0.75, 1);
  });
});

describe('determinism', () => {
  const sc = scenario('daily-beauty');
  it('same seed gives the same stream, whatever the advance granularity', () => {
    const a = runTo(new RoomSim(sc, { seed: 42, startedAt: T0 }), 12 * MIN, 1000);
    const b = runTo(new RoomSim(sc, { seed: 42, startedAt: T0 }), 12 * MIN, 60_000);
    const one = new RoomSim(sc, { seed: 42, startedAt: T0 });
    const c = one.advance(12 * MIN);
    // Irregular steps, including repeated and sub-second times.
    const irregular = new RoomSim(sc, { seed: 42, startedAt: T0 });
    const d: EventBody[] = [];
    for (const t of [0, 0, 250, 999, 1000, 1500, 7_300, 7_300, 61_001, 200_000, 719_999, 12 * MIN]) d.push(...irregular.advance(t));
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d).toEqual(a);
  });

  it('a different seed gives a different stream', () => {
    const a = new RoomSim(sc, { seed: 1, startedAt: T0 }).advance(5 * MIN);
    const b = new RoomSim(sc, { seed: 2, startedAt: T0 }).advance(5 * MIN);
    const c = new RoomSim(sc, { seed: 'seed-1', startedAt: T0 }).advance(5 * MIN);
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
    // Seeds change the details, not the room: order counts stay within a sane range of each other.
    expect(ofType(a, 'enter').length).toBeGreaterThan(0);
  });
});

describe('events', () => {
  it('every event of a whole show validates, ts never go backwards, and the show ends at durationMin', () => {
    const sc = scenario('small-fashion');
    const sim = new RoomSim(sc, { seed: 3, startedAt: T0 });
    const first = sim.advance(0);
    expect(first[0]).toMatchObject({ type: 'session', status: 'live', startedAt: T0, ts: T0 });
    expect(first[1]?.type).toBe('catalog');
    const catalog = first[1] as Ev<'catalog'>;
    expect(catalog.products.map((p) => p.id)).toEqual(sc.products.map((p) => p.id));
    expect(JSON.stringify(catalog)).not.toContain('truth');

    const events = runTo(sim, 10 * 60 * MIN, 30_000, [...first]);
    expect(sim.ended).toBe(true);
    let seq = 0;
    let lastTs = 0;
    const bad: string[] = [];
    for (const e of events) {
      const v = validateEvent({ ...e, seq: ++seq });
      if (!v.ok) bad.push(v.reason);
      expect(e.ts).toBeGreaterThanOrEqual(lastTs);
      lastTs = e.ts;
    }
    expect(bad).toEqual([]);
    const end = events[events.length - 1];
    expect(end).toMatchObject({ type: 'session', status: 'ended', ts: T0 + sc.durationMin * MIN, startedAt: T0 });
    expect(events.filter((e) => e.type === 'session')).toHaveLength(2);
    expect(events.every((e) => e.ts <= T0 + sc.durationMin * MIN)).toBe(true);
    // After the end: nothing more, and commands are refused.
    expect(sim.advance(11 * 60 * MIN)).toEqual([]);
    expect(sim.command({ type: 'pin', productId: 'fa-tee' })).toEqual({ ok: false, error: 'session ended' });

    // Viewers snapshots: cumulative uv ≤ pv = sum of entries, every 3–5 s.
    const viewers = ofType(events, 'viewers');
    expect(viewers.length).toBeGreaterThan((sc.durationMin * 60) / 5.5);
    const lastV = viewers[viewers.length - 1] as Ev<'viewers'>;
    expect(lastV.pv).toBe(sumN(ofType(events, 'enter')));
    expect(lastV.uv).toBeLessThan(lastV.pv ?? 0);
    expect(lastV.uv).toBeGreaterThan((lastV.pv ?? 0) * 0.6);
    for (let i = 1; i < viewers.length; i++) {
      expect(viewers[i]?.uv ?? 0).toBeGreaterThanOrEqual(viewers[i - 1]?.uv ?? 0);
      expect(viewers[i]?.watchSeconds ?? 0).toBeGreaterThanOrEqual(viewers[i - 1]?.watchSeconds ?? 0);
    }
    // Likes as a cumulative total.
    const likes = ofType(events, 'like');
    expect(likes.length).toBeGreaterThan(0);
    expect(likes[likes.length - 1]?.total).toBe(likes.reduce((s, l) => s + (l.n ?? 0), 0));
  });

  it('a busy room validates too, with commands, and keeps a realistic event rate', () => {
    const sc = scenario('guest-influencer-food');
    const sim = new RoomSim(sc, { seed: 5, startedAt: T0 });
    const events = runTo(sim, 10 * MIN);
    expect(sim.command({ type: 'flash', productId: 'food-nuts', priceFen: 5990, stock: 300 })).toEqual({ ok: true });
    runTo(sim, 15 * MIN, 10_000, events);
    expect(sim.command({ type: 'adBudget', planId: 'qc-food-guest', budgetFenPerMin: 30000 })).toEqual({ ok: true });
    expect(sim.command({ type: 'pin', productId: null })).toEqual({ ok: true });
    runTo(sim, 20 * MIN, 10_000, events);
    let seq = 0;
    const bad = events.map((e) => validateEvent({ ...e, seq: ++seq })).filter((v) => !v.ok);
    expect(bad).toEqual([]);
    const perSec = events.length / (20 * 60);
    expect(perSec).toBeGreaterThan(15);
    expect(perSec).toBeLessThan(80);
    for (const t of ['enter', 'viewers', 'exposure', 'click', 'order', 'comment', 'like', 'follow', 'share', 'fansclub', 'gift', 'ad', 'pin', 'marker', 'product']) {
      expect(events.some((e) => e.type === t), t).toBe(true);
    }
    expect(ofType(events, 'enter').map((e) => e.source)).toEqual(expect.arrayContaining(['recommend', 'follow', 'paid', 'search', 'shortVideo']));
  });
});

describe('closed loop', () => {
  it('pinning a product makes its exposures and clicks dominate afterwards', () => {
    const sim = new RoomSim(scenario('daily-beauty'), { seed: 11, startedAt: T0 });
    sim.setAutopilot(false);
    const events = runTo(sim, 6 * MIN);
    const x = 'bea-eye'; // not first in the plan: only shopping-bag exposure so far
    const before = ofType(events, 'exposure', 2 * MIN, 6 * MIN);
    expect(sumN(before.filter((e) => e.productId === x)) / sumN(before)).toBeLessThan(0.15);
    expect(sim.command({ type: 'pin', productId: x })).toEqual({ ok: true });
    const after = runTo(sim, 12 * MIN);
    expect(after[0]).toMatchObject({ type: 'pin', productId: x, ts: T0 + 6 * MIN });
    const expo = ofType(after, 'exposure');
    const clicks = ofType(after, 'click');
    expect(sumN(expo.filter((e) => e.productId === x)) / sumN(expo)).toBeGreaterThan(0.65);
    expect(sumN(clicks.filter((e) => e.productId === x)) / sumN(clicks)).toBeGreaterThan(0.55);
    expect(sim.pinnedProductId).toBe(x);
    // Unknown product: refused, nothing changes.
    expect(sim.command({ type: 'pin', productId: 'nope' }).ok).toBe(false);
    expect(sim.pinnedProductId).toBe(x);
  });

  it('the autopilot follows the plan in order; a pin command on autopilot holds for its planned time', () => {
    const sc = scenario('daily-beauty');
    const sim = new RoomSim(sc, { seed: 2, startedAt: T0 });
    const events = runTo(sim, 40 * MIN);
    const pins = ofType(events, 'pin');
    expect(pins.slice(0, 4).map((p) => [p.productId, (p.ts - T0) / MIN])).toEqual([
      ['bea-mask', 0],
      ['bea-lip', 6],
      ['bea-cleanser', 16],
      ['bea-cushion', 21],
    ]);
    expect(sim.command({ type: 'pin', productId: 'bea-balm' })).toEqual({ ok: true });
    const more = runTo(sim, 50 * MIN);
    const next = ofType(more, 'pin');
    expect(next[0]?.productId).toBe('bea-balm');
    // bea-balm is planned for 5 minutes; then the plan goes on.
    expect(next[1]?.ts).toBe(T0 + 45 * MIN);
  });

  it('ad budget raises paid entries and spend after a lag; pause stops spend; resume restarts it', () => {
    const sim = new RoomSim(scenario('daily-beauty'), { seed: 8, startedAt: T0 });
    const plan = 'qc-beauty-daily';
    const ev = runTo(sim, 10 * MIN);
    const paidPerMin = (events: EventBody[], a: number, b: number) => sumN(ofType(events, 'enter', a * MIN, b * MIN).filter((e) => e.source === 'paid')) / (b - a);
    const base = paidPerMin(ev, 5, 10);
    const spendBase = (lastAd(ev, plan, 10 * MIN).spendFen - lastAd(ev, plan, 5 * MIN).spendFen) / 5;
    const viewsBase = (lastAd(ev, plan, 10 * MIN).views ?? 0) - (lastAd(ev, plan, 5 * MIN).views ?? 0);
    expect(base).toBeGreaterThan(30);

    expect(sim.command({ type: 'adBudget', planId: plan, budgetFenPerMin: 20000 })).toEqual({ ok: true });
    runTo(sim, 20 * MIN, 10_000, ev);
    const lagMinute = paidPerMin(ev, 10, 11);
    const later = paidPerMin(ev, 14, 20);
    expect(later).toBeGreaterThan(base * 2.2);
    expect(lagMinute).toBeLessThan(later * 0.8); // the change takes a couple of minutes to show
    const spendLater = (lastAd(ev, plan, 20 * MIN).spendFen - lastAd(ev, plan, 14 * MIN).spendFen) / 6;
    expect(spendLater).toBeGreaterThan(spendBase * 3.3);
    // Diminishing returns: each paid entry costs more at the higher budget.
    const viewsLater = (lastAd(ev, plan, 20 * MIN).views ?? 0) - (lastAd(ev, plan, 14 * MIN).views ?? 0);
    expect((spendLater * 6) / viewsLater).toBeGreaterThan(((spendBase * 5) / viewsBase) * 1.1);
    expect(lastAd(ev, plan, 20 * MIN).budgetFenPerMin).toBe(20000);

    expect(sim.command({ type: 'adPause', planId: plan })).toEqual({ ok: true });
    runTo(sim, 25 * MIN, 10_000, ev);
    const atPause = lastAd(ev, plan, 20 * MIN + 1500).spendFen;
    expect(lastAd(ev, plan, 25 * MIN).spendFen).toBe(atPause);
    expect(paidPerMin(ev, 20.05, 25)).toBe(0);

    expect(sim.command({ type: 'adResume', planId: plan })).toEqual({ ok: true });
    runTo(sim, 30 * MIN, 10_000, ev);
    expect(lastAd(ev, plan, 30 * MIN).spendFen).toBeGreaterThan(atPause + 20000);
    expect(paidPerMin(ev, 27, 30)).toBeGreaterThan(base);
    expect(sim.command({ type: 'adPause', planId: 'nope' }).ok).toBe(false);
  });

  it('a flash deal: marker, flash price, limited stock, then the regular price after ~3 minutes', () => {
    const sim = new RoomSim(scenario('daily-beauty'), { seed: 4, startedAt: T0 });
    sim.setAutopilot(false);
    expect(sim.command({ type: 'pin', productId: 'bea-mask' }).ok).toBe(true);
    runTo(sim, 8 * MIN);
    expect(sim.command({ type: 'flash', productId: 'bea-cushion', priceFen: 9900, stock: 10_000 }).ok).toBe(false); // more than in stock
    expect(sim.command({ type: 'flash', productId: 'bea-cushion', priceFen: 99_900, stock: 50 }).ok).toBe(false); // above the price
    expect(sim.command({ type: 'flash', productId: 'bea-cushion', priceFen: 9900, stock: 60 })).toEqual({ ok: true });
    expect(sim.command({ type: 'flash', productId: 'bea-lip', priceFen: 5900, stock: 10 }).ok).toBe(false); // one at a time
    const during = runTo(sim, 14 * MIN);
    expect(during[0]).toMatchObject({ type: 'marker', kind: 'flash' });
    expect(during[1]).toMatchObject({ type: 'product', productId: 'bea-cushion', priceFen: 9900 });
    expect(during[2]).toMatchObject({ type: 'pin', productId: 'bea-cushion' }); // a 秒杀 is explained on screen
    const restore = ofType(during, 'product').filter((e) => e.productId === 'bea-cushion' && e.priceFen === 15900);
    expect(restore.map((e) => e.ts)).toEqual([T0 + 11 * MIN]);
    const orders = paidOrders(during).filter((o) => o.productId === 'bea-cushion');
    const flashOrders = orders.filter((o) => o.ts < T0 + 11 * MIN);
    expect(flashOrders.length).toBeGreaterThan(0);
    expect(flashOrders.every((o) => o.amountFen === 9900 && o.qty === 1)).toBe(true);
    expect(flashOrders.length).toBeLessThanOrEqual(60);
    expect(orders.filter((o) => o.ts >= T0 + 11 * MIN).every((o) => o.amountFen === 15900 * o.qty)).toBe(true);
  });

  it('a flash deal roughly doubles conversion and ends early when its stock is gone', () => {
    const sc = scenario('guest-influencer-food');
    const twin = (flash: boolean) => {
      const sim = new RoomSim(sc, { seed: 12, startedAt: T0 });
      sim.setAutopilot(false);
      sim.command({ type: 'pin', productId: 'food-nuts' });
      runTo(sim, 8 * MIN);
      if (flash) expect(sim.command({ type: 'flash', productId: 'food-nuts', priceFen: 6900, stock: 400 })).toEqual({ ok: true });
      return runTo(sim, 12 * MIN);
    };
    const withFlash = twin(true);
    const without = twin(false);
    const end = ofType(withFlash, 'product').find((e) => e.productId === 'food-nuts' && e.priceFen === 8900);
    expect(end).toBeDefined();
    const endMs = (end?.ts ?? 0) - T0;
    expect(endMs).toBeLessThan(11 * MIN); // sold its 400 before the 3 minutes were up
    const flashOrders = paidOrders(withFlash).filter((o) => o.productId === 'food-nuts' && o.amountFen === 6900);
    expect(flashOrders).toHaveLength(400);
    const conv = (events: EventBody[]) =>
      paidOrders(events.filter((e) => e.ts < T0 + endMs)).filter((o) => o.productId === 'food-nuts').length /
      sumN(ofType(events, 'click', 8 * MIN, endMs).filter((c) => c.productId === 'food-nuts'));
    expect(conv(withFlash)).toBeGreaterThan(conv(without) * 1.5);
  });
});

describe('fatigue and recovery', () => {
  it("a product's ctr falls the longer it is pinned and recovers while it rests", () => {
    const sim = new RoomSim(scenario('daily-beauty'), { seed: 21, startedAt: T0 });
    sim.setAutopilot(false);
    sim.command({ type: 'pin', productId: 'bea-lip' });
    const ev = runTo(sim, 22 * MIN);
    const ctr = (events: EventBody[], a: number, b: number) =>
      sumN(ofType(events, 'click', a * MIN, b * MIN).filter((e) => e.productId === 'bea-lip')) /
      sumN(ofType(events, 'exposure', a * MIN, b * MIN).filter((e) => e.productId === 'bea-lip'));
    const fresh = ctr(ev, 0, 4);
    const tired = ctr(ev, 18, 22);
    expect(fresh).toBeGreaterThan(0.06);
    expect(tired).toBeLessThan(fresh * 0.65);
    const truth = () => sim.truthState().find((t) => t.productId === 'bea-lip');
    expect(truth()?.freshness).toBeLessThan(0.2);
    expect(truth()?.ctr).toBeLessThan(0.09 * 0.5);

    sim.command({ type: 'pin', productId: 'bea-mask' });
    runTo(sim, 52 * MIN);
    expect(truth()?.freshness).toBeGreaterThan(0.7);
    sim.command({ type: 'pin', productId: 'bea-lip' });
    const back = runTo(sim, 56 * MIN);
    expect(ctr(back, 52, 56)).toBeGreaterThan(tired * 1.4);
  });
});

describe('snowball', () => {
  it('strong minutes raise recommend traffic in the following minutes; weak ones lower it', () => {
    const recommend = (snowball: number, normalGpm: number) => {
      const sc = variant('daily-beauty', (s) => {
        s.traffic.snowball = snowball;
        s.traffic.normalGpm = normalGpm;
        s.waves = [];
        s.ads = [];
      });
      const ev = runTo(new RoomSim(sc, { seed: 9, startedAt: T0 }), 50 * MIN, 60_000);
      return sumN(ofType(ev, 'enter', 25 * MIN, 50 * MIN).filter((e) => e.source === 'recommend'));
    };
    const flat = recommend(0, 300);
    const strong = recommend(0.9, 300); // the room earns ~3× what the feed expects of its tier
    const weak = recommend(0.9, 4000); // the room earns a fraction of it
    expect(strong).toBeGreaterThan(flat * 1.4);
    expect(weak).toBeLessThan(flat * 0.8);
    expect(flat).toBeGreaterThan(25 * 300 * 0.85);
    expect(flat).toBeLessThan(25 * 300 * 1.15);
  });
});

describe('stock, orders and refunds', () => {
  it('a product that runs out emits soldOut and sells no more; a sold-out product cannot be pinned', () => {
    const sc = variant('daily-beauty', (s) => {
      const lip = s.products.find((p) => p.id === 'bea-lip');
      if (lip) lip.stock = 40;
    });
    const sim = new RoomSim(sc, { seed: 13, startedAt: T0 });
    sim.setAutopilot(false);
    sim.command({ type: 'pin', productId: 'bea-lip' });
    const ev = runTo(sim, 30 * MIN);
    const soldOut = ofType(ev, 'product').filter((p) => p.productId === 'bea-lip' && p.soldOut);
    expect(soldOut).toHaveLength(1);
    expect(soldOut[0]?.stock).toBe(0);
    const lipOrders = paidOrders(ev).filter((o) => o.productId === 'bea-lip');
    expect(lipOrders.reduce((s, o) => s + o.qty, 0)).toBe(40);
    expect(lipOrders.every((o) => o.ts <= (soldOut[0]?.ts ?? 0))).toBe(true);
    // Stock updates in between counted down.
    const stocks = ofType(ev, 'product').filter((p) => p.productId === 'bea-lip' && p.stock !== undefined).map((p) => p.stock ?? 0);
    expect(stocks.length).toBeGreaterThan(1);
    expect([...stocks].sort((a, b) => b - a)).toEqual(stocks);
    expect(sim.command({ type: 'pin', productId: 'bea-lip' })).toEqual({ ok: false, error: 'product "bea-lip" is sold out' });
    expect(sim.truthState().find((t) => t.productId === 'bea-lip')).toMatchObject({ soldOut: true, stock: 0, cvr: 0 });
  });

  it('on autopilot the host skips a sold-out product', () => {
    const sc = variant('daily-beauty', (s) => {
      const mask = s.products.find((p) => p.id === 'bea-mask');
      if (mask) mask.stock = 0;
    });
    const pins = ofType(runTo(new RoomSim(sc, { seed: 1, startedAt: T0 }), 3 * MIN), 'pin');
    expect(pins[0]?.productId).toBe('bea-lip');
  });

  it('order ids are unique; refunds reference an earlier paid order, same amount; buyers are viewers', () => {
    const sc = variant('daily-beauty', (s) => {
      s.refundRate = 0.2;
    });
    const ev = runTo(new RoomSim(sc, { seed: 17, startedAt: T0 }), 60 * MIN, 60_000);
    const paid = paidOrders(ev);
    expect(paid.length).toBeGreaterThan(100);
    expect(new Set(paid.map((o) => o.orderId)).size).toBe(paid.length);
    const byId = new Map(paid.map((o) => [o.orderId, o]));
    const refunds = ofType(ev, 'order').filter((o) => o.status === 'refunded');
    expect(refunds.length).toBeGreaterThan(paid.length * 0.08);
    expect(new Set(refunds.map((o) => o.orderId)).size).toBe(refunds.length);
    for (const r of refunds) {
      const o = byId.get(r.orderId);
      expect(o).toBeDefined();
      expect(o?.ts).toBeLessThan(r.ts - 60_000);
      expect(r).toMatchObject({ productId: o?.productId, qty: o?.qty, amountFen: o?.amountFen, buyerId: o?.buyerId });
    }
    const commenters = new Set(ofType(ev, 'comment').map((c) => c.userId));
    expect(paid.every((o) => /^u\d+$/.test(o.buyerId ?? ''))).toBe(true);
    expect(paid.filter((o) => commenters.has(o.buyerId)).length).toBeGreaterThan(0);
    expect(paid.every((o) => o.qty >= 1 && o.qty <= 3)).toBe(true);
    expect(paid.filter((o) => o.qty === 1).length / paid.length).toBeGreaterThan(0.7);
  });

  it('the whole show looks like a real room: CTR 2–10 %, click→order 2–8 %, ads report cumulative totals', () => {
    const sc = scenario('daily-beauty');
    const ev = runTo(new RoomSim(sc, { seed: 1, startedAt: T0 }), sc.durationMin * MIN, 60_000);
    const expo = sumN(ofType(ev, 'exposure'));
    const clicks = sumN(ofType(ev, 'click'));
    const orders = paidOrders(ev).length;
    expect(clicks / expo).toBeGreaterThan(0.02);
    expect(clicks / expo).toBeLessThan(0.1);
    expect(orders / clicks).toBeGreaterThan(0.02);
    expect(orders / clicks).toBeLessThan(0.08);
    const ads = ofType(ev, 'ad');
    for (let i = 1; i < ads.length; i++) {
      expect(ads[i]?.spendFen ?? 0).toBeGreaterThanOrEqual(ads[i - 1]?.spendFen ?? 0);
      expect(ads[i]?.orders ?? 0).toBeGreaterThanOrEqual(ads[i - 1]?.orders ?? 0);
    }
    const final = ads[ads.length - 1] as Ev<'ad'>;
    // Spend ≈ budget × minutes (less the start-up ramp), attributed orders a share of all orders.
    expect(final.spendFen).toBeGreaterThan(5000 * sc.durationMin * 0.9);
    expect(final.spendFen).toBeLessThanOrEqual(5000 * sc.durationMin);
    expect(final.orders ?? 0).toBeGreaterThan(0);
    expect(final.orders ?? 0).toBeLessThan(orders);
    expect(final.views).toBe(sumN(ofType(ev, 'enter').filter((e) => e.source === 'paid')));
  });
});

describe('comments', () => {
  it('carry demand words, more of them while a pinned product draws many clicks', () => {
    const sim = new RoomSim(scenario('daily-beauty'), { seed: 6, startedAt: T0 });
    sim.setAutopilot(false);
    sim.command({ type: 'pin', productId: null });
    const idle = runTo(sim, 20 * MIN);
    sim.command({ type: 'pin', productId: 'bea-mask' }); // ctr 0.11: many clicks
    const selling = runTo(sim, 40 * MIN);
    sim.command({ type: 'pin', productId: 'bea-giftbox' }); // ctr 0.05: few clicks
    const slow = runTo(sim, 60 * MIN);
    const demand = /链接|多少钱|库存|还有吗/;
    const share = (events: EventBody[]) => {
      const c = ofType(events, 'comment');
      return c.filter((x) => demand.test(x.text)).length / c.length;
    };
    const texts = ofType(selling, 'comment').map((c) => c.text);
    for (const w of ['链接', '多少钱', '还有吗', '上链接', '库存', '面膜']) expect(texts.some((t) => t.includes(w)), w).toBe(true);
    expect(share(selling)).toBeGreaterThan(share(idle) * 3);
    expect(share(selling)).toBeGreaterThan(share(slow) * 1.3);
    expect(ofType(slow, 'comment').some((c) => c.text.includes('礼盒'))).toBe(true);
    expect(ofType(selling, 'comment').every((c) => c.userId && c.nickname)).toBe(true);
  });

  it('an apparel room asks about sizes (尺码)', () => {
    const ev = runTo(new RoomSim(scenario('small-fashion'), { seed: 2, startedAt: T0 }), 60 * MIN, 60_000);
    const texts = ofType(ev, 'comment').map((c) => c.text);
    const sizeAsks = texts.filter((t) => /尺码|码|多重|腰围|穿/.test(t)).length;
    expect(sizeAsks / texts.length).toBeGreaterThan(0.05);
    expect(texts.some((t) => t.includes('尺码'))).toBe(true);
  });
});

describe('scenario files', () => {
  it('all shipped scenarios load and are what they claim to be', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const byRoom = new Map(files.map((f) => [readScenarioFile(`${SCENARIOS}${f}`).room.roomId, readScenarioFile(`${SCENARIOS}${f}`)]));
    for (const id of ['sim-beauty', 'sim-double11', 'sim-food', 'sim-fashion']) expect(byRoom.has(id), id).toBe(true);
    for (const s of byRoom.values()) {
      expect(s.room.platform).toBe('sim');
      expect(s.plan.length).toBeGreaterThan(0);
      expect(s.products.every((p) => p.costFen !== undefined && p.costFen < p.priceFen && p.role)).toBe(true);
    }
    expect(byRoom.get('sim-beauty')?.products.length).toBeGreaterThanOrEqual(10);
    expect(byRoom.get('sim-double11')?.products.length).toBeGreaterThanOrEqual(15);
    expect(byRoom.get('sim-double11')?.ads.length).toBe(2);
    expect(byRoom.get('sim-double11')?.waves.length).toBeGreaterThanOrEqual(3);
    expect(byRoom.get('sim-fashion')?.products.length).toBeLessThanOrEqual(6);
  });

  it('errors name the path of the first problem', () => {
    const base = structuredClone(scenario('daily-beauty')) as unknown as { products: Array<{ truth: { ctr: number } }>; plan: Array<{ productId: string }> };
    const badCtr = structuredClone(base);
    if (badCtr.products[2]) badCtr.products[2].truth.ctr = 2;
    expect(() => loadScenario(badCtr)).toThrow(/products\.2\.truth\.ctr/);
    const badPlan = structuredClone(base);
    if (badPlan.plan[1]) badPlan.plan[1].productId = 'ghost';
    expect(() => loadScenario(badPlan)).toThrow(/plan\.1\.productId.*ghost/);
    expect(() => loadScenario({ room: { roomId: 'x', title: 't' } })).toThrow(/invalid scenario at durationMin/);
    expect(() => readScenarioFile(`${SCENARIOS}missing.json`)).toThrow(/missing\.json/);
  });

  it('a scenario written from SCENARIO.md alone (no extensions) loads and runs', () => {
    const minimal = loadScenario({
      room: { roomId: 'sim-min', platform: 'sim', title: '美妆专场' },
      durationMin: 3,
      traffic: { recommendPerMin: 400, followPerMin: 30, snowball: 0.6, staySec: 75, cpmFen: 4000, paidEnterRate: 0.02 },
      ads: [{ planId: 'plan-1', budgetFenPerMin: 6000 }],
      products: [{ id: 'lip-01', title: '丝绒哑光唇釉', priceFen: 8900, costFen: 2600, stock: 800, role: 'hero', truth: { ctr: 0.09, cvr: 0.06, fatigueHalfLifeMin: 7, hook: 0.15 } }],
      waves: [{ atMin: 1, factor: 2.5, minutes: 1 }],
      plan: [{ productId: 'lip-01', minutes: 8 }],
    });
    const sim = new RoomSim(minimal, { seed: 1, startedAt: T0 });
    const ev = sim.advance(10 * MIN);
    expect(sim.ended).toBe(true);
    expect(ev[ev.length - 1]).toMatchObject({ type: 'session', status: 'ended', ts: T0 + 3 * MIN });
    expect(sumN(ofType(ev, 'click'))).toBeGreaterThan(0);
  });
});
