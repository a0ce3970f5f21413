/**
 * Component tests of the ad console, rendered from a given console view with
 * react-dom/server: the figures against break-even and target, the advice card with its reasons
 * and one-click apply, the manual controls, the action log, the economics, the chart's option
 * (lines and action marks) and the ad actions' wording. The end-to-end test covers them live.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { ActionLog, AdConsole, PlanCard } from '../../renderer/src/features/ads/AdConsole.tsx';
import { AdSummary } from '../../renderer/src/features/ads/AdSummary.tsx';
import { EconomicsPanel } from '../../renderer/src/features/ads/AdEconomics.tsx';
import { roiState } from '../../shared/ads/verdict.ts';
import { adChartOption, rollingRoi } from '../../renderer/src/features/ads/AdChart.tsx';
import { adActionText, adTag, adWho } from '../../renderer/src/features/ads/ad-marks.ts';
import { parseBudgetYuan } from '../../renderer/src/features/ads/ad-actions.ts';
import { MARKER_COLORS, markerLine, markerMarks, markerTooltipLines } from '../../renderer/src/features/live/chart/chart-markers.ts';
import { alertText } from '../../shared/alerts/text.ts';
import { economicsView } from '../../shared/ads/economics.ts';
import type { AdActionRecord, AdConsoleView, AdFigures, AdPlanView, RoomAdFigures } from '../../shared/ads/console.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Alert, SessionMarker } from '../../shared/contract.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));
const noTransport = {} as Transport;
const T0 = 1_700_000_000_000;

function figs(over: Partial<AdFigures> = {}): AdFigures {
  return { minutes: 5, spendFen: 40_000, impressions: 20_000, clicks: 600, paidEnters: 400, adGmvFen: 100_000, cpmFen: 2_000, costPerEntryFen: 100, adRoi: 2.5, spendPerMinFen: 8_000, ...over };
}

function room(over: Partial<RoomAdFigures> = {}): RoomAdFigures {
  return { ...figs(), gmvFen: 160_000, organicEnters: 1_600, paidShare: 0.2, roi: 4, profitFen: 32_000, profitPerMinFen: 6_400, ...over };
}

const action: AdActionRecord = {
  id: 'a1', roomId: 'r', sessionId: 'r@1', ts: T0 + 12 * 60_000 + 5_000, at: new Date(2025, 0, 1, 20, 15, 30).getTime(), planId: 'qc-1', type: 'adBudget',
  before: 5_000, after: 6_500, byName: '阿杰', byRole: 'adBuyer', reason: '转化好，放量', source: 'advice', result: 'ok',
};

function plan(over: Partial<AdPlanView> = {}): AdPlanView {
  return {
    planId: 'qc-1',
    budgetFenPerMin: 5_000,
    paused: false,
    show: figs({ minutes: 20, spendFen: 90_000, spendPerMinFen: 4_500, adRoi: 2.1 }),
    recent: figs(),
    series: { spendFen: [], impressions: [], clicks: [], views: [], adGmvFen: [], budgetFenPerMin: [] },
    advice: {
      planId: 'qc-1', action: 'raise', budgetFenPerMin: 5_000, suggestedBudgetFenPerMin: 6_500, windowAdRoi: 2.5, marginalRoi: 3.9, lagMin: 2,
      expectedGmvDeltaFenPerMin: 5_850, expectedProfitDeltaFenPerMin: 1_200,
      reasons: [{ code: 'marginalRoi', value: 3.9, lagMin: 2 }, { code: 'aboveTargetAndBreakEven', target: 3, breakEven: 2.22 }, { code: 'organicRising', pct: 18 }],
      minute: 20,
    },
    ...over,
  };
}

function view(over: Partial<AdConsoleView> = {}): AdConsoleView {
  const economics = economicsView({ feeRate: 0.05, refundRate: 0.1, costOverrides: {} }, [{ productId: 'a', title: '面膜', priceFen: 10_000, catalogCostFen: 4_000, gmvFen: 30_000, items: 3 }, { productId: 'b', title: '唇釉', priceFen: 5_000, catalogCostFen: 3_000, gmvFen: 10_000, items: 2 }], null);
  const n = 21;
  const col = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  return {
    roomId: 'r', sessionId: 'r@1', startedAt: T0, ts: T0 + 20.5 * 60_000, minute: 20, ended: false, recentMinutes: 5, targetRoi: 3,
    economics, show: room({ minutes: 21, spendFen: 90_000, gmvFen: 300_000, roi: 3.33, adRoi: 2.1, profitFen: 45_000 }), recent: room(), paidShareTrend: 0.04,
    series: { spendFen: col(() => 4_000), paidEnters: col(() => 20), organicEnters: col(() => 80), gmvFen: col((i) => (i === 5 ? 0 : 12_000)), adGmvFen: col(() => 5_000), profitFen: col(() => 1_400) },
    plans: [plan()], actions: [action], commandsSupported: true, ...over,
  };
}

describe('AdSummary', () => {
  it('shows spend, ROI against break-even and target, profit, CPM, cost per paid entry and the paid share with its trend', () => {
    const v = view();
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<AdSummary view={v} />);
    // Every tile names its horizons: the whole show (全场) above, the last 5 minutes beneath.
    expect(html).toMatch(/data-testid="ad-kpi-spend" data-value="90000"[^>]*>.*?全场.*?¥900.*?近5分钟 <span class="">¥80\/分钟/);
    // The whole show's ROI 3.33 is above the target 3 → good; break-even 1 / 0.45 = 2.22
    expect(html).toMatch(/data-testid="ad-kpi-roi" data-value="3.33" data-state="good"/);
    expect(html).toMatch(/data-testid="ad-kpi-breakEven"[^>]*>.*?2\.22.*?目标ROI 3\.00/);
    expect(html).toContain('¥450'); // profit 45,000 fen
    expect(html).toContain('近5分钟 <span class="good">¥64/分钟</span>');
    expect(html).toContain('¥1.00'); // cost per paid entry, precise
    expect(html).toContain('近5分钟 <span class="">20.0% ↑4.0个点</span>');
    // One verdict per horizon, on the ads' own ROI, the overall ROI only as context.
    expect(html).toMatch(/data-testid="ad-verdict-show" data-state="bad" data-ad-roi="2.1"><b>全场<\/b> 广告支付ROI <b>2.10<\/b> · 低于保本：投放在亏钱 · 目标ROI 3.00 · 保本ROI 2.22/);
    expect(html).toContain('<b>近5分钟</b> 广告支付ROI <b>2.50</b> · 保本但低于目标 · 目标ROI 3.00 · 保本ROI 2.22<span class="muted"> · 整体支付ROI 4.00（含自然成交，不作判断）</span>');
  });

  it('turns red below break-even and says the ads lose money', () => {
    const v = view({ show: room({ minutes: 21, adRoi: 1.8, roi: 1.8 }) });
    const html = renderToStaticMarkup(<AdSummary view={v} />);
    expect(html).toMatch(/data-testid="ad-kpi-roi"[^>]*data-state="bad"/);
    expect(html).toContain('低于保本：投放在亏钱');
    expect(roiState(2.5, 3, 2.22)).toBe('warn');
    expect(roiState(2.5, 3, null)).toBe('warn');
    expect(roiState(null, 3, 2)).toBe('');
  });
});

describe('PlanCard', () => {
  it('shows the advice with reasons, the suggested budget and its expected effect, with one-click apply', () => {
    const v = view();
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<PlanCard plan={v.plans[0]!} view={v} transport={noTransport} />);
    expect(html).toMatch(/data-testid="ad-advice" data-action="raise" data-suggested="6500"/);
    expect(html).toContain('建议加投');
    expect(html).toContain('预算 ¥50 → ¥65/分钟');
    expect(html).toContain('近期边际ROI 3.90（成交滞后约 2 分钟），高于目标ROI 3.00 与保本ROI 2.22，自然流量上升 18%（付费撬动免费）');
    expect(html).toContain('预计 成交 +¥58.5/分钟 · 利润 +¥12/分钟');
    // What the data points to before the hysteresis lets it show: said, so a waiting advice is not a mystery.
    const waiting = plan({ advice: { ...plan().advice!, action: 'hold', suggestedBudgetFenPerMin: 5_000, pending: { action: 'cut', minutes: 1, needed: 3 } } });
    expect(renderToStaticMarkup(<PlanCard plan={waiting} view={v} transport={noTransport} />)).toContain('观察中：建议降投信号已持续 1/3 分钟');
    expect(renderToStaticMarkup(<PlanCard plan={waiting} view={v} transport={noTransport} />)).not.toContain('多花的钱在亏');
    expect(html).toMatch(/data-testid="ad-apply"(?![^>]*disabled)/);
    expect(html).toMatch(/data-testid="ad-pause"/);
    expect(html).toContain('¥80'); // spend per minute over the last 5
  });

  it('has no apply button when the advice is to hold; resume instead of pause when paused; disabled without commands', () => {
    const hold = plan({ paused: true, advice: { ...plan().advice!, action: 'hold', suggestedBudgetFenPerMin: 5_000, reasons: [{ code: 'paused' }] } });
    const v = view({ plans: [hold], commandsSupported: false });
    appStore.setState({ ads: v, locale: 'en' });
    const html = renderToStaticMarkup(<PlanCard plan={hold} view={v} transport={noTransport} />);
    expect(html).not.toContain('data-testid="ad-apply"');
    expect(html).not.toContain('ad-advice-pending');
    expect(html).toContain('the plan is paused');
    expect(html).toMatch(/data-testid="ad-resume"[^>]*disabled/);
    expect(html).toContain('This feed does not take ad commands');
  });
});

describe('ActionLog', () => {
  it('lists each action with its show minute and time, who, before → after and why', () => {
    const pause: AdActionRecord = { ...action, id: 'a2', ts: T0 + 15 * 60_000, type: 'adPause', before: null, after: null, reason: null, source: 'manual', byName: null, byRole: null };
    const v = view({ actions: [action, pause] });
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<ActionLog view={v} />);
    const rows = [...html.matchAll(/data-testid="ad-log-row" data-type="(\w+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['adPause', 'adBudget']); // newest first
    expect(html).toContain('第13分钟 <span class="muted small">20:15:30</span>');
    expect(html).toContain('¥50→¥65/分钟');
    expect(html).toContain('阿杰（投手）');
    expect(html).toContain('采纳建议</span> 转化好，放量');
    expect(html).toContain('未设置操作人');
  });
});

describe('EconomicsPanel', () => {
  it('shows break-even, the blended margin, where the refund rate comes from, and each product’s cost', () => {
    const v = view();
    appStore.setState({ ads: v });
    const html = renderToStaticMarkup(<EconomicsPanel view={v} transport={noTransport} />);
    expect(html).toMatch(/data-testid="ad-econ-break-even">2\.22</);
    expect(html).toContain('45.0%'); // after cost, fee and refunds
    expect(html).toContain('按本场销售结构');
    expect(html).toContain('预计退款率 10.0% · 按设置');
    // The catalog's cost is a value in the field, tagged with its source; no number in a placeholder.
    expect(html).toMatch(/data-testid="ad-econ-cost-a" placeholder="未录入" value="40"/);
    expect(html).toContain('data-testid="ad-econ-cost-source-a">目录<');
  });
});

describe('AdConsole', () => {
  it('says when there is no show, and shows the whole console when there is', () => {
    appStore.setState({ ads: null, room: null });
    expect(renderToStaticMarkup(<AdConsole transport={noTransport} />)).toContain('本直播间还没有开播');
    appStore.setState({ ads: view() });
    const html = renderToStaticMarkup(<AdConsole transport={noTransport} />);
    for (const id of ['ad-summary', 'ad-chart', 'ad-log', 'ad-plan-qc-1', 'ad-economics']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toMatch(/data-testid="ad-chart" data-minutes="21" data-marks="1" data-target="3"/);
  });
});

describe('the console chart and the marks', () => {
  it('rolls ROI over 3 minutes', () => {
    expect(rollingRoi([300, 0, 600, 0], [100, 100, 100, 0])).toEqual([3, 1.5, 3, 3]);
    expect(rollingRoi([100], [0])).toEqual([null]);
  });

  it('draws the target and break-even lines and a mark per action at its time', () => {
    const opt = adChartOption(view(), 'zh-CN');
    const roi = opt.series[4]!;
    const lines = roi.markLine!.data as Array<{ yAxis?: number; xAxis?: number }>;
    expect(lines.filter((l) => l.yAxis !== undefined).map((l) => l.yAxis)).toEqual([3, 2.22]);
    expect(lines.filter((l) => l.xAxis !== undefined).map((l) => l.xAxis)).toEqual([12 + 5 / 60]);
    const marks = opt.series[1]!.markLine!.data as Array<{ xAxis: number; name: string }>;
    expect(marks).toEqual([expect.objectContaining({ xAxis: 12 + 5 / 60, name: '¥50→¥65' })]);
    expect(opt.series.map((s) => s.name)).toEqual(['消耗', '成交金额', '广告成交', '付费进人', 'ROI（近3分钟）']);
    const tip = opt.tooltip.formatter([{ axisValue: 12 }]);
    expect(tip).toContain('改预算 ¥50→¥65/分钟 · qc-1 · 阿杰（投手） · 采纳建议 · 转化好，放量');
  });

  it('puts each action on the minute chart as a mark with before → after, who and why', () => {
    const { planId, type, before, after, byName, byRole, reason, source } = action;
    const mark: SessionMarker = { seq: -1, ts: action.ts, minute: 12, kind: 'ad', text: null, ad: { planId, type, before, after, byName, byRole, reason, source } };
    expect(markerMarks([mark], T0, 'zh-CN')).toEqual([{ at: 12 + 5 / 60, color: MARKER_COLORS.ad, tag: '投', title: '投放操作 第13分钟 — 改预算 ¥50→¥65/分钟 · qc-1 · 阿杰（投手） · 采纳建议 · 转化好，放量' }]);
    expect(markerLine(mark, 'en')).toContain('<b>Ad action</b> minute 13 — Budget ¥50→¥65/min · qc-1 · 阿杰 (Ad buyer) · from advice · 转化好，放量');
    expect(markerTooltipLines([mark], 11, 'zh-CN')).toEqual([]);
    expect(markerTooltipLines([mark], 12, 'zh-CN')).toHaveLength(1);
  });

  it('words an action for marks and the log in either language', () => {
    expect(adTag(action, 'en')).toBe('¥50→¥65');
    expect(adActionText({ ...action, type: 'adResume', before: null, after: null, reason: null, source: 'manual' }, 'en')).toBe('Resume · qc-1 · 阿杰 (Ad buyer) · manual');
    expect(adWho({ byName: null, byRole: null }, 'en')).toBe('operator not set');
    expect(adWho({ byName: 'Li', byRole: 'custom' }, 'en')).toBe('Li (custom)');
  });

  it('reads a budget in yuan', () => {
    expect(parseBudgetYuan('65')).toBe(6_500);
    expect(parseBudgetYuan(' ¥65.5 ')).toBe(6_550);
    expect(parseBudgetYuan('-1')).toBeNull();
    expect(parseBudgetYuan('abc')).toBeNull();
    expect(parseBudgetYuan('1.234')).toBeNull();
  });
});

describe('the break-even alert in words', () => {
  it('reads in Chinese and English', () => {
    const a: Alert = { id: 'x', roomId: 'r', sessionId: 's', kind: 'roiBelowBreakEven', ts: 0, minute: 9, params: { value: 1.84, breakEven: 2.22, target: 3 }, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null };
    expect(alertText(a, 'zh-CN')).toBe('广告支付ROI 1.84 低于保本ROI 2.22，投放在亏钱');
    expect(alertText(a, 'en')).toBe('Ad ROI 1.84 below break-even 2.22: the ads lose money');
  });
});
