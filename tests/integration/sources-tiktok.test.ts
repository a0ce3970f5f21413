/**
 * TikTok-Chat-Reader → adapter → real RelayServer → real FeedClient, all on loopback. The source
 * side is a Socket.IO server speaking what TikTok-Chat-Reader's server.js emits.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Server, type Socket } from 'socket.io';
import { FeedClient } from '../../electron/core/feed/client.ts';
import { SourceBridge } from '../../electron/core/sources/bridge.ts';
import type { SourceState } from '../../electron/core/sources/common.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
import { waitFor } from '../helpers/util.ts';

/** A stand-in for TikTok-Chat-Reader: on setUniqueId it runs `script` against the asking socket. */
class FakeChatReader {
  private http: HttpServer | null = null;
  private io: Server | null = null;
  port = 0;
  asks: Array<{ uniqueId: unknown; options: unknown }> = [];
  script: (socket: Socket) => void = () => undefined;

  async listen(): Promise<void> {
    this.http = createServer();
    this.io = new Server(this.http);
    this.io.on('connection', (socket) => {
      socket.on('setUniqueId', (uniqueId: unknown, options: unknown) => {
        this.asks.push({ uniqueId, options });
        this.script(socket);
      });
    });
    await new Promise<void>((r) => this.http!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Kills the server as a crash would: every connection dropped, the port closed. */
  async kill(): Promise<void> {
    this.io?.disconnectSockets(true);
    await new Promise<void>((r) => this.io!.close(() => r()));
    this.io = null;
    this.http = null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

const T0 = Date.now();
const msg = (id: number, fields: Record<string, unknown>, at = T0 + id * 10) => ({ msgId: String(id), createTime: String(at), userId: `u${id}`, uniqueId: `user${id}`, nickname: `User ${id}`, ...fields });

let source: FakeChatReader;
let bridge: SourceBridge | undefined;
let client: FeedClient | undefined;
afterEach(async () => {
  client?.stop();
  client = undefined;
  await bridge?.stop();
  bridge = undefined;
  await source?.kill().catch(() => undefined);
});

async function connect(onQuarantine?: (reason: string) => void) {
  const statuses: string[] = [];
  const token = 'tok';
  bridge = await SourceBridge.start({
    roomId: 'tt-room',
    token,
    batchMs: 50,
    backoff: { initialMs: 50, maxMs: 300 },
    // An ended or offline room is asked for again after this (a minute and more by default).
    problemBackoff: { initialMs: 100, maxMs: 400 },
    sources: [{ kind: 'tiktok-chat-reader', url: source.url, uniqueId: 'shopcreator' }],
    onState: (states: SourceState[]) => statuses.push(states[0]!.status),
    onQuarantine: (q) => onQuarantine?.(q.reason),
  });
  const events: FeedEvent[] = [];
  client = new FeedClient({ url: bridge.url, token, onEvents: (_r, _e, evs) => events.push(...evs), onQuarantine: () => undefined });
  client.start();
  return { events, statuses, state: () => bridge!.states()[0]! };
}

describe('TikTok-Chat-Reader source through the relay to the FeedClient', () => {
  it('delivers a session and its events in order with the source ts; survives the server restarting without duplicates', async () => {
    source = new FakeChatReader();
    let round = 0;
    source.script = (socket) => {
      round++;
      socket.emit('tiktokConnected', { isConnected: true, roomId: '7388', roomInfo: { title: 'Summer sale', create_time: Math.floor((T0 - 60_000) / 1000) } });
      socket.emit('roomUser', msg(1, { viewerCount: 120 }));
      socket.emit('member', msg(2, {}));
      socket.emit('chat', msg(3, { comment: 'link please' }));
      socket.emit('like', msg(4, { likeCount: 5, totalLikeCount: 1000 }));
      socket.emit('gift', msg(5, { giftId: 5655, giftType: 1, diamondCount: 1, repeatCount: 3, repeatEnd: false }));
      socket.emit('gift', msg(6, { giftId: 5655, giftType: 1, diamondCount: 1, repeatCount: 5, repeatEnd: true }));
      socket.emit('social', msg(7, { displayType: 'pm_main_follow_message_viewer_2' }));
      socket.emit('like', msg(8, { likeCount: 5, totalLikeCount: 1040 }));
      if (round > 1) {
        // After a restart the new server replays recent messages (same msgIds) and goes on.
        socket.emit('member', msg(9, {}));
        socket.emit('like', msg(10, { likeCount: 2, totalLikeCount: 1050 }));
      }
    };
    await source.listen();
    const { events, statuses, state } = await connect();
    await waitFor(() => events.length >= 8, 'the first round of events');
    expect(source.asks[0]).toEqual({ uniqueId: 'shopcreator', options: {} });
    const startedAt = Math.floor((T0 - 60_000) / 1000) * 1000;
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'session'],
      [2, 'viewers'],
      [3, 'enter'],
      [4, 'comment'],
      [5, 'like'],
      [6, 'gift'],
      [7, 'follow'],
      [8, 'like'],
    ]);
    expect(events[0]).toMatchObject({ type: 'session', status: 'live', startedAt, title: 'Summer sale' });
    expect(events.slice(1).map((e) => e.ts)).toEqual([1, 2, 3, 4, 6, 7, 8].map((i) => T0 + i * 10));
    expect(events[5]).toMatchObject({ type: 'gift', n: 5, valueFen: 50, diamonds: 5 });
    expect(events[7]).toMatchObject({ type: 'like', n: 40 });
    expect(state().status).toBe('live');

    await source.kill();
    await waitFor(() => state().status === 'reconnecting', 'reconnecting after the server died');
    await source.listen();
    await waitFor(() => events.length >= 10, 'events after the restart');
    await waitFor(() => state().status === 'live', 'live again');
    expect(statuses.slice(statuses.indexOf('reconnecting'))).toContain('live');
    // Exactly the two new messages; the replayed ones (same msgIds) and the repeated connect were dropped.
    expect(events.slice(8).map((e) => [e.seq, e.type])).toEqual([
      [9, 'enter'],
      [10, 'like'],
    ]);
    expect(events[9]).toMatchObject({ n: 10 });
    expect(state().duplicates).toBeGreaterThanOrEqual(7);
    expect(events.filter((e) => e.type === 'session')).toHaveLength(1);
  });

  it('streamEnd ends the session; a flood and a huge comment are absorbed without a crash', async () => {
    source = new FakeChatReader();
    const N = 20_000;
    source.script = (socket) => {
      // After the end, TikTok-Chat-Reader cannot connect to an offline LIVE.
      if (source.asks.length > 1) return void socket.emit('tiktokDisconnected', 'LIVE has ended');
      socket.emit('tiktokConnected', { roomId: '1', roomInfo: {} });
      for (let i = 0; i < N; i++) socket.emit('member', msg(100 + i, {}, T0));
      socket.emit('chat', msg(99, { comment: 'x'.repeat(200_000) }));
      socket.emit('chat', msg(98, { comment: 'still here' }));
      socket.emit('streamEnd');
    };
    await source.listen();
    const reasons: string[] = [];
    const { events, state } = await connect((r) => reasons.push(r));
    await waitFor(() => events.some((e) => e.type === 'session' && e.status === 'ended'), 'the session end', 30_000);
    const enters = events.filter((e) => e.type === 'enter').reduce((s, e) => s + (e as { n: number }).n, 0);
    expect(enters).toBe(N);
    expect(events.filter((e) => e.type === 'comment').map((e) => (e as { text: string }).text)).toEqual(['still here']);
    expect(reasons).toEqual(['tiktok: chat comment over 2000 characters']);
    expect(state().quarantinedByReason).toEqual({ 'tiktok: chat comment over 2000 characters': 1 });
    // After the end the adapter keeps asking for the next broadcast rather than giving up.
    await waitFor(() => source.asks.length >= 2, 'asks again after streamEnd');
    await waitFor(() => state().error === 'TikTok side: LIVE has ended', 'the reason shown');
    expect(state()).toMatchObject({ status: 'reconnecting', problem: 'roomEnded' });
  });
});
