/**
 * The `fields[]` vocabularies of each endpoint, exactly as the official SDK's response models
 * name them (`models/model_qianchuan_*`), and how the emulator computes each from its counters.
 * A field a model lists but the emulator has nothing for (7/14-day settlement, presale, coupons,
 * short-video plays, first-order cohorts) is sent as 0: they lag or do not apply to a live room
 * today. A name outside the model is refused, so a client's typo (say `live_product_inventory`
 * for `live_product_Inventory`) fails loudly here rather than silently in production.
 *
 * Units (the emulator's stated assumption, see sources/qianchuan-api.md §2 and §7): money in 元
 * with 2 decimals; rates (`ctr`, `*_rate`, `*_ratio`) in percent with 2 decimals; ROI, averages,
 * CPM/CPC/CPA and GPM with 2 decimals.
 */
import type { PlanFigures, ProductState, RoomTotals } from './state.ts';

const r2 = (x: number): number => Math.round(x * 100) / 100;
export const money = (fen: number): number => r2(fen / 100);
const per = (a: number, b: number): number => (b > 0 ? r2(a / b) : 0);
const pct = (a: number, b: number): number => (b > 0 ? r2((a / b) * 100) : 0);
const perMille = (a: number, b: number): number => (b > 0 ? r2((a / b) * 1000) : 0);
const zero = (): number => 0;

type Formula<T> = (c: T) => number;

/** `report/today_live/get/` (and the metric part of `today_live/room/get/`). */
const ROOM_FORMULAS: Record<string, Formula<RoomTotals>> = {
  stat_cost: (c) => money(c.costFen),
  qualification_stat_cost: (c) => money(c.costFen),
  click_cnt: (c) => c.clicks,
  ctr: (c) => pct(c.clicks, c.shows),
  cpm_platform: (c) => perMille(c.costFen / 100, c.shows),
  cpc_platform: (c) => per(c.costFen / 100, c.clicks),
  ecp_convert_cnt: (c) => c.convert,
  ecp_convert_rate: (c) => pct(c.convert, c.clicks),
  ecp_cpa_platform: (c) => per(c.costFen / 100, c.convert),
  live_click_cart_count_alias: (c) => c.cartClicks,
  live_click_product_count_alias: (c) => c.productClicks,
  live_create_order_count_alias: (c) => c.createOrders,
  live_create_order_rate: (c) => pct(c.createOrders, c.clicks),
  live_pay_order_count_alias: (c) => c.payOrders,
  live_pay_order_gmv_alias: (c) => money(c.gmvFen),
  live_pay_order_gmv_avg: (c) => per(c.gmvFen / 100, c.payOrders),
  live_pay_order_gmv_roi: (c) => per(c.gmvFen, c.costFen),
  live_pay_order_rate: (c) => pct(c.payOrders, c.clicks),
  live_prepay_order_count_alias: zero,
  live_prepay_order_gmv_alias: zero,
  live_order_pay_coupon_amount: zero,
  live_watch_one_minute_count: (c) => c.watchOneMinute,
  luban_live_order_count: (c) => c.adCreateOrders,
  luban_live_pay_order_count: (c) => c.adPayOrders,
  luban_live_pay_order_gmv: (c) => money(c.adGmvFen),
  luban_live_pay_order_gpm: (c) => perMille(c.adGmvFen / 100, c.adEntries),
  luban_live_prepay_order_count: zero,
  luban_live_prepay_order_gmv: zero,
  ad_live_create_order_rate: (c) => pct(c.adCreateOrders, c.clicks),
  ad_live_pay_order_rate: (c) => pct(c.adPayOrders, c.clicks),
  ad_live_pay_order_gmv_avg: (c) => per(c.adGmvFen / 100, c.adPayOrders),
  ad_live_prepay_and_pay_order_gmv_roi: (c) => per(c.adGmvFen, c.costFen),
  ad_live_order_settle_cost_7d: zero,
  ad_live_order_settle_cost_14d: zero,
  ad_live_order_settle_roi_7d: zero,
  ad_live_order_settle_roi_14d: zero,
  ad_all_order_gmv_settle_rate_7d: zero,
  ad_all_order_gmv_settle_rate_14d: zero,
  live_order_refund_amount_7d: (c) => money(c.adRefundFen),
  live_order_refund_amount_14d: (c) => money(c.adRefundFen),
  live_order_refund_count_7d: (c) => c.adRefundOrders,
  live_order_refund_count_14d: (c) => c.adRefundOrders,
  live_order_settle_amount_7d: zero,
  live_order_settle_amount_14d: zero,
  live_order_settle_count_7d: zero,
  live_order_settle_count_14d: zero,
  live_order_settle_count_rate_7d: zero,
  live_order_settle_count_rate_14d: zero,
  total_live_comment_cnt: (c) => c.comments,
  total_live_fans_club_join_cnt: (c) => c.fansClub,
  total_live_follow_cnt: (c) => c.follows,
  total_live_gift_amount: (c) => c.giftAmount,
  total_live_gift_cnt: (c) => c.gifts,
  total_live_pay_order_gpm: (c) => perMille(c.gmvFen / 100, c.watch),
  total_live_share_cnt: (c) => c.shares,
  total_live_watch_cnt: (c) => c.watch,
};

/** `today_live/room/get/` metrics: the report's plus three the room list alone has. */
const ROOM_LIST_FORMULAS: Record<string, Formula<RoomTotals>> = {
  ...ROOM_FORMULAS,
  convert_cnt: (c) => c.convert,
  convert_rate: (c) => pct(c.convert, c.clicks),
  cpa_platform: (c) => per(c.costFen / 100, c.convert),
};

/** Room info fields of `today_live/room/get/`, always sent; also accepted in `fields`. */
export const ROOM_INFO_FIELDS = ['aweme_avatar', 'aweme_id', 'aweme_name', 'end_time', 'room_cover', 'room_delivery', 'room_id', 'room_status', 'room_title', 'start_time'];

export const REPORT_TODAY_LIVE_FIELDS = new Set(Object.keys(ROOM_FORMULAS));
export const ROOM_LIST_FIELDS = new Set([...Object.keys(ROOM_LIST_FORMULAS), ...ROOM_INFO_FIELDS]);

export function roomMetrics(c: RoomTotals, fields: readonly string[], list: boolean): Record<string, number> {
  const table = list ? ROOM_LIST_FORMULAS : ROOM_FORMULAS;
  const out: Record<string, number> = {};
  for (const f of fields) {
    const formula = table[f];
    if (formula) out[f] = formula(c);
  }
  return out;
}

/** `today_live/room/product_list/get/` metrics; the product's own attributes are always sent. */
const PRODUCT_FORMULAS: Record<string, (p: ProductState, roomWatch: number) => number> = {
  live_cost_per_product: (p) => money(p.costFen),
  live_order_refund_amount: (p) => money(p.refundFen),
  live_order_settle_amount_7d: zero,
  live_order_settle_count_7d: zero,
  live_order_settle_count_rate_7d: zero,
  ad_live_order_settle_cost_per_product_7d: zero,
  ad_live_order_settle_roi_per_product_7d: zero,
  live_pay_order_count_alias: (p) => p.orders,
  live_pay_order_gmv_alias: (p) => money(p.gmvFen),
  luban_live_pay_order_count: (p) => p.adOrders,
  luban_live_pay_order_gmv: (p) => money(p.adGmvFen),
  live_pay_order_roi_per_product: (p) => per(p.adGmvFen, p.costFen),
  product_click_pay_ucnt_ratio: (p) => pct(p.orders, p.clicks),
  total_live_pay_order_gpm_ecom: (p, watch) => perMille(p.gmvFen / 100, watch),
};
export const PRODUCT_ATTRIBUTE_FIELDS = ['productId', 'title', 'img_url', 'explain_status', 'live_product_price', 'live_product_Inventory', 'live_product_bind_time', 'live_product_explain_cnt'];
export const PRODUCT_FIELDS = new Set([...Object.keys(PRODUCT_FORMULAS), ...PRODUCT_ATTRIBUTE_FIELDS]);

export function productMetrics(p: ProductState, roomWatch: number, fields: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fields) {
    const formula = PRODUCT_FORMULAS[f];
    if (formula) out[f] = formula(p, roomWatch);
  }
  return out;
}

/** `report/ad/get/` (per 标准推广 plan). Fields the model lists without a formula here are 0. */
const PLAN_FORMULAS: Record<string, Formula<PlanFigures>> = {
  stat_cost: (f) => money(f.costFen),
  show_cnt: (f) => f.shows,
  click_cnt: (f) => f.clicks,
  ctr: (f) => pct(f.clicks, f.shows),
  cpm_platform: (f) => perMille(f.costFen / 100, f.shows),
  cpc_platform: (f) => per(f.costFen / 100, f.clicks),
  convert_cnt: (f) => f.convert,
  convert_cost: (f) => per(f.costFen / 100, f.convert),
  convert_rate: (f) => pct(f.convert, f.clicks),
  ecp_convert_cnt: (f) => f.convert,
  ecp_convert_rate: (f) => pct(f.convert, f.clicks),
  ecp_cpa_platform: (f) => per(f.costFen / 100, f.convert),
  attribution_convert_cnt: (f) => f.convert,
  attribution_convert_cost: (f) => per(f.costFen / 100, f.convert),
  attribution_convert_rate: (f) => pct(f.convert, f.clicks),
  pay_order_count: (f) => f.payOrders,
  pay_order_amount: (f) => money(f.payFen),
  pay_order_cost_per_order: (f) => per(f.costFen / 100, f.payOrders),
  live_pay_order_cost_per_order: (f) => per(f.costFen / 100, f.payOrders),
  prepay_and_pay_order_roi: (f) => per(f.payFen, f.costFen),
  create_order_count: (f) => f.createOrders,
  create_order_amount: (f) => money(f.createFen),
  create_order_roi: (f) => per(f.createFen, f.costFen),
  all_order_pay_count_7days: (f) => f.payOrders,
  all_order_pay_gmv_7days: (f) => money(f.payFen),
  all_order_pay_roi_7days: (f) => per(f.payFen, f.costFen),
  all_order_create_roi_7days: (f) => per(f.createFen, f.costFen),
  all_order_refund_amount_7d: (f) => money(f.refundFen),
  all_order_refund_amount_14d: (f) => money(f.refundFen),
  all_order_refund_count_7d: (f) => f.refundOrders,
  all_order_refund_count_14d: (f) => f.refundOrders,
  ad_order_refund_rate_7d: (f) => pct(f.refundOrders, f.payOrders),
  ad_order_refund_rate_14d: (f) => pct(f.refundOrders, f.payOrders),
  ad_order_gmv_refund_rate_7d: (f) => pct(f.refundFen, f.payFen),
  ad_order_gmv_refund_rate_14d: (f) => pct(f.refundFen, f.payFen),
  luban_live_enter_cnt: (f) => f.entries,
  luban_live_click_product_cnt: (f) => f.productClicks,
  luban_live_comment_cnt: (f) => f.comments,
  luban_live_share_cnt: (f) => f.shares,
  live_watch_one_minute_count: (f) => f.watchOneMinute,
  live_fans_club_join_cnt: (f) => f.fansClub,
  dy_follow: (f) => f.follows,
};
const PLAN_ZERO_FIELDS = [
  'ad_all_order_count_settle_rate_14d', 'ad_all_order_count_settle_rate_7d', 'ad_all_order_gmv_settle_rate_14d', 'ad_all_order_gmv_settle_rate_7d',
  'ad_all_order_settle_amount_14d', 'ad_all_order_settle_amount_7d', 'ad_all_order_settle_cost_14d', 'ad_all_order_settle_cost_7d',
  'ad_all_order_settle_count_14d', 'ad_all_order_settle_count_7d', 'ad_all_order_settle_roi_14d', 'ad_all_order_settle_roi_7d',
  'attribution_deep_convert_cnt', 'attribution_deep_convert_cost', 'attribution_deep_convert_rate', 'create_order_coupon_amount',
  'deep_convert_cnt', 'deep_convert_cost', 'deep_convert_rate', 'dy_comment', 'dy_like', 'dy_share',
  'indirect_order_create_count_7days', 'indirect_order_create_gmv_7days', 'indirect_order_pay_count_7days', 'indirect_order_pay_gmv_7days',
  'indirect_order_prepay_count_7days', 'indirect_order_prepay_gmv_7days', 'indirect_order_unfinished_estimate_gmv_7days',
  'luban_live_gift_amount', 'luban_live_gift_cnt', 'luban_live_slidecart_click_cnt', 'pay_order_coupon_amount',
  'play_25_feed_break', 'play_50_feed_break', 'play_75_feed_break', 'play_duration_3s', 'play_over', 'play_over_rate',
  'prepay_order_amount', 'prepay_order_count', 'total_play', 'unfinished_estimate_order_gmv',
  ...['author_', 'brand_', ''].flatMap((who) =>
    ['cnt', 'convert_cost', 'direct_pay_gmv', 'direct_pay_order_roi', 'ltv30', 'rate', 'roi30'].map((m) => `qianchuan_${who}first_order_${m}`),
  ),
];
/** Identity fields of a report row, accepted in `fields` and always sent (stat_datetime when a granularity is set). */
export const PLAN_ROW_FIELDS = ['ad_id', 'advertiser_id', 'stat_datetime'];
export const REPORT_AD_FIELDS = new Set([...Object.keys(PLAN_FORMULAS), ...PLAN_ZERO_FIELDS, ...PLAN_ROW_FIELDS]);

export function planMetric(f: PlanFigures, field: string): number {
  return PLAN_FORMULAS[field]?.(f) ?? 0;
}

/** `uni_promotion/list/` stats_info. `stat_cost`'s unit is switchable (see qianchuan-api.md §6). */
export type UniStatCostUnit = 'yuan' | '1e-5 yuan';
const UNI_FORMULAS: Record<string, Formula<PlanFigures>> = {
  stat_cost_for_overall_roi2: (f) => money(f.costFen),
  total_pay_order_gmv_for_roi2: (f) => money(f.payFen),
  total_pay_order_gmv_include_coupon_for_roi2: (f) => money(f.payFen),
  total_pay_order_count_for_roi2: (f) => f.payOrders,
  total_prepay_and_pay_order_roi2: (f) => per(f.payFen, f.costFen),
  total_cost_per_pay_order_for_roi2: (f) => per(f.costFen / 100, f.payOrders),
  total_refund_order_count_for_roi2_1h: (f) => f.refundOrders,
  total_refund_order_gmv_for_roi2_1h_all: (f) => money(f.refundFen),
  total_refund_order_gmv_for_roi2_1h_rate: (f) => pct(f.refundFen, f.payFen),
  total_order_settle_amount_for_roi2_1h: (f) => money(f.payFen - f.refundFen),
  total_order_real_settle_amount_for_roi2_1h: (f) => money(f.payFen - f.refundFen),
  total_order_settle_amount_rate_for_roi2_1h: (f) => pct(f.payFen - f.refundFen, f.payFen),
  total_order_settle_count_for_roi2_1h: (f) => f.payOrders - f.refundOrders,
  total_order_settle_count_rate_for_roi2_1h: (f) => pct(f.payOrders - f.refundOrders, f.payOrders),
  total_prepay_and_pay_settle_roi2_1h: (f) => per(f.payFen - f.refundFen, f.costFen),
  total_prepay_and_pay_settle_overall_roi2_1h: (f) => per(f.payFen - f.refundFen, f.costFen),
  total_cost_per_pay_order_settle_for_roi2_1h: (f) => per(f.costFen / 100, f.payOrders - f.refundOrders),
  total_cost_per_pay_order_settle_for_overall_roi2_1h: (f) => per(f.costFen / 100, f.payOrders - f.refundOrders),
  total_pay_order_coupon_amount_for_roi2: zero,
  total_prepay_order_count_for_roi2: zero,
  total_prepay_order_gmv_for_roi2: zero,
  total_unfinished_estimate_order_gmv_for_roi2: zero,
  total_ecom_platform_subsidy_amount_for_roi2: zero,
  no_refund_ecom_coupon_amount_for_roi2: zero,
  no_refund_ecom_platform_subsidy_amount_for_roi2: zero,
  shop_estimated_comission_cost: zero,
};
export const UNI_FIELDS = new Set(['stat_cost', ...Object.keys(UNI_FORMULAS)]);

export function uniStats(f: PlanFigures, fields: readonly string[], unit: UniStatCostUnit): Record<string, number> {
  const out: Record<string, number> = {};
  for (const field of fields) {
    if (field === 'stat_cost') out[field] = unit === 'yuan' ? money(f.costFen) : f.costFen * 1000;
    else {
      const formula = UNI_FORMULAS[field];
      if (formula) out[field] = formula(f);
    }
  }
  return out;
}
