/**
 * "Would a 场控 act on it?" — judged from how the simulated show actually went after the alert,
 * never from the rules that raised it. The condition the alert named must still hold, measured
 * plainly, in the minutes that follow the alert's minute m (as many as the show still had; an
 * alert in the show's last minute has nothing left to act on):
 * - ctr / clickToOrder: the TRUE rate over the alert's window and the REACT_MIN (2) minutes after
 *   it (m−2…m+2) — the simulator's probabilities, not the dice: expected clicks ÷ exposures,
 *   expected orders ÷ clicks (TruthMinute) — is below target × (1 − tolerance). A few unlucky
 *   minutes of a product that sells well are no reason to act; a product that converts badly is,
 *   however the dice fell. (Not the five minutes after: the host's run-of-show switches product
 *   every few minutes, which is itself the action such an alert asks for.)
 * - roi: the session ROI at the end of minute m+5 is below target × (1 − tolerance);
 * - roiBelowBreakEven: the ads' own ROI at the end of minute m+5 is below that minute's break-even;
 * - onlineDrop: the room stayed down by the alert's own share — the mean online over minutes
 *   m+1…m+5 is at least onlineDropPct below the mean over minutes m−5…m−1 (a wave's end counts:
 *   those viewers are gone; a small room's dip that refills, or a level drifting 15 %, does not);
 * - lowStock: always — the stock figure is a fact, not a noisy estimate.
 * Nobody acts in the simulation (the host follows the run-of-show), so a condition that went away
 * by itself within five minutes needed no one.
 */
import type { Alert, RoomTargets } from '../../shared/contract.ts';
import type { PlayedShow } from './alerts-play.ts';

export const AFTER_MIN = 5;
export const REACT_MIN = 2;
const WINDOW_MIN = 3;

export function wouldActOn(a: Alert, show: PlayedShow, t: RoomTargets): boolean {
  const after = show.minutes.slice(a.minute + 1, a.minute + 1 + AFTER_MIN);
  // AFTER_MIN (5) minutes for ROI and online, whose figures hold no dice of their own to separate.
  const at = Math.min(a.minute + AFTER_MIN, show.roiAt.length - 1);
  if (a.kind !== 'lowStock' && after.length === 0) return false;
  switch (a.kind) {
    case 'ctr':
      return trueRate(show, a.minute, 'expectedClicks', 'exposures') < t.ctr * (1 - t.tolerance);
    case 'clickToOrder':
      return trueRate(show, a.minute, 'expectedOrders', 'clicks') < t.clickToOrder * (1 - t.tolerance);
    case 'roi':
      return (show.roiAt[at] ?? Infinity) < t.roi * (1 - t.tolerance);
    case 'roiBelowBreakEven':
      return (show.adRoiAt[at] ?? Infinity) < (show.breakEvenAt[at] ?? -Infinity);
    case 'onlineDrop': {
      const before = mean(show.minutes.slice(Math.max(0, a.minute - AFTER_MIN), a.minute).map((r) => r.onlineAvg));
      return mean(after.map((r) => r.onlineAvg)) <= before * (1 - t.onlineDropPct);
    }
    case 'lowStock':
      return true;
  }
}

function trueRate(show: PlayedShow, minute: number, hits: 'expectedClicks' | 'expectedOrders', of: 'exposures' | 'clicks'): number {
  let h = 0;
  let n = 0;
  for (const r of show.truth.slice(Math.max(0, minute - (WINDOW_MIN - 1)), minute + 1 + REACT_MIN)) {
    h += r[hits];
    n += r[of];
  }
  return n > 0 ? h / n : Infinity;
}

function mean(xs: Array<number | null>): number {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
