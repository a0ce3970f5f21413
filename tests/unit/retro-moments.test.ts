/**
 * Drops and gains explained by what the log shows happened before them (shared/retro/moments.ts)
 * — hand-built minutes, segments, stock-outs, traffic and ad actions where each cause must be
 * found, ranked by its evidence, and a move with nothing behind it says so.
 */
import { describe, expect, it } from 'vitest';
import { buildScorecard, type ScorecardInput } from '../../shared/retro/scorecard.ts';
import type { MinuteRow, ProductRow, SegmentRow } from '../../shared/metrics/types.ts';
import type { TrafficMinute } from '../../shared/retro/extras.ts';
import type { RetroAdAction } from '../../shared/retro/ad-actions.ts';
import type { Moment } from '../../shared/retro/types.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const ZERO = { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };

function minute(m: number, over: Partial<MinuteRow> = {}): MinuteRow {
  return {
    minute: m, ts: T0 + m * MIN, onlineAvg: 1000, onlineMax: 1000, onlineEnd: 1000, enters: 100, likes: 0, comments: 0, follows: 0, shares: 0, fansclub: 0, giftFen: 0,
    exposures: 0, clicks: 0, orders: 0, items: 0, gmvFen: 0, refundFen: 0, adSpendFen: 0, pinnedProductId: null, ctr: null, gpm: null, ...over,
  };
}

function seg(productId: string, startMin: number, endMin: number, gmvFen: number, over: Partial<SegmentRow> = {}): SegmentRow {
  return {
    productId, startTs: T0 + startMin * MIN, endTs: T0 + endMin * MIN, durationSec: (endMin - startMin) * 60, exposures: 0, clicks: 0, ctr: null, orders: 0, gmvFen,
    clickToOrder: null, enters: 0, gpm: null, onlineStart: 1000, onlineEnd: 1000, ...over,
  };
}

function product(id: string, title: string, gmvFen = 0): ProductRow {
  return { productId: id, title, role: 'hero', priceFen: 1000, exposures: 0, clicks: 0, ctr: null, orders: 0, items: 0, gmvFen, clickToOrder: null, pins: 0, pinnedSec: 0, gmvPerPinnedMin: null, productGpm: null, stock: null, soldOut: false };
}

function traffic(n: number, bySource: (m: number) => Partial<TrafficMinute['bySource']>): TrafficMinute[] {
  return Array.from({ length: n }, (_, m) => ({ minute: m, bySource: { ...ZERO, ...bySource(m) } }));
}

function ad(m: number, over: Partial<RetroAdAction>): RetroAdAction {
  return { id: `a${m}`, ts: T0 + m * MIN + 10_000, planId: 'qc-main', type: 'adBudget', before: 20_000, after: 20_000, byName: '阿杰', reason: null, source: 'manual', ...over };
}

function scorecard(over: Partial<ScorecardInput>) {
  return buildScorecard({ startedAt: T0, minutes: [], segments: [], products: [], decisions: [], alerts: [], markers: [], adActions: [], traffic: [], stockOuts: [], ...over });
}

const gmvDrop = (ms: readonly Moment[]) => ms.find((d) => d.metric === 'gmv')!;

describe('what explains a drop or a gain', () => {
  // The team's show: 面膜 sold at ¥6,089 a minute, then 唇釉 at ¥2,183 from minute 13; carts
  // opened earlier kept the figure up for three minutes, so GMV falls only at minutes 17–19 — the
  // switch is before the window, in the minutes its GMV is compared against.
  const minutes = Array.from({ length: 24 }, (_, m) => minute(m, { pinnedProductId: m < 13 ? 'mask' : 'lip', gmvFen: m < 16 ? 608_900 : 218_300 }));
  // 唇釉's segment: 11 minutes at ¥2,183 (the lingering carts are 面膜's orders, not 唇釉's).
  const segments = [seg('mask', 0, 13, 13 * 608_900), seg('lip', 13, 24, 11 * 218_300)];

  it('blames the switch that preceded the window, with both products’ ¥ per minute', () => {
    const sc = scorecard({ minutes, segments, products: [product('mask', '玻尿酸面膜'), product('lip', '丝绒唇釉')] });
    const drop = gmvDrop(sc.drops);
    expect([drop.startMinute, drop.endMinute]).toEqual([16, 18]);
    expect(drop.change).toBeCloseTo(218_300 / 608_900 - 1, 10);
    expect(drop.causes).toHaveLength(1);
    expect(drop.causes[0]).toMatchObject({ kind: 'switch', minute: 13, fromProductId: 'mask', toProductId: 'lip', fromPerMin: 6089, toPerMin: 2183 });
    // Evidence: the gap between the two products, (6,089 − 2,183) ÷ 6,089.
    expect(drop.causes[0]!.weight).toBeCloseTo((6089 - 2183) / 6089, 10);
    expect(drop.zh).toBe('第17–19分钟 3分钟成交 ¥1.83万 → ¥6,549（−64.1%）：第14分钟换品：玻尿酸面膜（¥6,089/分钟）→ 丝绒唇釉（¥2,183/分钟）');
    expect(drop.en).toContain('minute 14 switch: 玻尿酸面膜 (¥6,089/min) → 丝绒唇釉 (¥2,183/min)');
    expect(drop.zh).not.toContain('没有找到');
  });

  it('does not blame a switch to a stronger product for a drop', () => {
    const flipped = [seg('mask', 0, 13, 13 * 218_300), seg('lip', 13, 24, 11 * 608_900)];
    const sc = scorecard({ minutes, segments: flipped, products: [product('mask', '面膜'), product('lip', '唇釉')] });
    const drop = gmvDrop(sc.drops);
    expect(drop.causes).toEqual([]);
    expect(drop.zh).toMatch(/：日志中没有找到明显原因$/);
    expect(drop.en).toMatch(/: no cause found in the log$/);
  });

  it('finds a sold-out product, strongest when it was the one explained', () => {
    const ms = Array.from({ length: 12 }, (_, m) => minute(m, { pinnedProductId: 'cushion', gmvFen: m < 7 ? 300_000 : 30_000 }));
    const sc = scorecard({
      minutes: ms,
      segments: [seg('cushion', 0, 12, 7 * 300_000 + 5 * 30_000)],
      products: [product('cushion', '气垫', 2_250_000), product('serum', '精华', 250_000)],
      // 精华 ran out too, unexplained and a tenth of the show's GMV: weaker evidence.
      stockOuts: [
        { productId: 'serum', ts: T0 + 5 * MIN, minute: 5 },
        { productId: 'cushion', ts: T0 + 6 * MIN + 40_000, minute: 6 },
      ],
    });
    const drop = gmvDrop(sc.drops);
    expect(drop.causes.map((c) => [c.kind, c.productId, c.weight])).toEqual([
      ['sold-out', 'cushion', 0.8],
      ['sold-out', 'serum', 0.15],
    ]);
    expect(drop.zh).toContain('第7分钟售罄：气垫；第6分钟售罄：精华');
  });

  it('falls back on the low-stock alert at 0 for a rollup stored before stock-outs were collected', () => {
    const ms = Array.from({ length: 12 }, (_, m) => minute(m, { pinnedProductId: 'cushion', gmvFen: m < 7 ? 300_000 : 30_000 }));
    const sc = scorecard({
      minutes: ms,
      segments: [seg('cushion', 0, 12, 1)],
      products: [product('cushion', '气垫')],
      stockOuts: undefined,
      alerts: [{ id: 'x', roomId: 'r', sessionId: 's', kind: 'lowStock', ts: T0 + 6 * MIN, minute: 6, params: { productId: 'cushion', title: '气垫', stock: 0, startStock: 500 }, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null }],
    });
    expect(gmvDrop(sc.drops).causes[0]).toMatchObject({ kind: 'sold-out', productId: 'cushion', weight: 0.8 });
  });

  it('ranks a traffic collapse above an ad pause when it moved more of the room', () => {
    // Recommended entries 300 → 100 a minute from minute 10; the plan was paused at minute 9 (paid 50 → 0).
    const online = [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 800, 600, 450, 450, 450, 450];
    const ms = Array.from({ length: 16 }, (_, m) => minute(m, { pinnedProductId: 'mask', onlineEnd: online[m], adSpendFen: m < 9 ? 20_000 : 0 }));
    const sc = scorecard({
      minutes: ms,
      segments: [seg('mask', 0, 16, 0)],
      products: [product('mask', '面膜')],
      traffic: traffic(16, (m) => ({ recommend: m < 10 ? 300 : 100, paid: m < 9 ? 50 : 0 })),
      adActions: [ad(9, { type: 'adPause', before: null, after: null })],
    });
    const drop = sc.drops.find((d) => d.metric === 'online')!;
    expect([drop.startMinute, drop.endMinute]).toEqual([10, 12]);
    expect(drop.causes.map((c) => c.kind)).toEqual(['traffic', 'ad', 'traffic']);
    // recommend: (900 − 300) ÷ 1,000 entries before (minutes 8–10) × 1.5; the pause: paid entries fell with it (0.8).
    expect(drop.causes[0]).toMatchObject({ source: 'recommend' });
    expect(drop.causes[0]!.weight).toBeCloseTo((1.5 * 600) / 1000, 10);
    expect(drop.causes[1]).toMatchObject({ kind: 'ad', minute: 9, weight: 0.8 });
    // paid: 100 → 0 entries of 1,000: (1.5 × 100) ÷ 1,000.
    expect(drop.causes[2]).toMatchObject({ source: 'paid' });
    expect(drop.causes[2]!.weight).toBeCloseTo(150 / 1000, 10);
    expect(drop.zh).toBe('第11–13分钟 在线 1,000 → 450（−55.0%）：推荐feed进入 900→300 人（−66.7%）；第10分钟投放调整：qc-main 暂停；付费流量进入 100→0 人（−100.0%）');
  });

  it('explains a gain by a budget raise that paid traffic followed, and by a giveaway', () => {
    const ms = Array.from({ length: 12 }, (_, m) => minute(m, { pinnedProductId: 'mask', onlineEnd: m < 6 ? 1000 : 1000 + (m - 5) * 100 }));
    const sc = scorecard({
      minutes: ms,
      segments: [seg('mask', 0, 12, 0)],
      products: [product('mask', '面膜')],
      traffic: traffic(12, (m) => ({ recommend: 300, paid: m < 6 ? 30 : 120 })),
      adActions: [ad(5, { before: 10_000, after: 30_000 }), ad(6, { id: 'cut', before: 30_000, after: 20_000 })],
      markers: [{ seq: 1, ts: T0 + 6 * MIN, minute: 6, kind: 'giveaway', text: '福袋' }],
    });
    const gain = sc.gains.find((d) => d.metric === 'online')!;
    // The cut at minute 6 would have lowered traffic: not a cause of the gain.
    // Paid entries 90 → 360 against 990 entries before: (1.5 × 270) ÷ 990 = 0.409, just above the giveaway's 0.4.
    expect(gain.causes.map((c) => [c.kind, c.minute])).toEqual([
      ['ad', 5],
      ['traffic', 6],
      ['marker', 6],
    ]);
    expect(gain.causes.map((c) => c.weight)).toEqual([0.8, (1.5 * 270) / 990, 0.4]);
    expect(gain.causes[0]!.zh).toBe('第6分钟投放调整：qc-main 预算 ¥100→¥300/分钟');
  });

  it('reads a budget change made on the platform from the spend itself', () => {
    const ms = Array.from({ length: 12 }, (_, m) => minute(m, { pinnedProductId: 'mask', gmvFen: m < 6 ? 100_000 : 40_000, adSpendFen: m < 6 ? 30_000 : 3_000 }));
    const sc = scorecard({ minutes: ms, segments: [seg('mask', 0, 12, 0)], products: [product('mask', '面膜')] });
    const drop = gmvDrop(sc.drops);
    expect(drop.causes).toHaveLength(1);
    expect(drop.causes[0]).toMatchObject({ kind: 'ad-spend' });
    expect(drop.causes[0]!.weight).toBeCloseTo(0.4 * 0.9, 10);
    expect(drop.zh).toContain('投放消耗 ¥900→¥90（−90.0%）');
  });

  it('finds a product worn out by explaining it too long', () => {
    // 唇釉 explained from the start; from minute 8 its click-through falls from 8 % to 3 %.
    const ms = Array.from({ length: 14 }, (_, m) => minute(m, { pinnedProductId: 'lip', exposures: 1000, clicks: m < 8 ? 80 : 30, orders: m < 8 ? 8 : 3, gmvFen: m < 8 ? 100_000 : 30_000 }));
    const sc = scorecard({ minutes: ms, segments: [seg('lip', 0, 14, 0)], products: [product('lip', '唇釉')] });
    const drop = gmvDrop(sc.drops);
    expect([drop.startMinute, drop.endMinute]).toEqual([8, 10]);
    expect(drop.causes).toHaveLength(1);
    expect(drop.causes[0]).toMatchObject({ kind: 'fatigue', productId: 'lip' });
    expect(drop.causes[0]!.weight).toBeCloseTo(0.8 * (1 - 3 / 8), 10);
    expect(drop.causes[0]!.zh).toBe('唇釉 已连续讲解 11 分钟，点击率 8.0% → 3.0%');
    // Explained for only 4 minutes by then: too soon to call it worn out.
    const fresh = scorecard({ minutes: ms, segments: [seg('mask', 0, 7, 0), seg('lip', 7, 14, 0)], products: [product('lip', '唇釉'), product('mask', '面膜')] });
    expect(gmvDrop(fresh.drops).causes.some((c) => c.kind === 'fatigue')).toBe(false);
  });

  it('says no cause found only when the log shows nothing', () => {
    const ms = Array.from({ length: 12 }, (_, m) => minute(m, { pinnedProductId: 'mask', gmvFen: m < 6 ? 100_000 : 40_000 }));
    const sc = scorecard({ minutes: ms, segments: [seg('mask', 0, 12, 0)], products: [product('mask', '面膜')], traffic: traffic(12, () => ({ recommend: 300 })) });
    const drop = gmvDrop(sc.drops);
    expect(drop.causes).toEqual([]);
    expect(drop.zh).toBe('第7–9分钟 3分钟成交 ¥3,000 → ¥1,200（−60.0%）：日志中没有找到明显原因');
  });
});
