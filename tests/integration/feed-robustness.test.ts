/**
 * Issue 13's feed-path defects, each through the real path: a scripted Socket.IO relay on
 * loopback → feed client → core → a real SQLite file. Each test fails on the code before its fix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { StoreWriter, emptyBatch } from '../../electron/core/store/writer.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ROOM = 'r1';
const START = T0;

function enter(seq: number, ts = START + seq * 1000, n = 1): Record<string, unknown> {
  return { seq, ts, type: 'enter', n };
}

/** The room's live figures, once the core knows the room. */
function live(core: Core) {
  try {
    return core.roomDetail(ROOM);
  } catch {
    return null;
  }
}

function storedSeqs(dataDir: string): number[] {
  const db = new Database(join(dataDir, 'lcr.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT seq FROM events WHERE room_id = ? ORDER BY epoch, seq').all(ROOM) as Array<{ seq: number }>).map((r) => r.seq);
  } finally {
    db.close();
  }
}

function reasons(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'lcr.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT reason FROM quarantine ORDER BY id').all() as Array<{ reason: string }>).map((r) => r.reason);
  } finally {
    db.close();
  }
}

/** A relay holding `history` for ROOM that answers every subscribe with what follows `afterSeq`. */
async function relayWith(history: Array<Record<string, unknown>>): Promise<ScriptedRelay> {
  const relay = new ScriptedRelay();
  const last = () => Math.max(0, ...history.map((e) => e.seq as number));
  relay.rooms = [room(ROOM, last())];
  relay.onSubscribe = (call) => {
    const after = call.rooms[0]!.afterSeq ?? 0;
    relay.rooms = [room(ROOM, last())];
    call.socket.emit('events', { roomId: ROOM, events: history.filter((e) => (e.seq as number) > after) });
  };
  await relay.listen();
  cleanups.push(() => relay.close());
  return relay;
}

async function startCore(dataDir: string, url: string, extra: Partial<Parameters<typeof Core.start>[0]> = {}): Promise<Core> {
  const core = await Core.start({ dataDir, feedUrl: url, rooms: [ROOM], noBackup: true, ...extra });
  cleanups.push(() => core.stop());
  return core;
}

describe('event times the session cannot hold', () => {
  it('quarantines a ts outside the session window (and absurd epochs) instead of bucketing it; restart and report stay small', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const history = [
      { seq: 1, ts: START, type: 'session', status: 'live', startedAt: START },
      enter(2),
      { seq: 3, ts: 9e15, type: 'comment', text: 'from the year 287,000' },
      { seq: 4, ts: 1.17e13, type: 'enter', n: 1 },
      { seq: 5, ts: START + 30 * 24 * 3_600_000, type: 'enter', n: 1 }, // a month after the start
      { seq: 6, ts: START - 3 * 24 * 3_600_000, type: 'enter', n: 1 }, // days before it
      { seq: 7, ts: START + 5_000, type: 'session', status: 'live', startedAt: 0 }, // a relay's session at epoch 0
      enter(8),
    ];
    const relay = await relayWith(history);
    let core = await startCore(dir, relay.url);
    await waitFor(() => live(core)?.kpis?.pv === 2, 'the two valid entries counted');
    const detail = live(core)!;
    expect(detail.minutes.length).toBeLessThan(5);
    await core.flush();
    expect(storedSeqs(dir)).toEqual([1, 2, 8]);
    const why = reasons(dir);
    expect(why.filter((r) => /plausible epoch-ms time|session's start/.test(r))).toHaveLength(5);
    await core.stop();

    // A restart rehydrates the open session from the store, and the report reads it.
    core = await startCore(dir, relay.url);
    await waitFor(() => live(core)?.kpis?.pv === 2, 'the restarted core has the same figures');
    await core.stop();
    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    const rep = buildReport(reader, reader.listSessions()[0]!.sessionId, { recompute: true });
    expect(rep.kpis.pv).toBe(2);
    expect(rep.minutes.length).toBeLessThan(5);
  });

  it('a data folder that already holds an absurd ts (written before the window rule) starts, reports and exports without blowing up', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = openDatabase(dir);
    const w = new StoreWriter(db);
    const sessionId = `${ROOM}@${START}`;
    const row = (seq: number, ts: number, body: Record<string, unknown>) => ({ feed: 'x', roomId: ROOM, epoch: 0, seq, sessionId, ts, type: body.type as string, body: JSON.stringify({ seq, ts, ...body }) });
    w.write({
      ...emptyBatch(),
      sessions: [{ sessionId, roomId: ROOM, platform: 'test', title: 'bricked', startedAt: START, endedAt: null, feed: 'x', epoch: 0, firstSeq: 1, lastSeq: 3 }],
      events: [row(1, START, { type: 'session', status: 'live', startedAt: START }), row(2, 9e15, { type: 'comment', text: 'x' }), row(3, START + 1000, { type: 'enter', n: 1 })],
    });
    db.close();
    const relay = await relayWith([]);
    const core = await startCore(dir, relay.url);
    const before = process.memoryUsage().rss;
    const rep = await core.request('getReport', { sessionId });
    expect(rep.ok).toBe(true);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });
});

describe('what a relay can send', () => {
  it('quarantines a valid event carrying an extension nested 10,000 levels deep, and keeps the rest', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = await relayWith([{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }]);
    relay.rooms = [room(ROOM, 3)];
    const core = await startCore(dir, relay.url);
    await waitFor(() => live(core)?.session, 'session open');
    // Written on the wire by hand: Socket.IO's own encoder (on a Node relay) overflows on such a value,
    // a relay in another language does not. Events 2 (poisoned) and 3.
    const deep = '['.repeat(10_000) + '1' + ']'.repeat(10_000);
    const events = `[${JSON.stringify(enter(2)).slice(0, -1)},"extra":${deep}},${JSON.stringify(enter(3))}]`;
    for (const s of relay.io.of('/feed').sockets.values()) s.conn.write(`2/feed,["events",{"roomId":"${ROOM}","events":${events}}]`);
    await waitFor(() => live(core)?.kpis?.pv === 1, 'the valid entry counted');
    await core.flush();
    expect(storedSeqs(dir)).toEqual([1, 3]);
    expect(reasons(dir)).toEqual([expect.stringMatching(/extension field extra is nested too deep/)]);
  });

  it('an event at seq 2^53−1 does not make every later event a duplicate', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const history: Array<Record<string, unknown>> = [{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }, enter(2)];
    const relay = await relayWith(history);
    const core = await startCore(dir, relay.url, { feedTiming: { firstRetryMs: 100, giveUpAfterMs: 1_000 } });
    await waitFor(() => live(core)?.kpis?.pv === 1, 'first entry');
    relay.send(ROOM, [enter(Number.MAX_SAFE_INTEGER)]);
    history.push(enter(3), enter(4));
    relay.rooms = [room(ROOM, 4)];
    relay.send(ROOM, [enter(3), enter(4)]);
    await waitFor(() => live(core)?.kpis?.pv === 3, 'later entries still counted');
    await waitFor(async () => {
      await core.flush();
      return reasons(dir).some((r) => /beyond the relay's own newest seq/.test(r));
    }, 'the absurd seq quarantined');
    expect(storedSeqs(dir)).toEqual([1, 2, 3, 4]);
  });

  it("a relay whose lastSeq went backwards (restarted numbering) re-sends its history: nothing is counted twice, new events are kept", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = [{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }, ...Array.from({ length: 49 }, (_, i) => enter(i + 2))];
    const relay = await relayWith(first);
    const core = await startCore(dir, relay.url);
    await waitFor(() => live(core)?.kpis?.pv === 49, 'the first 49 entries');
    // The relay restarts numbering from 1: it re-sends the show's first 30 events with their content
    // unchanged, then 15 new ones; its lastSeq (45) is below the client's cursor (50).
    const resent = first.slice(0, 30).map((e, i) => ({ ...e, seq: i + 1 }));
    const fresh = Array.from({ length: 15 }, (_, i) => ({ seq: 31 + i, ts: START + 200_000 + i * 1000, type: 'enter', n: 1 }));
    first.splice(0, first.length, ...resent, ...fresh);
    relay.rooms = [room(ROOM, 45)];
    relay.dropAll();
    await waitFor(() => live(core)?.kpis?.pv === 64, 'the 15 new entries added once', 20_000);
    await core.flush();
    // Nothing doubled: the live figure stays, and the stored events are the first 50 plus the 15 new.
    expect(live(core)?.kpis?.pv).toBe(64);
    expect(storedSeqs(dir)).toHaveLength(65);
    await core.stop();
    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    expect(buildReport(reader, reader.listSessions()[0]!.sessionId, { recompute: true }).kpis.pv).toBe(64);
  });
});

describe('a full disk', () => {
  it('keeps the live screen running, stores nothing out of order, pauses the feed past its backlog, and resumes by itself when space is freed', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const history: Array<Record<string, unknown>> = [{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }];
    const relay = await relayWith(history);
    const core = await startCore(dir, relay.url, { storeBacklogPause: 3_000 });
    await waitFor(() => (live(core)?.session ?? null) !== null, 'session open');
    await core.flush();
    const pagesNow = (() => {
      const db = new Database(join(dir, 'lcr.sqlite'), { readonly: true });
      try {
        return db.pragma('page_count', { simple: true }) as number;
      } finally {
        db.close();
      }
    })();
    core.injectStoreFault({ maxPages: pagesNow }); // the disk is full from here on
    let seq = 1;
    const push = (n: number) => {
      const batch = Array.from({ length: n }, () => enter(++seq, START + seq * 10, 1));
      history.push(...batch);
      relay.rooms = [room(ROOM, seq)];
      relay.send(ROOM, batch);
    };
    push(500);
    await waitFor(() => core.diagnostics().store.health.code === 'SQLITE_FULL', 'the store reports the full disk');
    // The live screen still counts what arrives.
    await waitFor(() => live(core)?.kpis?.pv === 500, 'live figures go on');
    // Past its backlog the feed stops taking events; memory stays bounded, nothing is dropped.
    for (let i = 0; i < 10; i++) push(500);
    await waitFor(() => core.diagnostics().store.feedPaused, 'the feed paused');
    push(300); // sent while paused: the relay keeps them
    expect(core.diagnostics().store.health.ok).toBe(false);

    core.injectStoreFault({ maxPages: null }); // space freed
    await waitFor(() => core.diagnostics().store.health.ok && !core.diagnostics().store.feedPaused, 'writing again and the feed resumed', 60_000);
    await waitFor(() => live(core)?.kpis?.pv === seq - 1, 'every event counted once', 30_000);
    await core.flush();
    expect(storedSeqs(dir)).toEqual(history.map((e) => e.seq));
    expect(core.diagnostics().store.writeErrors).toBeGreaterThanOrEqual(1);
  });
});

describe('a folder that turns read-only', () => {
  it('says so, keeps counting live, and writes everything in order once it is writable again', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const history: Array<Record<string, unknown>> = [{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }];
    const relay = await relayWith(history);
    const core = await startCore(dir, relay.url);
    await waitFor(() => (live(core)?.session ?? null) !== null, 'session open');
    await core.flush();
    core.injectStoreFault({ readOnly: true });
    const batch = Array.from({ length: 200 }, (_, i) => enter(i + 2));
    history.push(...batch);
    relay.rooms = [room(ROOM, 201)];
    relay.send(ROOM, batch);
    await waitFor(() => core.connection.store?.code === 'SQLITE_READONLY', 'the badge data says read-only');
    await waitFor(() => live(core)?.kpis?.pv === 200, 'live figures go on');
    const note = await core.request('addNote', { sessionId: live(core)!.session!.sessionId, minute: 0, text: '只读时的笔记' });
    expect(note).toMatchObject({ ok: false, error: expect.stringMatching(/cannot write right now \(SQLITE_READONLY/) });
    core.injectStoreFault({ readOnly: false });
    await waitFor(() => core.connection.store?.ok, 'writing again', 60_000);
    await core.flush();
    expect(storedSeqs(dir)).toEqual(history.map((e) => e.seq));
    // The note the operator was told is kept was written once the folder was writable.
    const db = new Database(join(dir, 'lcr.sqlite'), { readonly: true });
    expect((db.prepare('SELECT text FROM notes').all() as Array<{ text: string }>).map((n) => n.text)).toEqual(['只读时的笔记']);
    db.close();
  });
});
