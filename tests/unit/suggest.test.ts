/**
 * The suggestion engine's estimators and ranking on cases worked by hand (issue 4, point 10).
 */
import { describe, expect, it } from 'vitest';
import {
  HALF_LIFE_GRID,
  ctrLift,
  cvrLift,
  decay,
  freshnessAtStarts,
  freshnessNow,
  gammaRate,
  halfLifeLogLik,
  meanLiftOver,
  normalCdf,
  recover,
  type PinnedBucket,
} from '../../shared/suggest/estimators.ts';
import { SuggestionEngine } from '../../shared/suggest/engine.ts';
import type { EventBody } from '../../shared/protocol.ts';

describe('estimators', () => {
  it('lifts: interest falls to a floor, not to zero', () => {
    expect(ctrLift(1)).toBe(1);
    expect(ctrLift(0)).toBeCloseTo(0.3);
    expect(ctrLift(0.5)).toBeCloseTo(0.65); // 0.3 + 0.7·0.5
    expect(cvrLift(0.5)).toBeCloseTo(0.75); // 0.5 + 0.5·0.5
    expect(ctrLift(7)).toBe(1); // clamped
  });

  it('decay halves per half-life; recovery is 1.5× slower', () => {
    expect(decay(1, 8, 8)).toBeCloseTo(0.5);
    expect(decay(0.8, 16, 8)).toBeCloseTo(0.2);
    // lost 0.5; recovery half-life 12 min: after 12 min half the loss is back → 0.75
    expect(recover(0.5, 12, 8)).toBeCloseTo(0.75);
    expect(recover(0.5, 0, 8)).toBeCloseTo(0.5);
  });

  it('freshness follows the pin history', () => {
    const stretches = [
      { startMin: 0, endMin: 8 },
      { startMin: 20, endMin: null },
    ];
    // 1 → 8 min explained → 0.5 → 12 min rest → 0.75; then 10 min explained: 0.75·0.5^(10/8)
    expect(freshnessAtStarts(stretches, 8, 30)).toEqual([1, expect.closeTo(0.75, 10)]);
    expect(freshnessNow(stretches, 8, 30)).toBeCloseTo(0.75 * Math.pow(0.5, 10 / 8), 10);
    expect(freshnessNow([], 8, 30)).toBe(1);
  });

  it('mean lift over a horizon lies between the lift now and at its end', () => {
    const now = ctrLift(1) * cvrLift(1);
    const end = ctrLift(decay(1, 4, 4)) * cvrLift(decay(1, 4, 4)); // f = 0.5 → 0.65·0.75
    expect(end).toBeCloseTo(0.4875);
    const mean = meanLiftOver(1, 4, 4);
    expect(mean).toBeLessThan(now);
    expect(mean).toBeGreaterThan(end);
    expect(meanLiftOver(0.6, 0, 4)).toBeCloseTo(ctrLift(0.6) * cvrLift(0.6));
    // no fatigue to speak of: the mean is the lift now
    expect(meanLiftOver(1, 3, 1e9)).toBeCloseTo(1);
  });

  it('gamma rate: evidence shrunk toward the prior', () => {
    // 10 clicks in 100 exposures, prior 0.2 worth 50 exposures: (10 + 10) / 150
    const r = gammaRate(10, 100, 0.2, 50);
    expect(r.mean).toBeCloseTo(20 / 150);
    expect(r.sd).toBeCloseTo(Math.sqrt(20) / 150);
    // no evidence: the prior
    expect(gammaRate(0, 0, 0.05, 100).mean).toBeCloseTo(0.05);
    // lots of evidence: the data
    expect(gammaRate(5000, 100_000, 0.2, 50).mean).toBeCloseTo(0.05, 3);
  });

  it('normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 3);
  });

  it('the half-life fit finds the fatigue that generated the data', () => {
    // Two stretches of a product whose true half-life is 5 min; expected counts, no noise.
    const H = 5;
    const stretches = [
      { startMin: 0, endMin: 10 },
      { startMin: 30, endMin: 40 },
    ];
    const starts = freshnessAtStarts(stretches, H, 40);
    const buckets: PinnedBucket[] = [];
    stretches.forEach((_, si) => {
      for (let k = 0; k < 20; k++) {
        const tau = (k + 0.5) / 2;
        const f = decay(starts[si] ?? 1, tau, H);
        const exposures = 2000;
        const clicks = exposures * 0.1 * ctrLift(f);
        buckets.push({ stretch: si, tauMin: tau, exposures, clicks, orders: clicks * 0.05 * cvrLift(f) });
      }
    });
    const ll = HALF_LIFE_GRID.map((h) => halfLifeLogLik(buckets, freshnessAtStarts(stretches, h, 40), h));
    const best = HALF_LIFE_GRID[ll.indexOf(Math.max(...ll))];
    expect(best).toBe(5);
  });
});

/** A tiny feed: a catalog, then per-second exposures/clicks/orders of the pinned product. */
function feed(): { engine: SuggestionEngine; events: EventBody[]; push: (e: EventBody) => void } {
  const engine = new SuggestionEngine();
  const events: EventBody[] = [];
  const push = (e: EventBody) => {
    events.push(e);
    engine.observe(e);
  };
  push({ type: 'session', ts: 0, status: 'live', startedAt: 0 });
  push({
    type: 'catalog',
    ts: 0,
    products: [
      { id: 'a', title: '面膜', priceFen: 10_000, stock: 1000, role: 'hero' },
      { id: 'b', title: '口红', priceFen: 10_000, stock: 1000, role: 'hero' },
      { id: 'c', title: '新品', priceFen: 10_000, stock: 1000, role: 'hero' },
    ],
  });
  return { engine, events, push };
}

function explain(push: (e: EventBody) => void, id: string, fromSec: number, toSec: number, expoPerSec: number, ctr: number, cvr: number): void {
  push({ type: 'pin', ts: fromSec * 1000, productId: id });
  let clickAcc = 0;
  let orderAcc = 0;
  let n = 0;
  for (let s = fromSec; s < toSec; s++) {
    const ts = s * 1000 + 500;
    push({ type: 'exposure', ts, productId: id, n: expoPerSec });
    clickAcc += expoPerSec * ctr;
    const clicks = Math.floor(clickAcc);
    clickAcc -= clicks;
    if (clicks > 0) push({ type: 'click', ts, productId: id, n: clicks });
    orderAcc += clicks * cvr;
    while (orderAcc >= 1) {
      orderAcc -= 1;
      push({ type: 'order', ts, orderId: `${id}-${s}-${n++}`, productId: id, qty: 1, amountFen: 10_000, status: 'paid' });
    }
  }
}

describe('SuggestionEngine ranking', () => {
  it('ranks the product with the better evidence first, with reasons', () => {
    const { engine, push } = feed();
    explain(push, 'a', 0, 180, 20, 0.12, 0.08); // strong
    explain(push, 'b', 180, 360, 20, 0.04, 0.02); // weak
    push({ type: 'pin', ts: 360_000, productId: 'c' });
    const s = engine.suggest(361_000);
    expect(s.pinnedProductId).toBe('c');
    expect(s.nextUp.map((e) => e.productId)).toEqual(['a', 'b']);
    const a = s.nextUp[0]!;
    expect(a.ctr).toBeGreaterThan(s.nextUp[1]!.ctr * 2);
    expect(a.reasons).toContainEqual(expect.objectContaining({ code: 'ctrVsRoom' }));
    expect(a.reasons).toContainEqual(expect.objectContaining({ code: 'rested' }));
    expect(a.reasons).toContainEqual({ code: 'stockOk', left: 1000 });
    // GMV per minute: ≈ exposures/min · ctr · cvr · price (lifts and shrinkage pull it down a little)
    expect(a.valueFenPerMin).toBeGreaterThan(0);
    expect(a.valueFenPerMin).toBeLessThan(1200 * 0.12 * 0.08 * 10_000 * 1.2);
  });

  it('gives an untested product an exploration bonus and says so', () => {
    const { engine, push } = feed();
    explain(push, 'a', 0, 240, 20, 0.08, 0.05);
    const s = engine.suggest(240_000);
    const c = s.nextUp.find((e) => e.productId === 'c')!;
    expect(c.reasons).toContainEqual({ code: 'untested' });
    expect(c.scoreFenPerMin).toBeGreaterThan(c.valueFenPerMin);
  });

  it('drops a sold-out product from next up and tells the pinned one to make way at once', () => {
    const { engine, push } = feed();
    explain(push, 'a', 0, 60, 20, 0.08, 0.05);
    push({ type: 'product', ts: 61_000, productId: 'b', stock: 0 });
    let s = engine.suggest(62_000);
    expect(s.nextUp.map((e) => e.productId)).not.toContain('b');
    push({ type: 'product', ts: 63_000, productId: 'a', soldOut: true });
    s = engine.suggest(64_000); // well inside the minimum dwell: sold out overrides it
    expect(s.switchNow).toMatchObject({ productId: 'a', toProductId: 'c', confidence: 1, reasons: [{ code: 'soldOut' }] });
  });

  it('holds a fresh pick for the minimum dwell, then switches when an alternative is clearly better', () => {
    const { engine, push } = feed();
    explain(push, 'a', 0, 240, 20, 0.12, 0.08); // a is strong
    explain(push, 'c', 240, 360, 20, 0.03, 0.02); // c is poor
    explain(push, 'b', 360, 420, 20, 0.03, 0.02); // b is poor, just pinned
    expect(engine.suggest(420_000).switchNow).toBeNull(); // 60 s < 90 s dwell
    explain(push, 'b', 420, 450, 20, 0.03, 0.02);
    const s = engine.suggest(450_000);
    expect(s.switchNow?.toProductId).toBe('a');
    expect(s.switchNow?.reasons).toContainEqual(expect.objectContaining({ code: 'betterNext', productId: 'a' }));
  });
});
