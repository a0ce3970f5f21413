/**
 * Whether what a screen shows is live, and if not, since when and why — one rule for the
 * dashboard, the wall and the badge, so the page never looks live when it is not.
 *
 * Three things can stop the numbers, checked in this order (the first that holds is the reason):
 * - the core: the page's channel to it is closed, or its once-a-second heartbeat has not come for
 *   CORE_SILENT_MS (a hung or stopped core keeps the socket open for ~45 s otherwise);
 * - the feed or a source: not live (reconnecting, failed, paused for the store);
 * - the room itself: live, but no event for ROOM_QUIET_MS (a relay or source that went quiet
 *   without saying so). A room that is not live (ended, waiting) is never "quiet".
 * `since` is the last moment the numbers were known good, on the page's clock.
 */
import type { ConnectionState, RoomView } from '../contract.ts';

export const CORE_SILENT_MS = 5_000;
export const ROOM_QUIET_MS = 15_000;

export type StaleReason = 'core-closed' | 'core-silent' | 'feed-down' | 'source-down' | 'room-quiet';

export interface Liveness {
  stale: boolean;
  reason: StaleReason | null;
  /** Page-clock ms the numbers stopped (null when live, or when never known). */
  since: number | null;
}

export interface LivenessInput {
  /** Page clock now. */
  now: number;
  /** The page's channel to the core is open. */
  channelOpen: boolean;
  /** Page clock when the channel last closed (null: never). */
  channelClosedAt: number | null;
  /** Page clock of the last heartbeat (null: none yet). */
  heartbeatAt: number | null;
  /** core clock − page clock, from the last heartbeat (to read the core's times on the page's clock). */
  coreOffsetMs: number;
  connection: ConnectionState | null;
  room?: Pick<RoomView, 'status' | 'lastEventAt'> | null;
}

const LIVE: Liveness = { stale: false, reason: null, since: null };

export function liveness(i: LivenessInput): Liveness {
  const lastGood = i.room?.lastEventAt != null ? i.room.lastEventAt - i.coreOffsetMs : (i.connection?.lastEventAt ?? null);
  if (!i.channelOpen) return { stale: true, reason: 'core-closed', since: i.heartbeatAt ?? i.channelClosedAt };
  if (i.heartbeatAt !== null && i.now - i.heartbeatAt > CORE_SILENT_MS) return { stale: true, reason: 'core-silent', since: i.heartbeatAt };
  const c = i.connection;
  if (c && c.status !== 'live' && c.status !== 'stopped') {
    const sourceDown = c.sources?.some((s) => s.status !== 'live' && s.status !== 'stopped') ?? false;
    return { stale: true, reason: sourceDown ? 'source-down' : 'feed-down', since: lastGood };
  }
  if (c?.store?.feedPaused) return { stale: true, reason: 'feed-down', since: lastGood };
  if (i.room && i.room.status === 'live' && i.room.lastEventAt != null) {
    const quietFor = i.now + i.coreOffsetMs - i.room.lastEventAt;
    if (quietFor > ROOM_QUIET_MS) return { stale: true, reason: 'room-quiet', since: lastGood };
  }
  return LIVE;
}
