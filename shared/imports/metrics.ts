/**
 * METRICS.md's figures from imported tables. Two uses:
 * - `metricsFromImports`: a show that was not recorded live — its minute rows, products, segments
 *   (from the product table's explain windows) and KPIs, all from its tables;
 * - `settleMetrics`: a show already in the store — the settled tables' figures laid over the live
 *   (or first imported) ones, field by field: what the tables give replaces, what they do not give
 *   stays, and every ratio is derived again from the merged counts with METRICS.md's formulas.
 * Pure: the core reads the stored tables and hands them here.
 */
import { gpm, rate, yuanPer } from '../metrics/formulas.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow, SessionMetrics } from '../metrics/types.ts';
import type { ProductRole } from '../protocol.ts';
import type { ImportField } from './columns.ts';
import { ImportError, type ImportValues, type ParsedRow } from './parse.ts';
import type { SettlementChange } from './types.ts';
import { emptyMinuteRow, minuteIndex } from '../metrics/window.ts';

const MINUTE_MS = 60_000;

/** A minute table's row placed on the session's clock. */
export interface PlacedMinute {
  minute: number;
  /** start of the session's minute, epoch ms */
  ts: number;
  line: number;
  values: ImportValues;
}

/** The tables in force for a session (newest import of each kind), with the columns each gave. */
export interface ImportedSet {
  minutes: { fields: ImportField[]; rows: PlacedMinute[] } | null;
  products: { fields: ImportField[]; rows: Array<Pick<ParsedRow, 'line' | 'values'>> } | null;
  totals: { fields: ImportField[]; values: ImportValues } | null;
}

const num = (v: ImportValues[ImportField]): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: ImportValues[ImportField]): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Puts a minute table's rows on the session's minutes. Compass stamps a minute by its wall-clock
 * start (20:05 for 20:05:00–59) while a session starts when it starts (20:03:27): the platform
 * minute the show started in is the session's minute 0, the next one minute 1, and so on. A minute
 * index is the minute itself (0-based; "第N分钟" is N−1); a clock time ("20:05") takes its date
 * from the session's start, rolling over midnight. Without a session, the table's earliest time
 * starts the show.
 */
export function placeMinutes(rows: readonly ParsedRow[], startedAt: number | null, timeHeader: string): { startedAt: number; minutes: PlacedMinute[] } {
  const first = rows[0]?.time;
  let start = startedAt;
  if (start === null) {
    if (!first || !('at' in first)) {
      const what = first && 'index' in first ? 'a minute index' : 'a time without a date';
      throw new ImportError(rows[0]?.line ?? 2, timeHeader, `${what} needs the show's start: pass --start "2024-11-11 20:00" or --session ID`);
    }
    start = Math.min(...rows.map((r) => (r.time && 'at' in r.time ? r.time.at : Infinity)));
  }
  const s = start;
  const startDay = new Date(s);
  startDay.setHours(0, 0, 0, 0);
  const startClock = (s - startDay.getTime()) / MINUTE_MS;
  const byMinute = new Map<number, number>();
  const minutes: PlacedMinute[] = rows.map((r) => {
    const t = r.time!;
    let m: number;
    if ('index' in t) m = t.index;
    else {
      let at: number;
      if ('at' in t) at = t.at;
      else {
        // A clock time more than an hour before the start's is after midnight.
        const day = t.clock < startClock - 60 ? 1 : 0;
        const d = new Date(startDay);
        d.setDate(d.getDate() + day);
        at = d.getTime() + t.clock * MINUTE_MS;
      }
      // "+ 0": Math.ceil(-0.5) is −0, which JSON and equality checks tell from 0.
      m = Math.ceil((at - (at % MINUTE_MS) - s) / MINUTE_MS) + 0;
    }
    if (m < 0) throw new ImportError(r.line, timeHeader, `this minute is before the show started (${new Date(s).toLocaleString('zh-CN', { hour12: false })})`);
    if (m > 7 * 24 * 60) throw new ImportError(r.line, timeHeader, 'this minute is more than a week after the show started');
    const dup = byMinute.get(m);
    if (dup !== undefined) throw new ImportError(r.line, timeHeader, `the same minute as line ${dup}`);
    byMinute.set(m, r.line);
    return { minute: m, ts: s + m * MINUTE_MS, line: r.line, values: r.values };
  });
  minutes.sort((a, b) => a.minute - b.minute);
  return { startedAt: s, minutes };
}

/** The KPIs that are counted (or measured), from which every ratio of METRICS.md is derived. */
type BaseKey =
  | 'peakOnline' | 'avgOnline' | 'uv' | 'pv' | 'avgWatchSec' | 'gmvFen' | 'refundFen' | 'orders' | 'items' | 'buyers' | 'exposures' | 'clicks'
  | 'newFollowers' | 'fansclubJoins' | 'comments' | 'likes' | 'shares' | 'adSpendFen' | 'adGmvFen' | 'onlineNow';
type Base = { [K in BaseKey]: Kpis[K] };

const BASE_KEYS: BaseKey[] = [
  'peakOnline', 'avgOnline', 'uv', 'pv', 'avgWatchSec', 'gmvFen', 'refundFen', 'orders', 'items', 'buyers', 'exposures', 'clicks',
  'newFollowers', 'fansclubJoins', 'comments', 'likes', 'shares', 'adSpendFen', 'adGmvFen', 'onlineNow',
];

/** Totals-table field → KPI. */
const TOTAL_TO_KPI: Array<[ImportField, BaseKey]> = [
  ['uv', 'uv'], ['pv', 'pv'], ['peakOnline', 'peakOnline'], ['avgOnline', 'avgOnline'], ['avgWatchSec', 'avgWatchSec'], ['gmvFen', 'gmvFen'],
  ['refundFen', 'refundFen'], ['orders', 'orders'], ['items', 'items'], ['buyers', 'buyers'], ['exposures', 'exposures'], ['clicks', 'clicks'],
  ['follows', 'newFollowers'], ['fansclub', 'fansclubJoins'], ['comments', 'comments'], ['likes', 'likes'], ['shares', 'shares'],
  ['adSpendFen', 'adSpendFen'], ['adGmvFen', 'adGmvFen'],
];

/** Minute-table field → the KPI its column sums to (`enters` sums to PV, METRICS.md's fallback). */
const MINUTE_SUM_TO_KPI: Array<[ImportField, BaseKey]> = [
  ['enters', 'pv'], ['gmvFen', 'gmvFen'], ['refundFen', 'refundFen'], ['orders', 'orders'], ['items', 'items'], ['exposures', 'exposures'],
  ['clicks', 'clicks'], ['follows', 'newFollowers'], ['fansclub', 'fansclubJoins'], ['comments', 'comments'], ['likes', 'likes'],
  ['shares', 'shares'], ['adSpendFen', 'adSpendFen'],
];

const PRODUCT_SUM_TO_KPI: Array<[ImportField, BaseKey]> = [
  ['gmvFen', 'gmvFen'], ['refundFen', 'refundFen'], ['orders', 'orders'], ['items', 'items'], ['exposures', 'exposures'], ['clicks', 'clicks'],
];

/**
 * The KPIs the tables give. A totals table's figure wins (it is the platform's own total — UV and
 * buyers cannot be summed from minutes); then a minute column's sum; then the product table's sum.
 */
export function givenKpis(set: ImportedSet): Partial<Base> {
  const out: Partial<Base> = {};
  const put = (k: BaseKey, v: number | undefined) => {
    if (v !== undefined && out[k] === undefined) (out as Record<BaseKey, number>)[k] = v;
  };
  if (set.totals) for (const [f, k] of TOTAL_TO_KPI) put(k, num(set.totals.values[f]));
  if (set.minutes) {
    const rows = set.minutes.rows;
    for (const [f, k] of MINUTE_SUM_TO_KPI) if (set.minutes.fields.includes(f)) put(k, rows.reduce((a, r) => a + (num(r.values[f]) ?? 0), 0));
    if (set.minutes.fields.includes('online')) {
      const online = rows.map((r) => num(r.values.online)).filter((v): v is number => v !== undefined);
      if (online.length) {
        put('peakOnline', Math.max(...online));
        put('avgOnline', online.reduce((a, b) => a + b, 0) / online.length);
        put('onlineNow', online[online.length - 1]);
      }
    }
  }
  if (set.products) {
    for (const [f, k] of PRODUCT_SUM_TO_KPI) if (set.products.fields.includes(f)) put(k, set.products.rows.reduce((a, r) => a + (num(r.values[f]) ?? 0), 0));
  }
  return out;
}

/** METRICS.md's ratios from the counted figures; what the counts cannot give is carried over. */
export function deriveKpis(b: Base, carry: Pick<Kpis, 'durationSec' | 'giftFen' | 'breakEvenRoi' | 'entersBySource'>): Kpis {
  return {
    durationSec: carry.durationSec,
    peakOnline: b.peakOnline,
    avgOnline: b.avgOnline,
    uv: b.uv,
    pv: b.pv,
    avgWatchSec: b.avgWatchSec,
    gmvFen: b.gmvFen,
    refundFen: b.refundFen,
    orders: b.orders,
    items: b.items,
    buyers: b.buyers,
    gpm: gpm(b.gmvFen, b.pv),
    uvValue: yuanPer(b.gmvFen, b.uv),
    itemPrice: yuanPer(b.gmvFen, b.items),
    orderValue: yuanPer(b.gmvFen, b.buyers ?? b.orders),
    exposures: b.exposures,
    clicks: b.clicks,
    ctr: rate(b.clicks, b.exposures),
    clickToOrder: rate(b.orders, b.clicks),
    viewToOrder: rate(b.orders, b.pv),
    viewToBuyer: rate(b.buyers, b.uv),
    newFollowers: b.newFollowers,
    followRate: rate(b.newFollowers, b.uv),
    fansclubJoins: b.fansclubJoins,
    comments: b.comments,
    likes: b.likes,
    shares: b.shares,
    giftFen: carry.giftFen,
    adSpendFen: b.adSpendFen,
    adGmvFen: b.adGmvFen,
    roi: rate(b.gmvFen, b.adSpendFen),
    adRoi: rate(b.adGmvFen, b.adSpendFen),
    breakEvenRoi: carry.breakEvenRoi,
    entersBySource: { ...carry.entersBySource },
    onlineNow: b.onlineNow,
  };
}

const MINUTE_COUNTS: Array<[ImportField, keyof MinuteRow]> = [
  ['enters', 'enters'], ['likes', 'likes'], ['comments', 'comments'], ['follows', 'follows'], ['shares', 'shares'], ['fansclub', 'fansclub'],
  ['exposures', 'exposures'], ['clicks', 'clicks'], ['orders', 'orders'], ['items', 'items'], ['gmvFen', 'gmvFen'], ['refundFen', 'refundFen'],
  ['adSpendFen', 'adSpendFen'],
];

/**
 * A minute row with the imported values laid over it. An online figure of a minute table is the
 * platform's one reading for the minute: it becomes the minute's average, maximum and end alike.
 * CTR and GPM are derived from the row's counts (METRICS.md); the file's own rate is used only
 * where the counts behind it are not in the file.
 */
function applyMinute(row: MinuteRow, v: ImportValues): MinuteRow {
  const out = { ...row };
  const online = num(v.online);
  if (online !== undefined) out.onlineAvg = out.onlineMax = out.onlineEnd = online;
  for (const [f, k] of MINUTE_COUNTS) {
    const x = num(v[f]);
    if (x !== undefined) (out as unknown as Record<string, number>)[k] = x;
  }
  const countsGiven = v.clicks !== undefined || v.exposures !== undefined;
  out.ctr = !countsGiven && num(v.ctr) !== undefined ? num(v.ctr)! : rate(out.clicks, out.exposures);
  const gpmGiven = v.gmvFen !== undefined || v.enters !== undefined;
  out.gpm = !gpmGiven && num(v.gpm) !== undefined ? num(v.gpm)! : gpm(out.gmvFen, out.enters);
  return out;
}

interface ProductAgg {
  productId: string;
  title?: string;
  role?: ProductRole;
  priceFen?: number;
  stock?: number;
  counts: Partial<Record<'exposures' | 'clicks' | 'orders' | 'items' | 'gmvFen', number>>;
  /** the file's rates, used only for a single-row product without the counts behind them */
  ctr?: number;
  clickToOrder?: number;
  rows: number;
  windows: Array<{ start: number; end: number; values: ImportValues }>;
}

function aggregateProducts(rows: ReadonlyArray<Pick<ParsedRow, 'values'>>): ProductAgg[] {
  const by = new Map<string, ProductAgg>();
  for (const r of rows) {
    const v = r.values;
    const id = str(v.productId) ?? String(v.productId);
    let a = by.get(id);
    if (!a) by.set(id, (a = { productId: id, counts: {}, rows: 0, windows: [] }));
    a.rows++;
    a.title ??= str(v.title);
    a.role ??= str(v.role) as ProductRole | undefined;
    a.priceFen ??= num(v.priceFen);
    if (num(v.stock) !== undefined) a.stock = num(v.stock);
    for (const k of ['exposures', 'clicks', 'orders', 'items', 'gmvFen'] as const) {
      const x = num(v[k]);
      if (x !== undefined) a.counts[k] = (a.counts[k] ?? 0) + x;
    }
    a.ctr = a.rows === 1 ? num(v.ctr) : undefined;
    a.clickToOrder = a.rows === 1 ? num(v.clickToOrder) : undefined;
    const s = num(v.explainStart);
    const e = num(v.explainEnd);
    if (s !== undefined && e !== undefined) a.windows.push({ start: s, end: e, values: v });
  }
  return [...by.values()];
}

function productRowOf(base: ProductRow | null, a: ProductAgg, pv: number): ProductRow {
  const row: ProductRow = base
    ? { ...base }
    : { productId: a.productId, title: a.productId, role: null, priceFen: 0, exposures: 0, clicks: 0, ctr: null, orders: 0, items: 0, gmvFen: 0, clickToOrder: null, pins: 0, pinnedSec: 0, gmvPerPinnedMin: null, productGpm: null, stock: null, soldOut: false };
  if (a.title !== undefined && (!base || row.title === row.productId)) row.title = a.title;
  if (a.role !== undefined && row.role === null) row.role = a.role;
  if (a.priceFen !== undefined) row.priceFen = a.priceFen;
  if (a.stock !== undefined) {
    row.stock = a.stock;
    row.soldOut = a.stock === 0;
  }
  for (const [k, v] of Object.entries(a.counts) as Array<[keyof ProductAgg['counts'], number]>) row[k] = v;
  row.ctr = a.counts.clicks === undefined && a.counts.exposures === undefined && a.ctr !== undefined ? a.ctr : rate(row.clicks, row.exposures);
  row.clickToOrder = a.counts.orders === undefined && a.counts.clicks === undefined && a.clickToOrder !== undefined ? a.clickToOrder : rate(row.orders, row.clicks);
  row.productGpm = gpm(row.gmvFen, pv);
  if (!base) {
    // A product table's explain windows are its pins; the GMV of the window rows is what sold while pinned.
    row.pins = a.windows.length;
    row.pinnedSec = a.windows.reduce((s, w) => s + (w.end - w.start) / 1000, 0);
    const pinnedGmv = a.windows.reduce((s, w) => s + (num(w.values.gmvFen) ?? 0), 0);
    row.gmvPerPinnedMin = yuanPer(pinnedGmv, row.pinnedSec > 0 ? row.pinnedSec / 60 : null);
  }
  return row;
}

/** Segments (讲解段) from a product table's explain windows, one per row that has one. */
function segmentsOf(products: ProductAgg[], minutes: MinuteRow[], startedAt: number): SegmentRow[] {
  const onlineAt = (ts: number) => minutes[minuteIndex(ts, startedAt)]?.onlineEnd ?? null;
  const segs: SegmentRow[] = [];
  for (const p of products) {
    for (const w of p.windows) {
      const v = w.values;
      const exposures = num(v.exposures) ?? 0;
      const clicks = num(v.clicks) ?? 0;
      const orders = num(v.orders) ?? 0;
      const gmvFen = num(v.gmvFen) ?? 0;
      const enters = minutes.filter((m) => m.ts >= w.start && m.ts < w.end).reduce((s, m) => s + m.enters, 0);
      segs.push({
        productId: p.productId, startTs: w.start, endTs: w.end, durationSec: (w.end - w.start) / 1000, exposures, clicks, ctr: rate(clicks, exposures),
        orders, gmvFen, clickToOrder: rate(orders, clicks), enters, gpm: gpm(gmvFen, enters), onlineStart: onlineAt(w.start), onlineEnd: onlineAt(Math.max(w.start, w.end - 1)),
      });
    }
  }
  return segs.sort((a, b) => a.startTs - b.startTs);
}

/** METRICS.md's pinnedProductId: the product explained for the largest part of the minute. */
function pinMinutes(minutes: MinuteRow[], segments: SegmentRow[]): void {
  for (const m of minutes) {
    let best: string | null = null;
    let bestMs = 0;
    for (const s of segments) {
      const ms = Math.min(s.endTs, m.ts + MINUTE_MS) - Math.max(s.startTs, m.ts);
      if (ms > bestMs) {
        bestMs = ms;
        best = s.productId;
      }
    }
    m.pinnedProductId = best;
  }
}

const EMPTY_BASE: Base = {
  peakOnline: null, avgOnline: null, uv: null, pv: 0, avgWatchSec: null, gmvFen: 0, refundFen: 0, orders: 0, items: 0, buyers: null, exposures: 0,
  clicks: 0, newFollowers: 0, fansclubJoins: 0, comments: 0, likes: 0, shares: 0, adSpendFen: 0, adGmvFen: 0, onlineNow: null,
};

/** A show known only from its tables: every figure of the report from them. */
export function metricsFromImports(startedAt: number, endedAt: number, set: ImportedSet): SessionMetrics {
  const count = Math.max(Math.ceil((endedAt - startedAt) / MINUTE_MS), (set.minutes?.rows.at(-1)?.minute ?? -1) + 1);
  const byMinute = new Map((set.minutes?.rows ?? []).map((r) => [r.minute, r]));
  const minutes: MinuteRow[] = [];
  for (let m = 0; m < count; m++) {
    const blank = emptyMinuteRow(m, startedAt + m * MINUTE_MS);
    const r = byMinute.get(m);
    minutes.push(r ? applyMinute(blank, r.values) : blank);
  }
  const kpis = deriveKpis({ ...EMPTY_BASE, ...givenKpis(set) }, {
    durationSec: (endedAt - startedAt) / 1000,
    giftFen: 0,
    breakEvenRoi: null,
    // Compass's trend tables do not split entries by source: the traffic mix stays empty rather than guessed.
    entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 },
  });
  const aggs = set.products ? aggregateProducts(set.products.rows) : [];
  const segments = segmentsOf(aggs, minutes, startedAt);
  pinMinutes(minutes, segments);
  const products = aggs.map((a) => productRowOf(null, a, kpis.pv));
  return { kpis, minutes, products, segments };
}

/** The session's figures with the settled tables laid over the live ones (segments stay as recorded). */
export function settleMetrics(live: SessionMetrics, startedAt: number, set: ImportedSet): SessionMetrics {
  const base = Object.fromEntries(BASE_KEYS.map((k) => [k, live.kpis[k]])) as Base;
  const kpis = deriveKpis({ ...base, ...givenKpis(set) }, live.kpis);
  const minutes = live.minutes.map((m) => ({ ...m }));
  for (const r of set.minutes?.rows ?? []) {
    while (minutes.length <= r.minute) minutes.push(emptyMinuteRow(minutes.length, startedAt + minutes.length * MINUTE_MS));
    minutes[r.minute] = applyMinute(minutes[r.minute]!, r.values);
  }
  const byId = new Map(live.products.map((p) => [p.productId, p]));
  const products = live.products.map((p) => ({ ...p, productGpm: gpm(p.gmvFen, kpis.pv) }));
  const index = new Map(products.map((p, i) => [p.productId, i]));
  for (const a of set.products ? aggregateProducts(set.products.rows) : []) {
    const i = index.get(a.productId);
    const row = productRowOf(byId.get(a.productId) ?? null, a, kpis.pv);
    if (i === undefined) products.push(row);
    else products[i] = row;
  }
  return { kpis, minutes, products, segments: live.segments };
}

/** The KPIs a settlement reports on, in the order a person reads them. */
export const SETTLEMENT_KEYS = [
  'gmvFen', 'orders', 'items', 'buyers', 'refundFen', 'pv', 'uv', 'peakOnline', 'avgOnline', 'avgWatchSec', 'exposures', 'clicks', 'newFollowers',
  'fansclubJoins', 'comments', 'likes', 'shares', 'adSpendFen', 'adGmvFen', 'gpm', 'uvValue', 'ctr', 'clickToOrder', 'viewToOrder', 'roi', 'adRoi',
] as const satisfies ReadonlyArray<keyof Kpis>;

/** What moved between the live and the settled KPIs (figures equal to within float noise did not move). */
export function settlementChanges(live: Kpis, settled: Kpis): SettlementChange[] {
  const out: SettlementChange[] = [];
  for (const key of SETTLEMENT_KEYS) {
    const a = live[key];
    const b = settled[key];
    if (a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)))) continue;
    const change = a !== null && b !== null ? b - a : null;
    out.push({ key, live: a, settled: b, change, changePct: change === null ? null : rate(change, a) });
  }
  return out;
}
