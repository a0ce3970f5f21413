/**
 * Team mode over the real door (PRODUCT.md T1, T2): invite links made by 管理, opened by real
 * Socket.IO clients against a real core in browser mode. The server — not the page — refuses what
 * a role may not do and keeps from it the pushes it may not see; a revoked link is cut off; what a
 * teammate does is stored under their name and role; the 场控's message reaches the host's
 * screen and comes back acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { Core } from '../../electron/core/core.ts';
import { BrowserHost } from '../../electron/core/host/browser.ts';
import { Invites } from '../../electron/core/team/invites.ts';
import type { Push, Reply } from '../../shared/contract.ts';
import type { Me, NewInviteView, PromptMessage, TeamView } from '../../shared/team/contract.ts';
import { readStore } from '../helpers/engine.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;
let host: BrowserHost;
const sockets: Socket[] = [];

interface Page {
  socket: Socket;
  pushes: Push[];
  ask<T>(name: string, args?: unknown): Promise<Reply<T>>;
}

async function open(token: string): Promise<Page> {
  const u = new URL(host.url);
  const socket = io(`${u.origin}/ui`, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  const pushes: Push[] = [];
  socket.on('push', (p: Push) => pushes.push(p));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  return { socket, pushes, ask: (name, args = {}) => socket.timeout(10_000).emitWithAck('request', name, args) };
}

function value<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

let owner: Page;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '老板', operatorRole: 'controller' }));
  // Slow enough that the show stays live through the test.
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 2, noBackup: true });
  host = await BrowserHost.start(core, { host: '127.0.0.1', port: 0, staticDir });
  owner = await open(new URL(host.url).searchParams.get('token')!);
  await waitFor(async () => value(await owner.ask<{ rooms: Array<{ status: string }> }>('getOverview')).rooms.some((r) => r.status === 'live'), 'the show live');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await host?.stop();
  await core?.stop();
  cleanup?.();
});

async function invite(role: string, name: string, hours?: number): Promise<NewInviteView> {
  return value(await owner.ask<NewInviteView>('createInvite', { role, name, ...(hours ? { hours } : {}) }));
}

describe('team mode', () => {
  it('gives the owner 管理 under the settings name, and a link its own role and name', async () => {
    expect(value(await owner.ask<Me>('whoAmI'))).toEqual({ role: 'admin', name: '老板', inviteId: null });
    const inv = await invite('buyer', '阿杰', 8);
    expect(inv.url).toBe(`${new URL(host.url).origin}/?token=${inv.token}`);
    expect(inv.invite).toMatchObject({ role: 'buyer', name: '阿杰', revokedAt: null });
    expect(inv.invite.expiresAt! - inv.invite.createdAt).toBe(8 * 3600_000);
    const buyer = await open(inv.token);
    expect(value(await buyer.ask<Me>('whoAmI'))).toEqual({ role: 'buyer', name: '阿杰', inviteId: inv.invite.id });
    // Who is connected: the owner's page and 阿杰's.
    const team = value(await owner.ask<TeamView>('getTeam'));
    expect(team.connected.map((c) => c.role).sort()).toEqual(['admin', 'buyer']);
    expect(team.invites.find((i) => i.id === inv.invite.id)?.connected).toBe(1);
    // Only its hash is stored.
    const db = readStore(dir);
    try {
      const row = db.prepare('SELECT * FROM invites WHERE id = ?').get(inv.invite.id) as Record<string, unknown>;
      expect(JSON.stringify(row)).not.toContain(inv.token);
    } finally {
      db.close();
    }
  });

  it('refuses on the server what a role may not do, and lets it do its own work', async () => {
    const buyer = await open((await invite('buyer', '阿杰')).token);
    const pin = await buyer.ask('sendCommand', { roomId: 'test-tiny', command: { type: 'pin', productId: 'bea-mask' } });
    expect(pin).toEqual({ ok: false, error: expect.stringMatching(/你的角色（投手）不能做这件事.*sendCommand/) });
    expect((await buyer.ask('getSettings')).ok).toBe(false);
    expect((await buyer.ask('createInvite', { role: 'admin' })).ok).toBe(false);
    expect((await buyer.ask('getAdConsole', { roomId: 'test-tiny' })).ok).toBe(true);
    const host = await open((await invite('host', '小美')).token);
    for (const n of ['getAlerts', 'getAdConsole', 'listSessions']) expect((await host.ask(n, n === 'getAlerts' ? {} : n === 'listSessions' ? {} : { roomId: 'test-tiny' })).ok, n).toBe(false);
    expect((await host.ask('getRoom', { roomId: 'test-tiny' })).ok).toBe(true);
    const assistant = await open((await invite('assistant', '小林')).token);
    expect((await assistant.ask('addNote', { sessionId: 'x', text: 'hi' })).ok).toBe(false);
    expect((await assistant.ask('getRoom', { roomId: 'test-tiny' })).ok).toBe(true);
  });

  it('sends each role only its pushes: the host screen gets the room, never the ad console', async () => {
    const host = await open((await invite('host', '小美')).token);
    const buyer = await open((await invite('buyer', '阿杰')).token);
    await waitFor(() => buyer.pushes.some((p) => p.topic === 'ads') && host.pushes.filter((p) => p.topic === 'room').length >= 3, 'ad console pushes to the buyer, room pushes to the host', 30_000);
    expect(host.pushes.filter((p) => p.topic === 'ads' || p.topic === 'alert' || p.topic === 'connection' || p.topic === 'team')).toEqual([]);
    expect(buyer.pushes.some((p) => p.topic === 'team')).toBe(false);
  });

  it('logs what a teammate does under their name and role, and carries the 场控 message to the host and back', async () => {
    const operator = await open((await invite('operator', '小王')).token);
    const host = await open((await invite('host', '小美')).token);
    expect((await host.ask('sendPrompt', { roomId: 'test-tiny', text: '讲一下尺码' })).ok).toBe(false);
    const sent = value(await operator.ask<PromptMessage>('sendPrompt', { roomId: 'test-tiny', text: '  讲一下尺码 ' }));
    expect(sent).toMatchObject({ text: '讲一下尺码', byName: '小王', byRole: 'controller', ackedAt: null });
    await waitFor(() => host.pushes.some((p) => p.topic === 'prompt' && p.payload.id === sent.id), 'the message on the prompt screen');
    const acked = value(await host.ask<PromptMessage>('ackPrompt', { id: sent.id }));
    expect(acked).toMatchObject({ id: sent.id, ackedBy: '小美' });
    await waitFor(() => operator.pushes.some((p) => p.topic === 'prompt' && p.payload.id === sent.id && p.payload.ackedAt !== null), 'the acknowledgement back at the 场控');
    // A second tap changes nothing.
    expect(value(await host.ask<PromptMessage>('ackPrompt', { id: sent.id })).ackedAt).toBe(acked.ackedAt);
    expect(value(await host.ask<PromptMessage[]>('getPrompts', { roomId: 'test-tiny' }))[0]).toMatchObject({ id: sent.id, ackedBy: '小美' });
    // The report's actions carry the message, who sent it and who acknowledged it.
    const report = value(await owner.ask<{ actions: Array<Record<string, unknown>> }>('getReport', { sessionId: sent.sessionId! }));
    expect(report.actions.find((a) => a.type === 'prompt')).toMatchObject({ id: sent.id, text: '讲一下尺码', byName: '小王', byRole: 'controller', ackedBy: '小美' });
    // A note by 小王 is stored as his.
    const note = value(await operator.ask<{ byName: string | null }>('addNote', { sessionId: sent.sessionId!, minute: 1, text: '这里讲尺码' }));
    expect(note.byName).toBe('小王');
    // The 投手's ad change is in the action log as his, as 投手.
    const buyer = await open((await invite('buyer', '阿杰')).token);
    await waitFor(async () => value(await buyer.ask<{ plans: Array<{ planId: string }> } | null>('getAdConsole', { roomId: 'test-tiny' }))?.plans.some((p) => p.planId === 'qc-beauty-daily') ?? false, 'the ad plan in the console', 60_000);
    const action = value(await buyer.ask<{ byName: string | null; byRole: string | null }>('adAction', { roomId: 'test-tiny', planId: 'qc-beauty-daily', type: 'adPause', reason: '测试' }));
    expect(action).toMatchObject({ byName: '阿杰', byRole: 'adBuyer' });
    // The owner, meanwhile, still acts under the settings' name.
    expect(value(await owner.ask<{ byName: string | null }>('addNote', { sessionId: sent.sessionId!, minute: 1, text: '好' })).byName).toBe('老板');
  });

  it('cuts a revoked link at once, and one revoked from the command line within seconds', async () => {
    const inv = await invite('assistant', '临时工');
    const page = await open(inv.token);
    const closed = new Promise<void>((r) => page.socket.once('disconnect', () => r()));
    value(await owner.ask('revokeInvite', { id: inv.invite.id }));
    await closed;
    await expect(open(inv.token)).rejects.toThrow(/unauthorized/);
    // lcr invite --revoke writes the table; the running app notices.
    const inv2 = await invite('assistant', '另一个');
    const page2 = await open(inv2.token);
    const closed2 = new Promise<void>((r) => page2.socket.once('disconnect', () => r()));
    const db = openDatabase(dir);
    try {
      new Invites(db).revoke(inv2.invite.id);
    } finally {
      db.close();
    }
    await closed2;
    // An expired link is refused like a revoked one.
    const db2 = openDatabase(dir);
    let expired: string;
    try {
      expired = new Invites(db2, () => Date.now() - 2 * 3600_000).create({ role: 'operator', name: '过期', hours: 1 }).token;
    } finally {
      db2.close();
    }
    await expect(open(expired)).rejects.toThrow(/unauthorized/);
    await expect(open('not-a-token-at-all-but-long-enough')).rejects.toThrow(/unauthorized/);
  });
});
