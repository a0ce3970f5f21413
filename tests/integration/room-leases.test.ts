/**
 * The room leases lcr serve processes share rooms by (cluster/leases.ts), on a real Redis
 * (LCR_TEST_REDIS_URL; .ci/run starts one): a fair share, handovers one room per round when a
 * process joins, a silent process's rooms taken once its leases lapse, a Redis outage that keeps
 * the rooms, a room found held by another afterwards given up, a clean stop that frees them at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { RoomLeases, type LeaseRedis } from '../../electron/core/cluster/leases.ts';
import { waitFor } from '../helpers/util.ts';

const url = process.env.LCR_TEST_REDIS_URL;
let redis: ReturnType<typeof createClient>;

beforeAll(async () => {
  if (!url) throw new Error('LCR_TEST_REDIS_URL is not set (.ci/run starts Redis and sets it; docs/testing.md)');
  redis = createClient({ url });
  await redis.connect();
});
afterAll(async () => {
  await redis?.quit();
});

const ROOMS = ['r1', 'r2', 'r3', 'r4', 'r5'];

/** A process's leases, its room set as the core would hold it, and a switch that makes its Redis unreachable. */
function process_(feedKey: string, leaseMs: number) {
  const state = { held: [] as string[], changes: 0, down: false, log: [] as string[] };
  const real = redis as unknown as LeaseRedis;
  const flaky = new Proxy(real, {
    get(target, name: keyof LeaseRedis) {
      const f = target[name] as (...a: unknown[]) => Promise<unknown>;
      return (...a: unknown[]) => (state.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : f.apply(target, a));
    },
  });
  const leases = new RoomLeases({
    redis: flaky,
    feedKey,
    rooms: ROOMS,
    leaseMs,
    onChange: async (held) => {
      state.held = held;
      state.changes++;
    },
    log: (l) => state.log.push(l),
  });
  return { leases, state };
}

describe('room leases on Redis', () => {
  it('share the rooms fairly, hand over one per round, and take a silent process’s rooms once its leases lapse', async () => {
    const feedKey = `test-${randomBytes(4).toString('hex')}`;
    const a = process_(feedKey, 1500);
    const b = process_(feedKey, 1500);
    await a.leases.round();
    expect(a.state.held).toEqual(ROOMS);
    // B joins: nothing free yet; A gives one back per round until each holds its share (3 and 2).
    await b.leases.round();
    expect(b.state.held).toEqual([]);
    await a.leases.round();
    expect(a.state.held).toHaveLength(4);
    await b.leases.round();
    await a.leases.round();
    await b.leases.round();
    expect(a.state.held).toHaveLength(3);
    expect(b.state.held).toHaveLength(2);
    expect([...a.state.held, ...b.state.held].sort()).toEqual(ROOMS);
    // A stops renewing (killed): once its leases lapse, B holds every room.
    await waitFor(async () => {
      await b.leases.round();
      return b.state.held.length === 5;
    }, 'B taking A’s rooms', 10_000, 200);
    expect(b.state.log.filter((l) => l.startsWith('rooms: took'))).toHaveLength(5);
    await b.leases.stop();
  });

  it('keeps its rooms through a Redis outage, gives up one held by another afterwards, and frees the rest at once on a clean stop', async () => {
    const feedKey = `test-${randomBytes(4).toString('hex')}`;
    const a = process_(feedKey, 60_000);
    await a.leases.round();
    expect(a.state.held).toEqual(ROOMS);
    a.state.down = true;
    const changes = a.state.changes;
    await a.leases.round();
    await a.leases.round();
    expect(a.state.held).toEqual(ROOMS);
    expect(a.state.changes).toBe(changes);
    expect(a.state.log.filter((l) => /Redis cannot be reached/.test(l))).toHaveLength(1); // said once, not every round
    // Meanwhile r2's lease went to another process.
    await redis.set(`lcr:lease:${feedKey}:r2`, 'another-host:1:abcd');
    a.state.down = false;
    await a.leases.round();
    expect(a.state.held).toEqual(['r1', 'r3', 'r4', 'r5']);
    expect(a.state.log).toContain('rooms: r2 is held by another process now; given up');
    // A clean stop: its rooms are free now, not after the lease time (a minute here).
    await a.leases.stop();
    const b = process_(feedKey, 60_000);
    await redis.del(`lcr:lease:${feedKey}:r2`);
    await b.leases.round();
    expect(b.state.held).toEqual(ROOMS);
    await b.leases.stop();
  });
});
