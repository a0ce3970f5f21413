/**
 * The top of a retrospective: 本场要点 (shared/retro/key-points.ts) with the ads' break-even and the
 * other worst facts first, and a room's first show said as 首场 — never "前0场" — on the screen
 * (react-dom/server) and in the HTML and text exports.
 */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildKeyPoints } from '../../shared/retro/key-points.ts';
import { buildHeadline } from '../../shared/retro/headline.ts';
import { buildReview } from '../../shared/retro/review.ts';
import { buildScorecard } from '../../shared/retro/scorecard.ts';
import { buildTrafficMix } from '../../shared/retro/funnel.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import { DEFAULT_TARGETS, type RoomTargets } from '../../shared/contract.ts';
import type { Kpis, SegmentRow } from '../../shared/metrics/types.ts';
import type { RetroReportView } from '../../shared/retro/types.ts';
import type { PreviousSession } from '../../shared/retro/headline.ts';
import { Headline, KeyPoints, ReviewCards } from '../../renderer/src/features/retro/ReportSummary.tsx';

const T0 = 1_700_000_000_000;

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    durationSec: 3600, peakOnline: 900, avgOnline: 600, uv: 8000, pv: 10_000, avgWatchSec: 70, gmvFen: 5_000_000, refundFen: 0, orders: 400, items: 420, buyers: 380,
    gpm: 5000, uvValue: 6.25, itemPrice: 119, orderValue: 125, exposures: 40_000, clicks: 2400, ctr: 0.06, clickToOrder: 0.05, viewToOrder: 0.04, viewToBuyer: 0.0475,
    newFollowers: 90, followRate: 0.011, fansclubJoins: 8, comments: 900, likes: 12_000, shares: 30, giftFen: 0, adSpendFen: 2_000_000, adGmvFen: 2_740_000,
    roi: 2.5, adRoi: 1.37, breakEvenRoi: 1.83, entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: null, ...over,
  };
}

function seg(productId: string, startMin: number, endMin: number, gmvFen: number): SegmentRow {
  return { productId, startTs: T0 + startMin * 60_000, endTs: T0 + endMin * 60_000, durationSec: (endMin - startMin) * 60, exposures: 0, clicks: 0, ctr: null, orders: 0, gmvFen, clickToOrder: null, enters: 0, gpm: null, onlineStart: null, onlineEnd: null };
}

/** The report's summary sections from the pure builders, as buildRetroReport makes them. */
function summary(k: Kpis, previous: PreviousSession[], targets: RoomTargets = DEFAULT_TARGETS) {
  const products = [
    { productId: 'mask', title: '面膜', role: null, priceFen: 0, exposures: 0, clicks: 0, ctr: null, orders: 0, items: 0, gmvFen: 0, clickToOrder: null, pins: 0, pinnedSec: 0, gmvPerPinnedMin: null, productGpm: null, stock: null, soldOut: false },
    { productId: 'lip', title: '唇釉', role: null, priceFen: 0, exposures: 0, clicks: 0, ctr: null, orders: 0, items: 0, gmvFen: 0, clickToOrder: null, pins: 0, pinnedSec: 0, gmvPerPinnedMin: null, productGpm: null, stock: null, soldOut: false },
  ];
  // 唇釉's 20 minutes at ¥500/min against a room at ¥1,000: the weakest segment.
  const scorecard = buildScorecard({ startedAt: T0, minutes: [], segments: [seg('mask', 0, 40, 4_000_000), seg('lip', 40, 60, 1_000_000)], products, decisions: [], alerts: [], markers: [], adActions: [], traffic: [] });
  const headline = buildHeadline(k, targets, previous);
  const review = buildReview({ kpis: k, targets, previousGmvMeanFen: previous.length ? previous[0]!.kpis.gmvFen : null, traffic: buildTrafficMix({ traffic: [] }, 0), scorecard, decisions: [], economics: { margin: 0.4, breakEvenRoi: k.breakEvenRoi, feeRate: 0.05, refundRate: 0.1, refundSource: 'setting', missingCosts: 0 } });
  return { headline, review, scorecard, keyPoints: buildKeyPoints({ headline, review, scorecard }) } as unknown as RetroReportView;
}

describe('本场要点', () => {
  it('puts ads below break-even first, then the other bad facts, warnings, and good news last', () => {
    const r = summary(kpis(), [], { ...DEFAULT_TARGETS, gmvFen: 8_000_000 });
    const kinds = r.keyPoints.map((p) => p.kind);
    expect(kinds[0]).toBe('below-break-even');
    expect(r.keyPoints[0]).toMatchObject({ tone: 'bad' });
    expect(r.keyPoints[0]!.zh).toBe('广告支付ROI 1.37，低于保本ROI 1.83：投放在亏钱（消耗 ¥2万）');
    expect(r.keyPoints[0]!.en).toBe('Ad ROI 1.37 is below the break-even ROI of 1.83: the ads lose money (spend ¥20K)');
    // The GMV target missed (¥5万 of ¥8万) and the ROI target (3) missed follow; the weak segment is a warning.
    expect(kinds.slice(1, 3)).toEqual(['target-missed', 'target-missed']);
    expect(r.keyPoints.find((p) => p.kind === 'weak-segment')!.zh).toBe('最弱的讲解段：唇釉（第41分钟起，20:00）每分钟成交 ¥500，比场均 −40%');
    const tones = r.keyPoints.map((p) => p.tone);
    expect(tones).toEqual([...tones].sort((a, b) => ['bad', 'warn', 'good'].indexOf(a) - ['bad', 'warn', 'good'].indexOf(b)));
  });

  it('says the whole show lost money when its overall ROI is below break-even too', () => {
    // ¥3万 of GMV on ¥2万 of spend at a 40 % margin (break-even 2.5): ¥1.2万 − ¥2万 = −¥8,000.
    const r = summary(kpis({ gmvFen: 3_000_000, roi: 1.5, adRoi: 1.2, breakEvenRoi: 2.5 }), []);
    const be = r.keyPoints.filter((p) => p.kind === 'below-break-even');
    expect(be).toHaveLength(2);
    expect(be[1]!.zh).toBe('整体支付ROI 1.50，低于保本ROI 2.50：整场不赚钱，估算亏损 ¥8,000');
    expect(be[1]!.en).toBe('Overall ROI 1.50 is below the break-even ROI of 2.50: the show did not pay, an estimated loss of ¥8,000');
  });

  it('has no break-even point when the ads paid, nor without ad spend', () => {
    expect(summary(kpis({ adRoi: 2.4 }), []).keyPoints.some((p) => p.kind === 'below-break-even')).toBe(false);
    expect(summary(kpis({ adSpendFen: 0, adGmvFen: 0, roi: null, adRoi: null }), []).keyPoints.some((p) => p.kind === 'below-break-even')).toBe(false);
  });

  it('draws them on the screen, worst first, coloured by tone', () => {
    const r = summary(kpis(), []);
    const html = renderToStaticMarkup(<KeyPoints r={r} i18n={localiser('zh-CN')} />);
    expect(html).toMatch(/^<section[^>]*><h2>本场要点<\/h2><ul class="points"><li class="bad" data-testid="key-point" data-kind="below-break-even">广告支付ROI 1.37，低于保本ROI 1.83/);
  });
});

describe('a room’s first show', () => {
  it('is 首场 on the screen, with no comparison with earlier shows', () => {
    const r = summary(kpis(), []);
    const head = renderToStaticMarkup(<Headline r={r} i18n={localiser('zh-CN')} />);
    expect(head).toContain('首场：本直播间没有更早的场次，不做往场对比');
    expect(head).not.toMatch(/前\s*0\s*场/);
    const cards = renderToStaticMarkup(<ReviewCards r={r} i18n={localiser('zh-CN')} />);
    expect(cards).toContain('<dt>较前几场</dt><dd>首场</dd>');
    const en = renderToStaticMarkup(<Headline r={r} i18n={localiser('en')} />);
    expect(en).toContain('first show');
    expect(en).not.toMatch(/of 0 before/);
  });

  it('with earlier shows, says how many', () => {
    const r = summary(kpis(), [{ sessionId: 'p', startedAt: T0 - 1e7, title: 'p', kpis: kpis({ gmvFen: 4_000_000 }) }]);
    const head = renderToStaticMarkup(<Headline r={r} i18n={localiser('zh-CN')} />);
    expect(head).toContain('前1场均值');
    expect(renderToStaticMarkup(<ReviewCards r={r} i18n={localiser('zh-CN')} />)).toContain('<dt>较前几场</dt><dd>+25.0%</dd>');
  });
});
