import { describe, expect, it } from 'vitest';
import { MerchantOrderMapper } from '../../electron/core/sources/merchant-orders.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';

function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

const T = 1_720_000_000_000;
const order = (o: Record<string, unknown>) => ({ order_id: 'o1', order_status: 3, order_ts: T - 5000, product_id: 'p1', product_title: '清透隔离乳', item_num: 2, nick_name: '张**', ...o });

describe('merchant order mapper', () => {
  it('a paid order → order paid with pay_amt; the same order again counts once', () => {
    const m = new MerchantOrderMapper();
    expect(valid(m.map(order({ pay_amt: 15_800 }), T)).events).toEqual([{ ts: T - 5000, type: 'order', orderId: 'o1', productId: 'p1', qty: 2, amountFen: 15_800, status: 'paid' }]);
    expect(m.map(order({ pay_amt: 15_800 }), T + 10)).toMatchObject({ events: [], duplicates: 1 });
  });

  it('placed (0) makes no event; its paid line (3) may omit fields the placed line had', () => {
    const m = new MerchantOrderMapper();
    expect(m.map(order({ order_id: 'o2', order_status: 0, pay_amt: '9900', buyer_id: 'b7' }), T)).toMatchObject({ events: [], ignored: 1 });
    expect(m.placedCount).toBe(1);
    const paid = valid(m.map({ order_id: 'o2', order_status: '3', order_ts: String((T - 1000) / 1000) }, T));
    expect(paid.events).toEqual([{ ts: T - 1000, type: 'order', orderId: 'o2', productId: 'p1', qty: 2, amountFen: 9900, status: 'paid', buyerId: 'b7' }]);
  });

  it('without pay_amt the amount is the known unit price × item_num; unknown price → quarantined, never guessed', () => {
    const m = new MerchantOrderMapper({ priceOf: (id) => (id === 'p1' ? 4_990 : undefined) });
    // Priced from the catalog, and says so.
    expect(m.map(order({ order_id: 'o3' }), T).events[0]).toMatchObject({ amountFen: 9_980, amountFrom: 'catalog' });
    expect(m.pricedFromCatalog).toBe(1);
    expect(m.map(order({ order_id: 'o4', product_id: 'p9' }), T).quarantined[0]!.reason).toBe('merchant: paid order without pay_amt, and product p9 has no known price');
  });

  it('order_ts as "YYYY-MM-DD HH:mm:ss" is Beijing time; implausible → receipt time', () => {
    const m = new MerchantOrderMapper();
    const at = Date.parse('2024-07-06T20:16:00+08:00');
    expect(m.map(order({ order_id: 'a', pay_amt: 1, order_ts: '2024-07-06 20:15:03' }), at).events[0]!.ts).toBe(Date.parse('2024-07-06T12:15:03Z'));
    expect(m.map(order({ order_id: 'b', pay_amt: 1, order_ts: 'yesterday' }), at).events[0]!.ts).toBe(at);
    expect(m.map(order({ order_id: 'c', pay_amt: 1, order_ts: at + 3_600_000 }), at).events[0]!.ts).toBe(at);
  });

  it('unknown statuses and broken lines are quarantined with the reason', () => {
    const m = new MerchantOrderMapper();
    expect(m.map(order({ order_status: 5 }), T).quarantined[0]!.reason).toBe('merchant: order_status 5 is neither 0/1 (placed) nor 3 (paid)');
    expect(m.map(order({ item_num: 0, pay_amt: 1 }), T).quarantined[0]!.reason).toBe('merchant: paid order item_num is not a positive integer');
    expect(m.map(order({ product_id: undefined, pay_amt: 1 }), T).quarantined[0]!.reason).toBe('merchant: paid order without product_id');
    expect(m.map({ hello: 1 }, T).quarantined[0]!.reason).toBe('merchant: line is neither an order (order_id) nor product clicks (product_click_cnt)');
    expect(m.map([1], T).quarantined[0]!.reason).toBe('merchant: line is not a JSON object');
    for (const junk of [null, { order_id: {} }, order({ pay_amt: -1 }), order({ order_id: 'z', pay_amt: 1.5 }), { product_id: 'p', product_click_cnt: 'x' }]) valid(m.map(junk, T));
  });

  it('product clicks: deltas of the cumulative count per product, the first value whole', () => {
    const m = new MerchantOrderMapper();
    expect(valid(m.map({ product_id: 'p1', product_click_cnt: '120', ts: T }, T)).events).toEqual([{ ts: T, type: 'click', productId: 'p1', n: 120 }]);
    expect(m.map({ product_id: 'p1', product_click_cnt: 150, ts: T + 1000 }, T + 1000).events).toEqual([{ ts: T + 1000, type: 'click', productId: 'p1', n: 30 }]);
    expect(m.map({ product_id: 'p1', product_click_cnt: 150 }, T + 2000).events).toEqual([]);
    expect(m.map({ product_id: 'p2', product_click_cnt: 7 }, T + 2000).events).toEqual([{ ts: T + 2000, type: 'click', productId: 'p2', n: 7 }]);
  });

  it("Compass's live_order_stream as oba-live-tool reads it: no amounts, status 1 placed, 3 paid; placed orders are not GMV", () => {
    const m = new MerchantOrderMapper({ priceOf: (id) => (id === '3691984502923623681' ? 2_990 : undefined) });
    const response = (orders: Array<Record<string, unknown>>) => ({ data: orders, msg: '' });
    const o = (id: string, status: number, ts: number) => ({ item_num: 2, nick_name: '张**', order_id: id, order_status: status, order_ts: ts, product_id: '3691984502923623681', product_title: '收纳盒' });
    const placed = m.map(response([o('6920000000000000001', 1, (T - 60_000) / 1000), o('6920000000000000002', 1, (T - 50_000) / 1000)]), T);
    expect(placed).toMatchObject({ events: [], quarantined: [], ignored: 2 });
    expect(m.placedCount).toBe(2);
    const paid = valid(m.map(response([o('6920000000000000001', 3, (T - 30_000) / 1000)]), T));
    expect(paid.events).toEqual([{ ts: T - 30_000, type: 'order', orderId: '6920000000000000001', productId: '3691984502923623681', qty: 2, amountFen: 5_980, status: 'paid', amountFrom: 'catalog' }]);
    expect(m.placedCount).toBe(1);
    expect(m.pricedFromCatalog).toBe(1);
  });

  it('oba-live-tool words (已下单 / 已付款) read as placed / paid', () => {
    const m = new MerchantOrderMapper();
    expect(m.map(order({ order_id: 'w1', order_status: '已下单', pay_amt: 100 }), T)).toMatchObject({ events: [], ignored: 1 });
    expect(m.map(order({ order_id: 'w1', order_status: '已付款', pay_amt: 100 }), T).events).toMatchObject([{ type: 'order', status: 'paid', amountFen: 100 }]);
  });
});
