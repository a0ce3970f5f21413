/**
 * DouyinBarrageGrab's local WebSocket → adapter → real RelayServer → real FeedClient, on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { FeedClient } from '../../electron/core/feed/client.ts';
import { SourceBridge } from '../../electron/core/sources/bridge.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
import { waitFor } from '../helpers/util.ts';

class FakeBarrageGrab {
  private wss: WebSocketServer | null = null;
  port = 0;
  onConnection: (ws: WebSocket) => void = () => undefined;

  async listen(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    this.port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws) => this.onConnection(ws));
    this.wss = wss;
  }

  async kill(): Promise<void> {
    if (!this.wss) return;
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss!.close(() => r()));
    this.wss = null;
  }
}

/** Data is JSON encoded a second time, as the tool sends it. */
const env = (Type: number, data: Record<string, unknown>) => JSON.stringify({ Type, ProcessName: 'douyin.exe', Data: JSON.stringify({ RoomId: '7388', ...data }) });

let fake: FakeBarrageGrab;
let bridge: SourceBridge | undefined;
let client: FeedClient | undefined;
afterEach(async () => {
  client?.stop();
  await bridge?.stop();
  bridge = undefined;
  await fake?.kill();
});

describe('DouyinBarrageGrab source through the relay to the FeedClient', () => {
  it('maps the envelope types stamped on receipt, survives the tool restarting without duplicates, absorbs junk and floods', async () => {
    fake = new FakeBarrageGrab();
    let round = 0;
    fake.onConnection = (ws) => {
      round++;
      ws.send(env(6, { MsgId: '1', OnlineUserCount: '850', TotalUserCount: '9000' }));
      ws.send(env(1, { MsgId: '2', Content: '3号链接', User: { Id: '42', Nickname: '小张' } }));
      ws.send(env(5, { MsgId: '3', GiftId: 463, GiftCount: 10, RepeatCount: 10, DiamondCount: 1 }));
      if (round === 1) {
        for (const junk of ['{oops', JSON.stringify({ Type: 99, Data: '{}' }), JSON.stringify({ Type: 1, Data: '{"Content": 5}' })]) ws.send(junk);
        for (let i = 0; i < 5000; i++) ws.send(env(3, { MsgId: `e${i}`, CurrentCount: 850 + i }));
        ws.send(env(8, { MsgId: 'flood-end' }));
      } else {
        ws.send(env(4, { MsgId: '4' }));
        ws.send(env(9, { MsgId: '5' }));
      }
    };
    await fake.listen();
    const before = Date.now();
    bridge = await SourceBridge.start({
      roomId: 'bg-room',
      batchMs: 50,
      backoff: { initialMs: 50, maxMs: 300 },
      giftTimeoutMs: 100,
      sources: [{ kind: 'barrage-grab', url: `ws://127.0.0.1:${fake.port}`, liveRoomId: '7388' }],
    });
    const events: FeedEvent[] = [];
    client = new FeedClient({ url: bridge.url, onEvents: (_r, _e, evs) => events.push(...evs), onQuarantine: () => undefined });
    client.start();
    await waitFor(() => events.some((e) => e.type === 'share') && events.some((e) => e.type === 'gift'), 'the first round, through the flood, and the gift streak counted', 30_000);
    expect(events.slice(0, 3).map((e) => e.type)).toEqual(['session', 'viewers', 'comment']);
    expect(events[1]).toMatchObject({ online: 850, uv: 9000 });
    expect(events[2]).toMatchObject({ text: '3号链接', nickname: '小张', userId: '42' });
    // The tool never forwards a streak's end: counted once its timeout passed, at the step's time.
    expect(events.filter((e) => e.type === 'gift')).toMatchObject([{ n: 10, valueFen: 100, diamonds: 10 }]);
    // No source time in this format: stamped on receipt, never going backwards (a gift keeps its step's stamp).
    const ts = events.filter((e) => e.type !== 'gift').map((e) => e.ts);
    expect(ts[0]!).toBeGreaterThanOrEqual(before);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(events.filter((e) => e.type === 'enter').reduce((s, e) => s + (e as { n: number }).n, 0)).toBe(5000);
    const state = () => bridge!.states()[0]!;
    expect(state().quarantinedByReason).toEqual({
      'barrage-grab: frame is not JSON': 1,
      'barrage-grab: envelope Type is not 1–9': 1,
      'barrage-grab: chat (Type 1) without Content': 1,
    });

    const count = events.length;
    await fake.kill();
    await waitFor(() => state().status === 'reconnecting', 'reconnecting');
    await fake.listen();
    await waitFor(() => events.some((e) => e.type === 'session' && e.status === 'ended'), 'the end after the restart');
    expect(state().status).toBe('live');
    // The replayed stats, chat and gift (same MsgIds) were dropped; follow and the end are new.
    expect(events.slice(count).map((e) => e.type)).toEqual(['follow', 'session']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
