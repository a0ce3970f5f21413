/**
 * A source that cannot serve its room says so and backs off, against real loopback servers:
 * douyinLive answering ROOM_NOT_FOUND (and closing), a service that accepts and drops every
 * connection, a port that refuses, and a TikTok-Chat-Reader whose stream ended and whose rate
 * limiter (limiter.js: more than 5 requests a minute) answers by refusing. Attempts are counted
 * on the server side with their times; the tests wait on conditions (a witness source's
 * attempts, a state), never on sleeps.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { Core } from '../../electron/core/core.ts';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { DouyinWebcastSource } from '../../electron/core/sources/douyin-webcast.ts';
import { RoomMux } from '../../electron/core/sources/room-mux.ts';
import { TikTokChatReaderSource } from '../../electron/core/sources/tiktok-chat-reader.ts';
import type { SourceConnector } from '../../electron/core/sources/connector.ts';
import { douyinStatus } from '../helpers/upstream.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A WebSocket server that records when each connection came and does `onConnection` with it. */
async function wsServer(onConnection: (ws: WebSocket) => void): Promise<{ url: string; times: number[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const times: number[] = [];
  wss.on('connection', (ws) => {
    times.push(Date.now());
    onConnection(ws);
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/7388`, times };
}

/** A port nothing listens on: connections are refused at once. */
async function refusingUrl(): Promise<string> {
  const http = createServer();
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  await new Promise<void>((r) => http.close(() => r()));
  return `ws://127.0.0.1:${port}/ws/7388`;
}

function douyinSource(url: string, backoff: { initialMs: number; maxMs: number }): DouyinWebcastSource {
  const relay = new RelayServer();
  const mux = new RoomMux({ relay, roomId: 'r', platform: 'douyin', title: 'r' });
  const source = new DouyinWebcastSource({ url, sink: mux.sink('douyin-webcast', { opensSession: true }), backoff });
  cleanups.push(() => source.stop());
  return source;
}

/** Gaps between successive attempts. */
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('douyinLive: a room that cannot be served', () => {
  it('ROOM_NOT_FOUND: says so and never connects again, while a source on a refusing port keeps backing off', async () => {
    const notFound = await wsServer((ws) => {
      // What douyinLive does for a wrong room id: the status frame, then it closes the socket.
      ws.send(JSON.stringify(douyinStatus('ROOM_NOT_FOUND')));
      ws.close();
    });
    const source = douyinSource(notFound.url, { initialMs: 20, maxMs: 80 });
    source.start();
    // The witness retries a refusing port with the same backoff: once it has tried several
    // times, the not-found source had every chance to reconnect.
    const witnessAttempts: number[] = [];
    const witness = douyinSource(await refusingUrl(), { initialMs: 20, maxMs: 80 });
    const w = witness as unknown as { connect: () => void };
    const connect = w.connect.bind(witness);
    w.connect = () => {
      witnessAttempts.push(Date.now());
      connect();
    };
    witness.start();
    await waitFor(() => source.state.status === 'failed', 'the not-found source failed');
    await waitFor(() => witnessAttempts.length >= 8, 'the witness retrying several times');
    expect(notFound.times).toHaveLength(1);
    expect(source.state).toMatchObject({ status: 'failed', problem: 'roomNotFound', error: '直播间不存在或房间号无效，已关闭连接' });
    // The witness: unreachable, retrying with a growing delay (20, 40, 80, 80, …), never in a tight loop.
    expect(witness.state).toMatchObject({ status: 'reconnecting', problem: 'unreachable' });
    expect(gaps(witnessAttempts).slice(2).every((g) => g >= 0.8 * 80)).toBe(true);
  });

  it('a service that accepts and drops every connection is retried with a growing delay, not at the first delay forever', async () => {
    const dropping = await wsServer((ws) => ws.close());
    const source = douyinSource(dropping.url, { initialMs: 50, maxMs: 400 });
    source.start();
    // Each attempt opens (live for a moment) and is dropped: wait for the fifth to have been dropped.
    await waitFor(() => dropping.times.length >= 5 && source.state.status === 'reconnecting', 'five connection attempts, the last dropped', 20_000);
    // 50, 100, 200, 400 ms (±20 % jitter): an open socket alone is not a source that answered.
    const g = gaps(dropping.times);
    expect(g[0]!).toBeGreaterThanOrEqual(0.8 * 50 - 5);
    expect(g[2]!).toBeGreaterThanOrEqual(0.8 * 200 - 5);
    expect(g[3]!).toBeGreaterThanOrEqual(0.8 * 400 - 5);
    expect(source.state).toMatchObject({ status: 'reconnecting', problem: 'unreachable' });
  });

  it('ROOM_OFFLINE / ROOM_ENDED keep the connection (the service watches the room) and say the room is not live', async () => {
    const offline = await wsServer((ws) => ws.send(JSON.stringify(douyinStatus('ROOM_OFFLINE'))));
    const source = douyinSource(offline.url, { initialMs: 20, maxMs: 80 });
    source.start();
    await waitFor(() => source.state.problem === 'roomEnded', 'the room said not live');
    expect(source.state).toMatchObject({ status: 'live', error: '直播间当前未开播，服务端会保持连接并继续轮询' });
    expect(offline.times).toHaveLength(1);
  });
});

/**
 * A TikTok-Chat-Reader as server.js and limiter.js behave: `setUniqueId` counts against 5 a
 * minute; over it the answer is the limiter's message. The first ask connects and the stream
 * ends at once; after that the user is offline.
 */
class LimitedChatReader {
  asks: number[] = [];
  private http: HttpServer | null = null;
  private io: Server | null = null;
  url = '';

  async listen(): Promise<void> {
    this.http = createServer();
    this.io = new Server(this.http);
    this.io.on('connection', (socket) => {
      socket.on('setUniqueId', () => {
        this.asks.push(Date.now());
        const n = this.asks.length;
        if (n > 5) return void socket.emit('tiktokDisconnected', 'You have opened too many connections or made too many connection requests. Please reduce the number of connections/requests or host your own server instance. The connections are limited to avoid that the server IP gets blocked by TokTok.');
        if (n === 1) {
          socket.emit('tiktokConnected', { isConnected: true, roomId: '7388', roomInfo: { data: { create_time: Math.floor(Date.now() / 1000) - 60, title: '夜场', status: 2 } } });
          socket.emit('streamEnd');
          return;
        }
        socket.emit('tiktokDisconnected', "The requested user isn't online :(");
      });
    });
    await new Promise<void>((r) => this.http!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    cleanups.push(() => new Promise<void>((r) => this.io!.close(() => r())));
  }
}

describe('TikTok-Chat-Reader: after streamEnd and under its rate limit', () => {
  it('asks again with the problem backoff (not every few seconds), and says it is rate-limited when the limiter answers', async () => {
    const server = new LimitedChatReader();
    await server.listen();
    const relay = new RelayServer();
    const mux = new RoomMux({ relay, roomId: 'tt', platform: 'tiktok', title: 'tt' });
    const states: string[] = [];
    const source: SourceConnector = new TikTokChatReaderSource({
      url: server.url,
      uniqueId: 'shop',
      sink: mux.sink('tiktok-chat-reader', { opensSession: true }),
      backoff: { initialMs: 10, maxMs: 40 },
      problemBackoff: { initialMs: 100, maxMs: 800 },
      onState: (s) => states.push(`${s.status}:${s.problem ?? ''}`),
    });
    cleanups.push(() => source.stop());
    source.start();
    await waitFor(() => source.state.problem === 'rateLimited', 'the limiter answer shown', 20_000);
    expect(source.state.error).toMatch(/^TikTok side: You have opened too many connections/);
    expect(states).toContain('reconnecting:roomEnded');
    // Asks after the end: 100, 200, 400, 800 ms apart (±20 %), not the 10–40 ms transport backoff.
    const g = gaps(server.asks);
    expect(server.asks).toHaveLength(6);
    expect(g[0]!).toBeGreaterThanOrEqual(0.8 * 100 - 5);
    expect(g[2]!).toBeGreaterThanOrEqual(0.8 * 400 - 5);
    expect(g[3]!).toBeGreaterThanOrEqual(0.8 * 800 - 5);
    // Rate-limited, it waits at the longest delay: no seventh ask while the state says so.
    expect(source.state.retryAt! - Date.now()).toBeGreaterThan(0);
  });
});

describe('in the app: the connection and the log say why, in words', () => {
  it('a mistyped Douyin room: the connection carries roomNotFound and the log says it in Chinese first', async () => {
    const notFound = await wsServer((ws) => {
      ws.send(JSON.stringify(douyinStatus('ROOM_NOT_FOUND')));
      ws.close();
    });
    const t = tempDir();
    cleanups.push(t.cleanup);
    const log: string[] = [];
    const core = await Core.start({ dataDir: t.dir, source: { kind: 'douyin-ws', address: notFound.url }, noBackup: true, pushIntervalMs: 50, log: (l) => log.push(l) });
    cleanups.push(() => core.stop());
    await waitFor(() => core.connection.problem === 'roomNotFound' && core.connection.status === 'failed', 'the problem in the connection');
    expect(core.connection).toMatchObject({ status: 'failed', problem: 'roomNotFound' });
    expect(core.connection.sources?.[0]).toMatchObject({ status: 'failed', problem: 'roomNotFound' });
    await waitFor(() => log.find((l) => l.includes('直播间不存在')), 'the log line');
    expect(log.find((l) => l.includes('直播间不存在'))).toMatch(/^source douyin-webcast ws:\/\/127\.0\.0\.1:\d+\/ws\/7388: 直播间不存在或房间号有误.* \/ Room not found/);
    expect(notFound.times).toHaveLength(1);
  });
});
