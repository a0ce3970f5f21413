/**
 * The decision log read back (for the retrospective's review): each suggestion that appeared, with
 * what became of it. Pure: it takes the log's rows (StoreReader.decisions) and returns data.
 */
import type { Decision, DecisionKind } from './live.ts';
import type { Reason } from './types.ts';

export interface SuggestionOutcome {
  suggestionId: string;
  kind: DecisionKind;
  productId: string | null;
  /** source time it appeared (null: only its accept/dismiss row is in the log) */
  shownTs: number | null;
  /** `ignored`: shown, and left to go away by itself */
  outcome: 'accepted' | 'dismissed' | 'ignored';
  /** the pin accepting it sent was undone (the operator took it back) */
  undone?: boolean;
  /** source time of the accept/dismiss */
  decidedTs: number | null;
  figures: Decision['figures'];
  reasons: Reason[];
  byName: string | null;
  byRole: string | null;
  reason: string | null;
}

/** One entry per suggestion, in the order they appeared (hand pins from the board are not suggestions). */
export function suggestionOutcomes(decisions: readonly Decision[]): SuggestionOutcome[] {
  const byId = new Map<string, SuggestionOutcome>();
  for (const d of decisions) {
    if (d.kind === 'pin') continue;
    if (d.action === 'undone') {
      const accepted = byId.get(d.suggestionId);
      if (accepted) accepted.undone = true;
      continue;
    }
    let o = byId.get(d.suggestionId);
    if (!o) {
      o = { suggestionId: d.suggestionId, kind: d.kind, productId: d.productId, shownTs: null, outcome: 'ignored', decidedTs: null, figures: d.figures, reasons: d.reasons, byName: null, byRole: null, reason: null };
      byId.set(d.suggestionId, o);
    }
    if (d.action === 'shown') o.shownTs = o.shownTs === null ? d.ts : Math.min(o.shownTs, d.ts);
    else if (o.outcome === 'ignored') {
      // The first decision stands (a second click changes nothing).
      o.outcome = d.action;
      o.decidedTs = d.ts;
      o.figures = d.figures;
      o.reasons = d.reasons;
      o.byName = d.byName;
      o.byRole = d.byRole;
      o.reason = d.reason;
    }
  }
  return [...byId.values()].sort((a, b) => (a.shownTs ?? a.decidedTs ?? 0) - (b.shownTs ?? b.decidedTs ?? 0));
}

/** Counts for a headline: how many suggestions were shown, accepted, dismissed, ignored — per kind. */
export function outcomeCounts(outcomes: readonly SuggestionOutcome[]): Record<DecisionKind, { shown: number; accepted: number; dismissed: number; ignored: number }> {
  const zero = () => ({ shown: 0, accepted: 0, dismissed: 0, ignored: 0 });
  const out: Record<DecisionKind, ReturnType<typeof zero>> = { 'next-up': zero(), 'switch-now': zero(), play: zero(), pin: zero() };
  for (const o of outcomes) {
    const c = out[o.kind];
    if (o.shownTs !== null) c.shown++;
    c[o.outcome]++;
  }
  return out;
}
