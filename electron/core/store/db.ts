import Database from 'better-sqlite3';
import { mkdirSync, existsSync, renameSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrations, SCHEMA_VERSION } from './migrations.ts';
import { PgBridge } from './pg/bridge.ts';
import { migratePg } from './pg/schema.ts';
import { urlWithoutPassword } from '../secrets/redact.ts';

// URI file names (better-sqlite3 reads this once, when its addon loads): the read-only fallback
// below opens `file:…?immutable=1`. Plain paths — every other open — are read as before.
process.env.SQLITE_USE_URI ??= '1';

/** A prepared statement, as both engines answer it (better-sqlite3's calling shape). */
export interface Statement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/**
 * The store's connection, whichever engine holds it: SQLite (a file in the data folder) or
 * PostgreSQL (`LCR_DATABASE_URL`, docs/server.md). Everything outside this folder talks to this
 * shape only; the SQL it sends is the dialect both engines read (pg/dialect.ts says what is
 * translated).
 */
export interface DB {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T;
  /** SQLite's pragmas; a no-op on PostgreSQL. */
  pragma(sql: string, opts?: { simple?: boolean }): unknown;
  close(): unknown;
}

type SqliteDB = Database.Database;

/** The PostgreSQL store's address when the store is on PostgreSQL (`LCR_DATABASE_URL`), else null. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const u = env.LCR_DATABASE_URL?.trim();
  return u ? u : null;
}

export function isPostgres(db: DB): db is PgBridge {
  return db instanceof PgBridge;
}

/** Whether the store has a table: a read-only SQLite store may predate the migration that made it; PostgreSQL stores are always migrated. */
export function hasTable(db: DB, name: string): boolean {
  if (isPostgres(db)) return true;
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Opens the PostgreSQL store and brings its schema up to date; says what is wrong in words a person can act on. */
function openPostgres(url: string): DB {
  let db: PgBridge | null = null;
  try {
    db = new PgBridge(url);
    migratePg(db);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof StoreError) throw e;
    throw new StoreError(`the PostgreSQL store (LCR_DATABASE_URL, ${urlWithoutPassword(url)}) cannot be opened: ${(e as Error).message}`);
  }
}

export const DB_FILE = 'lcr.sqlite';

export interface OpenOptions {
  /** Skip the integrity check (the writer worker opens a file the host just checked). */
  skipCheck?: boolean;
  readonly?: boolean;
}

export class StoreError extends Error {}

/** The data folder (or the store in it) cannot be written: what a command that must write is told. */
export class ReadOnlyStoreError extends StoreError {}

/** An error of opening or writing that means "this folder or file is read-only" (permissions, a read-only mount). */
export function isReadOnlyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'EPERM');
}

/**
 * Opens (and if needed creates and migrates) the store. Pragmas follow ENGINEERING.md:
 * WAL so readers never block the writer, NORMAL sync (durable across process crashes, which is
 * what "acknowledged" means here), a bounded WAL.
 */
export function openDatabase(dataDir: string, opts: OpenOptions = {}): DB {
  const url = databaseUrl();
  if (url) return openPostgres(url);
  if (opts.readonly) return openReadOnly(dataDir, opts);
  const file = join(dataDir, DB_FILE);
  try {
    return openWritable(dataDir, opts);
  } catch (e) {
    if (isReadOnlyError(e)) throw new ReadOnlyStoreError(`the data folder ${dataDir} is read-only (${(e as Error).message}): this needs to write to the store ${file}; check its permissions, or set LCR_DATA_DIR to another folder`);
    throw explainOpenError(e, dataDir);
  }
}

/** SQLite's terse codes as what a person can do about them. */
function explainOpenError(e: unknown, dataDir: string): Error {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const file = join(dataDir, DB_FILE);
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new StoreError(`the database ${file} is damaged (${msg}): ${restoreAdvice(dataDir)}`);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new StoreError(`the disk holding ${dataDir} is full (${msg}): free some space and start again; nothing stored so far is lost`);
  return e instanceof Error ? e : new Error(msg);
}

/** Where the newest backup is, and what to do with it. */
export function restoreAdvice(dataDir: string): string {
  const dir = join(dataDir, 'backups');
  const newest = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^lcr-.*\.sqlite$/.test(f))
        .sort()
        .at(-1)
    : undefined;
  return newest
    ? `move it away and copy the newest backup (${join(dir, newest)}) to ${join(dataDir, DB_FILE)}; the feed fills in what came after it, as far as the relay still holds it`
    : `move it away (no backup exists yet); the app then starts a new store`;
}

/**
 * For commands that only read (lcr sessions, report, export …): the store opened as usual — which
 * migrates it and lets a report keep what it recomputed — or, when the data folder or the file is
 * read-only (a backup mounted read-only, another user's folder), opened read-only.
 */
export function openForReading(dataDir: string): { db: DB; readonly: boolean } {
  const url = databaseUrl();
  if (url) return { db: openPostgres(url), readonly: false };
  try {
    return { db: openWritable(dataDir, {}), readonly: false };
  } catch (e) {
    if (!isReadOnlyError(e)) throw e;
  }
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) throw new StoreError(`the data folder ${dataDir} is read-only and holds no store yet (${file})`);
  return { db: openReadOnly(dataDir, {}), readonly: true };
}

/**
 * Read-only. A WAL store needs its -shm file, which SQLite creates even to read; in a read-only
 * folder it cannot, so the store is then opened immutable — nothing else can be writing in a
 * folder no one can write to.
 */
function openReadOnly(dataDir: string, opts: OpenOptions): SqliteDB {
  const file = join(dataDir, DB_FILE);
  let db: SqliteDB;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingPath() });
    db.pragma('user_version', { simple: true });
  } catch (e) {
    if (!isReadOnlyError(e) || !existsSync(file)) throw e;
    db = new Database(`${pathToFileURL(file).href}?immutable=1`, { readonly: true, fileMustExist: true, nativeBinding: nativeBindingPath() });
  }
  db.pragma('busy_timeout = 5000');
  if (!opts.skipCheck) {
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') {
      db.close();
      throw new StoreError(`the database ${file} failed its integrity check (${String(result).split('\n')[0]}): ${restoreAdvice(dataDir)}`);
    }
  }
  const v = db.pragma('user_version', { simple: true }) as number;
  if (v > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(`the database ${file} was written by a newer version of the app (schema ${v} > ${SCHEMA_VERSION})`);
  }
  return db;
}

function openWritable(dataDir: string, opts: OpenOptions): SqliteDB {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DB_FILE);
  const db = new Database(file, { readonly: false, nativeBinding: nativeBindingPath() });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_size_limit = 67108864');
    if (!opts.skipCheck) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new StoreError(`the database ${file} failed its integrity check (${String(result).split('\n')[0]}): ${restoreAdvice(dataDir)}`);
    }
    migrate(db, file);
  } catch (e) {
    if (db.open) db.close();
    throw e;
  }
  return db;
}

export function migrate(db: SqliteDB, file = 'database'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(`${file} was written by a newer version of the app (schema ${current} > ${SCHEMA_VERSION}); update the app`);
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

/** A consistent copy taken with SQLite's online backup, safe while the writer runs. */
export async function backupDatabase(db: DB, dataDir: string, now = Date.now()): Promise<string> {
  if (isPostgres(db)) throw new StoreError('a PostgreSQL store is backed up with pg_dump (docs/server.md), not by the app');
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const tmp = join(dir, `.lcr-${stamp}.sqlite.tmp`);
  const final = join(dir, `lcr-${stamp}.sqlite`);
  await (db as SqliteDB).backup(tmp);
  renameSync(tmp, final);
  return final;
}

/**
 * At most one backup a day, the newest `keep` kept: enough to undo a bad day without filling
 * the disk. Returns the new backup's path, or null when a recent one exists.
 */
export async function dailyBackup(db: DB, dataDir: string, keep = 7, now = Date.now()): Promise<string | null> {
  // PostgreSQL is backed up by its own tools on the server (docs/server.md).
  if (isPostgres(db)) return null;
  const dir = join(dataDir, 'backups');
  const existing = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^lcr-.*\.sqlite$/.test(f))
        .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t)
    : [];
  if (existing[0] && now - existing[0].t < 24 * 3600_000) return null;
  const file = await backupDatabase(db, dataDir, now);
  for (const old of existing.slice(Math.max(0, keep - 1))) rmSync(join(dir, old.f), { force: true });
  return file;
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, DB_FILE);
}

/**
 * Under Electron the native module must match Electron's ABI, while the CLI and tests use
 * Node's. The Electron launcher builds a second copy of better-sqlite3 and passes its path in
 * LCR_SQLITE_BINDING, so one checkout serves both runtimes.
 */
function nativeBindingPath(): string | undefined {
  const p = process.env.LCR_SQLITE_BINDING;
  return p && existsSync(p) ? p : undefined;
}

