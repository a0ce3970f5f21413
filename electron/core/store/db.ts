import Database from 'better-sqlite3';
import { mkdirSync, existsSync, renameSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrations, SCHEMA_VERSION } from './migrations.ts';

export type DB = Database.Database;

export const DB_FILE = 'lcr.sqlite';

export interface OpenOptions {
  /** Skip the integrity check (the writer worker opens a file the host just checked). */
  skipCheck?: boolean;
  readonly?: boolean;
}

export class StoreError extends Error {}

/**
 * Opens (and if needed creates and migrates) the store. Pragmas follow ENGINEERING.md:
 * WAL so readers never block the writer, NORMAL sync (durable across process crashes, which is
 * what "acknowledged" means here), a bounded WAL.
 */
export function openDatabase(dataDir: string, opts: OpenOptions = {}): DB {
  try {
    return openChecked(dataDir, opts);
  } catch (e) {
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
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
    return new StoreError(`the data folder ${dataDir} cannot be written (${msg}): check its permissions and free space, or set LCR_DATA_DIR to another folder`);
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

function openChecked(dataDir: string, opts: OpenOptions): DB {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DB_FILE);
  const db = new Database(file, { readonly: opts.readonly ?? false, nativeBinding: nativeBindingPath() });
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_size_limit = 67108864');
  }
  if (!opts.skipCheck) {
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') {
      db.close();
      throw new StoreError(`the database ${file} failed its integrity check (${String(result).split('\n')[0]}): ${restoreAdvice(dataDir)}`);
    }
  }
  if (!opts.readonly) migrate(db, file);
  else {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v > SCHEMA_VERSION) throw new StoreError(`the database ${file} was written by a newer version of the app (schema ${v} > ${SCHEMA_VERSION})`);
  }
  return db;
}

export function migrate(db: DB, file = 'database'): void {
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
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const tmp = join(dir, `.lcr-${stamp}.sqlite.tmp`);
  const final = join(dir, `lcr-${stamp}.sqlite`);
  await db.backup(tmp);
  renameSync(tmp, final);
  return final;
}

/**
 * At most one backup a day, the newest `keep` kept: enough to undo a bad day without filling
 * the disk. Returns the new backup's path, or null when a recent one exists.
 */
export async function dailyBackup(db: DB, dataDir: string, keep = 7, now = Date.now()): Promise<string | null> {
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

