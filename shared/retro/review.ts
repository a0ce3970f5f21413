/**
 * The four review dimensions of a 复盘 (销售指标达成, 传播价值, 人群资产沉淀, 投入产出比) and
 * what following or ignoring the suggestions was worth. Pure.
 *
 * The suggestion comparison is observational: segments that began by accepting a suggestion are
 * set beside segments chosen while a suggestion for another product was on screen. Hosts follow
 * advice more at some moments than others, so the difference is a pointer, not a measured effect
 * (`lcr evaluate` measures that on the simulator).
 */
import type { Kpis } from '../metrics/types.ts';
import type { RoomTargets } from '../alerts/types.ts';
import type { Decision } from '../suggest/live.ts';
import { outcomeCounts, suggestionOutcomes } from '../suggest/decisions.ts';
import type { GroupFigures, Review, SegmentScore, TrafficMix } from './types.ts';
import { targetStatus } from './headline.ts';
import { inBoth, localiser } from '../i18n/localiser.ts';

/** The room's economics as the ad console defines them (shared/ads): what a yuan of GMV leaves. */
export interface EconomicsInput {
  /** per yuan of GMV after goods, platform fee and refunds; null without any cost figure */
  margin: number | null;
  breakEvenRoi: number | null;
  feeRate: number;
  refundRate: number;
  refundSource: 'setting' | 'learned' | 'default' | 'observed';
  /** products that sold without a cost figure */
  missingCosts: number;
}

/**
 * The targets a show is judged against: the room's, with the show's own GMV target (set on its
 * report or imported) in place of the room's when it has one.
 */
export function showTargets(room: RoomTargets, showGmvFen: number | null): { targets: RoomTargets; gmvTargetSource: Review['sales']['gmvTargetSource'] } {
  if (showGmvFen !== null) return { targets: { ...room, gmvFen: showGmvFen }, gmvTargetSource: 'show' };
  return { targets: room, gmvTargetSource: room.gmvFen != null ? 'room' : null };
}

export interface ReviewInput {
  kpis: Kpis;
  /** as showTargets gives them */
  targets: RoomTargets;
  gmvTargetSource?: Review['sales']['gmvTargetSource'];
  /** mean GMV of the previous sessions, when there are any */
  previousGmvMeanFen: number | null;
  traffic: TrafficMix;
  scorecard: { segments: readonly SegmentScore[] };
  decisions: readonly Decision[];
  economics: EconomicsInput | null;
}

function group(segs: readonly SegmentScore[]): GroupFigures {
  const t = segs.reduce((a, s) => ({ sec: a.sec + s.durationSec, gmv: a.gmv + s.gmvFen, exp: a.exp + s.exposures, clicks: a.clicks + s.clicks, orders: a.orders + s.orders }), { sec: 0, gmv: 0, exp: 0, clicks: 0, orders: 0 });
  return {
    segments: segs.length,
    minutes: t.sec / 60,
    gmvFen: t.gmv,
    gmvPerMin: t.sec > 0 ? t.gmv / 100 / (t.sec / 60) : null,
    ctr: t.exp > 0 ? t.clicks / t.exp : null,
    clickToOrder: t.clicks > 0 ? t.orders / t.clicks : null,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function buildReview(inp: ReviewInput): Review {
  const k = inp.kpis;
  const gmvTarget = inp.targets.gmvFen ?? null;
  const tol = inp.targets.tolerance;
  const followed = group(inp.scorecard.segments.filter((s) => s.advice === 'followed'));
  const against = group(inp.scorecard.segments.filter((s) => s.advice === 'against'));
  const other = group(inp.scorecard.segments.filter((s) => s.advice === null));
  const difference = followed.gmvPerMin !== null && against.gmvPerMin !== null && against.gmvPerMin > 0 ? followed.gmvPerMin / against.gmvPerMin - 1 : null;
  const e = inp.economics;
  // The estimate's assumptions in both languages: the report is built once, read in either.
  const assumptions: Array<{ zh: string; en: string }> = [];
  let profitFen: number | null = null;
  if (e && e.margin !== null) {
    profitFen = Math.round(k.gmvFen * e.margin - k.adSpendFen);
    const src = e.refundSource;
    assumptions.push(
      inBoth((t) => t('review.fee', { pct: pct(e.feeRate) })),
      inBoth((t) => t('review.refund', { pct: pct(e.refundRate), src: t(`review.refund.${src}`) })),
      inBoth((t) => t('review.costs')),
    );
    if (e.missingCosts > 0) assumptions.push(inBoth((t) => t('review.missingCosts', { n: e.missingCosts })));
  } else {
    assumptions.push(inBoth((t) => t('review.noCosts')));
  }
  const observational = inBoth((t) => t('review.observational'));
  return {
    sales: {
      gmvFen: k.gmvFen,
      gmvTargetFen: gmvTarget,
      gmvTargetSource: gmvTarget === null ? null : (inp.gmvTargetSource ?? 'room'),
      attainment: gmvTarget !== null && gmvTarget > 0 ? k.gmvFen / gmvTarget : null,
      vsPrevious: inp.previousGmvMeanFen !== null && inp.previousGmvMeanFen > 0 ? k.gmvFen / inp.previousGmvMeanFen - 1 : null,
      orders: k.orders,
      ctr: { value: k.ctr, target: inp.targets.ctr, status: targetStatus(k.ctr, inp.targets.ctr, tol) },
      clickToOrder: { value: k.clickToOrder, target: inp.targets.clickToOrder, status: targetStatus(k.clickToOrder, inp.targets.clickToOrder, tol) },
    },
    reach: {
      pv: k.pv,
      uv: k.uv,
      peakOnline: k.peakOnline,
      avgOnline: k.avgOnline,
      avgWatchSec: k.avgWatchSec,
      shares: k.shares,
      likes: k.likes,
      comments: k.comments,
      naturalShare: inp.traffic.naturalShare,
    },
    audience: {
      newFollowers: k.newFollowers,
      followRate: k.followRate,
      fansclubJoins: k.fansclubJoins,
      fansclubRate: k.uv !== null && k.uv > 0 ? k.fansclubJoins / k.uv : null,
      buyers: k.buyers,
      returningViewers: null,
      returningNote: localiser('en')('report.returningNote'),
    },
    roi: {
      adSpendFen: k.adSpendFen,
      adGmvFen: k.adGmvFen,
      roi: k.roi,
      adRoi: k.adRoi,
      roiTarget: inp.targets.roi,
      // The KPI the live ad console showed wins: one figure per number; the estimate fills in when it is unknown.
      breakEvenRoi: k.breakEvenRoi ?? e?.breakEvenRoi ?? null,
      margin: e?.margin ?? null,
      profitFen,
      assumptionsZh: assumptions.map((a) => a.zh),
      assumptionsEn: assumptions.map((a) => a.en),
    },
    suggestions: {
      counts: outcomeCounts(suggestionOutcomes(inp.decisions)),
      followed,
      against,
      other,
      difference,
      noteZh: observational.zh,
      noteEn: observational.en,
    },
  };
}
