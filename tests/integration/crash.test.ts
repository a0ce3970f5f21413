/**
 * P3: a recorder killed with SIGKILL in the middle of ingest restarts with an intact database and,
 * after resubscribing from its stored cursor, holds exactly the events the relay sent — none lost,
 * none twice. Real processes: `lcr simulate` and `lcr record`, a real SQLite file (or, in the
 * postgres project, a real PostgreSQL).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { lcr, lcrRun, type Proc } from '../helpers/processes.ts';
import { relayEvents } from '../helpers/relay-events.ts';
import { backupDatabase, openDatabase } from '../../electron/core/store/db.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { itSqlite, onPostgres, readStore } from '../helpers/engine.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const procs: Proc[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.child.kill('SIGKILL');
  for (const c of cleanups.splice(0)) c();
});

function count(dataDir: string): number {
  try {
    const db = readStore(dataDir);
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}


/** `lcr simulate` as a real process; resolves with its relay's URL. */
async function simulator(scenario: string, speed: number, seed: number, token: string): Promise<string> {
  const sim = lcr(['simulate', '--scenario', scenario, '--speed', String(speed), '--seed', String(seed), '--token', token]);
  procs.push(sim);
  return (await waitFor(() => /Relay: (\S+)/.exec(sim.stdout())?.[1], 'relay url'))!;
}

describe('crash safety', () => {
  it('SIGKILL during ingest: restart resumes with no loss and no duplicates', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const token = 'crash-test-token';
    const url = await simulator(tiny, 20, 11, token);
    const env = { LCR_DATA_DIR: dir };

    const first = lcr(['record', '--feed', url, '--token', token, '--until-ended'], env);
    procs.push(first);
    await waitFor(() => count(dir) > 400, 'the first recorder stored events', 30_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null); // killed, not exited
    const atKill = count(dir);

    // The database is intact after the kill.
    if (!onPostgres) {
      const db = new Database(join(dir, 'lcr.sqlite'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }

    const second = lcr(['record', '--feed', url, '--token', token, '--until-ended'], env);
    procs.push(second);
    expect(await second.exited).toBe(0);

    const sent = await relayEvents(url, token, 'test-tiny');
    const check = readStore(dir);
    const stored = (check.prepare("SELECT seq, body FROM events WHERE room_id = 'test-tiny' ORDER BY seq").all() as Array<{ seq: number; body: string }>);
    const ended = check.prepare('SELECT ended_at FROM sessions').get() as { ended_at: number | null };
    check.close();
    expect(atKill).toBeLessThan(sent.length); // the kill really was mid-stream
    expect(stored.map((r) => r.seq)).toEqual(sent.map((e) => e.seq));
    expect(stored.map((r) => JSON.parse(r.body) as unknown)).toEqual(sent);
    expect(ended.ended_at).not.toBeNull();
  });
});

/** A seeded generator, so a failing run names the moments it killed at and can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fault injection: the recorder killed again and again', () => {
  it('survives 20 SIGKILLs in a row at random moments with the store equal to the relay’s stream', async () => {
    const seed = Number(process.env.LCR_CRASH_SEED ?? Date.now() % 100_000);
    const random = rng(seed);
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const token = 'kill-test-token';
    // A long show at a steady pace: the show must outlast twenty restarts.
    const url = await simulator('daily-beauty', 20, 5, token);
    const env = { LCR_DATA_DIR: dir };
    const kills: string[] = [];
    for (let i = 0; i < 20; i++) {
      const rec = lcr(['record', '--feed', url, '--token', token], env);
      procs.push(rec);
      const before = count(dir);
      // A random moment: sometimes while it starts, mostly after it stored a random number of new events.
      const during = random() < 0.2;
      if (during) await waitFor(() => /recording/.test(rec.stderr()) || rec.child.exitCode !== null, 'recorder started', 30_000);
      else {
        const more = 1 + Math.floor(random() * 400);
        await waitFor(() => count(dir) >= before + more || rec.child.exitCode !== null, `recorder stored ${more} more events`, 30_000);
      }
      rec.child.kill('SIGKILL');
      expect(await rec.exited).toBe(null);
      kills.push(`${i + 1}: ${during ? 'at start' : 'mid-ingest'} after ${count(dir)} events`);
    }
    // A last recorder catches up and stops cleanly.
    const last = lcr(['record', '--feed', url, '--token', token], env);
    procs.push(last);
    await waitFor(() => count(dir) > 0 && /recording/.test(last.stderr()), 'the last recorder runs', 30_000);
    const db0 = readStore(dir);
    const lastSeqAtStart = (db0.prepare("SELECT max(seq) AS m FROM events WHERE room_id = 'sim-beauty'").get() as { m: number }).m;
    db0.close();
    await waitFor(() => count(dir) > lastSeqAtStart + 50, 'the last recorder caught up and goes on', 60_000);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const check = readStore(dir);
    if (!onPostgres) expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = check.prepare("SELECT seq, body FROM events WHERE room_id = 'sim-beauty' ORDER BY seq").all() as Array<{ seq: number; body: string }>;
    check.close();
    const sent = await relayEvents(url, token, 'sim-beauty', stored.at(-1)!.seq);
    // Every seq once, from 1 up to the newest stored, with exactly the relay's content.
    expect({ seed, kills: kills.length, seqs: stored.map((r) => r.seq) }).toEqual({ seed, kills: 20, seqs: sent.map((e) => e.seq) });
    expect(stored.map((r) => JSON.parse(r.body) as unknown)).toEqual(sent);
  }, 600_000);
});

describe('a damaged write-ahead log', () => {
  itSqlite('after a kill, garbage in the WAL loses nothing the relay still holds: the cursor rolls back with the events', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const token = 'wal-test-token';
    const url = await simulator(tiny, 20, 12, token);
    const env = { LCR_DATA_DIR: dir };
    const first = lcr(['record', '--feed', url, '--token', token], env);
    procs.push(first);
    await waitFor(() => count(dir) > 300, 'events stored', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeDamage = count(dir);
    // Damage the log's second half: SQLite's frame checksums stop recovery at the first bad frame.
    const wal = join(dir, 'lcr.sqlite-wal');
    const size = statSync(wal).size;
    expect(size).toBeGreaterThan(8192);
    const fd = openSync(wal, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 2));
    closeSync(fd);
    // The damage really cost committed events (and, with them, the cursor's advance).
    expect(count(dir)).toBeLessThan(beforeDamage);

    const second = lcr(['record', '--feed', url, '--token', token, '--until-ended'], env);
    procs.push(second);
    expect(await second.exited).toBe(0);
    const sent = await relayEvents(url, token, 'test-tiny');
    const check = readStore(dir);
    if (!onPostgres) expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = check.prepare("SELECT seq, body FROM events WHERE room_id = 'test-tiny' ORDER BY seq").all() as Array<{ seq: number; body: string }>;
    check.close();
    expect(stored.map((r) => r.seq)).toEqual(sent.map((e) => e.seq));
    expect(stored.map((r) => JSON.parse(r.body) as unknown)).toEqual(sent);
  }, 120_000);
});

describe('a damaged database file', () => {
  itSqlite('is refused with one line that says what to do, naming the newest backup', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = openDatabase(dir);
    const backup = await backupDatabase(db, dir);
    db.close();
    // Garbage over the file's pages past the header.
    const fd = openSync(join(dir, 'lcr.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 4096);
    closeSync(fd);
    const r = await lcrRun(['sessions'], { LCR_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/lcr\.sqlite (failed its integrity check|is damaged)/);
    expect(r.stderr).toContain(`copy the newest backup (${backup})`);
  });
});
