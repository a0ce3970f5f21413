/**
 * The read side of GMV Max (LIVE) as typed rows. Endpoints and their request/answer fields are the
 * official SDK's (`tiktok/tiktok-business-api-sdk` `yml_files/`):
 * - `campaign/gmv_max/info/` (`advertiser_id`, `campaign_id`) → `campaign_id`, `campaign_name`,
 *   `store_id`, `operation_status`, `budget`, `roas_bid`, `auto_budget_enabled`, `schedule_type`,
 *   `schedule_end_time`, `shopping_ads_type`, …
 * - `campaign/gmv_max/session/list/` (`advertiser_id`, `campaign_id`) and `…/session/get/`
 *   (`advertiser_id`, `session_ids[]`) → `session_list[] { session_id, campaign_id, budget,
 *   bid_type, schedule_type, schedule_start_time, schedule_end_time, product_list }`
 * - `gmv_max/report/get/` (`advertiser_id`, `store_ids` (exactly 1), `dimensions` (≤3), `metrics`
 *   (≤100), `start_date`, `end_date`, `filtering { campaign_ids, gmv_max_promotion_types, room_ids
 *   (≤100), … }`, `page`, `page_size` (≤1000))
 * - `advertiser/info/` (`advertiser_ids[]`, `fields[]`) → the advertiser's `currency`, `timezone`.
 *
 * What the SDK does NOT give — the report's metric and dimension names and its answer's shape —
 * is in `GMV_MAX_REPORT` below, the one table of unconfirmed names. The reader is defensive: a row
 * it cannot read is skipped and counted, an answer of an unknown shape is a `malformed` error the
 * source quarantines and notes; nothing here throws on odd data.
 */
import { PlatformError } from '../common/errors.ts';
import { idOf } from '../common/json.ts';
import { isObj, toBool, toCount, toNumber } from '../../sources/common.ts';
import { TIKTOK_ADS, TIKTOK_ADS_PREFIX, type GmvMaxClient } from './client.ts';
import { knownCurrency } from './units.ts';

/**
 * UNCONFIRMED report names for LIVE GMV Max (tiktok-api.md §5: one community doc of unknown
 * origin; not in the SDK), and the answer shape assumed: TikTok's reporting convention
 * `data { list: [{ dimensions: {…}, metrics: {…} }], page_info: { page, page_size, total_number,
 * total_page } }` (the SDK types GMV Max's `data` as an open object). Flat rows (the names at the
 * row's top level) are read too. Change names here and only here.
 */
export const GMV_MAX_REPORT = {
  dimensions: { campaign: 'campaign_id', room: 'room_id', day: 'stat_time_day' },
  metrics: {
    cost: 'cost',
    netCost: 'net_cost',
    orders: 'orders',
    costPerOrder: 'cost_per_order',
    grossRevenue: 'gross_revenue',
    roi: 'roi',
    liveViews: 'live_views',
    costPerLiveView: 'cost_per_live_view',
    tenSecondLiveViews: '10_second_live_views',
    liveFollows: 'live_follows',
  },
  /** Asked per poll: spend, revenue, orders, ROI, views. */
  asked: ['cost', 'net_cost', 'orders', 'gross_revenue', 'roi', 'live_views'],
  /** `filtering.gmv_max_promotion_types` value for LIVE (the SDK's enum key; confirmed). */
  livePromotionType: 'LIVE',
  listKey: 'list',
} as const;

/** Pages read at most per list. */
const MAX_PAGES = 20;
export const REPORT_PAGE_SIZE = 200;

export interface ReadTally {
  skipped: Record<string, number>;
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

function malformed(path: string, what: string): PlatformError {
  return new PlatformError(`TikTok Ads ${path}: ${what}`, { platform: TIKTOK_ADS, kind: 'malformed', endpoint: TIKTOK_ADS_PREFIX + path });
}

export interface AdvertiserInfo {
  currency: string | null;
  /** The raw currency text when it is not one the app keeps (shown, never guessed). */
  rawCurrency: string | null;
  timezone: string | null;
}

/** The advertiser's currency and time zone (its money and its report days). */
export async function readAdvertiser(c: GmvMaxClient): Promise<AdvertiserInfo> {
  const data = await c.get('advertiser/info/', { advertiser_ids: [c.account.advertiserId], fields: ['currency', 'timezone', 'display_timezone', 'name'] });
  const list = isObj(data) && Array.isArray(data.list) ? data.list : Array.isArray(data) ? data : null;
  if (!list) throw malformed('advertiser/info/', 'the answer has no list');
  const row = list.filter(isObj).find((r) => idOf(r.advertiser_id) === c.account.advertiserId) ?? list.find(isObj);
  if (!row) throw malformed('advertiser/info/', 'the advertiser is not in the answer');
  const raw = typeof row.currency === 'string' ? row.currency.slice(0, 10) : null;
  const tz = str(row.timezone, 60) || str(row.display_timezone, 60) || null;
  return { currency: knownCurrency(raw), rawCurrency: raw, timezone: tz };
}

export type OperationStatus = 'ENABLE' | 'DISABLE' | 'DELETE' | 'OTHER';

export interface CampaignRow {
  campaignId: string;
  name: string;
  storeId: string | null;
  operationStatus: OperationStatus;
  /** Daily budget in major units, as the platform wrote it (converted by the mapper). */
  budget: unknown;
  roasBid: number | undefined;
  autoBudget: boolean | undefined;
  /** `shopping_ads_type` (LIVE / PRODUCT) when given. */
  shoppingAdsType: string | null;
  scheduleType: string | null;
  scheduleEndTime: string | null;
}

export interface SessionRow {
  sessionId: string;
  campaignId: string;
  budget: unknown;
  bidType: string | null;
  scheduleType: string | null;
  scheduleStartTime: string | null;
  scheduleEndTime: string | null;
}

export interface ReportRow {
  campaignId: string;
  roomId: string | null;
  cost: unknown;
  netCost: unknown;
  grossRevenue: unknown;
  orders: number | undefined;
  roi: number | undefined;
  liveViews: number | undefined;
}

function opStatus(v: unknown): OperationStatus {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  if (s === 'ENABLE' || s === 'DISABLE' || s === 'DELETE') return s;
  return 'OTHER';
}

function timeText(v: unknown): string | null {
  if (typeof v === 'string') return v.slice(0, 40) || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function readCampaign(raw: unknown): CampaignRow | string {
  if (!isObj(raw)) return 'campaign info is not an object';
  const campaignId = idOf(raw.campaign_id);
  if (!campaignId) return 'campaign info without a readable campaign_id';
  return {
    campaignId,
    name: str(raw.campaign_name) || campaignId,
    storeId: idOf(raw.store_id),
    operationStatus: opStatus(raw.operation_status),
    budget: raw.budget,
    roasBid: (() => {
      const n = toNumber(raw.roas_bid);
      return n !== undefined && n > 0 ? n : undefined;
    })(),
    autoBudget: toBool(raw.auto_budget_enabled),
    shoppingAdsType: str(raw.shopping_ads_type, 30) || null,
    scheduleType: str(raw.schedule_type, 40) || null,
    scheduleEndTime: timeText(raw.schedule_end_time),
  };
}

export function readSession(raw: unknown): SessionRow | string {
  if (!isObj(raw)) return 'session is not an object';
  const sessionId = idOf(raw.session_id);
  if (!sessionId) return 'session without a readable session_id';
  const campaignId = idOf(raw.campaign_id);
  if (!campaignId) return 'session without a readable campaign_id';
  return {
    sessionId,
    campaignId,
    budget: raw.budget,
    bidType: str(raw.bid_type, 40) || null,
    scheduleType: str(raw.schedule_type, 40) || null,
    scheduleStartTime: timeText(raw.schedule_start_time),
    scheduleEndTime: timeText(raw.schedule_end_time),
  };
}

/** A report row in either shape (nested dimensions/metrics, or flat). */
export function readReportRow(raw: unknown): ReportRow | string {
  if (!isObj(raw)) return 'report row is not an object';
  const dims = isObj(raw.dimensions) ? raw.dimensions : raw;
  const mets = isObj(raw.metrics) ? raw.metrics : raw;
  const D = GMV_MAX_REPORT.dimensions;
  const M = GMV_MAX_REPORT.metrics;
  const campaignId = idOf(dims[D.campaign]);
  if (!campaignId) return 'report row without a readable campaign_id';
  return {
    campaignId,
    roomId: idOf(dims[D.room]),
    cost: mets[M.cost],
    netCost: mets[M.netCost],
    grossRevenue: mets[M.grossRevenue],
    orders: toCount(mets[M.orders]),
    roi: toNumber(mets[M.roi]),
    liveViews: toCount(mets[M.liveViews]),
  };
}

function totalPages(data: Record<string, unknown>): number {
  const info = data.page_info;
  const n = isObj(info) ? toCount(info.total_page) : undefined;
  return Math.min(MAX_PAGES, Math.max(1, n ?? 1));
}

export interface ReportQuery {
  storeId: string;
  /** First and last day (the advertiser's), inclusive. */
  startDate: string;
  endDate: string;
  /** LIVE rooms to filter by (≤100), or null. */
  roomIds: readonly string[] | null;
  campaignIds?: readonly string[];
}

/**
 * LIVE GMV Max campaigns' totals over the days asked, one row per campaign (dimension
 * `campaign_id`), filtered by `room_ids` where given. Paged to `page_info.total_page`; a campaign
 * met twice across pages keeps its last row.
 */
export async function readReport(c: GmvMaxClient, q: ReportQuery, tally: ReadTally): Promise<ReportRow[]> {
  const filtering: Record<string, unknown> = { gmv_max_promotion_types: [GMV_MAX_REPORT.livePromotionType] };
  if (q.roomIds && q.roomIds.length) filtering.room_ids = q.roomIds.slice(0, 100);
  if (q.campaignIds && q.campaignIds.length) filtering.campaign_ids = q.campaignIds.slice(0, 100);
  const byId = new Map<string, ReportRow>();
  let pages = 1;
  for (let page = 1; page <= pages; page++) {
    const data = await c.get('gmv_max/report/get/', {
      store_ids: [q.storeId],
      dimensions: [GMV_MAX_REPORT.dimensions.campaign],
      metrics: [...GMV_MAX_REPORT.asked],
      start_date: q.startDate,
      end_date: q.endDate,
      filtering,
      page,
      page_size: REPORT_PAGE_SIZE,
    });
    if (!isObj(data)) throw malformed('gmv_max/report/get/', 'the answer has no data object');
    const list = data[GMV_MAX_REPORT.listKey];
    if (list === undefined && page === 1 && isObj(data.page_info) && toCount(data.page_info.total_number) === 0) return [];
    if (!Array.isArray(list)) throw malformed('gmv_max/report/get/', `the answer has no ${GMV_MAX_REPORT.listKey}[] (keys: ${Object.keys(data).slice(0, 10).join(', ') || 'none'})`);
    pages = totalPages(data);
    for (const raw of list) {
      const row = readReportRow(raw);
      if (typeof row === 'string') {
        skip(tally, row);
        continue;
      }
      if (byId.has(row.campaignId)) tally.duplicates++;
      byId.set(row.campaignId, row);
    }
  }
  return [...byId.values()];
}

/** One campaign's settings (`campaign/gmv_max/info/`). */
export async function readCampaignInfo(c: GmvMaxClient, campaignId: string): Promise<CampaignRow> {
  const data = await c.get('campaign/gmv_max/info/', { campaign_id: campaignId });
  const row = readCampaign(data);
  if (typeof row === 'string') throw malformed('campaign/gmv_max/info/', row);
  return row;
}

function sessionsOf(data: unknown, path: string, tally: ReadTally | null): SessionRow[] {
  if (!isObj(data)) throw malformed(path, 'the answer has no data object');
  const list = data.session_list;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw malformed(path, 'session_list is not a list');
  const out = new Map<string, SessionRow>();
  for (const raw of list) {
    const s = readSession(raw);
    if (typeof s === 'string') {
      if (tally) skip(tally, s);
      continue;
    }
    out.set(s.sessionId, s);
  }
  return [...out.values()];
}

/** A LIVE campaign's sessions (`campaign/gmv_max/session/list/`). */
export async function readSessions(c: GmvMaxClient, campaignId: string, tally: ReadTally): Promise<SessionRow[]> {
  return sessionsOf(await c.get('campaign/gmv_max/session/list/', { campaign_id: campaignId }), 'campaign/gmv_max/session/list/', tally);
}

/** Sessions by id (`campaign/gmv_max/session/get/`). */
export async function readSessionsById(c: GmvMaxClient, sessionIds: readonly string[]): Promise<SessionRow[]> {
  if (!sessionIds.length) return [];
  return sessionsOf(await c.get('campaign/gmv_max/session/get/', { session_ids: [...sessionIds] }), 'campaign/gmv_max/session/get/', null);
}
