/**
 * F1: the app's side of FEED-PROTOCOL.md over socket.io-client.
 *
 * Delivery is at-least-once from the relay and exactly-once into the store: the client keeps
 * the last accepted `seq` per room and hands events on strictly in seq order. Anything at or
 * below it is a duplicate. An event beyond the next seq waits in a bounded "ahead" buffer while
 * the client re-subscribes with `afterSeq` so the relay fills the hole; when the missing events
 * arrive (in the backlog, whenever that comes — the acknowledgement proves nothing about it), the
 * waiting ones follow without being fetched again.
 *
 * A hole is given up only when the relay says it no longer holds it (`RoomInfo.firstSeq` above
 * it), or when re-subscribing has brought nothing for `giveUpAfterMs` and the relay confirms it
 * holds events beyond the hole. An event whose seq the relay never reached (an absurd seq) is
 * quarantined, never allowed to move the cursor. Socket.IO's own recovery is not relied on.
 * Every event is validated; bad ones go to the quarantine callback with the reason.
 */
import { io, type Socket } from 'socket.io-client';
import {
  FEED_NAMESPACE,
  EventsMessageSchema,
  RoomInfoSchema,
  SubscribeAckSchema,
  CommandAckSchema,
  validateEvent,
  type CommandAck,
  type FeedCommand,
  type FeedEvent,
  type RoomInfo,
  type Validation,
} from '../../../shared/protocol.ts';
import type { ConnectionState, FeedGap } from '../../../shared/contract.ts';
import { newTrack, type Ahead, type Hole, type RoomTrack } from './room-track.ts';

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

/** Events held beyond a hole per room; beyond it the highest are dropped (the relay resends them). */
const MAX_AHEAD = 20_000;
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

export class FeedClient {
  private socket: Socket | null = null;
  private readonly rooms = new Map<string, RoomTrack>();
  private roomInfos: RoomInfo[] = [];
  private state: ConnectionState;
  private stopped = false;
  private paused = false;
  private inbox: InboxItem[] = [];
  private draining = false;
  /** Counts `events` messages received; Ahead.rx and relay answers are compared against it. */
  private rx = 0;
  /** Bumped on every (re)connect: a handshake of an older connection stops where it is. */
  private connGen = 0;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private handshakeDelayMs: number;
  private readonly timing: FeedTiming;

  constructor(private readonly opts: FeedClientOptions) {
    this.timing = { ...DEFAULT_FEED_TIMING, ...opts.timing };
    this.handshakeDelayMs = this.timing.firstRetryMs;
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

  get relayRooms(): RoomInfo[] {
    return this.roomInfos;
  }

  cursor(roomId: string): RoomCursor | undefined {
    const t = this.rooms.get(roomId);
    return t ? { epoch: t.epoch, lastSeq: t.lastSeq } : undefined;
  }

  start(): void {
    const base = this.opts.url.replace(/\/+$/, '');
    const socket = io(base + FEED_NAMESPACE, {
      auth: { token: this.opts.token ?? '', client: 'live-control-room/0.1' },
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      randomizationFactor: 0.3,
    });
    this.socket = socket;
    socket.on('connect', () => {
      if (this.state.status === 'reconnecting') this.state.reconnects++;
      void this.handshake(++this.connGen);
    });
    socket.on('connect_error', (err: Error) => {
      if (err.message === 'unauthorized') {
        // A wrong token will not become right by retrying: stop and say so.
        this.setState({ status: 'failed', error: `the relay at ${redact(this.opts.url)} rejected the token (unauthorized)` });
        socket.disconnect();
        return;
      }
      this.setState({ status: 'reconnecting', error: `cannot reach the relay: ${err.message}` });
      // A middleware rejection other than auth leaves the socket inactive; keep trying politely.
      if (!socket.active && !this.stopped && !this.paused) setTimeout(() => !this.stopped && !this.paused && socket.connect(), 2_000);
    });
    socket.on('disconnect', (reason) => {
      this.connGen++;
      this.clearHandshakeRetry();
      if (this.stopped || this.paused) return;
      this.setState({ status: 'reconnecting', error: `connection lost (${reason})` });
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('events', (msg: unknown) => this.onEventsMessage(msg));
  }

  stop(): void {
    this.stopped = true;
    this.clearHandshakeRetry();
    for (const t of this.rooms.values()) this.closeHole(t);
    this.socket?.disconnect();
    this.socket = null;
    this.setState({ status: 'stopped', error: null });
  }

  /**
   * Stops taking events without losing any: the connection closes, and what was received but not
   * yet handed on is dropped (the cursor has not passed it, so the relay sends it again after
   * `resume`). The store uses this when it cannot keep up (a full disk): memory stays bounded.
   */
  pause(reason: string): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.inbox = [];
    for (const t of this.rooms.values()) {
      t.ahead.clear();
      this.closeHole(t);
    }
    this.socket?.disconnect();
    this.setState({ status: 'reconnecting', error: reason });
  }

  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.setState({ status: 'connecting', error: null });
    this.socket?.connect();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async listRooms(): Promise<RoomInfo[]> {
    const socket = this.requireSocket();
    const raw: unknown = await socket.timeout(this.timing.ackTimeoutMs).emitWithAck('rooms');
    const parsed = RoomInfoSchema.array().max(10_000).safeParse(raw);
    if (!parsed.success) throw new Error(`the relay answered 'rooms' with something that is not RoomInfo[]: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  async command(roomId: string, command: FeedCommand): Promise<CommandAck> {
    try {
      const socket = this.requireSocket();
      const raw: unknown = await socket.timeout(this.timing.ackTimeoutMs).emitWithAck('command', { roomId, command });
      const parsed = CommandAckSchema.safeParse(raw);
      return parsed.success ? parsed.data : { ok: false, error: 'the relay sent an unreadable acknowledgement' };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private requireSocket(): Socket {
    if (!this.socket?.connected) throw new Error('not connected to the relay');
    return this.socket;
  }

  // ---- handshake -----------------------------------------------------------------------------

  /**
   * `rooms`, then `subscribe` from each room's cursor. A relay that is slow to answer, or never
   * acknowledges the subscription, is not dropped: events that do arrive are taken, and a relay
   * that does not list its rooms is asked again after a while on the same connection.
   */
  private async handshake(gen: number): Promise<void> {
    this.clearHandshakeRetry();
    const asked = this.rx;
    let infos: RoomInfo[] | null = null;
    try {
      infos = await this.listRooms();
    } catch (e) {
      if (gen !== this.connGen) return;
      this.setState({ error: `the relay did not list its rooms: ${errorText(e)}` });
    }
    if (gen !== this.connGen || this.stopped || this.paused) return;
    if (infos) {
      this.roomInfos = infos;
      this.opts.onRooms?.(infos);
    } else if (!this.opts.rooms) {
      this.retryHandshake(gen);
      return;
    }
    const known = infos ? new Set(infos.map((r) => r.roomId)) : null;
    const wanted = this.opts.rooms ?? infos!.map((r) => r.roomId);
    const missing = known ? wanted.filter((r) => !known.has(r)) : [];
    const subs = known ? wanted.filter((r) => known.has(r)) : wanted;
    for (const roomId of subs) {
      const t = this.track(roomId);
      const info = infos?.find((r) => r.roomId === roomId);
      // The relay's numbering is behind our cursor: it restarted (or lost its history). A new
      // epoch keeps old and new numbers apart; the receiver is told before the history comes again.
      if (info && info.lastSeq < t.lastSeq) {
        t.epoch++;
        t.lastSeq = 0;
        t.ahead.clear();
        this.closeHole(t);
        try {
          await this.opts.onEpoch?.(roomId, t.epoch);
        } catch (e) {
          this.setState({ error: `preparing for the relay's new numbering failed: ${errorText(e)}` });
        }
        if (gen !== this.connGen || this.stopped || this.paused) return;
      }
      if (info) this.applyRelayInfo(roomId, t, info, asked);
    }
    const answer = subs.length ? await this.subscribe(subs, gen) : 'ok';
    if (gen !== this.connGen) return;
    if (answer === 'refused') {
      // Asked again later on the same connection, with growing pauses: never a tight loop.
      this.retryHandshake(gen);
      return;
    }
    this.handshakeDelayMs = this.timing.firstRetryMs;
    this.setState({
      status: 'live',
      error: missing.length ? `the relay has no room ${missing.join(', ')}` : this.state.error && /acknowledge/.test(this.state.error) ? this.state.error : null,
    });
  }

  private retryHandshake(gen: number): void {
    this.clearHandshakeRetry();
    const delay = this.handshakeDelayMs;
    this.handshakeDelayMs = Math.min(delay * 2, this.timing.maxRetryMs);
    this.handshakeTimer = setTimeout(() => {
      this.handshakeTimer = null;
      if (gen === this.connGen && !this.stopped && !this.paused) void this.handshake(gen);
    }, delay);
  }

  private clearHandshakeRetry(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  /** Subscribes from the rooms' cursors; the answer's RoomInfo is used, its absence tolerated. */
  private async subscribe(roomIds: string[], gen = this.connGen): Promise<'ok' | 'refused' | 'unanswered'> {
    let socket: Socket;
    try {
      socket = this.requireSocket();
    } catch {
      return 'unanswered';
    }
    const rooms = roomIds.map((roomId) => {
      const t = this.track(roomId);
      return t.lastSeq > 0 ? { roomId, afterSeq: t.lastSeq } : { roomId };
    });
    const asked = this.rx;
    let raw: unknown;
    try {
      raw = await socket.timeout(this.timing.ackTimeoutMs).emitWithAck('subscribe', { rooms });
    } catch (e) {
      if (gen === this.connGen) this.setState({ error: `the relay did not acknowledge the subscription (${errorText(e)}); events that arrive are still taken` });
      return 'unanswered';
    }
    if (gen !== this.connGen) return 'unanswered';
    const ack = SubscribeAckSchema.safeParse(raw);
    if (!ack.success) {
      this.setState({ error: 'the relay acknowledged the subscription with something unreadable; events that arrive are still taken' });
      return 'unanswered';
    }
    if (!ack.data.ok) {
      this.setState({ error: `the relay refused the subscription: ${ack.data.error}` });
      return 'refused';
    }
    for (const info of ack.data.rooms) {
      const t = this.rooms.get(info.roomId);
      if (t) this.applyRelayInfo(info.roomId, t, info, asked);
    }
    this.drainAheadAll();
    return 'ok';
  }

  /**
   * What a relay answer tells about a room's hole: seqs below `firstSeq` can never come (step over
   * them now), and its `lastSeq` judges waiting events received before the question was asked.
   */
  private applyRelayInfo(roomId: string, t: RoomTrack, info: RoomInfo, askedAtRx: number): void {
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

  // ---- receiving -----------------------------------------------------------------------------

  private track(roomId: string): RoomTrack {
    let t = this.rooms.get(roomId);
    if (!t) {
      t = newTrack(0, 0);
      this.rooms.set(roomId, t);
    }
    return t;
  }

  private onEventsMessage(msg: unknown): void {
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
        this.hold(roomId, t, seq, { v, raw, rx: item.rx });
        continue;
      }
      this.place(t, v, raw, out);
      this.takeAhead(t, out);
    }
    this.deliver(roomId, t, out, before);
  }

  /** One event at exactly lastSeq + 1: accepted or quarantined, and the cursor moves. */
  private place(t: RoomTrack, v: Validation, raw: unknown, out: Output): void {
    const seq = v.ok ? v.event.seq : v.seq!;
    t.lastSeq = seq;
    if (v.ok) {
      out.accepted.push(v.event);
      t.lastTs = v.event.ts;
    } else out.bad.push([seq, v.reason, raw]);
  }

  /** Events waiting beyond a hole that the hole's filling has made next. */
  private takeAhead(t: RoomTrack, out: Output): void {
    let next = t.ahead.get(t.lastSeq + 1);
    while (next) {
      t.ahead.delete(t.lastSeq + 1);
      this.place(t, next.v, next.raw, out);
      next = t.ahead.get(t.lastSeq + 1);
    }
  }

  private deliver(roomId: string, t: RoomTrack, out: Output, before: number): void {
    if (t.lastSeq > before && t.hole) t.hole.lastProgressAt = Date.now();
    if (t.hole && t.ahead.size === 0) this.closeHole(t);
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

  /** Waiting room for an event beyond the next seq; opens the room's hole. */
  private hold(roomId: string, t: RoomTrack, seq: number, a: Ahead): void {
    if (!t.ahead.has(seq)) {
      if (t.ahead.size >= MAX_AHEAD) {
        // Keep the lowest: they are the next to be placed; the relay resends the rest.
        const max = t.ahead.max()!;
        if (seq > max) return;
        t.ahead.delete(max);
      }
      t.ahead.set(seq, a);
    }
    if (!t.hole) this.openHole(roomId, t);
  }

  private drainAheadAll(): void {
    for (const [roomId, t] of this.rooms) {
      if (!t.ahead.has(t.lastSeq + 1)) continue;
      const out = newOutput();
      const before = t.lastSeq;
      this.takeAhead(t, out);
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

  private closeHole(t: RoomTrack): void {
    if (t.hole?.timer) clearTimeout(t.hole.timer);
    t.hole = null;
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

  /** Records the hole up to `to` and steps over it; the waiting events beyond follow at once. */
  private acceptGap(roomId: string, t: RoomTrack, to: number, reason: FeedGap['reason']): void {
    const gap: FeedGap = { roomId, epoch: t.epoch, fromSeq: t.lastSeq + 1, toSeq: to, at: Date.now(), reason };
    // Not a quarantined event (nothing was received): the gap has its own record.
    this.state.gapsAccepted++;
    this.opts.onGap?.(gap);
    const out = newOutput();
    const before = t.lastSeq;
    t.lastSeq = to;
    this.takeAhead(t, out);
    this.deliver(roomId, t, out, before);
  }

  private dropImpossible(roomId: string, t: RoomTrack, seq: number, a: Ahead, relayLast: number): void {
    t.ahead.delete(seq);
    this.quarantine(roomId, null, `seq ${seq} is beyond the relay's own newest seq ${relayLast}: not placed in the stream`, a.raw);
    if (t.ahead.size === 0) this.closeHole(t);
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

  private quarantine(roomId: string | null, seq: number | null, reason: string, raw: unknown): void {
    this.state.quarantined++;
    this.opts.onQuarantine({ roomId, seq, reason, raw });
  }

  private setState(patch: Partial<ConnectionState>): void {
    Object.assign(this.state, patch);
    this.emitState();
  }

  private emitState(): void {
    this.opts.onState?.(this.connection);
  }
}

type Output = { accepted: FeedEvent[]; bad: Array<[number | null, string, unknown]> };

function newOutput(): Output {
  return { accepted: [], bad: [] };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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
