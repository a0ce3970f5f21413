/**
 * What a desk does with alerts: acknowledge one, all of a room or all of every room (the core
 * records who, from its settings), and open an alert where it happened — its room, its minute
 * marked and zoomed on the minute chart.
 */
import type { Alert } from '../../../../shared/contract.ts';
import { appStore, selectRoom } from '../../lib/store.ts';
import type { Transport } from '../../lib/transport.ts';

/** Replaces the alerts the core acknowledged in the list (a push brings them too; whichever comes first). */
function merge(acked: readonly Alert[]): void {
  const byId = new Map(acked.map((a) => [a.id, a]));
  appStore.setState({ alerts: appStore.getState().alerts.map((a) => byId.get(a.id) ?? a) });
}

export async function ackAlert(transport: Transport, id: string): Promise<void> {
  const r = await transport.request('ackAlert', { id });
  if (r.ok) merge([r.value]);
}

/** Every open alert of one room, or of every room without roomId. */
export async function ackAlerts(transport: Transport, roomId?: string): Promise<void> {
  const r = await transport.request('ackAlerts', roomId === undefined ? {} : { roomId });
  if (r.ok) merge(r.value);
}

/**
 * Whether the alert can be opened where it happened: its room is followed in this run and still
 * shows the show the alert was raised in (an older show's minute is not on today's chart).
 */
export function canOpen(a: Alert, rooms: ReadonlyArray<{ roomId: string; session: { sessionId: string } | null }>): boolean {
  return rooms.some((r) => r.roomId === a.roomId && r.session?.sessionId === a.sessionId);
}

/** Opens the alert's room on the dashboard with its minute marked and zoomed (MinuteChart reads `focus`). */
export function openAlert(transport: Transport, a: Alert): void {
  const st = appStore.getState();
  appStore.setState({ view: 'room', roomTab: 'live', bigScreen: false, alertsOpen: false, focus: { roomId: a.roomId, sessionId: a.sessionId, minute: a.minute } });
  if (st.selectedRoomId !== a.roomId) void selectRoom(transport, a.roomId);
}
