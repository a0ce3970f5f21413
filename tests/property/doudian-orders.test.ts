/**
 * Door "source: doudian orders": shop-order lists as `order.searchList` / `order.orderDetail` send
 * them (the SDK models; int64 ids as bare JSON numbers beyond 2^53, ids one apart that a plain
 * JSON.parse would merge), read losslessly and mapped for one room — beside wrong types, huge
 * numbers, missing fields, deep nesting and pure garbage.
 */
import { describe, expect, it } from 'vitest';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import { DoudianOrderMapper } from '../../electron/core/platforms/doudian/orders.ts';
import { emptyResult, quarantine, type MapResult, type SourceEvent } from '../../electron/core/sources/common.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileNumber, hostileString, hostileValue, mutated } from '../helpers/hostile.ts';
import { breathe, doorTimeout, feedAll, T0, withAndWithoutGarbage, type DoorMapper } from '../helpers/source-doors.ts';
import { Bare, jsonWithBare } from '../helpers/upstream.ts';

const DOOR = 'source: doudian orders';
const ROOM = '7312345678901234567';
const OTHER = '7312345678901234568';
const PAY = Math.floor(T0 / 1000) - 120;

/** What the source does with an answer's text: the lossless reader, then the mapper. */
class ListDoor implements DoorMapper<unknown> {
  private readonly m = new DoudianOrderMapper();
  map(frame: unknown, t: number): MapResult {
    let parsed = frame;
    if (typeof frame === 'string') {
      try {
        parsed = parseApiJson(frame);
      } catch {
        const r = emptyResult();
        r.quarantined.push(quarantine('doudian: answer is not JSON', frame));
        return r;
      }
    }
    return this.m.map(parsed, ROOM, t);
  }
  tick(): MapResult {
    return emptyResult();
  }
}

const afterSale = fc.record({ after_sale_status: fc.constantFrom(0, 6, 7, 12, 27, 28, 51, 53), after_sale_type: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7), refund_status: fc.constantFrom(0, 1, 3, 4) });
const sku = fc.record({
  room: fc.constantFrom(ROOM, ROOM, OTHER, '0'),
  theme_type: fc.constantFrom('1', '1', '1', '0'),
  order_status: fc.constantFrom(1, 2, 3, 4, 5, 101, 105),
  paid: fc.boolean(),
  product: fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }).map(String),
  item_num: fc.integer({ min: 1, max: 50 }),
  pay_amount: fc.nat(10_000_000),
  after_sale_info: afterSale,
  roomIdAs: fc.constantFrom('both', 'str', 'bare'),
});
type Sku = typeof sku extends fc.Arbitrary<infer S> ? S : never;

/** The SKU order as the API writes it; `id` 19 digits. */
function skuJson(s: Sku, id: string, parent: string): Record<string, unknown> {
  return {
    order_id: id,
    parent_order_id: parent,
    order_status: s.order_status,
    pay_time: s.paid ? PAY : 0,
    create_time: PAY - 20,
    update_time: PAY + 10,
    product_id: new Bare(s.product),
    product_id_str: s.product,
    item_num: s.item_num,
    pay_amount: s.pay_amount,
    theme_type: s.theme_type,
    room_id: new Bare(s.roomIdAs === 'str' ? '0' : s.room),
    room_id_str: s.roomIdAs === 'bare' ? '' : s.room,
    author_id: new Bare('98765432109'),
    ad_env_type: 'live',
    c_biz: 8,
    after_sale_info: s.after_sale_info,
  };
}

/** What the mapping rules say a valid SKU order yields. */
function expected(s: Sku, id: string): string[] {
  if (s.room !== ROOM || s.theme_type !== '1' || !s.paid || s.order_status === 1) return [];
  const a = s.after_sale_info;
  const refund = s.order_status === 4 || (![3, 6, 7].includes(a.after_sale_type) && (a.refund_status === 3 || a.after_sale_status === 12));
  return refund ? [`${id}|paid`, `${id}|refunded`] : [`${id}|paid`];
}

const list = (skus: Sku[][], id: (o: number, k: number) => string): string =>
  jsonWithBare(skus.map((ss, o) => ({ order_id: id(o, 9), shop_id: new Bare('4463798'), order_status: 2, pay_time: PAY, update_time: PAY + 10, doudian_open_id: '1@#x', sku_order_list: ss.map((s, k) => skuJson(s, id(o, k), id(o, 9))) })));

const garbageSku = fc.record({ order_id: hostileValue, item_num: hostileValue, pay_amount: fc.oneof(hostileNumber, hostileValue), pay_time: hostileValue, product_id: hostileValue, product_id_str: hostileValue, order_status: hostileValue, after_sale_info: hostileValue, room_id_str: fc.constant(ROOM), theme_type: fc.constant('1') });
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileValue },
  { weight: 2, arbitrary: fc.array(fc.record({ order_id: hostileValue, sku_order_list: fc.array(garbageSku, { maxLength: 3 }) }), { maxLength: 3 }) },
  { weight: 2, arbitrary: mutated(sku.map((s) => skuJson(s, '6930000000000000001', '6930000000000000000'))).map((m) => [{ order_id: '6930000000000000000', sku_order_list: [m] }]) },
  { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 5 }).map((skus) => [{ order_id: '1', sku_order_list: skus }]) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 50_000 }).map((d) => `[{"sku_order_list":${'['.repeat(d)}1${']'.repeat(d)}}]`) },
  // Amounts and ids far beyond 2^53, and out of range, as bare numbers.
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((b) => `[{"sku_order_list":[{"order_id":${b},"room_id":${ROOM},"room_id_str":"","theme_type":"1","product_id":${b},"item_num":1,"pay_amount":${b},"order_status":2,"pay_time":${PAY}}]}]`) },
);

describe('door: source: doudian orders', () => {
  it('garbage, mutated and valid lists mixed: never a throw, every event valid', async () => {
    const frame = fc.array(fc.array(sku, { minLength: 1, maxLength: 3 }), { maxLength: 4 }).map((skus) => list(skus, (o, k) => `69200000000000000${o}${k}`));
    await checkDoorAsync(DOOR, 'any lists', fc.asyncProperty(fc.array(fc.oneof(frame, garbage), { maxLength: 20 }), async (frames) => {
      await breathe();
      feedAll(new ListDoor(), frames);
    }), { scale: 2 });
  }, doorTimeout(2));

  it('valid lists beside garbage are mapped exactly, ids beyond 2^53 one apart stay distinct, and sent again produce nothing', async () => {
    const steps = fc.array(fc.tuple(fc.array(fc.array(sku, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), fc.array(garbage, { maxLength: 3 })), { minLength: 1, maxLength: 12 });
    await checkDoorAsync(DOOR, 'garbage changes nothing', fc.asyncProperty(steps, async (generated) => {
      await breathe();
      // Ids one apart (…0, …1, …2): a double cannot tell them apart.
      const id = (i: number) => (o: number, k: number) => `69200000000000${String(i).padStart(3, '0')}${o}${k}`;
      const frames = generated.map(([skus, g], i) => ({ valid: list(skus, id(i)), garbage: g }));
      const { clean, mixed, replayed } = withAndWithoutGarbage(() => new ListDoor(), frames);
      expect(mixed).toEqual(clean);
      expect(replayed).toEqual([]);
      const want = generated.flatMap(([skus], i) => skus.flatMap((ss, o) => ss.flatMap((s, k) => expected(s, id(i)(o, k)))));
      const got = mixed.filter((e): e is Extract<SourceEvent, { type: 'order' }> => e.type === 'order' && e.orderId.startsWith('69200000000000'));
      expect(got.map((e) => `${e.orderId}|${e.status}`).sort()).toEqual([...want].sort());
      for (const e of got) expect(e.productId).toMatch(/^\d{16,19}$/);
    }));
  }, doorTimeout());

  it('a broken room order is quarantined with a reason and changes no state', async () => {
    await checkDoorAsync(DOOR, 'quarantine reasons', fc.asyncProperty(fc.array(garbageSku, { minLength: 1, maxLength: 10 }), async (skus) => {
      await breathe();
      const m = new DoudianOrderMapper();
      const r = m.map([{ order_id: '1', sku_order_list: skus }], ROOM, T0);
      expect(r.events.length + r.quarantined.length + r.ignored + r.duplicates).toBeGreaterThanOrEqual(skus.length);
      for (const q of r.quarantined) expect(q.reason).toMatch(/^doudian: /);
      for (const e of r.events) expect(e).toMatchObject({ type: 'order' });
    }));
  }, doorTimeout());
});
