/**
 * `lcr evaluate` (SCENARIO.md "Evaluating suggestion policies", CONTRACTS.md): plays a scenario
 * headless, one policy choosing every pin, and reports GMV, orders and GPM over seeds 1…N.
 *
 *   plan     the simulator's own autopilot: the run-of-show in order, each product for its
 *            planned minutes, repeating (the host following a good 排品表)
 *   suggest  the app's SuggestionEngine. It gets the feed events and nothing else — the policy
 *            below hands it `sim.advance()`'s output (the same events the relay ships) and sends
 *            back `pin` commands, exactly what the app does when the operator accepts a suggestion
 *   oracle   reads the simulator's truth and current freshness, and pins greedily for the
 *            highest expected GMV per room entry; the practical upper bound
 *
 * Figures come from the same SessionAggregator the app uses (METRICS.md gmvFen: paid minus refunded).
 */
import type { EventBody, KnownFeedEvent } from '../../../shared/protocol.ts';
import { SessionAggregator } from '../../../shared/metrics/aggregator.ts';
import { SuggestionEngine, type EngineOptions } from '../../../shared/suggest/engine.ts';
import type { LearnedPriors } from '../../../shared/suggest/types.ts';
import { RoomSim } from '../sim/model.ts';
import type { Scenario } from '../sim/scenario.ts';

export const POLICIES = ['plan', 'suggest', 'oracle'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** A fixed session start: evaluation results must not depend on the wall clock. */
const STARTED_AT = Date.UTC(2026, 10, 11, 12, 0, 0);
const STEP_MS = 10_000;
const DECIDE_EVERY_MS = 30_000;

export interface ShowResult {
  seed: number;
  gmvFen: number;
  orders: number;
  gpm: number | null;
  /** how many times the policy changed the pinned product */
  pins: number;
}

export interface EvaluateResult {
  policy: PolicyName;
  scenario: string;
  seeds: number;
  gmvFen: { mean: number; min: number; max: number; sd: number };
  orders: { mean: number };
  gpm: { mean: number };
  runs: ShowResult[];
}

export interface ShowOptions {
  engine?: EngineOptions;
  /** observe every event the suggest policy's engine was given (honesty tests) */
  onEngineEvent?: (e: EventBody) => void;
  /** called with what the show taught the engine, at the end of a suggest show */
  onLearned?: (p: LearnedPriors) => void;
}

/** A policy sees the show through this: the suggest policy only gets `events`. */
interface Decider {
  observe(events: readonly EventBody[]): void;
  decide(ts: number): string | null | undefined;
}

export function playShow(scenario: Scenario, policy: PolicyName, seed: number, opts: ShowOptions = {}): ShowResult {
  const sim = new RoomSim(scenario, { seed, startedAt: STARTED_AT, autopilot: policy === 'plan' });
  const agg = new SessionAggregator(STARTED_AT);
  let seq = 0;
  let pins = 0;
  const suggest = policy === 'suggest' ? suggestDecider(scenario, opts) : null;
  const decider: Decider | null = suggest ?? (policy === 'oracle' ? oracleDecider(sim) : null);
  let nextDecision = 0;
  for (let t = 0; !sim.ended; t += STEP_MS) {
    const events = sim.advance(t);
    for (const e of events) {
      agg.ingest({ ...e, seq: ++seq } as KnownFeedEvent);
      if (e.type === 'pin') pins++;
    }
    if (!decider) continue;
    decider.observe(events);
    if (t >= nextDecision && !sim.ended) {
      nextDecision = t + DECIDE_EVERY_MS;
      const choice = decider.decide(STARTED_AT + t);
      if (choice !== undefined && choice !== sim.pinnedProductId) sim.command({ type: 'pin', productId: choice });
    }
  }
  if (suggest && opts.onLearned) opts.onLearned(suggest.learned());
  const snap = agg.snapshot(STARTED_AT + scenario.durationMin * 60_000);
  return { seed, gmvFen: snap.kpis.gmvFen, orders: snap.kpis.orders, gpm: snap.kpis.gpm, pins };
}

/**
 * The app's engine as a policy: pin what "next up" ranks first when nothing is pinned; switch
 * when "switch now" says so. It is constructed from the scenario's run-of-show only (the 排品表 a
 * team imports), never from the scenario's products or truth.
 */
function suggestDecider(scenario: Scenario, opts: ShowOptions): Decider & { learned(): LearnedPriors } {
  const engine = new SuggestionEngine({ ...opts.engine, plan: scenario.plan.map((i) => ({ productId: i.productId, minutes: i.minutes })) });
  const firstPlanned = scenario.plan[0]?.productId ?? null;
  return {
    observe(events) {
      for (const e of events) {
        opts.onEngineEvent?.(e);
        engine.observe(e);
      }
    },
    decide(ts) {
      const s = engine.suggest(ts);
      if (s.pinnedProductId === null) {
        // The show opens with the plan's opener (the team's choice); after that, the engine's pick.
        if (firstPlanned && !s.nextUp.length) return undefined;
        const opener = ts === STARTED_AT && firstPlanned ? firstPlanned : (s.nextUp[0]?.productId ?? null);
        return opener ?? undefined;
      }
      if (s.switchNow) return s.switchNow.toProductId ?? undefined;
      return undefined;
    },
    learned: () => engine.learned(),
  };
}

/** Knows the truth: greedy on expected GMV per entry at each product's current freshness. */
function oracleDecider(sim: RoomSim): Decider {
  return {
    observe() {},
    decide() {
      let best: string | null = null;
      let bestV = -1;
      for (const row of sim.truthState()) {
        if (row.soldOut) continue;
        const v = sim.expectedValuePerEntry(row.productId, row.freshness);
        if (v > bestV) {
          bestV = v;
          best = row.productId;
        }
      }
      return best;
    },
  };
}

export function evaluate(scenario: Scenario, policy: PolicyName, seeds: number, name: string, opts: ShowOptions = {}): EvaluateResult {
  const runs: ShowResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) runs.push(playShow(scenario, policy, seed, opts));
  const gmv = runs.map((r) => r.gmvFen);
  const mean = gmv.reduce((s, v) => s + v, 0) / runs.length;
  const sd = Math.sqrt(gmv.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, runs.length - 1));
  return {
    policy,
    scenario: name,
    seeds,
    gmvFen: { mean: Math.round(mean), min: Math.min(...gmv), max: Math.max(...gmv), sd: Math.round(sd) },
    orders: { mean: runs.reduce((s, r) => s + r.orders, 0) / runs.length },
    gpm: { mean: runs.reduce((s, r) => s + (r.gpm ?? 0), 0) / runs.length },
    runs,
  };
}
