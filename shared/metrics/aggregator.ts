/**
 * METRICS.md, computed incrementally for one session.
 *
 * `ingest` is on the feed's hot path, so it only does O(1) bookkeeping plus an append to a
 * time-sorted array (binary insertion for the rare out-of-order event). Everything that depends
 * on the order of events in time — the online step function, pin segments, per-minute ad spend,
 * like totals — is kept in `ts` order (ties broken by `seq`), so the result never depends on
 * arrival order. Reads (`snapshot`, `live`) derive the rest on demand.
 *
 * Interpretations of METRICS.md where it leaves a choice (keep this list current):
 * - Events with `ts` before `startedAt` count as if at `startedAt` (minute 0, first segment).
 * - Events after the window end (late orders after `ended`, or a source clock ahead of `nowTs`)
 *   still count in the KPIs and in their own minute rows, so the minute rows always add up to the
 *   KPIs. Events more than MAX_SESSION_MINUTES after the start are dropped as corrupt.
 * - Minute rows run from 0 to the minute containing the window end (end exclusive; minute 0 is
 *   always present) or to the last minute with a counted event, whichever is later. A minute
 *   row outside the window has null online figures and no pinned product.
 * - "Value at an end" of the step function (minute `onlineEnd`, segment `onlineEnd`) is the last
 *   snapshot before that instant — a snapshot exactly on a minute boundary belongs to the next
 *   minute — except at the window end, where a snapshot exactly at the end counts (so the last
 *   row's `onlineEnd` equals `kpis.onlineNow`).
 * - "First paid event wins" means the earliest by (ts, seq), so replays in any order agree; the
 *   same for refunds.
 * - Pins: a pin of the product already pinned continues its segment. The segment still open at
 *   the window end includes events at exactly the end; closed ones are [startTs, endTs).
 *   pinnedProductId ties: a product beats "none"; between products, the one first pinned later in
 *   the minute wins.
 *   A pin and the next pin at the same ms leave a zero-length segment; it is kept (it counts in
 *   `pins`) because the pin did happen.
 * - Products: the latest catalog by (ts, seq) in its own order, then every other product seen in
 *   events sorted by id. A product off the latest catalog keeps the title/price/role of the
 *   newest catalog that listed it (else title = id, price 0, role null). price and stock are the
 *   newest of catalog and `product` event values; soldOut is the newest explicit flag, else
 *   stock === 0.
 * - `ended`: the latest end wins (max), so duplicated or replayed `ended` events agree.
 * - Durations (durationSec, pinnedSec) are exact milliseconds / 1000, not rounded.
 * - Memory: the per-event series behind segment figures are compacted once their events are more
 *   than COMPACT_HORIZON_MS (source time) behind the newest one — events between the same two
 *   boundaries (pins, the start, the end) merge into one entry, so segment sums stay exact and an
 *   eight-hour show does not hold every event. A pin (or an end) that arrives later than that
 *   horizon, far beyond FEED-PROTOCOL's "slightly out of order", splits an already merged stretch
 *   where its first event was: that segment's product counts may then be off by the events of the
 *   stretch; minute rows and KPIs stay exact, and a report recomputed from the stored events in
 *   their numbered order gives the same figures.
 * - Likes with totals: the KPI is the highest `like.total` (the room's count from the broadcast
 *   start, as the platform shows it); minute rows are the increases seen, counted from the
 *   earliest total minus that event's own `n`, so a room joined mid-show does not put the whole
 *   pre-join total into the first minute it was seen in. Minute rows then add up to the KPI only
 *   when the source was there from the start.
 */
import type { KnownFeedEvent, Product } from '../protocol.ts';
import { gpm, rate, yuanPer } from './formulas.ts';
import { keyBefore, StepSeries, SumSeries, upperBoundKey } from './series.ts';
import type { EntersBySource, Kpis, MinuteRow, ProductRow, SegmentRow, SessionMetrics } from './types.ts';
import { MAX_SESSION_MINUTES, MINUTE_MS, minuteIndex } from './window.ts';
import { PaidOrders, type PaidOrder } from './paid-orders.ts';

/** Source time behind the newest event after which per-event series entries are merged. */
export const COMPACT_HORIZON_MS = 30 * 60_000;
/** Events between compactions (each compaction is one pass over the entries before the horizon). */
const COMPACT_EVERY = 8192;

export interface AggregatorOptions {
  breakEvenRoi?: number | null;
  /** Source time behind the newest event after which series entries merge (default COMPACT_HORIZON_MS). */
  compactHorizonMs?: number;
}


/** Counts of one minute; rows are created only by events that have a per-minute count. */
class MinuteAgg {
  enters = 0;
  likesN = 0;
  /** Highest `like.total` seen in this minute; −1 when none. */
  likesMaxTotal = -1;
  comments = 0;
  follows = 0;
  shares = 0;
  fansclub = 0;
  giftFen = 0;
  exposures = 0;
  clicks = 0;
  orders = 0;
  items = 0;
  gmvFen = 0;
  refundFen = 0;
  adSpendFen = 0;
}

interface Stamped<T> {
  ts: number;
  seq: number;
  value: T;
}

class ProductAgg {
  exposures = 0;
  clicks = 0;
  orders = 0;
  items = 0;
  gmvFen = 0;
  readonly exposureSeries = new SumSeries();
  readonly clickSeries = new SumSeries();
  /** Paid orders by (clamped) ts, value amountFen: segment orders and GMV. */
  readonly orderSeries = new SumSeries();
  priceFen: Stamped<number> | null = null;
  stock: Stamped<number> | null = null;
  soldOut: Stamped<boolean> | null = null;
}

interface Refund {
  ts: number;
  seq: number;
  minute: number;
  amountFen: number;
}

/** One ad plan's cumulative reports in (ts, seq) order. */
interface AdPlan {
  ts: number[];
  seq: number[];
  minute: number[];
  spend: number[];
  gmv: number[];
}

interface CatalogEntry {
  ts: number;
  seq: number;
  product: Product;
}

/** A pin segment before its counts are filled in. */
interface PinSpan {
  productId: string;
  start: number;
  end: number;
  /** Not closed by a later pin: runs to the window end, inclusive. */
  open: boolean;
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

function newer<T>(cur: Stamped<T> | null, ts: number, seq: number): boolean {
  return cur === null || !keyBefore(ts, seq, cur.ts, cur.seq);
}

function emptyEnters(): EntersBySource {
  return { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
}

export class SessionAggregator {
  readonly startedAt: number;
  private readonly breakEvenRoi: number | null;
  private ended: number | null = null;

  private readonly mins: MinuteAgg[] = [];
  private dirtyFrom: number | null = null;

  private readonly online: StepSeries;
  private uv: Stamped<number> | null = null;
  private pv: Stamped<number> | null = null;
  private watchSeconds: Stamped<number> | null = null;

  private readonly enterSeries = new SumSeries();
  private enters = 0;
  private readonly entersBySource = emptyEnters();

  private likesN = 0;
  private likesMaxTotal = -1;
  /**
   * The earliest like carrying a total (by ts, seq) and the likes its own message brought: a
   * room joined mid-show sees a total that counts from the broadcast start, so per-minute likes
   * are the increases from `total − n` of this first one, not the whole total in its minute.
   */
  private likesFirst: { ts: number; seq: number; total: number; n: number } | null = null;
  private comments = 0;
  private follows = 0;
  private shares = 0;
  private fansclub = 0;
  private giftFen = 0;
  private exposures = 0;
  private clicks = 0;

  private readonly paid = new PaidOrders();
  private readonly refunds = new Map<string, Refund>();
  private gmvFen = 0;
  private items = 0;
  private refundFen = 0;

  private readonly plans = new Map<string, AdPlan>();
  private adSpendFen = 0;
  private adGmvFen = 0;

  private readonly pinTs: number[] = [];
  private readonly pinSeq: number[] = [];
  private readonly pinProduct: (string | null)[] = [];
  /** Newest source time ingested, and series entries added since the last compaction. */
  private newestTs = Number.NEGATIVE_INFINITY;
  private sinceCompaction = 0;
  private readonly compactHorizonMs: number;

  private readonly products = new Map<string, ProductAgg>();
  private catalog: CatalogEntry[] | null = null;
  private catalogKey: { ts: number; seq: number } | null = null;
  /** Newest catalog entry of every product any catalog listed: titles for products since dropped. */
  private readonly known = new Map<string, CatalogEntry>();

  constructor(startedAt: number, opts?: AggregatorOptions) {
    this.startedAt = startedAt;
    this.breakEvenRoi = opts?.breakEvenRoi ?? null;
    this.compactHorizonMs = opts?.compactHorizonMs ?? COMPACT_HORIZON_MS;
    this.online = new StepSeries(startedAt);
  }

  get endedAt(): number | null {
    return this.ended;
  }

  /** Merges old series entries between the same boundaries (see the header's "Memory"). */
  private compact(): void {
    this.sinceCompaction = 0;
    const horizon = this.newestTs - this.compactHorizonMs;
    if (horizon <= this.startedAt) return;
    const boundaries = [this.startedAt, ...this.pinTs];
    if (this.ended !== null) boundaries.push(this.ended);
    boundaries.sort((a, b) => a - b);
    this.enterSeries.compactBefore(horizon, boundaries);
    for (const p of this.products.values()) {
      p.exposureSeries.compactBefore(horizon, boundaries);
      p.clickSeries.compactBefore(horizon, boundaries);
      p.orderSeries.compactBefore(horizon, boundaries);
    }
  }

  private minuteOf(ts: number): number {
    return minuteIndex(ts, this.startedAt);
  }

  private row(m: number): MinuteAgg {
    const mins = this.mins;
    while (mins.length <= m) mins.push(new MinuteAgg());
    return mins[m]!;
  }

  private touch(m: number): void {
    if (this.dirtyFrom === null || m < this.dirtyFrom) this.dirtyFrom = m;
  }

  private product(id: string): ProductAgg {
    let p = this.products.get(id);
    if (p === undefined) {
      p = new ProductAgg();
      this.products.set(id, p);
    }
    return p;
  }

  ingest(e: KnownFeedEvent): void {
    const ts = e.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return;
    const m = this.minuteOf(ts);
    if (m >= MAX_SESSION_MINUTES) return;
    const at = ts < this.startedAt ? this.startedAt : ts;
    if (ts > this.newestTs) this.newestTs = ts;
    if (++this.sinceCompaction >= COMPACT_EVERY) this.compact();
    switch (e.type) {
      case 'enter': {
        const n = num(e.n);
        this.row(m).enters += n;
        this.enters += n;
        const src = e.source !== undefined && Object.hasOwn(this.entersBySource, e.source) ? e.source : 'other';
        this.entersBySource[src] += n;
        this.enterSeries.add(at, n);
        this.touch(m);
        return;
      }
      case 'like': {
        const r = this.row(m);
        if (typeof e.total === 'number' && Number.isFinite(e.total)) {
          if (e.total > r.likesMaxTotal) r.likesMaxTotal = e.total;
          if (e.total > this.likesMaxTotal) this.likesMaxTotal = e.total;
          const first = this.likesFirst;
          if (first === null || keyBefore(ts, e.seq, first.ts, first.seq)) this.likesFirst = { ts, seq: e.seq, total: e.total, n: num(e.n) };
        }
        const n = num(e.n);
        r.likesN += n;
        this.likesN += n;
        this.touch(m);
        return;
      }
      case 'comment':
        this.row(m).comments += 1;
        this.comments += 1;
        this.touch(m);
        return;
      case 'follow': {
        const n = num(e.n);
        this.row(m).follows += n;
        this.follows += n;
        this.touch(m);
        return;
      }
      case 'share': {
        const n = num(e.n);
        this.row(m).shares += n;
        this.shares += n;
        this.touch(m);
        return;
      }
      case 'fansclub': {
        const n = num(e.n);
        this.row(m).fansclub += n;
        this.fansclub += n;
        this.touch(m);
        return;
      }
      case 'gift': {
        const v = num(e.valueFen);
        this.row(m).giftFen += v;
        this.giftFen += v;
        this.touch(m);
        return;
      }
      case 'exposure': {
        const n = num(e.n);
        this.row(m).exposures += n;
        this.exposures += n;
        const p = this.product(e.productId);
        p.exposures += n;
        p.exposureSeries.add(at, n);
        this.touch(m);
        return;
      }
      case 'click': {
        const n = num(e.n);
        this.row(m).clicks += n;
        this.clicks += n;
        const p = this.product(e.productId);
        p.clicks += n;
        p.clickSeries.add(at, n);
        this.touch(m);
        return;
      }
      case 'order':
        if (e.status === 'paid') this.ingestPaid(e);
        else if (e.status === 'refunded') this.ingestRefund(e, m);
        return;
      case 'ad':
        this.ingestAd(e, m);
        return;
      case 'viewers': {
        // A snapshot of cumulative figures only (no `online`) leaves the online step function as it was.
        if (typeof e.online === 'number') this.online.add(ts, e.seq, num(e.online));
        if (typeof e.uv === 'number' && newer(this.uv, ts, e.seq)) this.uv = { ts, seq: e.seq, value: e.uv };
        if (typeof e.pv === 'number' && newer(this.pv, ts, e.seq)) this.pv = { ts, seq: e.seq, value: e.pv };
        if (typeof e.watchSeconds === 'number' && newer(this.watchSeconds, ts, e.seq)) {
          this.watchSeconds = { ts, seq: e.seq, value: e.watchSeconds };
        }
        this.touch(m);
        return;
      }
      case 'pin': {
        const id = typeof e.productId === 'string' ? e.productId : null;
        const i = upperBoundKey(this.pinTs, this.pinSeq, ts, e.seq);
        this.pinTs.splice(i, 0, ts);
        this.pinSeq.splice(i, 0, e.seq);
        this.pinProduct.splice(i, 0, id);
        if (id !== null) this.product(id);
        this.touch(m);
        return;
      }
      case 'product': {
        const p = this.product(e.productId);
        if (typeof e.priceFen === 'number' && newer(p.priceFen, ts, e.seq)) p.priceFen = { ts, seq: e.seq, value: e.priceFen };
        if (typeof e.stock === 'number' && newer(p.stock, ts, e.seq)) p.stock = { ts, seq: e.seq, value: e.stock };
        if (typeof e.soldOut === 'boolean' && newer(p.soldOut, ts, e.seq)) p.soldOut = { ts, seq: e.seq, value: e.soldOut };
        return;
      }
      case 'catalog': {
        if (!Array.isArray(e.products)) return;
        const entries: CatalogEntry[] = [];
        for (const product of e.products) {
          const entry = { ts, seq: e.seq, product };
          entries.push(entry);
          const prev = this.known.get(product.id);
          if (prev === undefined || !keyBefore(ts, e.seq, prev.ts, prev.seq)) this.known.set(product.id, entry);
        }
        const key = this.catalogKey;
        if (key === null || !keyBefore(ts, e.seq, key.ts, key.seq)) {
          this.catalog = entries;
          this.catalogKey = { ts, seq: e.seq };
        }
        return;
      }
      case 'session':
        if (e.status === 'ended') this.end(ts);
        return;
      default:
        // marker and anything a future protocol adds: no metric depends on them.
        return;
    }
  }

  private ingestPaid(e: Extract<KnownFeedEvent, { type: 'order' }>): void {
    const prev = this.paid.get(e.orderId);
    if (prev !== undefined) {
      if (!keyBefore(e.ts, e.seq, prev.ts, prev.seq)) return;
      this.applyPaid(prev, -1);
    }
    const rec: PaidOrder = { ts: e.ts, seq: e.seq, productId: e.productId, qty: num(e.qty), amountFen: num(e.amountFen), buyerId: typeof e.buyerId === 'string' ? e.buyerId : undefined };
    this.paid.set(e.orderId, rec);
    this.applyPaid(rec, 1);
  }

  /** sign −1 undoes an order that an earlier duplicate replaces (the order store itself is updated by the caller). */
  private applyPaid(o: PaidOrder, sign: 1 | -1): void {
    const minute = this.minuteOf(o.ts);
    // ts clamped to the session start: the key in the product's order series.
    const at = o.ts < this.startedAt ? this.startedAt : o.ts;
    const r = this.row(minute);
    r.orders += sign;
    r.items += sign * o.qty;
    r.gmvFen += sign * o.amountFen;
    this.items += sign * o.qty;
    this.gmvFen += sign * o.amountFen;
    const p = this.product(o.productId);
    p.orders += sign;
    p.items += sign * o.qty;
    p.gmvFen += sign * o.amountFen;
    if (sign === 1) p.orderSeries.add(at, o.amountFen);
    else p.orderSeries.remove(at, o.amountFen);
    this.touch(minute);
  }

  private ingestRefund(e: Extract<KnownFeedEvent, { type: 'order' }>, m: number): void {
    // A refund of an order paid before the session still names a product the room sells.
    this.product(e.productId);
    const prev = this.refunds.get(e.orderId);
    if (prev !== undefined) {
      if (!keyBefore(e.ts, e.seq, prev.ts, prev.seq)) return;
      this.row(prev.minute).refundFen -= prev.amountFen;
      this.refundFen -= prev.amountFen;
      this.touch(prev.minute);
    }
    const amountFen = num(e.amountFen);
    this.refunds.set(e.orderId, { ts: e.ts, seq: e.seq, minute: m, amountFen });
    this.row(m).refundFen += amountFen;
    this.refundFen += amountFen;
    this.touch(m);
  }

  /**
   * Per-minute spend is the telescoping sum of each report's increase over the report before it
   * (in ts order), credited to the report's minute. An out-of-order report only changes its own
   * increase and that of the report right after it.
   */
  private ingestAd(e: Extract<KnownFeedEvent, { type: 'ad' }>, m: number): void {
    let plan = this.plans.get(e.planId);
    if (plan === undefined) {
      plan = { ts: [], seq: [], minute: [], spend: [], gmv: [] };
      this.plans.set(e.planId, plan);
    }
    const spend = num(e.spendFen);
    const gmv = num(e.gmvFen);
    const n = plan.ts.length;
    const i = upperBoundKey(plan.ts, plan.seq, e.ts, e.seq);
    const prevSpend = i > 0 ? plan.spend[i - 1]! : 0;
    this.row(m).adSpendFen += spend - prevSpend;
    this.touch(m);
    if (i < n) {
      const nextMinute = plan.minute[i]!;
      this.row(nextMinute).adSpendFen -= spend - prevSpend;
      plan.ts.splice(i, 0, e.ts);
      plan.seq.splice(i, 0, e.seq);
      plan.minute.splice(i, 0, m);
      plan.spend.splice(i, 0, spend);
      plan.gmv.splice(i, 0, gmv);
    } else {
      this.adSpendFen += spend - (n > 0 ? plan.spend[n - 1]! : 0);
      this.adGmvFen += gmv - (n > 0 ? plan.gmv[n - 1]! : 0);
      plan.ts.push(e.ts);
      plan.seq.push(e.seq);
      plan.minute.push(m);
      plan.spend.push(spend);
      plan.gmv.push(gmv);
    }
  }

  /** The latest call (or `ended` event) wins only if it is later: an end never moves back. */
  end(endTs: number): void {
    if (!Number.isFinite(endTs)) return;
    const t = Math.min(Math.max(endTs, this.startedAt), this.startedAt + MAX_SESSION_MINUTES * MINUTE_MS);
    if (this.ended === null || t > this.ended) {
      const from = this.ended === null ? t : Math.min(this.ended, t);
      this.ended = t;
      this.touch(this.minuteOf(from));
    }
  }

  /**
   * Lowest minute index whose row may have changed since the previous call (null: none), then
   * resets. The row of the minute containing "now" also changes as time passes (online average,
   * pinned product) without any event, so a live caller should always resend it too.
   */
  takeDirtyFrom(): number | null {
    const d = this.dirtyFrom;
    this.dirtyFrom = null;
    return d;
  }

  private windowEnd(nowTs: number): number {
    if (this.ended !== null) return this.ended;
    const s = this.startedAt;
    if (!Number.isFinite(nowTs) || nowTs < s) return s;
    return Math.min(nowTs, s + MAX_SESSION_MINUTES * MINUTE_MS);
  }

  private minuteCount(w: number): number {
    const s = this.startedAt;
    const lastInWindow = w > s ? Math.ceil((w - s) / MINUTE_MS) - 1 : 0;
    return Math.max(lastInWindow, this.mins.length - 1) + 1;
  }

  snapshot(nowTs: number): SessionMetrics {
    const w = this.windowEnd(nowTs);
    const spans = this.pinSpans(w);
    const kpis = this.kpis(w);
    const minutes = this.minuteRows(0, w, spans);
    const segments = this.segmentRows(w, spans);
    const products = this.productRows(segments, kpis.pv);
    return { kpis, minutes, products, segments };
  }

  live(nowTs: number, fromMinute: number): { kpis: Kpis; minutes: MinuteRow[] } {
    const w = this.windowEnd(nowTs);
    const from = Number.isFinite(fromMinute) ? Math.max(0, Math.floor(fromMinute)) : 0;
    return { kpis: this.kpis(w), minutes: this.minuteRows(from, w, this.pinSpans(w)) };
  }

  /**
   * The product being explained at `nowTs`: the last pin at or before it (null: none). Not a
   * minute row's `pinnedProductId` (the product pinned for the largest part of that minute), which
   * lags a switch by up to half a minute.
   */
  pinnedAt(nowTs: number): string | null {
    const w = this.windowEnd(nowTs);
    let id: string | null = null;
    for (let i = 0; i < this.pinTs.length && this.pinTs[i]! <= w; i++) id = this.pinProduct[i]!;
    return id;
  }

  // ---- reads ----------------------------------------------------------------------------------

  private kpis(w: number): Kpis {
    const s = this.startedAt;
    const online = this.online;
    let peakOnline: number | null = null;
    let avgOnline: number | null = null;
    let onlineNow: number | null = null;
    const first = online.firstTime();
    if (first !== null && first <= w) {
      onlineNow = online.valueAt(w, false);
      peakOnline = online.peakTo(w);
      avgOnline = w > first ? online.integralTo(w) / (w - first) : onlineNow;
    }
    const uv = this.uv?.value ?? null;
    const pv = this.pv?.value ?? this.enters;
    const watchSeconds = this.watchSeconds?.value ?? null;
    const orders = this.paid.size;
    const buyers = this.paid.buyers > 0 ? this.paid.buyers : null;
    const gmvFen = this.gmvFen;
    return {
      durationSec: (w - s) / 1000,
      peakOnline,
      avgOnline,
      uv,
      pv,
      avgWatchSec: rate(watchSeconds, uv),
      gmvFen,
      refundFen: this.refundFen,
      orders,
      items: this.items,
      buyers,
      gpm: gpm(gmvFen, pv),
      uvValue: yuanPer(gmvFen, uv),
      itemPrice: yuanPer(gmvFen, this.items),
      orderValue: yuanPer(gmvFen, buyers ?? orders),
      exposures: this.exposures,
      clicks: this.clicks,
      ctr: rate(this.clicks, this.exposures),
      clickToOrder: rate(orders, this.clicks),
      viewToOrder: rate(orders, pv),
      viewToBuyer: rate(buyers, uv),
      newFollowers: this.follows,
      followRate: rate(this.follows, uv),
      fansclubJoins: this.fansclub,
      comments: this.comments,
      likes: this.likesMaxTotal >= 0 ? this.likesMaxTotal : this.likesN,
      shares: this.shares,
      giftFen: this.giftFen,
      adSpendFen: this.adSpendFen,
      adGmvFen: this.adGmvFen,
      roi: rate(gmvFen, this.adSpendFen),
      adRoi: rate(this.adGmvFen, this.adSpendFen),
      breakEvenRoi: this.breakEvenRoi,
      entersBySource: { ...this.entersBySource },
      onlineNow,
    };
  }

  /** Pin segments from the ts-sorted pin timeline; pins after the window end are ignored. */
  private pinSpans(w: number): PinSpan[] {
    const spans: PinSpan[] = [];
    const s = this.startedAt;
    let current: string | null = null;
    let start = 0;
    for (let i = 0; i < this.pinTs.length; i++) {
      const ts = this.pinTs[i]!;
      if (ts > w) break;
      const id = this.pinProduct[i]!;
      if (id === current) continue;
      const t = ts < s ? s : ts;
      if (current !== null) spans.push({ productId: current, start, end: t, open: false });
      current = id;
      start = t;
    }
    if (current !== null) spans.push({ productId: current, start, end: w, open: true });
    return spans;
  }

  private minuteRows(from: number, w: number, spans: PinSpan[]): MinuteRow[] {
    const s = this.startedAt;
    const count = this.minuteCount(w);
    const rows: MinuteRow[] = [];
    const likeTotals = this.likesMaxTotal >= 0;
    // With totals, a minute's likes are the increase of the running max over the first total's
    // own starting point (what the room had before that message): the increases seen.
    let likesRunning = this.likesFirst ? Math.max(0, this.likesFirst.total - this.likesFirst.n) : 0;
    if (likeTotals) {
      for (let m = 0; m < from && m < this.mins.length; m++) {
        const t = this.mins[m]!.likesMaxTotal;
        if (t > likesRunning) likesRunning = t;
      }
    }
    const empty = new MinuteAgg();
    let span = 0;
    const pinIds: string[] = [];
    const pinDurs: number[] = [];
    for (let m = from; m < count; m++) {
      const c = this.mins[m] ?? empty;
      const a = s + m * MINUTE_MS;
      const e = Math.min(a + MINUTE_MS, w);

      let likes = c.likesN;
      if (likeTotals) {
        const before = likesRunning;
        if (c.likesMaxTotal > likesRunning) likesRunning = c.likesMaxTotal;
        likes = likesRunning - before;
      }

      const row: MinuteRow = {
        minute: m,
        ts: a,
        onlineAvg: null,
        onlineMax: null,
        onlineEnd: null,
        enters: c.enters,
        likes,
        comments: c.comments,
        follows: c.follows,
        shares: c.shares,
        fansclub: c.fansclub,
        giftFen: c.giftFen,
        exposures: c.exposures,
        clicks: c.clicks,
        orders: c.orders,
        items: c.items,
        gmvFen: c.gmvFen,
        refundFen: c.refundFen,
        adSpendFen: c.adSpendFen,
        pinnedProductId: null,
        ctr: rate(c.clicks, c.exposures),
        gpm: gpm(c.gmvFen, c.enters),
      };
      this.fillOnline(row, a, e, w);

      if (e > a) {
        while (span < spans.length && spans[span]!.end <= a) span++;
        pinIds.length = 0;
        pinDurs.length = 0;
        let pinned = 0;
        for (let j = span; j < spans.length && spans[j]!.start < e; j++) {
          const sp = spans[j]!;
          const d = Math.min(sp.end, e) - Math.max(sp.start, a);
          if (d <= 0) continue;
          pinned += d;
          const k = pinIds.indexOf(sp.productId);
          if (k < 0) {
            pinIds.push(sp.productId);
            pinDurs.push(d);
          } else {
            pinDurs[k] = pinDurs[k]! + d;
          }
        }
        let best: string | null = null;
        let bestDur = 0;
        for (let k = 0; k < pinIds.length; k++) {
          if (pinDurs[k]! >= bestDur) {
            best = pinIds[k]!;
            bestDur = pinDurs[k]!;
          }
        }
        row.pinnedProductId = e - a - pinned > bestDur ? null : best;
      }
      rows.push(row);
    }
    return rows;
  }

  /** Online avg/max/end over [a, e), e = min(minute end, window end). */
  private fillOnline(row: MinuteRow, a: number, e: number, w: number): void {
    const online = this.online;
    if (e <= a) {
      // Only minute 0 of a zero-length window is inside the window; other such rows are not.
      if (a === w && a === this.startedAt) {
        const v = online.valueAt(w, false);
        row.onlineAvg = v;
        row.onlineMax = v;
        row.onlineEnd = v;
      }
      return;
    }
    const first = online.firstTime();
    if (first === null || first >= e) {
      row.onlineEnd = e === w ? online.valueAt(w, false) : null;
      return;
    }
    const a1 = first > a ? first : a;
    row.onlineAvg = (online.integralTo(e) - online.integralTo(a1)) / (e - a1);
    const k0 = online.indexAt(a, false);
    const hi = online.indexAt(e, true) + 1;
    const val = online.val;
    let max = k0 >= 0 ? val[k0]! : -Infinity;
    for (let j = k0 + 1; j < hi; j++) if (val[j]! > max) max = val[j]!;
    row.onlineMax = max;
    row.onlineEnd = e === w ? online.valueAt(w, false) : val[hi - 1]!;
  }

  private segmentRows(w: number, spans: PinSpan[]): SegmentRow[] {
    const online = this.online;
    return spans.map((sp): SegmentRow => {
      const p = this.products.get(sp.productId);
      const exposures = p ? p.exposureSeries.range(sp.start, sp.end, sp.open).sum : 0;
      const clicks = p ? p.clickSeries.range(sp.start, sp.end, sp.open).sum : 0;
      const ord = p ? p.orderSeries.range(sp.start, sp.end, sp.open) : { sum: 0, count: 0 };
      const enters = this.enterSeries.range(sp.start, sp.end, sp.open).sum;
      return {
        productId: sp.productId,
        startTs: sp.start,
        endTs: sp.end,
        durationSec: (sp.end - sp.start) / 1000,
        exposures,
        clicks,
        ctr: rate(clicks, exposures),
        orders: ord.count,
        gmvFen: ord.sum,
        clickToOrder: rate(ord.count, clicks),
        enters,
        gpm: gpm(ord.sum, enters),
        onlineStart: online.valueAt(sp.start, false),
        onlineEnd: sp.open ? online.valueAt(w, false) : online.valueAt(sp.end, true),
      };
    });
  }

  private productRows(segments: SegmentRow[], pv: number): ProductRow[] {
    const pinStats = new Map<string, { pins: number; ms: number; gmvFen: number }>();
    for (const sg of segments) {
      let st = pinStats.get(sg.productId);
      if (st === undefined) {
        st = { pins: 0, ms: 0, gmvFen: 0 };
        pinStats.set(sg.productId, st);
      }
      st.pins += 1;
      st.ms += sg.endTs - sg.startTs;
      st.gmvFen += sg.gmvFen;
    }

    const ids: string[] = [];
    const listed = new Set<string>();
    for (const entry of this.catalog ?? []) {
      if (listed.has(entry.product.id)) continue;
      listed.add(entry.product.id);
      ids.push(entry.product.id);
    }
    // Order of first sighting depends on arrival order; sorting keeps replays identical.
    const extra = [...this.products.keys()].filter((id) => !listed.has(id)).sort();
    ids.push(...extra);

    return ids.map((id): ProductRow => {
      const p = this.products.get(id);
      const cat = this.known.get(id);
      const st = pinStats.get(id);
      const priceFen = pickNewer(cat, cat?.product.priceFen, p?.priceFen ?? null) ?? 0;
      const stock = pickNewer(cat, cat?.product.stock, p?.stock ?? null);
      const exposures = p?.exposures ?? 0;
      const clicks = p?.clicks ?? 0;
      const orders = p?.orders ?? 0;
      const gmvFen = p?.gmvFen ?? 0;
      const pinnedSec = (st?.ms ?? 0) / 1000;
      return {
        productId: id,
        title: cat?.product.title ?? id,
        role: cat?.product.role ?? null,
        priceFen,
        exposures,
        clicks,
        ctr: rate(clicks, exposures),
        orders,
        items: p?.items ?? 0,
        gmvFen,
        clickToOrder: rate(orders, clicks),
        pins: st?.pins ?? 0,
        pinnedSec,
        gmvPerPinnedMin: yuanPer(st?.gmvFen ?? 0, pinnedSec / 60),
        productGpm: gpm(gmvFen, pv),
        stock,
        soldOut: p?.soldOut?.value ?? stock === 0,
      };
    });
  }
}

/** The newer of a catalog field and a `product` event field; null when neither gives one. */
function pickNewer(cat: CatalogEntry | undefined, catValue: number | undefined, ev: Stamped<number> | null): number | null {
  if (cat === undefined || catValue === undefined) return ev === null ? null : ev.value;
  if (ev === null) return catValue;
  return keyBefore(ev.ts, ev.seq, cat.ts, cat.seq) ? catValue : ev.value;
}
