/**
 * 抖店 shop orders → `order` events for one live room. Orders are built as the SDK models have
 * them (every field of the SKU order that the mapping reads, zeros included) and, where ids pass
 * 2^53, as the lossless reader hands them over (decimal strings).
 */
import { describe, expect, it } from 'vitest';
import { DoudianOrderMapper } from '../../electron/core/platforms/doudian/orders.ts';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';

const ROOM = '7312345678901234567';
const T = 1_720_000_000_000;
const PAY = T / 1000 - 60;

function sku(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: '6920000000100000001',
    parent_order_id: '6920000000000000001',
    order_status: 2,
    pay_time: PAY,
    create_time: PAY - 20,
    update_time: PAY,
    product_id: '3691984502923623681',
    product_id_str: '3691984502923623681',
    item_num: 2,
    origin_amount: 4990,
    sum_amount: 9980,
    pay_amount: 8980,
    author_id: 98765432109,
    room_id: ROOM,
    room_id_str: ROOM,
    theme_type: '1',
    ad_env_type: 'live',
    c_biz: 8,
    after_sale_info: { after_sale_status: 0, after_sale_type: 0, refund_status: 0 },
    ...o,
  };
}

function shop(skus: unknown[], o: Record<string, unknown> = {}): Record<string, unknown> {
  return { order_id: '6920000000000000001', shop_id: 4463798, order_status: 2, pay_time: PAY, update_time: PAY, doudian_open_id: '1@#abc', sku_order_list: skus, ...o };
}

function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

describe('抖店 order mapper', () => {
  it('a paid live-room SKU order → order paid: SKU id, product_id_str, item_num, pay_amount in fen, ts = pay_time', () => {
    const r = valid(new DoudianOrderMapper().map([shop([sku()])], ROOM, T));
    expect(r.events).toEqual([{ ts: PAY * 1000, type: 'order', orderId: '6920000000100000001', productId: '3691984502923623681', qty: 2, amountFen: 8980, status: 'paid', buyerId: '1@#abc' }]);
    expect(r).toMatchObject({ quarantined: [], ignored: 0, duplicates: 0 });
  });

  it('keeps only the room: another room (one apart beyond 2^53), no room, a non-live order are ignored, not quarantined', () => {
    const other = '7312345678901234568';
    expect(Number(other)).toBe(Number(ROOM)); // a double cannot tell them apart
    const r = new DoudianOrderMapper().map(
      [
        shop([sku({ order_id: '1', room_id: other, room_id_str: other })]),
        shop([sku({ order_id: '2', room_id: 0, room_id_str: '0', theme_type: '0', ad_env_type: '' })]),
        shop([sku({ order_id: '3', room_id: 0, room_id_str: '', theme_type: '0' })]),
        shop([sku({ order_id: '4', theme_type: '0' })]),
        shop([sku({ order_id: '5' })]),
      ],
      ROOM,
      T,
    );
    expect(r.events.map((e) => (e as { orderId: string }).orderId)).toEqual(['5']);
    expect(r).toMatchObject({ ignored: 4, quarantined: [] });
  });

  it('reads the room from room_id_str, else from room_id (a bare 64-bit number read exactly)', () => {
    const parsed = parseApiJson(`{"sku_order_list":[{"order_id":"9","product_id":3691984502923623681,"product_id_str":"","item_num":1,"pay_amount":100,"order_status":2,"pay_time":${PAY},"room_id":${ROOM},"room_id_str":"","theme_type":"1"}]}`);
    const r = valid(new DoudianOrderMapper().map(parsed, ROOM, T));
    expect(r.events).toMatchObject([{ orderId: '9', productId: '3691984502923623681', amountFen: 100 }]);
    // A room id rounded by a plain JSON.parse is no id: it never matches.
    const rounded = new DoudianOrderMapper().map([shop([sku({ room_id: Number(ROOM), room_id_str: '' })])], ROOM, T);
    expect(rounded).toMatchObject({ events: [], ignored: 1 });
    // Leading zeros in the configured room id do not matter.
    expect(new DoudianOrderMapper().map([shop([sku()])], `00${ROOM}`, T).events).toHaveLength(1);
  });

  it('placed (待支付) and cancelled-before-payment orders are not GMV', () => {
    const m = new DoudianOrderMapper();
    expect(m.map([shop([sku({ order_status: 1, pay_time: 0 })], { order_status: 1, pay_time: 0 })], ROOM, T)).toMatchObject({ events: [], ignored: 1 });
    expect(m.map([shop([sku({ order_status: 4, pay_time: 0 })])], ROOM, T)).toMatchObject({ events: [], ignored: 1 });
    // Later paid: now it counts.
    expect(m.map([shop([sku()])], ROOM, T).events).toHaveLength(1);
  });

  it('a refund that succeeded (refund_status 3, or after_sale_status 12) → refunded at update_time, after its paid', () => {
    const m = new DoudianOrderMapper();
    const refundedAt = PAY + 30;
    const r = valid(m.map([shop([sku({ update_time: refundedAt, after_sale_info: { after_sale_status: 12, after_sale_type: 2, refund_status: 3 } })])], ROOM, T));
    expect(r.events.map((e) => [(e as { status: string }).status, e.ts])).toEqual([
      ['paid', PAY * 1000],
      ['refunded', refundedAt * 1000],
    ]);
    expect(r.events[1]).toMatchObject({ orderId: '6920000000100000001', amountFen: 8980, qty: 2 });
    expect(new DoudianOrderMapper().map([shop([sku({ after_sale_info: { after_sale_status: 12, after_sale_type: 0, refund_status: 1 } })])], ROOM, T).events).toHaveLength(2);
  });

  it('exchanges, price protection, re-shipping and pending or failed refunds are not refunds', () => {
    for (const info of [
      { after_sale_status: 12, after_sale_type: 3, refund_status: 0 },
      { after_sale_status: 12, after_sale_type: 6, refund_status: 3 },
      { after_sale_status: 12, after_sale_type: 7, refund_status: 0 },
      { after_sale_status: 6, after_sale_type: 2, refund_status: 1 },
      { after_sale_status: 28, after_sale_type: 2, refund_status: 1 },
      { after_sale_status: 27, after_sale_type: 0, refund_status: 4 },
    ]) {
      expect(new DoudianOrderMapper().map([shop([sku({ after_sale_info: info })])], ROOM, T).events.map((e) => (e as { status: string }).status)).toEqual(['paid']);
    }
  });

  it('an order cancelled after payment (4 with a pay_time) is paid, then refunded', () => {
    const r = valid(new DoudianOrderMapper().map([shop([sku({ order_status: 4, update_time: PAY + 60 })])], ROOM, T));
    expect(r.events.map((e) => (e as { status: string }).status)).toEqual(['paid', 'refunded']);
  });

  it('the same orderId + status is emitted once; a later refund adds only the refunded event', () => {
    const m = new DoudianOrderMapper();
    expect(m.map([shop([sku()])], ROOM, T).events).toHaveLength(1);
    expect(m.map([shop([sku()]), shop([sku()])], ROOM, T)).toMatchObject({ events: [], duplicates: 2 });
    const later = m.map([shop([sku({ after_sale_info: { after_sale_status: 12, after_sale_type: 2, refund_status: 3 } })])], ROOM, T);
    expect(later.events.map((e) => (e as { status: string }).status)).toEqual(['refunded']);
    expect(later.duplicates).toBe(1);
  });

  it('SKU orders of one shop order are mapped each on its own', () => {
    const r = new DoudianOrderMapper().map([shop([sku({ order_id: '11', pay_amount: 100 }), sku({ order_id: '12', pay_amount: 200, room_id_str: '1', room_id: 1 })])], ROOM, T);
    expect(r.events).toMatchObject([{ orderId: '11', amountFen: 100 }]);
    expect(r.ignored).toBe(1);
  });

  it('bad room orders are quarantined with the reason, and a refused one changes nothing', () => {
    const m = new DoudianOrderMapper();
    const reasons = (o: Record<string, unknown>): string[] => m.map([shop([sku(o)])], ROOM, T).quarantined.map((q) => q.reason);
    expect(reasons({ pay_amount: 12.5 })).toEqual(['doudian: room order pay_amount is not an amount in fen (an integer ≥ 0)']);
    expect(reasons({ pay_amount: -1 })).toHaveLength(1);
    expect(reasons({ pay_amount: '8980' })).toHaveLength(1);
    expect(reasons({ pay_amount: '92233720368547758070' })).toHaveLength(1);
    expect(reasons({ item_num: 0 })).toEqual(['doudian: room order item_num is not a positive integer']);
    expect(reasons({ order_id: 'abc' })).toEqual(['doudian: room order order_id is not an id']);
    expect(reasons({ order_id: 2 ** 60 })).toEqual(['doudian: room order order_id is not an id']);
    expect(reasons({ product_id: null, product_id_str: '' })).toEqual(['doudian: room order without product_id']);
    expect(reasons({ pay_time: -5 })).toEqual(['doudian: room order pay_time is not a Unix time']);
    // None of these marked the order as emitted.
    expect(valid(m.map([shop([sku()])], ROOM, T)).events).toHaveLength(1);
  });

  it('broken shop orders are quarantined; the rest of the list is still mapped', () => {
    const r = new DoudianOrderMapper().map([null, 7, shop('x' as unknown as unknown[]), shop([null, sku()]), { order_id: '1' }], ROOM, T);
    expect(r.quarantined.map((q) => q.reason)).toEqual([
      'doudian: a shop order is not an object',
      'doudian: a shop order is not an object',
      'doudian: shop order without a sku_order_list',
      'doudian: an entry of sku_order_list is not an object',
      'doudian: shop order without a sku_order_list',
    ]);
    expect(r.events).toHaveLength(1);
  });

  it('without a room every order is ignored', () => {
    expect(new DoudianOrderMapper().map([shop([sku(), sku({ order_id: '2' })])], null, T)).toMatchObject({ events: [], ignored: 2 });
  });

  it('an implausible pay_time (future) is stamped on receipt; the SKU status wins over the shop status', () => {
    const r = new DoudianOrderMapper().map([shop([sku({ pay_time: T / 1000 + 86_400, order_status: 3 })], { order_status: 1 })], ROOM, T);
    expect(r.events).toMatchObject([{ ts: T, status: 'paid' }]);
  });
});
