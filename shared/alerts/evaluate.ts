/**
 * Alerts (METRICS.md "Targets and alerts"), evaluated from the aggregator's live view.
 * Pure: the core feeds it, the tests and `npm run bench:alerts` drive it by hand.
 * An alert is for a condition a person should act on; the rules below keep out what is early,
 * brief, within a room's own noise or already said (docs/alerts.md has the measured effect).
 *
 * Rule definitions (keep this list current; the UI words alerts from `kind` + `params`):
 * - ctr / clickToOrder: over the last METRIC_WINDOW_MIN (3) complete minutes, ctr = Σclicks /
 *   Σexposures and clickToOrder = Σorders / Σclicks. Every newly complete minute m is evaluated in
 *   order (window m−2..m), so how often `evaluate` runs does not change what is raised; the very
 *   first evaluation looks at the latest window only (a session joined late or resumed after a
 *   restart does not raise a burst about its past). A window is judged only
 *   - after the warm-up: its last minute ≥ RATE_WARMUP_MIN (5) — the room is still filling and
 *     the opener is fresh in the first minutes;
 *   - with volume: ≥ MIN_EXPOSURES (200) exposures / MIN_CLICKS (60) clicks.
 *   It is low when value < target × (1 − tolerance) AND the rate is significantly below target:
 *   the one-sided 90 % Wilson upper bound of the window's rate is below target (significance.ts;
 *   at 60 clicks one order more or less moves the rate by 1.7 points). It is cleared at value ≥
 *   target × (1 − tolerance / 2).
 * - roi: the session's kpis.roi (GMV / ad spend) low when < target × (1 − tolerance), cleared at
 *   ≥ target × (1 − tolerance / 2). Judged only once sales can have come: the ad spend reached
 *   MIN_AD_SPEND_FEN (¥100) AND it has been spending for ROI_WARMUP_MIN (10) minutes (from the
 *   first minute row with spend this evaluator saw) — spend is billed at once, the orders it
 *   brings come minutes later, so an early ROI is low by construction.
 * - roiBelowBreakEven: the ads' own return, kpis.adRoi (广告支付ROI, the figure the ad console
 *   judges: the whole show's ROI counts organic sales the ads did not bring), below the
 *   break-even ROI (kpis.breakEvenRoi when the
 *   aggregator has one, else what setBreakEvenRoi gave: the ad console's, from the team's
 *   economics and the live sales mix), with the same warm-up; no tolerance (below it the show
 *   loses money on its ads); cleared at ≥ break-even × (1 + tolerance / 2). Without a
 *   break-even it never fires.
 * - onlineDrop: from = the highest online in the current (partial) minute and the
 *   onlineDropWindowMin − 1 minutes before it (minute onlineMax); to = kpis.onlineNow (live).
 *   Low when the fall from − to is at least minDrop(from) = max(onlineDropPct × from,
 *   DROP_Z (6) × √from) (significance.ts "Room size") and from ≥ MIN_ONLINE_FOR_DROP (50);
 *   cleared when to ≥ from × (1 − onlineDropPct / 2).
 * - lowStock: per product, stock < lowStockPct × its starting stock, or sold out (stock 0 /
 *   soldOut); cleared by a restock above that. The starting stock is the first stock seen for the
 *   product (catalog or `product` event, or the first ProductRow with a stock); a later higher
 *   stock (a restock) becomes the new starting level. Products without a stock figure never raise.
 * - Episodes (episode.ts), per kind (per product for lowStock), in source time (TIMING):
 *   - minimum duration: raised only when the condition is low again at least `holdMs` after it
 *     first went low, without clearing in between: ctr/clickToOrder 2 min (so at least three
 *     windows), roi/roiBelowBreakEven 3 min, onlineDrop 30 s, lowStock at once. A judgement in
 *     the hysteresis band neither starts nor ends the wait (a figure hovering at its threshold is
 *     one condition, raised once); one without enough volume ('unknown') changes nothing.
 *   - hysteresis: an episode is over only once the condition has stayed cleared for `clearMs`
 *     (3 min; onlineDrop 2 min; lowStock at once).
 *   - re-raise: when it has got worse than the figure of the last alert by a step, at least
 *     `escalateMs` (5 min; lowStock at once) after that alert —
 *     ctr/clickToOrder/roi/roiBelowBreakEven: value ≤ last − max(a fifth of last, a tenth of
 *     the target or break-even) (so from 0 % nothing is worse); onlineDrop: to ≤ last to ×
 *     (1 − onlineDropPct); lowStock: sold out after low. Once over, a new episode is raised
 *     only `quietMs` (15 min) after the last alert of its kind (lowStock: at once).
 * - alert.ts / minute: when the condition was confirmed (window rules: the end of the window's
 *   last minute m, minute = m); ids are `${sessionId}:${kind}:${productId ?? ''}:${minute}`, with
 *   `#2`, `#3` … when an escalation falls in the same minute; an id already raised (or restored
 *   from the store) is never raised again, and restored alerts continue their episodes.
 */
import type { Alert, AlertKind, RoomTargets } from './types.ts';
import type { Kpis, MinuteRow, ProductRow } from '../metrics/types.ts';
import { Episode, type EpisodeTiming, type Verdict } from './episode.ts';
import { minDrop, wilsonUpper } from './significance.ts';

export const METRIC_WINDOW_MIN = 3;
export const RATE_WARMUP_MIN = 5;
export const ROI_WARMUP_MIN = 10;
export const MIN_EXPOSURES = 200;
export const MIN_CLICKS = 60;
export const MIN_AD_SPEND_FEN = 10_000;
export const MIN_ONLINE_FOR_DROP = 50;
const MINUTE_MS = 60_000;
const QUIET_MS = 15 * MINUTE_MS;
const ESCALATE_MS = 5 * MINUTE_MS;
/** A worse figure is a fifth below the last alert's, and (rates, ROI) at least a tenth of the target or break-even below it. */
const ESCALATE_SHARE = 0.2;

export const TIMING: Record<AlertKind, EpisodeTiming> = {
  ctr: { holdMs: 2 * MINUTE_MS, clearMs: 3 * MINUTE_MS, quietMs: QUIET_MS, escalateMs: ESCALATE_MS },
  clickToOrder: { holdMs: 2 * MINUTE_MS, clearMs: 3 * MINUTE_MS, quietMs: QUIET_MS, escalateMs: ESCALATE_MS },
  roi: { holdMs: 3 * MINUTE_MS, clearMs: 3 * MINUTE_MS, quietMs: QUIET_MS, escalateMs: ESCALATE_MS },
  roiBelowBreakEven: { holdMs: 3 * MINUTE_MS, clearMs: 3 * MINUTE_MS, quietMs: QUIET_MS, escalateMs: ESCALATE_MS },
  onlineDrop: { holdMs: 30_000, clearMs: 2 * MINUTE_MS, quietMs: QUIET_MS, escalateMs: ESCALATE_MS },
  lowStock: { holdMs: 0, clearMs: 0, quietMs: 0, escalateMs: 0 },
};

export interface AlertInput {
  /** Source time the figures are computed up to (the live window end). */
  ts: number;
  /**
   * Recent minute rows in minute order, the last one being the partial minute containing `ts`.
   * They must reach back to `fromMinute()` for every window to be evaluated.
   */
  minutes: MinuteRow[];
  kpis: Kpis;
  /** Product rows with stock; omit when no stock changed since the last call (lowStock is then not re-evaluated). */
  products?: ProductRow[] | null;
}

export class AlertEvaluator {
  private targets: RoomTargets;
  private readonly episodes = new Map<string, Episode>();
  private readonly raisedIds = new Set<string>();
  /** Last complete minute whose window was evaluated; null before the first evaluation. */
  private lastWindow: number | null = null;
  /** A targets change re-evaluates the latest window even when no new minute completed. */
  private retargeted = false;
  /** Source time of the first minute with ad spend this evaluator saw (ROI warm-up). */
  private spendSince: number | null = null;
  private readonly startStock = new Map<string, number>();
  private readonly lastStock = new Map<string, number>();
  private breakEvenRoi: number | null = null;
  /** The break-even the last ROI judgement used (the kpis' or the console's). */
  private judgedBreakEven: number | null = null;

  constructor(
    readonly roomId: string,
    readonly sessionId: string,
    targets: RoomTargets,
  ) {
    this.targets = { ...targets };
  }

  setTargets(t: RoomTargets): void {
    this.targets = { ...t };
    this.retargeted = true;
  }

  /** The room's break-even ROI as the ad console computes it (null: unknown). */
  setBreakEvenRoi(value: number | null): void {
    this.breakEvenRoi = value !== null && Number.isFinite(value) ? value : null;
  }

  get currentTargets(): RoomTargets {
    return { ...this.targets };
  }

  /** Alerts already raised (stored before a restart): their ids are never raised again, their episodes go on. */
  restore(alerts: Iterable<Pick<Alert, 'id' | 'kind' | 'ts' | 'params'>>): void {
    for (const a of alerts) {
      this.raisedIds.add(a.id);
      const pid = a.kind === 'lowStock' && typeof a.params.productId === 'string' ? a.params.productId : null;
      const figure = a.params[FIGURE[a.kind]];
      this.episode(a.kind, pid).restore(a.ts, typeof figure === 'number' ? figure : 0);
    }
  }

  /** A stock figure as the feed reported it (catalog or `product` event): the first one is the starting level. */
  observeStock(productId: string, stock: number): void {
    if (!Number.isFinite(stock) || stock < 0) return;
    const start = this.startStock.get(productId);
    const last = this.lastStock.get(productId);
    // A rise is a restock: it sets a new starting level when it goes above the old one.
    if (start === undefined || (last !== undefined && stock > last && stock > start)) this.startStock.set(productId, stock);
    this.lastStock.set(productId, stock);
  }

  /** The lowest minute index the next `evaluate` needs in `minutes`, given the minute containing the window end. */
  fromMinute(currentMinute: number): number {
    const need = Math.max(METRIC_WINDOW_MIN, this.targets.onlineDropWindowMin);
    const latest = currentMinute - need;
    const pending = this.lastWindow === null ? latest : this.lastWindow + 1 - (METRIC_WINDOW_MIN - 1);
    return Math.max(0, Math.min(latest, pending));
  }

  /** Evaluates every rule; returns the alerts newly raised, oldest first. */
  evaluate(input: AlertInput): Alert[] {
    const out: Alert[] = [];
    const rows = input.minutes;
    const last = rows.at(-1);
    if (last === undefined) return out;
    const currentMinute = last.minute;
    this.evaluateWindows(rows, out);
    this.evaluateRoi(input, currentMinute, out);
    this.evaluateOnline(input, currentMinute, out);
    if (input.products) this.evaluateStock(input.products, input.ts, currentMinute, out);
    return out;
  }

  private evaluateWindows(rows: MinuteRow[], out: Alert[]): void {
    // Complete minutes only: every row but the last (the minute still running).
    const complete = rows.length - 1;
    if (complete <= 0) return;
    const newest = rows[complete - 1]!.minute;
    let first: number;
    if (this.lastWindow === null) first = newest;
    else if (this.retargeted) first = Math.min(this.lastWindow, newest);
    else first = this.lastWindow + 1;
    this.retargeted = false;
    const base = rows[0]!.minute;
    for (let m = Math.max(first, base, METRIC_WINDOW_MIN - 1, RATE_WARMUP_MIN); m <= newest; m++) {
      let exposures = 0;
      let clicks = 0;
      let orders = 0;
      for (let k = m - METRIC_WINDOW_MIN + 1; k <= m; k++) {
        const r = rows[k - base];
        if (r === undefined) continue;
        exposures += r.exposures;
        clicks += r.clicks;
        orders += r.orders;
      }
      const end = rows[m - base]!.ts + MINUTE_MS;
      this.rate('ctr', clicks, exposures, exposures >= MIN_EXPOSURES, this.targets.ctr, end, m, out);
      this.rate('clickToOrder', orders, clicks, clicks >= MIN_CLICKS, this.targets.clickToOrder, end, m, out);
    }
    this.lastWindow = Math.max(this.lastWindow ?? newest, newest);
  }

  private rate(kind: 'ctr' | 'clickToOrder', hits: number, trials: number, enough: boolean, target: number, ts: number, minute: number, out: Alert[]): void {
    const tol = this.targets.tolerance;
    const value = trials > 0 ? hits / trials : 0;
    let verdict: Verdict = 'unknown';
    if (enough) {
      if (value < target * (1 - tol) && wilsonUpper(hits, trials) < target) verdict = 'low';
      else if (value >= target * (1 - tol / 2)) verdict = 'clear';
      else verdict = 'between';
    }
    if (this.episode(kind, null).step(ts, verdict, value)) this.raise(kind, null, ts, minute, { value, target }, out);
  }

  private evaluateRoi(input: AlertInput, minute: number, out: Alert[]): void {
    const k = input.kpis;
    const spent = input.minutes.find((r) => r.adSpendFen > 0);
    if (spent && (this.spendSince === null || spent.ts < this.spendSince)) this.spendSince = spent.ts;
    // Spend already running before the rows this evaluator was given (a restart): from their start.
    if (this.spendSince === null && k.adSpendFen > 0) this.spendSince = input.minutes[0]!.ts;
    const warm = this.spendSince !== null && input.ts - this.spendSince >= ROI_WARMUP_MIN * MINUTE_MS;
    const judged = warm && k.roi !== null && k.adSpendFen >= MIN_AD_SPEND_FEN;
    const roi = k.roi ?? 0;
    const t = this.targets;
    const target = t.roi;
    const roiVerdict: Verdict = !judged ? 'unknown' : roi < target * (1 - t.tolerance) ? 'low' : roi >= target * (1 - t.tolerance / 2) ? 'clear' : 'between';
    if (this.episode('roi', null).step(input.ts, roiVerdict, roi)) this.raise('roi', null, input.ts, minute, { value: roi, target }, out);
    const be = k.breakEvenRoi ?? this.breakEvenRoi;
    if (be === null || !Number.isFinite(be) || be <= 0) return;
    this.judgedBreakEven = be;
    const adRoi = k.adRoi ?? 0;
    const beVerdict: Verdict = !judged || k.adRoi === null ? 'unknown' : adRoi < be ? 'low' : adRoi >= be * (1 + t.tolerance / 2) ? 'clear' : 'between';
    if (this.episode('roiBelowBreakEven', null).step(input.ts, beVerdict, adRoi)) {
      this.raise('roiBelowBreakEven', null, input.ts, minute, { value: adRoi, breakEven: be, target }, out);
    }
  }

  private evaluateOnline(input: AlertInput, minute: number, out: Alert[]): void {
    const to = input.kpis.onlineNow;
    const w = this.targets.onlineDropWindowMin;
    let from: number | null = null;
    for (let i = input.minutes.length - 1; i >= 0; i--) {
      const r = input.minutes[i]!;
      if (r.minute <= minute - w) break;
      if (r.onlineMax !== null && (from === null || r.onlineMax > from)) from = r.onlineMax;
    }
    const pct = this.targets.onlineDropPct;
    let verdict: Verdict = 'unknown';
    if (to !== null && from !== null && from >= MIN_ONLINE_FOR_DROP) {
      if (from - to >= minDrop(from, pct)) verdict = 'low';
      else if (to >= from * (1 - pct / 2)) verdict = 'clear';
      else verdict = 'between';
    }
    if (this.episode('onlineDrop', null).step(input.ts, verdict, to ?? 0)) this.raise('onlineDrop', null, input.ts, minute, { from, to, windowMin: w }, out);
  }

  private evaluateStock(products: ProductRow[], ts: number, minute: number, out: Alert[]): void {
    for (const p of products) {
      if (p.stock === null) continue;
      if (this.lastStock.get(p.productId) !== p.stock) this.observeStock(p.productId, p.stock);
      const start = this.startStock.get(p.productId);
      if (start === undefined || start <= 0) continue;
      const stock = p.soldOut ? 0 : p.stock;
      const low = stock === 0 || stock < this.targets.lowStockPct * start;
      if (this.episode('lowStock', p.productId).step(ts, low ? 'low' : 'clear', stock)) {
        this.raise('lowStock', p.productId, ts, minute, { productId: p.productId, title: p.title, stock, startStock: start }, out);
      }
    }
  }

  private episode(kind: AlertKind, productId: string | null): Episode {
    const key = productId === null ? kind : `${kind}:${productId}`;
    let e = this.episodes.get(key);
    if (!e) {
      e = new Episode(TIMING[kind], this.worse(kind));
      this.episodes.set(key, e);
    }
    return e;
  }

  /** "Worse by a step" than the last alert of the episode (see the header). */
  private worse(kind: AlertKind): (value: number, last: number) => boolean {
    const step = (last: number, reference: number) => Math.max(ESCALATE_SHARE * last, (ESCALATE_SHARE / 2) * reference);
    switch (kind) {
      case 'ctr':
      case 'clickToOrder':
      case 'roi':
        return (v, last) => v <= last - step(last, this.targets[kind]);
      case 'roiBelowBreakEven':
        return (v, last) => v <= last - step(last, this.judgedBreakEven ?? last);
      case 'onlineDrop':
        return (v, last) => v <= last * (1 - this.targets.onlineDropPct);
      case 'lowStock':
        return (v, last) => v === 0 && last > 0;
    }
  }

  private raise(kind: AlertKind, productId: string | null, ts: number, minute: number, params: Alert['params'], out: Alert[]): void {
    const base = `${this.sessionId}:${kind}:${productId ?? ''}:${minute}`;
    let id = base;
    for (let n = 2; this.raisedIds.has(id); n++) id = `${base}#${n}`;
    this.raisedIds.add(id);
    out.push({ id, roomId: this.roomId, sessionId: this.sessionId, kind, ts, minute, params, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null });
  }
}

/** The figure of each kind an escalation is judged on. */
const FIGURE: Record<AlertKind, string> = { ctr: 'value', clickToOrder: 'value', roi: 'value', roiBelowBreakEven: 'value', onlineDrop: 'to', lowStock: 'stock' };
