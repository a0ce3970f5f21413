/**
 * What SessionAggregator keeps as events arrive (aggregator.ts has the METRICS.md
 * interpretations this state serves).
 *
 * The aggregator is three layers of one class: this state, `SessionIngest` (ingest.ts, how each
 * event changes it) and `SessionAggregator` (aggregator.ts, what is read from it). One object, so
 * the hot path reaches every figure in one step, as when it was one file; `protected` keeps the
 * figures out of the public API.
 */
import type { Product } from '../protocol.ts';
import { StepSeries, SumSeries } from './series.ts';
import type { EntersBySource } from './types.ts';
import { minuteIndex } from './window.ts';
import { PaidOrders } from './paid-orders.ts';

/** Source time behind the newest event after which per-event series entries are merged. */
export const COMPACT_HORIZON_MS = 30 * 60_000;

export interface AggregatorOptions {
  breakEvenRoi?: number | null;
  /** Source time behind the newest event after which series entries merge (default COMPACT_HORIZON_MS). */
  compactHorizonMs?: number;
}

/** Counts of one minute; rows are created only by events that have a per-minute count. */
export class MinuteAgg {
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

export interface Stamped<T> {
  ts: number;
  seq: number;
  value: T;
}

export class ProductAgg {
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

export interface Refund {
  ts: number;
  seq: number;
  minute: number;
  amountFen: number;
}

/** One ad plan's cumulative reports in (ts, seq) order. */
export interface AdPlan {
  ts: number[];
  seq: number[];
  minute: number[];
  spend: number[];
  gmv: number[];
}

export interface CatalogEntry {
  ts: number;
  seq: number;
  product: Product;
}

/** The earliest like carrying a total, and the likes its own message brought. */
export interface FirstLikeTotal {
  ts: number;
  seq: number;
  total: number;
  n: number;
}

function emptyEnters(): EntersBySource {
  return { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
}

export class SessionTally {
  readonly startedAt: number;
  protected readonly breakEvenRoi: number | null;
  protected ended: number | null = null;

  protected readonly mins: MinuteAgg[] = [];
  protected dirtyFrom: number | null = null;

  protected readonly online: StepSeries;
  protected uv: Stamped<number> | null = null;
  protected pv: Stamped<number> | null = null;
  protected watchSeconds: Stamped<number> | null = null;

  protected readonly enterSeries = new SumSeries();
  protected enters = 0;
  protected readonly entersBySource = emptyEnters();

  protected likesN = 0;
  protected likesMaxTotal = -1;
  /**
   * The earliest like carrying a total (by ts, seq) and the likes its own message brought: a
   * room joined mid-show sees a total that counts from the broadcast start, so per-minute likes
   * are the increases from `total − n` of this first one, not the whole total in its minute.
   */
  protected likesFirst: FirstLikeTotal | null = null;
  protected comments = 0;
  protected follows = 0;
  protected shares = 0;
  protected fansclub = 0;
  protected giftFen = 0;
  protected exposures = 0;
  protected clicks = 0;

  protected readonly paid = new PaidOrders();
  protected readonly refunds = new Map<string, Refund>();
  protected gmvFen = 0;
  protected items = 0;
  protected refundFen = 0;

  protected readonly plans = new Map<string, AdPlan>();
  protected adSpendFen = 0;
  protected adGmvFen = 0;

  protected readonly pinTs: number[] = [];
  protected readonly pinSeq: number[] = [];
  protected readonly pinProduct: (string | null)[] = [];
  /** Newest source time ingested, and series entries added since the last compaction. */
  protected newestTs = Number.NEGATIVE_INFINITY;
  protected sinceCompaction = 0;
  protected readonly compactHorizonMs: number;

  protected readonly products = new Map<string, ProductAgg>();
  protected catalog: CatalogEntry[] | null = null;
  protected catalogKey: { ts: number; seq: number } | null = null;
  /** Newest catalog entry of every product any catalog listed: titles for products since dropped. */
  protected readonly known = new Map<string, CatalogEntry>();

  constructor(startedAt: number, opts?: AggregatorOptions) {
    this.startedAt = startedAt;
    this.breakEvenRoi = opts?.breakEvenRoi ?? null;
    this.compactHorizonMs = opts?.compactHorizonMs ?? COMPACT_HORIZON_MS;
    this.online = new StepSeries(startedAt);
  }

  get endedAt(): number | null {
    return this.ended;
  }

  protected minuteOf(ts: number): number {
    return minuteIndex(ts, this.startedAt);
  }

  protected row(m: number): MinuteAgg {
    const mins = this.mins;
    while (mins.length <= m) mins.push(new MinuteAgg());
    return mins[m]!;
  }

  protected touch(m: number): void {
    if (this.dirtyFrom === null || m < this.dirtyFrom) this.dirtyFrom = m;
  }

  protected product(id: string): ProductAgg {
    let p = this.products.get(id);
    if (p === undefined) {
      p = new ProductAgg();
      this.products.set(id, p);
    }
    return p;
  }
}
