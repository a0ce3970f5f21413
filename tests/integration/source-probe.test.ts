/**
 * The settings screen's "test connection" (issue 15): a relay or a real source tried for real on
 * loopback, each finding a code the page words with what to do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { probeSource } from '../../electron/core/sources/probe.ts';
import { ScriptedRelay, room } from '../helpers/scripted-relay.ts';
import { FakeTikTokChatReader } from '../helpers/fake-tiktok.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const dataDir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('testing a relay before it is saved', () => {
  it('connects, counts its rooms, and checks each room asked for', async () => {
    const relay = new ScriptedRelay('secret');
    relay.rooms = [room('a'), { ...room('b'), status: 'scheduled' }];
    await relay.listen();
    cleanups.push(() => relay.close());
    const r = await probeSource({ kind: 'feed', address: relay.url, token: 'secret', rooms: ['a', 'zz'], dataDir: dataDir() });
    expect(r.ok).toBe(false);
    expect(r.checks).toEqual([
      { what: 'address', ok: true, code: 'relayRooms', params: { count: 2, live: 1 } },
      { what: 'room', ok: true, code: 'roomFound', params: { room: 'a' } },
      { what: 'room', ok: false, code: 'roomMissing', params: { room: 'zz', available: 'a, b' } },
    ]);
  });

  it('tells a refused token from an address where nothing runs, and from one that is not an address', async () => {
    const relay = new ScriptedRelay('secret');
    await relay.listen();
    cleanups.push(() => relay.close());
    expect((await probeSource({ kind: 'feed', address: relay.url, token: 'wrong', dataDir: dataDir() })).checks.map((c) => c.code)).toEqual(['reached', 'tokenRejected']);
    const free = new URL(relay.url);
    await relay.close();
    expect((await probeSource({ kind: 'feed', address: free.origin, dataDir: dataDir() }, 3000)).checks.map((c) => c.code)).toEqual(['unreachable']);
    expect((await probeSource({ kind: 'feed', address: '127.0.0.1:7070', dataDir: dataDir() })).checks).toEqual([{ what: 'address', ok: false, code: 'badAddress', params: { address: '127.0.0.1:7070' } }]);
  });
});

describe('testing a real source before it is saved', () => {
  it('a TikTok-Chat-Reader that serves the account: live', async () => {
    const fake = new FakeTikTokChatReader({ tickMs: 100 });
    await fake.listen();
    cleanups.push(() => fake.kill());
    const r = await probeSource({ kind: 'tiktok-chat-reader', address: `http://127.0.0.1:${fake.port}`, rooms: ['shop'], dataDir: dataDir() });
    expect(r).toMatchObject({ ok: true, checks: [{ what: 'address', ok: true, code: 'sourceLive' }] });
  });

  it('a douyinLive service that answers ROOM_NOT_FOUND: the room id is wrong, and the test says so in time', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'system', event: 'live_status', code: 'ROOM_NOT_FOUND', live: false, message: 'room not found' }));
      ws.close();
    });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const port = (wss.address() as AddressInfo).port;
    const started = Date.now();
    const r = await probeSource({ kind: 'douyin-ws', address: `ws://127.0.0.1:${port}`, rooms: ['123'], dataDir: dataDir() });
    expect(r.ok).toBe(false);
    expect(r.checks[0]).toMatchObject({ ok: false, code: 'problem.roomNotFound' });
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('a configuration that cannot start: the reason, before anything connects', async () => {
    const r = await probeSource({ kind: 'douyin-ws', address: 'ws://127.0.0.1:1088', dataDir: dataDir() });
    expect(r.checks).toEqual([{ what: 'config', ok: false, code: 'config', params: { detail: expect.stringMatching(/needs --rooms/) } }]);
  });
});
