/**
 * F1: the app's side of FEED-PROTOCOL.md over socket.io-client.
 *
 * Delivery is at-least-once from the relay and exactly-once into the store: the client keeps
 * the last accepted `seq` per room, drops anything at or below it (duplicates), and on a jump
 * (missed events) or a reconnect re-subscribes with `afterSeq` so the relay fills the hole.
 * Socket.IO's own recovery is not relied on. Every event is validated; bad ones go to the
 * quarantine callback with the reason and never stop the rest of the batch.
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
} from '../../../shared/protocol.ts';
import type { ConnectionState } from '../../../shared/contract.ts';

export interface RoomCursor {
  epoch: number;
  lastSeq: number;
}

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
  /** How many resubscribes at one missing seq before accepting that the relay no longer has it. */
  maxResyncAttempts?: number;
}

interface RoomTrack {
  epoch: number;
  lastSeq: number;
  subscribed: boolean;
  /** Set while a resubscribe for a gap is in flight: later out-of-order events are dropped, not re-triggering. */
  resyncing: boolean;
  resyncAttempts: number;
  resyncFrom: number;
  gapSeenSeq: number | null;
  lastTs: number | null;
}

const ACK_TIMEOUT_MS = 10_000;
/** Events handled per turn of the event loop (see drain()). */
const CHUNK = 250;

interface InboxItem {
  roomId: string;
  events: unknown[];
  next: number;
}

export class FeedClient {
  private socket: Socket | null = null;
  private readonly rooms = new Map<string, RoomTrack>();
  private roomInfos: RoomInfo[] = [];
  private state: ConnectionState;
  private stopped = false;
  private inbox: InboxItem[] = [];
  private draining = false;
  private enqueued = 0;
  private processed = 0;
  private drainWaiters: Array<{ upTo: number; resolve: () => void }> = [];

  constructor(private readonly opts: FeedClientOptions) {
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
    };
  }

  get connection(): ConnectionState {
    return { ...this.state };
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
      void this.onConnect();
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
      if (!socket.active && !this.stopped) setTimeout(() => !this.stopped && socket.connect(), 2_000);
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped) return;
      for (const t of this.rooms.values()) {
        t.subscribed = false;
        t.resyncing = false;
        t.gapSeenSeq = null;
      }
      this.setState({ status: 'reconnecting', error: `connection lost (${reason})` });
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('events', (msg: unknown) => this.onEventsMessage(msg));
  }

  stop(): void {
    this.stopped = true;
    this.socket?.disconnect();
    this.socket = null;
    this.setState({ status: 'stopped', error: null });
  }

  async listRooms(): Promise<RoomInfo[]> {
    const socket = this.requireSocket();
    const raw: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('rooms');
    const parsed = RoomInfoSchema.array().safeParse(raw);
    if (!parsed.success) throw new Error(`the relay answered 'rooms' with something that is not RoomInfo[]: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  async command(roomId: string, command: FeedCommand): Promise<CommandAck> {
    const socket = this.requireSocket();
    try {
      const raw: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('command', { roomId, command });
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

  private async onConnect(): Promise<void> {
    if (this.state.status === 'reconnecting') this.state.reconnects++;
    try {
      const infos = await this.listRooms();
      this.roomInfos = infos;
      this.opts.onRooms?.(infos);
      const wanted = this.opts.rooms ?? infos.map((r) => r.roomId);
      const known = new Set(infos.map((r) => r.roomId));
      const missing = wanted.filter((r) => !known.has(r));
      for (const info of infos) {
        if (!wanted.includes(info.roomId)) continue;
        const t = this.rooms.get(info.roomId) ?? newTrack(0, 0);
        // The relay restarted its numbering (e.g. a relay process restarted without history):
        // a new epoch keeps old and new events apart instead of dropping the new ones as duplicates.
        if (info.lastSeq < t.lastSeq) {
          t.epoch++;
          t.lastSeq = 0;
        }
        this.rooms.set(info.roomId, t);
      }
      const subs = wanted.filter((r) => known.has(r));
      if (subs.length) await this.subscribe(subs);
      this.setState({
        status: 'live',
        error: missing.length ? `the relay has no room ${missing.join(', ')}` : null,
      });
    } catch (e) {
      this.setState({ status: 'reconnecting', error: `subscribe failed: ${e instanceof Error ? e.message : String(e)}` });
      // Try the whole handshake again on a fresh connection rather than half-subscribed.
      this.socket?.disconnect().connect();
    }
  }

  private async subscribe(roomIds: string[]): Promise<void> {
    const socket = this.requireSocket();
    const rooms = roomIds.map((roomId) => {
      const t = this.rooms.get(roomId)!;
      return t.lastSeq > 0 ? { roomId, afterSeq: t.lastSeq } : { roomId };
    });
    const raw: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', { rooms });
    const ack = SubscribeAckSchema.safeParse(raw);
    if (!ack.success) throw new Error('unreadable subscribe acknowledgement');
    if (!ack.data.ok) throw new Error(ack.data.error);
    for (const id of roomIds) this.rooms.get(id)!.subscribed = true;
  }

  private onEventsMessage(msg: unknown): void {
    const parsed = EventsMessageSchema.safeParse(msg);
    if (!parsed.success) {
      this.quarantine(null, null, `events message: ${parsed.error.issues[0]?.message ?? 'malformed'}`, msg);
      this.emitState();
      return;
    }
    const { roomId, events } = parsed.data;
    if (!this.rooms.has(roomId)) return; // not a room we follow (a relay may broadcast more than asked)
    this.inbox.push({ roomId, events, next: 0 });
    this.enqueued++;
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
    while (this.inbox.length && budget > 0 && !this.stopped) {
      const item = this.inbox[0]!;
      const n = Math.min(budget, item.events.length - item.next);
      const dropRest = this.processSlice(item, n);
      budget -= Math.max(n, 1);
      if (dropRest || item.next >= item.events.length) {
        this.inbox.shift();
        this.processed++;
      }
    }
    for (const w of this.drainWaiters.filter((x) => x.upTo <= this.processed)) w.resolve();
    this.drainWaiters = this.drainWaiters.filter((x) => x.upTo > this.processed);
    if (this.inbox.length && !this.stopped) setImmediate(this.drain);
    else this.draining = false;
  };

  /** Resolves when every message received so far has been processed. */
  private afterReceived(): Promise<void> {
    const upTo = this.enqueued;
    if (this.processed >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ upTo, resolve }));
  }

  /** Handles `n` events of a message from `item.next`; returns true when the rest must be dropped (a gap). */
  private processSlice(item: InboxItem, n: number): boolean {
    const { roomId, events } = item;
    const t = this.rooms.get(roomId)!;
    const accepted: FeedEvent[] = [];
    // Quarantined events are reported after the accepted ones, so a session that starts in this
    // slice already exists when its bad events are filed under it.
    const bad: Array<[number | null, string, unknown]> = [];
    let dropRest = false;
    const end = item.next + n;
    for (; item.next < end; item.next++) {
      const raw = events[item.next];
      const v = validateEvent(raw);
      const seq = v.ok ? v.event.seq : v.seq;
      if (seq === null) {
        // No usable seq: cannot be placed in the stream; quarantine and let the gap logic sort out the rest.
        bad.push([null, (v as { reason: string }).reason, raw]);
        continue;
      }
      if (seq <= t.lastSeq) {
        this.state.duplicates++;
        continue;
      }
      if (seq > t.lastSeq + 1 && this.onGap(roomId, t, seq)) {
        dropRest = true;
        break;
      }
      t.lastSeq = seq;
      if (v.ok) {
        accepted.push(v.event);
        t.lastTs = v.event.ts;
      } else {
        bad.push([seq, v.reason, raw]);
      }
    }
    const now = Date.now();
    this.state.lastEventAt = now;
    this.state.lagMs = t.lastTs === null ? null : Math.max(0, now - t.lastTs);
    // Quarantined events also advance lastSeq; report the cursor even when nothing was accepted.
    this.opts.onEvents(roomId, t.epoch, accepted, t.lastSeq);
    for (const [seq, reason, raw] of bad) this.quarantine(roomId, seq, reason, raw);
    this.emitState();
    return dropRest;
  }

  /**
   * A jump in seq: events are missing. Drop the rest of the batch and resubscribe from the last
   * stored seq; the relay resends the hole and what followed. Always returns true (drop the rest).
   */
  private onGap(roomId: string, t: RoomTrack, seq: number): boolean {
    // The lowest seq seen beyond the hole tells, after the resubscribe, whether the hole was filled.
    t.gapSeenSeq = t.gapSeenSeq === null ? seq : Math.min(t.gapSeenSeq, seq);
    if (!t.resyncing) this.resync(roomId, t);
    return true;
  }

  private resync(roomId: string, t: RoomTrack): void {
    if (t.resyncFrom !== t.lastSeq) {
      t.resyncFrom = t.lastSeq;
      t.resyncAttempts = 0;
    }
    t.resyncAttempts++;
    t.resyncing = true;
    this.state.resyncs++;
    this.subscribe([roomId])
      // The relay sends the backlog before acknowledging: once what arrived before the ack is
      // processed, the backlog is in.
      .then(() => this.afterReceived())
      .then(() => {
        t.resyncing = false;
        const seen = t.gapSeenSeq;
        if (seen === null || t.lastSeq >= seen - 1) {
          t.gapSeenSeq = null;
          return;
        }
        if (t.resyncAttempts < (this.opts.maxResyncAttempts ?? 2)) {
          this.resync(roomId, t);
          return;
        }
        // The relay keeps not having these events (malformed without a seq, or aged out of its
        // buffer). Record the hole, step over exactly it, and fetch what follows.
        this.state.gapsAccepted++;
        this.quarantine(roomId, t.lastSeq + 1, `gap: seq ${t.lastSeq + 1}${seen - 1 > t.lastSeq + 1 ? `–${seen - 1}` : ''} never arrived after ${t.resyncAttempts} resubscribes`, null);
        t.lastSeq = seen - 1;
        t.gapSeenSeq = null;
        this.resync(roomId, t);
      })
      .catch((e: unknown) => {
        t.resyncing = false;
        this.setState({ error: `resubscribe failed: ${e instanceof Error ? e.message : String(e)}` });
      });
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

function newTrack(epoch: number, lastSeq: number): RoomTrack {
  return { epoch, lastSeq, subscribed: false, resyncing: false, resyncAttempts: 0, resyncFrom: -1, gapSeenSeq: null, lastTs: null };
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
