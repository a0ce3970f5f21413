/**
 * Alerts rate and ROI rules by hand (shared/alerts/evaluate.ts header): every expected minute and
 * figure is worked out in the comment next to it. Defaults: ctr target 0.04, tolerance 0.1 →
 * low below 0.036, cleared at ≥ 0.038; clickToOrder 0.035 → below 0.0315; roi 3 → below 2.7,
 * cleared at ≥ 2.85. Rates also need the 90 % Wilson upper bound below target; windows are
 * judged from minute 5; a condition is raised 2 min (rates) / 3 min (ROI) after it first went low.
 */
import { describe, expect, it } from 'vitest';
import { MIN_AD_SPEND_FEN } from '../../shared/alerts/evaluate.ts';
import { DEFAULT_TARGETS, type Alert } from '../../shared/contract.ts';
import { MIN, S, evaluator, ids, kpis, play, row, traffic } from './alert-fixtures.ts';

describe('ctr and clickToOrder over the last 3 complete minutes', () => {
  it('judges no window before minute 5, then raises once the condition has lasted 2 minutes', () => {
    // ctr 10/1000 = 1 % from the first minute: the old rules raised at minute 2.
    // Window m5 (minutes 3–5) is the first judged: low since the end of minute 5 (S + 6 min);
    // m6 is 1 min later, m7 2 min later → raised at minute 7, seen during minute 8.
    const got = play(evaluator(), traffic(Array(12).fill([1000, 10, 1])));
    expect(got.map((g) => [g.step, g.alert.id])).toEqual([[8, 's1:ctr::7']]);
    expect(got[0]!.alert).toMatchObject({ kind: 'ctr', minute: 7, ts: S + 8 * MIN, params: { target: 0.04 } });
    expect(got[0]!.alert.params.value).toBeCloseTo(0.01, 10);
  });

  it('a low rate on few clicks is chance, the same rate on many is not (Wilson bound)', () => {
    // 20 clicks a minute, one order in every 3 minutes: each window 1/60 = 1.7 % (< 3.15 %), but
    // the 90 % upper bound is 5.4 % > 3.5 %: one order more or less is the whole story → never raised.
    const few = traffic(Array.from({ length: 30 }, (_, m) => [400, 20, m % 3 === 0 ? 1 : 0] as [number, number, number]));
    expect(play(evaluator(), few)).toEqual([]);
    // 200 clicks a minute, 10 orders in every 3 minutes: the same 1.7 %, upper bound 2.5 % < 3.5 % → raised once (minute 7).
    const many = traffic(Array.from({ length: 30 }, (_, m) => [4000, 200, m % 3 === 0 ? 4 : 3] as [number, number, number]));
    const got = play(evaluator(), many);
    expect(ids(got)).toEqual(['s1:clickToOrder::7']);
    expect(got[0]!.alert.params.value).toBeCloseTo(10 / 600, 10);
  });

  it('needs 200 exposures / 60 clicks in the window before it judges a rate', () => {
    // 60 exposures a minute, no clicks: 180 in a window → never judged.
    expect(play(evaluator(), traffic(Array(12).fill([60, 0])))).toEqual([]);
    // 70 a minute: 210 ≥ 200 with ctr 0 → judged from window m5, raised at m7.
    expect(ids(play(evaluator(), traffic(Array(12).fill([70, 0]))))).toEqual(['s1:ctr::7']);
    // 15 clicks a minute (45 a window < 60), no orders → nothing; 20 a minute (60): 0/60 has an upper bound of 2.7 % → raised at m7.
    expect(play(evaluator(), traffic(Array(12).fill([300, 15, 0])))).toEqual([]);
    const cto = play(evaluator(), traffic(Array(12).fill([300, 20, 0])));
    expect(ids(cto)).toEqual(['s1:clickToOrder::7']);
    expect(cto[0]!.alert.params).toEqual({ value: 0, target: 0.035 });
  });

  it('a rate hovering at its threshold is one condition: raised once', () => {
    // Windows alternate 3.4 % (low, and significant on 3000 exposures: upper bound 3.85 %) and 3.7 %
    // (in the band 3.6–3.8 %): the old rules' streak logic aside, nothing ever clears → one alert.
    const per = Array.from({ length: 40 }, (_, m) => [1000, m % 2 ? 37 : 34] as [number, number]);
    expect(play(evaluator(), traffic(per)).map((g) => g.alert.kind)).toEqual(['ctr']);
  });

  it('after it clears it is raised again only a quiet period after the last alert, or when worse', () => {
    // 3 % for minutes 0–11 (raised at m7), 5 % for 12–17: windows m14–m17 are clear (≥ 3.8 %), so the episode is over
    // (3 min clear) at m17; 3 % again from 18: window m19 ((5+3+3)/3 = 3.67 %) is in the band, m20 (3 %) is low,
    // held 2 min at m22, and S + 23 min is 15 min after the alert at m7 (S + 8 min) → raised at m22.
    const per: Array<[number, number]> = [...Array(12).fill([1000, 30]), ...Array(6).fill([1000, 50]), ...Array(20).fill([1000, 30])];
    const got = play(evaluator(), traffic(per));
    expect(ids(got)).toEqual(['s1:ctr::7', 's1:ctr::22']);
    // Worse by a step is news at once, 5 min after the last alert: 3 % until minute 11, then 1 %.
    // Window m12 (30+30+10)/3000 = 2.33 % ≤ 3 % − max(a fifth, 0.4 point) = 2.4 %, and S + 13 min is 5 min after the
    // alert at m7 → raised at m12; window m17 (1 %) ≤ 2.33 % − 0.47 point, 5 min later again → m17; then nothing is worse than 1 %.
    const worse = play(evaluator(), traffic([...Array(12).fill([1000, 30]), ...Array(10).fill([1000, 10])] as Array<[number, number]>));
    expect(ids(worse)).toEqual(['s1:ctr::7', 's1:ctr::12', 's1:ctr::17']);
    expect(worse.map((g) => Math.round(Number(g.alert.params.value) * 3000))).toEqual([90, 70, 30]);
  });

  it('evaluates every completed minute even when called less often, and the first call only looks at the latest window', () => {
    const rows = traffic(Array(12).fill([1000, 10, 1]));
    // One call when minutes 0..11 are complete: only window m11 is judged — low, but not yet for 2 minutes.
    const late = evaluator();
    expect(late.evaluate({ ts: S + 12 * MIN + 1, minutes: rows, kpis: kpis() })).toEqual([]);
    // Called at minute 4, then not again until minute 12: windows m5..m11 are all judged in order → dated minute 7.
    const ev = evaluator();
    expect(ev.evaluate({ ts: S + 4 * MIN + 1, minutes: rows.slice(0, 5), kpis: kpis() })).toEqual([]);
    expect(ev.evaluate({ ts: S + 12 * MIN + 1, minutes: rows, kpis: kpis() }).map((a) => a.id)).toEqual(['s1:ctr::7']);
  });

  it('a targets change re-judges the latest window at once (and the condition then needs its 2 minutes)', () => {
    // ctr 3.7 %: within the band with the defaults. Target 5 % → threshold 4.5 %: low from the latest window (m5).
    const rows = traffic(Array(9).fill([1000, 37]));
    const ev = evaluator();
    expect(ev.evaluate({ ts: S + 6 * MIN + 1, minutes: rows.slice(0, 7), kpis: kpis() })).toEqual([]);
    ev.setTargets({ ...DEFAULT_TARGETS, ctr: 0.05 });
    expect(ev.evaluate({ ts: S + 6 * MIN + 2, minutes: rows.slice(0, 7), kpis: kpis() })).toEqual([]);
    const got = ev.evaluate({ ts: S + 8 * MIN + 1, minutes: rows.slice(0, 9), kpis: kpis() });
    expect(got.map((a) => a.id)).toEqual(['s1:ctr::7']);
    expect(got[0]!.params.target).toBe(0.05);
  });
});

describe('roi', () => {
  /** Minutes 0..n with spend from minute `from`, and the session KPIs of each step. */
  const spendRows = (n: number, from = 0) => Array.from({ length: n + 1 }, (_, m) => row(m, { adSpendFen: m >= from ? 2_000 : 0 }));
  const roiAt = (values: number[], spend = 50_000) => (step: number) => kpis({ roi: values[step] ?? null, adSpendFen: spend });

  it('gives no verdict until the spend has run 10 minutes (sales come after the spend)', () => {
    // ROI 1.0 from the start (spend billed, orders not yet): the old rules raised at minute 1.
    // Spend since minute 0 (ts S): judged from S + 10 min (step 10, at 10.5 min), low for 3 min → raised at step 13.
    const got = play(evaluator(), spendRows(20), roiAt(Array(21).fill(1)));
    expect(got.map((g) => [g.step, g.alert.id])).toEqual([[13, 's1:roi::13']]);
    expect(got[0]!.alert.params).toEqual({ value: 1, target: 3 });
    // Spend starting at minute 30: nothing before minute 40 + 3.
    const late = play(evaluator(), spendRows(50, 30), (s) => kpis({ roi: s >= 30 ? 1 : null, adSpendFen: s >= 30 ? 50_000 : 0 }));
    expect(late.map((g) => g.step)).toEqual([43]);
    // Under ¥100 of spend it is never judged.
    expect(play(evaluator(), spendRows(20), roiAt(Array(21).fill(1), MIN_AD_SPEND_FEN - 1))).toEqual([]);
  });

  it('ROI flapping around 2.70 raises once (the old rules raised at every dip after a brief 2.85)', () => {
    const values = Array.from({ length: 60 }, (_, m) => (m < 10 ? 4 : [2.65, 2.75, 2.68, 2.9, 2.66, 2.86, 2.69, 2.72][m % 8]!));
    const got = play(evaluator(), spendRows(59), roiAt(values));
    expect(got.map((g) => g.alert.kind)).toEqual(['roi']);
  });

  it('a worse ROI is raised again, a recovered one only after the quiet period', () => {
    // 2.5 from minute 10: raised at 13. 1.9 from minute 20 (≤ 2.5 − max(0.5, 0.3) = 2.0), ≥ 5 min after → raised at 20 (held since 13).
    const worse = Array.from({ length: 30 }, (_, m) => (m < 20 ? 2.5 : 1.9));
    expect(ids(play(evaluator(), spendRows(29), roiAt(worse)))).toEqual(['s1:roi::13', 's1:roi::20']);
    // 2.5 from 10, 3.2 (clear) from 16 to 20, 2.5 again: the episode ended at 19 (3 min clear) but the next is
    // raised only 15 min after S + 13.5 min → low again from 21, first step ≥ 28.5 min is 28.
    const again = Array.from({ length: 40 }, (_, m) => (m >= 16 && m <= 20 ? 3.2 : 2.5));
    expect(ids(play(evaluator(), spendRows(39), roiAt(again)))).toEqual(['s1:roi::13', 's1:roi::28']);
  });
});

describe('roiBelowBreakEven', () => {
  // Target 3, break-even 2.2 (margin ≈ 45 %): ROI 2.5 is below target but still profitable.
  const spend = (n: number) => Array.from({ length: n + 1 }, (_, m) => row(m, { adSpendFen: 2_000 }));
  const kinds = (alerts: Array<{ step: number; alert: Alert }>) => alerts.map((g) => [g.step, g.alert.kind]);

  it('fires below break-even, alongside (not instead of) the below-target alert, with the same warm-up', () => {
    const roi = (s: number) => kpis({ roi: s < 16 ? 2.5 : 2.1, adRoi: s < 16 ? 2.5 : 2.1, adSpendFen: 50_000, breakEvenRoi: 2.2 });
    const got = play(evaluator(), spend(25), roi);
    expect(kinds(got)).toEqual([
      [13, 'roi'],
      [19, 'roiBelowBreakEven'],
    ]);
    expect(got[1]!.alert.params).toEqual({ value: 2.1, breakEven: 2.2, target: 3 });
  });

  it('uses the ad console break-even when the KPIs have none, and never fires without one', () => {
    const ev = evaluator({ roi: 1 }); // a low target: only the break-even rule speaks
    ev.setBreakEvenRoi(2);
    expect(play(ev, spend(20), () => kpis({ roi: 1.5, adRoi: 1.5, adSpendFen: 50_000 })).map((g) => g.alert.id)).toEqual(['s1:roiBelowBreakEven::13']);
    expect(play(evaluator({ roi: 1 }), spend(20), () => kpis({ roi: 0.5, adRoi: 0.5, adSpendFen: 50_000 })).map((g) => g.alert.kind)).toEqual(['roi']);
  });

  it('judges the ads by their own ROI, as the ad console does: organic sales do not hide ads that lose money, nor do they condemn ads that pay', () => {
    const ev = () => {
      const e = evaluator({ roi: 1 });
      e.setBreakEvenRoi(2);
      return e;
    };
    // The show's ROI is high on organic sales while the ads themselves return 1.2 < 2: the ads lose money.
    expect(play(ev(), spend(20), () => kpis({ roi: 4, adRoi: 1.2, adSpendFen: 50_000 })).map((g) => g.alert.kind)).toEqual(['roiBelowBreakEven']);
    // The show's ROI is below break-even while the ads return 2.6: the console says they pay, and so does this.
    expect(play(ev(), spend(20), () => kpis({ roi: 1.5, adRoi: 2.6, adSpendFen: 50_000 })).map((g) => g.alert.kind)).toEqual([]);
  });
});
