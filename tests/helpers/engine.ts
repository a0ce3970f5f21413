/**
 * Which engine a test's store is on (the "postgres" project sets LCR_DATABASE_URL, see
 * on-postgres.ts), and a second connection to it "as another process would" read it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { it } from 'vitest';
import { openDatabase, type DB } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { PgBridge } from '../../electron/core/store/pg/bridge.ts';

export const onPostgres = Boolean(process.env.LCR_DATABASE_URL);

/** A test about SQLite's own file (WAL, integrity check, file backups): not run on PostgreSQL. */
export const itSqlite = it.skipIf(onPostgres);

/** A separate connection to the store of `dataDir`: the SQLite file read-only, or that folder's PostgreSQL database. */
export function readStore(dataDir: string): DB {
  if (!onPostgres) return new Database(join(dataDir, 'lcr.sqlite'), { readonly: true, fileMustExist: true });
  const of = (globalThis as { lcrDatabaseOf?: (dir: string) => string | undefined }).lcrDatabaseOf;
  return new PgBridge(of?.(dataDir) ?? process.env.LCR_DATABASE_URL!);
}

/** `fn` over a reader of the store of `dataDir` (opened as the app opens it), closed after. */
export function withReader<T>(dir: string, fn: (r: StoreReader) => T): T {
  const db = openDatabase(dir);
  try {
    return fn(new StoreReader(db));
  } finally {
    db.close();
  }
}
