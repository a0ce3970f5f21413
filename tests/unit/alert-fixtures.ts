/** Minute rows, KPIs and products for driving the alert rules by hand (tests/unit/alerts*.test.ts). */
import { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { DEFAULT_TARGETS, type Alert, type RoomTargets } from '../../shared/contract.ts';
import type { Kpis, MinuteRow, ProductRow } from '../../shared/metrics/types.ts';

export const S = 1_700_000_000_000;
export const MIN = 60_000;

export function row(minute: number, over: Partial<MinuteRow> = {}): MinuteRow {
  return {
    minute,
    ts: S + minute * MIN,
    onlineAvg: null,
    onlineMax: null,
    onlineEnd: null,
    enters: 0,
    likes: 0,
    comments: 0,
    follows: 0,
    shares: 0,
    fansclub: 0,
    giftFen: 0,
    exposures: 0,
    clicks: 0,
    orders: 0,
    items: 0,
    gmvFen: 0,
    refundFen: 0,
    adSpendFen: 0,
    pinnedProductId: null,
    ctr: null,
    gpm: null,
    ...over,
  };
}

export function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    durationSec: 0,
    peakOnline: null,
    avgOnline: null,
    uv: null,
    pv: 0,
    avgWatchSec: null,
    gmvFen: 0,
    refundFen: 0,
    orders: 0,
    items: 0,
    buyers: null,
    gpm: null,
    uvValue: null,
    itemPrice: null,
    orderValue: null,
    exposures: 0,
    clicks: 0,
    ctr: null,
    clickToOrder: null,
    viewToOrder: null,
    viewToBuyer: null,
    newFollowers: 0,
    followRate: null,
    fansclubJoins: 0,
    comments: 0,
    likes: 0,
    shares: 0,
    giftFen: 0,
    adSpendFen: 0,
    adGmvFen: 0,
    roi: null,
    adRoi: null,
    breakEvenRoi: null,
    entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 },
    onlineNow: null,
    ...over,
  };
}

export function product(productId: string, stock: number | null, soldOut = false): ProductRow {
  return {
    productId,
    title: `商品${productId}`,
    role: null,
    priceFen: 9900,
    exposures: 0,
    clicks: 0,
    ctr: null,
    orders: 0,
    items: 0,
    gmvFen: 0,
    clickToOrder: null,
    pins: 0,
    pinnedSec: 0,
    gmvPerPinnedMin: null,
    productGpm: null,
    stock,
    soldOut,
  };
}

export function evaluator(t: Partial<RoomTargets> = {}): AlertEvaluator {
  return new AlertEvaluator('r1', 's1', { ...DEFAULT_TARGETS, ...t });
}

/**
 * Plays minute rows as the core would: at each step k, minutes 0..k with k still running (the
 * partial minute), evaluated halfway through minute k. Returns every alert raised, and at which step.
 */
export function play(ev: AlertEvaluator, rows: MinuteRow[], k: (step: number) => Kpis = () => kpis()): Array<{ step: number; alert: Alert }> {
  const out: Array<{ step: number; alert: Alert }> = [];
  for (let step = 0; step < rows.length; step++) {
    for (const alert of ev.evaluate({ ts: S + step * MIN + 30_000, minutes: rows.slice(0, step + 1), kpis: k(step) })) out.push({ step, alert });
  }
  return out;
}

/** Rows with the given exposures / clicks / orders per minute (orders default to a healthy clicks / 10), plus one partial minute at the end. */
export function traffic(per: Array<[exposures: number, clicks: number, orders?: number]>): MinuteRow[] {
  const rows = per.map(([exposures, clicks, orders], m) => row(m, { exposures, clicks, orders: orders ?? Math.round(clicks / 10) }));
  rows.push(row(per.length));
  return rows;
}

export const ids = (got: Array<{ alert: Alert }>) => got.map((g) => g.alert.id);
