/**
 * The suggestion engine against the simulator (issue 4, points 8 and 10): it switches away from a
 * fading product, stops suggesting a sold-out one, reacts to a traffic drop — and it is honest:
 * it never reads a scenario's `truth`, and its advice is a function of the feed alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoomSim } from '../../electron/core/sim/model.ts';
import { loadScenario, readScenarioFile, type Scenario } from '../../electron/core/sim/scenario.ts';
import { playShow } from '../../electron/core/eval/evaluate.ts';
import { SuggestionEngine } from '../../shared/suggest/engine.ts';
import type { EventBody } from '../../shared/protocol.ts';

const root = join(import.meta.dirname, '../..');
const beauty = () => readScenarioFile(join(root, 'assets/scenarios/daily-beauty.json'));

/** Plays `sim` to `toMin`, feeding the engine, starting from `fromMin`. */
function play(sim: RoomSim, engine: SuggestionEngine, fromMin: number, toMin: number): void {
  for (let t = fromMin * 60_000; t <= toMin * 60_000; t += 5_000) for (const e of sim.advance(t)) engine.observe(e);
}

describe('suggestions on simulated shows', () => {
  it('switches away from a product whose segment is fading', () => {
    // Two products: a dazzler that tires in 2 minutes, and a steady one.
    const sc: Scenario = loadScenario({
      room: { roomId: 'sim-fade', title: 'fade' },
      durationMin: 30,
      traffic: { recommendPerMin: 900, followPerMin: 10, snowball: 0, staySec: 90, cpmFen: 4000, paidEnterRate: 0.02 },
      products: [
        { id: 'dazzle', title: '爆款', priceFen: 9900, stock: 100_000, role: 'hero', truth: { ctr: 0.14, cvr: 0.08, fatigueHalfLifeMin: 2, hook: 0.1 } },
        { id: 'steady', title: '常青款', priceFen: 9900, stock: 100_000, role: 'hero', truth: { ctr: 0.08, cvr: 0.05, fatigueHalfLifeMin: 30, hook: 0.1 } },
      ],
      plan: [{ productId: 'steady', minutes: 5 }],
    });
    const sim = new RoomSim(sc, { seed: 3, startedAt: 0, autopilot: false });
    const engine = new SuggestionEngine();
    play(sim, engine, 0, 0);
    sim.command({ type: 'pin', productId: 'steady' }); // learn the steady one first
    play(sim, engine, 0, 4);
    sim.command({ type: 'pin', productId: 'dazzle' });
    play(sim, engine, 4, 5);
    // Fresh: no reason to leave it yet.
    expect(engine.suggest(5 * 60_000).switchNow).toBeNull();
    play(sim, engine, 5, 12);
    const s = engine.suggest(12 * 60_000);
    expect(s.pinnedProductId).toBe('dazzle');
    expect(s.switchNow?.toProductId).toBe('steady');
    expect(s.switchNow?.reasons).toContainEqual(expect.objectContaining({ code: 'fading' }));
    expect(s.pinned?.freshness).toBeLessThan(0.3);
  });

  it('stops suggesting a product once it is sold out', () => {
    const sc = beauty();
    const lip = sc.products.find((p) => p.id === 'bea-lip')!;
    lip.stock = 40; // sells out within minutes of explaining
    const sim = new RoomSim(sc, { seed: 1, startedAt: 0, autopilot: false });
    const engine = new SuggestionEngine();
    play(sim, engine, 0, 0);
    sim.command({ type: 'pin', productId: 'bea-lip' });
    let t = 0;
    while (!sim.truthState().find((r) => r.productId === 'bea-lip')?.soldOut && t < 60) play(sim, engine, t, ++t);
    play(sim, engine, t, t + 1); // the stock update reaches the feed
    const s = engine.suggest((t + 1) * 60_000);
    expect(s.nextUp.map((e) => e.productId)).not.toContain('bea-lip');
    expect(s.switchNow).toMatchObject({ productId: 'bea-lip', confidence: 1, reasons: [{ code: 'soldOut' }] });
    expect(s.switchNow?.toProductId).toBe(s.nextUp[0]?.productId);
  });

  it('plays a hold-the-room product when traffic drops', () => {
    const sc = readScenarioFile(join(root, 'tests/fixtures/scenarios/traffic-drop.json'));
    const sim = new RoomSim(sc, { seed: 1, startedAt: 0, autopilot: true });
    const engine = new SuggestionEngine();
    play(sim, engine, 0, 4);
    expect(engine.suggest(4 * 60_000).plays.filter((p) => p.kind === 'retain')).toEqual([]);
    let retain = null;
    for (let m = 5; m <= 12 && !retain; m++) {
      play(sim, engine, m - 1, m);
      retain = engine.suggest(m * 60_000).plays.find((p) => p.kind === 'retain') ?? null;
    }
    expect(retain).not.toBeNull();
    expect(retain?.reasons[0]).toMatchObject({ code: 'onlineFalling' });
    expect((retain?.reasons[0] as { pct: number }).pct).toBeLessThanOrEqual(-15);
  });
});

describe('the engine is honest', () => {
  it('never imports the simulator or anything that knows the truth', () => {
    const dir = join(root, 'shared/suggest');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(join(dir, f), 'utf8');
      const imports = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
      // Only its own folder and the shared code both runtimes use (protocol, formats, i18n);
      // nothing from electron/, where the simulator and its truth live.
      for (const i of imports) {
        expect(i, `${f} imports ${i}`).toMatch(/^\.\.?\/[^.]/);
        expect(i, `${f} imports ${i}`).not.toMatch(/\.\.\/\.\.|electron|sim/);
      }
    }
  });

  it('never reads truth during a suggest show: every truth read comes from the simulator', () => {
    const sc = beauty();
    const readers = new Set<string>();
    let reads = 0;
    for (const p of sc.products) {
      p.truth = new Proxy(p.truth, {
        get(target, key, recv) {
          reads++;
          const stack = new Error().stack ?? '';
          if (stack.includes('/shared/suggest/')) readers.add(stack.split('\n').slice(2, 4).join(' | '));
          return Reflect.get(target, key, recv);
        },
      });
    }
    sc.durationMin = 30;
    const result = playShow(sc, 'suggest', 1);
    expect(result.gmvFen).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(10_000); // the simulator reads it all the time: the trap works
    expect([...readers]).toEqual([]);
  });

  it('decides from the feed alone: the same events give the same advice', () => {
    const sc = beauty();
    sc.durationMin = 40;
    const seen: EventBody[] = [];
    playShow(sc, 'suggest', 2, { onEngineEvent: (e) => seen.push(structuredClone(e)) });
    expect(seen.length).toBeGreaterThan(1000);
    // A fresh engine, fed those events and nothing else, gives the identical advice.
    const replay = (events: EventBody[]) => {
      const engine = new SuggestionEngine({ plan: sc.plan });
      for (const e of events) engine.observe(e);
      return engine.suggest(events[events.length - 1]!.ts);
    };
    const a = replay(seen);
    const b = replay(seen.map((e) => structuredClone(e)));
    expect(b).toEqual(a);
    expect(a.nextUp.length).toBeGreaterThan(0);
  });
});
