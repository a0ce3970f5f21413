/**
 * Door "source: merchant orders": lines of the merchant order file, parsed as the adapter parses
 * them (common.ts `parseJsonLossless`: Compass order ids may be bare 19-digit numbers) and mapped.
 * Valid lines are Compass `live_order_stream` orders (status 0/1 placed, 3 paid, no amount, or
 * with `pay_amt`), whole captured responses and click counts; beside mutated lines, pure garbage,
 * huge and deep values and absurd timestamps.
 */
import { describe, expect, it } from 'vitest';
import { emptyResult, parseJsonLossless, quarantine, type MapResult } from '../../electron/core/sources/common.ts';
import { MerchantOrderMapper } from '../../electron/core/sources/merchant-orders.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileString, hostileTs, hostileValue, mutated } from '../helpers/hostile.ts';
import { breathe, doorTimeout, feedAll, T0, withAndWithoutGarbage, type DoorMapper } from '../helpers/source-doors.ts';
import { Bare, jsonWithBare } from '../helpers/upstream.ts';

const DOOR = 'source: merchant orders';
const PRICES: Record<string, number> = { '3691984502923623681': 2990, p2: 12_900 };

class LineDoor implements DoorMapper<unknown> {
  private readonly m = new MerchantOrderMapper({ priceOf: (id) => (Object.hasOwn(PRICES, id) ? PRICES[id] : undefined) });
  map(line: unknown, t: number): MapResult {
    let parsed = line;
    if (typeof line === 'string') {
      try {
        parsed = parseJsonLossless(line);
      } catch {
        const r = emptyResult();
        r.quarantined.push(quarantine('merchant: line is not JSON', line));
        return r;
      }
    }
    return this.m.map(parsed, t);
  }
  tick(): MapResult {
    return emptyResult();
  }
}

const orderTs = fc.oneof(fc.integer({ min: (T0 - 3_600_000) / 1000, max: T0 / 1000 }), fc.constant('2024-07-03 17:46:40'), hostileTs);
const order = fc.record(
  {
    item_num: fc.integer({ min: 1, max: 20 }),
    nick_name: fc.constantFrom('张**', '李**'),
    order_status: fc.constantFrom(0, 1, 3, 3, '已下单', '已付款'),
    order_ts: orderTs,
    product_id: fc.constantFrom('3691984502923623681', 'p2', 'unpriced'),
    product_title: fc.string({ maxLength: 10 }),
    pay_amt: fc.nat(1_000_000),
  },
  { requiredKeys: ['item_num', 'order_status', 'product_id'] },
);
const line = fc.oneof(
  { weight: 4, arbitrary: order.map((o) => ({ kind: 'order' as const, o })) },
  { weight: 1, arbitrary: fc.array(order, { maxLength: 4 }).map((os) => ({ kind: 'response' as const, os })) },
  { weight: 1, arbitrary: fc.record({ product_id: fc.constantFrom('p1', 'p2'), product_click_cnt: fc.nat(1e6), ts: orderTs }).map((c) => ({ kind: 'clicks' as const, c })) },
);
type Line = typeof line extends fc.Arbitrary<infer L> ? L : never;

/** The line's text, order ids bare 19-digit numbers from `id`. */
function text(l: Line, id: (k: number) => string): string {
  if (l.kind === 'order') return jsonWithBare({ order_id: new Bare(id(0)), ...l.o });
  if (l.kind === 'response') return jsonWithBare({ data: l.os.map((o, k) => ({ order_id: new Bare(id(k)), ...o })), msg: '' });
  return JSON.stringify(l.c);
}

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileValue },
  { weight: 2, arbitrary: mutated(order.map((o) => ({ order_id: 'garbage-1', ...o }))) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.integer({ min: 1001, max: 5000 }).map((n) => ({ data: new Array<unknown>(n).fill({ order_id: 1, order_status: 3 }), msg: '' })) },
  { weight: 1, arbitrary: fc.record({ order_id: hostileValue, order_status: hostileValue, item_num: hostileValue, pay_amt: hostileValue, product_id: hostileValue, order_ts: hostileTs }) },
);

describe('door: source: merchant orders', () => {
  it('garbage, mutated and valid lines mixed: never a throw, every event valid', async () => {
    await checkDoorAsync(DOOR, 'any lines', fc.asyncProperty(fc.array(fc.oneof(line.map((l) => text(l, () => '6920000000000000001')), garbage), { maxLength: 25 }), async (lines) => {
      await breathe();
      feedAll(new LineDoor(), lines);
    }), { scale: 2 });
  }, doorTimeout(2));

  it('valid lines beside garbage are mapped exactly; placed orders are never GMV; a refused line changes no state', async () => {
    await checkDoorAsync(DOOR, 'garbage changes nothing', fc.asyncProperty(fc.array(fc.tuple(line, fc.array(garbage, { maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 15 }), async (steps) => {
      await breathe();
      // Order ids one apart beyond 2^53: a plain JSON.parse would merge them.
      const frames = steps.map(([l, g, twin], i) => {
        const id = (k: number) => `69200000000000${String(i).padStart(3, '0')}${k}0`;
        // A broken paid twin of the order first (item_num 0): refusing it must not mark the order counted.
        const broken = twin && l.kind === 'order' ? [jsonWithBare({ order_id: new Bare(id(0)), ...l.o, order_status: 3, item_num: 0 })] : [];
        return { valid: text(l, id), garbage: [...g, ...broken] };
      });
      const { clean, mixed } = withAndWithoutGarbage(() => new LineDoor(), frames);
      expect(mixed).toEqual(clean);
      const orders = mixed.filter((e) => e.type === 'order');
      for (const o of orders) expect(o).toMatchObject({ status: 'paid' });
      // Every paid order with an amount or a known price is counted once.
      const expected = new Set<string>();
      steps.forEach(([l], i) => {
        const os = l.kind === 'order' ? [l.o] : l.kind === 'response' ? l.os : [];
        os.forEach((o, k) => {
          const paid = o.order_status === 3 || o.order_status === '已付款';
          if (paid && (o.pay_amt !== undefined || Object.hasOwn(PRICES, o.product_id))) expected.add(`69200000000000${String(i).padStart(3, '0')}${l.kind === 'order' ? 0 : k}0`);
        });
      });
      const ofValidLines = orders.map((o) => (o as { orderId: string }).orderId).filter((id) => id.startsWith('69200000000000'));
      expect(ofValidLines.length).toBe(expected.size);
      expect(new Set(ofValidLines)).toEqual(expected);
    }));
  }, doorTimeout());
});
