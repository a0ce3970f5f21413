/**
 * Replay end to end: a show recorded through the simulator relay into a real SQLite store,
 * written out as a capture, and replayed at 60× — from the capture file and straight from the
 * store (`session:ID`) — through a SourceBridge relay into a second core with its own store. The
 * replayed session must be a new live session whose figures equal the original's, and it must take
 * about the show's length ÷ 60.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader, type StoredSession } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { SourceBridge } from '../../electron/core/sources/bridge.ts';
import { writeCapture } from '../../electron/core/sources/capture.ts';
import type { SourceState } from '../../electron/core/sources/common.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { withReader } from '../helpers/engine.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
type Report = ReturnType<typeof buildReport>;

let original: { dir: string; session: StoredSession; report: Report };
const cleanups: Array<() => Promise<void> | void> = [];
const finalCleanups: Array<() => void> = [];

beforeAll(async () => {
  const { dir, cleanup } = tempDir('lcr-replay-src-');
  finalCleanups.push(cleanup);
  // The whole 6-minute show played before the relay listens: recorded in a moment, exactly as live.
  const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 60, seed: 11, token: 'tok', fastForwardMs: 7 * 60_000 });
  const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok', noBackup: true });
  await core.untilEnded();
  await core.stop();
  await sim.stop();
  original = withReader(dir, (r) => {
    const [session] = r.listSessions();
    return { dir, session: session!, report: buildReport(r, session!.sessionId) };
  });
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(() => {
  while (finalCleanups.length) finalCleanups.pop()!();
});


/** Times shifted to the session start: what must match between a show and its replay. */
function relative(r: Report, startedAt: number) {
  return {
    kpis: r.kpis,
    products: r.products,
    minutes: r.minutes.map((m) => ({ ...m, ts: m.ts - startedAt })),
    segments: r.segments.map((s) => ({ ...s, startTs: s.startTs - startedAt, endTs: s.endTs - startedAt })),
  };
}

/** Replays `from` at 60× into a fresh core; returns the replayed session's report and how long it took. */
async function replayInto(from: string, dataDir?: string) {
  const { dir, cleanup } = tempDir('lcr-replay-dst-');
  cleanups.push(cleanup);
  const states: SourceState[][] = [];
  const t0 = Date.now();
  const bridge = await SourceBridge.start({ token: 'replay-tok', sources: [{ kind: 'replay', from, speed: 60, dataDir }], onState: (s) => states.push(s) });
  cleanups.push(() => bridge.stop());
  const core = await Core.start({ dataDir: dir, feedUrl: bridge.url, feedToken: 'replay-tok', noBackup: true });
  cleanups.push(() => core.stop());
  await core.untilEnded();
  const tookMs = Date.now() - t0;
  const summary = await bridge.replay!.finished;
  await core.stop();
  const replayed = withReader(dir, (r) => {
    const [session, ...more] = r.listSessions();
    expect(more).toEqual([]);
    return { session: session!, report: buildReport(r, session!.sessionId) };
  });
  return { ...replayed, tookMs, t0, summary, states, bridge };
}

function expectSameShow(replayed: { session: StoredSession; report: Report }, t0: number): void {
  const o = original.session;
  const r = replayed.session;
  // A new live session of the same room, opened when the replay started.
  expect(r.sessionId).not.toBe(o.sessionId);
  expect(r.startedAt).toBeGreaterThanOrEqual(t0);
  expect(r).toMatchObject({ roomId: o.roomId, platform: 'sim', title: '测试小场' });
  expect(r.endedAt! - r.startedAt).toBe(o.endedAt! - o.startedAt);
  // Every figure the same: GMV, orders, PV … per minute, per product and per segment.
  expect(relative(replayed.report, r.startedAt)).toEqual(relative(original.report, o.startedAt));
  expect(replayed.report.kpis.gmvFen).toBeGreaterThan(0);
  expect(replayed.report.kpis.orders).toBeGreaterThan(0);
  expect(replayed.report.kpis.pv).toBeGreaterThan(0);
  expect(replayed.report.segments.length).toBeGreaterThanOrEqual(3);
}

/** Paced, not dumped: at least the show's length ÷ 60, and within a bound a loaded 2-core machine meets. */
function expectPaced(tookMs: number): void {
  const showMs = original.session.endedAt! - original.session.startedAt;
  expect(showMs).toBeGreaterThan(5 * 60_000);
  expect(tookMs).toBeGreaterThanOrEqual(showMs / 60 - 100);
  expect(tookMs).toBeLessThan(showMs / 60 + 30_000);
}

describe('replay of a recorded show', () => {
  it('capture file → SourceBridge at 60× → a second core: a new session with the same figures, in about duration ÷ 60', async () => {
    const { dir, cleanup } = tempDir('lcr-capture-');
    cleanups.push(cleanup);
    const file = join(dir, 'show.jsonl');
    const db = openDatabase(original.dir);
    const summary = await writeCapture(new StoreReader(db), original.session.sessionId, file).finally(() => db.close());
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(summary).toMatchObject({ sessionId: original.session.sessionId, path: file, lines: lines.length, skipped: 0 });
    expect(lines.length).toBe(original.session.lastSeq - original.session.firstSeq + 1);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toEqual({ ts: original.session.startedAt, type: 'session', status: 'live', startedAt: original.session.startedAt, title: '测试小场', roomId: 'test-tiny', platform: 'sim' });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'session', status: 'ended', ts: original.session.endedAt });
    expect(lines.some((l) => l.includes('"seq"'))).toBe(false);

    const replayed = await replayInto(file);
    expectSameShow(replayed, replayed.t0);
    expectPaced(replayed.tookMs);
    expect(replayed.summary).toMatchObject({ outcome: 'ended', quarantined: 0, compressedMs: 0 });
    // The source reported going live and then finishing.
    expect(replayed.states.map((s) => s[0]!.status)).toEqual(expect.arrayContaining(['live', 'stopped']));
  });

  it('session:ID straight from the store, read in pages, likewise', async () => {
    const replayed = await replayInto(`session:${original.session.sessionId}`, original.dir);
    expectSameShow(replayed, replayed.t0);
    expectPaced(replayed.tookMs);
    expect(replayed.summary).toMatchObject({ outcome: 'ended', quarantined: 0 });
    expect(replayed.bridge.mux.stats).toMatchObject({ coalesced: 0, dropped: 0, invalid: 0 });
  });

  it('pages through a stored session by seq: every row once, in order, whatever the page size', () => {
    withReader(original.dir, (r) => {
      const all = [...r.events(original.session.sessionId)].map((e) => e.seq);
      expect(all.length).toBeGreaterThan(1000);
      for (const pageRows of [1, 7, 1000, 100_000]) {
        const pages = [...r.eventPages(original.session, pageRows)];
        expect(pages.flat().map((e) => e.seq)).toEqual(all);
        expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(pageRows);
      }
    });
  });

  it('rejects a speed outside 1–60, an unknown session and a missing store before listening', async () => {
    for (const speed of [0, 61, Number.NaN]) {
      await expect(SourceBridge.start({ sources: [{ kind: 'replay', from: `session:${original.session.sessionId}`, speed, dataDir: original.dir }] })).rejects.toThrow(
        /replay speed must be a number from 1 to 60/,
      );
    }
    await expect(SourceBridge.start({ sources: [{ kind: 'replay', from: 'session:nope', speed: 10, dataDir: original.dir }] })).rejects.toThrow(/no session nope in the store/);
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await expect(SourceBridge.start({ sources: [{ kind: 'replay', from: 'session:x', speed: 10, dataDir: dir }] })).rejects.toThrow(/no store at/);
    await expect(
      SourceBridge.start({ roomId: 'r', sources: [{ kind: 'replay', from: 'session:x', speed: 10, dataDir: dir }, { kind: 'merchant-orders', path: join(dir, 'o.jsonl') }] }),
    ).rejects.toThrow(/takes no other source/);
    await expect(withReader(original.dir, (r) => writeCapture(r, 'nope', join(dir, 'x.jsonl')))).rejects.toThrow(/no session nope/);
  });

  it('a replay into the store it came from is a second session of the room, the original untouched', async () => {
    const bridge = await SourceBridge.start({ token: 't', sources: [{ kind: 'replay', from: `session:${original.session.sessionId}`, speed: 60, dataDir: original.dir }] });
    cleanups.push(() => bridge.stop());
    const core = await Core.start({ dataDir: original.dir, feedUrl: bridge.url, feedToken: 't', noBackup: true });
    cleanups.push(() => core.stop());
    await waitFor(() => bridge.replay!.progress.events > 50, 'the replay under way');
    await core.untilEnded();
    await core.stop();
    withReader(original.dir, (r) => {
      const sessions = r.listSessions();
      expect(sessions).toHaveLength(2);
      expect(sessions.map((s) => s.sessionId)).toContain(original.session.sessionId);
      expect(buildReport(r, original.session.sessionId).kpis).toEqual(original.report.kpis);
    });
  });
});
