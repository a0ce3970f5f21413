/**
 * The ad console's commands: one plan at a time, the relay's answer shown where the buyer
 * clicked. The core logs an action only once the relay acknowledged it, and pushes the console
 * with it (log, mark, new budget), so nothing here updates figures optimistically.
 */
import { createStore } from 'zustand/vanilla';
import { appStore } from '../../lib/store.ts';
import type { Transport } from '../../lib/transport.ts';
import type { RelayAdActionType } from '../../../../shared/ads/console.ts';

export interface AdUiState {
  /** plan with a command on its way */
  sendingPlan: string | null;
  /** the last action that went through, per plan (its id), for a short "done" */
  sentId: Record<string, string>;
  /** the last error per plan */
  error: Record<string, string>;
}

export const adUi = createStore<AdUiState>(() => ({ sendingPlan: null, sentId: {}, error: {} }));

export async function sendAdAction(
  transport: Transport,
  a: { planId: string; type: RelayAdActionType; budgetFenPerMin?: number; reason?: string; followedAdvice?: boolean },
): Promise<boolean> {
  const roomId = appStore.getState().selectedRoomId;
  if (!roomId || adUi.getState().sendingPlan) return false;
  adUi.setState((s) => ({ sendingPlan: a.planId, error: { ...s.error, [a.planId]: '' } }));
  const reason = a.reason?.trim();
  const r = await transport.request('adAction', {
    roomId,
    planId: a.planId,
    type: a.type,
    ...(a.type === 'adBudget' && a.budgetFenPerMin !== undefined ? { budgetFenPerMin: a.budgetFenPerMin } : {}),
    ...(reason ? { reason } : {}),
    ...(a.followedAdvice ? { followedAdvice: true } : {}),
  });
  adUi.setState((s) => ({
    sendingPlan: null,
    sentId: r.ok ? { ...s.sentId, [a.planId]: r.value.id } : s.sentId,
    error: r.ok ? s.error : { ...s.error, [a.planId]: r.error },
  }));
  return r.ok;
}

/** "65" / "65.5" (yuan per minute) → fen; null when it is not a budget. */
export function parseBudgetYuan(text: string): number | null {
  const s = text.trim().replace(/^¥/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const fen = Math.round(Number(s) * 100);
  return Number.isFinite(fen) && fen <= 1e10 ? fen : null;
}
