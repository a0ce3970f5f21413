/**
 * What a FeedClient is given: the relay, the rooms and cursors to resume from, the callbacks
 * events and troubles go to, and its patience (timing).
 */
import type { FeedEvent, RoomInfo } from '../../../shared/protocol.ts';
import type { ConnectionState, FeedGap } from '../../../shared/contract.ts';

export interface RoomCursor {
  epoch: number;
  lastSeq: number;
}

export interface FeedTiming {
  /** How long a `rooms`, `subscribe` or `command` may take to be acknowledged. */
  ackTimeoutMs: number;
  /** First wait, without progress, before re-subscribing for a hole; doubled each time up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** A hole the relay does not fill for this long (no progress at all) is recorded and stepped over. */
  giveUpAfterMs: number;
}

export const DEFAULT_FEED_TIMING: FeedTiming = { ackTimeoutMs: 10_000, firstRetryMs: 2_000, maxRetryMs: 15_000, giveUpAfterMs: 45_000 };

export interface FeedClientOptions {
  url: string;
  token?: string;
  /** Rooms to follow; undefined = every room the relay lists. */
  rooms?: string[];
  /** Where the store left off, per room (after a restart). */
  cursors?: Map<string, RoomCursor>;
  /** Accepted events of one room, in seq order, none seen before. */
  onEvents: (roomId: string, epoch: number, events: FeedEvent[], lastSeq: number) => void;
  onQuarantine: (q: { roomId: string | null; seq: number | null; reason: string; raw: unknown }) => void;
  onRooms?: (rooms: RoomInfo[]) => void;
  onState?: (state: ConnectionState) => void;
  /** A hole given up for good (recorded where the operator and the report can see it). */
  onGap?: (gap: FeedGap) => void;
  /**
   * The relay's numbering of a room went backwards (it restarted, or lost its history): the room
   * starts a new epoch and the relay's whole history comes again. Awaited before re-subscribing,
   * so the receiver can get ready to recognise what it already has.
   */
  onEpoch?: (roomId: string, epoch: number) => Promise<void> | void;
  timing?: Partial<FeedTiming>;
}

/** URLs may carry credentials; never show them. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (/token|key|secret/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url;
  }
}
