import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data folder per test; removed by the returned cleanup. */
/** What the postgres test project (on-postgres.ts) does for each new data folder: a database of its own. */
const newDataDir = globalThis as { lcrOnNewDataDir?: (dir: string) => void };

export function tempDir(prefix = 'lcr-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  newDataDir.lcrOnNewDataDir?.(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Waits until `check` returns a truthy value — a condition on what the system did, polled, never
 * a fixed sleep. Fails with `what` and the last value seen when the deadline passes.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
