/** Column order of METRICS.md's tables, for exports and the store. */
import type { MinuteRow, ProductRow, SegmentRow } from './types.ts';

export const MINUTE_COLUMNS = [
  'minute', 'ts', 'onlineAvg', 'onlineMax', 'onlineEnd', 'enters', 'likes', 'comments', 'follows', 'shares', 'fansclub', 'giftFen',
  'exposures', 'clicks', 'orders', 'items', 'gmvFen', 'refundFen', 'adSpendFen', 'pinnedProductId', 'ctr', 'gpm',
] as const satisfies ReadonlyArray<keyof MinuteRow>;

export const PRODUCT_COLUMNS = [
  'productId', 'title', 'role', 'priceFen', 'exposures', 'clicks', 'ctr', 'orders', 'items', 'gmvFen', 'clickToOrder', 'pins', 'pinnedSec',
  'gmvPerPinnedMin', 'productGpm', 'stock', 'soldOut',
] as const satisfies ReadonlyArray<keyof ProductRow>;

export const SEGMENT_COLUMNS = [
  'productId', 'startTs', 'endTs', 'durationSec', 'exposures', 'clicks', 'ctr', 'orders', 'gmvFen', 'clickToOrder', 'enters', 'gpm',
  'onlineStart', 'onlineEnd',
] as const satisfies ReadonlyArray<keyof SegmentRow>;
