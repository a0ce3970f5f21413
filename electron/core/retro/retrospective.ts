/**
 * The retrospective (复盘, issue 6): CONTRACTS.md's report (`buildReport`, whose keys stay exactly
 * as they are) plus the sections a host and a team lead read the morning after — headline,
 * segment scorecard, funnel, traffic mix, demand words, the four review dimensions, notes and the
 * timeline's marks. `lcr report`, `lcr export` and the core's getReport all come through here.
 *
 * Speed: everything is read from rollups (METRICS.md's, and the retro rollup of migration v7 that
 * the core writes live); only when a rollup is missing or stale is the raw event log read again —
 * through the same aggregator and the same collector, so the figures are the same either way.
 */
import { buildReport, buildReportParts, type Report } from './report.ts';
import type { StoreReader, StoredSession } from '../store/reader.ts';
import { previousSessions, readAdActions, readNotes, readRetroRollup, readSessionTarget } from '../store/retro.ts';
import { DEFAULT_TARGETS } from '../../../shared/contract.ts';
import { collectExtras, type RetroExtras } from '../../../shared/retro/extras.ts';
import { buildHeadline } from '../../../shared/retro/headline.ts';
import { buildScorecard } from '../../../shared/retro/scorecard.ts';
import { buildDemand, buildFunnel, buildTrafficMix } from '../../../shared/retro/funnel.ts';
import { buildReview, showTargets, type EconomicsInput } from '../../../shared/retro/review.ts';
import { buildKeyPoints } from '../../../shared/retro/key-points.ts';
import { compareSessions } from '../../../shared/retro/compare.ts';
import type { Comparison, RetroSections } from '../../../shared/retro/types.ts';
import type { Decision } from '../../../shared/suggest/live.ts';
import { DEFAULT_ECONOMICS, economicsView, learnedRefundRate } from '../../../shared/ads/economics.ts';

/** How many earlier shows of the room the headline compares against. */
export const PREVIOUS_N = 5;

export type RetroReport = Report & RetroSections;

export interface RetroOptions {
  /** Read every figure from the raw events, ignoring the rollups (the benchmark's baseline). */
  recompute?: boolean;
  previousN?: number;
  /** Called with extras computed from the raw log of an ended show, so a caller can store them. */
  onExtrasRecomputed?: (row: { sessionId: string; rollupSeq: number; windowEnd: number; extras: RetroExtras }) => void;
}

function metricsAreCurrent(reader: StoreReader, s: StoredSession): boolean {
  const r = reader.rollupHead(s.sessionId);
  return r !== undefined && r.rollupSeq === s.lastSeq && (s.endedAt === null || r.windowEnd === s.endedAt);
}

/** One pass over the raw log with the live path's collector and demand rules. */
export function recomputeExtras(reader: StoreReader, s: StoredSession): RetroExtras {
  return collectExtras(s.startedAt, reader.knownEvents(s.sessionId, s.startedAt));
}

export function sessionExtras(reader: StoreReader, s: StoredSession, opts: RetroOptions = {}): { extras: RetroExtras; source: 'rollups' | 'recomputed' } {
  const stored = opts.recompute ? undefined : readRetroRollup(reader, s.sessionId);
  if (stored && stored.rollupSeq === s.lastSeq && (s.endedAt === null || stored.windowEnd === s.endedAt)) return { extras: stored.extras, source: 'rollups' };
  const extras = recomputeExtras(reader, s);
  if (s.endedAt !== null) opts.onExtrasRecomputed?.({ sessionId: s.sessionId, rollupSeq: s.lastSeq, windowEnd: s.endedAt, extras });
  return { extras, source: 'recomputed' };
}

/**
 * The margin for the show as it sold, by the ad console's one definition (shared/ads/economics.ts):
 * the team's settings for the room, the refund rate learned from its earlier shows, each product's
 * margin at the price it sold for, weighted by its GMV.
 */
function economicsOf(reader: StoreReader, s: StoredSession, report: Report, extras: RetroExtras, previous: ReturnType<typeof previousSessions>): EconomicsInput | null {
  const settings = reader.economics(s.roomId) ?? DEFAULT_ECONOMICS;
  const learned = learnedRefundRate(previous.map((p) => ({ gmvFen: p.kpis.gmvFen, refundFen: p.kpis.refundFen })));
  const view = economicsView(
    settings,
    report.products.map((p) => ({ productId: p.productId, title: p.title, priceFen: p.priceFen, catalogCostFen: extras.catalogCostFen[p.productId] ?? null, gmvFen: p.gmvFen, items: p.items })),
    learned,
  );
  if (view.margin === null) return null;
  return {
    margin: view.margin,
    breakEvenRoi: view.breakEvenRoi,
    feeRate: view.feeRate,
    refundRate: view.refundRate,
    refundSource: view.refundSource,
    missingCosts: view.products.filter((p) => p.gmvFen > 0 && p.margin === null).length,
  };
}

export function buildRetroReport(reader: StoreReader, sessionId: string, opts: RetroOptions = {}): RetroReport {
  const s = reader.getSession(sessionId);
  if (!s) throw new Error(`no session ${sessionId} in the store (see: lcr sessions)`);
  const metricsSource = !opts.recompute && metricsAreCurrent(reader, s) ? 'rollups' : 'recomputed';
  // With a settled import the figures are the settled ones, and `settlement` says what moved.
  const { report: base, settlement } = buildReportParts(reader, sessionId, { recompute: opts.recompute });
  const { extras, source } = sessionExtras(reader, s, opts);
  const { targets, gmvTargetSource } = showTargets(reader.targets(s.roomId) ?? { ...DEFAULT_TARGETS }, readSessionTarget(reader, sessionId)?.gmvFen ?? null);
  const previousN = opts.previousN ?? PREVIOUS_N;
  const previous = previousSessions(reader, s.roomId, s.startedAt, previousN);
  const decisions: Decision[] = reader.decisions({ sessionId });
  const adActions = readAdActions(reader, sessionId);
  const scorecard = buildScorecard({
    startedAt: s.startedAt,
    minutes: base.minutes,
    segments: base.segments,
    products: base.products,
    decisions,
    alerts: base.alerts,
    markers: extras.markers,
    adActions,
    traffic: extras.traffic,
    stockOuts: extras.stockOuts,
  });
  const traffic = buildTrafficMix(extras, base.minutes.length);
  const prevGmv = previous.length ? previous.reduce((a, p) => a + p.kpis.gmvFen, 0) / previous.length : null;
  const economics = economicsOf(reader, s, base, extras, previous);
  // METRICS.md's breakEvenRoi comes "from the team's settings": the stored minute rollups do not
  // carry it, so the report fills it from the ad console's economics — one figure in the headline,
  // the ROI card, `lcr report --json` and the exports.
  const kpis = base.kpis.breakEvenRoi === null && economics?.breakEvenRoi != null ? { ...base.kpis, breakEvenRoi: economics.breakEvenRoi } : base.kpis;
  const headline = buildHeadline(kpis, targets, previous);
  const review = buildReview({ kpis, targets, gmvTargetSource, previousGmvMeanFen: prevGmv, traffic, scorecard, decisions, economics });
  return {
    ...base,
    kpis,
    headline,
    keyPoints: buildKeyPoints({ headline, review, scorecard }),
    scorecard,
    funnel: buildFunnel(base.kpis),
    traffic,
    demand: buildDemand(extras),
    review,
    notes: readNotes(reader, sessionId),
    timeline: { markers: extras.markers, adActions },
    targets,
    retro: { metrics: metricsSource, extras: source, previousN },
    settlement,
  };
}

/** Sessions side by side; figures from their rollups (or their raw events when stale). */
export function buildComparison(reader: StoreReader, sessionIds: readonly string[], align: 'minute' | 'slot'): Comparison {
  const inputs = sessionIds.map((id) => {
    const rep = buildReport(reader, id);
    return {
      sessionId: id,
      roomId: rep.session.roomId,
      title: rep.session.title,
      startedAt: rep.session.startedAt,
      kpis: rep.kpis,
      minutes: rep.minutes,
      segments: rep.segments,
      titles: new Map(rep.products.map((p) => [p.productId, p.title])),
      currency: rep.session.currency,
    };
  });
  return compareSessions(inputs, align);
}
