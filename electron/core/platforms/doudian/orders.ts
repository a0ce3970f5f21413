/**
 * 抖店 shop orders (as `order.searchList` lists them and `order.orderDetail` returns one) → FEED-PROTOCOL
 * `order` events for one live room. Pure: no I/O, no clock (the receipt time is passed in).
 *
 * Field meanings are the SDK models' (zsmhub/doudian-sdk `api/order_searchList/response`,
 * `api/order_orderDetail/response`): a shop (parent) order holds `sku_order_list`; each SKU order
 * carries its own id, product, `item_num`, `pay_amount` (分), `order_status`, `pay_time` (Unix s),
 * `update_time`, `after_sale_info`, and the live attribution `room_id` (int64, a bare JSON number),
 * `room_id_str`, `theme_type` (a string: "1" = 直播间), `author_id`, `ad_env_type`, `c_biz`.
 *
 * Decisions:
 * - A SKU order counts for the room when its room id (`room_id_str`, else `room_id`, compared as
 *   decimal strings so 64-bit ids stay exact) is the room's and `theme_type` is 1. Anything else
 *   (another room, a short-video or shop-window order) is `ignored`, not quarantined.
 * - Paid: `pay_time` > 0 and `order_status` not 1 (待支付); a cancelled order (4) without a
 *   `pay_time` was never paid and is ignored. → `order { status: "paid", ts: pay_time }`.
 * - Refunded: a paid order that was cancelled (4), or whose `after_sale_info` says the refund
 *   succeeded (`refund_status` 3, or `after_sale_status` 12 售后成功) — except exchanges (type 3),
 *   price protection (6, a partial refund) and re-shipping (7), which return no goods' money.
 *   → `order { status: "refunded" }` with the SKU's whole `pay_amount` and `ts` = the order's
 *   `update_time` (the refund's moment as the list shows it). A partial refund looks the same on
 *   the SKU order: it is counted whole (the after-sale amount is not in the order models).
 * - `amountFen` = the SKU's `pay_amount` (what the buyer paid for this SKU, in 分): a non-integer,
 *   negative or absurd value is quarantined, never rounded. `productId` = `product_id_str`, else
 *   `product_id`; `qty` = `item_num`; `buyerId` = the shop order's `doudian_open_id` when present.
 * - Each `orderId` + `status` is emitted once (remembered, bounded): polls overlap and pushes repeat.
 *   A quarantined SKU order changes no state.
 */
import { idOf } from '../common/json.ts';
import { BoundedSet, emptyResult, isObj, quarantine, sourceTs, toCount, type MapResult, type Obj, type SourceEvent } from '../../sources/common.ts';

const SRC = 'doudian';
/** Orders are listed late by design (reconciliation): a pay time up to a day back is the order's own. */
const ORDER_MAX_BEHIND_MS = 24 * 3600_000;
const MAX_SKUS_PER_ORDER = 500;
const MAX_ORDERS_PER_CALL = 10_000;
/** After-sale types that return no goods' money: 换货, 价保, 补寄. */
const NOT_A_REFUND = new Set([3, 6, 7]);

export interface DoudianOrderMapperOptions {
  /** orderId+status pairs remembered for de-duplication (oldest forgotten first). */
  maxRemembered?: number;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/** The SKU order's room as a decimal string, or null when it has none (0, "", absent). */
export function roomOf(sku: Obj): string | null {
  const room = idOf(sku.room_id_str) ?? idOf(sku.room_id);
  return room === null || room === '0' ? null : room;
}

function refundSucceeded(info: unknown): boolean {
  if (!isObj(info)) return false;
  const type = int(info.after_sale_type);
  if (type !== undefined && NOT_A_REFUND.has(type)) return false;
  return int(info.refund_status) === 3 || int(info.after_sale_status) === 12;
}

export class DoudianOrderMapper {
  private readonly emitted: BoundedSet;

  constructor(opts: DoudianOrderMapperOptions = {}) {
    this.emitted = new BoundedSet(opts.maxRemembered ?? 200_000);
  }

  /**
   * Shop orders (a list, or one) → the room's events. `roomId` null: the room is not known yet, so
   * every SKU order is ignored. Never throws.
   */
  map(shopOrders: unknown, roomId: string | null, receivedAt: number): MapResult {
    const out = emptyResult();
    const room = roomId === null ? null : idOf(roomId);
    const list = Array.isArray(shopOrders) ? shopOrders : [shopOrders];
    if (list.length > MAX_ORDERS_PER_CALL) {
      out.quarantined.push(quarantine(`${SRC}: ${list.length} shop orders at once (more than ${MAX_ORDERS_PER_CALL})`, list.slice(0, 3)));
      return out;
    }
    for (const shop of list) {
      try {
        this.shopOrder(out, shop, room, receivedAt);
      } catch (e) {
        out.quarantined.push(quarantine(`${SRC}: shop order could not be mapped (${e instanceof Error ? e.message : String(e)})`, shop));
      }
    }
    return out;
  }

  private shopOrder(out: MapResult, shop: unknown, room: string | null, receivedAt: number): void {
    if (!isObj(shop)) {
      out.quarantined.push(quarantine(`${SRC}: a shop order is not an object`, shop));
      return;
    }
    const skus = shop.sku_order_list;
    if (!Array.isArray(skus)) {
      out.quarantined.push(quarantine(`${SRC}: shop order without a sku_order_list`, shop));
      return;
    }
    if (skus.length > MAX_SKUS_PER_ORDER) {
      out.quarantined.push(quarantine(`${SRC}: shop order with ${skus.length} SKU orders (more than ${MAX_SKUS_PER_ORDER})`, { order_id: shop.order_id }));
      return;
    }
    for (const sku of skus) {
      if (!isObj(sku)) out.quarantined.push(quarantine(`${SRC}: an entry of sku_order_list is not an object`, sku));
      else this.skuOrder(out, shop, sku, room, receivedAt);
    }
  }

  private skuOrder(out: MapResult, shop: Obj, sku: Obj, room: string | null, receivedAt: number): void {
    if (room === null || roomOf(sku) !== room || int(sku.theme_type) !== 1) {
      out.ignored++;
      return;
    }
    const bad = (why: string): void => void out.quarantined.push(quarantine(`${SRC}: room order ${why}`, sku));
    const orderId = idOf(sku.order_id);
    if (orderId === null) return bad('order_id is not an id');
    const productId = idOf(sku.product_id_str) ?? idOf(sku.product_id);
    if (productId === null) return bad('without product_id');
    const qty = toCount(sku.item_num);
    if (qty === undefined || qty < 1) return bad('item_num is not a positive integer');
    const amountFen = sku.pay_amount;
    if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen) || amountFen < 0) return bad('pay_amount is not an amount in fen (an integer ≥ 0)');
    const status = int(sku.order_status) ?? int(shop.order_status);
    if (status === undefined) return bad('without order_status');
    const payTime = int(sku.pay_time ?? shop.pay_time);
    if (payTime === undefined || payTime < 0) return bad('pay_time is not a Unix time');
    if (payTime === 0 || status === 1) {
      // Placed (or cancelled before paying): not GMV.
      out.ignored++;
      return;
    }
    const buyer = shop.doudian_open_id;
    const base = { type: 'order' as const, orderId, productId, qty, amountFen, ...(typeof buyer === 'string' && buyer.length >= 1 && buyer.length <= 200 && { buyerId: buyer }) };
    this.emit(out, { ...base, status: 'paid', ts: sourceTs(payTime * 1000, receivedAt, ORDER_MAX_BEHIND_MS) });
    if (status === 4 || refundSucceeded(sku.after_sale_info)) {
      const at = int(sku.update_time) ?? int(shop.update_time);
      this.emit(out, { ...base, status: 'refunded', ts: at !== undefined && at > 0 ? sourceTs(at * 1000, receivedAt, ORDER_MAX_BEHIND_MS) : receivedAt });
    }
  }

  private emit(out: MapResult, e: SourceEvent & { type: 'order' }): void {
    if (this.emitted.add(`${e.orderId}|${e.status}`)) out.events.push(e);
    else out.duplicates++;
  }
}
