/**
 * The ad console of one live session, for the core: fed with the session's
 * validated events (O(1) each), it keeps per plan and per minute spend, impressions, clicks, paid
 * entries and attributed GMV (the `ad` event's cumulative totals, differenced), and per minute the
 * room's paid and organic entries (`enter.source`). At most once a second it turns them, the
 * room's GMV and the team's economics (shared/ads/economics.ts) into the console's view: figures
 * for the show and the last few minutes, break-even ROI and estimated profit, and the advisor's
 * raise/hold/cut per plan (shared/ads/advisor.ts, asked once per closed minute: its hysteresis
 * counts minutes). The action log is kept here too, in the order the relay acknowledged it.
 */
import { AdAdvisor, type AdAdvice } from '../../../shared/ads/advisor.ts';
import { economicsView, type EconomicsChange, type EconomicsProductInput, type EconomicsView, type LearnedRefund, type RoomEconomics } from '../../../shared/ads/economics.ts';
import { costPerEntryFen, cpmFen, roi } from '../../../shared/ads/math.ts';
import type { AdActionRecord, AdConsoleView, AdFigures, AdPlanSeries, AdPlanView, PlatformPlanView, RoomAdFigures } from '../../../shared/ads/console.ts';
import type { KnownFeedEvent } from '../../../shared/protocol.ts';
import type { MinuteRow, ProductRow } from '../../../shared/metrics/types.ts';
import { MAX_SESSION_MINUTES } from '../../../shared/metrics/window.ts';
import { minuteIndex } from '../../../shared/metrics/window.ts';

export interface AdServiceOptions {
  roomId: string;
  sessionId: string;
  startedAt: number;
  economics: RoomEconomics;
  learned: LearnedRefund | null;
  targetRoi: number;
  commandsSupported: boolean;
  /** wall-clock ms between two computations (default 1000) */
  minIntervalMs?: number;
}

/** "The last minutes of spend": complete minutes the `recent` figures cover. */
export const RECENT_MINUTES = 5;

interface PlanState {
  planId: string;
  last: { spend: number; impressions: number; clicks: number; views: number; gmv: number };
  budget: number | null;
  paused: boolean;
  spend: number[];
  impressions: number[];
  clicks: number[];
  views: number[];
  gmv: number[];
  /** the budget reported in a minute (sparse; forward-filled for the view) */
  budgetAt: Array<number | null>;
  /** a platform plan's settings as last read (the `ad` event's name, status, daily budget, bid, ROI goal) */
  platform: PlatformPlanView | null;
}

export interface AdTick {
  view: AdConsoleView;
  /** the break-even ROI the figures use (null: unknown), for the aggregator's KPIs and the alert */
  breakEvenRoi: number | null;
}

export class AdService {
  private readonly advisor: AdAdvisor;
  private readonly plans = new Map<string, PlanState>();
  private readonly paidEnters: number[] = [];
  private readonly organicEnters: number[] = [];
  private readonly costs = new Map<string, number | null>();
  private readonly actions: AdActionRecord[] = [];
  private readonly economicsChanges: EconomicsChange[] = [];
  private economics: RoomEconomics;
  private learned: LearnedRefund | null;
  private targetRoi: number;
  private readonly minIntervalMs: number;
  private dirty = true;
  private lastComputeAt = -Infinity;
  private advice = new Map<string, AdAdvice>();
  private adviceMinute = -1;
  private adviceStale = true;
  private view: AdConsoleView | null = null;
  private viewKey = '';
  private lastTs: number;
  private ended = false;

  constructor(private readonly opts: AdServiceOptions) {
    this.economics = opts.economics;
    this.learned = opts.learned;
    this.targetRoi = opts.targetRoi;
    this.minIntervalMs = opts.minIntervalMs ?? 1000;
    this.lastTs = opts.startedAt;
    this.advisor = new AdAdvisor({ targetRoi: opts.targetRoi, breakEvenRoi: null });
    // The advisor's minutes start with the session, as the console's do.
    this.advisor.observe({ type: 'session', ts: opts.startedAt, startedAt: opts.startedAt, status: 'live' });
  }

  /** The hot path: O(1) per event. */
  observe(e: KnownFeedEvent): void {
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.type) {
      case 'ad': {
        const m = this.minute(e.ts);
        let p = this.plans.get(e.planId);
        if (!p) {
          p = { planId: e.planId, last: { spend: 0, impressions: 0, clicks: 0, views: 0, gmv: 0 }, budget: null, paused: false, spend: [], impressions: [], clicks: [], views: [], gmv: [], budgetAt: [], platform: null };
          this.plans.set(e.planId, p);
        }
        // Cumulative totals: count what is new; an older report arriving late adds nothing.
        const next = {
          spend: Math.max(p.last.spend, e.spendFen),
          impressions: Math.max(p.last.impressions, e.impressions ?? 0),
          clicks: Math.max(p.last.clicks, e.clicks ?? 0),
          views: Math.max(p.last.views, e.views ?? 0),
          gmv: Math.max(p.last.gmv, e.gmvFen ?? 0),
        };
        add(p.spend, m, next.spend - p.last.spend);
        add(p.impressions, m, next.impressions - p.last.impressions);
        add(p.clicks, m, next.clicks - p.last.clicks);
        add(p.views, m, next.views - p.last.views);
        add(p.gmv, m, next.gmv - p.last.gmv);
        p.last = next;
        if (e.budgetFenPerMin !== undefined) {
          p.budget = e.budgetFenPerMin;
          while (p.budgetAt.length <= m) p.budgetAt.push(null);
          p.budgetAt[m] = e.budgetFenPerMin;
        }
        if (e.status !== undefined || e.dailyBudgetFen !== undefined || e.bidFen !== undefined || e.roiGoal !== undefined || e.name !== undefined) {
          const kind = (e as { planKind?: unknown }).planKind;
          p.platform = {
            name: e.name ?? p.platform?.name ?? e.planId,
            kind: kind === 'uni' || kind === 'gmvMax' || kind === 'gmvMaxSession' ? kind : 'standard',
            ...(e.currency ? { currency: e.currency } : {}),
            status: e.status ?? p.platform?.status ?? 'other',
            dailyBudgetFen: e.dailyBudgetFen ?? null,
            bidFen: e.bidFen ?? null,
            roiGoal: e.roiGoal ?? null,
            readAt: e.ts,
          };
          p.paused = p.platform.status === 'paused';
        }
        this.advisor.observe(e);
        break;
      }
      case 'enter':
        add(e.source === 'paid' ? this.paidEnters : this.organicEnters, this.minute(e.ts), e.n);
        this.advisor.observe(e);
        break;
      case 'order':
        this.advisor.observe(e);
        break;
      case 'catalog':
        for (const p of e.products) this.costs.set(p.id, p.costFen ?? null);
        break;
      case 'session':
        if (e.status === 'ended') this.ended = true;
        break;
      default:
        return;
    }
    this.dirty = true;
  }

  setEconomics(economics: RoomEconomics): void {
    this.economics = economics;
    this.dirty = true;
    this.lastComputeAt = -Infinity;
  }

  setTargetRoi(targetRoi: number): void {
    this.targetRoi = targetRoi;
    this.dirty = true;
    this.adviceStale = true;
    this.lastComputeAt = -Infinity;
  }

  end(): void {
    this.ended = true;
    this.dirty = true;
  }

  /** A plan's state as the feed last reported it (and this app's pause / resume). */
  plan(planId: string): { budgetFenPerMin: number | null; paused: boolean } | undefined {
    const p = this.plans.get(planId);
    return p && { budgetFenPerMin: p.budget, paused: p.paused };
  }

  get actionCount(): number {
    return this.actions.length;
  }

  allActions(): AdActionRecord[] {
    return [...this.actions];
  }

  /** An action the relay acknowledged (or one restored from the store after a restart). */
  addAction(a: AdActionRecord): void {
    this.actions.push(a);
    const p = this.plans.get(a.planId);
    if (p) {
      if (a.type === 'adPause') p.paused = true;
      if (a.type === 'adResume') p.paused = false;
      // Until the feed reports it, the budget is what was just set.
      if (a.type === 'adBudget' && a.after !== null) p.budget = a.after;
    }
    this.advisor.noteCommand(a.planId, a.type, this.minute(a.ts));
    this.dirty = true;
    this.adviceStale = true;
    this.lastComputeAt = -Infinity;
  }

  /** A change of the economics made during this show (or restored): into the action log. */
  addEconomicsChange(c: EconomicsChange): void {
    this.economicsChanges.push(c);
    this.dirty = true;
    this.lastComputeAt = -Infinity;
  }

  current(): AdConsoleView | null {
    return this.view;
  }

  /**
   * Recomputes when events arrived and the interval passed (or `force`). Returns the view and the
   * break-even ROI when what the console shows changed; null otherwise.
   */
  tick(nowTs: number, wallNow: number, room: { minutes: () => readonly MinuteRow[]; products: () => readonly ProductRow[] }, force = false): AdTick | null {
    if (!force && (!this.dirty || wallNow - this.lastComputeAt < this.minIntervalMs)) return null;
    this.dirty = false;
    this.lastComputeAt = wallNow;
    const now = Math.max(nowTs, this.lastTs);
    const minute = this.minute(now);
    const economics = this.economicsNow(room.products());
    const breakEven = economics.breakEvenRoi;
    this.advisor.setSettings({ targetRoi: this.targetRoi, breakEvenRoi: breakEven });
    // The advisor's hysteresis counts evaluations: one per closed minute (and after an action,
    // when it only says it is settling).
    if (!this.ended && (minute !== this.adviceMinute || this.adviceStale)) {
      this.adviceMinute = minute;
      this.adviceStale = false;
      this.advice = new Map(this.advisor.advise(now).map((a) => [a.planId, a]));
    }
    const view = this.build(now, minute, economics, room.minutes());
    const key = JSON.stringify(view, (k, v: unknown) => (k === 'ts' ? undefined : typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
    if (key === this.viewKey && !force) return null;
    this.view = view;
    this.viewKey = key;
    return { view, breakEvenRoi: breakEven };
  }

  private economicsNow(products: readonly ProductRow[]): EconomicsView {
    const input: EconomicsProductInput[] = products.map((p) => ({
      productId: p.productId,
      title: p.title,
      priceFen: p.priceFen,
      catalogCostFen: this.costs.get(p.productId) ?? null,
      gmvFen: p.gmvFen,
      items: p.items,
    }));
    return economicsView(this.economics, input, this.learned);
  }

  private build(now: number, minute: number, economics: EconomicsView, roomMinutes: readonly MinuteRow[]): AdConsoleView {
    const len = minute + 1;
    const gmv = new Array<number>(len).fill(0);
    for (const r of roomMinutes) if (r.minute < len) gmv[r.minute] = r.gmvFen;
    const margin = economics.margin;
    const plans = [...this.plans.values()].sort((a, b) => (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0));
    const spend = new Array<number>(len).fill(0);
    const adGmv = new Array<number>(len).fill(0);
    const views = new Array<number>(len).fill(0);
    const impressions = new Array<number>(len).fill(0);
    const clicks = new Array<number>(len).fill(0);
    const planViews: AdPlanView[] = plans.map((p) => {
      const series: AdPlanSeries = {
        spendFen: column(p.spend, len),
        impressions: column(p.impressions, len),
        clicks: column(p.clicks, len),
        views: column(p.views, len),
        adGmvFen: column(p.gmv, len),
        budgetFenPerMin: forwardFill(p.budgetAt, len),
      };
      for (let i = 0; i < len; i++) {
        spend[i]! += series.spendFen[i]!;
        adGmv[i]! += series.adGmvFen[i]!;
        views[i]! += series.views[i]!;
        impressions[i]! += series.impressions[i]!;
        clicks[i]! += series.clicks[i]!;
      }
      return {
        planId: p.planId,
        budgetFenPerMin: p.budget,
        paused: p.paused,
        platform: p.platform,
        show: figures(series, 0, len),
        recent: figures(series, Math.max(0, minute - RECENT_MINUTES), minute),
        series,
        advice: this.advice.get(p.planId) ?? null,
      };
    });
    const paid = column(this.paidEnters, len);
    const organic = column(this.organicEnters, len);
    // The room's paid entries: the platform's traffic source; a relay without sources has the plans' views.
    const paidEntries = paid.some((n) => n > 0) ? paid : views;
    const roomFigures = (from: number, to: number): RoomAdFigures => {
      const base = figures({ spendFen: spend, impressions, clicks, views: paidEntries, adGmvFen: adGmv }, from, to);
      const g = sum(gmv, from, to);
      const org = sum(organic, from, to);
      const paidN = base.paidEnters;
      const profit = margin === null ? null : Math.round(g * margin - base.spendFen);
      return {
        ...base,
        gmvFen: g,
        organicEnters: org,
        paidShare: paidN + org > 0 ? paidN / (paidN + org) : null,
        roi: roi(g, base.spendFen),
        profitFen: profit,
        profitPerMinFen: profit === null || base.minutes === 0 ? null : Math.round(profit / base.minutes),
      };
    };
    const recentFrom = Math.max(0, minute - RECENT_MINUTES);
    const recent = roomFigures(recentFrom, minute);
    const before = minute - 2 * RECENT_MINUTES >= 0 ? roomFigures(minute - 2 * RECENT_MINUTES, recentFrom) : null;
    return {
      roomId: this.opts.roomId,
      sessionId: this.opts.sessionId,
      startedAt: this.opts.startedAt,
      ts: now,
      minute,
      ended: this.ended,
      recentMinutes: minute - recentFrom,
      targetRoi: this.targetRoi,
      economics,
      show: roomFigures(0, len),
      recent,
      paidShareTrend: before && before.paidShare !== null && recent.paidShare !== null ? recent.paidShare - before.paidShare : null,
      series: {
        spendFen: spend,
        paidEnters: paidEntries,
        organicEnters: organic,
        gmvFen: gmv,
        adGmvFen: adGmv,
        profitFen: gmv.map((g, i) => (margin === null ? null : Math.round(g * margin - spend[i]!))),
      },
      plans: planViews,
      actions: [...this.actions],
      economicsChanges: [...this.economicsChanges],
      commandsSupported: this.opts.commandsSupported,
    };
  }

  private minute(ts: number): number {
    return Math.min(MAX_SESSION_MINUTES - 1, minuteIndex(ts, this.opts.startedAt));
  }
}

/** Figures of minutes [from, to) from per-minute columns. */
function figures(s: Pick<AdPlanSeries, 'spendFen' | 'impressions' | 'clicks' | 'views' | 'adGmvFen'>, from: number, to: number): AdFigures {
  const spendFen = sum(s.spendFen, from, to);
  const impressions = sum(s.impressions, from, to);
  const paidEnters = sum(s.views, from, to);
  const adGmvFen = sum(s.adGmvFen, from, to);
  const minutes = Math.max(0, to - from);
  return {
    minutes,
    spendFen,
    impressions,
    clicks: sum(s.clicks, from, to),
    paidEnters,
    adGmvFen,
    cpmFen: cpmFen(spendFen, impressions),
    costPerEntryFen: costPerEntryFen(spendFen, paidEnters),
    adRoi: roi(adGmvFen, spendFen),
    spendPerMinFen: minutes > 0 ? Math.round(spendFen / minutes) : 0,
  };
}

function add(col: number[], m: number, v: number): void {
  while (col.length <= m) col.push(0);
  col[m]! += v;
}

function column(col: readonly number[], len: number): number[] {
  const out = col.slice(0, len);
  while (out.length < len) out.push(0);
  return out;
}

function forwardFill(col: ReadonlyArray<number | null>, len: number): Array<number | null> {
  const out: Array<number | null> = [];
  let last: number | null = null;
  for (let i = 0; i < len; i++) {
    const v = col[i];
    if (v !== undefined && v !== null) last = v;
    out.push(last);
  }
  return out;
}

function sum(col: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = Math.max(0, from); i < Math.min(to, col.length); i++) s += col[i]!;
  return s;
}
