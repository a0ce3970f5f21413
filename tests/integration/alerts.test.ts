/**
 * Alerts and demand signals through the real core: a scripted relay on loopback → core → alert push, requests,
 * the SQLite file, the report; targets across a restart. Waits on what the core did, never sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { DEFAULT_TARGETS, type Alert, type DemandSummary, type Push, type RoomTargets } from '../../shared/contract.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';
import { readStore } from '../helpers/engine.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const SESSION = `r1@${T0}`;

async function startCore(dir: string, url: string): Promise<{ core: Core; pushes: Push[] }> {
  const core = await Core.start({ dataDir: dir, feedUrl: url, noBackup: true, pushIntervalMs: 50 });
  cleanups.push(() => core.stop());
  const pushes: Push[] = [];
  core.onPush((p) => pushes.push(p));
  return { core, pushes };
}

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}

/** A room live at 1 000 online, its alert rules judged up to 1:00 (they run in the tick that pushes the products). */
async function showJudgedToOneMinute(): Promise<{ relay: ScriptedRelay; core: Core; pushes: Push[] }> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const relay = new ScriptedRelay();
  relay.rooms = [room('r1')];
  await relay.listen();
  cleanups.push(() => relay.close());
  const { core, pushes } = await startCore(dir, relay.url);
  await waitFor(() => relay.subscribes.length === 1, 'subscribed');
  relay.send('r1', [
    { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: '测试专场' },
    { seq: 2, ts: T0 + 1000, type: 'viewers', online: 1000 },
    { seq: 3, ts: T0 + 60_000, type: 'viewers', online: 990 },
  ]);
  await waitFor(() => pushes.some((p) => p.topic === 'room' && p.payload.products !== undefined && p.payload.view.windowEnd === T0 + 60_000), 'a tick at 1:00');
  return { relay, core, pushes };
}

describe('alerts and demand in the core', () => {
  it('pushes an onlineDrop alert, lists it, stores its acknowledgement, reports it; targets survive a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    cleanups.push(() => relay.close());

    const first = await startCore(dir, relay.url);
    const core = first.core;
    await waitFor(() => relay.subscribes.length === 1, 'subscribed');
    // 1000 online through minute 0, then 550 at 1:10 — a 45 % fall within 2 minutes.
    relay.send('r1', [
      { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: '测试专场' },
      { seq: 2, ts: T0 + 500, type: 'catalog', products: [{ id: 'mask', title: '玻尿酸补水保湿面膜 10片装', priceFen: 9900, stock: 1000 }] },
      { seq: 3, ts: T0 + 1000, type: 'viewers', online: 1000 },
      { seq: 4, ts: T0 + 2000, type: 'pin', productId: 'mask' },
      { seq: 5, ts: T0 + 3000, type: 'comment', text: '上链接', nickname: '小王' },
      { seq: 6, ts: T0 + 4000, type: 'comment', text: '面膜多少钱', nickname: '小李' },
      { seq: 7, ts: T0 + 30_000, type: 'viewers', online: 980 },
      { seq: 8, ts: T0 + 60_000, type: 'viewers', online: 900 },
    ]);
    await waitFor(() => core.diagnostics().store.eventsStored === 8, 'the first events stored');
    // Demand: both comments count for the mask (one by name, one by the pin), pushed and in the room detail.
    const demand = await waitFor(
      () => first.pushes.findLast((p): p is Extract<Push, { topic: 'demand' }> => p.topic === 'demand' && p.payload.demand.recent.length === 2)?.payload.demand,
      'a demand push',
    );
    // All eight events arrive in one batch, so the window already ends at 1:00: minute 0 is the last complete one.
    expect(demand.products).toEqual([{ productId: 'mask', title: '玻尿酸补水保湿面膜 10片装', count: 2, lastMinute: 2 }]);
    expect(demand.perMinute).toEqual([2, 0]);
    expect(demand.words.map((w) => w.word).sort()).toEqual(['上链接', '多少钱']);
    expect((core.roomDetail('r1').demand as DemandSummary).recent.map((c) => c.text)).toEqual(['上链接', '面膜多少钱']);
    // 900 is only −10 %: nothing yet.
    expect(first.pushes.some((p) => p.topic === 'alert')).toBe(false);

    // 550 at 1:10 is a 45 % fall; a fall counts once it has lasted 30 s of show time.
    relay.send('r1', [{ seq: 9, ts: T0 + 70_000, type: 'viewers', online: 550 }]);
    await waitFor(() => core.diagnostics().store.eventsStored === 9, 'the fall stored');
    await waitFor(() => first.pushes.some((p) => p.topic === 'room' && p.payload.products !== undefined && (p.payload.view.windowEnd ?? 0) >= T0 + 70_000), 'an evaluated pass');
    expect(first.pushes.some((p) => p.topic === 'alert')).toBe(false);
    relay.send('r1', [{ seq: 10, ts: T0 + 100_000, type: 'viewers', online: 560 }]);
    const alert = await waitFor(() => first.pushes.find((p): p is Extract<Push, { topic: 'alert' }> => p.topic === 'alert')?.payload, 'an alert push');
    expect(alert).toEqual({
      id: `${SESSION}:onlineDrop::1`,
      roomId: 'r1',
      sessionId: SESSION,
      kind: 'onlineDrop',
      ts: T0 + 100_000,
      minute: 1,
      params: { from: 1000, to: 560, windowMin: 2 },
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedRole: null,
      // Named by the show's title wherever the room is not in the run (the store joins it back).
      showTitle: '测试专场',
    } satisfies Alert);

    const listed = await ok<Alert[]>(core.request('getAlerts', { roomId: 'r1' }));
    expect(listed.map((a) => a.id)).toEqual([alert.id]);
    expect(await ok<Alert[]>(core.request('getAlerts', { roomId: 'nope' }))).toEqual([]);

    const before = Date.now();
    // A script may name who; a desk's role comes from its settings.
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '小张', operatorRole: 'controller' }));
    const acked = await ok<Alert>(core.request('ackAlert', { id: alert.id, by: '场控小张' }));
    expect(acked).toMatchObject({ acknowledgedBy: '场控小张', acknowledgedRole: 'controller' });
    expect(acked.acknowledgedAt).toBeGreaterThanOrEqual(before);
    expect(first.pushes.some((p) => p.topic === 'alert' && p.payload.id === alert.id && p.payload.acknowledgedAt !== null)).toBe(true);
    expect((await ok<Alert[]>(core.request('getAlerts', {})))[0]?.acknowledgedBy).toBe('场控小张');
    const bad = await core.request('ackAlert', { id: 'no-such-alert' });
    expect(bad.ok).toBe(false);

    // Targets: the defaults until set; a bad value is refused by the schema.
    expect(await ok<RoomTargets>(core.request('getTargets', { roomId: 'r1' }))).toEqual(DEFAULT_TARGETS);
    const mine: RoomTargets = { ...DEFAULT_TARGETS, ctr: 0.05, onlineDropPct: 0.4, sound: true };
    expect(await ok<RoomTargets>(core.request('setTargets', { roomId: 'r1', targets: mine }))).toEqual(mine);
    expect((await core.request('setTargets', { roomId: 'r1', targets: { ...mine, tolerance: 2 } })).ok).toBe(false);

    await core.flush();
    // The acknowledgement is in the file, read through a separate connection as another process would.
    const raw = readStore(dir);
    const row = raw.prepare('SELECT kind, params, acknowledged_at, acknowledged_by, acknowledged_role FROM alerts WHERE id = ?').get(alert.id) as {
      kind: string;
      params: string;
      acknowledged_at: number;
      acknowledged_by: string;
      acknowledged_role: string;
    };
    raw.close();
    expect(row).toEqual({ kind: 'onlineDrop', params: JSON.stringify(alert.params), acknowledged_at: acked.acknowledgedAt, acknowledged_by: '场控小张', acknowledged_role: 'controller' });

    const db = openDatabase(dir);
    const report = buildReport(new StoreReader(db), SESSION);
    db.close();
    expect(report.alerts).toEqual([acked]);
    expect(report.actions).toEqual([]);

    // Restart on the same data folder: targets come back from the store; the stored alert is not raised again.
    await core.stop();
    // The relay says where its numbering stands, as a real one would after sending seq 1–9.
    relay.rooms = [room('r1', 10)];
    const second = await startCore(dir, relay.url);
    await waitFor(() => relay.subscribes.length === 2, 'subscribed again');
    expect(await ok<RoomTargets>(second.core.request('getTargets', { roomId: 'r1' }))).toEqual(mine);
    relay.rooms = [room('r1', 11)];
    relay.send('r1', [{ seq: 11, ts: T0 + 140_000, type: 'viewers', online: 540 }]);
    // A product push comes out of the same once-a-second pass that evaluates the rules, after them.
    await waitFor(() => second.core.diagnostics().store.eventsStored === 1, 'the new event stored');
    await waitFor(() => second.pushes.some((p) => p.topic === 'room' && p.payload.products !== undefined && (p.payload.view.windowEnd ?? 0) >= T0 + 140_000), 'an evaluated pass');
    expect(second.pushes.filter((p) => p.topic === 'alert')).toEqual([]);
    const after = await ok<Alert[]>(second.core.request('getAlerts', { roomId: 'r1' }));
    expect(after).toEqual([acked]);
    // The demand counter was rebuilt from the stored comments.
    expect(second.core.roomDetail('r1').demand?.products[0]).toMatchObject({ productId: 'mask', count: 2 });
  });

  it('judges a drop that arrives whole between two ticks, every 15 s of show time (a sped-up or loaded core must not step over the 30 s hold)', async () => {
    const { relay, core, pushes } = await showJudgedToOneMinute();
    // 55 % down at 1:10, still down at 1:50 — all in one batch, then nothing more: one tick sees it all.
    relay.send('r1', [
      { seq: 4, ts: T0 + 70_000, type: 'viewers', online: 450 },
      { seq: 5, ts: T0 + 90_000, type: 'viewers', online: 455 },
      { seq: 6, ts: T0 + 110_000, type: 'viewers', online: 452 },
    ]);
    const alert = await waitFor(() => pushes.find((p): p is Extract<Push, { topic: 'alert' }> => p.topic === 'alert'), 'the drop raised without another event');
    expect(alert.payload.kind).toBe('onlineDrop');
    expect(core.listAlerts('r1')).toHaveLength(1);
  });

  it('judges every 15 s of a long gap too: a drop in the middle of a 9-minute catch-up burst is raised', async () => {
    const { relay, core, pushes } = await showJudgedToOneMinute();
    // 1:00 → 10:00 in one batch: down 55 % from 5:10 to 8:00, back to normal at the end.
    const min = 60_000;
    relay.send('r1', [
      { seq: 4, ts: T0 + 4 * min, type: 'viewers', online: 1000 },
      { seq: 5, ts: T0 + 5 * min + 10_000, type: 'viewers', online: 450 },
      { seq: 6, ts: T0 + 6 * min, type: 'viewers', online: 452 },
      { seq: 7, ts: T0 + 8 * min, type: 'viewers', online: 1000 },
      { seq: 8, ts: T0 + 10 * min, type: 'viewers', online: 1005 },
    ]);
    const alert = await waitFor(() => pushes.find((p): p is Extract<Push, { topic: 'alert' }> => p.topic === 'alert'), 'the drop inside the burst raised');
    expect(alert.payload.kind).toBe('onlineDrop');
    expect(alert.payload.minute).toBe(5);
    expect(core.listAlerts('r1')).toHaveLength(1);
  });

  it('raises the simulated traffic drop when the rules are judged only every 5 show-minutes (a loaded core at 60×)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // A push (and judgement) every 5 s of wall time is every 5 minutes of show at 60×: each
    // judgement catches up through the minutes since the last one, 15 s of show at a time.
    const scenario = fileURLToPath(new URL('../fixtures/scenarios/traffic-drop.json', import.meta.url));
    const core = await Core.start({ dataDir: dir, scenarioFiles: [scenario], speed: 60, seed: '3', noBackup: true, pushIntervalMs: 5000 });
    cleanups.push(() => core.stop());
    core.onPush(() => undefined);
    await core.untilEnded();
    expect(core.listAlerts('test-drop').map((a) => a.kind)).toEqual(['onlineDrop']);
  }, 60_000);

  it('acknowledges all open alerts of one room, then of every room, each with who from the settings', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '小李', operatorRole: 'controller' }));
    const relay = new ScriptedRelay();
    relay.rooms = [room('r1'), room('r2')];
    await relay.listen();
    cleanups.push(() => relay.close());
    const { core, pushes } = await startCore(dir, relay.url);
    await waitFor(() => relay.subscribes.length === 1, 'subscribed');
    // Stock is a fact: a product falling under 10 % of its starting stock is raised at once.
    for (const r of ['r1', 'r2']) {
      relay.send(r, [
        { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: r },
        { seq: 2, ts: T0 + 500, type: 'catalog', products: [{ id: 'a', title: '面膜', priceFen: 9900, stock: 100 }, { id: 'b', title: '精华', priceFen: 19900, stock: 100 }] },
        { seq: 3, ts: T0 + 30_000, type: 'product', productId: 'a', stock: 5 },
        { seq: 4, ts: T0 + 40_000, type: 'product', productId: 'b', stock: 3 },
      ]);
    }
    await waitFor(() => pushes.filter((p) => p.topic === 'alert').length === 4, 'four low-stock alerts');
    const open = (list: Alert[]) => list.filter((a) => a.acknowledgedAt === null).map((a) => `${a.roomId}:${a.params.productId}`).sort();
    expect(open(await ok<Alert[]>(core.request('getAlerts', {})))).toEqual(['r1:a', 'r1:b', 'r2:a', 'r2:b']);

    const r1 = await ok<Alert[]>(core.request('ackAlerts', { roomId: 'r1' }));
    expect(r1.map((a) => [a.roomId, a.params.productId, a.acknowledgedBy, a.acknowledgedRole])).toEqual([
      ['r1', 'b', '小李', 'controller'],
      ['r1', 'a', '小李', 'controller'],
    ]);
    expect(open(await ok<Alert[]>(core.request('getAlerts', {})))).toEqual(['r2:a', 'r2:b']);
    // Every acknowledgement is pushed, so every desk's count drops.
    const ackPushes = pushes.filter((p): p is Extract<Push, { topic: 'alert' }> => p.topic === 'alert' && p.payload.acknowledgedAt !== null);
    expect(ackPushes.map((p) => p.payload.roomId)).toEqual(['r1', 'r1']);

    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '阿杰', operatorRole: 'adBuyer' }));
    const all = await ok<Alert[]>(core.request('ackAlerts', {}));
    expect(all.map((a) => `${a.roomId}:${a.acknowledgedBy}:${a.acknowledgedRole}`)).toEqual(['r2:阿杰:adBuyer', 'r2:阿杰:adBuyer']);
    expect(await ok<Alert[]>(core.request('ackAlerts', {}))).toEqual([]);
    // The first acknowledgement stands.
    const firstOfR1 = r1[0]!;
    expect(await ok<Alert>(core.request('ackAlert', { id: firstOfR1.id }))).toMatchObject({ acknowledgedBy: '小李', acknowledgedAt: firstOfR1.acknowledgedAt });

    await core.flush();
    const raw = readStore(dir);
    const rows = raw.prepare('SELECT room_id, acknowledged_by, acknowledged_role FROM alerts ORDER BY room_id, id').all();
    raw.close();
    expect(rows).toEqual([
      { room_id: 'r1', acknowledged_by: '小李', acknowledged_role: 'controller' },
      { room_id: 'r1', acknowledged_by: '小李', acknowledged_role: 'controller' },
      { room_id: 'r2', acknowledged_by: '阿杰', acknowledged_role: 'adBuyer' },
      { room_id: 'r2', acknowledged_by: '阿杰', acknowledged_role: 'adBuyer' },
    ]);
  });
});
