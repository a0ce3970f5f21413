/**
 * The receiving half of FeedClient (client.ts has the protocol's rules): `events` messages taken
 * in slices, each room's events handed on strictly in seq order, the ahead buffer, and the holes
 * chased until the relay fills them or they are given up.
 *
 * FeedClient extends this with the connection, the handshake and the commands; the socket and the
 * connection state are kept here because receiving reads and counts them too.
 */
import type { Socket } from 'socket.io-client';
import { EventsMessageSchema, validateEvent, type RoomInfo } from '../../../shared/protocol.ts';
import type { ConnectionState, FeedGap } from '../../../shared/contract.ts';
import { DEFAULT_FEED_TIMING, redact, type FeedClientOptions, type FeedTiming } from './options.ts';
import { closeHole, holdAhead, newOutput, newTrack, place, takeAhead, type Ahead, type Hole, type Output, type RoomTrack } from './room-track.ts';

/** Events handled per turn of the event loop (see drain()). */
const CHUNK = 250;
/** An event this far beyond the relay's own newest seq is not a late arrival: it is impossible. */
const IMPOSSIBLE_MARGIN = 1_000_000;

interface InboxItem {
  roomId: string;
  events: unknown[];
  next: number;
  rx: number;
}

export abstract class FeedReceiver {
  protected socket: Socket | null = null;
  protected readonly rooms = new Map<string, RoomTrack>();
  protected readonly state: ConnectionState;
  protected stopped = false;
  protected paused = false;
  protected inbox: InboxItem[] = [];
  private draining = false;
  /** Counts `events` messages received; Ahead.rx and relay answers are compared against it. */
  protected rx = 0;
  protected readonly timing: FeedTiming;

  constructor(protected readonly opts: FeedClientOptions) {
    this.timing = { ...DEFAULT_FEED_TIMING, ...opts.timing };
    for (const [roomId, c] of opts.cursors ?? []) this.rooms.set(roomId, newTrack(c.epoch, c.lastSeq));
    this.state = {
      status: 'connecting',
      url: redact(opts.url),
      error: null,
      lastEventAt: null,
      lagMs: null,
      quarantined: 0,
      duplicates: 0,
      resyncs: 0,
      reconnects: 0,
      gapsAccepted: 0,
      holes: [],
    };
  }

  get connection(): ConnectionState {
    return { ...this.state, holes: this.holeViews() };
  }

  /** The relay's rooms (FeedClient asks over the connection). */
  abstract listRooms(): Promise<RoomInfo[]>;

  /** Subscribes from the rooms' cursors (FeedClient, over the connection). */
  protected abstract subscribe(roomIds: string[]): Promise<'ok' | 'refused' | 'unanswered'>;

  // ---- receiving -----------------------------------------------------------------------------

  protected track(roomId: string): RoomTrack {
    let t = this.rooms.get(roomId);
    if (!t) {
      t = newTrack(0, 0);
      this.rooms.set(roomId, t);
    }
    return t;
  }

  protected onEventsMessage(msg: unknown): void {
    if (this.paused || this.stopped) return;
    this.rx++;
    const parsed = EventsMessageSchema.safeParse(msg);
    if (!parsed.success) {
      this.quarantine(null, null, `events message: ${parsed.error.issues[0]?.message ?? 'malformed'}`, msg);
      this.emitState();
      return;
    }
    const { roomId, events } = parsed.data;
    // Events flowing prove the link, even from a relay that never acknowledges its subscription.
    if (this.state.status !== 'live' && this.socket?.connected) this.state.status = 'live';
    if (!this.rooms.has(roomId) || (this.opts.rooms && !this.opts.rooms.includes(roomId))) return; // not a room we follow
    this.inbox.push({ roomId, events, next: 0, rx: this.rx });
    if (!this.draining) this.drain();
  }

  /**
   * Works through received messages in slices of CHUNK events, yielding to the event loop in
   * between: a relay catching up may send thousands of events in one message, and handling them
   * in one go would freeze the thread that also serves the UI (bench:ingest measured ~7 µs per
   * event). Order is kept: a message is finished before the next one starts.
   */
  private readonly drain = (): void => {
    this.draining = true;
    let budget = CHUNK;
    while (this.inbox.length && budget > 0 && !this.stopped && !this.paused) {
      const item = this.inbox[0]!;
      const n = Math.min(budget, item.events.length - item.next);
      this.processSlice(item, n);
      budget -= Math.max(n, 1);
      if (item.next >= item.events.length) this.inbox.shift();
    }
    if (this.inbox.length && !this.stopped && !this.paused) setImmediate(this.drain);
    else this.draining = false;
  };

  /** Handles `n` events of a message from `item.next`. */
  private processSlice(item: InboxItem, n: number): void {
    const { roomId, events } = item;
    const t = this.rooms.get(roomId);
    if (!t) {
      item.next += n;
      return;
    }
    const out = newOutput();
    const before = t.lastSeq;
    const end = item.next + n;
    for (; item.next < end; item.next++) {
      const raw = events[item.next];
      const v = validateEvent(raw);
      const seq = v.ok ? v.event.seq : v.seq;
      if (seq === null) {
        // No usable seq: it cannot be placed in the stream; the hole logic sorts out the rest.
        out.bad.push([null, (v as { reason: string }).reason, raw]);
        continue;
      }
      if (seq <= t.lastSeq) {
        this.state.duplicates++;
        continue;
      }
      if (seq > t.lastSeq + 1) {
        // Waiting room for an event beyond the next seq; opens the room's hole.
        if (holdAhead(t, seq, { v, raw, rx: item.rx }) && !t.hole) this.openHole(roomId, t);
        continue;
      }
      place(t, v, raw, out);
      takeAhead(t, out);
    }
    this.deliver(roomId, t, out, before);
  }

  private deliver(roomId: string, t: RoomTrack, out: Output, before: number): void {
    if (t.lastSeq > before && t.hole) t.hole.lastProgressAt = Date.now();
    if (t.hole && t.ahead.size === 0) closeHole(t);
    const now = Date.now();
    if (out.accepted.length || out.bad.length || t.lastSeq !== before) {
      this.state.lastEventAt = now;
      this.state.lagMs = t.lastTs === null ? null : Math.max(0, now - t.lastTs);
      // Quarantined events also advance lastSeq; report the cursor even when nothing was accepted.
      if (t.lastSeq !== before || out.accepted.length) this.opts.onEvents(roomId, t.epoch, out.accepted, t.lastSeq);
    }
    // Quarantined events are reported after the accepted ones, so a session that starts in this
    // slice already exists when its bad events are filed under it.
    for (const [seq, reason, raw] of out.bad) this.quarantine(roomId, seq, reason, raw);
    this.emitState();
  }

  protected drainAheadAll(): void {
    for (const [roomId, t] of this.rooms) {
      if (!t.ahead.has(t.lastSeq + 1)) continue;
      const out = newOutput();
      const before = t.lastSeq;
      takeAhead(t, out);
      this.deliver(roomId, t, out, before);
    }
  }

  // ---- holes ---------------------------------------------------------------------------------

  private openHole(roomId: string, t: RoomTrack): void {
    const now = Date.now();
    t.hole = { since: now, lastProgressAt: now, seqAtCheck: t.lastSeq, resubscribes: 0, delayMs: this.timing.firstRetryMs, timer: null, relayLastSeq: null };
    this.resubscribe(roomId, t);
    this.scheduleHoleCheck(roomId, t);
  }

  private scheduleHoleCheck(roomId: string, t: RoomTrack): void {
    const h = t.hole;
    if (!h) return;
    if (h.timer) clearTimeout(h.timer);
    h.timer = setTimeout(() => {
      h.timer = null;
      void this.checkHole(roomId, t, h);
    }, h.delayMs);
  }

  /**
   * A hole's periodic look: while the cursor moves (a slow backlog streaming in) nothing is done;
   * without progress the relay is asked where it stands and asked again for the events, with
   * growing pauses; after `giveUpAfterMs` without progress, a hole the relay confirms it has moved
   * beyond is recorded and stepped over.
   */
  private async checkHole(roomId: string, t: RoomTrack, h: Hole): Promise<void> {
    if (t.hole !== h || this.stopped || this.paused) return;
    const progressed = t.lastSeq !== h.seqAtCheck;
    h.seqAtCheck = t.lastSeq;
    if (!progressed && this.socket?.connected) {
      const asked = this.rx;
      try {
        const infos = await this.listRooms();
        const info = infos.find((r) => r.roomId === roomId);
        if (info && t.hole === h) this.applyRelayInfo(roomId, t, info, asked);
      } catch {
        // a relay that does not answer is asked again at the next look
      }
      this.drainAheadAll();
      if (t.hole !== h) return;
      const stalled = Date.now() - h.lastProgressAt >= this.timing.giveUpAfterMs;
      if (stalled && h.resubscribes >= 2 && h.relayLastSeq !== null) {
        // Waiting events the relay never reached are impossible, not late.
        for (const [seq, a] of [...t.ahead.entries()]) if (a.rx <= asked && seq > h.relayLastSeq) this.dropImpossible(roomId, t, seq, a, h.relayLastSeq);
        const aheadMin = t.ahead.min();
        if (aheadMin !== undefined && aheadMin <= h.relayLastSeq) this.acceptGap(roomId, t, aheadMin - 1, 'no-progress');
        if (t.hole !== h) return;
      }
      this.resubscribe(roomId, t);
      h.delayMs = Math.min(h.delayMs * 2, this.timing.maxRetryMs);
    }
    this.scheduleHoleCheck(roomId, t);
  }

  private resubscribe(roomId: string, t: RoomTrack): void {
    if (t.hole) t.hole.resubscribes++;
    this.state.resyncs++;
    void this.subscribe([roomId]);
  }

  /**
   * What a relay answer tells about a room's hole: seqs below `firstSeq` can never come (step over
   * them now), and its `lastSeq` judges waiting events received before the question was asked.
   */
  protected applyRelayInfo(roomId: string, t: RoomTrack, info: RoomInfo, askedAtRx: number): void {
    if (t.hole) t.hole.relayLastSeq = Math.max(t.hole.relayLastSeq ?? 0, info.lastSeq);
    for (const [seq, a] of [...t.ahead.entries()]) {
      if (a.rx <= askedAtRx && seq > info.lastSeq + IMPOSSIBLE_MARGIN) this.dropImpossible(roomId, t, seq, a, info.lastSeq);
    }
    const first = info.firstSeq;
    if (first === undefined || first <= t.lastSeq + 1) return;
    const aheadMin = t.ahead.min();
    const to = Math.min(first, aheadMin ?? Number.POSITIVE_INFINITY) - 1;
    if (to >= t.lastSeq + 1) this.acceptGap(roomId, t, to, 'relay-no-longer-holds');
  }

  /** Records the hole up to `to` and steps over it; the waiting events beyond follow at once. */
  private acceptGap(roomId: string, t: RoomTrack, to: number, reason: FeedGap['reason']): void {
    const gap: FeedGap = { roomId, epoch: t.epoch, fromSeq: t.lastSeq + 1, toSeq: to, at: Date.now(), reason };
    // Not a quarantined event (nothing was received): the gap has its own record.
    this.state.gapsAccepted++;
    this.opts.onGap?.(gap);
    const out = newOutput();
    const before = t.lastSeq;
    t.lastSeq = to;
    takeAhead(t, out);
    this.deliver(roomId, t, out, before);
  }

  private dropImpossible(roomId: string, t: RoomTrack, seq: number, a: Ahead, relayLast: number): void {
    t.ahead.delete(seq);
    this.quarantine(roomId, null, `seq ${seq} is beyond the relay's own newest seq ${relayLast}: not placed in the stream`, a.raw);
    if (t.ahead.size === 0) closeHole(t);
  }

  private holeViews(): NonNullable<ConnectionState['holes']> {
    const out: NonNullable<ConnectionState['holes']> = [];
    for (const [roomId, t] of this.rooms) {
      if (!t.hole) continue;
      const min = t.ahead.min();
      if (min === undefined) continue;
      out.push({ roomId, fromSeq: t.lastSeq + 1, toSeq: min - 1, since: t.hole.since });
    }
    return out;
  }

  // ---- reporting -----------------------------------------------------------------------------

  protected quarantine(roomId: string | null, seq: number | null, reason: string, raw: unknown): void {
    this.state.quarantined++;
    this.opts.onQuarantine({ roomId, seq, reason, raw });
  }

  protected setState(patch: Partial<ConnectionState>): void {
    Object.assign(this.state, patch);
    this.emitState();
  }

  protected emitState(): void {
    this.opts.onState?.(this.connection);
  }
}
