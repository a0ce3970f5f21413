/**
 * A relay the test scripts by hand — to misbehave on purpose: garbage, duplicates, skipped seq,
 * dropped connections. A real Socket.IO server on loopback speaking FEED-PROTOCOL.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { RoomInfo } from '../../shared/protocol.ts';

export interface SubscribeCall {
  socket: Socket;
  rooms: Array<{ roomId: string; afterSeq?: number }>;
}

export class ScriptedRelay {
  readonly io: Server;
  url = '';
  rooms: RoomInfo[] = [];
  readonly subscribes: SubscribeCall[] = [];
  connectionAttempts = 0;
  /** Called on each subscribe, before the ack: the test decides what to send. */
  onSubscribe: (call: SubscribeCall) => void = () => undefined;
  /** false: a relay that never acknowledges `subscribe` (FEED-PROTOCOL allows the ack at any time). */
  ackSubscribe = true;
  /** false: a relay that never answers `rooms`. */
  answerRooms = true;
  private readonly http = createServer();

  constructor(readonly token?: string) {
    this.io = new Server(this.http);
    const nsp = this.io.of('/feed');
    nsp.use((socket, next) => {
      this.connectionAttempts++;
      if (token && (socket.handshake.auth as { token?: string }).token !== token) next(new Error('unauthorized'));
      else next();
    });
    nsp.on('connection', (socket) => {
      socket.on('rooms', (ack: (r: RoomInfo[]) => void) => {
        if (this.answerRooms) ack(this.rooms);
      });
      socket.on('subscribe', (payload: { rooms: SubscribeCall['rooms'] }, ack: (a: unknown) => void) => {
        const call = { socket, rooms: payload.rooms };
        this.subscribes.push(call);
        this.onSubscribe(call);
        if (this.ackSubscribe) ack({ ok: true, rooms: this.rooms.filter((r) => payload.rooms.some((s) => s.roomId === r.roomId)) });
      });
      socket.on('command', (_p: unknown, ack: (a: unknown) => void) => ack({ ok: false, error: 'unsupported' }));
    });
  }

  /** `port`: 0 for a free one; a restarted relay takes its predecessor's (the app knows a relay by its address). */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((r) => this.http.listen(port, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Sends to every connected client. */
  send(roomId: string, events: unknown[]): void {
    this.io.of('/feed').emit('events', { roomId, events });
  }

  sendRaw(payload: unknown): void {
    this.io.of('/feed').emit('events', payload);
  }

  dropAll(): void {
    this.io.of('/feed').disconnectSockets(true);
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.io.close(() => r()));
  }
}

export function room(roomId: string, lastSeq = 0): RoomInfo {
  return { roomId, platform: 'test', title: roomId, status: 'live', startedAt: 1_700_000_000_000, lastSeq };
}

export const T0 = 1_700_000_000_000;

/** A simple valid event with the given seq. */
export function ev(seq: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { seq, ts: T0 + seq * 1000, type: 'enter', n: 1, ...extra };
}
