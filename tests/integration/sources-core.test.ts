/**
 * Real sources in the app (issue 7): the core follows a TikTok-Chat-Reader server
 * through the source hub — the room appears with the figures the server sent, the connection
 * says what the SOURCE is doing (reconnecting while it is down, live again after it restarts,
 * without duplicate events), the stream's end ends the session, and `lcr record --source`
 * records the same way from the command line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { ROOT } from '../helpers/processes.ts';
import { FakeTikTokChatReader } from '../helpers/fake-tiktok.ts';
import { lcr, lcrRun } from '../helpers/processes.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

let core: Core | undefined;
let fake: FakeTikTokChatReader | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
  await fake?.kill();
  fake = undefined;
  cleanup?.();
});

describe('a TikTok-Chat-Reader source in the core', () => {
  it('shows the room live, says when the source is down, and carries on after it restarts', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    fake = new FakeTikTokChatReader({ tickMs: 50, title: '夏季上新' });
    await fake.listen();
    core = await Core.start({ dataDir: t.dir, source: { kind: 'tiktok-chat-reader', address: fake.url, rooms: ['@shopcreator'] }, noBackup: true, pushIntervalMs: 50 });
    await waitFor(() => core!.connection.status === 'live' && core!.connection.sources?.[0]?.status === 'live', 'the source live');
    expect(fake.asks).toEqual(['shopcreator']);
    const room = await waitFor(async () => {
      const r = await core!.request('getRoom', { roomId: 'shopcreator' });
      return r.ok && (r.value as { kpis: { onlineNow: number | null; comments: number } | null }).kpis?.comments ? (r.value as { platform: string; session: { title: string } | null; kpis: { onlineNow: number | null; likes: number; comments: number; pv: number } }) : null;
    }, 'the room with comments');
    expect(room.platform).toBe('tiktok');
    expect(room.session?.title).toBe('夏季上新');
    expect(room.kpis.pv).toBeGreaterThan(0);
    // Online now is the last viewer count the server sent (within the next tick or two).
    await waitFor(async () => {
      const r = await core!.request('getRoom', { roomId: 'shopcreator' });
      return r.ok && (r.value as { kpis: { onlineNow: number | null } }).kpis.onlineNow === fake!.viewers;
    }, 'online now = the viewer count sent', 5_000);

    // The source goes down: the screen must say so (the loopback relay itself stays up).
    const port = fake.port;
    await fake.kill();
    await waitFor(() => core!.connection.status === 'reconnecting' && core!.connection.error, 'reconnecting with a reason');
    const stored = core.diagnostics().store.eventsStored;
    await fake.listen(port);
    await waitFor(() => core!.connection.status === 'live', 'live again after the source restarted', 20_000);
    await waitFor(() => core!.diagnostics().store.eventsStored > stored + 20, 'events flowing again');
    expect(fake.asks.length).toBeGreaterThanOrEqual(2);
    const sessions = await core.request('listSessions', {});
    expect(sessions.ok).toBe(true);
    // One broadcast, one session: the restart continued it (the broadcast's own start time).
    expect((sessions.ok ? (sessions.value as Array<{ roomId: string }>) : []).filter((s) => s.roomId === 'shopcreator')).toHaveLength(1);

    fake.endStream();
    await waitFor(async () => {
      const r = await core!.request('getRoom', { roomId: 'shopcreator' });
      return r.ok && (r.value as { status: string }).status === 'ended';
    }, 'the session ended by streamEnd');
  });

  it('lcr record --source tiktok-chat-reader records until the stream ends', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    fake = new FakeTikTokChatReader({ tickMs: 30 });
    await fake.listen();
    const rec = lcr(['record', '--source', 'tiktok-chat-reader', '--feed', fake.url, '--rooms', 'shopcreator', '--until-ended'], { LCR_DATA_DIR: t.dir });
    await waitFor(() => fake!.comments.length > 40, 'the show running for a while', 30_000);
    fake.endStream();
    const code = await rec.exited;
    expect(code, rec.stderr()).toBe(0);
    const list = await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: t.dir });
    const sessions = JSON.parse(list.stdout) as Array<{ roomId: string; platform: string; endedAt: number | null }>;
    expect(sessions).toMatchObject([{ roomId: 'shopcreator', platform: 'tiktok' }]);
    expect(sessions[0]!.endedAt).not.toBeNull();
  });

  it('lcr record refuses a source without what it needs, in one clear line', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const noRooms = await lcrRun(['record', '--source', 'tiktok-chat-reader', '--feed', 'http://127.0.0.1:9'], { LCR_DATA_DIR: t.dir });
    expect(noRooms.code).not.toBe(0);
    expect(noRooms.stderr.trim().split('\n')).toHaveLength(1);
    expect(noRooms.stderr).toMatch(/needs --rooms/);
    const badKind = await lcrRun(['record', '--source', 'youtube', '--feed', 'http://x'], { LCR_DATA_DIR: t.dir });
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toMatch(/--source must be one of feed, tiktok-chat-reader, douyin-ws, barragegrab, replay/);
  });

  it('lcr capture and lcr record --source replay play a recorded show again, with the same figures', async () => {
    const a = tempDir();
    const b = tempDir();
    cleanup = () => {
      a.cleanup();
      b.cleanup();
    };
    const token = randomBytes(8).toString('hex');
    const sim = await Simulator.start({ scenarioFiles: [join(ROOT, 'tests/fixtures/scenarios/tiny.json')], speed: 60, seed: '4', token, fastForwardMs: 7 * 60_000 });
    const rec = await Core.start({ dataDir: a.dir, feedUrl: sim.url, feedToken: token, noBackup: true });
    await rec.untilEnded();
    await rec.stop();
    await sim.stop();
    const original = JSON.parse((await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: a.dir })).stdout) as Array<{ sessionId: string }>;
    const id = original[0]!.sessionId;
    const capture = join(b.dir, 'show.jsonl');
    const cap = await lcrRun(['capture', '--session', id, '--out', capture, '--json'], { LCR_DATA_DIR: a.dir });
    expect(cap.code, cap.stderr).toBe(0);
    expect((JSON.parse(cap.stdout) as { lines: number }).lines).toBeGreaterThan(100);
    // The capture into a fresh store, and session:ID into the store it came from: 6 minutes at 60×.
    const fromFile = await lcrRun(['record', '--source', 'replay', '--feed', capture, '--speed', '60', '--until-ended'], { LCR_DATA_DIR: b.dir });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const fromStore = await lcrRun(['record', '--source', 'replay', '--feed', `session:${id}`, '--speed', '60', '--until-ended'], { LCR_DATA_DIR: a.dir });
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const kpis = async (dir: string, sessionId: string) => (JSON.parse((await lcrRun(['report', '--session', sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as { kpis: { gmvFen: number; orders: number; pv: number } }).kpis;
    const want = await kpis(a.dir, id);
    expect(want.gmvFen).toBeGreaterThan(0);
    const replayedB = JSON.parse((await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: b.dir })).stdout) as Array<{ sessionId: string; roomId: string; endedAt: number | null }>;
    expect(replayedB).toHaveLength(1);
    expect(replayedB[0]).toMatchObject({ roomId: 'test-tiny' });
    expect(replayedB[0]!.endedAt).not.toBeNull();
    expect(await kpis(b.dir, replayedB[0]!.sessionId)).toMatchObject({ gmvFen: want.gmvFen, orders: want.orders, pv: want.pv });
    const replayedA = (JSON.parse((await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: a.dir })).stdout) as Array<{ sessionId: string }>).filter((s) => s.sessionId !== id);
    expect(replayedA).toHaveLength(1);
    expect(await kpis(a.dir, replayedA[0]!.sessionId)).toMatchObject({ gmvFen: want.gmvFen, orders: want.orders, pv: want.pv });
    const badSpeed = await lcrRun(['record', '--source', 'replay', '--feed', capture, '--speed', '100'], { LCR_DATA_DIR: b.dir });
    expect(badSpeed.code).not.toBe(0);
    expect(badSpeed.stderr).toMatch(/--speed must be a number from 1 to 60/);
  });
});
