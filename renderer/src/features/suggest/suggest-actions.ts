/**
 * What the operator does with a suggestion: which card has the keyboard's focus (A accepts it,
 * D dismisses it, N moves on), the accept/dismiss requests and their outcome. Kept apart from
 * the app store: it changes on key presses, not on pushes.
 *
 * The focus never moves by itself (issue 15: "keyboard focus never jumps to a card the operator
 * did not see"). The first card shown takes it; from then on only N or a click moves it. When
 * the focused card leaves the panel (accepted, dismissed, or the core took it back) the focus
 * stays on it: the panel shows it greyed, and A or D do nothing and say so — they never fall
 * through to whatever card now happens to be first.
 */
import { createStore } from 'zustand/vanilla';
import { appStore } from '../../lib/store.ts';
import { pinFailed, pinRequested, pinUi } from '../live/pin-actions.ts';
import type { Transport } from '../../lib/transport.ts';
import type { LiveSuggestions, ShownSuggestion } from '../../../../shared/suggest/live.ts';

export interface SuggestUiState {
  /** the card A / D act on; null: none yet (the first card shown takes it) */
  focusId: string | null;
  /** the focused card as last shown: what the panel keeps showing, greyed, once it is gone */
  focusCard: ShownSuggestion | null;
  /** A or D was pressed on a focused card that is no longer shown: nothing was done */
  goneNotice: boolean;
  /** the card whose dismiss-reason box is open */
  dismissingId: string | null;
  /**
   * what the operator has typed in that box: kept here, not in the box, because the box moves
   * from the card to its greyed copy when the core takes the card back mid-sentence
   */
  dismissReason: string;
  /** a request on its way */
  sendingId: string | null;
  /** the last accepted suggestion (shown as "sent" until the room follows) */
  sentId: string | null;
  /** the product the last accepted suggestion's command pinned (or flashed) */
  sentProductId: string | null;
  /** the last dismissed suggestion */
  dismissedId: string | null;
  error: string | null;
}

const EMPTY: SuggestUiState = { focusId: null, focusCard: null, goneNotice: false, dismissingId: null, dismissReason: '', sendingId: null, sentId: null, sentProductId: null, dismissedId: null, error: null };

export const suggestUi = createStore<SuggestUiState>(() => ({ ...EMPTY }));

/** The cards in screen order: switch now, traffic plays, then the next-up pick. */
export function suggestionCards(s: LiveSuggestions | null): ShownSuggestion[] {
  if (!s) return [];
  return [...(s.switchNow ? [s.switchNow] : []), ...s.plays, ...(s.top ? [s.top] : [])];
}

/** The focused card if it is still shown; null when it is gone (or nothing has the focus). */
export function focusedCard(s: LiveSuggestions | null, focusId: string | null): ShownSuggestion | null {
  return focusId === null ? null : (suggestionCards(s).find((c) => c.id === focusId) ?? null);
}

/** The focused card is no longer shown (it was accepted, dismissed or withdrawn). */
export function focusGone(s: LiveSuggestions | null, ui: Pick<SuggestUiState, 'focusId'>): boolean {
  return ui.focusId !== null && focusedCard(s, ui.focusId) === null;
}

/**
 * After each push: the first card shown takes the focus when nothing has it, and the focused
 * card's last shown content is kept (for when it goes).
 */
export function syncFocus(s: LiveSuggestions | null): void {
  const ui = suggestUi.getState();
  const cards = suggestionCards(s);
  if (ui.focusId === null) {
    if (cards[0]) suggestUi.setState({ focusId: cards[0].id, focusCard: cards[0], goneNotice: false });
    return;
  }
  const card = cards.find((c) => c.id === ui.focusId);
  if (card && card !== ui.focusCard) suggestUi.setState({ focusCard: card });
}

/** Another room, another set of cards: the focus starts afresh. */
export function resetSuggestUi(): void {
  suggestUi.setState({ ...EMPTY });
}

appStore.subscribe((st, prev) => {
  if (st.selectedRoomId !== prev.selectedRoomId) resetSuggestUi();
  if (st.suggestions !== prev.suggestions || st.selectedRoomId !== prev.selectedRoomId) syncFocus(st.suggestions);
});

function focus(card: ShownSuggestion): void {
  suggestUi.setState({ focusId: card.id, focusCard: card, goneNotice: false });
}

/** N: the next card on screen (from a gone card: the first one). */
export function focusNext(): void {
  const s = appStore.getState().suggestions;
  const cards = suggestionCards(s);
  if (!cards.length) return;
  const cur = focusedCard(s, suggestUi.getState().focusId);
  const i = cur ? cards.findIndex((c) => c.id === cur.id) : -1;
  focus(cards[(i + 1) % cards.length]!);
}

/** A click on a card gives it the focus. */
export function focusCard(id: string): void {
  const card = suggestionCards(appStore.getState().suggestions).find((c) => c.id === id);
  if (card) focus(card);
}

/** The card a key acts on: the focused one, or nothing (and the panel says why) when it is gone. */
function keyTarget(): ShownSuggestion | null {
  const s = appStore.getState().suggestions;
  const ui = suggestUi.getState();
  const card = focusedCard(s, ui.focusId);
  if (!card && ui.focusId !== null) suggestUi.setState({ goneNotice: true });
  return card;
}

/** The product accepting a card pins (undefined: it pins nothing — a 秒杀, or no target yet). */
export function pinTargetOf(c: ShownSuggestion): string | undefined {
  if (c.kind === 'switch-now') return c.toProductId ?? undefined;
  if (c.kind === 'play' && c.flash) return undefined;
  return c.productId;
}

/** A (no id) or the card's button (its id). A pin it sends is pending on the board until the feed confirms it. */
export async function acceptSuggestion(transport: Transport, id?: string): Promise<void> {
  const st = appStore.getState();
  const card = id ? suggestionCards(st.suggestions).find((c) => c.id === id) : keyTarget();
  if (!card || !st.selectedRoomId || suggestUi.getState().sendingId || pinUi.getState().pending) return;
  suggestUi.setState({ sendingId: card.id, error: null, dismissingId: null, goneNotice: false });
  const pins = pinTargetOf(card);
  if (pins !== undefined) pinRequested(pins);
  const r = await transport.request('acceptSuggestion', { roomId: st.selectedRoomId, suggestionId: card.id });
  const target = r.ok && r.value.command && 'productId' in r.value.command ? r.value.command.productId : null;
  if (!r.ok && pins !== undefined) pinFailed(r.error);
  suggestUi.setState(r.ok ? { sendingId: null, sentId: card.id, sentProductId: target } : { sendingId: null, error: r.error });
}

/** Opens the reason box of the focused card (D) or of the given one (its button). */
export function startDismiss(id?: string): void {
  const card = id ? suggestionCards(appStore.getState().suggestions).find((c) => c.id === id) : keyTarget();
  if (card) suggestUi.setState({ dismissingId: card.id, dismissReason: '', focusId: card.id, focusCard: card, goneNotice: false, error: null });
}

export function setDismissReason(reason: string): void {
  suggestUi.setState({ dismissReason: reason });
}

export function cancelDismiss(): void {
  suggestUi.setState({ dismissingId: null, dismissReason: '' });
}

/**
 * Sends the open box's dismissal. The card may have left the panel while the reason was typed:
 * the core still takes an answer on a card it showed recently, so the dismissal is logged.
 */
export async function confirmDismiss(transport: Transport): Promise<void> {
  const st = appStore.getState();
  const { dismissingId: id, dismissReason: reason } = suggestUi.getState();
  if (!id || !st.selectedRoomId) return;
  suggestUi.setState({ sendingId: id, error: null });
  const r = await transport.request('dismissSuggestion', { roomId: st.selectedRoomId, suggestionId: id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  suggestUi.setState(r.ok ? { sendingId: null, dismissingId: null, dismissReason: '', dismissedId: id } : { sendingId: null, error: r.error });
}
