/**
 * The live-room reads: `today_live/room/get/`, `…/room/detail/get/`, `…/room/flow_performance/get/`,
 * `…/room/product_list/get/` and `report/today_live/get/`. Shapes and names follow the SDK models
 * (`productId` camelCase, `live_product_Inventory` with a capital I, `room_cover`/`aweme_avatar` as
 * arrays, page_info `total_num`).
 */
import { ApiRefusal, QC, invalid } from './codes.ts';
import { type Ctx, advertiserOf } from './context.ts';
import { int64 } from './json.ts';
import { PRODUCT_FIELDS, REPORT_TODAY_LIVE_FIELDS, ROOM_LIST_FIELDS, money, productMetrics, roomMetrics } from './metrics.ts';
import type { Json } from './params.ts';
import { FLOW_CHANNELS, type Room, type RoomTotals, type World, emptyTotals } from './state.ts';
import { fmtDate, fmtDateTime, parseDate, parseDateTime } from './time.ts';

/** 在投计划数: 标准推广 plans of the room's 抖音号 delivering now (0 once the room is over). */
export function roomDelivery(w: World, room: Room): number {
  if (room.status !== 'LIVING') return 0;
  return w.plans.filter((p) => p.kind === 'standard' && p.advertiserId === room.advertiserId && p.awemeId === room.awemeId && w.planStatus(p) === 'DELIVERY_OK').length;
}

function roomInfo(w: World, room: Room): Json {
  const aweme = w.aweme(room.advertiserId, room.awemeId)!;
  return {
    room_id: int64(room.roomId),
    room_title: room.title,
    room_status: room.status,
    room_cover: [room.coverUrl],
    start_time: fmtDateTime(room.startedAt),
    // A room still live has no end yet: the emulator sends an empty string.
    end_time: room.endedAt === null ? '' : fmtDateTime(room.endedAt),
    aweme_id: int64(aweme.awemeId),
    aweme_name: aweme.name,
    aweme_avatar: [aweme.avatar],
    room_delivery: roomDelivery(w, room),
  };
}

function roomOf(ctx: Ctx): Room {
  const adv = advertiserOf(ctx);
  const roomId = ctx.p.id('room_id');
  const room = ctx.w.room(roomId);
  if (!room || room.advertiserId !== adv.advertiserId) throw invalid(`room_id ${roomId} does not exist under this advertiser`);
  return room;
}

function awemeOf(ctx: Ctx, advertiserId: string): string {
  const awemeId = ctx.p.id('aweme_id');
  if (!ctx.w.aweme(advertiserId, awemeId)) throw new ApiRefusal(QC.NO_PERMISSION, `aweme_id ${awemeId} is not authorized to this advertiser`);
  return awemeId;
}

export function todayLiveRoomGet(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const awemeId = awemeOf(ctx, adv.advertiserId);
  const date = p.str('date_time');
  if (parseDate(date) === null) throw invalid('date_time: format yyyy-mm-dd');
  const fields = p.fields(ROOM_LIST_FIELDS);
  const roomStatus = p.enumOf('room_status', ['ALL', 'LIVING', 'FINISH'], 'ALL');
  const adStatus = p.enumOf('ad_status', ['ALL', 'DELIVERY_OK', 'NO_DELIVERY'], 'ALL');
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 20, 1, 100);
  const rooms = w.rooms
    .filter((r) => r.advertiserId === adv.advertiserId && r.awemeId === awemeId && fmtDate(r.startedAt) === date)
    .filter((r) => roomStatus === 'ALL' || r.status === roomStatus)
    .filter((r) => adStatus === 'ALL' || (roomDelivery(w, r) > 0) === (adStatus === 'DELIVERY_OK'))
    .sort((a, b) => b.startedAt - a.startedAt);
  const pg = ctx.pager.page(`room/get ${adv.advertiserId} ${awemeId}`, rooms, (r) => r.roomId, page, pageSize);
  return {
    room_list: pg.items.map((r) => ({ ...roomInfo(w, r), ...roomMetrics(r.totals, fields, true) })),
    page_info: { page, page_size: pageSize, total_num: pg.total, total_page: pg.totalPage },
  };
}

export function todayLiveRoomDetailGet(ctx: Ctx): Json {
  return roomInfo(ctx.w, roomOf(ctx));
}

/**
 * One int64 per channel. Under AllEcomFlowSource the value is room entries from that channel;
 * under AllEcomGmvSource it is GMV from that channel in whole 元 — both readings are the
 * emulator's choice (qianchuan-api.md §1: "unconfirmed").
 */
export function flowPerformanceGet(ctx: Ctx): Json {
  const room = roomOf(ctx);
  const source = ctx.p.enumOf('flow_source', ['AllEcomFlowSource', 'AllEcomGmvSource'], 'AllEcomFlowSource');
  const out: Json = {};
  for (const ch of FLOW_CHANNELS) out[ch] = source === 'AllEcomFlowSource' ? room.totals.flowEntries[ch] : Math.round(room.totals.flowGmvFen[ch] / 100);
  return out;
}

export function productListGet(ctx: Ctx): Json {
  const { p } = ctx;
  const room = roomOf(ctx);
  const fields = p.fields(PRODUCT_FIELDS);
  // HASEXPLAIN (已讲解) includes the product being explained now: it has been put on explain.
  const filter = p.enumOf('explain_status', ['ALL', 'HASEXPLAIN', 'UNEXPLAIN'], 'ALL');
  const page = p.int('page', 1, 1, 1_000_000);
  const pageSize = p.int('page_size', 20, 1, 100);
  const products = room.products.filter((x) => filter === 'ALL' || (filter === 'UNEXPLAIN') === (x.explainStatus === 'UNEXPLAIN'));
  const pg = ctx.pager.page(`product_list ${room.roomId}`, products, (x) => x.productId, page, pageSize);
  return {
    list: pg.items.map((x) => ({
      productId: int64(x.productId),
      title: x.title,
      img_url: x.imgUrl,
      explain_status: x.explainStatus,
      live_product_price: money(x.priceFen),
      live_product_Inventory: x.stock,
      live_product_bind_time: fmtDateTime(x.bindAt),
      live_product_explain_cnt: x.explainCount,
      ...productMetrics(x, room.totals.watch, fields),
    })),
    page_info: { page, page_size: pageSize, total_num: pg.total, total_page: pg.totalPage },
  };
}

function sumTotals(rooms: Room[]): RoomTotals {
  const sum = emptyTotals();
  const into = sum as unknown as Record<string, number>;
  for (const r of rooms) {
    for (const [k, v] of Object.entries(r.totals)) if (typeof v === 'number') into[k]! += v;
  }
  return sum;
}

/** Cumulative totals of the rooms whose 开播时间 falls in [start_time, end_time]. */
export function reportTodayLiveGet(ctx: Ctx): Json {
  const { p, w } = ctx;
  const adv = advertiserOf(ctx);
  const awemeId = awemeOf(ctx, adv.advertiserId);
  const start = parseDateTime(p.str('start_time'));
  const end = parseDateTime(p.str('end_time'));
  if (start === null || end === null) throw invalid('start_time/end_time: format yyyy-mm-dd hh:mm:ss');
  if (end < start) throw invalid('end_time must not be earlier than start_time');
  const fields = p.fields(REPORT_TODAY_LIVE_FIELDS);
  p.enumOf('stats_authority', ['CURRENT', 'QUALIFICATION'], 'CURRENT');
  const rooms = w.rooms.filter((r) => r.advertiserId === adv.advertiserId && r.awemeId === awemeId && r.startedAt >= start && r.startedAt <= end + 999);
  return roomMetrics(sumTotals(rooms), fields, false);
}
