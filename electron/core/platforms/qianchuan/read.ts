/**
 * The read side of 巨量千川 for one 抖音号's room, as typed rows: the endpoints and fields are the
 * official SDK's (`api_qianchuan_*_v10.go`, `model_qianchuan_*`), money still in the platform's
 * units (see units.ts for the one conversion). Lists are paged to the end and de-duplicated by id,
 * since an item can move between pages while the platform re-sorts a live list. A row the app
 * cannot read (no id, a wrong type) is skipped and counted, never guessed.
 */
import { idOf } from '../common/json.ts';
import { isObj, toCount, toNumber } from '../../sources/common.ts';
import { numericId, type QianchuanClient } from './client.ts';
import { chinaDate, chinaTimeToMs, msToChinaTime } from './units.ts';

/** Pages read at most per list: 100 rows a page, far more rooms, products or plans than a show has. */
const MAX_PAGES = 20;

export type RoomStatus = 'LIVING' | 'FINISH' | 'PAUSE' | 'PREPARE' | 'UNKNOWN';

export interface RoomRow {
  roomId: string;
  title: string;
  status: RoomStatus;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** Cumulative whole-room figures (自然+广告), in the platform's units. */
  statCost: number | undefined;
  watchCnt: number | undefined;
  clickProductCnt: number | undefined;
  payOrderCnt: number | undefined;
  payOrderGmv: number | undefined;
  /** Ad-attributed (广告) GMV and orders. */
  lubanPayOrderGmv: number | undefined;
  lubanPayOrderCnt: number | undefined;
  commentCnt: number | undefined;
  shareCnt: number | undefined;
  followCnt: number | undefined;
  fansClubJoinCnt: number | undefined;
}

export const ROOM_FIELDS = [
  'stat_cost',
  'total_live_watch_cnt',
  'live_click_product_count_alias',
  'live_pay_order_count_alias',
  'live_pay_order_gmv_alias',
  'luban_live_pay_order_gmv',
  'luban_live_pay_order_count',
  'total_live_comment_cnt',
  'total_live_share_cnt',
  'total_live_follow_cnt',
  'total_live_fans_club_join_cnt',
] as const;

export type ExplainStatus = 'BEINGEXPLAIN' | 'HASEXPLAIN' | 'UNEXPLAIN';

export interface ProductRow {
  productId: string;
  title: string;
  price: number | undefined;
  stock: number | undefined;
  explain: ExplainStatus | undefined;
  payOrderCnt: number | undefined;
  payOrderGmv: number | undefined;
  cost: number | undefined;
}

export const PRODUCT_FIELDS = [
  'live_product_price',
  'live_product_Inventory',
  'live_product_explain_cnt',
  'live_pay_order_count_alias',
  'live_pay_order_gmv_alias',
  'luban_live_pay_order_gmv',
  'live_cost_per_product',
] as const;

export type PlanKind = 'standard' | 'uni';

export interface PlanRow {
  planId: string;
  kind: PlanKind;
  name: string;
  /** The platform's delivery status (`DELIVERY_OK`, `DISABLE`, `OFFLINE_BUDGET`, …) and the operator's switch. */
  status: string;
  optStatus: string;
  /** Daily budget, bid and ROI goal as set, in the platform's units. */
  budget: number | undefined;
  budgetMode: string | undefined;
  bid: number | undefined;
  roiGoal: number | undefined;
  smartBidType: string | undefined;
}

export interface PlanStats {
  planId: string;
  /** Spend, GMV, orders, impressions, clicks, in the platform's units (全域 cost: see units.ts). */
  cost: number | undefined;
  gmv: number | undefined;
  orders: number | undefined;
  impressions: number | undefined;
  clicks: number | undefined;
}

/** flow_performance channels, per the SDK model. */
export const FLOW_CHANNELS = [
  'homepage_hot',
  'video_to_live',
  'live_merge',
  'homepage_fresh',
  'homepage_follow',
  'general_search',
  'others_homepage',
  'douyin_shopping_center',
  'activity',
  'touxi_saas',
  'other_recommend_live',
  'live_pc_qian_chuan',
  'live_xiao_dian_qian_chuan',
  'ecom_ad_third_qc_brand',
  'ecom_ad_third_qc_brand_other_bidding',
  'ecom_ad_third_qc_other_brand',
  'ecom_other',
] as const;
export type FlowChannel = (typeof FLOW_CHANNELS)[number];

export interface ReadTally {
  /** Rows skipped because they could not be read, by reason. */
  skipped: Record<string, number>;
  /** Rows seen twice across the pages of one list. */
  duplicates: number;
}

export function newTally(): ReadTally {
  return { skipped: {}, duplicates: 0 };
}

function skip(t: ReadTally, reason: string): void {
  t.skipped[reason] = (t.skipped[reason] ?? 0) + 1;
}

function str(v: unknown, max = 200): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function listOf(data: unknown, key: string): unknown[] {
  if (!isObj(data)) return [];
  const v = data[key];
  return Array.isArray(v) ? v : [];
}

function totalPages(data: unknown): number {
  const info = isObj(data) ? data.page_info : undefined;
  const n = isObj(info) ? toCount(info.total_page) : undefined;
  return Math.min(MAX_PAGES, Math.max(1, n ?? 1));
}

/** Reads every page of a list and keeps each id once (the last copy wins: it is the newest). */
async function allPages<T extends { id: string }>(
  fetchPage: (page: number) => Promise<unknown>,
  key: string,
  readRow: (row: unknown) => T | string,
  tally: ReadTally,
): Promise<T[]> {
  const byId = new Map<string, T>();
  let pages = 1;
  for (let page = 1; page <= pages; page++) {
    const data = await fetchPage(page);
    pages = totalPages(data);
    for (const raw of listOf(data, key)) {
      const row = readRow(raw);
      if (typeof row === 'string') {
        skip(tally, row);
        continue;
      }
      if (byId.has(row.id)) tally.duplicates++;
      byId.set(row.id, row);
    }
  }
  return [...byId.values()];
}

const ROOM_STATUSES = new Set<RoomStatus>(['LIVING', 'FINISH', 'PAUSE', 'PREPARE', 'UNKNOWN']);

export function readRoom(raw: unknown): (RoomRow & { id: string }) | string {
  if (!isObj(raw)) return 'room row is not an object';
  const roomId = idOf(raw.room_id);
  if (!roomId) return 'room row without a readable room_id';
  const status = ROOM_STATUSES.has(raw.room_status as RoomStatus) ? (raw.room_status as RoomStatus) : 'UNKNOWN';
  return {
    id: roomId,
    roomId,
    title: str(raw.room_title),
    status,
    startedAt: chinaTimeToMs(raw.start_time),
    endedAt: chinaTimeToMs(raw.end_time),
    statCost: toNumber(raw.stat_cost),
    watchCnt: toCount(raw.total_live_watch_cnt),
    clickProductCnt: toCount(raw.live_click_product_count_alias),
    payOrderCnt: toCount(raw.live_pay_order_count_alias),
    payOrderGmv: toNumber(raw.live_pay_order_gmv_alias),
    lubanPayOrderGmv: toNumber(raw.luban_live_pay_order_gmv),
    lubanPayOrderCnt: toCount(raw.luban_live_pay_order_count),
    commentCnt: toCount(raw.total_live_comment_cnt),
    shareCnt: toCount(raw.total_live_share_cnt),
    followCnt: toCount(raw.total_live_follow_cnt),
    fansClubJoinCnt: toCount(raw.total_live_fans_club_join_cnt),
  };
}

const EXPLAIN = new Set<ExplainStatus>(['BEINGEXPLAIN', 'HASEXPLAIN', 'UNEXPLAIN']);

export function readProduct(raw: unknown): (ProductRow & { id: string }) | string {
  if (!isObj(raw)) return 'product row is not an object';
  // camelCase in the official model, unlike every other field.
  const productId = idOf(raw.productId ?? raw.product_id);
  if (!productId) return 'product row without a readable productId';
  return {
    id: productId,
    productId,
    title: str(raw.title) || productId,
    price: toNumber(raw.live_product_price),
    stock: toCount(raw.live_product_Inventory ?? raw.live_product_inventory),
    explain: EXPLAIN.has(raw.explain_status as ExplainStatus) ? (raw.explain_status as ExplainStatus) : undefined,
    payOrderCnt: toCount(raw.live_pay_order_count_alias),
    payOrderGmv: toNumber(raw.live_pay_order_gmv_alias),
    cost: toNumber(raw.live_cost_per_product),
  };
}

export function readPlan(raw: unknown): (PlanRow & { id: string }) | string {
  if (!isObj(raw)) return 'plan row is not an object';
  const planId = idOf(raw.ad_id);
  if (!planId) return 'plan row without a readable ad_id';
  const d = isObj(raw.delivery_setting) ? raw.delivery_setting : {};
  return {
    id: planId,
    planId,
    kind: 'standard',
    name: str(raw.name) || planId,
    status: str(raw.status, 60),
    optStatus: str(raw.opt_status, 60),
    budget: toNumber(d.budget),
    budgetMode: str(d.budget_mode, 60) || undefined,
    bid: toNumber(d.cpa_bid),
    roiGoal: toNumber(d.roi_goal),
    smartBidType: str(d.smart_bid_type, 60) || undefined,
  };
}

export function readUniPlan(raw: unknown, awemeId: string): (PlanRow & { id: string; stats: PlanStats; forRoom: boolean }) | string {
  if (!isObj(raw)) return '全域 plan row is not an object';
  const info = isObj(raw.ad_info) ? raw.ad_info : {};
  const planId = idOf(info.id);
  if (!planId) return '全域 plan row without a readable ad_info.id';
  const s = isObj(raw.stats_info) ? raw.stats_info : {};
  // room_info names the 抖音号 (anchor), not the room: a plan serves this room when it promotes its 抖音号.
  const anchors = Array.isArray(raw.room_info) ? raw.room_info.map((r) => (isObj(r) ? idOf(r.anchor_id) : null)) : [];
  return {
    id: planId,
    planId,
    kind: 'uni',
    name: str(info.name) || planId,
    status: str(info.status, 60),
    optStatus: str(info.opt_status, 60),
    budget: toNumber(info.budget),
    budgetMode: str(info.budget_mode, 60) || undefined,
    bid: undefined,
    roiGoal: toNumber(info.roi2_goal),
    smartBidType: str(info.smart_bid_type, 60) || undefined,
    forRoom: anchors.length === 0 || anchors.includes(awemeId),
    stats: {
      planId,
      cost: toNumber(s.stat_cost),
      gmv: toNumber(s.total_pay_order_gmv_for_roi2),
      orders: toCount(s.total_pay_order_count_for_roi2),
      impressions: undefined,
      clicks: undefined,
    },
  };
}

function readPlanStatsRow(raw: unknown): (PlanStats & { id: string }) | string {
  if (!isObj(raw)) return 'plan report row is not an object';
  const planId = idOf(raw.ad_id);
  if (!planId) return 'plan report row without a readable ad_id';
  return {
    id: planId,
    planId,
    cost: toNumber(raw.stat_cost),
    gmv: toNumber(raw.pay_order_amount),
    orders: toCount(raw.pay_order_count),
    impressions: toCount(raw.show_cnt),
    clicks: toCount(raw.click_cnt),
  };
}

/** Today's rooms of a 抖音号 (the date is China's), with their cumulative figures. */
export function readRooms(c: QianchuanClient, awemeId: string, now: number, tally: ReadTally): Promise<RoomRow[]> {
  return allPages(
    (page) => c.get('today_live/room/get/', { aweme_id: numericId(awemeId), date_time: chinaDate(now), room_status: 'ALL', fields: [...ROOM_FIELDS], page, page_size: 100 }),
    'room_list',
    readRoom,
    tally,
  );
}

export function readProducts(c: QianchuanClient, roomId: string, tally: ReadTally): Promise<ProductRow[]> {
  return allPages(
    (page) => c.get('today_live/room/product_list/get/', { room_id: numericId(roomId), fields: [...PRODUCT_FIELDS], explain_status: 'ALL', page, page_size: 100 }),
    'list',
    readProduct,
    tally,
  );
}

/** Per-channel figures of the room (流量来源). */
export async function readFlow(c: QianchuanClient, roomId: string): Promise<Partial<Record<FlowChannel, number>>> {
  const data = await c.get('today_live/room/flow_performance/get/', { room_id: numericId(roomId), flow_source: 'AllEcomFlowSource' });
  const out: Partial<Record<FlowChannel, number>> = {};
  if (!isObj(data)) return out;
  for (const ch of FLOW_CHANNELS) {
    const v = toCount(data[ch]);
    if (v !== undefined) out[ch] = v;
  }
  return out;
}

/** The 抖音号's standard live plans (直播带货) with their settings. */
export function readPlans(c: QianchuanClient, awemeId: string, tally: ReadTally): Promise<PlanRow[]> {
  return allPages(
    (page) => c.get('ad/get/', { filtering: { marketing_goal: 'LIVE_PROM_GOODS', aweme_id: numericId(awemeId) }, page, page_size: 100 }),
    'list',
    readPlan,
    tally,
  );
}

/** Today's cumulative figures of the given standard plans. */
export async function readPlanStats(c: QianchuanClient, planIds: readonly string[], now: number, tally: ReadTally): Promise<PlanStats[]> {
  if (!planIds.length) return [];
  const date = chinaDate(now);
  return allPages(
    (page) =>
      c.get('report/ad/get/', {
        start_date: date,
        end_date: date,
        fields: ['stat_cost', 'show_cnt', 'click_cnt', 'pay_order_count', 'pay_order_amount'],
        filtering: { marketing_goal: 'LIVE_PROM_GOODS', ad_ids: planIds.map(numericId) },
        page,
        page_size: 100,
      }),
    'list',
    readPlanStatsRow,
    tally,
  );
}

/** 全域推广 live plans promoting this 抖音号, with their figures since `since`. */
export async function readUniPlans(c: QianchuanClient, awemeId: string, since: number, now: number, tally: ReadTally): Promise<(PlanRow & { stats: PlanStats })[]> {
  const rows = await allPages(
    (page) =>
      c.get('uni_promotion/list/', {
        start_time: msToChinaTime(since),
        end_time: msToChinaTime(now),
        marketing_goal: 'LIVE_PROM_GOODS',
        fields: ['stat_cost', 'total_pay_order_gmv_for_roi2', 'total_pay_order_count_for_roi2'],
        page,
        page_size: 100,
      }),
    'ad_list',
    (raw) => readUniPlan(raw, awemeId),
    tally,
  );
  return rows.filter((r) => r.forRoom);
}
