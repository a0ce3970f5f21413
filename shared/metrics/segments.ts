/**
 * Pin segments (METRICS.md "Per segment", 讲解段) and the per-product rows that count on them
 * ("Per product"), read from what SessionAggregator kept. The choices these follow (open segment
 * at the window end, product order, newest price and stock) are in aggregator.ts's header.
 */
import { gpm, rate, yuanPer } from './formulas.ts';
import { keyBefore, type StepSeries, type SumSeries } from './series.ts';
import type { CatalogEntry, ProductAgg, Stamped } from './tally.ts';
import type { ProductRow, SegmentRow } from './types.ts';

/** A pin segment before its counts are filled in. */
export interface PinSpan {
  productId: string;
  start: number;
  end: number;
  /** Not closed by a later pin: runs to the window end, inclusive. */
  open: boolean;
}

/** Pin segments from the ts-sorted pin timeline; pins after the window end `w` are ignored. */
export function pinSpans(pinTs: readonly number[], pinProduct: readonly (string | null)[], startedAt: number, w: number): PinSpan[] {
  const spans: PinSpan[] = [];
  const s = startedAt;
  let current: string | null = null;
  let start = 0;
  for (let i = 0; i < pinTs.length; i++) {
    const ts = pinTs[i]!;
    if (ts > w) break;
    const id = pinProduct[i]!;
    if (id === current) continue;
    const t = ts < s ? s : ts;
    if (current !== null) spans.push({ productId: current, start, end: t, open: false });
    current = id;
    start = t;
  }
  if (current !== null) spans.push({ productId: current, start, end: w, open: true });
  return spans;
}

export function segmentRows(
  spans: readonly PinSpan[],
  products: ReadonlyMap<string, ProductAgg>,
  enterSeries: SumSeries,
  online: StepSeries,
  w: number,
): SegmentRow[] {
  return spans.map((sp): SegmentRow => {
    const p = products.get(sp.productId);
    const exposures = p ? p.exposureSeries.range(sp.start, sp.end, sp.open).sum : 0;
    const clicks = p ? p.clickSeries.range(sp.start, sp.end, sp.open).sum : 0;
    const ord = p ? p.orderSeries.range(sp.start, sp.end, sp.open) : { sum: 0, count: 0 };
    const enters = enterSeries.range(sp.start, sp.end, sp.open).sum;
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

/** What the session kept about products, for their rows. */
export interface ProductBook {
  products: ReadonlyMap<string, ProductAgg>;
  /** The latest catalog (null: none came). */
  catalog: readonly CatalogEntry[] | null;
  /** Newest catalog entry of every product any catalog listed. */
  known: ReadonlyMap<string, CatalogEntry>;
}

export function productRows(book: ProductBook, segments: readonly SegmentRow[], pv: number): ProductRow[] {
  const pinStats = pinStatsOf(segments);
  return productOrder(book).map((id): ProductRow => {
    const p = book.products.get(id);
    const cat = book.known.get(id);
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

/** Pins, pinned time and GMV while pinned, per product, from its segments. */
function pinStatsOf(segments: readonly SegmentRow[]): Map<string, { pins: number; ms: number; gmvFen: number }> {
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
  return pinStats;
}

/** The latest catalog in its own order, then every other product seen in events, by id. */
function productOrder(book: ProductBook): string[] {
  const ids: string[] = [];
  const listed = new Set<string>();
  for (const entry of book.catalog ?? []) {
    if (listed.has(entry.product.id)) continue;
    listed.add(entry.product.id);
    ids.push(entry.product.id);
  }
  // Order of first sighting depends on arrival order; sorting keeps replays identical.
  const extra = [...book.products.keys()].filter((id) => !listed.has(id)).sort();
  ids.push(...extra);
  return ids;
}

/** The newer of a catalog field and a `product` event field; null when neither gives one. */
function pickNewer(cat: CatalogEntry | undefined, catValue: number | undefined, ev: Stamped<number> | null): number | null {
  if (cat === undefined || catValue === undefined) return ev === null ? null : ev.value;
  if (ev === null) return catValue;
  return keyBefore(ev.ts, ev.seq, cat.ts, cat.seq) ? catValue : ev.value;
}
