/**
 * The simulator's constants and the small curves built on them, shared by every part of the
 * model (model.ts has the model in a few lines).
 */
import type { EventBody } from '../../../shared/protocol.ts';

/** Model constants. Exported so an oracle policy and the tests speak the same numbers. */
export const MODEL = {
  /** pinned product card impressions per online viewer per second (the 讲解卡 pops up again and again) */
  pinExposurePerViewerSec: 1 / 45,
  /** pinned card impressions per room entry (new viewers see the card on arrival) */
  pinExposurePerEntry: 0.6,
  /** shopping-bag product impressions per online viewer per second, shared by the unpinned products */
  bagExposurePerViewerSec: 1 / 150,
  bagCtrFactor: 0.35,
  bagCvrFactor: 0.8,
  /** share of click-through / conversion left when freshness reaches 0 (new arrivals keep some interest) */
  ctrFloor: 0.3,
  cvrFloor: 0.45,
  /** a pinned product that is sold out still draws curious clicks, at this share of its ctr */
  soldOutCtrFactor: 0.25,
  qty: { values: [1, 2, 3], weights: [0.84, 0.12, 0.04] },
  flashSec: 180,
  flashCtr: 1.4,
  flashCvr: 2,
  flashHook: 0.25,
  giveawaySec: 300,
  snowballWindowMin: 3,
  snowballSmoothing: 0.4,
  snowballMin: 0.35,
  snowballMax: 3,
  /** the typical freshness over a run-of-show, used for the default normalGpm */
  refFreshness: 0.7,
  /** how long (s) a product pinned by a command on autopilot stays when it is not in the plan */
  manualPinSec: 300,
} as const;

export const QTY_MEAN = MODEL.qty.values.reduce((s, v, i) => s + v * (MODEL.qty.weights[i] ?? 0), 0);

/** The events of the second being simulated, sorted into ts order when it ends. */
export type Buffer = EventBody[];

/** Event ts for simulated second `sec` (+ an offset within it): startedAt + simulated ms. */
export type Stamp = (sec: number, offsetMs?: number) => number;

export function ctrMult(f: number): number {
  return MODEL.ctrFloor + (1 - MODEL.ctrFloor) * f;
}

export function cvrMult(f: number): number {
  return MODEL.cvrFloor + (1 - MODEL.cvrFloor) * f;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export function yuan(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}
