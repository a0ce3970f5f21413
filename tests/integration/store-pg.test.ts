/**
 * The PostgreSQL engine's foundations against a real PostgreSQL (LCR_TEST_DATABASE_URL; CI
 * starts one): the synchronous bridge, placeholders, 64-bit numbers, transactions, errors, and
 * the store's migrations applied once — also by two processes at the same time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBridge, PgError } from '../../electron/core/store/pg/bridge.ts';
import { migratePg } from '../../electron/core/store/pg/schema.ts';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations.ts';
import { StoreWriter, emptyBatch } from '../../electron/core/store/writer.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { isPostgres, openDatabase, StoreError, type DB } from '../../electron/core/store/db.ts';

const URL_ = process.env.LCR_TEST_DATABASE_URL;
let admin: PgBridge;
let db: PgBridge;
let dbUrl: string;

beforeAll(() => {
  if (!URL_) throw new Error('LCR_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it (docs/testing.md)');
  admin = new PgBridge(URL_);
  const name = `lcr_t_${process.pid}_${Date.now()}`;
  admin.exec(`CREATE DATABASE ${name}`);
  const u = new URL(URL_);
  u.pathname = `/${name}`;
  dbUrl = u.toString();
  db = new PgBridge(dbUrl);
});

afterAll(() => {
  db?.close();
  const name = new URL(dbUrl).pathname.slice(1);
  admin?.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  admin?.close();
});

describe('the PostgreSQL bridge', () => {
  it('answers at once with better-sqlite3’s calling shape, ? and @name placeholders, 64-bit numbers as numbers', () => {
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT)');
    expect(db.prepare('INSERT INTO t (id, n, x, s) VALUES (?, ?, ?, ?)').run('a', 1_796_000_000_000, 0.5, "it's ?").changes).toBe(1);
    db.prepare('INSERT INTO t (id, n, x, s) VALUES (@id, @n, @x, @s) ON CONFLICT (id) DO NOTHING').run({ id: 'b', n: 2 ** 53 - 1, x: null, s: '@not a param' });
    expect(db.prepare('SELECT * FROM t ORDER BY id').all()).toEqual([
      { id: 'a', n: 1_796_000_000_000, x: 0.5, s: "it's ?" },
      { id: 'b', n: 2 ** 53 - 1, x: null, s: '@not a param' },
    ]);
    expect(db.prepare('SELECT count(*) AS c, sum(n) AS total FROM t').get()).toEqual({ c: 2, total: 1_796_000_000_000 + 2 ** 53 - 1 });
    expect(db.prepare('SELECT * FROM t WHERE s IS NOT DISTINCT FROM ?').get(null)).toBeUndefined();
  });

  it('rolls a failed transaction back and says what the database said', () => {
    expect(() =>
      db.transaction(() => {
        db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('c', 3);
        db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('a', 4);
      })(),
    ).toThrow(PgError);
    expect(db.prepare('SELECT id FROM t WHERE id = ?').get('c')).toBeUndefined();
    expect(() => db.prepare('INSERT INTO t (id) VALUES (?)').run('a')).toThrow(expect.objectContaining({ code: '23505' }));
  });
});

describe('the store schema on PostgreSQL', () => {
  it('applies every migration once, and again changes nothing', () => {
    expect(migratePg(db)).toBe(SCHEMA_VERSION);
    expect(migratePg(db)).toBe(SCHEMA_VERSION);
    const tables = db.prepare("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name").all().map((r) => r.table_name);
    for (const t of ['events', 'sessions', 'feed_cursors', 'alerts', 'decisions', 'ad_actions', 'invites', 'prompts']) expect(tables).toContain(t);
    // A rowid key of SQLite is an identity here.
    db.prepare('INSERT INTO quarantine (received_at, feed, reason, raw) VALUES (?, ?, ?, ?)').run(1, 'f', 'r', '{}');
    expect(db.prepare('SELECT id FROM quarantine').get()).toEqual({ id: 1 });
  });
});

describe('the store on PostgreSQL: StoreWriter and StoreReader over the bridge', () => {
  it('writes a batch and reads the session and its events back', () => {
    const store: DB = db;
    const writer = new StoreWriter(store);
    const b = emptyBatch();
    const session = { sessionId: 'r1@1000', roomId: 'r1', platform: 'test', title: '测试', startedAt: 1000, endedAt: null, feed: 'f', epoch: 0, firstSeq: 1, lastSeq: 2 };
    b.sessions.push(session);
    b.events.push({ feed: 'f', roomId: 'r1', epoch: 0, seq: 1, sessionId: 'r1@1000', ts: 1000, type: 'session', body: JSON.stringify({ seq: 1, ts: 1000, type: 'session', status: 'live', startedAt: 1000, title: '测试' }) });
    b.events.push({ feed: 'f', roomId: 'r1', epoch: 0, seq: 2, sessionId: 'r1@1000', ts: 2000, type: 'viewers', body: JSON.stringify({ seq: 2, ts: 2000, type: 'viewers', online: 10 }) });
    b.cursors.push({ feed: 'f', roomId: 'r1', epoch: 0, lastSeq: 2 });
    expect(writer.write(b)).toBe(2);
    // The same batch again (a relay resending): nothing twice.
    expect(writer.write(b)).toBe(0);
    const reader = new StoreReader(store);
    expect(reader.getSession('r1@1000')).toMatchObject({ roomId: 'r1', title: '测试', startedAt: 1000 });
    expect([...reader.knownEvents('r1@1000', 1000)].map((e) => e.type)).toEqual(['session', 'viewers']);
  });
});

describe('opening the PostgreSQL store', () => {
  it('reads a long result in pages through a cursor, also inside a transaction', () => {
    db.exec('CREATE TABLE many (n BIGINT PRIMARY KEY)');
    db.exec('INSERT INTO many SELECT g FROM generate_series(1, 4500) g');
    const seen: number[] = [];
    for (const r of db.prepare('SELECT n FROM many WHERE n > ? ORDER BY n').iterate(0)) seen.push((r as { n: number }).n);
    expect(seen).toHaveLength(4500);
    expect(seen.every((n, i) => n === i + 1)).toBe(true);
    // Left early: the cursor is closed, and the next statement runs.
    db.transaction(() => {
      for (const r of db.prepare('SELECT n FROM many ORDER BY n').iterate()) if ((r as { n: number }).n === 3) break;
      expect(db.prepare('SELECT count(*) AS c FROM many').get()).toEqual({ c: 4500 });
    })();
  });

  it('translates what SQLite writes differently: two-argument max/min, instr', () => {
    expect(db.prepare('SELECT max(1, ?) AS a, min(?, 2) AS b, instr(lower(?), ?) AS i').get(5, 1, 'ABC', 'c')).toEqual({ a: 5, b: 1, i: 3 });
    expect(db.prepare('SELECT max(n) AS m FROM many').get()).toEqual({ m: 4500 });
  });

  it('is what openDatabase opens when LCR_DATABASE_URL is set, and refuses a schema newer than this app', () => {
    const before = process.env.LCR_DATABASE_URL;
    process.env.LCR_DATABASE_URL = dbUrl;
    try {
      const store = openDatabase('/nonexistent-data-folder');
      expect(isPostgres(store)).toBe(true);
      store.close();
      db.prepare('UPDATE lcr_schema SET version = ?').run(SCHEMA_VERSION + 1);
      expect(() => openDatabase('/nonexistent-data-folder')).toThrow(/written by a newer version/);
      db.prepare('UPDATE lcr_schema SET version = ?').run(SCHEMA_VERSION);
    } finally {
      if (before === undefined) delete process.env.LCR_DATABASE_URL;
      else process.env.LCR_DATABASE_URL = before;
    }
  });

  it('names an unreachable server without its password', () => {
    const before = process.env.LCR_DATABASE_URL;
    process.env.LCR_DATABASE_URL = 'postgres://lcr:hush-hush@127.0.0.1:1/lcr';
    try {
      expect(() => openDatabase('/nonexistent-data-folder')).toThrow(StoreError);
      expect(() => openDatabase('/nonexistent-data-folder')).toThrow(/postgres:\/\/lcr:\*\*\*@127\.0\.0\.1:1\/lcr/);
      try {
        openDatabase('/nonexistent-data-folder');
      } catch (e) {
        expect(String(e)).not.toContain('hush-hush');
      }
    } finally {
      if (before === undefined) delete process.env.LCR_DATABASE_URL;
      else process.env.LCR_DATABASE_URL = before;
    }
  });
});

describe('a connection the server ends', () => {
  it('fails the query in flight at most, and the next one connects again: the process goes on', async () => {
    const pid = (db.prepare('SELECT pg_backend_pid() AS pid').get() as { pid: number }).pid;
    expect(admin.prepare('SELECT pg_terminate_backend(?) AS done').get(pid)).toEqual({ done: true });
    // The worker hears of it between calls; a query sent before that fails with the server's reason.
    await new Promise((r) => setTimeout(r, 50));
    let answered: unknown;
    for (let i = 0; i < 2 && answered === undefined; i++) {
      try {
        answered = db.prepare('SELECT count(*) AS c FROM many').get();
      } catch (e) {
        expect(e).toBeInstanceOf(PgError);
      }
    }
    expect(answered).toEqual({ c: 4500 });
    expect((db.prepare('SELECT pg_backend_pid() AS pid').get() as { pid: number }).pid).not.toBe(pid);
  });
});
