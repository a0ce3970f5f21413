/**
 * What the retrospective needs beyond METRICS.md's rollups (minutes, products, segments, KPIs):
 * entries by traffic source per minute, the comment demand words, the platform markers
 *, each ad plan's last figures and the catalog's costs. Collected incrementally from the
 * same events the aggregator sees — live by the core, stored with the other rollups, so opening a
 * report never re-reads a show's raw events — or in one pass over the raw log when no current
 * rollup exists. Pure: no I/O.
 */
import { TrafficSources, type KnownFeedEvent, type TrafficSource } from '../protocol.ts';
import { DemandCounter } from '../comments/demand.ts';
import type { DemandSummary } from '../comments/demand.ts';
import type { SessionMarker } from '../sessions.ts';
import { minuteIndex } from '../metrics/window.ts';

export interface TrafficMinute {
  minute: number;
  /** entries (`enter.n`) of the minute by source; an entry without a source counts as `other` */
  bySource: Record<TrafficSource, number>;
}

export interface AdPlanFigures {
  planId: string;
  /** last cumulative figures of the plan (METRICS.md: the plan's figures are cumulative) */
  spendFen: number;
  gmvFen: number | null;
  impressions: number | null;
  clicks: number | null;
  orders: number | null;
  budgetFenPerMin: number | null;
}

export interface RetroExtras {
  /** Only minutes with entries are listed; the report fills the gaps. */
  traffic: TrafficMinute[];
  /** Demand words and the products asked about, and demand comments per minute (DemandCounter's definitions). */
  demand: Omit<DemandSummary, 'recent'>;
  markers: SessionMarker[];
  adPlans: AdPlanFigures[];
  /** The catalog's cost of goods per product id, when the feed gives it. */
  catalogCostFen: Record<string, number>;
  /** Whether the source gives cumulative UV / watch time (else those KPIs are null, not 0). */
  uvKnown: boolean;
  comments: number;
  /**
   * When each product ran out (stock reached 0 or the feed said sold out), in order: what the
   * retrospective blames a drop on. Absent from a rollup stored before it was collected.
   */
  stockOuts?: StockOut[];
}

export interface StockOut {
  productId: string;
  ts: number;
  minute: number;
}

const MARKERS_KEPT = 2000;
const STOCK_OUTS_KEPT = 1000;

function zeroSources(): Record<TrafficSource, number> {
  return { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
}

export class RetroCollector {
  private readonly traffic = new Map<number, Record<TrafficSource, number>>();
  private readonly markers: SessionMarker[] = [];
  private readonly plans = new Map<string, AdPlanFigures>();
  private readonly costs = new Map<string, number>();
  /** Products out of stock now: a sell-out is counted when a product enters this set. */
  private readonly soldOut = new Set<string>();
  private readonly stockOuts: StockOut[] = [];
  private uvKnown = false;
  private comments = 0;

  constructor(private readonly startedAt: number) {}

  private minuteOf(ts: number): number {
    return minuteIndex(ts, this.startedAt);
  }

  /** O(1) per event. Comments are counted by the DemandCounter the caller keeps (the core has one already). */
  ingest(e: KnownFeedEvent): void {
    switch (e.type) {
      case 'enter': {
        const m = this.minuteOf(e.ts);
        let row = this.traffic.get(m);
        if (!row) this.traffic.set(m, (row = zeroSources()));
        const src = e.source && (TrafficSources as readonly string[]).includes(e.source) ? e.source : 'other';
        row[src] += e.n;
        return;
      }
      case 'marker':
        if (this.markers.length < MARKERS_KEPT) this.markers.push({ seq: e.seq, ts: e.ts, minute: this.minuteOf(e.ts), kind: e.kind, text: e.text ? e.text.slice(0, 300) : null });
        return;
      case 'ad': {
        const p = this.plans.get(e.planId);
        // Cumulative figures: the latest (by source time) wins, as the aggregator takes them.
        this.plans.set(e.planId, {
          planId: e.planId,
          spendFen: Math.max(p?.spendFen ?? 0, e.spendFen),
          gmvFen: e.gmvFen ?? p?.gmvFen ?? null,
          impressions: e.impressions ?? p?.impressions ?? null,
          clicks: e.clicks ?? p?.clicks ?? null,
          orders: e.orders ?? p?.orders ?? null,
          budgetFenPerMin: e.budgetFenPerMin ?? p?.budgetFenPerMin ?? null,
        });
        return;
      }
      case 'catalog':
        for (const p of e.products) {
          if (p.costFen !== undefined) this.costs.set(p.id, p.costFen);
          if (p.stock !== undefined) this.stockState(p.id, p.stock === 0, e.ts);
        }
        return;
      case 'product':
        if (e.soldOut !== undefined || e.stock !== undefined) this.stockState(e.productId, e.soldOut ?? e.stock === 0, e.ts);
        return;
      case 'viewers':
        if (e.uv !== undefined) this.uvKnown = true;
        return;
      case 'comment':
        this.comments++;
        return;
      default:
        return;
    }
  }

  private stockState(productId: string, out: boolean, ts: number): void {
    if (!out) {
      this.soldOut.delete(productId);
      return;
    }
    if (this.soldOut.has(productId)) return;
    this.soldOut.add(productId);
    if (this.stockOuts.length < STOCK_OUTS_KEPT) this.stockOuts.push({ productId, ts, minute: this.minuteOf(ts) });
  }

  snapshot(demand: DemandSummary): RetroExtras {
    const { recent: _recent, ...rest } = demand;
    return {
      traffic: [...this.traffic].sort((a, b) => a[0] - b[0]).map(([minute, bySource]) => ({ minute, bySource: { ...bySource } })),
      demand: { words: rest.words.map((w) => ({ ...w })), products: rest.products.map((p) => ({ ...p })), perMinute: rest.perMinute.slice() },
      markers: [...this.markers].sort((a, b) => a.ts - b.ts || a.seq - b.seq),
      adPlans: [...this.plans.values()].map((p) => ({ ...p })).sort((a, b) => (a.planId < b.planId ? -1 : 1)),
      catalogCostFen: Object.fromEntries(this.costs),
      uvKnown: this.uvKnown,
      comments: this.comments,
      stockOuts: [...this.stockOuts].sort((a, b) => a.ts - b.ts),
    };
  }
}

/**
 * The raw-log path: one pass over a session's events with the same collector and the same demand
 * rules the core applies live (a comment's demand words go to the product pinned at the time).
 */
export function collectExtras(startedAt: number, events: Iterable<KnownFeedEvent>): RetroExtras {
  const c = new RetroCollector(startedAt);
  const demand = new DemandCounter();
  let pinned: string | null = null;
  let newest = startedAt;
  for (const e of events) {
    c.ingest(e);
    if (e.ts > newest) newest = e.ts;
    if (e.type === 'pin') pinned = e.productId;
    else if (e.type === 'catalog') demand.setCatalog(e.products);
    else if (e.type === 'comment') demand.add({ ts: e.ts, text: e.text, nickname: e.nickname ?? null }, minuteIndex(e.ts, startedAt), pinned);
  }
  return c.snapshot(demand.summary(minuteIndex(newest, startedAt)));
}
