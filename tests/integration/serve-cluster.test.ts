/**
 * An agency's server (issue: many rooms on PostgreSQL and Redis): two real `lcr serve` processes
 * on one PostgreSQL store and one Redis share four rooms of a real relay (`lcr simulate`). The
 * second process's arrival takes rooms off the first (a handover); a desk on the second sees the
 * first's rooms live (pushes through Socket.IO's Redis adapter) and gets a room's detail from the
 * process holding it. Then the first is killed with SIGKILL mid-show: the second takes its rooms
 * when their leases lapse, continues from the store's cursors, and at the end every room's stored
 * events are exactly the relay's, and `lcr report` gives the figures computed from them.
 *
 * Runs in the postgres project (the store on PostgreSQL), with LCR_TEST_REDIS_URL (.ci/run starts Redis).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { lcr, lcrRun, type Proc } from '../helpers/processes.ts';
import { relayEvents } from '../helpers/relay-events.ts';
import { readStore } from '../helpers/engine.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import type { KnownFeedEvent } from '../../shared/protocol.ts';
import type { Push, Reply, RoomDetail } from '../../shared/contract.ts';

const redisUrl = process.env.LCR_TEST_REDIS_URL;
const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const ROOMS = ['shop-a', 'shop-b', 'shop-c', 'shop-d'];

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function start(args: string[], env: Record<string, string>): Proc {
  const p = lcr(args, env);
  cleanups.push(() => p.child.exitCode === null && p.child.kill('SIGKILL'));
  return p;
}

/** The rooms a process holds, from what it logs (took / given up / handed over). */
function held(p: Proc): Set<string> {
  const rooms = new Set<string>();
  for (const m of p.stderr().matchAll(/rooms: (?:took (\S+)|(\S+) is held by another process now|handed (\S+) over)/g)) {
    if (m[1]) rooms.add(m[1]);
    else rooms.delete((m[2] ?? m[3])!);
  }
  return rooms;
}

function desk(url: string): Promise<Socket> {
  const link = new URL(url);
  const socket = io(`${link.origin}/ui`, { auth: { token: link.searchParams.get('token') }, transports: ['websocket'], reconnection: false });
  cleanups.push(() => socket.close());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('lcr serve processes sharing rooms (PostgreSQL + Redis)', () => {
  it('hand rooms over, fan pushes out, and lose nothing when one is killed mid-show', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // The folder's own database (tests/helpers/on-postgres.ts): both processes store into it.
    const databaseUrl = process.env.LCR_DATABASE_URL;
    if (!redisUrl || !databaseUrl) throw new Error('needs LCR_TEST_REDIS_URL and the postgres project (.ci/run starts PostgreSQL and Redis)');
    // Four rooms of the same small show, each its own room id.
    const scenarios = ROOMS.map((roomId) => {
      const s = JSON.parse(readFileSync(tiny, 'utf8')) as { room: { roomId: string; title: string } };
      s.room.roomId = roomId;
      s.room.title = `店铺 ${roomId}`;
      const file = join(dir, `${roomId}.json`);
      writeFileSync(file, JSON.stringify(s));
      return file;
    });
    const token = 'cluster-relay-token';
    const sim = start(['simulate', '--scenario', scenarios.join(','), '--speed', '10', '--seed', '7', '--token', token], {});
    const relay = (await waitFor(() => /Relay: (\S+)/.exec(sim.stdout())?.[1], 'the relay'))!;

    const env = (name: string) => ({
      LCR_DATA_DIR: join(dir, name),
      LCR_DATABASE_URL: databaseUrl,
      LCR_REDIS_URL: redisUrl,
      LCR_LEASE_SEC: '2',
      LCR_HOST: '127.0.0.1',
    });
    const serve = (name: string) => start(['serve', '--feed', relay, '--token', token, '--rooms', ROOMS.join(','), '--port', '0'], env(name));
    const linkOf = async (p: Proc) => (await waitFor(() => /Control room: (\S+)/.exec(p.stdout())?.[1] ?? (p.child.exitCode !== null ? `exited: ${p.stderr()}` : null), 'the Control room line', 60_000))!;

    const first = serve('first');
    expect(await linkOf(first)).toMatch(/^http:/);
    await waitFor(() => held(first).size === 4, 'the first process holding all four rooms', 30_000);
    expect(first.stderr()).toContain('PostgreSQL at');
    expect(first.stderr()).not.toContain(':lcr@'); // the password stays out of the log

    // A second process joins: the first hands rooms over until each holds its share.
    const second = serve('second');
    const secondLink = await linkOf(second);
    await waitFor(() => held(first).size === 2 && held(second).size === 2, 'two rooms each', 30_000);
    expect([...held(first), ...held(second)].sort()).toEqual(ROOMS);

    // A desk on the second process: the first's rooms' figures reach it, and their detail comes from the first.
    const page = await desk(secondLink);
    const pushed = new Set<string>();
    page.on('push', (p: Push) => {
      if (p.topic === 'room') pushed.add(p.payload.roomId);
    });
    const theirs = [...held(first)];
    await waitFor(() => theirs.every((r) => pushed.has(r)), `pushes of ${theirs.join(', ')} on the second process's desk`, 20_000);
    const detail = (await page.timeout(20_000).emitWithAck('request', 'getRoom', { roomId: theirs[0] })) as Reply<RoomDetail>;
    expect(detail.ok ? { roomId: detail.value.roomId, minutes: detail.value.minutes.length > 0 } : detail).toEqual({ roomId: theirs[0], minutes: true });

    // Killed mid-show: the second takes the first's rooms once their leases lapse.
    const stored = readStore(dir);
    cleanups.push(() => stored.close());
    const count = () => (stored.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const atKill = count();
    expect(atKill).toBeGreaterThan(100);
    const endedAtKill = (stored.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL').get() as { n: number }).n;
    expect(endedAtKill).toBe(0); // mid-show: no room's show has ended yet
    first.child.kill('SIGKILL');
    await waitFor(() => held(second).size === 4, 'the second process holding all four rooms', 30_000);

    // The show ends in every room; the store holds exactly what the relay sent, and the report its figures.
    await waitFor(() => (stored.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL').get() as { n: number }).n === 4, 'all four shows ended in the store', 90_000);
    for (const roomId of ROOMS) {
      const sent = (await relayEvents(relay, token, roomId)) as unknown as KnownFeedEvent[];
      await waitFor(() => (stored.prepare('SELECT count(*) AS n FROM events WHERE room_id = ?').get(roomId) as { n: number }).n >= sent.length, `${roomId}'s events stored`, 20_000);
      const rows = stored.prepare('SELECT seq, body FROM events WHERE room_id = ? ORDER BY seq').all(roomId) as Array<{ seq: number; body: string }>;
      expect(rows.map((r) => r.seq)).toEqual(sent.map((e) => e.seq));
      expect(rows.map((r) => JSON.parse(r.body) as unknown)).toEqual(sent);
      const session = stored.prepare('SELECT session_id FROM sessions WHERE room_id = ?').all(roomId) as Array<{ session_id: string }>;
      expect(session).toHaveLength(1);
      const r = await lcrRun(['report', '--session', session[0]!.session_id, '--json'], env('reader'));
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { kpis: { breakEvenRoi: number | null }; minutes: unknown; products: unknown };
      // Computed here from the relay's events alone; the break-even ROI is the room's economics (an input, not an event figure).
      const agg = new SessionAggregator((sent[0] as { startedAt: number }).startedAt, { breakEvenRoi: report.kpis.breakEvenRoi });
      for (const e of sent) agg.ingest(e);
      const expected = JSON.parse(JSON.stringify(agg.snapshot(sent.at(-1)!.ts))) as { kpis: unknown; minutes: unknown; products: unknown };
      expect({ roomId, kpis: report.kpis, minutes: report.minutes, products: report.products }).toEqual({ roomId, kpis: expected.kpis, minutes: expected.minutes, products: expected.products });
    }

    // A clean stop gives the rooms back and exits 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
