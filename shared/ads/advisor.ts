/**
 * Raise / hold / cut advice per ad plan, from the feed alone.
 *
 * Per plan and minute it keeps spend, paid entries and the plan's attributed GMV (the `ad`
 * event's cumulative totals, differenced), and the room's organic entries and GMV. Each closed
 * minute it estimates the **marginal ROI** of the recent window — the extra GMV an extra yuan of
 * spend brought, at the lag the data shows best (math.ts marginalRoi) — and compares it with the
 * room's target ROI and its break-even ROI:
 *
 *   cut    marginal ROI below break-even (every extra yuan loses money), or below 85 % of target
 *          when break-even is unknown
 *   raise  marginal ROI at least 15 % above both target and break-even, and organic traffic not
 *          falling; a rising organic share while spending adds to the case (付费撬动免费)
 *   hold   otherwise
 *
 * When spend barely varied in the window the slope says nothing; the advisor then uses the
 * window's average ad ROI × 0.8 (diminishing returns make the next yuan earn less than the
 * average one) and says so. Advice never flaps: a new action must hold for 3 consecutive minutes,
 * and after a budget change the advisor waits for the lag + 3 minutes before judging it.
 *
 * A card says one thing (issue 15): `reasons` are the figures and, only when the data supports
 * the action shown, the verdict behind it. While the hysteresis holds a new action back, its
 * verdict goes with `pending` ("a cut signal for 1 of 3 minutes: below break-even"), never as the
 * shown hold's reason — a 建议维持 card once read "多花的钱在亏".
 */
import type { EventBody, KnownFeedEvent } from '../protocol.ts';
import { marginalRoi, roi } from './math.ts';
import { minuteIndex } from '../metrics/window.ts';

export type AdAction = 'raise' | 'hold' | 'cut';

export type AdReason =
  | { code: 'marginalRoi'; value: number; lagMin: number }
  | { code: 'averageRoiOnly'; value: number }
  | { code: 'belowBreakEven'; breakEven: number }
  | { code: 'belowTarget'; target: number }
  | { code: 'aboveTargetAndBreakEven'; target: number; breakEven: number | null }
  | { code: 'organicRising'; pct: number }
  | { code: 'organicFalling'; pct: number }
  | { code: 'settling'; minutesLeft: number }
  /** hold: the marginal ROI pays for itself but is short of the bar a raise needs */
  | { code: 'withinBand'; breakEven: number | null; raiseAt: number }
  | { code: 'paused' }
  /** a cut with the budget already at the floor: only pausing saves more */
  | { code: 'atMinimum'; budgetFenPerMin: number }
  | { code: 'fewData'; minutes: number };

export interface AdAdvice {
  planId: string;
  action: AdAction;
  budgetFenPerMin: number | null;
  suggestedBudgetFenPerMin: number | null;
  /** ROI of the plan's spend over the window (attributed ad GMV ÷ spend) */
  windowAdRoi: number | null;
  marginalRoi: number | null;
  lagMin: number | null;
  /** expected change per minute if followed (GMV, and profit at the room's margin) */
  expectedGmvDeltaFenPerMin: number | null;
  expectedProfitDeltaFenPerMin: number | null;
  reasons: AdReason[];
  /** the minute (since the show start) the advice is for */
  minute: number;
  /**
   * An action the data points to that is not shown yet (hysteresis): wanted for `minutes` of the
   * `needed` evaluations in a row. Undefined or null when the shown action is what the data says.
   */
  pending?: { action: AdAction; minutes: number; needed: number; reasons?: AdReason[] } | null;
}

export interface AdvisorSettings {
  targetRoi: number;
  /** null when the team has not entered costs */
  breakEvenRoi: number | null;
  /** minutes of history the marginal ROI uses (default 15) */
  windowMin?: number;
  /** share of the budget a raise or cut moves (default 0.3) */
  step?: number;
}

interface PlanMinute {
  spend: number;
  views: number;
  gmv: number;
}

interface PlanState {
  planId: string;
  last: { spend: number; views: number; gmv: number };
  minutes: Map<number, PlanMinute>;
  budget: number | null;
  paused: boolean;
  changedAtMin: number;
  shown: AdAction;
  pending: AdAction;
  pendingCount: number;
}

const STABLE_MINUTES = 3;
const MIN_BUDGET_FEN_PER_MIN = 500;

export class AdAdvisor {
  private t0: number | null = null;
  private readonly plans = new Map<string, PlanState>();
  private readonly organic = new Map<number, number>();
  private readonly roomGmv = new Map<number, number>();
  private settings: AdvisorSettings;

  constructor(settings: AdvisorSettings) {
    this.settings = settings;
  }

  setSettings(s: AdvisorSettings): void {
    this.settings = s;
  }

  observe(e: EventBody | KnownFeedEvent): void {
    if (this.t0 === null) this.t0 = e.type === 'session' ? (e.startedAt ?? e.ts) : e.ts;
    const m = minuteIndex(e.ts, this.t0);
    switch (e.type) {
      case 'ad': {
        let p = this.plans.get(e.planId);
        if (!p) {
          p = { planId: e.planId, last: { spend: 0, views: 0, gmv: 0 }, minutes: new Map(), budget: null, paused: false, changedAtMin: -Infinity, shown: 'hold', pending: 'hold', pendingCount: 0 };
          this.plans.set(e.planId, p);
        }
        const row = p.minutes.get(m) ?? { spend: 0, views: 0, gmv: 0 };
        // Cumulative totals: count what is new; a total that went down is a restart, not a refund.
        row.spend += Math.max(0, e.spendFen - p.last.spend);
        row.views += Math.max(0, (e.views ?? p.last.views) - p.last.views);
        row.gmv += Math.max(0, (e.gmvFen ?? p.last.gmv) - p.last.gmv);
        p.minutes.set(m, row);
        p.last = { spend: e.spendFen, views: e.views ?? p.last.views, gmv: e.gmvFen ?? p.last.gmv };
        if (e.budgetFenPerMin !== undefined && e.budgetFenPerMin !== p.budget) {
          if (p.budget !== null) p.changedAtMin = m;
          p.budget = e.budgetFenPerMin;
        }
        return;
      }
      case 'enter':
        if (e.source !== 'paid') this.organic.set(m, (this.organic.get(m) ?? 0) + e.n);
        return;
      case 'order':
        if (e.status === 'paid') this.roomGmv.set(m, (this.roomGmv.get(m) ?? 0) + e.amountFen);
        return;
      default:
        return;
    }
  }

  /** A command the app sent (the feed confirms it later): pause state is not in `ad` events. */
  noteCommand(planId: string, type: string, minute: number): void {
    const p = this.plans.get(planId);
    if (!p) return;
    if (type === 'adPause') p.paused = true;
    if (type === 'adResume') p.paused = false;
    p.changedAtMin = minute;
  }

  /** Advice per plan for the minutes closed before `nowTs`. */
  advise(nowTs: number): AdAdvice[] {
    if (this.t0 === null) return [];
    const now = minuteIndex(nowTs, this.t0);
    const out: AdAdvice[] = [];
    for (const p of this.plans.values()) out.push(this.advisePlan(p, now));
    return out;
  }

  private advisePlan(p: PlanState, now: number): AdAdvice {
    const window = this.settings.windowMin ?? 15;
    const step = this.settings.step ?? 0.3;
    const target = this.settings.targetRoi;
    const breakEven = this.settings.breakEvenRoi;
    // Closed minutes only: the current one is still filling.
    const from = Math.max(0, now - window);
    const spend: number[] = [];
    const gmv: number[] = [];
    for (let k = from; k < now; k++) {
      const r = p.minutes.get(k);
      spend.push(r?.spend ?? 0);
      gmv.push(r?.gmv ?? 0);
    }
    const sumSpend = spend.reduce((a, b) => a + b, 0);
    const sumGmv = gmv.reduce((a, b) => a + b, 0);
    const windowAdRoi = roi(sumGmv, sumSpend);
    const reasons: AdReason[] = [];
    const base: AdAdvice = {
      planId: p.planId,
      action: 'hold',
      budgetFenPerMin: p.budget,
      suggestedBudgetFenPerMin: p.budget,
      windowAdRoi,
      marginalRoi: null,
      lagMin: null,
      expectedGmvDeltaFenPerMin: null,
      expectedProfitDeltaFenPerMin: null,
      reasons,
      minute: now,
    };
    if (p.paused) {
      reasons.push({ code: 'paused' });
      return base;
    }
    if (spend.filter((s) => s > 0).length < 5) {
      reasons.push({ code: 'fewData', minutes: spend.filter((s) => s > 0).length });
      return base;
    }
    // Marginal ROI: the slope when spend varied enough to tell, else a discounted average.
    const mean = sumSpend / spend.length;
    const sd = Math.sqrt(spend.reduce((s, v) => s + (v - mean) ** 2, 0) / spend.length);
    const fit = sd > 0.1 * mean ? marginalRoi(spend, gmv) : null;
    let marginal: number | null = null;
    if (fit && fit.r2 >= 0.2) {
      marginal = Math.max(0, fit.value);
      base.lagMin = fit.lagMin;
      reasons.push({ code: 'marginalRoi', value: round2(marginal), lagMin: fit.lagMin });
    } else if (windowAdRoi !== null) {
      marginal = windowAdRoi * 0.8;
      reasons.push({ code: 'averageRoiOnly', value: round2(windowAdRoi) });
    }
    base.marginalRoi = marginal === null ? null : round2(marginal);
    // Organic trend: the last 5 minutes against the 10 before them.
    const org = (a: number, b: number) => {
      let s = 0;
      for (let k = a; k < b; k++) s += this.organic.get(k) ?? 0;
      return s / Math.max(1, b - a);
    };
    const recent = org(now - 5, now);
    const before = org(now - 15, now - 5);
    const organicTrend = before > 0 ? recent / before - 1 : 0;
    if (organicTrend >= 0.1) reasons.push({ code: 'organicRising', pct: Math.round(organicTrend * 100) });
    if (organicTrend <= -0.1) reasons.push({ code: 'organicFalling', pct: Math.round(organicTrend * 100) });

    const { wanted, verdict } = judge(marginal, target, breakEven, organicTrend);
    // Settling: after a change, judge it only once its effect can show.
    const settle = (base.lagMin ?? 2) + 3;
    if (now - p.changedAtMin < settle) {
      // The last advice was acted on: hold and watch, then judge afresh.
      if (wanted === 'hold') reasons.push(...verdict);
      reasons.push({ code: 'settling', minutesLeft: settle - (now - p.changedAtMin) });
      p.shown = 'hold';
      p.pending = 'hold';
      p.pendingCount = 0;
      return base;
    }
    // Hysteresis: a new action must be wanted for STABLE_MINUTES evaluations in a row.
    if (wanted === p.shown) {
      p.pending = wanted;
      p.pendingCount = 0;
    } else if (wanted === p.pending) {
      p.pendingCount++;
      if (p.pendingCount >= STABLE_MINUTES) {
        p.shown = wanted;
        p.pendingCount = 0;
      }
    } else {
      p.pending = wanted;
      p.pendingCount = 1;
    }
    base.action = p.shown;
    const held = p.pending !== p.shown && p.pendingCount > 0;
    base.pending = held ? { action: p.pending, minutes: p.pendingCount, needed: STABLE_MINUTES, reasons: verdict } : null;
    if (wanted === p.shown) reasons.push(...verdict);
    if (p.budget !== null && p.shown !== 'hold') {
      const delta = Math.round(p.budget * step) * (p.shown === 'raise' ? 1 : -1);
      // A cut stops at ¥5/min: below that the plan barely delivers, and pausing is the buyer's call.
      base.suggestedBudgetFenPerMin = Math.max(MIN_BUDGET_FEN_PER_MIN, p.budget + delta);
      if (base.suggestedBudgetFenPerMin === p.budget) {
        // Already at the floor: the cut stands, but only the buyer can go further (pause).
        reasons.push({ code: 'atMinimum', budgetFenPerMin: p.budget });
        return base;
      }
      if (marginal !== null) {
        base.expectedGmvDeltaFenPerMin = Math.round(delta * marginal);
        if (breakEven !== null && Number.isFinite(breakEven) && breakEven > 0) base.expectedProfitDeltaFenPerMin = Math.round(delta * (marginal / breakEven - 1));
      }
    }
    return base;
  }
}

/** What the marginal ROI says to do, and the verdict behind it (the reasons a card of that action shows). */
function judge(marginal: number | null, target: number, breakEven: number | null, organicTrend: number): { wanted: AdAction; verdict: AdReason[] } {
  if (marginal === null) return { wanted: 'hold', verdict: [] };
  const be = breakEven !== null && Number.isFinite(breakEven) ? breakEven : null;
  if (be !== null && marginal < be) return { wanted: 'cut', verdict: [{ code: 'belowBreakEven', breakEven: round2(be) }] };
  if (breakEven === null && marginal < 0.85 * target) return { wanted: 'cut', verdict: [{ code: 'belowTarget', target }] };
  const bar = Math.max(target, be ?? 0) * 1.15;
  // Paid traffic pulling organic traffic counts for the raise (the snowball).
  const boost = organicTrend > 0.1 ? 1 + Math.min(0.3, organicTrend / 2) : 1;
  if (marginal * boost >= bar && organicTrend > -0.1) return { wanted: 'raise', verdict: [{ code: 'aboveTargetAndBreakEven', target, breakEven: be === null ? null : round2(be) }] };
  return { wanted: 'hold', verdict: [{ code: 'withinBand', breakEven: be === null ? null : round2(be), raiseAt: round2(bar) }] };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
