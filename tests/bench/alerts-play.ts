/**
 * Plays one simulated show headless through what the core runs for alerts — the simulator's
 * events into the real SessionAggregator and the ad console (for the break-even ROI), the alert
 * rules evaluated every STEP_MS of show time on the aggregator's live view — for any evaluator
 * (today's rules or the bench's baseline copy). Returns the alerts and the show as it went.
 */
import type { KnownFeedEvent } from '../../shared/protocol.ts';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import type { Alert } from '../../shared/contract.ts';
import type { AlertInput } from '../../shared/alerts/evaluate.ts';
import type { Kpis, MinuteRow } from '../../shared/metrics/types.ts';
import { DEFAULT_ECONOMICS } from '../../shared/ads/economics.ts';
import { AdService } from '../../electron/core/ads/service.ts';
import { RoomSim, type TruthMinute } from '../../electron/core/sim/model.ts';
import type { Scenario } from '../../electron/core/sim/scenario.ts';

/** What the harness needs of an evaluator: the app's AlertEvaluator and the baseline both have it. */
export interface Rules {
  observeStock(productId: string, stock: number): void;
  setBreakEvenRoi(value: number | null): void;
  fromMinute(currentMinute: number): number;
  evaluate(input: AlertInput): Alert[];
}

/** A fixed start: results must not depend on the wall clock. */
export const STARTED_AT = Date.UTC(2026, 10, 11, 12, 0, 0);
/** The core evaluates once a second of wall time: every 10 s of show time at the default 10×. */
const STEP_MS = 10_000;
const MINUTE_MS = 60_000;

export interface PlayedShow {
  alerts: Alert[];
  /** The whole show's minute rows and KPIs at its end. */
  minutes: MinuteRow[];
  kpis: Kpis;
  /** Session ROI (GMV / spend) at the end of each minute; null before any spend. */
  roiAt: Array<number | null>;
  /** The ads' own ROI (广告支付ROI) at the end of each minute: what break-even is judged on. */
  adRoiAt: Array<number | null>;
  /** The ad console's break-even ROI at the end of each minute. */
  breakEvenAt: Array<number | null>;
  /** The simulator's probabilities per minute (what the rate alerts are judged on). */
  truth: readonly TruthMinute[];
  durationMin: number;
}

export function playAlerts(scenario: Scenario, seed: number, rules: (roomId: string, sessionId: string) => Rules): PlayedShow {
  const sim = new RoomSim(scenario, { seed, startedAt: STARTED_AT, autopilot: true });
  const roomId = scenario.room.roomId;
  const sessionId = `${roomId}@${STARTED_AT}`;
  const agg = new SessionAggregator(STARTED_AT);
  const ads = new AdService({ roomId, sessionId, startedAt: STARTED_AT, economics: DEFAULT_ECONOMICS, learned: null, targetRoi: 3, commandsSupported: false, minIntervalMs: 0 });
  const ev = rules(roomId, sessionId);
  const alerts: Alert[] = [];
  const roiAt: Array<number | null> = [];
  const adRoiAt: Array<number | null> = [];
  const breakEvenAt: Array<number | null> = [];
  let breakEven: number | null = null;
  let seq = 0;
  let stockDirty = true;
  let lastTs = STARTED_AT;
  for (let t = 0; !sim.ended; t += STEP_MS) {
    for (const body of sim.advance(t)) {
      const e = { ...body, seq: ++seq } as KnownFeedEvent;
      agg.ingest(e);
      ads.observe(e);
      if (e.ts > lastTs) lastTs = e.ts;
      if (e.type === 'catalog') {
        for (const p of e.products) if (p.stock !== undefined) ev.observeStock(p.id, p.stock);
        stockDirty = true;
      } else if (e.type === 'product' && (e.stock !== undefined || e.soldOut !== undefined)) {
        if (e.stock !== undefined) ev.observeStock(e.productId, e.stock);
        stockDirty = true;
      }
    }
    const end = Math.min(STARTED_AT + t, STARTED_AT + scenario.durationMin * MINUTE_MS);
    const snap = agg.snapshot(end);
    const tick = ads.tick(end, t, { minutes: () => snap.minutes, products: () => snap.products }, true);
    if (tick && tick.breakEvenRoi !== breakEven) {
      breakEven = tick.breakEvenRoi;
      ev.setBreakEvenRoi(breakEven);
    }
    const minute = Math.floor((end - STARTED_AT) / MINUTE_MS);
    const live = agg.live(end, ev.fromMinute(minute));
    alerts.push(...ev.evaluate({ ts: end, minutes: live.minutes, kpis: live.kpis, products: stockDirty ? snap.products : null }));
    stockDirty = false;
    if ((end - STARTED_AT) % MINUTE_MS === 0 && end > STARTED_AT) {
      roiAt.push(live.kpis.roi);
      adRoiAt.push(live.kpis.adRoi);
      breakEvenAt.push(breakEven);
    }
  }
  const final = agg.snapshot(STARTED_AT + scenario.durationMin * MINUTE_MS);
  return { alerts, minutes: final.minutes, kpis: final.kpis, roiAt, adRoiAt, breakEvenAt, truth: sim.truthMinutes(), durationMin: scenario.durationMin };
}
