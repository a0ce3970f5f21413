/**
 * A recorded show (session) as every screen, export and command names it, the holes in its feed,
 * and the marks on its charts. Domain types: the request contract (contract.ts) refers to them.
 */
import type { MarkerEvent } from './protocol.ts';
import type { AdActionRecord } from './ads/console.ts';

/**
 * A hole in a room's event stream given up for good: the relay no longer holds those seqs, or
 * re-subscribing brought nothing for a long while although the relay had moved beyond them.
 */
export interface FeedGap {
  roomId: string;
  epoch: number;
  fromSeq: number;
  toSeq: number;
  /** Wall-clock time it was given up. */
  at: number;
  reason: 'relay-no-longer-holds' | 'no-progress';
}

export interface SessionInfo {
  sessionId: string;
  roomId: string;
  platform: string;
  title: string;
  startedAt: number;
  endedAt: number | null;
  /**
   * 'interrupted': the log stops early — the app was not following the room when the show went on
   * or ended (`endedAt` is then the last event received). Absent or null: ended as the feed said.
   */
  endReason?: 'interrupted' | null;
  /**
   * The currency of the show's money (ISO 4217, protocol.ts `currencyCode`): amounts are integer
   * minor units of it. Absent: CNY, FEED-PROTOCOL's fen. A TikTok Shop room names its shop's.
   */
  currency?: string;
  /**
   * Lists and reports: whether the running app is recording this show now. A show never seen to
   * end (`endedAt` null) that is not being recorded is not live: it is shown as interrupted.
   */
  recording?: boolean;
}

/** A session's public fields, out of any row that carries more (a stored session, a live one). */
export function sessionInfo(s: SessionInfo): SessionInfo {
  return { sessionId: s.sessionId, roomId: s.roomId, platform: s.platform, title: s.title, startedAt: s.startedAt, endedAt: s.endedAt, ...(s.endReason ? { endReason: s.endReason } : {}), ...(s.currency ? { currency: s.currency } : {}) };
}

/**
 * A mark of the session on the charts: a platform-side marker (FEED-PROTOCOL.md `marker`: 秒杀, 福袋,
 * 违规提醒, a note), or kind 'ad': an action of the ad console, with the action in `ad` and a
 * negative `seq` (it is not a feed event).
 */
export interface SessionMarker {
  seq: number;
  /** Source time, and its minute index in the session. */
  ts: number;
  minute: number;
  kind: MarkerEvent['kind'] | 'ad';
  text: string | null;
  ad?: Pick<AdActionRecord, 'planId' | 'type' | 'before' | 'after' | 'byName' | 'byRole' | 'reason' | 'source'>;
}
