/** One alert condition's life (shared/alerts/episode.ts) and the significance helpers, second by second. */
import { describe, expect, it } from 'vitest';
import { Episode, type Verdict } from '../../shared/alerts/episode.ts';
import { wilsonUpper } from '../../shared/alerts/significance.ts';

const SEC = 1000;
const timing = { holdMs: 60 * SEC, clearMs: 60 * SEC, quietMs: 600 * SEC, escalateMs: 120 * SEC };
/** Lower is worse; worse by at least 10. */
const episode = () => new Episode(timing, (v, last) => v <= last - 10);

/** Steps through [second, verdict, value] and returns the seconds at which it raised. */
function walk(e: Episode, steps: Array<[number, Verdict, number]>): number[] {
  return steps.filter(([s, v, x]) => e.step(s * SEC, v, x)).map(([s]) => s);
}

describe('Episode', () => {
  it('raises once the condition is low again holdMs after it first went low', () => {
    expect(walk(episode(), [[0, 'low', 50], [30, 'low', 50], [60, 'low', 50], [90, 'low', 50]])).toEqual([60]);
  });

  it('a clear judgement restarts the wait; the hysteresis band and missing data do not', () => {
    expect(walk(episode(), [[0, 'low', 50], [30, 'clear', 90], [60, 'low', 50], [90, 'low', 50], [120, 'low', 50]])).toEqual([120]);
    expect(walk(episode(), [[0, 'low', 50], [20, 'between', 70], [40, 'unknown', 0], [60, 'low', 50]])).toEqual([60]);
  });

  it('raises a new episode only after clearing for clearMs and quietMs after the last alert', () => {
    const e = episode();
    expect(walk(e, [[0, 'low', 50], [60, 'low', 50]])).toEqual([60]);
    // Clear for 30 s only, low again: the same episode.
    expect(walk(e, [[100, 'clear', 90], [130, 'low', 50], [400, 'low', 50], [700, 'low', 50]])).toEqual([]);
    // Clear for 60 s (over at 800), low again from 810: held at 870, 810 s after the last alert (quiet: 600 s) → raised at 870.
    expect(walk(e, [[740, 'clear', 90], [800, 'clear', 90], [810, 'low', 50], [840, 'low', 50], [870, 'low', 50]])).toEqual([870]);
    // Over again, low again at once: the quiet period (till 1470) holds it back …
    expect(walk(e, [[900, 'clear', 90], [960, 'clear', 90], [1000, 'low', 50], [1100, 'low', 50], [1400, 'low', 50]])).toEqual([]);
    // … and it is raised after it.
    expect(walk(e, [[1480, 'low', 50]])).toEqual([1480]);
  });

  it('raises a worse figure escalateMs after the last alert, even inside the quiet period', () => {
    const e = episode();
    expect(walk(e, [[0, 'low', 50], [60, 'low', 50]])).toEqual([60]);
    // 41 is worse by 9 only; 40 at 100 s is too soon (escalateMs 120 s); 40 at 180 s is raised; 35 is not a further step.
    expect(walk(e, [[90, 'low', 41], [100, 'low', 40], [180, 'low', 40], [400, 'low', 35], [420, 'low', 30]])).toEqual([180, 420]);
  });

  it('continues a restored alert: no repeat while it holds, a worse figure is news', () => {
    const e = episode();
    e.restore(0, 50);
    expect(walk(e, [[10, 'low', 50], [200, 'low', 45], [300, 'low', 39]])).toEqual([300]);
  });
});

describe('wilsonUpper', () => {
  it('is the one-sided 90 % upper bound of a rate', () => {
    // 0 of 100: (z²/2n + z·√(z²/4n²)) / (1 + z²/n) with z = 1.2816 → 0.01616.
    expect(wilsonUpper(0, 100)).toBeCloseTo(0.01616, 4);
    expect(wilsonUpper(1, 60)).toBeCloseTo(0.0541, 3);
    expect(wilsonUpper(10, 600)).toBeCloseTo(0.0248, 3);
    expect(wilsonUpper(5, 0)).toBe(1);
    expect(wilsonUpper(100, 100)).toBe(1);
  });
});
