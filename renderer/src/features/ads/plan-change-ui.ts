/**
 * The state of platform plan changes on the screen, per plan: the preview the buyer is looking
 * at, the outcome of the last change, and whether one is on its way. A store (not the card's own
 * state) so the action log's "revert" can open its preview in the plan's card.
 */
import { createStore } from 'zustand/vanilla';
import type { Transport } from '../../lib/transport.ts';
import type { ChangeProblem, PlanChangeOutcome, PlanChangePreview } from '../../../../shared/ads/plan-changes.ts';
import type { RequestArgs } from '../../../../shared/contract.ts';
import { formatMoneyFen, type Locale } from '../../../../shared/format.ts';
import { minorPerMajor } from '../../../../shared/currency.ts';
import { isMessageKey, type Localiser } from '../../../../shared/i18n/localiser.ts';

export interface PlanChangeState {
  preview: PlanChangePreview | null;
  outcome: PlanChangeOutcome | null;
  /** What the outcome changed, so its read-back is written in its unit (money in the plan's currency). */
  outcomeOf?: { field: PlanChangePreview['field']; currency?: string };
  busy: boolean;
  error: string;
}

export const planChangeUi = createStore<Record<string, PlanChangeState>>(() => ({}));

const EMPTY: PlanChangeState = { preview: null, outcome: null, busy: false, error: '' };

export function planState(all: Record<string, PlanChangeState>, planId: string): PlanChangeState {
  return all[planId] ?? EMPTY;
}

function set(planId: string, part: Partial<PlanChangeState>): void {
  planChangeUi.setState((s) => ({ ...s, [planId]: { ...planState(s, planId), ...part } }));
}

export async function previewChange(transport: Transport, planId: string, args: RequestArgs<'adPlanPreview'>): Promise<void> {
  set(planId, { busy: true, error: '', outcome: null, preview: null });
  const r = await transport.request('adPlanPreview', args);
  set(planId, r.ok ? { busy: false, preview: r.value } : { busy: false, error: r.error });
}

export async function previewRevert(transport: Transport, planId: string, args: RequestArgs<'adPlanRevert'>): Promise<void> {
  set(planId, { busy: true, error: '', outcome: null, preview: null });
  const r = await transport.request('adPlanRevert', args);
  set(planId, r.ok ? { busy: false, preview: r.value } : { busy: false, error: r.error });
}

export async function applyChange(transport: Transport, planId: string, preview: PlanChangePreview): Promise<void> {
  set(planId, { busy: true, error: '' });
  const r = await transport.request('adPlanApply', { roomId: preview.roomId, previewId: preview.id });
  set(planId, r.ok ? { busy: false, preview: null, outcome: r.value, outcomeOf: { field: preview.field, currency: preview.items[0]?.currency } } : { busy: false, error: r.error });
}

export function cancelPreview(planId: string): void {
  set(planId, { preview: null, error: '' });
}

/** A limit or guard-rail problem in words: params ending in Fen are money (minor units of `currency`, absent: the display currency). */
export function problemText(p: ChangeProblem, t: Localiser, locale: Locale, currency?: string): string {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params)) {
    if (k.endsWith('Fen') && typeof v === 'number') vars[k.slice(0, -3)] = formatMoneyFen(v, locale, { currency });
    else vars[k] = v;
  }
  return isMessageKey(p.code) ? t(p.code, vars) : p.code;
}

/**
 * "3000" / "25.5" in the plan's currency (major units; absent: yuan) → its minor units, without a
 * float product ("0.29" → 29); "2.35" → the ratio; null when it is not a number with at most as
 * many decimals as the currency has (two for ratios).
 */
export function parseChangeValue(text: string, field: 'dailyBudget' | 'bid' | 'roiGoal', currency?: string): number | null {
  const s = text.trim().replace(/^(?:[A-Z]{0,3}\$|¥|£|€|RM|฿|₱|Rp|₫)\s*/, '').replace(/,/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) return null;
  if (field === 'roiGoal') return n;
  const per = minorPerMajor(currency ?? 'CNY');
  const digits = Math.round(Math.log10(per));
  const frac = m[2] ?? '';
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return null;
  return Number(m[1]) * per + Number((frac.slice(0, digits) || '0').padEnd(digits, '0') || '0');
}
