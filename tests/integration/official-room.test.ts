/**
 * A real Douyin room through the platforms' official APIs, end to end in the core: 巨量千川 names the
 * room (its 抖音号), gives its products, the product being explained, clicks and ad plans; 抖店 gives
 * the orders, the room's GMV truth. Both are emulators over loopback HTTP built from the official
 * SDKs' models. A budget change goes through preview, guard rails and confirmation, reaches the
 * emulator, and comes back in the next poll; a refused one is logged as refused, with the
 * platform's words; a revert undoes a change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import { QianchuanEmulator } from '../emulators/qianchuan.ts';
import { DoudianEmulator } from '../emulators/doudian.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import type { AdConsoleView } from '../../shared/ads/console.ts';
import type { PlanChangeOutcome, PlanChangePreview } from '../../shared/ads/plan-changes.ts';
import type { RetroReportView } from '../../shared/retro/types.ts';
import type { FigureOrigin } from '../../shared/contract.ts';
import { gmvCheck } from '../../shared/retro/gmv-check.ts';

let core: Core | undefined;
let qc: QianchuanEmulator | undefined;
let dd: DoudianEmulator | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await core?.stop();
  await qc?.close();
  await dd?.close();
  core = qc = dd = undefined;
  cleanup?.();
});

function ok<T>(r: { ok: true; value: unknown } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}

async function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  qc = await QianchuanEmulator.start({ now: () => Date.now(), seed: 7 });
  dd = await DoudianEmulator.start({ now: () => Date.now() });
  const room = qc.addRoom({
    title: '双十二美妆专场',
    startedAt: Date.now() - 30_000,
    entriesPerSec: 40,
    products: [
      { title: '清透隔离乳', price: 49.9, stock: 800 },
      { title: '氨基酸洁面', price: 39.9, stock: 600 },
    ],
  });
  const plan = qc.addPlan({ name: '直播间成交-主推', budget: 3000, bid: 30 });
  const uni = qc.addPlan({ kind: 'uni', name: '全域推广-大促', budget: 5000, roiGoal: 3 });
  const tokens = qc.issueTokens();
  const now = Date.now();
  const vault = new MemoryVault([
    { platform: 'qianchuan', account: qc.advertiserId, appId: qc.appId, appSecret: qc.secret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: now + tokens.expiresIn * 1000, refreshExpiresAt: now + tokens.refreshTokenExpiresIn * 1000, updatedAt: now },
    dd.accountRecord(),
  ]);
  core = await Core.start({
    dataDir: t.dir,
    source: {
      kind: 'qianchuan',
      address: '',
      rooms: [qc.awemeId],
      also: ['doudian'],
      platforms: { pollMs: 400, qianchuan: { appId: qc.appId, advertiserId: qc.advertiserId, base: qc.url }, doudian: { appKey: dd.appKey, shopId: dd.shopId, base: dd.url } },
    },
    vault,
    noBackup: true,
    pushIntervalMs: 50,
  });
  return { room, plan, uni, vault, roomId: qc.awemeId };
}

async function consoleOf(roomId: string): Promise<AdConsoleView | null> {
  const r = await core!.request('getAdConsole', { roomId });
  return r.ok ? (r.value as AdConsoleView | null) : null;
}

describe('a Douyin room on 千川 and 抖店', () => {
  it('fills in from the official APIs: products, the one explained, clicks, plans, and 抖店 orders as GMV', async () => {
    const { room, plan, uni, roomId } = await setup();
    const productId = room.products[0]!.productId;
    // Two orders of this room and one of another: only this room's count, in fen as 抖店 says.
    dd!.addOrder({ roomId: room.roomId, skus: [{ productId, unitFen: 4990, qty: 2 }] });
    dd!.addOrder({ roomId: room.roomId, skus: [{ productId, unitFen: 4990, qty: 1 }] });
    dd!.addOrder({ roomId: '7300000000000000001', skus: [{ productId, unitFen: 100_000, qty: 1 }] });
    type RoomView = { status: string; origins?: FigureOrigin[]; kpis: { gmvFen: number; orders: number; clicks: number; items: number } | null; products?: Array<{ productId: string; title: string }> };
    const view = await waitFor(async () => {
      const got = await core!.request('getRoom', { roomId });
      if (!got.ok) return null;
      const r = got.value as RoomView;
      return r.kpis && r.kpis.orders === 2 && r.kpis.clicks > 0 ? r : null;
    }, 'the room with 抖店 orders and 千川 clicks', 20_000);
    expect(view.status).toBe('live');
    // Each kind of figure says where it comes from: orders from 抖店, clicks and ads polled from 千川.
    const origins = new Map((view.origins ?? []).map((o) => [o.family, o]));
    expect(origins.get('orders')).toMatchObject({ source: 'doudian', basis: 'polled' });
    expect(origins.get('clicks')).toMatchObject({ source: 'qianchuan', basis: 'polled', everySec: 1, varies: true });
    expect(origins.get('ads')!.unit).toMatchObject({ unit: 'yuan' });
    expect(origins.get('orders')!.lastAt).toBeGreaterThan(0);
    expect(view.kpis!.gmvFen).toBe(4990 * 3);
    expect(view.kpis!.items).toBe(3);
    // The plans, with the settings as the platform holds them.
    const ads = await waitFor(async () => {
      const c = await consoleOf(roomId);
      return c && c.plans.length === 2 && c.plans.every((p) => p.platform) ? c : null;
    }, 'both plans in the ad console', 20_000);
    const std = ads.plans.find((p) => p.planId === plan.adId)!;
    expect(std.platform).toMatchObject({ name: '直播间成交-主推', kind: 'standard', dailyBudgetFen: 300_000, bidFen: 3000 });
    expect(ads.plans.find((p) => p.planId === uni.adId)!.platform).toMatchObject({ kind: 'uni', roiGoal: 3, dailyBudgetFen: 500_000 });

    // The report sets 抖店's GMV beside 千川's own room total, and says why they differ.
    await core!.flush();
    const sessions = ok<Array<{ sessionId: string; roomId: string }>>(await core!.request('listSessions', {}));
    const sessionId = sessions.find((x) => x.roomId === roomId)!.sessionId;
    const report = await waitFor(async () => {
      await core!.flush();
      const r = await core!.request('getReport', { sessionId });
      const v = r.ok ? (r.value as RetroReportView) : null;
      return v?.platformTotals?.length === 2 ? v : null;
    }, 'both platforms in the report', 20_000);
    const ddTotals = report.platformTotals!.find((t) => t.origin === 'doudian')!;
    expect(ddTotals).toMatchObject({ gmvFen: 4990 * 3, orders: 2 });
    const qcTotals = report.platformTotals!.find((t) => t.origin === 'qianchuan')!;
    // 千川's figure as last polled: never ahead of what the platform holds now.
    expect(qcTotals.gmvFen).toBeGreaterThanOrEqual(0);
    expect(qcTotals.gmvFen).toBeLessThanOrEqual(qc!.room(room.roomId)!.totals.gmvFen);
    expect(qcTotals.orders).toBeLessThanOrEqual(qc!.room(room.roomId)!.totals.payOrders);
    const check = gmvCheck(report.platformTotals)!;
    expect(check.gapFen).toBe(qcTotals.gmvFen! - ddTotals.gmvFen!);
    expect(check.reasons.map((r) => r.code)).toContain('gmv.why.varies');
  });

  it('changes a budget on the platform: preview, guard rails, confirm, read back, the next poll, revert', async () => {
    const { plan, uni, roomId } = await setup();
    await waitFor(async () => (await consoleOf(roomId))?.plans.some((p) => p.planId === plan.adId && p.platform) ?? false, 'the plan in the console', 20_000);

    // A tenfold budget is held back by the team's step rail; nothing reaches the platform.
    const big = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [uni.adId], field: 'dailyBudget', value: 5_000_000 }));
    expect(big.blocked).toBe(true);
    expect(big.items[0]!.problems.map((p) => p.code)).toContain('guard.step');
    expect((await core!.request('adPlanApply', { roomId, previewId: big.id })).ok).toBe(false);

    // An ROI goal outside the platform's range is refused before sending.
    const roi = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [uni.adId], field: 'roiGoal', value: 150 }));
    expect(roi.items[0]!.problems.map((p) => p.code)).toContain('limit.roiRange');

    // ¥3,000 → ¥4,000 (+33 %): previewed from a fresh read, then confirmed and read back.
    const pv = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [plan.adId], field: 'dailyBudget', value: 400_000, reason: '转化好，加预算' }));
    expect(pv).toMatchObject({ blocked: false, calls: 1 });
    expect(pv.items[0]).toMatchObject({ before: 300_000, after: 400_000 });
    expect(qc!.writes().length).toBe(0);
    const out = ok<PlanChangeOutcome>(await core!.request('adPlanApply', { roomId, previewId: pv.id }));
    expect(out.results[0]).toMatchObject({ planId: plan.adId, outcome: 'confirmed', readBack: 400_000 });
    expect(qc!.plan(plan.adId)!.budgetFen).toBe(400_000);
    expect(out.actions[0]).toMatchObject({ type: 'adDailyBudget', before: 300_000, after: 400_000, result: 'confirmed', reason: '转化好，加预算' });
    // A preview is used once.
    expect((await core!.request('adPlanApply', { roomId, previewId: pv.id })).ok).toBe(false);
    // The next poll brings the new budget into the console, and the log has the change.
    const after = await waitFor(async () => {
      const c = await consoleOf(roomId);
      return c?.plans.find((p) => p.planId === plan.adId)?.platform?.dailyBudgetFen === 400_000 ? c : null;
    }, 'the new budget read back by the next poll', 20_000);
    expect(after.actions.some((a) => a.type === 'adDailyBudget' && a.result === 'confirmed')).toBe(true);

    // A second change within the cooldown is held back.
    const again = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [plan.adId], field: 'dailyBudget', value: 450_000 }));
    expect(again.items[0]!.problems.map((p) => p.code)).toContain('guard.cooldown');

    // The platform's own refusal (the emulator's minimum budget) is shown and logged as is.
    ok(await core!.request('setGuardRails', { roomId, rails: { maxBudgetStepPct: null, maxBidStepPct: null, maxRoiStepPct: null, cooldownMin: null, maxChangesPerPlanPerDay: null, maxDailyBudgetFen: null } }));
    const low = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [uni.adId], field: 'dailyBudget', value: 10_000 }));
    expect(low.blocked).toBe(false);
    const refused = ok<PlanChangeOutcome>(await core!.request('adPlanApply', { roomId, previewId: low.id }));
    expect(refused.results[0]!.outcome).toBe('refused');
    expect(refused.results[0]!.platformMessage).toBeTruthy();
    expect(refused.actions[0]).toMatchObject({ result: 'refused', type: 'adDailyBudget' });
    expect(qc!.plan(uni.adId)!.budgetFen).toBe(500_000);

    // Revert the confirmed change: the opposite, previewed, confirmed, on the platform.
    const rv = ok<PlanChangePreview>(await core!.request('adPlanRevert', { roomId, actionId: out.actions[0]!.id }));
    expect(rv.items[0]).toMatchObject({ before: 400_000, after: 300_000 });
    expect(rv.revertOf).toBe(out.actions[0]!.id);
    const undone = ok<PlanChangeOutcome>(await core!.request('adPlanApply', { roomId, previewId: rv.id }));
    expect(undone.results[0]!.outcome).toBe('confirmed');
    expect(qc!.plan(plan.adId)!.budgetFen).toBe(300_000);
    expect(undone.actions[0]!.revertOf).toBe(out.actions[0]!.id);

    // 千川's own operation log shows the change, and one made in its console by someone else.
    qc!.editPlan(uni.adId, { budget: 5200 }, '投手小王');
    const log = ok<Array<{ lines: string[]; operator: string }>>(await core!.request('adPlanLog', { roomId, planId: plan.adId }));
    expect(log.some((e) => e.lines.join(' ').includes('4000'))).toBe(true);
    const other = ok<Array<{ lines: string[]; operator: string }>>(await core!.request('adPlanLog', { roomId, planId: uni.adId }));
    expect(other.some((e) => e.operator === '投手小王')).toBe(true);

    // Pause goes through the status endpoint and reads back as paused.
    const pause = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [uni.adId], field: 'pause' }));
    const paused = ok<PlanChangeOutcome>(await core!.request('adPlanApply', { roomId, previewId: pause.id }));
    expect(paused.results[0]).toMatchObject({ outcome: 'confirmed', readBack: 'paused' });

    // No answer from the platform (a gateway failure): never reported as done, nor retried blindly.
    qc!.failNext('ad/bid/update', { httpStatus: 502 });
    const bid = ok<PlanChangePreview>(await core!.request('adPlanPreview', { roomId, planIds: [plan.adId], field: 'bid', value: 3300 }));
    const unsure = ok<PlanChangeOutcome>(await core!.request('adPlanApply', { roomId, previewId: bid.id }));
    expect(unsure.results[0]).toMatchObject({ outcome: 'unconfirmed', readBack: 3000 });
    expect(unsure.actions[0]).toMatchObject({ type: 'adBid', result: 'unconfirmed', before: 3000, after: 3300 });
    expect(qc!.plan(plan.adId)!.bidFen).toBe(3000);
  });
});
