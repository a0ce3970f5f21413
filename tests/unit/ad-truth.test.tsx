/**
 * One truth on the ad console (issue 15, points 2 and 8): one verdict per horizon, judged on the
 * ads' own ROI and named; every ROI coloured by its own figure; an advice card whose words match
 * its action; a ROI axis that reaches the data and spend on an axis of its own; 毛利率 as finance
 * defines it beside the after-fee figure, named for what it is; cost fields that hold values, not
 * look-alike placeholders; and economics changes in the action log.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { ActionLog, PlanCard } from '../../renderer/src/features/ads/AdConsole.tsx';
import { AdSummary } from '../../renderer/src/features/ads/AdSummary.tsx';
import { EconomicsPanel, costOverridesFrom } from '../../renderer/src/features/ads/AdEconomics.tsx';
import { adChartOption } from '../../renderer/src/features/ads/AdChart.tsx';
import { economicsChangeText } from '../../renderer/src/features/ads/ad-marks.ts';
import { adVerdicts } from '../../shared/ads/verdict.ts';
import { AdAdvisor } from '../../shared/ads/advisor.ts';
import { economicsEdits, economicsView, type EconomicsChange } from '../../shared/ads/economics.ts';
import type { AdConsoleView, AdFigures, AdPlanView, RoomAdFigures } from '../../shared/ads/console.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';

const initial = appStore.getState();
beforeEach(() => appStore.setState(initial, true));
const noTransport = {} as Transport;
const T0 = 1_700_000_000_000;
const MIN = 60_000;

function figs(over: Partial<AdFigures> = {}): AdFigures {
  return { minutes: 5, spendFen: 40_000, impressions: 20_000, clicks: 600, paidEnters: 400, adGmvFen: 100_000, cpmFen: 2_000, costPerEntryFen: 100, adRoi: 2.5, spendPerMinFen: 8_000, ...over };
}
function room(over: Partial<RoomAdFigures> = {}): RoomAdFigures {
  return { ...figs(), gmvFen: 160_000, organicEnters: 1_600, paidShare: 0.2, roi: 4, profitFen: 32_000, profitPerMinFen: 6_400, ...over };
}
function plan(id: string, recentAdRoi: number): AdPlanView {
  return { planId: id, budgetFenPerMin: 5_000, paused: false, show: figs({ minutes: 30 }), recent: figs({ adRoi: recentAdRoi }), series: { spendFen: [], impressions: [], clicks: [], views: [], adGmvFen: [], budgetFenPerMin: [] }, advice: null };
}
/** Break-even 1.83 (a margin of 54.6 % after fee and refunds), target ROI 3. */
function view(over: Partial<AdConsoleView> = {}): AdConsoleView {
  const economics = economicsView({ feeRate: 0, refundRate: 0, costOverrides: {} }, [{ productId: 'a', title: '面膜', priceFen: 10_000, catalogCostFen: 4_536, gmvFen: 30_000, items: 3 }], null);
  const n = 31;
  const col = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  return {
    roomId: 'r', sessionId: 'r@1', startedAt: T0, ts: T0 + 30.5 * MIN, minute: 30, ended: false, recentMinutes: 5, targetRoi: 3, economics,
    show: room({ minutes: 31, roi: 2.55, adRoi: 2.2 }), recent: room({ roi: 9.93, adRoi: 1.44 }), paidShareTrend: null,
    series: { spendFen: col(() => 4_000), paidEnters: col(() => 20), organicEnters: col(() => 80), gmvFen: col(() => 120_000), adGmvFen: col(() => 5_000), profitFen: col(() => 1_400) },
    plans: [plan('qc-1', 1.37), plan('qc-2', 1.51)], actions: [], commandsSupported: true, ...over,
  };
}

describe('one verdict per horizon', () => {
  it('judges the ads on their own ROI, so a high overall ROI over losing plans is no green light', () => {
    const v = view();
    expect(v.economics.breakEvenRoi).toBeCloseTo(1.83, 2);
    const verdicts = adVerdicts(v);
    expect(verdicts.map((x) => [x.horizon, x.state])).toEqual([
      ['show', 'warn'],
      ['recent', 'bad'],
    ]);
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<AdSummary view={v} />);
    expect(html).toContain('<b>近5分钟</b> 广告支付ROI <b>1.44</b> · 低于保本：投放在亏钱');
    expect(html).toContain('整体支付ROI 9.93（含自然成交，不作判断）');
    expect(html).not.toContain('高于目标');
    // The plans the verdict sits above say the same: red below break-even.
    const card = renderToStaticMarkup(<PlanCard plan={v.plans[0]!} view={v} transport={noTransport} />);
    expect(card).toContain('<td class="bad">1.37</td>');
  });

  it('colours each ROI tile by the figure it shows, and its last-minutes line by its own', () => {
    const v = view({ economics: { ...view().economics, breakEvenRoi: 1.61 }, recent: room({ roi: 1.2, adRoi: 1.1 }) });
    const html = renderToStaticMarkup(<AdSummary view={v} />);
    // 2.55 over the whole show: above break-even 1.61, below target 3 → warn, not the last minutes' red.
    expect(html).toMatch(/data-testid="ad-kpi-roi" data-value="2.55" data-state="warn" data-recent-state="bad"/);
    expect(html).toMatch(/data-testid="ad-kpi-roi"[^>]*>.*?全场.*?2\.55.*?近5分钟 <span class="bad">1\.20<\/span>/);
  });

  it('names the profit tile for what it covers: the whole show with organic sales, not the ads', () => {
    // Ads losing money (ad ROI below break-even) in a room that makes money from organic sales.
    const v = view({ recent: room({ roi: 4, adRoi: 0.4, profitPerMinFen: 2_500 }) });
    const html = renderToStaticMarkup(<AdSummary view={v} />);
    expect(html).toMatch(/data-testid="ad-kpi-profit"[^>]*><div class="kpi-label" title="整场成交金额 × 扣服务费、退款后的毛利 − 消耗：含自然流量的成交[^"]*">预估总利润/);
    expect(html).toContain('data-testid="ad-verdict-recent" data-state="bad"');
  });
});

describe('an advice card says one thing', () => {
  /** A plan spending ¥50 a minute whose ads bring `roi` × spend. */
  function advisor(roi: number, minutes: number, breakEvenRoi = 2, budget = 5_000): AdAdvisor {
    const a = new AdAdvisor({ targetRoi: 3, breakEvenRoi });
    a.observe({ type: 'session', ts: 0, startedAt: 0, status: 'live' });
    for (let k = 0; k < minutes; k++) a.observe({ type: 'ad', ts: k * MIN + 30_000, planId: 'p', spendFen: budget * (k + 1), gmvFen: Math.round(budget * roi * (k + 1)), budgetFenPerMin: budget });
    return a;
  }

  it('keeps a pending cut\'s verdict with the signal, not as the reason of the hold on screen', () => {
    const first = advisor(0.8, 12).advise(6 * MIN + 1)[0]!;
    expect(first.action).toBe('hold');
    expect(first.reasons.map((r) => r.code)).toEqual(['averageRoiOnly']);
    expect(first.pending).toEqual({ action: 'cut', minutes: 1, needed: 3, reasons: [{ code: 'belowBreakEven', breakEven: 2 }] });
    const plan: AdPlanView = { ...view().plans[0]!, advice: first };
    const html = renderToStaticMarkup(<PlanCard plan={plan} view={view()} transport={noTransport} />);
    expect(html).toContain('建议维持');
    expect(html).toContain('观察中：建议降投信号已持续 1/3 分钟');
    expect(html).toContain('信号依据：低于保本ROI 2.00');
    expect(html).not.toContain('多花的钱在亏');
  });

  it('says a cut at the budget floor is still a cut, and that only pausing saves more', () => {
    const a = advisor(0.8, 12, 2, 500);
    let last = a.advise(6 * MIN + 1)[0]!;
    for (let m = 7; m <= 9; m++) last = a.advise(m * MIN + 1)[0]!;
    expect(last.action).toBe('cut');
    expect(last.suggestedBudgetFenPerMin).toBe(500);
    expect(last.reasons.at(-1)).toEqual({ code: 'atMinimum', budgetFenPerMin: 500 });
  });
});

describe('the console chart', () => {
  it('reaches the highest ROI drawn on a round scale, and puts spend on its own axis', () => {
    const v = view({ series: { ...view().series, gmvFen: view().series.gmvFen.map((g, i) => (i === 20 ? 150_000 : g)), spendFen: view().series.spendFen.map(() => 4_000) } });
    const opt = adChartOption(v, 'zh-CN');
    const roiAxis = opt.yAxis[3] as { max: number; interval: number; gridIndex: number };
    const peak = Math.max(...(opt.series[4]!.data as Array<[number, number | null]>).map(([, y]) => y ?? 0));
    expect(peak).toBeGreaterThan(8); // the old axis stopped at 8
    expect(roiAxis.max).toBeGreaterThanOrEqual(peak);
    expect(Number.isInteger(roiAxis.max / roiAxis.interval)).toBe(true);
    // A short plot asks for three splits: here four steps, not the six whose labels touched.
    expect(roiAxis.max / roiAxis.interval).toBeLessThanOrEqual(4);
    const spend = opt.series[0]!;
    const gmv = opt.series[1]!;
    expect(spend.yAxisIndex).not.toBe(gmv.yAxisIndex);
    expect((opt.yAxis[spend.yAxisIndex] as { gridIndex: number }).gridIndex).not.toBe((opt.yAxis[gmv.yAxisIndex] as { gridIndex: number }).gridIndex);
  });
});

describe('margins and costs', () => {
  // ¥100 sold at a cost of ¥47.70, 5 % fee, 20.5 % refunds: finance's 毛利率 52.3 %, 37.6 % left after fee and refunds.
  const e = economicsView({ feeRate: 0.05, refundRate: 0.205, costOverrides: {} }, [{ productId: 'a', title: '面膜', priceFen: 10_000, catalogCostFen: 4_770, gmvFen: 50_000, items: 5 }, { productId: 'b', title: '唇釉', priceFen: 5_000, catalogCostFen: null, gmvFen: 0, items: 0 }], null);

  it('shows 毛利率 as finance defines it and labels the after-fee figure for what it is', () => {
    expect(e.products[0]!.grossMargin).toBeCloseTo(0.523, 3);
    expect(e.products[0]!.margin).toBeCloseTo(0.376, 3);
    expect(e.grossMargin).toBeCloseTo(0.523, 3);
    const v = view({ economics: e });
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<EconomicsPanel view={v} transport={noTransport} />);
    expect(html).toMatch(/综合毛利率 <b data-testid="ad-econ-gross-margin">52\.3%<\/b> · 扣服务费、退款后 <b data-testid="ad-econ-net-margin"[^>]*>37\.6%<\/b>/);
    expect(html).toMatch(/<th class="ad-margin-head"><span title="毛利率 =（售价 − 成本）÷ 售价[^"]*">毛利率<\/span><br\/><span class="muted small" title="[^"]*">扣费退款后<\/span><\/th>/);
    expect(html).toMatch(/data-testid="ad-econ-row-a"[^>]*>.*?<td><span class="">52\.3%<\/span><br\/><span class="muted small">37\.6%<\/span><\/td>/);
  });

  it('holds the cost in use as a value with its source, and says 未录入 in words when there is none', () => {
    const html = renderToStaticMarkup(<EconomicsPanel view={view({ economics: e })} transport={noTransport} />);
    expect(html).toMatch(/data-testid="ad-econ-cost-a" placeholder="未录入" value="47.7"/);
    expect(html).toContain('data-testid="ad-econ-cost-source-a">目录<');
    expect(html).toMatch(/data-testid="ad-econ-cost-b" placeholder="未录入" value=""/);
    expect(html).toContain('data-testid="ad-econ-cost-source-b">未录入<');
    expect(html).not.toMatch(/placeholder="[\d.]+"/);
  });

  it('saves only what differs from the catalog as the team\'s own cost', () => {
    expect(costOverridesFrom(e.products, {})).toEqual({});
    expect(costOverridesFrom(e.products, { a: '45', b: '20.5' })).toEqual({ a: 4_500, b: 2_050 });
    expect(costOverridesFrom(e.products, { a: '' })).toEqual({});
    expect(costOverridesFrom(e.products, { b: 'abc' })).toEqual({ bad: 'b' });
  });
});

describe('economics changes in the action log', () => {
  const before = { feeRate: 0.05, refundRate: null, costOverrides: {} };
  const after = { feeRate: 0.06, refundRate: 0.08, costOverrides: { a: 4_500 } };
  const change: EconomicsChange = { id: 'c1', roomId: 'r', sessionId: 'r@1', ts: T0 + 14 * MIN, at: new Date(2025, 0, 1, 20, 30, 0).getTime(), before, after, breakEvenBefore: 2.22, breakEvenAfter: 2.35, byName: '阿杰', byRole: 'adBuyer' };

  it('lists what changed, field by field', () => {
    expect(economicsEdits(before, after)).toEqual([
      { field: 'fee', from: 0.05, to: 0.06 },
      { field: 'refund', from: null, to: 0.08 },
      { field: 'cost', productId: 'a', from: null, to: 4_500 },
    ]);
    expect(economicsEdits(after, after)).toEqual([]);
  });

  it('shows the change beside the budget changes, newest first, with the break-even it moved and who', () => {
    const v = view({ economicsChanges: [change] });
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<ActionLog view={v} />);
    expect(html).toContain('data-testid="ad-log-row" data-type="economics"');
    expect(html).toContain('第15分钟 <span class="muted small">20:30:00</span>');
    expect(html).toContain('<b>改经营参数</b> 服务费 5.0%→6.0% · 退款率 按历史学习→8.0% · 面膜 成本 目录成本→¥45.00 · 保本ROI 2.22→2.35');
    expect(html).toContain('阿杰（投手）');
    expect(economicsChangeText(change, new Map(), 'en')).toBe('fee 5.0%→6.0% · refund rate learned→8.0% · a cost catalog cost→¥45.00 · break-even ROI 2.22→2.35');
  });
});
