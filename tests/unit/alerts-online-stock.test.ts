/**
 * Alerts online-drop and stock rules by hand (shared/alerts/evaluate.ts header), and restarts. A fall
 * counts when it is ≥ max(30 % of the 2-minute high, 6 √high viewers) for 30 s; stock under 10 %
 * of its starting level, or sold out.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { minDrop } from '../../shared/alerts/significance.ts';
import { MIN, S, evaluator, kpis, product, row } from './alert-fixtures.ts';

const online = (minute: number, onlineMax: number) => row(minute, { onlineMax, onlineAvg: onlineMax, onlineEnd: onlineMax });

/** Feeds a room whose online is `at(second)`, evaluated every 5 s for `seconds`; minute rows carry each minute's high so far. */
function room(ev: AlertEvaluator, seconds: number, at: (sec: number) => number) {
  const out = [];
  const highs: number[] = [];
  for (let sec = 0; sec <= seconds; sec += 5) {
    const m = Math.floor(sec / 60);
    highs[m] = Math.max(highs[m] ?? 0, at(sec));
    const rows = highs.map((h, i) => online(i, h));
    out.push(...ev.evaluate({ ts: S + sec * 1000, minutes: rows, kpis: kpis({ onlineNow: at(sec) }) }));
  }
  return out;
}

describe('onlineDrop', () => {
  it('raises a real fall of a big room once it has lasted 30 s, once', () => {
    // 1000 online, 650 from 3:00: 350 ≥ max(300, 6·√1000 = 190) — low from 180 s, raised at 210 s (minute 3).
    const got = room(evaluator(), 600, (s) => (s < 180 ? 1000 : 650));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ id: 's1:onlineDrop::3', kind: 'onlineDrop', minute: 3, ts: S + 210_000, params: { from: 1000, to: 650, windowMin: 2 } });
  });

  it('ignores a dip shorter than 30 s', () => {
    // 1000 → 600 for 20 s (4 snapshots), back to 990.
    expect(room(evaluator(), 600, (s) => (s >= 180 && s < 200 ? 600 : 990))).toEqual([]);
  });

  it('scales with the room: a 100-viewer room needs 6 √high viewers gone', () => {
    expect(minDrop(100, 0.3)).toBe(60);
    expect(minDrop(400, 0.3)).toBeCloseTo(120, 10);
    expect(minDrop(10_000, 0.3)).toBe(3000);
    // 126 → 86 (−32 %, the team's small room): 40 < 6·√126 = 67 → noise.
    expect(room(evaluator(), 600, (s) => (s < 180 ? 126 : 86))).toEqual([]);
    // 126 → 50 (−60 %): 76 ≥ 67 → raised.
    expect(room(evaluator(), 600, (s) => (s < 180 ? 126 : 50)).map((a) => a.params)).toEqual([{ from: 126, to: 50, windowMin: 2 }]);
    // Under 50 online nothing is judged at all.
    expect(room(evaluator(), 600, (s) => (s < 180 ? 40 : 5))).toEqual([]);
  });

  it('a further fall is raised again (5 min after, 30 % below the last alert); a recovered room only after 15 min', () => {
    // 1000 → 650 at 3:00 (alert at 3:30), 650 → 400 at 9:00: 400 ≤ 650 × 0.7 and 6 min later → raised at 9:30.
    const further = room(evaluator(), 900, (s) => (s < 180 ? 1000 : s < 540 ? 650 : 400));
    expect(further.map((a) => [a.minute, a.params.to])).toEqual([
      [3, 650],
      [9, 400],
    ]);
    // 1000 → 650 at 3:00, back to 1000 at 6:00, 650 again at 10:00: the same size of fall, 7 min after → not raised;
    // and again at 20:00, 17 min after the first alert → raised.
    const level = (s: number) => (s < 180 ? 1000 : s < 360 ? 650 : s < 600 ? 1000 : s < 720 ? 650 : s < 1200 ? 1000 : 650);
    expect(room(evaluator(), 1500, level).map((a) => a.minute)).toEqual([3, 20]);
  });

  it('only counts values within onlineDropWindowMin minutes', () => {
    const rows = [online(0, 1000), online(1, 1000), online(2, 650), online(3, 650)];
    const at = (ev: AlertEvaluator, sec: number) => ev.evaluate({ ts: S + 3 * MIN + sec * 1000, minutes: rows, kpis: kpis({ onlineNow: 650 }) });
    // W = 2 in minute 3: minutes 2..3 (650): no fall.
    const two = evaluator();
    expect([...at(two, 1), ...at(two, 40)]).toEqual([]);
    // W = 3: minute 1's 1000 counts: 650 ≤ 700, held 30 s.
    const three = evaluator({ onlineDropWindowMin: 3 });
    expect([...at(three, 1), ...at(three, 40)]).toHaveLength(1);
  });

  it('does not raise again what the store already holds (restart), unless it gets worse', () => {
    const ev = evaluator();
    ev.restore([{ id: 's1:onlineDrop::2', kind: 'onlineDrop', ts: S + 150_000, params: { from: 1000, to: 600, windowMin: 2 } }]);
    // Still 1000 → 500 after the restart: 500 > 600 × 0.7 → the same episode.
    expect(room(ev, 400, (s) => (s < 180 ? 1000 : 500))).toEqual([]);
    const ev2 = evaluator();
    ev2.restore([{ id: 's1:onlineDrop::2', kind: 'onlineDrop', ts: S + 150_000, params: { from: 1000, to: 600, windowMin: 2 } }]);
    // 1000 → 400 at 8:00 (≥ 5 min after the restored alert): 400 ≤ 420 → raised.
    expect(room(ev2, 600, (s) => (s < 480 ? 1000 : 400)).map((a) => a.id)).toEqual(['s1:onlineDrop::8']);
  });
});

describe('lowStock', () => {
  const stockAt = (ev: AlertEvaluator, products: ReturnType<typeof product>[], minute = 1) =>
    ev.evaluate({ ts: S + minute * MIN + 500, minutes: Array.from({ length: minute + 1 }, (_, i) => row(i)), kpis: kpis(), products });

  it('raises once per product when stock falls under 10 % of its starting level, and again when it sells out', () => {
    const ev = evaluator();
    expect(stockAt(ev, [product('p1', 1000), product('p2', 20)])).toEqual([]); // starting levels 1000 and 20
    expect(stockAt(ev, [product('p1', 100), product('p2', 3)])).toEqual([]); // 100 is not < 100; 3 is not < 2
    const low = stockAt(ev, [product('p1', 99), product('p2', 3)]);
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ id: 's1:lowStock:p1:1', kind: 'lowStock', params: { productId: 'p1', title: '商品p1', stock: 99, startStock: 1000 } });
    expect(stockAt(ev, [product('p1', 50), product('p2', 3)])).toEqual([]); // lower, not sold out: the same episode
    // p1 sells out in the same minute: worse → raised (#2, the minute's id is taken); p2 sells out: its first alert.
    const out = stockAt(ev, [product('p1', 0, true), product('p2', 0, true)]);
    expect(out.map((a) => a.id)).toEqual(['s1:lowStock:p1:1#2', 's1:lowStock:p2:1']);
    expect(out.map((a) => a.params.stock)).toEqual([0, 0]);
    expect(stockAt(ev, [product('p1', 0, true)])).toEqual([]);
    // Products without a stock figure never raise.
    expect(stockAt(ev, [product('p3', null, false)])).toEqual([]);
  });

  it('takes the starting level from the feed when it saw it first, and re-arms after a restock', () => {
    const ev = evaluator({ lowStockPct: 0.2 });
    ev.observeStock('p1', 200); // the catalog said 200
    expect(stockAt(ev, [product('p1', 39)]).map((a) => a.params.startStock)).toEqual([200]); // 39 < 40
    expect(stockAt(ev, [product('p1', 150)], 2)).toEqual([]); // restocked above 40: cleared, start stays 200
    expect(stockAt(ev, [product('p1', 20)], 2).map((a) => a.id)).toEqual(['s1:lowStock:p1:2']);
    // A restock above the old start is the new starting level: 1000, so 150 is low (< 200).
    const ev2 = evaluator({ lowStockPct: 0.2 });
    expect(stockAt(ev2, [product('p9', 100)])).toEqual([]);
    expect(stockAt(ev2, [product('p9', 1000)])).toEqual([]);
    expect(stockAt(ev2, [product('p9', 150)]).map((a) => a.params.startStock)).toEqual([1000]);
  });
});
