/**
 * What the operator does with a suggestion: which card has the keyboard's focus (A accepts it,
 * D dismisses it, N moves on), the accept/dismiss requests and their outcome. Kept apart from
 * the app store: it changes on key presses, not on pushes.
 */
import { createStore } from 'zustand/vanilla';
import { appStore } from './store.ts';
import type { Transport } from './transport.ts';
import type { LiveSuggestions, ShownSuggestion } from '../../../shared/suggest/live.ts';

export interface SuggestUiState {
  /** the card A / D act on; null: the first one */
  focusId: string | null;
  /** the card whose dismiss-reason box is open */
  dismissingId: string | null;
  /** a request on its way */
  sendingId: string | null;
  /** the last accepted suggestion (shown as "sent" until the room follows) */
  sentId: string | null;
  /** the product the last accepted suggestion's command pinned (or flashed) */
  sentProductId: string | null;
  error: string | null;
}

export const suggestUi = createStore<SuggestUiState>(() => ({ focusId: null, dismissingId: null, sendingId: null, sentId: null, sentProductId: null, error: null }));

/** The cards in screen order: switch now, traffic plays, then the next-up pick. */
export function suggestionCards(s: LiveSuggestions | null): ShownSuggestion[] {
  if (!s) return [];
  return [...(s.switchNow ? [s.switchNow] : []), ...s.plays, ...(s.top ? [s.top] : [])];
}

/** The card with the focus: the one chosen with N if it is still shown, else the first. */
export function focusedCard(s: LiveSuggestions | null, focusId: string | null): ShownSuggestion | null {
  const cards = suggestionCards(s);
  return cards.find((c) => c.id === focusId) ?? cards[0] ?? null;
}

export function focusNext(): void {
  const cards = suggestionCards(appStore.getState().suggestions);
  if (!cards.length) return;
  const cur = focusedCard(appStore.getState().suggestions, suggestUi.getState().focusId);
  const i = cur ? cards.findIndex((c) => c.id === cur.id) : -1;
  suggestUi.setState({ focusId: cards[(i + 1) % cards.length]!.id });
}

export async function acceptSuggestion(transport: Transport, id?: string): Promise<void> {
  const st = appStore.getState();
  const card = id ? suggestionCards(st.suggestions).find((c) => c.id === id) : focusedCard(st.suggestions, suggestUi.getState().focusId);
  if (!card || !st.selectedRoomId || suggestUi.getState().sendingId) return;
  suggestUi.setState({ sendingId: card.id, error: null, dismissingId: null });
  const r = await transport.request('acceptSuggestion', { roomId: st.selectedRoomId, suggestionId: card.id });
  const target = r.ok && r.value.command && 'productId' in r.value.command ? r.value.command.productId : null;
  suggestUi.setState(r.ok ? { sendingId: null, sentId: card.id, sentProductId: target } : { sendingId: null, error: r.error });
}

/** Opens the reason box of the focused card (or the given one). */
export function startDismiss(id?: string): void {
  const card = id ? suggestionCards(appStore.getState().suggestions).find((c) => c.id === id) : focusedCard(appStore.getState().suggestions, suggestUi.getState().focusId);
  if (card) suggestUi.setState({ dismissingId: card.id, focusId: card.id, error: null });
}

export function cancelDismiss(): void {
  suggestUi.setState({ dismissingId: null });
}

export async function confirmDismiss(transport: Transport, reason: string): Promise<void> {
  const st = appStore.getState();
  const id = suggestUi.getState().dismissingId;
  if (!id || !st.selectedRoomId) return;
  suggestUi.setState({ sendingId: id, error: null });
  const r = await transport.request('dismissSuggestion', { roomId: st.selectedRoomId, suggestionId: id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  suggestUi.setState(r.ok ? { sendingId: null, dismissingId: null } : { sendingId: null, error: r.error });
}
