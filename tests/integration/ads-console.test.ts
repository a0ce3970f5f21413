/**
 * The ad console in the core (issue 5) with a real simulator relay and a real SQLite file:
 * the console's figures agree with the aggregator's KPIs; a budget change goes to the simulator
 * (its next `ad` event carries the new budget), lands in ad_actions with who, before/after, why and
 * the source, shows as a mark on the room, and appears in `lcr report`'s actions; the economics
 * set in the app move break-even; a refund rate left empty is learned from the room's earlier shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import type { AdConsoleView } from '../../shared/ads/console.ts';
import type { Push, RoomDetail } from '../../shared/contract.ts';
import { DEFAULT_REFUND_RATE } from '../../shared/ads/economics.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const ROOM = 'test-tiny';
const PLAN = 'qc-beauty-daily';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function recordAds(core: Core): Array<{ at: number; ads: AdConsoleView }> {
  const list: Array<{ at: number; ads: AdConsoleView }> = [];
  core.onPush((p: Push) => {
    if (p.topic === 'ads' && p.payload.roomId === ROOM) list.push({ at: Date.now(), ads: p.payload.ads });
  });
  return list;
}

describe('the ad console in the core', () => {
  it('a budget change reaches the simulator, is logged with who and why, marked on the chart and reported', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '阿杰', operatorRole: 'adBuyer' }));
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 20, seed: 3, token: 'tok' });
    cleanups.push(() => sim.stop());
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok' });
    cleanups.push(() => core.stop());
    const pushes = recordAds(core);

    // The plan reported its budget (¥50/min) and some spend.
    const first = await waitFor(() => (pushes.length >= 5 ? pushes.map((p) => p.ads).find((a) => a.plans[0]?.budgetFenPerMin === 5000 && a.show.spendFen > 0) : undefined), 'the plan in the console');
    expect(first.plans.map((p) => p.planId)).toEqual([PLAN]);
    expect(first.targetRoi).toBe(3);
    // Break-even from the catalog's costs (every tiny product has one), a 5 % fee and the default refund rate.
    expect(first.economics.refundSource).toBe('default');
    expect(first.economics.refundRate).toBe(DEFAULT_REFUND_RATE);
    expect(first.economics.missingCosts).toBe(0);
    expect(first.economics.breakEvenRoi).toBeGreaterThan(1);
    expect(first.economics.breakEvenRoi).toBeCloseTo(1 / first.economics.margin!, 6);

    // A bad request is refused before anything is sent.
    expect(await core.request('adAction', { roomId: ROOM, planId: PLAN, type: 'adBudget' })).toMatchObject({ ok: false });
    expect(await core.request('adAction', { roomId: ROOM, planId: 'nope', type: 'adPause' })).toEqual({ ok: false, error: `unknown ad plan "nope" in ${ROOM}` });

    const beforeActions = pushes.length;
    const raised = await core.request('adAction', { roomId: ROOM, planId: PLAN, type: 'adBudget', budgetFenPerMin: 8000, reason: '转化好，放量', followedAdvice: true });
    expect(raised).toMatchObject({ ok: true, value: { planId: PLAN, type: 'adBudget', before: 5000, after: 8000, byName: '阿杰', byRole: 'adBuyer', reason: '转化好，放量', source: 'advice', result: 'ok' } });
    const rec = raised.ok ? (raised.value as { id: string; ts: number }) : null;
    // The simulator obeyed: its next ad report carries the new budget.
    await waitFor(() => sim.relay.history(ROOM).some((e) => e.type === 'ad' && e.budgetFenPerMin === 8000), 'the ad event with the new budget');
    // The console shows the new budget, the action in its log, and a mark on the room's chart.
    const after = await waitFor(() => pushes.map((p) => p.ads).find((a) => a.plans[0]?.budgetFenPerMin === 8000 && a.actions.length === 1), 'the console after the change');
    expect(after.actions[0]).toMatchObject({ id: rec!.id, before: 5000, after: 8000 });
    expect(after.plans[0]!.advice?.reasons.some((r) => r.code === 'settling' || r.code === 'fewData')).toBe(true);
    const detail = (await core.request('getRoom', { roomId: ROOM })) as { ok: true; value: RoomDetail };
    const mark = detail.value.markers.find((m) => m.kind === 'ad');
    expect(mark).toMatchObject({ kind: 'ad', ts: rec!.ts, ad: { planId: PLAN, type: 'adBudget', before: 5000, after: 8000, byName: '阿杰', source: 'advice' } });

    const paused = await core.request('adAction', { roomId: ROOM, planId: PLAN, type: 'adPause' });
    expect(paused).toMatchObject({ ok: true, value: { type: 'adPause', before: null, after: null, reason: null, source: 'manual' } });
    await waitFor(() => pushes.map((p) => p.ads).find((a) => a.plans[0]?.paused && a.plans[0].advice?.reasons.some((r) => r.code === 'paused')), 'the plan paused, and the advice saying so');
    const resumed = await core.request('adAction', { roomId: ROOM, planId: PLAN, type: 'adResume', reason: '开福袋前恢复' });
    expect(resumed).toMatchObject({ ok: true, value: { type: 'adResume', reason: '开福袋前恢复' } });

    // Economics set in the app: cost overrides and a refund rate move break-even at once.
    const cheap = await core.request('setEconomics', { roomId: ROOM, economics: { feeRate: 0.05, refundRate: 0.5, costOverrides: {} } });
    expect(cheap.ok).toBe(true);
    const moved = await waitFor(() => pushes.map((p) => p.ads).find((a) => a.economics.refundSource === 'setting' && a.economics.refundRate === 0.5), 'the console with the new economics');
    expect(moved.economics.breakEvenRoi).toBeGreaterThan(first.economics.breakEvenRoi! * 1.8);
    expect(await core.request('getEconomics', { roomId: ROOM })).toEqual({ ok: true, value: { feeRate: 0.05, refundRate: 0.5, costOverrides: {} } });

    await core.untilEnded();
    const last = (await core.request('getAdConsole', { roomId: ROOM })) as { ok: true; value: AdConsoleView };
    // The console's show figures are the aggregator's (METRICS.md) figures.
    const final = core.roomDetail(ROOM).kpis!;
    expect(last.value.show.spendFen).toBe(final.adSpendFen);
    expect(last.value.show.adGmvFen).toBe(final.adGmvFen);
    expect(last.value.show.gmvFen).toBe(final.gmvFen);
    expect(last.value.show.paidEnters).toBe(final.entersBySource.paid);
    expect(last.value.show.roi).toBeCloseTo(final.roi!, 9);
    expect(last.value.series.spendFen.reduce((a, b) => a + b, 0)).toBe(final.adSpendFen);
    await core.stop();

    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    const stored = reader.adActions({ sessionId: last.value.sessionId });
    expect(stored.map((a) => [a.type, a.before, a.after, a.source, a.byName])).toEqual([
      ['adBudget', 5000, 8000, 'advice', '阿杰'],
      ['adPause', null, null, 'manual', '阿杰'],
      ['adResume', null, null, 'manual', '阿杰'],
    ]);
    expect(reader.adActions({ roomId: ROOM, planId: 'other' })).toEqual([]);
    expect(reader.economics(ROOM)).toEqual({ feeRate: 0.05, refundRate: 0.5, costOverrides: {} });
    const report = buildReport(reader, last.value.sessionId);
    const ads = report.actions.filter((a) => a.type === 'ad');
    expect(ads).toHaveLength(3);
    expect(ads[0]).toMatchObject({ type: 'ad', action: 'adBudget', planId: PLAN, before: 5000, after: 8000, byName: '阿杰', byRole: 'adBuyer', reason: '转化好，放量', source: 'advice' });
    // Merged with the suggestions' decision log, oldest first.
    const ts = report.actions.map((a) => a.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(report.actions.some((a) => a.type === 'suggestion')).toBe(true);

    // At most about one push a second while nobody acts (an action pushes at once).
    expect(beforeActions).toBeGreaterThan(3);
    for (let i = 2; i < beforeActions; i++) expect(pushes[i]!.at - pushes[i - 2]!.at).toBeGreaterThanOrEqual(900);
  }, 60_000);

  it('a refund rate left empty is learned from the room’s earlier shows; a restart keeps the log and the marks', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // Show 1: recorded to the end (tiny refunds 5 % of orders some minutes later).
    const sim1 = await Simulator.start({ scenarioFiles: [tiny], speed: 30, seed: 5, token: 'tok' });
    const core1 = await Core.start({ dataDir: dir, feedUrl: sim1.url, feedToken: 'tok' });
    await core1.untilEnded();
    const show1 = core1.roomDetail(ROOM).kpis!;
    await core1.stop();
    await sim1.stop();
    expect(show1.gmvFen).toBeGreaterThan(100_000);

    // Show 2 (a new simulator run: a later start): its console learns show 1's refund rate.
    const sim2 = await Simulator.start({ scenarioFiles: [tiny], speed: 20, seed: 6, token: 'tok' });
    cleanups.push(() => sim2.stop());
    const core2 = await Core.start({ dataDir: dir, feedUrl: sim2.url, feedToken: 'tok' });
    const pushes = recordAds(core2);
    const v = await waitFor(() => pushes.map((p) => p.ads).find((a) => a.sessionId !== undefined && a.plans.length > 0), 'show 2 console');
    expect(v.economics.refundSource).toBe('learned');
    expect(v.economics.learned).toEqual({ rate: show1.refundFen / show1.gmvFen, sessions: 1, paidFen: show1.gmvFen, refundedFen: show1.refundFen });
    expect(v.economics.refundRate).toBeCloseTo(show1.refundFen / show1.gmvFen, 12);

    const cut = await core2.request('adAction', { roomId: ROOM, planId: PLAN, type: 'adBudget', budgetFenPerMin: 2000, reason: '测试重启' });
    expect(cut.ok).toBe(true);
    const sessionId = v.sessionId;
    await core2.stop();

    // Restarted mid-show: the log and its mark come back from the store.
    const core3 = await Core.start({ dataDir: dir, feedUrl: sim2.url, feedToken: 'tok' });
    cleanups.push(() => core3.stop());
    const console3 = (await core3.request('getAdConsole', { roomId: ROOM })) as { ok: true; value: AdConsoleView };
    expect(console3.value.sessionId).toBe(sessionId);
    expect(console3.value.actions.map((a) => [a.type, a.before, a.after, a.reason])).toEqual([['adBudget', 5000, 2000, '测试重启']]);
    expect(core3.roomDetail(ROOM).markers.filter((m) => m.kind === 'ad')).toHaveLength(1);
  }, 60_000);
});
