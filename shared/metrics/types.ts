/**
 * The shapes of METRICS.md: minute rows, session KPIs, product and segment rows.
 * Key names are METRICS.md's JSON keys, exactly; exports and `lcr report --json` use them as-is.
 * Money `…Fen` is integer fen; gpm / uvValue / itemPrice / orderValue / gmvPerPinnedMin /
 * productGpm are yuan (float). Rates are fractions. A rate with a zero denominator is null.
 */
import type { ProductRole, TrafficSource } from '../protocol.ts';

export interface MinuteRow {
  minute: number;
  /** start of the minute, epoch ms */
  ts: number;
  onlineAvg: number | null;
  onlineMax: number | null;
  onlineEnd: number | null;
  enters: number;
  likes: number;
  comments: number;
  follows: number;
  shares: number;
  fansclub: number;
  giftFen: number;
  exposures: number;
  clicks: number;
  orders: number;
  items: number;
  gmvFen: number;
  refundFen: number;
  adSpendFen: number;
  pinnedProductId: string | null;
  ctr: number | null;
  gpm: number | null;
}

export type EntersBySource = Record<TrafficSource, number>;

export interface Kpis {
  durationSec: number;
  peakOnline: number | null;
  avgOnline: number | null;
  uv: number | null;
  pv: number;
  avgWatchSec: number | null;
  gmvFen: number;
  refundFen: number;
  orders: number;
  items: number;
  buyers: number | null;
  gpm: number | null;
  uvValue: number | null;
  itemPrice: number | null;
  orderValue: number | null;
  exposures: number;
  clicks: number;
  ctr: number | null;
  clickToOrder: number | null;
  viewToOrder: number | null;
  viewToBuyer: number | null;
  newFollowers: number;
  followRate: number | null;
  fansclubJoins: number;
  comments: number;
  likes: number;
  shares: number;
  giftFen: number;
  adSpendFen: number;
  adGmvFen: number;
  roi: number | null;
  adRoi: number | null;
  /** From the team's cost settings; null until they are given (issue: ad console). */
  breakEvenRoi: number | null;
  entersBySource: EntersBySource;
  /** Not a METRICS.md key: the latest online figure, for the live tile. */
  onlineNow: number | null;
}

export interface ProductRow {
  productId: string;
  title: string;
  role: ProductRole | null;
  priceFen: number;
  exposures: number;
  clicks: number;
  ctr: number | null;
  orders: number;
  items: number;
  gmvFen: number;
  clickToOrder: number | null;
  pins: number;
  pinnedSec: number;
  gmvPerPinnedMin: number | null;
  productGpm: number | null;
  /** Not METRICS.md keys: live stock as last reported, and whether it sold out. */
  stock: number | null;
  soldOut: boolean;
}

export interface SegmentRow {
  productId: string;
  startTs: number;
  endTs: number;
  durationSec: number;
  exposures: number;
  clicks: number;
  ctr: number | null;
  orders: number;
  gmvFen: number;
  clickToOrder: number | null;
  enters: number;
  gpm: number | null;
  onlineStart: number | null;
  onlineEnd: number | null;
}

export interface SessionMetrics {
  kpis: Kpis;
  minutes: MinuteRow[];
  products: ProductRow[];
  segments: SegmentRow[];
}
