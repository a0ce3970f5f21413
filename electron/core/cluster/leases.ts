/**
 * Which lcr serve process records which room, when several share the rooms (LCR_REDIS_URL).
 *
 * A room is held under a Redis key with an expiry (a lease): `SET key me NX PX ttl` takes a free
 * room, a script renews it only while it is still ours. A process that dies stops renewing; its
 * rooms fall free after the lease time and the others take them — the store's cursor says where
 * the dead one left off. Each process also keeps a member entry, so the rooms are shared fairly:
 * a process takes rooms up to its share (rooms ÷ live processes, rounded up) and, when a new
 * process joins, gives up one room per round above its share.
 *
 * When Redis cannot be reached the held rooms are kept (two processes recording the same room
 * write the same rows, which the store takes once; no process recording it would lose events);
 * a renewal that finds the room held by another process gives it up at once.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** The few Redis commands the leases use (node-redis's client has them). */
export interface LeaseRedis {
  set(key: string, value: string, opts: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zAdd(key: string, member: { score: number; value: string }): Promise<unknown>;
  zRemRangeByScore(key: string, min: number | string, max: number | string): Promise<unknown>;
  zCard(key: string): Promise<number>;
  zRem(key: string, member: string): Promise<unknown>;
}

export interface LeaseOptions {
  redis: LeaseRedis;
  /** What the rooms are shared under: the relay's identity (Core.feedKey). */
  feedKey: string;
  rooms: string[];
  /** How long a lease lives without renewal; renewed every third of it. */
  leaseMs: number;
  /** The rooms held changed: Core.setRooms. Awaited before the next round. */
  onChange: (held: string[]) => Promise<void>;
  log: (line: string) => void;
  now?: () => number;
}

// Renews our lease, or takes the room again when its lease lapsed meanwhile; 0 when another holds it.
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RoomLeases {
  /** This process, as the leases name it (host, pid and a random part: a restarted pid is another holder). */
  readonly me = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private redisDown = false;

  constructor(private readonly o: LeaseOptions) {}

  get rooms(): string[] {
    return [...this.held].sort();
  }

  private key(roomId: string): string {
    return `lcr:lease:${this.o.feedKey}:${roomId}`;
  }

  private get membersKey(): string {
    return `lcr:members:${this.o.feedKey}`;
  }

  /** The first round at once (so the process records what it can before it says it is serving), then every third of the lease time. */
  async start(): Promise<void> {
    await this.round();
    const every = Math.max(200, Math.floor(this.o.leaseMs / 3));
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.round().finally(() => (this.running = null));
    }, every);
    this.timer.unref();
  }

  /** One round: say we are alive, renew what we hold, take free rooms up to our share, give up one above it. */
  async round(): Promise<void> {
    if (this.stopped) return;
    const r = this.o.redis;
    const now = (this.o.now ?? Date.now)();
    const before = this.rooms.join(',');
    try {
      await r.zAdd(this.membersKey, { score: now, value: this.me });
      await r.zRemRangeByScore(this.membersKey, '-inf', now - this.o.leaseMs);
      const members = Math.max(1, await r.zCard(this.membersKey));
      for (const roomId of [...this.held]) {
        const kept = Number(await r.eval(RENEW, { keys: [this.key(roomId)], arguments: [this.me, String(this.o.leaseMs)] }));
        if (kept !== 1) {
          this.held.delete(roomId);
          this.o.log(`rooms: ${roomId} is held by another process now; given up`);
        }
      }
      const share = Math.ceil(this.o.rooms.length / members);
      for (const roomId of this.o.rooms) {
        if (this.held.size >= share) break;
        if (this.held.has(roomId)) continue;
        if ((await r.set(this.key(roomId), this.me, { NX: true, PX: this.o.leaseMs })) === 'OK') {
          this.held.add(roomId);
          this.o.log(`rooms: took ${roomId}`);
        }
      }
      // Above our share (a process joined): one room per round goes back, so the handovers are spread out.
      if (this.held.size > share) {
        const give = this.rooms.at(-1)!;
        await this.hand(give);
      }
      if (this.redisDown) this.o.log('rooms: Redis is reachable again');
      this.redisDown = false;
    } catch (e) {
      if (!this.redisDown) this.o.log(`rooms: Redis cannot be reached (${e instanceof Error ? e.message : String(e)}); keeping the rooms held: ${this.rooms.join(', ') || 'none'}`);
      this.redisDown = true;
    }
    if (this.rooms.join(',') !== before) await this.o.onChange(this.rooms);
  }

  /** Gives one room back after the core has put its figures on disk, so the next holder starts where this one stopped. */
  private async hand(roomId: string): Promise<void> {
    this.held.delete(roomId);
    await this.o.onChange(this.rooms);
    await this.o.redis.eval(RELEASE, { keys: [this.key(roomId)], arguments: [this.me] });
    this.o.log(`rooms: handed ${roomId} over (more processes share the rooms now)`);
  }

  /** A clean stop: every room given back at once (after the caller flushed the store), so the others take them without waiting for the leases to lapse. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    const r = this.o.redis;
    try {
      for (const roomId of this.held) await r.eval(RELEASE, { keys: [this.key(roomId)], arguments: [this.me] });
      await r.zRem(this.membersKey, this.me);
    } catch {
      // Redis gone: the leases lapse by themselves
    }
    this.held.clear();
  }
}
