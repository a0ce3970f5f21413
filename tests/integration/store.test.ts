/**
 * The store on real files (and, in the postgres project, on a real PostgreSQL): migrations,
 * refusing what it cannot read, integrity, backups, atomic batches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase, backupDatabase, StoreError } from '../../electron/core/store/db.ts';
import { migrations, SCHEMA_VERSION } from '../../electron/core/store/migrations.ts';
import { StoreWriter, emptyBatch, type EventRow } from '../../electron/core/store/writer.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { WriteQueue } from '../../electron/core/store/write-queue.ts';
import { tempDir } from '../helpers/util.ts';
import { itSqlite, readStore } from '../helpers/engine.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function dataDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function eventRow(seq: number, sessionId = 's1'): EventRow {
  return { feed: 'f', roomId: 'r', epoch: 0, seq, sessionId, ts: 1000 + seq, type: 'enter', body: JSON.stringify({ seq, ts: 1000 + seq, type: 'enter', n: 1 }) };
}
const session = { sessionId: 's1', roomId: 'r', platform: 'test', title: 't', startedAt: 1000, endedAt: null, feed: 'f', epoch: 0, firstSeq: 1, lastSeq: 1 };

describe('store', () => {
  itSqlite('creates a new file at the current schema with WAL', () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['events', 'sessions', 'feed_cursors', 'quarantine', 'minute_rollups', 'product_rollups', 'segment_rollups', 'session_rollups', 'alerts', 'room_targets']));
    db.close();
  });

  itSqlite('applies each migration step on a real file and is idempotent on reopen', () => {
    const dir = dataDir();
    for (const m of migrations) {
      // Start from the previous step's schema, as an older app version left it.
      mkdirSync(join(dir, `step-${m.version}`), { recursive: true });
      const raw = new Database(join(dir, `step-${m.version}`, 'lcr.sqlite'));
      for (const earlier of migrations.filter((x) => x.version < m.version)) raw.exec(earlier.sql);
      raw.pragma(`user_version = ${m.version - 1}`);
      raw.close();
      const db = openDatabase(join(dir, `step-${m.version}`));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
      const again = openDatabase(join(dir, `step-${m.version}`));
      expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      again.close();
    }
  });

  itSqlite('keeps economics changes (v11) on a file an older app left, oldest first, and skips a row it cannot read', () => {
    const dir = dataDir();
    const raw = new Database(join(dir, 'lcr.sqlite'));
    for (const m of migrations.filter((x) => x.version < 11)) raw.exec(m.sql);
    raw.pragma('user_version = 10');
    raw.close();
    const db = openDatabase(dir);
    const w = new StoreWriter(db);
    const before = { feeRate: 0.05, refundRate: null, costOverrides: {} };
    const change = { id: 'c2', roomId: 'r', sessionId: 's1', ts: 5_000, at: 20, before, after: { feeRate: 0.06, refundRate: 0.08, costOverrides: { a: 4_500 } }, breakEvenBefore: 2.22, breakEvenAfter: 2.35, byName: '阿杰', byRole: 'adBuyer' };
    w.write({ ...emptyBatch(), economicsChanges: [change, { ...change, id: 'c1', at: 10, sessionId: null, ts: null, breakEvenBefore: null }] });
    w.write({ ...emptyBatch(), economicsChanges: [{ ...change, byName: 'again' }] }); // the same id: kept as first written
    db.prepare("INSERT INTO economics_changes (id, room_id, session_id, at, before, after) VALUES ('bad', 'r', 's1', 30, 'not json', '{}')").run();
    const r = new StoreReader(db);
    expect(r.economicsChanges({ roomId: 'r' }).map((c) => [c.id, c.sessionId, c.byName])).toEqual([
      ['c1', null, '阿杰'],
      ['c2', 's1', '阿杰'],
    ]);
    expect(r.economicsChanges({ sessionId: 's1' })).toEqual([change]);
    db.close();
  });

  itSqlite('refuses a database written by a newer app', () => {
    const dir = dataDir();
    openDatabase(dir).close();
    const raw = new Database(join(dir, 'lcr.sqlite'));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer version/);
  });

  itSqlite('refuses a corrupt file with a clear error instead of writing into it', () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    const w = new StoreWriter(db);
    w.write({ ...emptyBatch(), sessions: [session], events: Array.from({ length: 2000 }, (_, i) => eventRow(i + 1)) });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const file = join(dir, 'lcr.sqlite');
    const bytes = readFileSync(file);
    // Scribble over the middle pages (not the header), as a failing disk would.
    bytes.fill(0x5a, 8192, 8192 * 3);
    writeFileSync(file, bytes);
    expect(() => openDatabase(dir)).toThrow(StoreError);
    expect(() => openDatabase(dir)).toThrow(/integrity check/);
  });

  it('writes a batch atomically: events, cursor and session together; duplicates ignored', () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    const w = new StoreWriter(db);
    expect(w.write({ ...emptyBatch(), sessions: [session], events: [eventRow(1), eventRow(2)], cursors: [{ feed: 'f', roomId: 'r', epoch: 0, lastSeq: 2 }] })).toBe(2);
    expect(w.write({ ...emptyBatch(), events: [eventRow(2), eventRow(3)], cursors: [{ feed: 'f', roomId: 'r', epoch: 0, lastSeq: 3 }] })).toBe(1);
    // A failing batch (an event for a session that would violate NOT NULL) leaves nothing behind.
    const bad = { ...eventRow(4), sessionId: null as unknown as string };
    expect(() => w.write({ ...emptyBatch(), events: [eventRow(5), bad], cursors: [{ feed: 'f', roomId: 'r', epoch: 0, lastSeq: 5 }] })).toThrow();
    const reader = new StoreReader(db);
    expect(reader.eventCount()).toBe(3);
    expect(reader.cursors('f').get('r')).toEqual({ epoch: 0, lastSeq: 3 });
    // A cursor never moves backwards within an epoch, and a new epoch starts over.
    w.write({ ...emptyBatch(), cursors: [{ feed: 'f', roomId: 'r', epoch: 0, lastSeq: 1 }] });
    expect(reader.cursors('f').get('r')).toEqual({ epoch: 0, lastSeq: 3 });
    w.write({ ...emptyBatch(), cursors: [{ feed: 'f', roomId: 'r', epoch: 1, lastSeq: 1 }] });
    expect(reader.cursors('f').get('r')).toEqual({ epoch: 1, lastSeq: 1 });
    db.close();
  });

  it('stores alerts once, their acknowledgement, and room targets', () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    const w = new StoreWriter(db);
    const r = new StoreReader(db);
    const alert = { id: 's1:ctr::4', roomId: 'r', sessionId: 's1', kind: 'ctr' as const, ts: 5000, minute: 4, params: { value: 0.03, target: 0.04 }, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null };
    w.write({ ...emptyBatch(), alerts: [alert], alertAcks: [{ id: alert.id, acknowledgedAt: 7000, acknowledgedBy: '小张', acknowledgedRole: 'controller' }] });
    // A second acknowledgement (a replayed batch, another desk) does not move the first.
    w.write({ ...emptyBatch(), alertAcks: [{ id: alert.id, acknowledgedAt: 9000, acknowledgedBy: '阿杰', acknowledgedRole: 'adBuyer' }] });
    // Raised again (a restart replaying the window): the stored row and its acknowledgement stay.
    w.write({ ...emptyBatch(), alerts: [alert, { ...alert, id: 's1:roi::5', kind: 'roi', ts: 6000, minute: 5 }] });
    expect(r.alerts({ sessionId: 's1' }).map((a) => [a.id, a.acknowledgedAt])).toEqual([
      ['s1:ctr::4', 7000],
      ['s1:roi::5', null],
    ]);
    expect(r.alerts({ roomId: 'r', limit: 1 }).map((a) => a.id)).toEqual(['s1:roi::5']);
    expect(r.alert('s1:ctr::4')).toMatchObject({ params: { value: 0.03, target: 0.04 }, acknowledgedAt: 7000, acknowledgedBy: '小张', acknowledgedRole: 'controller' });
    expect(r.alerts({ roomId: 'r', open: true }).map((a) => a.id)).toEqual(['s1:roi::5']);
    expect(r.targets('r')).toBeUndefined();
    const targets = { ctr: 0.05, clickToOrder: 0.03, roi: 2, tolerance: 0.2, onlineDropPct: 0.4, onlineDropWindowMin: 3, lowStockPct: 0.2, sound: true };
    w.write({ ...emptyBatch(), targets: [{ roomId: 'r', targets, updatedAt: 1 }] });
    w.write({ ...emptyBatch(), targets: [{ roomId: 'r', targets: { ...targets, roi: 4 }, updatedAt: 2 }] });
    expect(r.targets('r')).toEqual({ ...targets, roi: 4 });
    db.close();
  });

  it('the writer thread commits in order and flush() means on disk', async () => {
    const dir = dataDir();
    openDatabase(dir).close();
    const q = await WriteQueue.open(dir, { flushMs: 1000 });
    q.add({ sessions: [session] });
    for (let i = 1; i <= 5000; i++) q.add({ events: [eventRow(i)], cursors: [{ feed: 'f', roomId: 'r', epoch: 0, lastSeq: i }] });
    await q.flush();
    // Read through a separate connection, as another process would.
    const db = readStore(dir);
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(5000);
    expect((db.prepare('SELECT last_seq FROM feed_cursors').get() as { last_seq: number }).last_seq).toBe(5000);
    db.close();
    expect(q.stats.eventsInserted).toBe(5000);
    await q.close();
  });

  itSqlite('takes a consistent backup', async () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    new StoreWriter(db).write({ ...emptyBatch(), sessions: [session], events: [eventRow(1)] });
    const file = await backupDatabase(db, dir);
    db.close();
    expect(existsSync(file)).toBe(true);
    const copy = new Database(file, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(1);
    copy.close();
  });
});

describe('daily backup', () => {
  itSqlite('backs up at most once a day and keeps the newest seven', async () => {
    const { dailyBackup } = await import('../../electron/core/store/db.ts');
    const dir = dataDir();
    const db = openDatabase(dir);
    const day = 24 * 3600_000;
    const t0 = Date.UTC(2026, 0, 1);
    const { utimesSync, readdirSync } = await import('node:fs');
    for (let i = 0; i < 9; i++) {
      const f = await dailyBackup(db, dir, 7, t0 + i * day);
      expect(f).not.toBeNull();
      utimesSync(f!, (t0 + i * day) / 1000, (t0 + i * day) / 1000);
      expect(await dailyBackup(db, dir, 7, t0 + i * day + 3600_000)).toBeNull();
    }
    const files = readdirSync(join(dir, 'backups')).sort();
    expect(files).toHaveLength(7);
    expect(files[0]).toMatch(/^lcr-2026-01-03/);
    db.close();
  });
});
