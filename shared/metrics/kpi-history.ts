/**
 * KPI snapshots of one room by source time, kept for two minutes, so each tile can show its change
 * over the last minute of the show — a simulated minute at 10× too. One class for the core (which
 * keeps one per live session, so a room opened on screen has its deltas at once) and the screen
 * (which keeps one per room, fed by every room's pushes, so switching rooms never blanks them).
 */
import type { Kpis } from './types.ts';

export interface KpiSnapshot {
  /** source time the figures are computed up to */
  ts: number;
  kpis: Kpis;
}

/** "The last minute". */
export const DELTA_MS = 60_000;
/** Held for twice that, so the minute-ago snapshot is always there. */
const KEEP_MS = 2 * DELTA_MS;
/** Snapshots closer together than this (source time) add nothing but memory. */
const MIN_STEP_MS = 1_000;

export class KpiHistory {
  private entries: KpiSnapshot[] = [];

  reset(): void {
    this.entries = [];
  }

  /** A newer snapshot; an older one, or one within MIN_STEP_MS of the last, is left out. */
  add(ts: number | null, kpis: Kpis | null): void {
    if (ts === null || !kpis) return;
    const last = this.entries.at(-1);
    if (last && ts < last.ts + MIN_STEP_MS) return;
    this.entries.push({ ts, kpis });
    while (this.entries.length > 2 && this.entries[1]!.ts <= ts - KEEP_MS) this.entries.shift();
  }

  /**
   * A snapshot from elsewhere (the core's minute-ago one), placed by its time among those held —
   * unless one within MIN_STEP_MS is there already or it is older than the two minutes kept.
   */
  seed(s: KpiSnapshot | null | undefined): void {
    if (!s) return;
    const last = this.entries.at(-1);
    if (last && s.ts <= last.ts - KEEP_MS) return;
    if (this.entries.some((e) => Math.abs(e.ts - s.ts) < MIN_STEP_MS)) return;
    const at = this.entries.findIndex((e) => e.ts > s.ts);
    if (at < 0) this.entries.push(s);
    else this.entries.splice(at, 0, s);
  }

  /** The newest snapshot at least DELTA_MS before `ts` (null: none that old yet). */
  ago(ts: number | null): KpiSnapshot | null {
    if (ts === null) return null;
    let found: KpiSnapshot | null = null;
    for (const e of this.entries) {
      if (e.ts <= ts - DELTA_MS) found = e;
      else break;
    }
    return found;
  }
}
