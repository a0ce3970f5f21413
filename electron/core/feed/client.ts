/**
 * The app's side of FEED-PROTOCOL.md over socket.io-client.
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
 *
 * Where it lives: the connection, the handshake and the commands here; taking events in seq
 * order, the ahead buffer and the holes in receiver.ts (the class's base) and room-track.ts; the
 * options in options.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { FEED_NAMESPACE, RoomInfoSchema, SubscribeAckSchema, CommandAckSchema, type CommandAck, type FeedCommand, type RoomInfo } from '../../../shared/protocol.ts';
import { redact, type FeedClientOptions, type RoomCursor } from './options.ts';
import { FeedReceiver } from './receiver.ts';
import { closeHole, newTrack } from './room-track.ts';

export { DEFAULT_FEED_TIMING, redact, type FeedClientOptions, type FeedTiming, type RoomCursor } from './options.ts';

export class FeedClient extends FeedReceiver {
  private roomInfos: RoomInfo[] = [];
  /** Bumped on every (re)connect: a handshake of an older connection stops where it is. */
  private connGen = 0;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private handshakeDelayMs: number;

  constructor(opts: FeedClientOptions) {
    super(opts);
    this.handshakeDelayMs = this.timing.firstRetryMs;
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

  /**
   * Follows exactly `roomIds` from now on (lcr serve's room leases). A room given up is
   * unsubscribed and forgotten — its events still in flight are ignored, the store's cursor says
   * where the next holder starts. A room taken on starts from `cursors` (the store's: where the
   * process that held it left off), through a fresh handshake, so a relay whose numbering went
   * backwards meanwhile is recognised as for any room.
   */
  setRooms(roomIds: string[], cursors: Map<string, RoomCursor>): void {
    const before = new Set(this.opts.rooms ?? []);
    const next = new Set(roomIds);
    this.opts.rooms = [...next];
    const dropped = [...before].filter((r) => !next.has(r));
    const added = [...next].filter((r) => !before.has(r));
    for (const roomId of dropped) {
      const t = this.rooms.get(roomId);
      if (t) closeHole(t);
      this.rooms.delete(roomId);
    }
    this.inbox = this.inbox.filter((item) => next.has(item.roomId));
    for (const roomId of added) {
      const c = cursors.get(roomId);
      this.rooms.set(roomId, newTrack(c?.epoch ?? 0, c?.lastSeq ?? 0));
    }
    const socket = this.socket;
    if (!socket?.connected || this.stopped || this.paused) return; // the next handshake subscribes what opts.rooms says
    if (dropped.length) socket.emit('unsubscribe', { rooms: dropped });
    if (added.length) void this.handshake(++this.connGen);
  }

  stop(): void {
    this.stopped = true;
    this.clearHandshakeRetry();
    for (const t of this.rooms.values()) closeHole(t);
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
      closeHole(t);
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
        closeHole(t);
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
  protected async subscribe(roomIds: string[], gen = this.connGen): Promise<'ok' | 'refused' | 'unanswered'> {
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
    // The relay's answer, however late: a relay that streams a long backlog before it acknowledges
    // still says in its answer what it no longer holds, and a hole waits on that proof.
    const answer = new Promise<unknown>((resolve) => socket.emit('subscribe', { rooms }, (r: unknown) => resolve(r)));
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([answer.then((r) => ({ r })), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timing.ackTimeoutMs)))]);
    clearTimeout(timer);
    if (!inTime) {
      if (gen === this.connGen) this.setState({ error: 'the relay did not acknowledge the subscription in time; events that arrive are still taken' });
      void answer.then((late) => {
        if (gen === this.connGen) this.applySubscribeAck(late, asked);
      });
      return 'unanswered';
    }
    if (gen !== this.connGen) return 'unanswered';
    return this.applySubscribeAck(inTime.r, asked);
  }

  /** A subscription's answer: each room's position as the relay gives it, then what that lets through. */
  private applySubscribeAck(raw: unknown, asked: number): 'ok' | 'refused' | 'unanswered' {
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
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
