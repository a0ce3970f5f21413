/**
 * The relay side of FEED-PROTOCOL.md: a Socket.IO v4 server that numbers each room's events,
 * keeps the current session's history so a client can resume with `afterSeq`, batches what it
 * streams, and hands `command`s to whoever drives the room (the simulator). Kept separate from
 * the simulator so the protocol mechanics are written once.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import {
  FEED_NAMESPACE,
  CommandRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CommandAck,
  type EventBody,
  type FeedCommand,
  type RoomInfo,
} from '../../../shared/protocol.ts';

export interface RelayRoom {
  roomId: string;
  platform: string;
  title: string;
  /** The room's driver answers commands; absent → `unsupported`. */
  onCommand?: (command: FeedCommand) => CommandAck;
}

export interface RelayServerOptions {
  host?: string;
  port?: number;
  /** When set, clients must present it in `auth.token`. */
  token?: string;
  /**
   * Events of the current session kept for resuming (`afterSeq`); the oldest go beyond it. Unset:
   * the whole session (the simulator's shows are bounded). A bridge in front of a real room sets
   * it: its only client is the app on loopback, and a night of a big room must not grow the heap.
   */
  maxHistory?: number;
  /** Max events per `events` message when sending history. */
  backlogChunk?: number;
}

type StoredEvent = EventBody & { seq: number };

interface RoomLog {
  room: RelayRoom;
  status: RoomInfo['status'];
  startedAt: number | null;
  lastSeq: number;
  /** Events of the current session (seq order). */
  history: StoredEvent[];
  /** Events not yet streamed to live subscribers. */
  outbox: StoredEvent[];
}

export class RelayServer {
  private readonly http: HttpServer;
  private readonly io: Server;
  private readonly rooms = new Map<string, RoomLog>();
  private readonly opts: RelayServerOptions;
  url = '';

  constructor(opts: RelayServerOptions = {}) {
    this.opts = opts;
    this.http = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Live Control Room relay: connect with Socket.IO to namespace /feed\n');
    });
    this.io = new Server(this.http, { serveClient: false, cors: { origin: false } });
    const nsp = this.io.of(FEED_NAMESPACE);
    nsp.use((socket, next) => {
      if (opts.token && (socket.handshake.auth as { token?: unknown } | undefined)?.token !== opts.token) {
        next(new Error('unauthorized'));
      } else next();
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
  }

  async listen(): Promise<string> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port ?? 0, host, () => resolve());
    });
    const addr = this.http.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
  }

  /** Closes every client connection (clients reconnect and resume): an operator's "kick", and a test of resume. */
  dropConnections(): void {
    this.io.of(FEED_NAMESPACE).disconnectSockets(true);
  }

  /** Everything of the current session, as sent (for verification tools and tests). */
  history(roomId: string): ReadonlyArray<EventBody & { seq: number }> {
    return this.rooms.get(roomId)?.history ?? [];
  }

  addRoom(room: RelayRoom): void {
    this.rooms.set(room.roomId, { room, status: 'scheduled', startedAt: null, lastSeq: 0, history: [], outbox: [] });
  }

  info(roomId: string): RoomInfo | undefined {
    const r = this.rooms.get(roomId);
    if (!r) return undefined;
    // firstSeq: what a resuming client can still get; seqs below it (an earlier session, or trimmed) are gone.
    return { roomId, platform: r.room.platform, title: r.room.title, status: r.status, startedAt: r.startedAt, lastSeq: r.lastSeq, firstSeq: r.history[0]?.seq ?? r.lastSeq + 1 };
  }

  /** Numbers and queues events; they go out on the next `flush()` (the driver calls it per batch interval). */
  publish(roomId: string, bodies: EventBody[]): void {
    const r = this.rooms.get(roomId);
    if (!r) throw new Error(`unknown room ${roomId}`);
    for (const body of bodies) {
      if (body.type === 'session' && body.status === 'live') {
        // A new broadcast: history restarts, so a fresh subscriber gets this session only.
        r.history = [];
        r.status = 'live';
        r.startedAt = body.startedAt;
        if (body.title) r.room.title = body.title;
      } else if (body.type === 'session' && body.status === 'ended') {
        r.status = 'ended';
      }
      const e = { ...body, seq: ++r.lastSeq } as StoredEvent;
      r.history.push(e);
      r.outbox.push(e);
    }
    // Trimmed in steps (a quarter over the cap), not per event: splice moves the whole array.
    const max = this.opts.maxHistory;
    if (max !== undefined && r.history.length > max * 1.25) r.history.splice(0, r.history.length - max);
  }

  /** Streams queued events to subscribers, one `events` message per room. */
  flush(): void {
    for (const r of this.rooms.values()) {
      if (!r.outbox.length) continue;
      this.io.of(FEED_NAMESPACE).to(channel(r.room.roomId)).emit('events', { roomId: r.room.roomId, events: r.outbox });
      r.outbox = [];
    }
  }

  private onConnection(socket: Socket): void {
    socket.on('rooms', (ack: unknown) => {
      if (typeof ack !== 'function') return;
      ack([...this.rooms.keys()].map((id) => this.info(id)!));
    });

    socket.on('subscribe', (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: unknown) => void) : () => undefined;
      const parsed = SubscribeRequestSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: `bad subscribe: ${parsed.error.issues[0]?.message ?? ''}` });
      const unknown = parsed.data.rooms.filter((s) => !this.rooms.has(s.roomId)).map((s) => s.roomId);
      if (unknown.length) return reply({ ok: false, error: `unknown room ${unknown.join(', ')}` });
      // Queued-but-unsent events go out first, so the backlog below and the live stream stay in seq order.
      this.flush();
      const chunk = this.opts.backlogChunk ?? 1000;
      for (const s of parsed.data.rooms) {
        const r = this.rooms.get(s.roomId)!;
        const after = s.afterSeq ?? 0;
        // History seqs are contiguous, so the backlog starts at a computed index.
        const first = r.history[0]?.seq ?? 1;
        const backlog = r.history.slice(Math.max(0, after - first + 1));
        for (let i = 0; i < backlog.length; i += chunk) {
          socket.emit('events', { roomId: s.roomId, events: backlog.slice(i, i + chunk) });
        }
        void socket.join(channel(s.roomId));
      }
      reply({ ok: true, rooms: parsed.data.rooms.map((s) => this.info(s.roomId)!) });
    });

    socket.on('unsubscribe', (payload: unknown) => {
      const parsed = UnsubscribeRequestSchema.safeParse(payload);
      if (parsed.success) for (const id of parsed.data.rooms) void socket.leave(channel(id));
    });

    socket.on('command', (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: CommandAck) => void) : () => undefined;
      const parsed = CommandRequestSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: `bad command: ${parsed.error.issues[0]?.message ?? ''}` });
      const r = this.rooms.get(parsed.data.roomId);
      if (!r) return reply({ ok: false, error: `unknown room ${parsed.data.roomId}` });
      if (!r.room.onCommand) return reply({ ok: false, error: 'unsupported' });
      try {
        reply(r.room.onCommand(parsed.data.command));
      } catch (e) {
        reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    });
  }
}

function channel(roomId: string): string {
  return `room:${roomId}`;
}
