/**
 * Door "source: 巨量千川": whatever a 千川 answer holds — rows as the SDK models have them with
 * fields mutated to wrong types, huge or negative numbers, missing ids, 64-bit ids beyond 2^53 —
 * the readers never throw and never guess an id, and the mapper turns any sequence of polls into
 * events FEED-PROTOCOL accepts, never counting a figure twice.
 */
import { describe, it } from 'vitest';
import { readPlan, readProduct, readRoom, readUniPlan, type PlanRow, type ProductRow, type RoomRow } from '../../electron/core/platforms/qianchuan/read.ts';
import { MAX_ORDER_LINES_PER_POLL, QianchuanMapper, type Snapshot } from '../../electron/core/platforms/qianchuan/mapper.ts';
import { validateEvent, ROOM_WIDE_PRODUCT } from '../../shared/protocol.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';
import { hostileValue, mutated } from '../helpers/hostile.ts';

const DOOR = 'source: qianchuan';
const bigId = fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }).map((b) => b.toString());
const id = fc.oneof(bigId, fc.integer({ min: 1, max: 2 ** 40 }));
const yuan = fc.double({ min: 0, max: 1e7, noNaN: true });
const count = fc.integer({ min: 0, max: 1e9 });

const roomRaw = fc.record({
  room_id: id,
  room_title: fc.string(),
  room_status: fc.constantFrom('LIVING', 'FINISH', 'PAUSE', 'PREPARE', 'UNKNOWN', 'WHAT'),
  start_time: fc.constantFrom('2026-12-06 20:00:00', '', 'nonsense', '2026-13-40 99:99:99'),
  stat_cost: yuan,
  total_live_watch_cnt: count,
  live_click_product_count_alias: count,
  live_pay_order_count_alias: count,
  live_pay_order_gmv_alias: yuan,
});
// Order counts mostly plausible, sometimes absurd (a broken answer): the mapper must not make one event per absurd order.
const orderCount = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 500 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1e9 }) });
const productRaw = fc.record({ productId: id, title: fc.string(), live_product_price: yuan, live_product_Inventory: count, explain_status: fc.constantFrom('BEINGEXPLAIN', 'HASEXPLAIN', 'UNEXPLAIN', 'X'), live_pay_order_count_alias: orderCount, live_pay_order_gmv_alias: yuan });
const planRaw = fc.record({ ad_id: id, name: fc.string(), status: fc.string(), opt_status: fc.string(), delivery_setting: fc.record({ budget: yuan, cpa_bid: yuan, roi_goal: fc.double({ min: -5, max: 5000, noNaN: true }), budget_mode: fc.string() }) });

describe('the 千川 door', () => {
  it('reads any row without throwing, and an id only when it is one', () => {
    checkDoor(
      DOOR,
      'rows',
      fc.property(fc.oneof(mutated(roomRaw), mutated(productRaw), mutated(planRaw), hostileValue), (raw) => {
        for (const read of [readRoom, readProduct, readPlan, (r: unknown) => readUniPlan(r, '1')]) {
          const row = read(raw);
          if (typeof row === 'string') continue;
          if (!/^\d{1,30}$/.test(row.id)) throw new Error(`an id that is not one: ${row.id}`);
        }
      }),
    );
  });

  it('keeps 64-bit ids exact', () => {
    checkDoor(
      DOOR,
      'big ids',
      fc.property(bigId, (big) => {
        const r = readRoom({ room_id: big, room_status: 'LIVING' });
        if (typeof r === 'string' || r.roomId !== big) throw new Error(`room id ${big} read as ${JSON.stringify(r)}`);
      }),
    );
  });

  it('maps any sequence of polls into valid events, clicks never counted twice', () => {
    const rowOf = <T,>(read: (x: unknown) => (T & { id: string }) | string) => (x: unknown): T[] => {
      const r = read(x);
      return typeof r === 'string' ? [] : [r];
    };
    const poll = fc.record({
      room: fc.option(roomRaw.map(rowOf<RoomRow>(readRoom)).map((x) => x[0] ?? null), { nil: null }),
      products: fc.option(fc.array(productRaw.map(rowOf<ProductRow>(readProduct)), { maxLength: 3 }).map((xs) => xs.flat()), { nil: null }),
      plans: fc.option(fc.array(planRaw.map(rowOf<PlanRow>(readPlan)), { maxLength: 3 }).map((xs) => xs.flat()), { nil: null }),
      advance: fc.integer({ min: 0, max: 120_000 }),
    });
    checkDoor(
      DOOR,
      'polls',
      fc.property(fc.array(poll, { maxLength: 8 }), fc.boolean(), fc.boolean(), (polls, traffic, orders) => {
        const m = new QianchuanMapper({ traffic, orders, session: true });
        let at = Date.UTC(2026, 11, 6, 12, 30);
        let clicks = 0;
        for (const p of polls) {
          at += p.advance;
          const snap: Snapshot = { at, room: p.room ?? null, products: p.products, flow: null, plans: p.plans, planStats: null, uniPlans: null };
          const r = m.map(snap);
          if (r.events.length > 3 * MAX_ORDER_LINES_PER_POLL + 100) throw new Error(`${r.events.length} events from one poll`);
          for (const e of r.events) {
            const v = validateEvent({ ...e, seq: 1 });
            if (!v.ok) throw new Error(`invalid ${e.type}: ${v.reason}`);
            if (e.type === 'click' && e.productId === ROOM_WIDE_PRODUCT) clicks += e.n;
          }
        }
        // Clicks are differences of one room's counter: never more than the counter ever reached, summed over rooms followed.
        if (clicks > polls.reduce((s, p) => s + (p.room?.clickProductCnt ?? 0), 0)) throw new Error(`clicks ${clicks} beyond what was reported`);
      }),
    );
  });
});
