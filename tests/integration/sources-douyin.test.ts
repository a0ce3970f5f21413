/**
 * douyinLive (WebSocket, decoded webcast JSON) + a merchant order file → one relay room → the
 * FeedClient, on loopback: one room, two sources, one timeline.
 */
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { FeedClient } from '../../electron/core/feed/client.ts';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { SourceBridge } from '../../electron/core/sources/bridge.ts';
import { DouyinWebcastSource, douyinLiveUrl } from '../../electron/core/sources/douyin-webcast.ts';
import { RoomMux } from '../../electron/core/sources/room-mux.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const FIX = join(import.meta.dirname, '../fixtures/f2-webcast/douyin');
/** A real fixture, its createTime moved to `at` so the ts rule accepts it as live. */
function fixture(name: string, at: number): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(join(FIX, `${name}.json`), 'utf8')) as unknown;
  const m = structuredClone((Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown>);
  (m.common as Record<string, unknown>).createTime = String(at);
  return m;
}

/** A stand-in for the douyinLive service: `ws://127.0.0.1:port/ws/<roomId>`. */
class FakeDouyinLive {
  private http: HttpServer | null = null;
  private wss: WebSocketServer | null = null;
  port = 0;
  pongs = 0;
  onConnection: (ws: WebSocket) => void = () => undefined;

  constructor(private readonly roomId: string) {}

  async listen(): Promise<void> {
    this.http = createServer();
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      if (req.url !== `/ws/${this.roomId}`) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss!.handleUpgrade(req, socket, head, (ws) => {
        ws.on('message', (d) => {
          if (d.toString() === 'pong') this.pongs++;
        });
        this.onConnection(ws);
      });
    });
    await new Promise<void>((r) => this.http!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async kill(): Promise<void> {
    if (!this.wss) return;
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise<void>((r) => this.http!.close(() => r()));
    this.wss = null;
  }

  get base(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
}

const send = (ws: WebSocket, m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m));
const status = (code: string, extra: Record<string, unknown> = {}) => ({ type: 'system', event: 'live_status', code, live: code === 'ROOM_ONLINE', room_id: '7388', title: '夏日清仓', live_name: '店播', message: '', ...extra });

let fake: FakeDouyinLive;
let bridge: SourceBridge | undefined;
let client: FeedClient | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  client?.stop();
  client = undefined;
  await bridge?.stop();
  bridge = undefined;
  await fake?.kill();
  for (const c of cleanups.splice(0)) await c();
});

function follow(url: string, token?: string) {
  const events: FeedEvent[] = [];
  const quarantined: string[] = [];
  client = new FeedClient({ url, token, onEvents: (_r, _e, evs) => events.push(...evs), onQuarantine: (q) => quarantined.push(q.reason) });
  client.start();
  return { events, quarantined };
}

describe('douyinLive + merchant orders through one relay room', () => {
  it('one session, one seq stream: viewer events and orders in order with their ts; survives the service restarting', async () => {
    const T0 = Date.now();
    const tmp = tempDir('lcr-sources-');
    cleanups.push(tmp.cleanup);
    const orders = join(tmp.dir, 'orders.jsonl');
    // Written before the viewer stream is up: held until the session starts.
    writeFileSync(orders, JSON.stringify({ order_id: 'A1', order_status: 0, order_ts: T0, product_id: '3691984502923623681', product_title: '收纳盒', item_num: 2, nick_name: '张**', pay_amt: 5980 }) + '\n');

    fake = new FakeDouyinLive('7388');
    let round = 0;
    // Source times a little ahead of the session start (the service's clock may be): kept as sent.
    let S = 0;
    fake.onConnection = (ws) => {
      round++;
      if (round === 1) S = Date.now() + 1000;
      send(ws, 'ping');
      send(ws, status('ROOM_ONLINE'));
      send(ws, fixture('WebcastRoomUserSeqMessage', S + 10));
      send(ws, [fixture('WebcastStatsMessage', S + 20)]);
      send(ws, fixture('WebcastProductChangeMessage', S + 30));
      send(ws, fixture('WebcastGiftMessage', S + 40));
      if (round > 1) send(ws, { method: 'WebcastMemberMessage', common: { msgId: 'new-1', createTime: String(S + 50) } });
    };
    await fake.listen();
    bridge = await SourceBridge.start({
      roomId: 'dy-room',
      token: 't',
      batchMs: 50,
      backoff: { initialMs: 50, maxMs: 300 },
      // The gift fixture is a streak step without its end: counted when its streak times out.
      giftTimeoutMs: 200,
      sources: [
        { kind: 'douyin-webcast', url: douyinLiveUrl(fake.base, '7388') },
        { kind: 'merchant-orders', path: orders, pollMs: 50 },
      ],
    });
    const { events } = follow(bridge.url, 't');
    await waitFor(() => events.length >= 5, 'the session and the first messages');
    await waitFor(() => fake.pongs >= 1, 'ping answered with pong');
    expect(events[0]).toMatchObject({ seq: 1, type: 'session', status: 'live', title: '夏日清仓' });
    const startedAt = (events[0] as { startedAt: number }).startedAt;
    expect(events.slice(1, 5).map((e) => [e.type, e.ts])).toEqual([
      ['viewers', S + 10],
      ['viewers', S + 20],
      ['pin', S + 30],
      ['gift', S + 40],
    ]);
    expect(events[1]).toMatchObject({ online: 497, uv: 6597 });
    expect(events[3]).toMatchObject({ productId: '3691984502923623681' });

    // The order is paid: it joins the same session and seq stream.
    appendFileSync(orders, JSON.stringify({ order_id: 'A1', order_status: 3, order_ts: T0 + 60, product_id: '3691984502923623681', item_num: 2, nick_name: '张**' }) + '\n');
    appendFileSync(orders, JSON.stringify({ order_id: 'A1', order_status: 3, order_ts: T0 + 60, product_id: '3691984502923623681', item_num: 2 }) + '\n');
    appendFileSync(orders, JSON.stringify({ product_id: '3691984502923623681', product_click_cnt: 40, ts: T0 + 70 }) + '\n');
    await waitFor(() => events.some((e) => e.type === 'click'), 'order and clicks');
    const order = events.find((e) => e.type === 'order')!;
    // order_ts (T0 + 60) is before the session start: clamped to it, as the store would bucket it.
    expect(order).toMatchObject({ orderId: 'A1', qty: 2, amountFen: 5980, status: 'paid', ts: Math.max(T0 + 60, startedAt) });
    expect(events.filter((e) => e.type === 'order')).toHaveLength(1);

    // The service dies and comes back: it re-announces the room and replays what it had.
    const states = () => bridge!.states().find((s) => s.source === 'douyin-webcast')!;
    const before = events.length;
    await fake.kill();
    await waitFor(() => states().status === 'reconnecting', 'reconnecting');
    await fake.listen();
    await waitFor(() => events.length > before, 'events after the restart');
    await waitFor(() => states().status === 'live', 'live again');
    expect(events.slice(before).map((e) => e.type)).toEqual(['enter']);
    expect(events.filter((e) => e.type === 'session')).toHaveLength(1);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(states().connects).toBe(2);

    // The file is replaced (the Compass tool restarted): re-read, still one order.
    writeFileSync(orders, JSON.stringify({ order_id: 'A1', order_status: 3, order_ts: T0 + 60, product_id: '3691984502923623681', item_num: 2, pay_amt: 5980 }) + '\n' + JSON.stringify({ order_id: 'B2', order_status: 3, order_ts: T0 + 80, product_id: 'p2', item_num: 1, pay_amt: 1990 }) + '\n');
    await waitFor(() => events.filter((e) => e.type === 'order').length === 2, 'the new order of the replaced file');
    expect(events.filter((e) => e.type === 'order').map((e) => (e as { orderId: string }).orderId)).toEqual(['A1', 'B2']);

    // The broadcast ends.
    for (const c of [...(fake as unknown as { wss: WebSocketServer }).wss.clients]) send(c, status('ROOM_ENDED', { ended: true }));
    await waitFor(() => events.some((e) => e.type === 'session' && e.status === 'ended'), 'session end');
  });

  it('a huge message is quarantined and the connection stays; a frame over the hard limit resets it; junk and floods never crash', async () => {
    fake = new FakeDouyinLive('1');
    const N = 10_000;
    let connections = 0;
    fake.onConnection = (ws) => {
      connections++;
      if (connections > 1) return send(ws, { method: 'WebcastChatMessage', common: { msgId: 'after-reset' }, content: 'back' });
      send(ws, status('ROOM_ONLINE'));
      send(ws, { method: 'WebcastChatMessage', common: { msgId: 'big' }, content: 'x'.repeat(100_000) });
      for (const junk of ['{not json', 'null', '[]', '42', JSON.stringify({ method: 'WebcastGiftMessage', common: { msgId: 'g' }, repeatCount: '1', gift: { diamondCount: 'lots' } })]) send(ws, junk);
      // A flood: entries in arrays of 50, as fast as the socket takes them.
      for (let i = 0; i < N; i += 50) send(ws, Array.from({ length: 50 }, (_, k) => ({ method: 'WebcastMemberMessage', common: { msgId: `m${i + k}` } })));
      send(ws, { method: 'WebcastChatMessage', common: { msgId: 'ok' }, content: 'still here' });
      send(ws, 'y'.repeat(300_000)); // over the hard frame limit: ws resets the connection
    };
    await fake.listen();
    const relay = new RelayServer();
    const mux = new RoomMux({ relay, roomId: 'r', platform: 'douyin', title: 'r', batchMs: 50 });
    const reasons: string[] = [];
    const source = new DouyinWebcastSource({
      url: douyinLiveUrl(fake.base, '1'),
      sink: mux.sink('douyin-webcast', { opensSession: true }),
      maxMessageChars: 64 * 1024,
      maxFrameBytes: 256 * 1024,
      backoff: { initialMs: 50, maxMs: 200 },
      onQuarantine: (q) => reasons.push(q.reason),
    });
    await relay.listen();
    mux.start();
    source.start();
    cleanups.push(async () => {
      await source.stop();
      mux.stop();
      await relay.close();
    });
    const { events } = follow(relay.url);
    await waitFor(() => events.some((e) => e.type === 'comment' && e.text === 'back'), 'the message after the reset', 30_000);
    const enters = events.filter((e) => e.type === 'enter').reduce((s, e) => s + (e as { n: number }).n, 0);
    expect(enters).toBe(N);
    expect(events.filter((e) => e.type === 'comment').map((e) => (e as { text: string }).text)).toEqual(['still here', 'back']);
    expect(events.filter((e) => e.type === 'session')).toHaveLength(1);
    expect(reasons).toEqual([
      'douyin: message over 65536 characters',
      'douyin: frame is not JSON',
      'douyin: message is not a JSON object',
      'douyin: message is not a JSON object',
      'douyin: WebcastGiftMessage gift.diamondCount is not a count',
      'douyin: frame over the 262144-byte limit (connection reset)',
    ]);
    expect(source.state.connects).toBe(2);
    expect(source.state.status).toBe('live');
  });

  it('a wrong room id (HTTP 404 from the service) fails with a clear error instead of retrying forever', async () => {
    fake = new FakeDouyinLive('7388');
    await fake.listen();
    const relay = new RelayServer();
    const mux = new RoomMux({ relay, roomId: 'r', platform: 'douyin', title: 'r' });
    const source = new DouyinWebcastSource({ url: douyinLiveUrl(fake.base, 'nope'), sink: mux.sink('douyin-webcast', { opensSession: true }), backoff: { initialMs: 50, maxMs: 100 } });
    source.start();
    cleanups.push(() => source.stop());
    await waitFor(() => source.state.status === 'failed', 'failed');
    expect(source.state.error).toMatch(/HTTP 404: check the address and room id/);
  });
});
