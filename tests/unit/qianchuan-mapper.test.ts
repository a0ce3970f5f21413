import { describe, expect, it } from 'vitest';
import { QianchuanMapper, type Snapshot } from '../../electron/core/platforms/qianchuan/mapper.ts';
import type { PlanRow, ProductRow, RoomRow } from '../../electron/core/platforms/qianchuan/read.ts';
import { checkUniCostUnit, chinaTimeToMs, msToChinaTime, uniCostToFen, yuanToFen } from '../../electron/core/platforms/qianchuan/units.ts';
import { validateEvent, ROOM_WIDE_PRODUCT } from '../../shared/protocol.ts';

const START = Date.UTC(2026, 11, 6, 12, 0, 0); // 20:00 in China
const ROOM = '7312345678901234567';

function room(over: Partial<RoomRow> = {}): RoomRow {
  return {
    roomId: ROOM,
    title: '双十二专场',
    status: 'LIVING',
    startedAt: START,
    endedAt: undefined,
    statCost: 0,
    watchCnt: 0,
    clickProductCnt: 0,
    payOrderCnt: 0,
    payOrderGmv: 0,
    lubanPayOrderGmv: 0,
    lubanPayOrderCnt: 0,
    commentCnt: 0,
    shareCnt: 0,
    followCnt: 0,
    fansClubJoinCnt: 0,
    ...over,
  };
}

function product(id: string, over: Partial<ProductRow> = {}): ProductRow {
  return { productId: id, title: `商品${id}`, price: 99.9, stock: 100, explain: 'UNEXPLAIN', payOrderCnt: 0, payOrderGmv: 0, cost: 0, ...over };
}

const plan: PlanRow = { planId: '1790000000000000001', kind: 'standard', name: '直播间成交-主推', status: 'DELIVERY_OK', optStatus: 'ENABLE', budget: 3000, budgetMode: 'BUDGET_MODE_DAY', bid: 25.5, roiGoal: undefined, smartBidType: 'SMART_BID_CUSTOM' };

function snap(at: number, over: Partial<Snapshot> = {}): Snapshot {
  return { at, room: room(), products: [product('11'), product('12')], flow: null, plans: [plan], planStats: [{ planId: plan.planId, cost: 0, gmv: 0, orders: 0, impressions: 0, clicks: 0 }], uniPlans: null, ...over };
}

const roles = { traffic: true, orders: true, session: true };

describe('the 千川 mapper', () => {
  it('opens the show at the platform start time and labels differenced figures', () => {
    const m = new QianchuanMapper(roles);
    const first = m.map(snap(START + 60_000));
    expect(first.events[0]).toMatchObject({ type: 'session', status: 'live', startedAt: START, ts: START, title: '双十二专场' });
    expect(m.liveRoomId).toBe(ROOM);
    const second = m.map(snap(START + 90_000, { room: room({ clickProductCnt: 40, watchCnt: 500 }) }));
    const click = second.events.find((e) => e.type === 'click');
    expect(click).toMatchObject({ productId: ROOM_WIDE_PRODUCT, n: 40, ts: START + 90_000, basis: 'polled' });
    expect(second.events.find((e) => e.type === 'viewers')).toMatchObject({ pv: 500 });
    expect(second.events.find((e) => e.type === 'enter')).toMatchObject({ n: 500 });
    for (const e of [...first.events, ...second.events]) expect(validateEvent({ ...e, seq: 1 }).ok, JSON.stringify(e)).toBe(true);
  });

  it('names differenced orders by their rank, so a re-read after a restart names the same orders', () => {
    const a = new QianchuanMapper(roles);
    a.map(snap(START + 1000));
    const r1 = a.map(snap(START + 31_000, { products: [product('11', { payOrderCnt: 3, payOrderGmv: 299.7 }), product('12')] }));
    const orders1 = r1.events.filter((e) => e.type === 'order');
    expect(orders1.map((o) => (o as { orderId: string }).orderId)).toEqual([`qc-${ROOM}-11-1`, `qc-${ROOM}-11-2`, `qc-${ROOM}-11-3`]);
    expect(orders1.reduce((s, o) => s + (o as { amountFen: number }).amountFen, 0)).toBe(29970);
    // A new mapper (the app restarted) reading the same totals names the same three orders.
    const b = new QianchuanMapper(roles);
    const r2 = b.map(snap(START + 61_000, { products: [product('11', { payOrderCnt: 3, payOrderGmv: 299.7 }), product('12')] }));
    expect(r2.events.filter((e) => e.type === 'order').map((o) => (o as { orderId: string }).orderId)).toEqual(orders1.map((o) => (o as { orderId: string }).orderId));
  });

  it('leaves orders to 抖店 and traffic to a viewer stream when the room has them', () => {
    const m = new QianchuanMapper({ traffic: false, orders: false, session: false });
    m.map(snap(START + 1000));
    const r = m.map(snap(START + 31_000, { room: room({ watchCnt: 900, clickProductCnt: 10, followCnt: 5 }), products: [product('11', { payOrderCnt: 2, payOrderGmv: 100 })] }));
    const types = new Set(r.events.map((e) => e.type));
    expect(types.has('order')).toBe(false);
    expect(types.has('enter')).toBe(false);
    expect(types.has('viewers')).toBe(false);
    expect(types.has('follow')).toBe(false);
    expect(types.has('session')).toBe(false);
    expect(types.has('click')).toBe(true);
    expect(types.has('ad')).toBe(true);
  });

  it('follows the product being explained and stock', () => {
    const m = new QianchuanMapper(roles);
    const r1 = m.map(snap(START + 1000, { products: [product('11', { explain: 'BEINGEXPLAIN' }), product('12')] }));
    expect(r1.events.find((e) => e.type === 'catalog')).toBeTruthy();
    expect(r1.events.find((e) => e.type === 'pin')).toMatchObject({ productId: '11' });
    const r2 = m.map(snap(START + 31_000, { products: [product('11', { explain: 'HASEXPLAIN', stock: 0 }), product('12', { explain: 'BEINGEXPLAIN' })] }));
    expect(r2.events.find((e) => e.type === 'pin')).toMatchObject({ productId: '12' });
    expect(r2.events.find((e) => e.type === 'product')).toMatchObject({ productId: '11', stock: 0, soldOut: true });
    const r3 = m.map(snap(START + 61_000, { products: [product('11', { explain: 'HASEXPLAIN', stock: 0 }), product('12', { explain: 'HASEXPLAIN' })] }));
    expect(r3.events.find((e) => e.type === 'pin')).toMatchObject({ productId: null });
  });

  it("reports each plan's settings and its spend in this show", () => {
    const m = new QianchuanMapper(roles);
    // Caught at the start: what the plan spent earlier today is set aside.
    m.map(snap(START + 60_000, { planStats: [{ planId: plan.planId, cost: 120, gmv: 300, orders: 2, impressions: 1000, clicks: 20 }] }));
    const r = m.map(snap(START + 120_000, { planStats: [{ planId: plan.planId, cost: 170.55, gmv: 800, orders: 6, impressions: 3000, clicks: 50 }] }));
    expect(r.events.find((e) => e.type === 'ad')).toMatchObject({ planId: plan.planId, spendFen: 5055, gmvFen: 50000, orders: 4, name: '直播间成交-主推', status: 'delivering', dailyBudgetFen: 300000, bidFen: 2550 });
  });

  it('ends the show when the platform says the room finished', () => {
    const m = new QianchuanMapper(roles);
    m.map(snap(START + 1000));
    const end = START + 3 * 3600_000;
    const r = m.map(snap(end + 30_000, { room: room({ status: 'FINISH', endedAt: end }) }));
    expect(r.events.at(-1)).toMatchObject({ type: 'session', status: 'ended', ts: end });
    expect(m.liveRoomId).toBeNull();
    // A finished room is not reopened by a later poll.
    expect(m.map(snap(end + 60_000, { room: room({ status: 'FINISH', endedAt: end }) })).events).toEqual([]);
  });

  it('never counts a figure twice when the platform revises it down and back up', () => {
    const m = new QianchuanMapper(roles);
    m.map(snap(START + 1000));
    const clicks = [100, 95, 100, 130].map((c, i) => m.map(snap(START + 31_000 * (i + 1), { room: room({ clickProductCnt: c }) })).events.filter((e) => e.type === 'click').reduce((s, e) => s + (e as { n: number }).n, 0));
    expect(clicks.reduce((a, b) => a + b, 0)).toBe(130);
  });
});

describe('千川 units', () => {
  it('turns 元 into integer fen without float noise', () => {
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen(170.55)).toBe(17055);
    expect(yuanToFen(-1)).toBeUndefined();
    expect(yuanToFen('12')).toBeUndefined();
    expect(uniCostToFen(12_345_000, '1e-5')).toBe(12345);
  });
  it('reads China time', () => {
    expect(chinaTimeToMs('2026-12-06 20:00:00')).toBe(START);
    expect(msToChinaTime(START)).toBe('2026-12-06 20:00:00');
    expect(chinaTimeToMs('2026-12-06T20:00')).toBeUndefined();
  });
  it('decides the 全域 cost unit from the figures, or as pinned', () => {
    expect(checkUniCostUnit(50_000_000, 600, undefined)).toMatchObject({ unit: '1e-5', basis: 'consistent' });
    expect(checkUniCostUnit(500, 600, undefined)).toMatchObject({ unit: 'yuan', basis: 'consistent' });
    expect(checkUniCostUnit(500, undefined, undefined)).toMatchObject({ unit: 'yuan', basis: 'undecided' });
    expect(checkUniCostUnit(50_000_000, 600, 'yuan')).toMatchObject({ unit: 'yuan', basis: 'pinned' });
  });
});
