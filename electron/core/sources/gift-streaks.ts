/**
 * The gift rule of every viewer-side source (docs/sources.md "Gifts"), in one place.
 *
 * Douyin and TikTok send a gift streak (连击) as a message per step, each with the streak's running
 * `repeatCount`; Douyin often repeats the last step with `repeatEnd: 1` after the streak, and the
 * end may never come (the connection dropped, the platform lost it, DouyinBarrageGrab does not
 * forward it). So:
 * - A streak is one (user, gift, group): Douyin's `groupId` names one combo; TikTok's too.
 * - It is counted once, at its end, with its highest `repeatCount` — not summed step by step (a
 *   ×3 streak is 3 gifts, not 1 + 2 + 3).
 * - A streak whose end does not come is counted `timeoutMs` after its last step, with the count
 *   it had then; a step or an end that comes after that counts only what it adds (usually
 *   nothing: the trailing end copy repeats the final count).
 * - A preset group send (Douyin's ×10, ×66, ×1314 buttons) carries the gifts per step in
 *   `groupCount`: units = repeatCount × groupCount.
 * - A gift that cannot repeat (TikTok `giftType` ≠ 1) is counted at once.
 * Value = units × the gift's `diamondCount` diamonds, priced by common.ts `giftEvent`.
 *
 * Time is passed in (receipt ms), so a mapper using this stays free of clocks; its connector
 * calls `flush(now)` on a timer for the streaks a quiet room leaves open.
 */
import { giftEvent, type SourceEvent } from './common.ts';

export interface GiftStep {
  /** One streak: the sender, the gift and the combo group ('' when the source gives none). */
  user: string;
  gift: string;
  group: string;
  /** The streak's running count in this message (≥ 1). */
  repeatCount: number;
  /** Gifts per step: a preset group send's size, else 1. */
  groupCount: number;
  /** Price of one gift, in the platform's diamonds. */
  diamondCount: number;
  /** The platform says the streak is over. */
  repeatEnd: boolean;
  /** false: a gift that cannot repeat, counted at once. */
  streakable: boolean;
  /** Source time of the message (the gift event's `ts`). */
  ts: number;
}

interface OpenStreak {
  /** Highest repeatCount seen. */
  count: number;
  /** Units of this streak already counted (a streak continuing after its timeout). */
  base: number;
  groupCount: number;
  diamondCount: number;
  ts: number;
  lastAt: number;
}

export interface GiftStreakOptions {
  fenPerDiamond: number;
  /** A streak with no step for this long is counted as it stands (default 10 s, DouyinBarrageGrab's own cache). */
  timeoutMs?: number;
  /** Open streaks kept at most; beyond, the oldest is counted early (a flood cannot grow memory). */
  maxOpen?: number;
  /** Counted streaks remembered, so a late step or end copy is not counted again. */
  maxClosed?: number;
}

export const GIFT_STREAK_TIMEOUT_MS = 10_000;

/** A real combo group id ('0' is what Douyin gives a gift sent outside a combo). */
function grouped(group: string): boolean {
  return group !== '' && group !== '0';
}

/** Beyond these a message is garbage, not a gift (the dearest real gifts cost tens of thousands of diamonds). */
const MAX_UNITS = 1_000_000;
const MAX_DIAMONDS = 1_000_000;

/** Why a step cannot be a real gift (absurd sizes would overflow the fen value), or null. */
export function implausibleGift(repeatCount: number, groupCount: number, diamondCount: number): string | null {
  if (Math.max(1, repeatCount) * Math.max(1, groupCount) > MAX_UNITS) return `more than ${MAX_UNITS} gifts in one streak`;
  if (diamondCount > MAX_DIAMONDS) return `a gift priced over ${MAX_DIAMONDS} diamonds`;
  return null;
}

export class GiftStreaks {
  /** Map order is last activity: the oldest first. */
  private readonly open = new Map<string, OpenStreak>();
  /** Final repeatCount of counted streaks. */
  private readonly closed = new Map<string, number>();
  private readonly timeoutMs: number;

  constructor(private readonly opts: GiftStreakOptions) {
    this.timeoutMs = opts.timeoutMs ?? GIFT_STREAK_TIMEOUT_MS;
  }

  /** Streaks still waiting for their end. */
  get pending(): number {
    return this.open.size;
  }

  /**
   * One gift message. Appends the gift event it completes (if any) to `out`; returns whether the
   * message counted, opened or continued a streak, or added nothing (a stale step or end copy).
   */
  step(s: GiftStep, receivedAt: number, out: SourceEvent[]): 'counted' | 'pending' | 'stale' {
    const repeatCount = Math.max(1, s.repeatCount);
    const groupCount = Math.max(1, s.groupCount);
    if (!s.streakable) {
      out.push(this.event(s.ts, repeatCount * groupCount, s.diamondCount));
      return 'counted';
    }
    const key = `${s.user}\u0000${s.gift}\u0000${s.group}`;
    let streak = this.open.get(key);
    if (streak) {
      this.open.delete(key); // re-inserted below: the map's order is the streaks' age
      if (repeatCount < streak.count && !s.repeatEnd) {
        this.open.set(key, streak);
        return 'stale';
      }
    } else {
      const closedAt = this.closed.get(key);
      if (closedAt !== undefined && repeatCount <= closedAt) {
        // The end copy of a counted streak, or a step that arrived late: nothing new. Without a
        // group id a lower count can only be the same sender's next streak of that gift.
        if (s.repeatEnd || grouped(s.group) || repeatCount === closedAt) return 'stale';
        this.closed.delete(key);
      }
      streak = { count: 0, base: closedAt !== undefined && repeatCount > closedAt ? closedAt : 0, groupCount, diamondCount: s.diamondCount, ts: s.ts, lastAt: receivedAt };
    }
    streak.count = Math.max(streak.count, repeatCount);
    streak.groupCount = groupCount;
    streak.diamondCount = s.diamondCount;
    streak.ts = s.ts;
    streak.lastAt = receivedAt;
    if (s.repeatEnd) {
      this.close(key, streak, out);
      return 'counted';
    }
    this.open.set(key, streak);
    if (this.open.size > (this.opts.maxOpen ?? 10_000)) {
      const [oldKey, oldest] = this.open.entries().next().value!;
      this.open.delete(oldKey);
      this.close(oldKey, oldest, out);
    }
    return 'pending';
  }

  /** Counts the streaks with no step for `timeoutMs` before `now`. */
  flush(now: number, out: SourceEvent[]): void {
    for (const [key, streak] of this.open) {
      if (now - streak.lastAt < this.timeoutMs) break;
      this.open.delete(key);
      this.close(key, streak, out);
    }
  }

  /** Counts every open streak (the broadcast ended: no end is coming). */
  flushAll(out: SourceEvent[]): void {
    for (const [key, streak] of this.open) this.close(key, streak, out);
    this.open.clear();
  }

  /** A new broadcast: nothing carries over. */
  reset(): void {
    this.open.clear();
    this.closed.clear();
  }

  private close(key: string, streak: OpenStreak, out: SourceEvent[]): void {
    this.closed.delete(key);
    this.closed.set(key, streak.count);
    if (this.closed.size > (this.opts.maxClosed ?? 50_000)) {
      const oldest = this.closed.keys().next().value;
      if (oldest !== undefined) this.closed.delete(oldest);
    }
    const units = (streak.count - streak.base) * streak.groupCount;
    if (units > 0) out.push(this.event(streak.ts, units, streak.diamondCount));
  }

  private event(ts: number, units: number, diamondCount: number): SourceEvent {
    return giftEvent(ts, units, units * diamondCount, this.opts.fenPerDiamond);
  }
}
