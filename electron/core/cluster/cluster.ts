/**
 * Several `lcr serve` processes sharing an agency's rooms (LCR_REDIS_URL, docs/server.md): their
 * store is one PostgreSQL database, each room is recorded by one process at a time (leases.ts),
 * and the desks may connect to any process — Socket.IO's Redis adapter carries a room's pushes to
 * every process's desks, and a request about a room another process holds is answered by that
 * process (Socket.IO's server-side emit with acknowledgement, over the same adapter).
 */
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-adapter';
import { RoomLeases, type LeaseRedis } from './leases.ts';
import type { Core } from '../core.ts';
import { redactSecrets, urlWithoutPassword } from '../secrets/redact.ts';

/** How long a room's lease lives without renewal by default: a dead process's rooms are taken within this long. */
export const DEFAULT_LEASE_MS = 15_000;

export interface SharedRooms {
  /** Socket.IO's Redis adapter, for the browser host's server. */
  adapter: ReturnType<typeof createAdapter>;
  /** The rooms shared between the processes (the configured ones). */
  rooms: string[];
  /** Takes this process's share of the rooms now and keeps it; the core follows the leases. */
  start(core: Core): Promise<void>;
  /** The rooms held by this process. */
  held(): string[];
  /** After the core stopped (its writes on disk): the rooms given back, Redis closed. */
  stop(): Promise<void>;
}

export async function joinRedis(o: { url: string; rooms: string[]; leaseMs?: number; log: (line: string) => void }): Promise<SharedRooms> {
  const say = (line: string) => o.log(redactSecrets(line));
  const pub = createClient({ url: o.url, socket: { reconnectStrategy: (n) => Math.min(5_000, 200 * 2 ** n) } });
  const sub = pub.duplicate();
  // node-redis reports a lost connection as an error event: logged once per kind, never thrown (it reconnects by itself).
  let lastError = '';
  for (const c of [pub, sub])
    c.on('error', (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      if (text !== lastError) say(`redis: ${text}`);
      lastError = text;
    });
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (e) {
    await Promise.allSettled([pub.disconnect(), sub.disconnect()]);
    throw new Error(`Redis (LCR_REDIS_URL, ${urlWithoutPassword(o.url)}) cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
  // requestsTimeout: how long a request about a room another process holds may take there (an export, a report).
  const adapter = createAdapter(pub, sub, { key: 'lcr', requestsTimeout: 15_000 });
  let leases: RoomLeases | null = null;
  return {
    adapter,
    rooms: o.rooms,
    async start(core) {
      leases = new RoomLeases({
        redis: pub as unknown as LeaseRedis,
        feedKey: core.feedKey,
        rooms: o.rooms,
        leaseMs: o.leaseMs ?? DEFAULT_LEASE_MS,
        onChange: (held) => core.setRooms(held),
        log: say,
      });
      await leases.start();
    },
    held: () => leases?.rooms ?? [],
    async stop() {
      await leases?.stop();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
