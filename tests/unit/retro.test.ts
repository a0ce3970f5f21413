/** The retrospective's pure analysis (shared/retro), each figure worked out by hand. */
import { describe, expect, it } from 'vitest';
import { buildHeadline, targetStatus } from '../../shared/retro/headline.ts';
import { buildScorecard } from '../../shared/retro/scorecard.ts';
import { buildDemand, buildFunnel, buildTrafficMix } from '../../shared/retro/funnel.ts';
import { buildReview } from '../../shared/retro/review.ts';
import { CompareCurrencyError, compareSessions } from '../../shared/retro/compare.ts';
import { collectExtras } from '../../shared/retro/extras.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../../shared/metrics/types.ts';
import type { Decision } from '../../shared/suggest/live.ts';
import type { KnownFeedEvent } from '../../shared/protocol.ts';

const T0 = 1_700_000_000_000;

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    durationSec: 600, peakOnline: 100, avgOnline: 80, uv: 1000, pv: 2000, avgWatchSec: 60, gmvFen: 100_000, refundFen: 0, orders: 20, items: 20, buyers: 18,
    gpm: 500, uvValue: 1, itemPrice: 50, orderValue: 50, exposures: 4000, clicks: 200, ctr: 0.05, clickToOrder: 0.1, viewToOrder: 0.01, viewToBuyer: 0.018,
    newFollowers: 30, followRate: 0.03, fansclubJoins: 5, comments: 100, likes: 500, shares: 10, giftFen: 0, adSpendFen: 20_000, adGmvFen: 40_000, roi: 5, adRoi: 2,
    breakEvenRoi: null, entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: null, ...over,
  };
}

function minute(m: number, over: Partial<MinuteRow> = {}): MinuteRow {
  return {
    minute: m, ts: T0 + m * 60_000, onlineAvg: 100, onlineMax: 100, onlineEnd: 100, enters: 10, likes: 0, comments: 0, follows: 0, shares: 0, fansclub: 0, giftFen: 0,
    exposures: 0, clicks: 0, orders: 0, items: 0, gmvFen: 0, refundFen: 0, adSpendFen: 0, pinnedProductId: 'a', ctr: null, gpm: null, ...over,
  };
}

function seg(productId: string, startMin: number, endMin: number, over: Partial<SegmentRow> = {}): SegmentRow {
  return {
    productId, startTs: T0 + startMin * 60_000, endTs: T0 + endMin * 60_000, durationSec: (endMin - startMin) * 60, exposures: 0, clicks: 0, ctr: null, orders: 0, gmvFen: 0,
    clickToOrder: null, enters: 0, gpm: null, onlineStart: null, onlineEnd: null, ...over,
  };
}

const product = (id: string, title: string): ProductRow => ({
  productId: id, title, role: 'hero', priceFen: 1000, exposures: 0, clicks: 0, ctr: null, orders: 0, items: 0, gmvFen: 0, clickToOrder: null, pins: 0, pinnedSec: 0,
  gmvPerPinnedMin: null, productGpm: null, stock: null, soldOut: false,
});

function decision(over: Partial<Decision>): Decision {
  return { suggestionId: 's1', sessionId: 'x', roomId: 'r', ts: T0, at: T0, kind: 'next-up', productId: 'a', action: 'shown', figures: {}, reasons: [], byName: null, byRole: null, reason: null, command: null, ...over };
}

describe('headline (R2)', () => {
  it('judges against targets with the tolerance, and ranks among the previous shows', () => {
    expect(targetStatus(0.04, 0.04, 0.1)).toBe('met');
    expect(targetStatus(0.037, 0.04, 0.1)).toBe('near'); // 0.037 ≥ 0.036
    expect(targetStatus(0.035, 0.04, 0.1)).toBe('below');
    const prev = [
      { sessionId: 'p1', startedAt: T0 - 1e6, title: 'p1', kpis: kpis({ gmvFen: 80_000, ctr: 0.06 }) },
      { sessionId: 'p2', startedAt: T0 - 2e6, title: 'p2', kpis: kpis({ gmvFen: 120_000, ctr: 0.07 }) },
      { sessionId: 'p3', startedAt: T0 - 3e6, title: 'p3', kpis: kpis({ gmvFen: 60_000, ctr: 0.08 }) },
    ];
    const h = buildHeadline(kpis({ ctr: 0.035 }), { ...DEFAULT_TARGETS, gmvFen: 200_000 }, prev);
    const gmv = h.items.find((i) => i.key === 'gmvFen')!;
    // mean of 80k, 120k, 60k = 86,666.67; 100k / 86,666.67 − 1 = 0.153846…
    expect(gmv.previous.mean).toBeCloseTo(86_666.667, 2);
    expect(gmv.previous.changeVsMean).toBeCloseTo(0.153846, 5);
    expect(gmv.previous.changeVsLast).toBeCloseTo(0.25, 10); // vs p1 (newest): 100/80 − 1
    expect(gmv.previous).toMatchObject({ n: 3, rank: 2, of: 4 }); // only 120k is higher
    expect(gmv).toMatchObject({ target: 200_000, vsTarget: -0.5, targetStatus: 'below' });
    const ctr = h.items.find((i) => i.key === 'ctr')!;
    expect(ctr).toMatchObject({ target: 0.04, targetStatus: 'below' });
    expect(ctr.previous).toMatchObject({ rank: 4, of: 4 }); // the worst of four
    // Missed targets first: GMV is 50 % short (weight 100 + 0.5·100·3), CTR 12.5 % (100 + 0.125·100·2).
    expect(h.callouts[0]).toMatchObject({ key: 'gmvFen', kind: 'target-missed' });
    expect(h.callouts[0]!.zh).toBe('成交金额 ¥1,000，低于目标 ¥2,000（差 50.0%）');
    expect(h.callouts[1]).toMatchObject({ key: 'ctr', kind: 'target-missed' });
    expect(h.callouts.length).toBeLessThanOrEqual(5);
    expect(h.previousSessions.map((p) => p.sessionId)).toEqual(['p1', 'p2', 'p3']);
    // Without earlier shows nothing is ranked against them.
    const alone = buildHeadline(kpis(), DEFAULT_TARGETS, []).items.find((i) => i.key === 'gmvFen')!;
    expect(alone.previous).toMatchObject({ n: 0, mean: null, changeVsMean: null, rank: 1, of: 1 });
  });
});

describe('segment scorecard (R4)', () => {
  // Three segments: a 4-minute one of A (¥400), 2 minutes of B (¥60), 2 more of A (¥200); then
  // minutes 8–9 with nothing explained while online falls 100 → 80 → 60.
  const segments = [
    seg('a', 0, 4, { gmvFen: 40_000, enters: 100, exposures: 1000, clicks: 50, orders: 5, ctr: 0.05, clickToOrder: 0.1, gpm: 4000 }),
    seg('b', 4, 6, { gmvFen: 6_000, enters: 50, exposures: 500, clicks: 10, orders: 1, ctr: 0.02, clickToOrder: 0.1, gpm: 1200 }),
    seg('a', 6, 8, { gmvFen: 20_000, enters: 50, exposures: 500, clicks: 40, orders: 4, ctr: 0.08, clickToOrder: 0.1, gpm: 4000, onlineStart: 100, onlineEnd: 100 }),
  ];
  const minutes = [
    ...[0, 1, 2, 3].map((m) => minute(m, { pinnedProductId: 'a', gmvFen: 10_000 })),
    ...[4, 5].map((m) => minute(m, { pinnedProductId: 'b', gmvFen: 3_000 })),
    ...[6, 7].map((m) => minute(m, { pinnedProductId: 'a', gmvFen: 10_000 })),
    minute(8, { pinnedProductId: null, onlineEnd: 80 }),
    minute(9, { pinnedProductId: null, onlineEnd: 60 }),
  ];
  const decisions = [
    decision({ suggestionId: 's1', ts: T0 + 6 * 60_000 - 20_000, action: 'shown', productId: 'a' }),
    decision({ suggestionId: 's1', ts: T0 + 6 * 60_000 - 10_000, action: 'accepted', productId: 'a', command: { type: 'pin', productId: 'a' } }),
    decision({ suggestionId: 's0', ts: T0 + 4 * 60_000 - 30_000, action: 'shown', productId: 'a' }),
  ];
  const sc = buildScorecard({ startedAt: T0, minutes, segments, products: [product('a', '面膜'), product('b', '唇釉')], decisions, alerts: [], markers: [], adActions: [], traffic: [] });

  it('measures each segment against the room while explaining and against its product', () => {
    // Baseline: ¥660 over 8 minutes = ¥82.5/min; GPM 660 / 200 entries × 1000 = 3300; CTR 100/2000; C→O 10/100.
    expect(sc.baseline.gmvPerMin).toBeCloseTo(82.5, 10);
    expect(sc.baseline.gpm).toBeCloseTo(3300, 10);
    expect(sc.baseline.ctr).toBeCloseTo(0.05, 10);
    expect(sc.baseline.clickToOrder).toBeCloseTo(0.1, 10);
    const [s1, s2, s3] = sc.segments;
    expect(s1!.gmvPerMin).toBeCloseTo(100, 10); // ¥400 / 4 min
    expect(s1!.vsRoom.gmvPerMin).toBeCloseTo(100 / 82.5 - 1, 10);
    // A's other segment: ¥200 in 2 min = ¥100/min → 0; CTR 0.05 vs 40/500 = 0.08 → −37.5 %.
    expect(s1!.vsProduct!.gmvPerMin).toBeCloseTo(0, 10);
    expect(s1!.vsProduct!.ctr).toBeCloseTo(-0.375, 10);
    expect(s2!.gmvPerMin).toBeCloseTo(30, 10);
    expect(s2!.verdict).toBe('weak'); // 30 / 82.5 − 1 = −63.6 %
    expect(s2!.vsProduct).toBeNull(); // B was explained once
    expect(s1!.verdict).toBe('normal'); // +21 % is inside ±25 %
    expect(s3!.onlineChange).toBe(0);
  });

  it('says which segments followed advice and which went against it', () => {
    expect(sc.segments[2]!.advice).toBe('followed'); // accepted a pin of A 10 s before it began
    expect(sc.segments[1]!.advice).toBe('against'); // a "next up: A" was on screen when B was chosen
    expect(sc.segments[0]!.advice).toBeNull();
  });

  it('finds dead air and the biggest drops with their causes', () => {
    expect(sc.deadAir).toHaveLength(1);
    expect(sc.deadAir[0]).toMatchObject({ startMinute: 8, endMinute: 9, minutes: 2, onlineFrom: 100, onlineTo: 60, change: -0.4 });
    // Named as every screen names minutes (shared/minutes.ts): index 8–9 is 第9–10分钟.
    expect(sc.deadAir[0]!.zh).toBe('第9–10分钟没有讲解商品，在线从 100 降到 60（−40.0%）');
    // Online: end of minute 6 (100) → end of minute 9 (60): −40 %, with the switch to nothing explained.
    const online = sc.drops.find((d) => d.metric === 'online')!;
    expect(online).toMatchObject({ startMinute: 7, endMinute: 9, from: 100, to: 60 });
    // Nothing explained for the window's last two minutes accounts for it (the switch before was to A, while the room held).
    expect(online.causes.map((c) => c.kind)).toEqual(['unpinned']);
    expect(online.zh).toBe('第8–10分钟 在线 100 → 60（−40.0%）：第9–10分钟没有讲解商品');
    // GMV per minute: ¥100 ×4, ¥30 ×2, ¥100 ×2, 0 ×2. Three minutes against the three before:
    // ending at 5: 160 vs 300 (−46.7 %); at 6: 160 vs 300 (−46.7 %, overlaps); at 9: 100 vs 160 (−37.5 %).
    const gmv = sc.drops.filter((d) => d.metric === 'gmv');
    expect(gmv.map((d) => [d.startMinute, d.endMinute, d.from, d.to])).toEqual([
      [3, 5, 30_000, 16_000],
      [7, 9, 16_000, 10_000],
    ]);
    expect(gmv[0]!.change).toBeCloseTo(16 / 30 - 1, 10);
    expect(gmv[0]!.causes[0]).toMatchObject({ kind: 'switch', minute: 4, fromProductId: 'a', toProductId: 'b', fromPerMin: 100, toPerMin: 30 });
    // Gains: ending at 8, 200 vs 160 = +25 % is under the 30 % bar; online never rose.
    expect(sc.gains).toEqual([]);
  });
});

describe('funnel, traffic and demand (R5)', () => {
  it('gives the rate at each step of the funnel', () => {
    const f = buildFunnel(kpis());
    expect(f.steps.map((s) => s.value)).toEqual([2000, 4000, 200, 20]);
    expect(f.steps.map((s) => s.rate)).toEqual([null, 2, 0.05, 0.1]);
    expect(f.overall).toBe(0.01);
    expect(buildFunnel(kpis({ pv: 0, exposures: 0 })).steps[1]!.rate).toBeNull();
  });

  it('fills every minute of the traffic mix and splits the show into phases', () => {
    const zero = { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
    const t = buildTrafficMix({ traffic: [{ minute: 0, bySource: { ...zero, recommend: 30, paid: 10 } }, { minute: 3, bySource: { ...zero, paid: 60 } }] }, 4, 2);
    expect(t.perMinute).toHaveLength(4);
    expect(t.perMinute[1]!.bySource).toEqual(zero);
    expect(t.totals).toMatchObject({ recommend: 30, paid: 70 });
    expect(t.shares.paid).toBeCloseTo(0.7, 10);
    expect(t.naturalShare).toBeCloseTo(0.3, 10);
    expect(t.phases).toEqual([
      { fromMinute: 0, toMinute: 1, enters: 40, shares: { recommend: 0.75, paid: 0.25, follow: 0, search: 0, shortVideo: 0, other: 0 } },
      { fromMinute: 2, toMinute: 3, enters: 60, shares: { recommend: 0, paid: 1, follow: 0, search: 0, shortVideo: 0, other: 0 } },
    ]);
  });

  it('collects sources, markers, ad plans, costs and demand from raw events as the core does live', () => {
    const ev = (seq: number, sec: number, body: Record<string, unknown>) => ({ seq, ts: T0 + sec * 1000, ...body }) as unknown as KnownFeedEvent;
    const x = collectExtras(T0, [
      ev(1, 0, { type: 'catalog', products: [{ id: 'lip', title: '丝绒哑光唇釉', priceFen: 8900, costFen: 2600 }, { id: 'mask', title: '玻尿酸补水保湿面膜 10片装', priceFen: 2990 }] }),
      ev(2, 1, { type: 'pin', productId: 'lip' }),
      ev(3, 5, { type: 'enter', n: 7, source: 'paid' }),
      ev(4, 6, { type: 'enter', n: 3 }),
      ev(5, 65, { type: 'enter', n: 2, source: 'search' }),
      ev(6, 10, { type: 'comment', text: '多少钱？上链接' }),
      ev(7, 70, { type: 'comment', text: '面膜还有吗' }),
      ev(8, 71, { type: 'comment', text: '主播好美' }),
      ev(9, 80, { type: 'marker', kind: 'giveaway', text: '福袋' }),
      ev(10, 90, { type: 'ad', planId: 'p1', spendFen: 500, gmvFen: 1000 }),
      ev(11, 100, { type: 'ad', planId: 'p1', spendFen: 900 }),
      // 唇釉 runs out, is restocked, runs out again: two stock-outs; a price change says nothing of stock.
      ev(12, 105, { type: 'product', productId: 'lip', stock: 0 }),
      ev(13, 107, { type: 'product', productId: 'lip', soldOut: true }),
      ev(14, 110, { type: 'product', productId: 'lip', stock: 5 }),
      ev(15, 112, { type: 'product', productId: 'mask', priceFen: 1990 }),
      ev(16, 118, { type: 'product', productId: 'lip', stock: 0, soldOut: true }),
    ]);
    expect(x.stockOuts).toEqual([
      { productId: 'lip', ts: T0 + 105_000, minute: 1 },
      { productId: 'lip', ts: T0 + 118_000, minute: 1 },
    ]);
    expect(x.traffic).toEqual([
      { minute: 0, bySource: { recommend: 0, paid: 7, follow: 0, search: 0, shortVideo: 0, other: 3 } },
      { minute: 1, bySource: { recommend: 0, paid: 0, follow: 0, search: 2, shortVideo: 0, other: 0 } },
    ]);
    expect(x.catalogCostFen).toEqual({ lip: 2600 });
    expect(x.markers).toEqual([{ seq: 9, ts: T0 + 80_000, minute: 1, kind: 'giveaway', text: '福袋' }]);
    expect(x.adPlans).toEqual([{ planId: 'p1', spendFen: 900, gmvFen: 1000, impressions: null, clicks: null, orders: null, budgetFenPerMin: null }]);
    expect(x.comments).toBe(3);
    // 多少钱 + 上链接 (to the pinned lip gloss), 还有吗 naming 面膜; the compliment is no demand.
    expect(x.demand.perMinute).toEqual([1, 1]);
    expect(Object.fromEntries(x.demand.words.map((w) => [w.word, w.count]))).toEqual({ 多少钱: 1, 上链接: 1, 还有吗: 1 });
    expect(x.demand.products.map((p) => [p.productId, p.count])).toEqual([['lip', 1], ['mask', 1]]);
    const d = buildDemand(x);
    expect(d.demandShare).toBeCloseTo(2 / 3, 10);
  });
});

describe('review dimensions (R6) and compare (R7)', () => {
  it('estimates profit from the margin and compares followed with other segments', () => {
    const segs = buildScorecard({
      startedAt: T0,
      minutes: [],
      segments: [seg('a', 0, 2, { gmvFen: 30_000 }), seg('b', 2, 6, { gmvFen: 20_000 })],
      products: [],
      decisions: [decision({ suggestionId: 'x', ts: T0 - 1000, action: 'accepted', productId: 'a', command: { type: 'pin', productId: 'a' } }), decision({ suggestionId: 'y', ts: T0 + 110_000, action: 'shown', productId: 'a' })],
      alerts: [],
      markers: [],
      adActions: [],
      traffic: [],
    });
    const traffic = buildTrafficMix({ traffic: [] }, 0);
    const r = buildReview({
      kpis: kpis(),
      targets: { ...DEFAULT_TARGETS, gmvFen: 80_000 },
      previousGmvMeanFen: 125_000,
      traffic,
      scorecard: segs,
      decisions: [],
      economics: { margin: 0.4, breakEvenRoi: 2.5, feeRate: 0.05, refundRate: 0.1, refundSource: 'setting', missingCosts: 0 },
    });
    expect(r.sales.attainment).toBeCloseTo(1.25, 10);
    expect(r.sales.vsPrevious).toBeCloseTo(-0.2, 10);
    expect(r.roi.profitFen).toBe(20_000); // 100,000 × 0.4 − 20,000
    expect(r.roi.breakEvenRoi).toBe(2.5);
    expect(r.audience.fansclubRate).toBeCloseTo(0.005, 10);
    expect(r.suggestions.followed).toMatchObject({ segments: 1, gmvFen: 30_000, gmvPerMin: 150 });
    expect(r.suggestions.against).toMatchObject({ segments: 1, gmvFen: 20_000, gmvPerMin: 50 });
    expect(r.suggestions.difference).toBeCloseTo(2, 10);
    expect(r.suggestions.noteZh).toMatch(/观察性/);
    const none = buildReview({ kpis: kpis(), targets: DEFAULT_TARGETS, previousGmvMeanFen: null, traffic, scorecard: segs, decisions: [], economics: null });
    expect(none.roi.profitFen).toBeNull();
    expect(none.sales.attainment).toBeNull();
  });

  it('aligns sessions by minute or by product slot', () => {
    const mk = (id: string, gmv: number[]) => ({
      sessionId: id,
      roomId: 'r',
      title: id,
      startedAt: T0,
      kpis: kpis({ gmvFen: gmv.reduce((a, b) => a + b, 0) }),
      minutes: gmv.map((g, m) => minute(m, { gmvFen: g })),
      segments: [seg('a', 0, 1, { gmvFen: gmv[0] }), seg('b', 1, gmv.length, { gmvFen: gmv.slice(1).reduce((a, b) => a + b, 0) })],
      titles: new Map([['a', '面膜'], ['b', '唇釉']]),
    });
    const byMinute = compareSessions([mk('s1', [100, 200, 300]), mk('s2', [50, 50])], 'minute');
    expect(byMinute.series[0]!.points.map((p) => p.cumGmvFen)).toEqual([100, 300, 600]);
    expect(byMinute.series[1]!.points.map((p) => p.x)).toEqual([0, 1]);
    expect(byMinute.deltas[1]!.gmvFen).toBeCloseTo(100 / 600 - 1, 10);
    const bySlot = compareSessions([mk('s1', [100, 200, 300]), mk('s2', [50, 50])], 'slot');
    expect(bySlot.series[0]!.points.map((p) => [p.x, p.label, p.gmvFen])).toEqual([[0, '面膜', 100], [1, '唇釉', 500]]);
  });
});

describe('comparing shows of different currencies', () => {
  it('refuses a ¥ show beside a $ show, and carries the one currency of shows that agree', () => {
    const kpis = { gmvFen: 100, gpm: 1, pv: 10, peakOnline: 5, ctr: 0.1, clickToOrder: 0.1, orders: 1, durationSec: 60 } as unknown as Kpis;
    const input = (id: string, currency?: string) => ({ sessionId: id, roomId: 'r', title: id, startedAt: 0, kpis, minutes: [], segments: [], titles: new Map<string, string>(), ...(currency ? { currency } : {}) });
    expect(() => compareSessions([input('douyin'), input('tiktok', 'USD')], 'minute')).toThrow(CompareCurrencyError);
    expect(() => compareSessions([input('douyin'), input('tiktok', 'USD')], 'minute')).toThrow(/CNY, USD/);
    expect(compareSessions([input('a', 'USD'), input('b', 'USD')], 'minute').currency).toBe('USD');
    expect(compareSessions([input('a'), input('b', 'CNY')], 'slot').currency).toBe('CNY');
  });
});
