/**
 * One alert condition's life (shared/alerts/evaluate.ts "Episodes"): how long it must hold before
 * it is raised, how long it must stay cleared before it counts as over, and when it may be raised
 * again. Pure and time-driven (source time), so a test can walk it second by second.
 */

/** What an evaluation says of a condition. */
export type Verdict =
  /** beyond the raise threshold (and, for rates, significantly so) */
  | 'low'
  /** inside the hysteresis band: neither low nor cleared (a wait for `holdMs` goes on) */
  | 'between'
  /** back at or beyond the re-arm level */
  | 'clear'
  /** not enough data to judge: nothing changes */
  | 'unknown';

export interface EpisodeTiming {
  /** the condition must be low again this long after it first went low (without clearing) before it is raised */
  holdMs: number;
  /** it must stay cleared this long before the episode is over */
  clearMs: number;
  /** a new episode is raised only this long after the previous alert of the same condition */
  quietMs: number;
  /** a figure worse than the previous alert's is raised only this long after it */
  escalateMs: number;
}

export class Episode {
  private lowSince: number | null = null;
  private clearSince: number | null = null;
  /** The last alert raised: when, and its figure (the one `worse` compares). */
  private last: { ts: number; value: number } | null = null;
  /** The condition cleared for `clearMs` since the last alert. */
  private over = true;

  constructor(
    private readonly timing: EpisodeTiming,
    /** true when `value` is materially worse than the figure of the last alert */
    private readonly worse: (value: number, lastValue: number) => boolean,
  ) {}

  /** An alert raised before a restart: the episode continues from it. */
  restore(ts: number, value: number): void {
    if (this.last === null || ts >= this.last.ts) this.last = { ts, value };
    this.over = false;
  }

  /** Feeds one evaluation at source time `ts`; true when an alert is to be raised now. */
  step(ts: number, verdict: Verdict, value: number): boolean {
    switch (verdict) {
      case 'unknown':
        return false;
      case 'between':
        this.clearSince = null;
        return false;
      case 'clear':
        this.lowSince = null;
        this.clearSince ??= ts;
        if (ts - this.clearSince >= this.timing.clearMs) this.over = true;
        return false;
      case 'low':
        return this.low(ts, value);
    }
  }

  private low(ts: number, value: number): boolean {
    this.clearSince = null;
    this.lowSince ??= ts;
    if (ts - this.lowSince < this.timing.holdMs) return false;
    const last = this.last;
    const fresh = last === null || (this.over && ts - last.ts >= this.timing.quietMs);
    // Worse than the last alert is news even inside the quiet period.
    const escalates = last !== null && ts - last.ts >= this.timing.escalateMs && this.worse(value, last.value);
    if (!fresh && !escalates) return false;
    this.last = { ts, value };
    this.over = false;
    return true;
  }
}
