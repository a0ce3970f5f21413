/**
 * The retrospective's charts (shared/retro/chart-options.ts): money in yuan with ¥ and 万 on every
 * axis — never a raw "300000" — counts with 万, rates in %, on the report and on compare.
 */
import { describe, expect, it } from 'vitest';
import { axisFormatter, compareChartOption, reportChartOptions, PAPER, SCREEN, type CompareMetric } from '../../shared/retro/chart-options.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import type { Comparison, RetroReportView } from '../../shared/retro/types.ts';

type Axis = { axisLabel?: { formatter?: unknown } };
const label = (axis: Axis, v: number) => (axis.axisLabel!.formatter as (v: number) => string)(v);

const comparison: Comparison = {
  align: 'minute',
  currency: 'CNY',
  series: [0, 1].map((i) => ({
    sessionId: `s${i}`,
    roomId: 'r',
    title: '美妆专场',
    startedAt: 1_700_000_000_000 + i * 86_400_000,
    kpis: { gmvFen: 30_000_000, gpm: 1200, pv: 25_000, peakOnline: 900, ctr: 0.05, clickToOrder: 0.04, orders: 300, durationSec: 3600 },
    points: [0, 1].map((x) => ({ x, label: String(x + 1), productId: null, onlineAvg: 12_000, gmvFen: 15_000_000, cumGmvFen: 15_000_000 * (x + 1), ctr: 0.05, gpm: 1200, enters: 100 })),
  })),
  deltas: [],
};

describe('chart axes people can read', () => {
  it('writes money as ¥ with 万 or K, counts with 万, rates as %', () => {
    expect(axisFormatter('money', 'zh-CN')(300_000)).toBe('¥30万');
    expect(axisFormatter('money', 'zh-CN')(3_000)).toBe('¥3,000');
    expect(axisFormatter('money', 'en')(300_000)).toBe('¥300K');
    expect(axisFormatter('count', 'zh-CN')(150_000)).toBe('15万');
    expect(axisFormatter('rate', 'zh-CN')(0.025)).toBe('2.5%');
  });

  it('compares shows in ¥ (yuan on the axis, never fen), online as counts, CTR as %', () => {
    const expectLabel: Record<CompareMetric, [number, string]> = { cumGmvFen: [300_000, '¥30万'], gmvFen: [150_000, '¥15万'], gpm: [1200, '¥1,200'], onlineAvg: [12_000, '12,000'], ctr: [0.05, '5%'] };
    for (const [metric, [v, text]] of Object.entries(expectLabel) as Array<[CompareMetric, [number, string]]>) {
      const spec = compareChartOption(comparison, metric, 'zh-CN', SCREEN, { metric, x: (x) => `${x}分` });
      const o = spec.option as { yAxis: Axis; series: Array<{ data: Array<{ value: [number, number] }> }> };
      expect(label(o.yAxis, v), metric).toBe(text);
    }
    // The cumulative GMV series carries yuan: ¥15万 then ¥30万, not 15,000,000 fen.
    const cum = compareChartOption(comparison, 'cumGmvFen', 'zh-CN', SCREEN, { metric: '累计成交金额', x: String }).option as { series: Array<{ data: Array<{ value: [number, number] }> }> };
    expect(cum.series[0]!.data.map((d) => d.value[1])).toEqual([150_000, 300_000]);
  });

  it('labels every value axis of the report charts with ¥, counts or %', () => {
    const r = {
      session: { sessionId: 's', roomId: 'r', platform: 'sim', title: 't', startedAt: 0, endedAt: 120_000 },
      minutes: [0, 1].map((m) => ({ minute: m, ts: m * 60_000, onlineAvg: 12_000, onlineMax: 12_000, onlineEnd: 12_000, enters: 100, likes: 0, comments: 0, follows: 0, shares: 0, fansclub: 0, giftFen: 0, exposures: 0, clicks: 0, orders: 0, items: 0, gmvFen: 30_000_000, refundFen: 0, adSpendFen: 0, pinnedProductId: null, ctr: 0.05, gpm: 1200 })),
      segments: [],
      products: [],
      timeline: { markers: [], adActions: [] },
      actions: [],
      alerts: [],
      notes: [],
      traffic: { perMinute: [] },
      scorecard: { segments: [], baseline: { gmvPerMin: 300_000 } },
      demand: { perMinute: [] },
    } as unknown as RetroReportView;
    for (const theme of [SCREEN, PAPER]) {
      const specs = reportChartOptions(r, localiser('zh-CN'), 1000, theme);
      const t = specs.timeline.option as { yAxis: Axis[] };
      expect(label(t.yAxis[0]!, 150_000)).toBe('15万');
      expect(label(t.yAxis[1]!, 300_000)).toBe('¥30万');
      const rates = specs.rates.option as { yAxis: Axis[] };
      expect(label(rates.yAxis[0]!, 1200)).toBe('¥1,200');
      expect(label(rates.yAxis[1]!, 0.05)).toBe('5%');
      expect(label((specs.segments.option as { yAxis: Axis }).yAxis, 300_000)).toBe('¥30万');
      expect(label((specs.traffic.option as { yAxis: Axis }).yAxis, 150_000)).toBe('15万');
      // The GMV bars carry yuan (¥30万 a minute), not fen.
      const bars = (specs.timeline.option as { series: Array<{ data: Array<[number, number]> }> }).series[1]!.data;
      expect(bars.map((b) => b[1])).toEqual([300_000, 300_000]);
    }
  });
});
