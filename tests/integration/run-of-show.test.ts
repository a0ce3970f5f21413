/**
 * Run-of-show in the core, with a real SQLite file and a real simulator relay: import a
 * 排品表 (CSV, Chinese headers and product titles), see the show's adherence to it live, refuse a
 * bad file whole with its line, column and reason, and find the plan again after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import type { Push, RoomDetail, RunOfShowView } from '../../shared/contract.ts';
import type { RunOfShowLive } from '../../shared/suggest/live.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('run-of-show in the core', () => {
  it('imports a 排品表, follows the live show on it, refuses a bad file whole, and keeps it across a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '小李' }));
    // The tiny scenario's host follows mask 2′ → lip 2′ → cleanser 2′ on autopilot.
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 10, seed: 3, token: 'tok' });
    cleanups.push(() => sim.stop());
    let core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok' });
    cleanups.push(() => core.stop());
    const live: RunOfShowLive[] = [];
    core.onPush((p: Push) => {
      if (p.topic === 'suggestions' && p.payload.suggestions?.runOfShow) live.push(p.payload.suggestions.runOfShow);
    });
    const empty = await core.request('getRunOfShow', { roomId: 'test-tiny' });
    expect(empty).toMatchObject({ ok: true, value: { items: [], updatedAt: null, live: null } });

    // Wait for the show (and its catalog) so the import is checked against the room's products.
    await waitFor(async () => {
      const r = await core.request('getRoom', { roomId: 'test-tiny' });
      return r.ok && (r.value as RoomDetail).products.length > 0;
    }, 'the catalog');
    const csv = '\uFEFF序号,商品,时长\n1,玻尿酸补水保湿面膜 10片装,2\n2,bea-lip,2\n3,氨基酸温和洁面乳 120g,2\n';
    const imported = await core.request('importRunOfShow', { roomId: 'test-tiny', fileName: '排品表.csv', dataBase64: b64(csv) });
    expect(imported).toMatchObject({
      ok: true,
      value: { items: [{ productId: 'bea-mask', minutes: 2 }, { productId: 'bea-lip', minutes: 2 }, { productId: 'bea-cleanser', minutes: 2 }], updatedBy: '小李' },
    });

    // Live adherence: the host follows it, so the show is on it, and the lip product comes up as the show goes on.
    const onLip = await waitFor(() => live.find((l) => l.adherence.actualProductId === 'bea-lip' && l.adherence.status !== 'offPlan'), 'adherence with the lip product on', 30_000);
    expect(onLip.items).toHaveLength(3);
    expect(onLip.adherence.cursor % 3).toBe(1);
    expect(onLip.rest.map((i) => i.productId)).toEqual(['bea-cleanser', 'bea-mask']);

    // A bad file is refused with line, column and reason; the stored plan is untouched.
    const bad = await core.request('importRunOfShow', { roomId: 'test-tiny', fileName: 'bad.csv', dataBase64: b64('商品,时长\nbea-lip,2\nbea-mask,两分钟\n') });
    expect(bad).toEqual({ ok: false, error: 'line 3, column "时长": minutes must be a number above 0 and at most 1440 (got "两分钟")' });
    const unknown = await core.request('setRunOfShow', { roomId: 'test-tiny', items: [{ productId: 'no-such', minutes: 3 }] });
    expect(unknown).toEqual({ ok: false, error: 'item 1: unknown product "no-such" (not in the room\'s catalog)' });
    const still = await core.request('getRunOfShow', { roomId: 'test-tiny' });
    expect(still.ok && (still.value as RunOfShowView).items.map((i) => i.productId)).toEqual(['bea-mask', 'bea-lip', 'bea-cleanser']);

    // Edited in the app: a new order, stored, and found again after a restart.
    const edited = await core.request('setRunOfShow', { roomId: 'test-tiny', items: [{ productId: 'bea-cleanser', minutes: 3 }, { productId: 'bea-mask', minutes: 1.5 }] });
    expect(edited.ok).toBe(true);
    await core.stop();
    core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok' });
    cleanups.push(() => core.stop());
    const again = await core.request('getRunOfShow', { roomId: 'test-tiny' });
    expect(again).toMatchObject({ ok: true, value: { items: [{ productId: 'bea-cleanser', minutes: 3 }, { productId: 'bea-mask', minutes: 1.5 }], updatedBy: '小李' } });
  });
});
