/**
 * The "postgres" test project's setup (vitest.config.ts): the same test files as on SQLite, with
 * the store on a real PostgreSQL. As a data folder holds one SQLite store, each data folder a test
 * makes (tempDir) gets a database of its own, created on LCR_TEST_DATABASE_URL's server and handed
 * to the app as LCR_DATABASE_URL exactly as a user sets it — so every part that opens the store
 * (the core, its writer thread, a CLI child started afterwards) lands on it. A file-wide database
 * covers what opens a store without a folder of its own.
 */
import { afterAll } from 'vitest';
import { PgBridge } from '../../electron/core/store/pg/bridge.ts';

const server = process.env.LCR_TEST_DATABASE_URL;
if (!server) throw new Error('the postgres test project needs LCR_TEST_DATABASE_URL (.ci/run starts PostgreSQL and sets it; docs/testing.md)');

const admin = new PgBridge(server);
const made: string[] = [];
const byDir = new Map<string, string>();
let n = 0;

function freshDatabase(): string {
  const name = `lcr_t_${process.pid}_${Date.now().toString(36)}_${n++}`;
  admin.exec(`CREATE DATABASE ${name}`);
  made.push(name);
  const u = new URL(server!);
  u.pathname = `/${name}`;
  return u.toString();
}

process.env.LCR_DATABASE_URL = freshDatabase();
const hooks = globalThis as { lcrOnNewDataDir?: (dir: string) => void; lcrDatabaseOf?: (dir: string) => string | undefined };
hooks.lcrOnNewDataDir = (dir) => {
  const url = freshDatabase();
  byDir.set(dir, url);
  process.env.LCR_DATABASE_URL = url;
};
hooks.lcrDatabaseOf = (dir) => byDir.get(dir);

afterAll(() => {
  for (const name of made) admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  admin.close();
});
