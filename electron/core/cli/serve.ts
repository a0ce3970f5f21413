/**
 * `lcr serve` (CONTRACTS.md): the core headless as a long-running service, recording every
 * configured room around the clock — the sources start and end sessions as the rooms go live and
 * off — and serving the desks' pages like browser mode (the owner's `Control room:` link, teammates'
 * invite links). The rooms and sources come from the settings and the environment, or the flags of
 * `lcr record`. It never opens a browser; it stops on SIGINT/SIGTERM after flushing the store.
 */
import { serveControlRoom } from '../host/browser-main.ts';
import { databaseUrl } from '../store/db.ts';
import { urlWithoutPassword } from '../secrets/redact.ts';
import { DEFAULT_LEASE_MS, joinRedis } from '../cluster/cluster.ts';
import { SOURCE_FLAGS, UsageError, args, roomsFlag, settings, sourceFlag } from './common.ts';

export async function serveCmd(argv: string[]): Promise<number> {
  const v = args(argv, {
    ...SOURCE_FLAGS,
    host: { type: 'string' },
    port: { type: 'string' },
  });
  const config = settings();
  if (v.source !== undefined) ({ kind: config.sourceKind, also: config.alsoSources } = sourceFlag(v.source));
  if (v.feed !== undefined) {
    if (config.sourceKind === 'feed') config.feedUrl = v.feed;
    else config.sourceAddress = v.feed;
  }
  if (v.token !== undefined) config.feedToken = v.token;
  if (v.rooms !== undefined) config.rooms = roomsFlag(v.rooms);
  if (v.orders !== undefined) config.ordersFile = v.orders;
  if (v.host !== undefined) config.host = v.host;
  if (v.port !== undefined) {
    const port = Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number (got "${v.port}")`);
    config.port = port;
  }
  const url = databaseUrl();
  const redisUrl = process.env.LCR_REDIS_URL?.trim();
  if (redisUrl) sharingCheck(config, url);
  process.stderr.write(`lcr serve: the store is ${url ? `PostgreSQL at ${urlWithoutPassword(url)}` : `SQLite in ${config.dataDir}`}\n`);
  const shared = redisUrl ? await joinRedis({ url: redisUrl, rooms: config.rooms!, leaseMs: leaseMs(), log: (l) => console.error(l) }) : undefined;
  if (redisUrl) process.stderr.write(`lcr serve: sharing rooms ${config.rooms!.join(', ')} with the other processes through Redis at ${urlWithoutPassword(redisUrl)}\n`);
  await serveControlRoom(config, { open: false, name: 'lcr serve', shared });
  // Runs until a signal: serveControlRoom's handler flushes the store and exits.
  return await new Promise<number>(() => undefined);
}

/**
 * What sharing rooms between processes needs, said before anything starts: one store for all of
 * them (PostgreSQL), a relay every process can follow (the rooms' identities and cursors must be
 * the same in each), and the list of rooms to share.
 */
function sharingCheck(config: ReturnType<typeof settings>, databaseUrl: string | null): void {
  if (!databaseUrl) throw new UsageError('LCR_REDIS_URL shares the rooms between lcr serve processes, which must share one store: set LCR_DATABASE_URL too (docs/server.md)');
  if (config.sourceKind !== 'feed' || !config.feedUrl) throw new UsageError('LCR_REDIS_URL shares the rooms of a relay between lcr serve processes: give it with --feed URL (real sources: run them once with lcr relay and point the processes at it; docs/server.md)');
  if (!config.rooms?.length) throw new UsageError('LCR_REDIS_URL shares a list of rooms between lcr serve processes: give them with --rooms or LCR_ROOMS');
}

/** LCR_LEASE_SEC: how long a dead process's rooms wait before another takes them (default 15 s). */
function leaseMs(): number {
  const raw = process.env.LCR_LEASE_SEC;
  if (raw === undefined || raw === '') return DEFAULT_LEASE_MS;
  const sec = Number(raw);
  if (!Number.isFinite(sec) || sec < 1 || sec > 600) throw new UsageError(`LCR_LEASE_SEC must be a number of seconds from 1 to 600 (got "${raw}")`);
  return Math.round(sec * 1000);
}
