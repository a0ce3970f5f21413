/**
 * `lcr serve` as a server runs it: a real process following a relay, recording a room through
 * two shows (live, off, live again) and serving desks over its printed link and an invite from
 * `lcr invite`; SIGTERM flushes and exits 0 and the store holds both shows exactly. It refuses a
 * database or Redis URL it cannot use rather than recording somewhere else.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { lcr, lcrRun, type Proc } from '../helpers/processes.ts';
import { ScriptedRelay, T0, room } from '../helpers/scripted-relay.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import type { Reply } from '../../shared/contract.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function desk(url: string, token: string): Promise<Socket> {
  const socket = io(`${url}/ui`, { auth: { token }, transports: ['websocket'], reconnection: false });
  cleanups.push(() => socket.close());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function ask<T>(s: Socket, name: string, args: unknown = {}): Promise<T> {
  const r = (await s.timeout(10_000).emitWithAck('request', name, args)) as Reply<T>;
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('lcr serve', () => {
  it('records a room through its shows around the clock and serves the desks, then stops cleanly', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = new ScriptedRelay('relay-secret');
    relay.rooms = [room('r1')];
    await relay.listen();
    cleanups.push(() => relay.close());
    const serve: Proc = lcr(['serve', '--feed', relay.url, '--token', 'relay-secret', '--rooms', 'r1', '--port', '0'], { LCR_DATA_DIR: dir, LCR_HOST: '127.0.0.1' });
    cleanups.push(() => serve.child.exitCode === null && serve.child.kill('SIGKILL'));
    const link = new URL(await waitFor(() => /Control room: (\S+)/.exec(serve.stdout())?.[1] ?? (serve.child.exitCode !== null ? 'exited' : null), 'the Control room line', 60_000));
    expect(link.href, serve.stderr()).not.toBe('exited');
    expect(serve.stderr()).not.toContain('relay-secret');
    const owner = await desk(link.origin, link.searchParams.get('token')!);
    await waitFor(() => relay.subscribes.length >= 1, 'subscribed');
    // First show.
    relay.send('r1', [
      { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: '早场' },
      { seq: 2, ts: T0 + 1000, type: 'viewers', online: 100 },
      { seq: 3, ts: T0 + 2000, type: 'order', orderId: 'o1', productId: 'p1', qty: 1, amountFen: 9900, status: 'paid' },
      { seq: 4, ts: T0 + 60_000, type: 'session', status: 'ended', startedAt: T0, title: '早场' },
    ]);
    // The room goes live again: a second show.
    const T1 = T0 + 3600_000;
    relay.send('r1', [
      { seq: 5, ts: T1, type: 'session', status: 'live', startedAt: T1, title: '晚场' },
      { seq: 6, ts: T1 + 1000, type: 'order', orderId: 'o2', productId: 'p1', qty: 2, amountFen: 19_800, status: 'paid' },
    ]);
    await waitFor(async () => (await ask<{ rooms: Array<{ session: { title: string } | null; status: string }> }>(owner, 'getOverview')).rooms.some((r) => r.session?.title === '晚场' && r.status === 'live'), 'the second show live on the desk');
    // A teammate's link from the CLI points at this server.
    const inv = await lcrRun(['invite', '--role', 'assistant', '--name', '小林', '--json'], { LCR_DATA_DIR: dir });
    expect(inv.code, inv.stderr).toBe(0);
    const { url } = JSON.parse(inv.stdout) as { url: string };
    expect(url.startsWith(`${link.origin}/?token=`)).toBe(true);
    const teammate = await desk(link.origin, new URL(url).searchParams.get('token')!);
    expect(await ask<{ role: string }>(teammate, 'whoAmI')).toMatchObject({ role: 'assistant' });
    // SIGTERM: flushed, exit 0, both shows in the store with their orders.
    serve.child.kill('SIGTERM');
    expect(await serve.exited, serve.stderr()).toBe(0);
    const sessions = JSON.parse((await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: dir })).stdout) as Array<{ sessionId: string; title: string; endedAt: number | null }>;
    expect(sessions.map((s) => s.title).sort()).toEqual(['早场', '晚场']);
    expect(sessions.find((s) => s.title === '早场')?.endedAt).toBe(T0 + 60_000);
    for (const [title, gmv] of [['早场', 9900], ['晚场', 19_800]] as const) {
      const id = sessions.find((s) => s.title === title)!.sessionId;
      const report = JSON.parse((await lcrRun(['report', '--session', id, '--json'], { LCR_DATA_DIR: dir })).stdout) as { kpis: { gmvFen: number } };
      expect(report.kpis.gmvFen, title).toBe(gmv);
    }
  }, 120_000);

  it('stops with one line naming an unreachable PostgreSQL, without its password, before recording anything', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // Port 1 on loopback: nothing listens there.
    const r = await lcrRun(['serve', '--port', '0'], { LCR_DATA_DIR: dir, LCR_DATABASE_URL: 'postgres://lcr:sekret-pw@127.0.0.1:1/lcr' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the PostgreSQL store \(LCR_DATABASE_URL, postgres:\/\/lcr:\*\*\*@127\.0\.0\.1:1\/lcr\) cannot be opened/);
    expect(r.stderr + r.stdout).not.toContain('sekret-pw');
    expect(r.stdout).not.toContain('Control room:');
  });

  it('refuses to share rooms through Redis without a shared store, a relay or a list of rooms, before recording anything', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const redis = { LCR_DATA_DIR: dir, LCR_REDIS_URL: 'redis://:pw-not-printed@127.0.0.1:1' };
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['serve', '--feed', 'http://127.0.0.1:9', '--rooms', 'a'], { ...redis, LCR_DATABASE_URL: '' }, /must share one store: set LCR_DATABASE_URL/],
      [['serve', '--rooms', 'a'], { ...redis, LCR_DATABASE_URL: 'postgres://lcr@127.0.0.1:1/lcr' }, /shares the rooms of a relay .* --feed URL/],
      [['serve', '--feed', 'http://127.0.0.1:9'], { ...redis, LCR_DATABASE_URL: 'postgres://lcr@127.0.0.1:1/lcr', LCR_ROOMS: '' }, /give them with --rooms/],
    ];
    for (const [argv, env, says] of cases) {
      const r = await lcrRun(argv, env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(says);
      expect(r.stderr + r.stdout).not.toContain('pw-not-printed');
    }
  });
});
