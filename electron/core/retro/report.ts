/**
 * `lcr report --json` and everything downstream of it read a session through here: the stored
 * rollups when they are current, otherwise a recomputation from the raw events through the same
 * aggregator the live view uses — one definition of every number (METRICS.md).
 */
import { SessionAggregator } from '../../../shared/metrics/aggregator.ts';
import { sessionInfo } from '../../../shared/contract.ts';
import type { StoreReader } from '../store/reader.ts';
import type { ReportCore, RetroAction } from '../../../shared/retro/types.ts';
import type { Settlement } from '../../../shared/imports/types.ts';
import { importedSessionMetrics, isImportedSession, settleReport } from '../store/imports.ts';

/** CONTRACTS.md's report; one definition with the screen's (shared/retro/types.ts). */
export type Report = ReportCore;
export type ReportAction = RetroAction;

export function buildReport(reader: StoreReader, sessionId: string, opts: { recompute?: boolean } = {}): Report {
  return buildReportParts(reader, sessionId, opts).report;
}

/**
 * The report and the session's settlement: with a settled import, `kpis`, `minutes` and
 * `products` are the settled figures and `settlement` says what moved from the live ones.
 */
export function buildReportParts(reader: StoreReader, sessionId: string, opts: { recompute?: boolean } = {}): { report: Report; settlement: Settlement | null } {
  const s = reader.getSession(sessionId);
  if (!s) throw new Error(`no session ${sessionId} in the store (see: lcr sessions)`);
  const session = sessionInfo(s);
  const r = opts.recompute ? undefined : reader.rollups(sessionId);
  // An imported show has no events to recompute from: its tables are its raw log.
  const current = r && r.rollupSeq === s.lastSeq && (s.endedAt === null || r.windowEnd === s.endedAt);
  const live = current ? r : isImportedSession(s) ? importedSessionMetrics(reader.db, s) : recompute(reader, sessionId, s.startedAt, s.endedAt);
  const { metrics, settlement } = settleReport(reader.db, s, live);
  const report: Report = {
    session,
    kpis: metrics.kpis,
    minutes: metrics.minutes,
    products: metrics.products,
    segments: metrics.segments,
    alerts: reader.alerts({ sessionId }),
    actions: reportActions(reader, sessionId),
    quarantined: reader.quarantinedByReason(sessionId),
    gaps: reader.gaps(sessionId),
  };
  const totals = reader.platformTotals(sessionId);
  if (totals.length) report.platformTotals = totals;
  return { report, settlement };
}

/** Suggestions, ad actions and messages to the host, merged by source time (a stable sort keeps each log's own order). */
function reportActions(reader: StoreReader, sessionId: string): ReportAction[] {
  const suggestions: ReportAction[] = reader.decisions({ sessionId }).map((d) => ({ type: 'suggestion' as const, ...d }));
  const ads: ReportAction[] = reader.adActions({ sessionId }).map(({ type, ...a }) => ({ type: 'ad' as const, action: type, ...a }));
  const prompts: ReportAction[] = reader
    .prompts({ sessionId })
    .reverse()
    .flatMap(({ ts, ...p }) => (ts === null ? [] : [{ type: 'prompt' as const, ts, ...p }]));
  return [...suggestions, ...ads, ...prompts].sort((a, b) => a.ts - b.ts);
}

function recompute(reader: StoreReader, sessionId: string, startedAt: number, endedAt: number | null) {
  const agg = new SessionAggregator(startedAt);
  let lastTs = startedAt;
  for (const e of reader.knownEvents(sessionId, startedAt)) {
    agg.ingest(e);
    if (e.ts > lastTs) lastTs = e.ts;
  }
  return agg.snapshot(endedAt ?? lastTs);
}
