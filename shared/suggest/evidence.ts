/**
 * What the suggestion engine has seen of the feed, per product and for the room: the evidence its
 * estimates are built from (engine.ts has the model). `observe()` is called for every feed event,
 * so it only counts.
 *
 * The engine is two layers of one class: this evidence and `SuggestionEngine` (engine.ts), which
 * reads it. One object, so observing an event reaches the counts in one step; `protected` keeps
 * them out of the public API.
 */
import type { KnownFeedEvent, EventBody, ProductRole } from '../protocol.ts';
import { DEFAULT_HALF_LIFE_MIN, ctrLift, cvrLift, freshnessNow, type PinnedBucket, type Stretch } from './estimators.ts';
import type { LearnedPriors } from './types.ts';

/** Pinned evidence is kept in buckets of this length from the start of each stretch (and the room's per bucket of the show). */
export const BUCKET_MS = 30_000;

type Body<T extends EventBody['type']> = Extract<EventBody, { type: T }>;

/** Everything the engine knows of one product. */
export interface PState {
  id: string;
  title: string;
  role: ProductRole | null;
  /** the catalog's first tag: goods of a kind sell alike (a prior for the untested ones) */
  category: string | null;
  basePriceFen: number;
  priceFen: number;
  stock: number | null;
  startStock: number | null;
  soldOut: boolean;
  stretches: Stretch[];
  buckets: PinnedBucket[];
  /** pinned totals (raw) */
  pExpo: number;
  pClicks: number;
  pOrders: number;
  /** bag evidence, freshness-adjusted at arrival with the estimate of the time */
  bExpoAdj: number;
  bClicks: number;
  bClicksAdj: number;
  bOrders: number;
  orders: number;
  items: number;
  amountFen: number;
  /** every exposure and click, explained or in the bag: what the board counts when the engine runs without one */
  exposures: number;
  clicks: number;
  halfLifeMin: number;
  /** online at the start of each stretch and at its end, for how well it holds viewers */
  holdSum: number;
  holdMin: number;
}

export class EngineEvidence {
  protected t0: number | null = null;
  protected lastTs = 0;
  protected readonly products = new Map<string, PState>();
  protected pinned: PState | null = null;
  protected pinnedSinceTs = 0;
  protected pinnedOnlineStart = 0;
  protected online = 0;
  /** pinned exposures per 30 s bucket of the show (any product), for exposures/min */
  protected readonly expoByBucket = new Map<number, number>();
  protected readonly onlineByMin = new Map<number, number>();
  protected readonly entersByMin = new Map<number, number>();
  protected lastStretchChange = 0;

  /** what earlier shows of the room taught: a new product's half-life starts from it */
  constructor(protected readonly priors: LearnedPriors | null) {}

  /** Minutes since the show started, at event time `ts`. */
  showMinute(ts: number = this.lastTs): number {
    return this.minOf(ts);
  }

  /** Every stretch of explaining so far, in order (minutes since the show started; the last may run). */
  pinHistory(): { productId: string; startMin: number; endMin: number | null }[] {
    const all: { productId: string; startMin: number; endMin: number | null }[] = [];
    for (const p of this.products.values()) for (const s of p.stretches) all.push({ productId: p.id, startMin: s.startMin, endMin: s.endMin });
    return all.sort((a, b) => a.startMin - b.startMin || (a.endMin === null ? 1 : 0) - (b.endMin === null ? 1 : 0));
  }

  observe(e: EventBody | KnownFeedEvent): void {
    if (this.t0 === null) this.t0 = e.type === 'session' ? (e.startedAt ?? e.ts) : e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.type) {
      case 'session':
        if (e.startedAt !== undefined && this.products.size === 0) this.t0 = e.startedAt;
        return;
      case 'catalog':
        return this.observeCatalog(e);
      case 'product':
        return this.observeProduct(e);
      case 'pin':
        this.setPinned(e.productId === null ? null : (this.products.get(e.productId) ?? null), e.ts);
        return;
      case 'viewers':
        // A snapshot of cumulative figures only says nothing about who is online now.
        if (e.online === undefined) return;
        this.online = e.online;
        this.onlineByMin.set(this.minuteOf(e.ts), e.online);
        return;
      case 'enter': {
        const m = this.minuteOf(e.ts);
        this.entersByMin.set(m, (this.entersByMin.get(m) ?? 0) + e.n);
        return;
      }
      case 'exposure':
      case 'click':
        return this.observeInterest(e);
      case 'order':
        return this.observeOrder(e);
      default:
        return;
    }
  }

  private observeCatalog(e: Body<'catalog'>): void {
    for (const c of e.products) {
      const p = this.products.get(c.id) ?? this.newProduct(c.id, c.title, c.priceFen);
      p.title = c.title;
      p.basePriceFen = c.priceFen;
      p.priceFen = c.priceFen;
      p.role = c.role ?? null;
      p.category = c.tags?.[0] ?? null;
      if (c.stock !== undefined) {
        p.stock = c.stock;
        p.startStock ??= c.stock;
        p.soldOut = c.stock === 0;
      }
      this.products.set(c.id, p);
    }
  }

  private observeProduct(e: Body<'product'>): void {
    const p = this.products.get(e.productId);
    if (!p) return;
    if (e.priceFen !== undefined) p.priceFen = e.priceFen;
    if (e.stock !== undefined) {
      p.stock = e.stock;
      p.startStock ??= e.stock;
      p.soldOut = e.stock === 0;
    }
    if (e.soldOut !== undefined) p.soldOut = e.soldOut || p.stock === 0;
  }

  /** Exposures and clicks: pinned evidence while the product is explained, bag evidence otherwise. */
  private observeInterest(e: Body<'exposure'> | Body<'click'>): void {
    const p = this.products.get(e.productId);
    if (!p) return;
    if (e.type === 'exposure') p.exposures += e.n;
    else p.clicks += e.n;
    if (p === this.pinned) {
      const b = this.bucketFor(p, e.ts);
      if (e.type === 'exposure') {
        b.exposures += e.n;
        p.pExpo += e.n;
        const k = Math.floor((e.ts - (this.t0 ?? e.ts)) / BUCKET_MS);
        this.expoByBucket.set(k, (this.expoByBucket.get(k) ?? 0) + e.n);
      } else {
        b.clicks += e.n;
        p.pClicks += e.n;
      }
    } else {
      const f = freshnessNow(p.stretches, p.halfLifeMin, this.minOf(e.ts));
      if (e.type === 'exposure') p.bExpoAdj += e.n * ctrLift(f);
      else {
        p.bClicks += e.n;
        p.bClicksAdj += e.n * cvrLift(f);
      }
    }
  }

  private observeOrder(e: Body<'order'>): void {
    const p = this.products.get(e.productId);
    if (!p || e.status !== 'paid') return;
    p.orders++;
    p.items += e.qty;
    p.amountFen += e.amountFen;
    if (p === this.pinned) {
      this.bucketFor(p, e.ts).orders++;
      p.pOrders++;
    } else p.bOrders++;
  }

  private newProduct(id: string, title: string, priceFen: number): PState {
    return {
      id,
      title,
      role: null,
      category: null,
      basePriceFen: priceFen,
      priceFen,
      stock: null,
      startStock: null,
      soldOut: false,
      stretches: [],
      buckets: [],
      pExpo: 0,
      pClicks: 0,
      pOrders: 0,
      bExpoAdj: 0,
      bClicks: 0,
      bClicksAdj: 0,
      bOrders: 0,
      orders: 0,
      items: 0,
      amountFen: 0,
      exposures: 0,
      clicks: 0,
      halfLifeMin: this.priors?.products[id]?.halfLifeMin ?? this.priors?.halfLifeMin ?? DEFAULT_HALF_LIFE_MIN,
      holdSum: 0,
      holdMin: 0,
    };
  }

  private setPinned(p: PState | null, ts: number): void {
    if (p === this.pinned) return;
    const nowMin = this.minOf(ts);
    const prev = this.pinned;
    if (prev) {
      const last = prev.stretches[prev.stretches.length - 1];
      if (last && last.endMin === null) {
        last.endMin = nowMin;
        const dur = nowMin - last.startMin;
        if (dur >= 1 && this.pinnedOnlineStart > 0 && this.online > 0) {
          prev.holdSum += Math.log(this.online / this.pinnedOnlineStart);
          prev.holdMin += dur;
        }
      }
    }
    this.pinned = p;
    this.pinnedSinceTs = ts;
    this.pinnedOnlineStart = this.online;
    if (p) p.stretches.push({ startMin: nowMin, endMin: null });
    this.lastStretchChange = ts;
  }

  private bucketFor(p: PState, ts: number): PinnedBucket {
    const si = p.stretches.length - 1;
    const k = Math.max(0, Math.floor((ts - this.pinnedSinceTs) / BUCKET_MS));
    const tauMin = ((k + 0.5) * BUCKET_MS) / 60_000;
    const last = p.buckets[p.buckets.length - 1];
    if (last && last.stretch === si && last.tauMin === tauMin) return last;
    const b: PinnedBucket = { stretch: si, tauMin, exposures: 0, clicks: 0, orders: 0 };
    p.buckets.push(b);
    return b;
  }

  protected minOf(ts: number): number {
    return (ts - (this.t0 ?? ts)) / 60_000;
  }

  private minuteOf(ts: number): number {
    return Math.floor(this.minOf(ts));
  }
}
