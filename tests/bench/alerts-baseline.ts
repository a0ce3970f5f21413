/**
 * The bench's baseline (npm run bench:alerts): the alert rules as they were before issue 15,
 * kept verbatim so every run measures the new rules against the old on the same rooms. Not used
 * by the app.
 *
 * Alerts (METRICS.md "Targets and alerts"), evaluated from the aggregator's live view.
 * Pure: the core feeds it, the tests drive it by hand.
 *
 * Rule definitions (keep this list current; the UI words alerts from `kind` + `params`):
 * - ctr / clickToOrder: over the last METRIC_WINDOW_MIN (3) complete minutes (none before minute 2
 *   is complete), ctr = Σclicks / Σexposures
 *   and clickToOrder = Σorders / Σclicks. Raised when value < target × (1 − tolerance), only
 *   with enough volume in the window (MIN_EXPOSURES exposures / MIN_CLICKS clicks): at a few
 *   dozen clicks one order more or less swings the rate by whole percent points. Every newly
 *   complete minute m is evaluated in order (window m−2..m), so how often `evaluate` runs does
 *   not change which alerts are raised; alert.minute = m and ts = the end of minute m. The very
 *   first evaluation looks at the latest window only: a session joined late (or resumed after a
 *   restart) does not raise a burst of alerts about its past.
 * - roi: the session's kpis.roi (GMV / ad spend) below target × (1 − tolerance), once the ad
 *   spend reaches MIN_AD_SPEND_FEN (¥100); before that a single early order or none makes ROI
 *   meaningless.
 * - roiBelowBreakEven: the same kpis.roi below the break-even ROI (the ROI at which the ad spend
 *   pays for itself after cost of goods, fee and refunds): kpis.breakEvenRoi when the aggregator
 *   has one, else what setBreakEvenRoi gave (the core's ad console, from the team's economics and
 *   the live sales mix), with the same ¥100 minimum spend. Raised as soon as ROI is below break-even (no
 *   tolerance: below it the show loses money on its ads), re-armed once ROI is back at or above
 *   break-even × (1 + tolerance / 2). Without a break-even (no costs entered) it never fires.
 * - onlineDrop: from = the highest online in the current (partial) minute and the
 *   onlineDropWindowMin − 1 minutes before it (minute onlineMax, which includes the value
 *   carried in at the minute's start, so every value counted is at most onlineDropWindowMin
 *   minutes old); to = kpis.onlineNow (the live figure, so it fires within a second of the
 *   drop). Raised when to ≤ from × (1 − onlineDropPct) and from ≥ MIN_ONLINE_FOR_DROP.
 * - lowStock: per product, stock < lowStockPct × its starting stock, or sold out (stock 0 /
 *   soldOut). The starting stock is the first stock seen for the product (catalog or `product`
 *   event, or the first ProductRow with a stock); a later higher stock (a restock) becomes the
 *   new starting level. Products without a stock figure never raise.
 * - Hysteresis: an alert of a kind (per product for lowStock) is raised once while its condition
 *   holds. It re-arms only once the condition has cleared for at least one evaluation: metrics
 *   back at or above target × (1 − tolerance / 2); online back within onlineDropPct / 2 of the
 *   window's high; stock back at or above lowStockPct × starting stock (a restock). Evaluations
 *   without enough volume leave the state as it was.
 * - ids are `${sessionId}:${kind}:${productId ?? ''}:${minute}`; an id already raised (or restored
 *   from the store) is never raised again.
 */
import type { Alert, AlertKind, RoomTargets } from '../../shared/contract.ts';
import type { Kpis, MinuteRow, ProductRow } from '../../shared/metrics/types.ts';

export const METRIC_WINDOW_MIN = 3;
export const MIN_EXPOSURES = 200;
export const MIN_CLICKS = 60;
export const MIN_AD_SPEND_FEN = 10_000;
export const MIN_ONLINE_FOR_DROP = 50;
const MINUTE_MS = 60_000;

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

export class BaselineAlertEvaluator {
  private targets: RoomTargets;
  /** Kinds (and `lowStock:productId`) whose condition currently holds and has been raised. */
  private readonly active = new Set<string>();
  private readonly raisedIds = new Set<string>();
  /** Last complete minute whose window was evaluated; null before the first evaluation. */
  private lastWindow: number | null = null;
  /** A targets change re-evaluates the latest window even when no new minute completed. */
  private retargeted = false;
  private readonly startStock = new Map<string, number>();
  private readonly lastStock = new Map<string, number>();
  private breakEvenRoi: number | null = null;

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

  /** Alerts already raised (stored before a restart): their ids are never raised again, their conditions count as holding. */
  restore(alerts: Iterable<Pick<Alert, 'id' | 'kind' | 'params'>>): void {
    for (const a of alerts) {
      this.raisedIds.add(a.id);
      const pid = a.kind === 'lowStock' && typeof a.params.productId === 'string' ? a.params.productId : null;
      this.active.add(key(a.kind, pid));
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
    // A full window only: the show's first minutes are too few to judge a rate.
    for (let m = Math.max(first, base, METRIC_WINDOW_MIN - 1); m <= newest; m++) {
      let exposures = 0;
      let clicks = 0;
      let orders = 0;
      let minutes = 0;
      for (let k = m - METRIC_WINDOW_MIN + 1; k <= m; k++) {
        const r = rows[k - base];
        if (r === undefined) continue;
        exposures += r.exposures;
        clicks += r.clicks;
        orders += r.orders;
        minutes++;
      }
      if (minutes === 0) continue;
      const end = rows[m - base]!.ts + MINUTE_MS;
      if (exposures >= MIN_EXPOSURES) this.metric('ctr', clicks / exposures, this.targets.ctr, end, m, out);
      if (clicks >= MIN_CLICKS) this.metric('clickToOrder', orders / clicks, this.targets.clickToOrder, end, m, out);
    }
    this.lastWindow = Math.max(this.lastWindow ?? newest, newest);
  }

  private evaluateRoi(input: AlertInput, minute: number, out: Alert[]): void {
    const k = input.kpis;
    if (k.roi === null || k.adSpendFen < MIN_AD_SPEND_FEN) return;
    this.metric('roi', k.roi, this.targets.roi, input.ts, minute, out);
    const be = k.breakEvenRoi ?? this.breakEvenRoi;
    if (be === null || !Number.isFinite(be) || be <= 0) return;
    const id = key('roiBelowBreakEven', null);
    if (k.roi < be) {
      if (!this.active.has(id)) {
        this.active.add(id);
        this.raise('roiBelowBreakEven', null, input.ts, minute, { value: k.roi, breakEven: be, target: this.targets.roi }, out);
      }
    } else if (k.roi >= be * (1 + this.targets.tolerance / 2)) {
      this.active.delete(id);
    }
  }

  private metric(kind: AlertKind, value: number, target: number, ts: number, minute: number, out: Alert[]): void {
    const tol = this.targets.tolerance;
    const id = key(kind, null);
    if (value < target * (1 - tol)) {
      if (!this.active.has(id)) {
        this.active.add(id);
        this.raise(kind, null, ts, minute, { value, target }, out);
      }
    } else if (value >= target * (1 - tol / 2)) {
      this.active.delete(id);
    }
  }

  private evaluateOnline(input: AlertInput, minute: number, out: Alert[]): void {
    const to = input.kpis.onlineNow;
    if (to === null) return;
    const w = this.targets.onlineDropWindowMin;
    let from: number | null = null;
    for (let i = input.minutes.length - 1; i >= 0; i--) {
      const r = input.minutes[i]!;
      if (r.minute <= minute - w) break;
      if (r.onlineMax !== null && (from === null || r.onlineMax > from)) from = r.onlineMax;
    }
    if (from === null || from < MIN_ONLINE_FOR_DROP) return;
    const pct = this.targets.onlineDropPct;
    const id = key('onlineDrop', null);
    if (to <= from * (1 - pct)) {
      if (!this.active.has(id)) {
        this.active.add(id);
        this.raise('onlineDrop', null, input.ts, minute, { from, to, windowMin: w }, out);
      }
    } else if (to >= from * (1 - pct / 2)) {
      this.active.delete(id);
    }
  }

  private evaluateStock(products: ProductRow[], ts: number, minute: number, out: Alert[]): void {
    for (const p of products) {
      if (p.stock === null) continue;
      if (this.lastStock.get(p.productId) !== p.stock) this.observeStock(p.productId, p.stock);
      const start = this.startStock.get(p.productId);
      if (start === undefined || start <= 0) continue;
      const id = key('lowStock', p.productId);
      const low = p.soldOut || p.stock === 0 || p.stock < this.targets.lowStockPct * start;
      if (low) {
        if (!this.active.has(id)) {
          this.active.add(id);
          this.raise('lowStock', p.productId, ts, minute, { productId: p.productId, title: p.title, stock: p.stock, startStock: start }, out);
        }
      } else {
        this.active.delete(id);
      }
    }
  }

  private raise(kind: AlertKind, productId: string | null, ts: number, minute: number, params: Alert['params'], out: Alert[]): void {
    const id = `${this.sessionId}:${kind}:${productId ?? ''}:${minute}`;
    if (this.raisedIds.has(id)) return;
    this.raisedIds.add(id);
    out.push({ id, roomId: this.roomId, sessionId: this.sessionId, kind, ts, minute, params, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null });
  }
}

function key(kind: AlertKind, productId: string | null): string {
  return productId === null ? kind : `${kind}:${productId}`;
}
