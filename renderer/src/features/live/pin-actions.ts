/**
 * A pin from this screen, from the click to the room's confirmation (issue 15: "a pin shows pending
 * until the feed confirms it"). The relay's acknowledgement only says the command arrived; the
 * product is being explained when the feed's own `pin` event says so, and until then the board
 * shows the row as pending while 讲解中 stays where the feed last put it. Once confirmed, the pin
 * can be undone: the core pins again what was explained before and logs the undo.
 */
import { createStore } from 'zustand/vanilla';
import { appStore } from '../../lib/store.ts';
import type { Transport } from '../../lib/transport.ts';

export interface PendingPin {
  /** the product asked for (null: nothing) */
  productId: string | null;
  /** what the feed said was explained when it was asked */
  previousProductId: string | null;
  /** an undo on its way (its confirmation ends the undo, not a new one) */
  undo: boolean;
}

export interface PinUiState {
  pending: PendingPin | null;
  /** the last pin from here the feed confirmed, while it may be undone */
  undoable: { productId: string | null; previousProductId: string | null } | null;
  error: string | null;
}

export const pinUi = createStore<PinUiState>(() => ({ pending: null, undoable: null, error: null }));

/** How long a pin may wait for the feed before the screen says it was not confirmed (wall clock). */
export const CONFIRM_TIMEOUT_MS = 20_000;
let timer: ReturnType<typeof setTimeout> | null = null;

function wait(p: PendingPin): void {
  if (timer) clearTimeout(timer);
  pinUi.setState({ pending: p, error: null });
  timer = setTimeout(() => {
    if (pinUi.getState().pending === p) pinUi.setState({ pending: null, error: 'unconfirmed' });
  }, CONFIRM_TIMEOUT_MS);
}

function stopWaiting(patch: Partial<PinUiState>): void {
  if (timer) clearTimeout(timer);
  timer = null;
  pinUi.setState({ pending: null, ...patch });
}

// The feed decides: the pin it reports ends the wait, and any other change of the pin ends the undo.
appStore.subscribe((st, prev) => {
  if (st.selectedRoomId !== prev.selectedRoomId) return stopWaiting({ undoable: null, error: null });
  if (st.pinnedProductId === prev.pinnedProductId) return;
  const p = pinUi.getState().pending;
  if (p && st.pinnedProductId === p.productId) stopWaiting({ undoable: p.undo ? null : { productId: p.productId, previousProductId: p.previousProductId } });
  else if (!p) pinUi.setState({ undoable: null });
});

/** A pin about to be sent: shown as pending at once. */
export function pinRequested(productId: string | null): void {
  wait({ productId, previousProductId: appStore.getState().pinnedProductId, undo: false });
}

/** The command did not go out (or the relay refused it): no longer pending. */
export function pinFailed(error: string): void {
  stopWaiting({ error });
}

/** The product board's 讲解: the relay's pin command, pending until the feed confirms it. */
export async function pinProduct(transport: Transport, productId: string): Promise<void> {
  const roomId = appStore.getState().selectedRoomId;
  if (!roomId || pinUi.getState().pending) return;
  pinRequested(productId);
  const reply = await transport.request('sendCommand', { roomId, command: { type: 'pin', productId } });
  if (!reply.ok) pinFailed(reply.error);
  else if (!reply.value.ok) pinFailed(reply.value.error);
}

/** 撤销: the core pins again what was explained before (and logs it); pending until the feed confirms. */
export async function undoPin(transport: Transport): Promise<void> {
  const roomId = appStore.getState().selectedRoomId;
  const u = pinUi.getState().undoable;
  if (!roomId || !u || pinUi.getState().pending) return;
  wait({ productId: u.previousProductId, previousProductId: u.productId, undo: true });
  pinUi.setState({ undoable: null });
  const reply = await transport.request('undoPin', { roomId, productId: u.productId });
  if (!reply.ok) pinFailed(reply.error);
}
