/**
 * What the feed client keeps per room: the last accepted seq, the events that arrived beyond a
 * hole (waiting for it to fill), and the hole being chased.
 */
import type { Validation } from '../../../shared/protocol.ts';

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
