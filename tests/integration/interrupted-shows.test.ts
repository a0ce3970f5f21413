/**
 * A show cut off by a restart is resumed or closed honestly, never left 直播中: a real relay on
 * loopback, a core that records part of a show and stops, and a second core started later.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import type { SessionListItem } from '../../shared/retro/types.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ROOM = 'r1';

/** The relay's port stays across its restarts: the app knows a relay by its address. */
let port = 0;

async function relayWith(history: Array<Record<string, unknown>>, info = room(ROOM, history.length)): Promise<ScriptedRelay> {
  const relay = new ScriptedRelay();
  relay.rooms = [info];
  relay.onSubscribe = (call) => {
    const after = call.rooms[0]!.afterSeq ?? 0;
    call.socket.emit('events', { roomId: ROOM, events: history.filter((e) => (e.seq as number) > after) });
  };
  await relay.listen(port);
  port = Number(new URL(relay.url).port);
  cleanups.push(() => relay.close());
  return relay;
}

const show = [{ seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0 }, ...Array.from({ length: 9 }, (_, i) => ({ seq: i + 2, ts: T0 + (i + 1) * 10_000, type: 'enter', n: 1 }))];

async function sessions(core: Core): Promise<SessionListItem[]> {
  const r = await core.request('listSessions', {});
  if (!r.ok) throw new Error(r.error);
  return r.value as SessionListItem[];
}

async function recordPart(dir: string): Promise<void> {
  const relay = await relayWith(show);
  const core = await Core.start({ dataDir: dir, feedUrl: relay.url, rooms: [ROOM], noBackup: true });
  await waitFor(async () => (await sessions(core))[0]?.recording === true, 'the show recording');
  await core.flush();
  await core.stop();
  await relay.close();
}

describe('a show interrupted by a restart', () => {
  afterEach(() => {
    port = 0;
  });

  it('is closed as interrupted at its last event when the relay now shows a new broadcast', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await recordPart(dir);
    // The relay was restarted in between and the room is live with another broadcast.
    const relay = await relayWith([], { ...room(ROOM, 0), startedAt: T0 + 3_600_000 });
    const core = await Core.start({ dataDir: dir, feedUrl: relay.url, rooms: [ROOM], noBackup: true });
    cleanups.push(() => core.stop());
    await waitFor(async () => (await sessions(core))[0]?.endReason === 'interrupted', 'the show closed as interrupted');
    const [s] = await sessions(core);
    expect(s).toMatchObject({ endedAt: T0 + 90_000, endReason: 'interrupted', recording: false });
  });

  it('is resumed when the relay still shows the same broadcast live', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await recordPart(dir);
    const more = [...show, { seq: 11, ts: T0 + 100_000, type: 'enter', n: 1 }];
    const relay = await relayWith(more);
    const core = await Core.start({ dataDir: dir, feedUrl: relay.url, rooms: [ROOM], noBackup: true });
    cleanups.push(() => core.stop());
    await waitFor(async () => (await sessions(core))[0]?.recording && core.roomDetail(ROOM).kpis?.pv === 10, 'the resumed show counting on');
    const [s] = await sessions(core);
    expect(s).toMatchObject({ endedAt: null, recording: true });
    expect(s!.endReason).toBeUndefined();
  });

  it('a show never seen to end that this run does not record is listed as not recording, never as live', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await recordPart(dir);
    // The app now follows another relay: the old show is neither resumed nor closed by anyone.
    const other = new ScriptedRelay();
    other.rooms = [room('elsewhere', 0)];
    await other.listen();
    cleanups.push(() => other.close());
    const core = await Core.start({ dataDir: dir, feedUrl: other.url, noBackup: true });
    cleanups.push(() => core.stop());
    const [s] = await sessions(core);
    expect(s).toMatchObject({ roomId: ROOM, endedAt: null, recording: false });
    const rep = await core.request('getReport', { sessionId: s!.sessionId });
    expect(rep.ok && (rep.value as { session: { recording?: boolean } }).session.recording).toBe(false);
  });
});
