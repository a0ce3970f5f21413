/**
 * `lcr serve` (CONTRACTS.md): the core headless as a long-running service, recording every
 * configured room around the clock — the sources start and end sessions as the rooms go live and
 * off — and serving the desks' pages like browser mode (the owner's `Control room:` link, teammates'
 * invite links). The rooms and sources come from the settings and the environment, or the flags of
 * `lcr record`. It never opens a browser; it stops on SIGINT/SIGTERM after flushing the store.
 */
import { serveControlRoom } from '../host/browser-main.ts';
import { databaseUrl, redactUrl } from '../store/db.ts';
import { SOURCE_FLAGS, UsageError, args, roomsFlag, settings, sourceFlag } from './common.ts';

export async function serveCmd(argv: string[]): Promise<number> {
  const v = args(argv, {
    ...SOURCE_FLAGS,
    host: { type: 'string' },
    port: { type: 'string' },
  });
  // Said plainly rather than quietly serving every room from one process where the agency expects several to share them.
  if (process.env.LCR_REDIS_URL) throw new UsageError('LCR_REDIS_URL is set, but this version of lcr serve does not share rooms between processes yet: unset it to serve every room from this one process');
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
  process.stderr.write(`lcr serve: the store is ${url ? `PostgreSQL at ${redactUrl(url)}` : `SQLite in ${config.dataDir}`}\n`);
  await serveControlRoom(config, { open: false, name: 'lcr serve' });
  // Runs until a signal: serveControlRoom's handler flushes the store and exits.
  return await new Promise<number>(() => undefined);
}
