/**
 * Where the organic audience comes from: the per-second entry rates by source (baseline curve,
 * waves, the snowball, warm-up) and the snowball itself — the feed algorithm's judgement of the
 * last minutes, which scales the recommend traffic of the minutes that follow.
 */
import type { OrganicSource } from './audience.ts';
import { MODEL, clamp } from './params.ts';
import type { Scenario } from './scenario.ts';

/** Organic entries per second by source at second `k`, with the snowball's current multiplier. */
export function organicRates(scenario: Scenario, k: number, snowballMult: number): Record<OrganicSource, number> {
  const tr = scenario.traffic;
  const tMin = k / 60;
  const warm = Math.min(1, 0.35 + (0.65 * k) / 240);
  return {
    recommend: (tr.recommendPerMin / 60) * curveAt(tr.curve, tMin) * waveFactor(scenario.waves, tMin) * snowballMult * warm,
    // Followers get a start-of-show notification (开播提醒): most of them come early.
    follow: (tr.followPerMin / 60) * (1 + 1.5 * Math.exp(-k / 300)),
    search: (tr.searchPerMin ?? tr.recommendPerMin * 0.04) / 60,
    shortVideo: (tr.shortVideoPerMin ?? tr.recommendPerMin * 0.06) / 60,
    other: (tr.otherPerMin ?? tr.recommendPerMin * 0.01) / 60,
  };
}

interface MinuteStat {
  entries: number;
  gmvFen: number;
  eSum: number;
  staySum: number;
  secs: number;
}

/** The minute's books and the multiplier they earn (see model.ts: snowball). */
export class Snowball {
  /** The recommend-traffic multiplier currently applied (1 = average). */
  mult = 1;
  private minuteStats: MinuteStat[] = [];
  private cur: MinuteStat = { entries: 0, gmvFen: 0, eSum: 0, staySum: 0, secs: 0 };

  private readonly scenario: Scenario;
  private readonly normalGpm: number;

  constructor(scenario: Scenario, normalGpm: number) {
    this.scenario = scenario;
    this.normalGpm = normalGpm;
  }

  addGmv(amountFen: number): void {
    this.cur.gmvFen += amountFen;
  }

  /** One second's entries, engagement and stay; closes the minute on its last second. */
  noteSecond(k: number, entries: number, e: number, stay: number): void {
    this.cur.entries += entries;
    this.cur.eSum += e;
    this.cur.staySum += stay;
    this.cur.secs++;
    if (k % 60 === 59) this.closeMinute();
  }

  private closeMinute(): void {
    this.minuteStats.push(this.cur);
    this.cur = { entries: 0, gmvFen: 0, eSum: 0, staySum: 0, secs: 0 };
    if (this.minuteStats.length > MODEL.snowballWindowMin) this.minuteStats.shift();
    const snowball = this.scenario.traffic.snowball;
    if (snowball <= 0) return;
    let entries = 0;
    let gmv = 0;
    let eSum = 0;
    let staySum = 0;
    let secs = 0;
    for (const m of this.minuteStats) {
      entries += m.entries;
      gmv += m.gmvFen;
      eSum += m.eSum;
      staySum += m.staySum;
      secs += m.secs;
    }
    // Too few entries to judge (a tiny room's first minute): leave the multiplier alone.
    if (entries < 20 || secs === 0) return;
    const gpm = (gmv / 100 / entries) * 1000;
    const gpmRatio = clamp(gpm / this.normalGpm, 0.15, 4);
    const stayRatio = clamp(staySum / secs / this.scenario.traffic.staySec, 0.3, 3);
    const engRatio = clamp(eSum / secs, 0.3, 3);
    const score = Math.pow(gpmRatio, 0.55) * Math.pow(stayRatio, 0.25) * Math.pow(engRatio, 0.2);
    const target = clamp(1 + snowball * (score - 1), MODEL.snowballMin, MODEL.snowballMax);
    this.mult += MODEL.snowballSmoothing * (target - this.mult);
  }
}

function waveFactor(waves: Scenario['waves'], tMin: number): number {
  let f = 1;
  for (const w of waves) if (tMin >= w.atMin && tMin < w.atMin + w.minutes) f *= w.factor;
  return f;
}

/** Piecewise-linear baseline; flat beyond the first and last points. */
function curveAt(curve: ReadonlyArray<{ atMin: number; factor: number }> | undefined, tMin: number): number {
  if (!curve || curve.length === 0) return 1;
  const first = curve[0] as { atMin: number; factor: number };
  if (tMin <= first.atMin) return first.factor;
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i] as { atMin: number; factor: number };
    if (tMin <= b.atMin) {
      const a = curve[i - 1] as { atMin: number; factor: number };
      const span = b.atMin - a.atMin;
      return span <= 0 ? b.factor : a.factor + ((b.factor - a.factor) * (tMin - a.atMin)) / span;
    }
  }
  return (curve[curve.length - 1] as { atMin: number; factor: number }).factor;
}
