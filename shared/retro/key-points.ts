/**
 * 本场要点 (what matters): the few facts a team must read first, worst first — written once here
 * for the report screen, the HTML/PDF, the workbook and `lcr report`. Pure.
 *
 * Bad facts come before warnings, warnings before good news; within each, the bigger weight first:
 * 1. Ads below break-even: the ad ROI (广告支付ROI) under 保本ROI means every yuan of ad spend
 *    brought less margin than it cost; the whole show's ROI under it means the show lost money.
 *    Without a break-even figure, an estimated loss (估算利润 < 0) says the same.
 * 2. The headline's callouts (shared/retro/headline.ts): missed targets, worst of the last shows,
 *    big falls — and on the good side targets met, records, big rises.
 * 3. The weakest segment (¥/min 25 % or more under the room's), the biggest drops with what caused
 *    them, dead air; the biggest gain as good news.
 */
import { minuteLabel } from '../minutes.ts';
import type { Callout, DeadAir, Headline, KeyPoint, Moment, Review, Scorecard, SegmentScore } from './types.ts';

export type { KeyPoint } from './types.ts';
import { formatChange } from './labels.ts';
import { formatDuration, formatMoneyFen, formatYuan } from '../format.ts';
import { inBoth } from '../i18n/localiser.ts';


const MAX_POINTS = 9;
const TONE_ORDER: Record<KeyPoint['tone'], number> = { bad: 0, warn: 1, good: 2 };

function ratio(x: number): string {
  return x.toFixed(2);
}

/** The ROI facts a 投手 is judged on: ad and overall ROI against break-even, else the estimated profit. */
function roiPoints(rv: Review['roi']): KeyPoint[] {
  const out: KeyPoint[] = [];
  const { adRoi, roi, breakEvenRoi: be } = rv;
  const loss = rv.profitFen !== null && rv.profitFen < 0 ? rv.profitFen : null;
  if (be !== null && adRoi !== null && rv.adSpendFen > 0 && adRoi < be) {
    out.push({
      kind: 'below-break-even',
      tone: 'bad',
      weight: 300 + (1 - adRoi / be) * 100,
      ...inBoth((t) => t('point.adBelowBreakEven', { roi: ratio(adRoi), breakEven: ratio(be), spend: formatMoneyFen(rv.adSpendFen, t.locale) })),
    });
  }
  if (be !== null && roi !== null && rv.adSpendFen > 0 && roi < be) {
    out.push({
      kind: 'below-break-even',
      tone: 'bad',
      weight: 290 + (1 - roi / be) * 100,
      ...inBoth((t) => t('point.showBelowBreakEven', { roi: ratio(roi), breakEven: ratio(be), loss: loss === null ? '' : t('point.lossTail', { loss: formatMoneyFen(-loss, t.locale) }) })),
    });
  } else if (loss !== null) {
    out.push({ kind: 'loss', tone: 'bad', weight: 280, ...inBoth((t) => t('point.loss', { profit: formatMoneyFen(loss, t.locale) })) });
  }
  return out;
}

function calloutPoint(c: Callout): KeyPoint {
  const bad = c.kind === 'target-missed' || c.kind === 'worst' || c.kind === 'down';
  return { kind: c.kind, tone: bad ? 'bad' : 'good', weight: c.weight, zh: c.zh, en: c.en };
}

/** The segment that cost the most against the room: ¥/min short of the baseline × its minutes. */
function weakestSegment(segments: readonly SegmentScore[], baselinePerMin: number | null): KeyPoint | null {
  if (baselinePerMin === null) return null;
  let worst: SegmentScore | null = null;
  let cost = 0;
  for (const s of segments) {
    if (s.verdict !== 'weak' || s.gmvPerMin === null) continue;
    const c = (baselinePerMin - s.gmvPerMin) * (s.durationSec / 60);
    if (c > cost) [worst, cost] = [s, c];
  }
  if (!worst) return null;
  const seg = worst;
  return {
    kind: 'weak-segment',
    tone: 'warn',
    weight: 50,
    ...inBoth((t) =>
      t('point.weakest', {
        title: seg.title,
        at: minuteLabel(seg.startMinute, t.locale),
        duration: formatDuration(seg.durationSec),
        perMin: formatYuan(seg.gmvPerMin, t.locale),
        vs: formatChange(seg.vsRoom.gmvPerMin, 0),
      }),
    ),
  };
}

function movePoint(m: Moment, kind: 'drop' | 'gain', weight: number): KeyPoint {
  return { kind, tone: kind === 'drop' ? 'warn' : 'good', weight, zh: m.zh, en: m.en };
}

function deadAirPoint(d: DeadAir): KeyPoint {
  return { kind: 'dead-air', tone: 'warn', weight: 40 + d.minutes, zh: d.zh, en: d.en };
}

export function buildKeyPoints(inp: { headline: Pick<Headline, 'callouts'>; review: Pick<Review, 'roi'>; scorecard: Scorecard }): KeyPoint[] {
  const sc = inp.scorecard;
  const points: KeyPoint[] = [
    ...roiPoints(inp.review.roi),
    ...inp.headline.callouts.map(calloutPoint),
    ...sc.drops.slice(0, 2).map((d, i) => movePoint(d, 'drop', 60 - i)),
    ...sc.deadAir.slice(0, 2).map(deadAirPoint),
    ...sc.gains.slice(0, 1).map((g) => movePoint(g, 'gain', 20)),
  ];
  const weak = weakestSegment(sc.segments, sc.baseline.gmvPerMin);
  if (weak) points.push(weak);
  return points.sort((a, b) => TONE_ORDER[a.tone] - TONE_ORDER[b.tone] || b.weight - a.weight).slice(0, MAX_POINTS);
}
