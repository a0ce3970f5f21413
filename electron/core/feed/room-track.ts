/**
 * What the feed client keeps per room: the last accepted seq, the events that arrived beyond a
 * hole (waiting for it to fill), and the hole being chased; and how a room's events are put in
 * seq order with them.
 */
import type { FeedEvent, Validation } from '../../../shared/protocol.ts';

/** An event that arrived beyond the next expected seq, waiting for the hole below it. */
export interface Ahead {
  v: Validation;
  raw: unknown;
  /** The receive counter when it arrived: a relay answer given after it can judge its seq. */
  rx: number;
}

export interface Hole {
  since: number;
  lastProgressAt: number;
  /** lastSeq at the last check: progress is lastSeq moving. */
  seqAtCheck: number;
  resubscribes: number;
  delayMs: number;
  timer: NodeJS.Timeout | null;
  /** The relay's newest seq, from an answer asked after the hole opened (null until one came). */
  relayLastSeq: number | null;
}

export interface RoomTrack {
  epoch: number;
  lastSeq: number;
  ahead: AheadBuffer;
  hole: Hole | null;
  lastTs: number | null;
}

/** Events beyond a hole by seq, with the lowest seq kept at hand (the hole view asks for it on every state push). */
export class AheadBuffer {
  private readonly bySeq = new Map<number, Ahead>();
  private minSeq: number | undefined;
  private minKnown = true;

  get size(): number {
    return this.bySeq.size;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  get(seq: number): Ahead | undefined {
    return this.bySeq.get(seq);
  }

  set(seq: number, a: Ahead): void {
    this.bySeq.set(seq, a);
    if (this.minKnown && (this.minSeq === undefined || seq < this.minSeq)) this.minSeq = seq;
  }

  delete(seq: number): void {
    if (!this.bySeq.delete(seq)) return;
    if (seq === this.minSeq) this.minKnown = false;
  }

  clear(): void {
    this.bySeq.clear();
    this.minSeq = undefined;
    this.minKnown = true;
  }

  min(): number | undefined {
    if (!this.minKnown) {
      this.minSeq = undefined;
      for (const k of this.bySeq.keys()) if (this.minSeq === undefined || k < this.minSeq) this.minSeq = k;
      this.minKnown = true;
    }
    return this.minSeq;
  }

  max(): number | undefined {
    let max: number | undefined;
    for (const k of this.bySeq.keys()) if (max === undefined || k > max) max = k;
    return max;
  }

  entries(): IterableIterator<[number, Ahead]> {
    return this.bySeq.entries();
  }
}

export function newTrack(epoch: number, lastSeq: number): RoomTrack {
  return { epoch, lastSeq, ahead: new AheadBuffer(), hole: null, lastTs: null };
}

/** Events held beyond a hole per room; beyond it the highest are dropped (the relay resends them). */
const MAX_AHEAD = 20_000;

/** What a slice of a room's events gave: accepted events in seq order, and bad ones `[seq, reason, raw]` to quarantine. */
export interface Output {
  accepted: FeedEvent[];
  bad: Array<[number | null, string, unknown]>;
}

export function newOutput(): Output {
  return { accepted: [], bad: [] };
}

/** One event at exactly lastSeq + 1: accepted or quarantined, and the cursor moves. */
export function place(t: RoomTrack, v: Validation, raw: unknown, out: Output): void {
  const seq = v.ok ? v.event.seq : v.seq!;
  t.lastSeq = seq;
  if (v.ok) {
    out.accepted.push(v.event);
    t.lastTs = v.event.ts;
  } else out.bad.push([seq, v.reason, raw]);
}

/** Events waiting beyond a hole that the hole's filling has made next. */
export function takeAhead(t: RoomTrack, out: Output): void {
  let next = t.ahead.get(t.lastSeq + 1);
  while (next) {
    t.ahead.delete(t.lastSeq + 1);
    place(t, next.v, next.raw, out);
    next = t.ahead.get(t.lastSeq + 1);
  }
}

/** Keeps an event beyond the next seq until its hole fills; false when the buffer is full of lower ones and it is dropped. */
export function holdAhead(t: RoomTrack, seq: number, a: Ahead): boolean {
  if (!t.ahead.has(seq)) {
    if (t.ahead.size >= MAX_AHEAD) {
      // Keep the lowest: they are the next to be placed; the relay resends the rest.
      const max = t.ahead.max()!;
      if (seq > max) return false;
      t.ahead.delete(max);
    }
    t.ahead.set(seq, a);
  }
  return true;
}

export function closeHole(t: RoomTrack): void {
  if (t.hole?.timer) clearTimeout(t.hole.timer);
  t.hole = null;
}
