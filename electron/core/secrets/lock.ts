/**
 * One writer at a time for a file that several processes may write: the desktop app refreshing a
 * token while `lcr auth` adds an account must not each write their own copy of the set, or one of
 * them loses the other's newest pair (巨量千川 rotates the refresh token at every refresh, so a
 * lost pair is a locked-out account). A lock file made with O_EXCL holds the writer's pid; a lock
 * whose process has gone (a crash) is taken over.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';

export interface FileLockOptions {
  /**
   * How long to wait for another writer before giving up. A save holds the lock for milliseconds;
   * a token refresh inside `update` holds it for one platform round trip (15 s at most).
   */
  timeoutMs?: number;
  /** A lock older than this is taken over even if its pid looks alive (a reused pid). */
  staleMs?: number;
}

/** Whether process `pid` is still running (EPERM: it is, as another user). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

/** Runs `fn` holding `lockPath`; released whatever `fn` does. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const release = await acquire(lockPath, opts.timeoutMs ?? 60_000, opts.staleMs ?? 120_000);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<() => Promise<void>> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const stamp = `${process.pid} ${Date.now()} ${randomBytes(6).toString('hex')}\n`;
    // The lock appears with its content already in it (a hard link to a written file): a waiter never reads it half-made.
    const tmp = `${lockPath}.${process.pid}-${randomBytes(4).toString('hex')}`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(stamp);
    } finally {
      await fh.close();
    }
    let linked = false;
    try {
      await link(tmp, lockPath);
      linked = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await unlink(tmp).catch(() => {});
    }
    if (linked) {
      return async () => {
        // Only our own lock is removed: one taken over as stale meanwhile belongs to someone else.
        const now = await readFile(lockPath, 'utf8').catch(() => null);
        if (now === stamp) await unlink(lockPath).catch(() => {});
      };
    }
    const holder = await readFile(lockPath, 'utf8').catch(() => null);
    if (holder !== null && isStale(holder, staleMs)) {
      // Re-read just before removing, so a lock that changed hands meanwhile is left alone.
      const again = await readFile(lockPath, 'utf8').catch(() => null);
      if (again === holder) await unlink(lockPath).catch(() => {});
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new LockTimeoutError(`another process has held ${lockPath} for over ${Math.round(timeoutMs / 1000)} s (${holder?.split(' ')[0] ? `pid ${holder.split(' ')[0]}` : 'unknown process'}); if no other Live Control Room is running, remove that file`);
    // Waiting on the other writer's lock file to go: short at first, a writer takes milliseconds.
    await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** Math.min(attempt, 5), 100)));
  }
}

function isStale(holder: string, staleMs: number): boolean {
  const [pidText, atText] = holder.trim().split(' ');
  const pid = Number(pidText);
  const at = Number(atText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isFinite(at)) return true;
  if (Date.now() - at > staleMs) return true;
  return !isAlive(pid);
}
