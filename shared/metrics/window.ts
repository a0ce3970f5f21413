/**
 * A session's time window: which minute an event belongs to (METRICS.md: `m = floor((ts −
 * startedAt) / 60000)`, events before the start in minute 0) and which times are plausible for the
 * session at all. Events outside the window are quarantined where they enter, never bucketed: a
 * `ts` years away would otherwise size per-minute arrays by millions.
 */
import type { MinuteRow } from './types.ts';
export const MINUTE_MS = 60_000;

/** A week: longer than any broadcast, small enough that per-minute rows stay bounded. */
export const MAX_SESSION_MINUTES = 7 * 24 * 60;

/** How far before its session's start an event may be dated (clock skew, a late refund): it counts in minute 0. */
export const MAX_BEFORE_START_MS = 24 * 3_600_000;

/** How far ahead of the wall clock a live event may be dated: a sped-up simulator runs hours ahead, never days. */
export const MAX_AHEAD_OF_NOW_MS = 2 * 24 * 3_600_000;

/** The minute index of a source time in a session. */
export function minuteIndex(ts: number, startedAt: number): number {
  return ts <= startedAt ? 0 : Math.floor((ts - startedAt) / MINUTE_MS);
}

/** Why `ts` does not belong to a session started at `startedAt` (null when it does). */
export function outsideSessionWindow(ts: number, startedAt: number): string | null {
  if (!Number.isFinite(ts)) return 'ts is not a number';
  if (ts < startedAt - MAX_BEFORE_START_MS) return `ts is more than ${MAX_BEFORE_START_MS / 3_600_000} h before the session's start`;
  if (ts >= startedAt + MAX_SESSION_MINUTES * MINUTE_MS) return `ts is more than ${MAX_SESSION_MINUTES / 1440} days after the session's start`;
  return null;
}

/** A minute with nothing in it: no viewers known, nothing counted (METRICS.md's minute row). */
export function emptyMinuteRow(minute: number, ts: number): MinuteRow {
  return {
    minute, ts, onlineAvg: null, onlineMax: null, onlineEnd: null, enters: 0, likes: 0, comments: 0, follows: 0, shares: 0, fansclub: 0, giftFen: 0,
    exposures: 0, clicks: 0, orders: 0, items: 0, gmvFen: 0, refundFen: 0, adSpendFen: 0, pinnedProductId: null, ctr: null, gpm: null,
  };
}
