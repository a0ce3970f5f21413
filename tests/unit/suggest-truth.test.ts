/**
 * One truth on the suggestion panel (issue 15, point 2): a card's certainty is one chance worded
 * by one mapping, "switch to X" and the next-up card for X give the same chance, the others are
 * listed in the order of the ¥/min they show (a top pick below one of them says why), every rate
 * a reason quotes is the product board's, and a 秒杀 price is 80 % rounded to the 角, with its basis.
 */
import { describe, expect, it } from 'vitest';
import { SuggestionStabiliser, screenOrder } from '../../shared/suggest/stable.ts';
import { certaintyOf, switchChance, winChance } from '../../shared/suggest/certainty.ts';
import { bestConverter, boardFigures, vsRoomReasons, type BoardProduct } from '../../shared/suggest/board.ts';
import { flashOffer } from '../../shared/suggest/flash.ts';
import { renderReason } from '../../shared/suggest/reasons.ts';
import { formatRate } from '../../shared/format.ts';
import { SuggestionEngine } from '../../shared/suggest/engine.ts';
import type { EventBody } from '../../shared/protocol.ts';
import type { ProductEstimate, Suggestions } from '../../shared/suggest/types.ts';

function est(id: string, value: number, sd: number, over: Partial<ProductEstimate> = {}): ProductEstimate {
  return {
    productId: id, title: `商品${id}`, role: null, priceFen: 9900, valueFenPerMin: value, sdFenPerMin: sd, scoreFenPerMin: value + sd, ctr: 0.05, cvr: 0.05,
    freshness: 1, halfLifeMin: 8, pinnedExposures: 0, pinnedClicks: 0, pinnedOrders: 0, explainedMin: 0, restedMin: null, stock: 100, soldOut: false, reasons: [], ...over,
  };
}

function row(id: string, clicks: number, orders: number, exposures = clicks * 15): BoardProduct {
  return { productId: id, priceFen: 9900, exposures, clicks, ctr: exposures ? clicks / exposures : null, orders, clickToOrder: clicks ? orders / clicks : null, stock: 100 };
}

describe('certainty: one chance, one mapping to words', () => {
  it('words a chance the same way everywhere', () => {
    expect([0.99, 0.8, 0.79, 0.6, 0.59, 0.05].map(certaintyOf)).toEqual(['high', 'high', 'medium', 'medium', 'low', 'low']);
  });

  it('is the chance that one pick sells more per minute than the other, never certain, except leaving a sold-out product', () => {
    const a = { valueFenPerMin: 1_000, sdFenPerMin: 300 };
    const b = { valueFenPerMin: 600, sdFenPerMin: 400 };
    expect(winChance(a, b)).toBeCloseTo(0.788, 3); // z = 400 / 500 = 0.8
    expect(winChance(a, b) + winChance(b, a)).toBeCloseTo(1, 6);
    expect(winChance({ valueFenPerMin: 9e9, sdFenPerMin: 0 }, b)).toBe(0.99);
    expect(switchChance(a, { ...b, soldOut: true })).toBe(1);
  });
});

describe('the panel never contradicts itself', () => {
  const suggestions = (over: Partial<Suggestions> = {}): Suggestions => ({
    ts: 600_000, pinnedProductId: 'P', pinned: est('P', 1_500, 100), nextUp: [], switchNow: null, plays: [], exposuresPerMin: 1_000, ...over,
  });

  it('gives "switch to X" the chance of the X it names, not the engine\'s figure for another pick', () => {
    const st = new SuggestionStabiliser({ switchOnUpdates: 1, confirmUpdates: 3 });
    // V (¥60/min ± ¥37) is the shown top pick; the engine's own best becomes S, certain and dear.
    st.update(suggestions({ nextUp: [est('V', 6_000, 3_700), est('S', 5_000, 400)] }));
    const s = suggestions({
      nextUp: [est('S', 6_500, 400, { scoreFenPerMin: 7_000 }), est('V', 6_000, 3_700, { scoreFenPerMin: 6_800 })],
      switchNow: { productId: 'P', toProductId: 'S', confidence: 0.85, reasons: [{ code: 'explainedMin', min: 9 }] },
    });
    const v = st.update(s);
    expect(v.top?.productId).toBe('V');
    expect(v.switchNow?.toProductId).toBe('V');
    // One figure for one claim: the switch card and the next-up card say the same.
    expect(v.switchNow?.confidence).toBe(v.topChance?.chance);
    expect(v.topChance).toMatchObject({ versus: { productId: 'P', pinned: true } });
    expect(v.switchNow?.confidence).toBeCloseTo(winChance(est('V', 6_000, 3_700), est('P', 1_500, 100)), 9);
    expect(v.switchNow?.confidence).not.toBe(0.85);
  });

  it('lists the others in the order of the ¥/min they show, and a top pick below one of them says why', () => {
    const top = est('U', 2_000, 5_000, { reasons: [{ code: 'exploring', valueFenPerMin: 2_000, scoreFenPerMin: 7_000 }, { code: 'untested' }] });
    const list = screenOrder(top, [est('B', 3_000, 400), est('C', 6_486, 413), est('D', 4_000, 900)]);
    expect(list.map((e) => e.productId)).toEqual(['U', 'C', 'D', 'B']);
    // It takes the place of the exploring reason, which said the same less plainly.
    expect(list[0]!.reasons).toEqual([{ code: 'triedFirst', productId: 'C', title: '商品C', valueFenPerMin: 6_486, upperFenPerMin: 7_000 }, { code: 'untested' }]);
    expect(renderReason(list[0]!.reasons[0]!, 'zh-CN')).toBe('排在「商品C」（预计 ¥65/分钟）之前：它的数据还少，乐观可达 ¥70/分钟，值得先试');
    // Below the other even at its upside: kept on top only by the stabiliser, and it says that.
    const held = screenOrder(est('H', 2_000, 100), [est('C', 6_486, 413)]);
    expect(held[0]!.reasons[0]).toEqual({ code: 'heldTop', productId: 'C', title: '商品C', valueFenPerMin: 6_486 });
    expect(renderReason(held[0]!.reasons[0]!, 'zh-CN')).toBe('暂排在「商品C」（预计 ¥65/分钟）之前：建议不来回跳，「商品C」连续领先后再换上来');
    // A top pick that shows the most needs no excuse.
    expect(screenOrder(est('C', 7_000, 10), [est('B', 3_000, 400)])[0]!.reasons).toEqual([]);
  });

  it('keeps the order on screen as the view the core pushes: top first, then by value', () => {
    const st = new SuggestionStabiliser();
    const v = st.update(suggestions({ nextUp: [est('A', 3_000, 2_000, { scoreFenPerMin: 9_000 }), est('B', 2_000, 10, { scoreFenPerMin: 2_010 }), est('C', 4_000, 10, { scoreFenPerMin: 4_010 })] }));
    expect(v.nextUp.map((e) => e.productId)).toEqual(['A', 'C', 'B']);
    expect(v.top?.estimate.reasons[0]).toMatchObject({ code: 'triedFirst', productId: 'C' });
  });

  it('names no target rather than a dismissed pick when nothing else is left to switch to', () => {
    const st = new SuggestionStabiliser({ switchOnUpdates: 1 });
    const v = st.update(suggestions({ nextUp: [est('A', 3_000, 10)] }));
    st.dismiss(v.top!.id);
    const w = st.update(suggestions({ nextUp: [est('A', 3_000, 10)], switchNow: { productId: 'P', toProductId: 'A', confidence: 0.99, reasons: [] } }));
    expect(w.top).toBeNull();
    expect(w.switchNow?.toProductId).toBeNull();
  });
});

describe('reasons quote the board', () => {
  const board = boardFigures([row('hi', 100, 8), row('thin', 74, 2), row('lo', 200, 6)], { ctr: 0.05, clickToOrder: 0.04 });

  it('compares a product with the room on the board\'s own rates, once it has the clicks and orders to tell', () => {
    // hi: 100 clicks / 1,500 exposures = 6.67 % vs 5 % → +33 %; 8 / 100 = 8 % vs 4 % → +100 %
    expect(vsRoomReasons(board.products.get('hi'), board.room)).toEqual([{ code: 'ctrVsRoom', pct: 33 }, { code: 'cvrVsRoom', pct: 100 }]);
    // thin: 2 orders say nothing about its conversion
    expect(vsRoomReasons(board.products.get('thin'), board.room).map((r) => r.code)).toEqual(['ctrVsRoom']);
    expect(vsRoomReasons(row('new', 10, 3), board.room)).toEqual([]);
  });

  it('calls the best converter the one with the board\'s highest click→order rate and enough orders, quoting that rate', () => {
    const best = bestConverter(board, () => true)!;
    expect(best.productId).toBe('hi');
    expect(best.reason).toEqual({ code: 'bestConverter', cvrPct: 8, rate: 0.08, orders: 8 });
    expect(renderReason(best.reason, 'zh-CN')).toBe(`点击成交转化率最高（${formatRate(0.08)}，8 单）`);
    expect(bestConverter(board, (id) => id !== 'hi')?.productId).toBe('lo');
    expect(bestConverter(boardFigures([row('thin', 74, 2)], null), () => true)).toBeNull();
  });

  it('has the engine name the board\'s best converter when the room surges (not a dear product on 2 orders)', () => {
    const engine = new SuggestionEngine();
    const push = (e: EventBody) => engine.observe(e);
    push({ type: 'session', ts: 0, status: 'live', startedAt: 0 });
    push({ type: 'catalog', ts: 0, products: [{ id: 'dear', title: '吸尘器', priceFen: 129_900, stock: 100 }, { id: 'conv', title: '面膜', priceFen: 5_900, stock: 500 }] });
    push({ type: 'pin', ts: 0, productId: 'dear' });
    // Ten quiet minutes, then one with three times the entries.
    for (let m = 0; m < 12; m++) push({ type: 'enter', ts: m * 60_000 + 1_000, n: m === 11 ? 300 : 100 });
    const s = engine.suggest(12 * 60_000 + 5_000, boardFigures([row('dear', 74, 2), row('conv', 120, 9)], { ctr: 0.06, clickToOrder: 0.05 }));
    const surge = s.plays.find((p) => p.kind === 'surge');
    expect(surge?.productId).toBe('conv');
    expect(surge?.reasons[1]).toEqual({ code: 'bestConverter', cvrPct: 7.5, rate: 0.075, orders: 9 });
  });
});

describe('the 秒杀 price', () => {
  it('is 80 % of the price rounded to the nearest 角, with its basis', () => {
    expect(flashOffer({ priceFen: 3_990, stock: 120, soldOut: false })).toEqual({ priceFen: 3_190, stock: 12, listPriceFen: 3_990, share: 0.8 });
    expect(flashOffer({ priceFen: 9_900, stock: null, soldOut: false })).toMatchObject({ priceFen: 7_920, stock: 50 });
    expect(flashOffer({ priceFen: 5, stock: 3, soldOut: false })).toMatchObject({ priceFen: 4, stock: 1 });
    expect(flashOffer({ priceFen: 3_990, stock: 0, soldOut: true })).toBeNull();
  });
});
