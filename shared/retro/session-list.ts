/**
 * The figures a session list row shows, taken from a show's KPIs by one rule — the core's list
 * and the screen (which lays the open report's figures over its row) both use it, so the list and
 * an open report of a live show never disagree.
 */
import type { Kpis } from '../metrics/types.ts';
import type { SessionListItem } from './types.ts';

export type SessionListFigures = Pick<SessionListItem, 'gmvFen' | 'orders' | 'pv' | 'peakOnline' | 'gpm' | 'durationSec'>;

export function sessionListFigures(k: Partial<Kpis>): SessionListFigures {
  return { gmvFen: k.gmvFen ?? null, orders: k.orders ?? null, pv: k.pv ?? null, peakOnline: k.peakOnline ?? null, gpm: k.gpm ?? null, durationSec: k.durationSec ?? null };
}

/** The list with the open report's figures on its row: what the team reads side by side is one figure. */
export function withOpenReport(list: readonly SessionListItem[], report: { session: { sessionId: string }; kpis: Kpis } | null): SessionListItem[] {
  if (!report) return [...list];
  return list.map((s) => (s.sessionId === report.session.sessionId ? { ...s, ...sessionListFigures(report.kpis) } : s));
}
