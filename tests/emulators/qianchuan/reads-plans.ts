/**
 * The plan reads: `ad/get/` (标准推广 plans and their delivery settings), `report/ad/get/`
 * (per-plan figures, optionally per hour or day), `uni_promotion/list/` (全域推广 plans with their
 * stats) and `tools/log_search/` (the operation log, before/after). Shapes follow the SDK models;
 * note `ad/get` and `report/ad/get` page_info say `total_number`, `uni_promotion/list` `total_num`.
 */
import { invalid, missing } from './codes.ts';
import { type Ctx, advertiserOf } from './context.ts';
import { int64 } from './json.ts';
import { REPORT_AD_FIELDS, UNI_FIELDS, money, planMetric, uniStats } from './metrics.ts';
import { type Json, idIn } from './params.ts';
import { type Plan, type PlanFigures, type World, addFigures, emptyFigures } from './state.ts';
import { DAY_MS, dayStart, fmtDate, fmtDateTime, hourStart, parseDate, parseDateTime } from './time.ts';

const AD_STATUS_FILTER = ['ALL', 'ALL_INCLUDE_DELETED', 'AUDIT', 'DELETED', 'DELIVERY_OK', 'DISABLE', 'EXTERNAL_URL_DISABLE', 'FROZEN', 'LIVE_ROOM_OFF', 'NO_SCHEDULE', 'OFFLINE_AUDIT', 'OFFLINE_BALANCE', 'OFFLINE_BUDGET', 'QUOTA_DISABLE', 'REAUDIT', 'ROI2_DISABLE', 'SYSTEM_DISABLE', 'TIME_DONE', 'TIME_NO_REACH', 'ADVERTISER_OFFLINE_BUDGET'];

/** Status filter as the docs put it: absent (or ALL) means every plan but deleted ones. */
function statusMatches(w: World, plan: Plan, filter: string | undefined): boolean {
  const status = w.planStatus(plan);
  if (filter === undefined || filter === 'ALL') return status !== 'DELETE';
  if (filter === 'ALL_INCLUDE_DELETED') return true;
  if (filter === 'DELETED') return status === 'DELETE';
  return status === filter;
}

function enumIn(v: unknown, allowed: readonly string[], what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v)) throw invalid(`${what}: must be one of ${allowed.join(', ')}`);
  return v;
}

function idList(v: unknown, what: string, max: number): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length < 1 || v.length > max) throw invalid(`${what}: 1 to ${max} ids`);
  return v.map((x) => idIn(x, what));
}

function productInfo(w: World, plan: Plan): Json[] {
  return plan.productIds.flatMap((id) => {
    const p = w.rooms.flatMap((r) => r.products).find((x) => x.productId === id);
    if (!p) return [];
    const price = money(p.priceFen);
    return [{ id: int64(p.productId), name: p.title, img: p.imgUrl, channel_id: 0, channel_type: 'SHOP_SELL', market_price: price, discount_price: price, discount_lower_price: price, discount_higher_price: price }];
  });
}

function adRow(w: World, plan: Plan, withAweme: boolean): Json {
  const aweme = w.aweme(plan.advertiserId, plan.awemeId)!;
  return {
    ad_id: int64(plan.adId),
    campaign_id: int64(plan.campaignId),
    name: plan.name,
    status: w.planStatus(plan),
    opt_status: plan.optStatus,
    marketing_goal: plan.marketingGoal,
    marketing_scene: 'FEED',
    campaign_scene: 'DAILY_SALE',
    lab_ad_type: 'NOT_LAB_AD',
    ad_create_time: fmtDateTime(plan.createdAt),
    ad_modify_time: fmtDateTime(plan.modifiedAt),
    grab_first_screen_switch: false,
    grab_first_screen_bid_adjust_rate: 0,
    delivery_setting: {
      allow_qcpx: false,
      budget: money(plan.budgetFen),
      budget_mode: plan.budgetMode,
      cpa_bid: plan.bidFen === null ? 0 : money(plan.bidFen),
      deep_bid_type: plan.roiGoal !== null ? 'PAY_ROI' : 'PACING',
      deep_cpa_bid: 0,
      external_action: plan.externalAction,
      roi_goal: plan.roiGoal ?? 0,
      smart_bid_type: plan.smartBidType,
      qcpx_mode: 'QCPX_MODE_OFF',
      product_new_open: false,
      revive_budget: 0,
      start_time: fmtDateTime(plan.createdAt),
      end_time: '',
    },
    aweme_info: withAweme ? [{ aweme_id: int64(aweme.awemeId), aweme_name: aweme.name, aweme_avatar: aweme.avatar, aweme_show_id: aweme.showId }] : undefined,
    product_info: productInfo(w, plan),
  };
}

export function adGet(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const filtering = p.object('filtering', true)!;
  if (filtering.marketing_goal === undefined) throw missing('filtering.marketing_goal');
  const goal = enumIn(filtering.marketing_goal, ['LIVE_PROM_GOODS', 'VIDEO_PROM_GOODS'], 'filtering.marketing_goal');
  const ids = idList(filtering.ids, 'filtering.ids', 100);
  const awemeId = filtering.aweme_id === undefined ? undefined : idIn(filtering.aweme_id, 'filtering.aweme_id');
  const campaignId = filtering.campaign_id === undefined ? undefined : idIn(filtering.campaign_id, 'filtering.campaign_id');
  const status = enumIn(filtering.status, AD_STATUS_FILTER, 'filtering.status');
  const name = filtering.ad_name === undefined ? undefined : String(filtering.ad_name);
  const withAweme = p.int('request_aweme_info', 0, 0, 1) === 1;
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 10, 1, 1000);
  const plans = w.plans
    .filter((x) => x.kind === 'standard' && x.advertiserId === adv.advertiserId && x.marketingGoal === goal)
    .filter((x) => (!ids || ids.includes(x.adId)) && (!awemeId || x.awemeId === awemeId) && (!campaignId || x.campaignId === campaignId))
    .filter((x) => (name === undefined || x.name.includes(name)) && statusMatches(w, x, status))
    .sort((a, b) => b.createdAt - a.createdAt || (a.adId < b.adId ? -1 : 1));
  const pg = ctx.pager.page(`ad/get ${adv.advertiserId}`, plans, (x) => x.adId, page, pageSize);
  const known = new Set(w.plans.filter((x) => x.kind === 'standard' && x.advertiserId === adv.advertiserId).map((x) => x.adId));
  return {
    list: pg.items.map((x) => adRow(w, x, withAweme)),
    fail_list: (ids ?? []).filter((id) => !known.has(id)).map(int64),
    page_info: { page, page_size: pageSize, total_number: pg.total, total_page: pg.totalPage },
  };
}

interface ReportRow {
  plan: Plan;
  bucket: number | null;
  figures: PlanFigures;
}

function dateWindow(ctx: Ctx): { from: number; to: number } {
  const from = parseDate(ctx.p.str('start_date'));
  const to = parseDate(ctx.p.str('end_date'));
  if (from === null || to === null) throw invalid('start_date/end_date: format yyyy-mm-dd');
  if (to < from) throw invalid('end_date must not be earlier than start_date');
  if (from < dayStart(ctx.w.simTime) - 180 * DAY_MS) throw invalid('start_date: at most 180 days ago');
  return { from, to: to + DAY_MS };
}

export function reportAdGet(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const { from, to } = dateWindow(ctx);
  const fields = p.fields(REPORT_AD_FIELDS);
  const filtering = p.object('filtering', true)!;
  if (filtering.marketing_goal === undefined) throw missing('filtering.marketing_goal');
  const goal = enumIn(filtering.marketing_goal, ['ALL', 'LIVE_PROM_GOODS', 'VIDEO_PROM_GOODS'], 'filtering.marketing_goal');
  const adIds = idList(filtering.ad_ids, 'filtering.ad_ids', 100);
  const status = enumIn(filtering.status, AD_STATUS_FILTER.filter((s) => s !== 'ALL'), 'filtering.status');
  const granularity = p.has('time_granularity') ? p.enumOf('time_granularity', ['TIME_GRANULARITY_DAILY', 'TIME_GRANULARITY_HOURLY']) : null;
  const days = (to - from) / DAY_MS;
  if (granularity === 'TIME_GRANULARITY_HOURLY' && days > 7) throw invalid('hourly reports cover at most 7 days');
  if (days > 30) throw invalid('reports cover at most 30 days');
  const orderField = p.has('order_field') ? p.str('order_field') : null;
  if (orderField !== null && !REPORT_AD_FIELDS.has(orderField)) throw invalid(`order_field: unknown field ${orderField}`);
  const desc = p.enumOf('order_type', ['ASC', 'DESC'], 'ASC') === 'DESC';
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 10, 1, 500);

  const rows: ReportRow[] = [];
  const plans = w.plans.filter(
    (x) => x.kind === 'standard' && x.advertiserId === adv.advertiserId && (goal === 'ALL' || x.marketingGoal === goal) && (!adIds || adIds.includes(x.adId)) && statusMatches(w, x, status),
  );
  for (const plan of plans) {
    const groups = new Map<number | null, PlanFigures>();
    for (const [hour, f] of plan.hours) {
      if (hour < from || hour >= to) continue;
      const key = granularity === null ? null : granularity === 'TIME_GRANULARITY_HOURLY' ? hourStart(hour) : dayStart(hour);
      groups.set(key, addFigures(groups.get(key) ?? emptyFigures(), f));
    }
    // A plan with no figures in the window is left out, as the docs say.
    for (const [bucket, figures] of groups) rows.push({ plan, bucket, figures });
  }
  rows.sort((a, b) => {
    if (orderField !== null && orderField !== 'stat_datetime' && orderField !== 'ad_id' && orderField !== 'advertiser_id') {
      const d = planMetric(a.figures, orderField) - planMetric(b.figures, orderField);
      if (d !== 0) return desc ? -d : d;
    }
    const t = (a.bucket ?? 0) - (b.bucket ?? 0);
    if (t !== 0) return desc && orderField === 'stat_datetime' ? -t : t;
    return a.plan.adId < b.plan.adId ? -1 : a.plan.adId > b.plan.adId ? 1 : 0;
  });
  const pg = ctx.pager.page(`report/ad ${adv.advertiserId}`, rows, (r) => `${r.plan.adId}@${r.bucket}`, page, pageSize);
  return {
    list: pg.items.map((r) => {
      const row: Json = { ad_id: int64(r.plan.adId), advertiser_id: int64(r.plan.advertiserId) };
      if (r.bucket !== null) row.stat_datetime = granularity === 'TIME_GRANULARITY_HOURLY' ? fmtDateTime(r.bucket) : `${fmtDate(r.bucket)} 00:00:00`;
      for (const f of fields) if (f !== 'ad_id' && f !== 'advertiser_id' && f !== 'stat_datetime') row[f] = planMetric(r.figures, f);
      return row;
    }),
    page_info: { page, page_size: pageSize, total_number: pg.total, total_page: pg.totalPage },
  };
}

const UNI_ORDER_FIELDS = ['create_time', ...UNI_FIELDS];

export function uniPromotionList(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const start = parseDateTime(p.str('start_time'));
  const end = parseDateTime(p.str('end_time'));
  if (start === null || end === null) throw invalid('start_time/end_time: format yyyy-mm-dd hh:mm:ss');
  if (end < start) throw invalid('end_time must not be earlier than start_time');
  const goal = p.enumOf('marketing_goal', ['LIVE_PROM_GOODS', 'VIDEO_PROM_GOODS']);
  const fields = p.fields(UNI_FIELDS);
  const filtering = p.object('filtering', false) ?? {};
  const status = enumIn(filtering.status, AD_STATUS_FILTER, 'filtering.status');
  const keyword = filtering.search_keyword === undefined ? undefined : String(filtering.search_keyword);
  const smartBid = enumIn(filtering.smart_bid_type, ['SMART_BID_CONSERVATIVE', 'SMART_BID_CUSTOM'], 'filtering.smart_bid_type');
  const orderField = p.has('order_field') ? p.enumOf('order_field', UNI_ORDER_FIELDS) : 'create_time';
  const desc = p.enumOf('order_type', ['ASC', 'DESC'], 'DESC') === 'DESC';
  p.enumOf('adlab_scene', ['UNI_PROJECT', 'OVERALL_PROJECT'], 'UNI_PROJECT');
  p.enumOf('data_period', ['ALL_DATA', 'OVER_ALL_DATA', 'UNI_DATA'], 'ALL_DATA');
  const compensate = p.has('need_compensate_info') && String(p.json('need_compensate_info', false)) === 'true';
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 10, 10, 200);
  if (![10, 20, 50, 100, 200].includes(pageSize)) throw invalid('page_size: one of 10, 20, 50, 100, 200');

  const window = (x: Plan): PlanFigures => w.figuresBetween(x, hourStart(start), end + 1) ?? emptyFigures();
  const plans = w.plans
    .filter((x) => x.kind === 'uni' && x.advertiserId === adv.advertiserId && x.marketingGoal === goal && statusMatches(w, x, status))
    .filter((x) => (keyword === undefined || x.name.includes(keyword) || x.adId === keyword) && (smartBid === undefined || x.smartBidType === smartBid))
    .map((x) => ({ plan: x, figures: window(x) }));
  const key = (e: { plan: Plan; figures: PlanFigures }): number => (orderField === 'create_time' ? e.plan.createdAt : (uniStats(e.figures, [orderField], 'yuan')[orderField] ?? 0));
  plans.sort((a, b) => (desc ? key(b) - key(a) : key(a) - key(b)) || (a.plan.adId < b.plan.adId ? -1 : 1));
  const pg = ctx.pager.page(`uni/list ${adv.advertiserId}`, plans, (e) => e.plan.adId, page, pageSize);
  return {
    ad_list: pg.items.map(({ plan, figures }) => uniRow(ctx, plan, figures, fields, compensate)),
    page_info: { page, page_size: pageSize, total_num: pg.total, total_page: pg.totalPage },
  };
}

function uniRow(ctx: Ctx, plan: Plan, figures: PlanFigures, fields: string[], compensate: boolean): Json {
  const { w } = ctx;
  const aweme = w.aweme(plan.advertiserId, plan.awemeId)!;
  const room = w.livingRoom(plan.advertiserId, plan.awemeId);
  return {
    ad_info: {
      id: int64(plan.adId),
      name: plan.name,
      status: w.planStatus(plan),
      opt_status: plan.optStatus,
      marketing_goal: plan.marketingGoal,
      adlab_scene: 'UNI_PROJECT',
      budget: money(plan.budgetFen),
      budget_mode: plan.budgetMode,
      roi2_goal: plan.roiGoal ?? 0,
      smart_bid_type: plan.smartBidType,
      deep_external_action: 'AD_CONVERT_TYPE_LIVE_PAY_ROI',
      marketing_services_mode: 'BASE_AD_FEE',
      create_time: fmtDateTime(plan.createdAt),
      modify_time: fmtDateTime(plan.modifiedAt),
      start_time: fmtDateTime(plan.createdAt),
      end_time: '',
      daily_delivery_time: 24,
      delivery_seconds: room ? Math.floor((w.simTime - room.startedAt) / 1000) : 0,
      compensate_info: compensate ? { compensate_status: 'DEFAULT', status: 'SUCCESS', reason: '' } : undefined,
    },
    room_info: [{ anchor_id: aweme.awemeId, anchor_name: aweme.name, anchor_avatar: aweme.avatar }],
    product_info: plan.productIds.map((id) => {
      const prod = w.rooms.flatMap((r) => r.products).find((x) => x.productId === id);
      return { product_id: int64(id), product_name: prod?.title ?? '', product_image: prod?.imgUrl ?? '', recommend_reasons: [] };
    }),
    stats_info: uniStats(figures, fields, ctx.uniStatCostUnit),
  };
}

export function logSearch(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const objectType = p.enumOf('object_type', ['AD', 'ACCOUNT']);
  const objectId = p.optId('object_id');
  const start = p.has('start_time') ? parseDateTime(p.str('start_time')) : Number.NEGATIVE_INFINITY;
  const end = p.has('end_time') ? parseDateTime(p.str('end_time')) : Number.POSITIVE_INFINITY;
  if (start === null || end === null) throw invalid('start_time/end_time: format yyyy-mm-dd hh:mm:ss');
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 10, 1, 20);
  const logs = w.log
    .filter((l) => l.advertiserId === adv.advertiserId && l.objectType === objectType && (objectId === null || l.objectId === objectId))
    .filter((l) => l.createdAt >= start && l.createdAt <= end + 999)
    .reverse();
  const pg = ctx.pager.page(`log ${adv.advertiserId}`, logs, (l) => l.logId, page, pageSize);
  return {
    logs: pg.items.map((l) => ({
      log_id: l.logId,
      object_id: int64(l.objectId),
      object_name: l.objectName,
      object_type: l.objectType,
      content_title: l.contentTitle,
      content_log: [...l.contentLog],
      operator_id: l.operatorId,
      operator_name: l.operatorName,
      opt_ip: l.optIp,
      create_time: fmtDateTime(l.createdAt),
      sub_logs: [],
    })),
    page_info: { page, page_size: pageSize, total_number: pg.total, total_page: pg.totalPage },
  };
}
