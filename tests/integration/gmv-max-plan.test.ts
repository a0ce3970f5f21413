/**
 * GMV Max changes through the ad console's path (ads/plan-changes.ts) against the loopback
 * emulator: preview (settings read fresh, in the advertiser's currency) → confirm → the platform
 * changed → read back → action log → revert; the platform's limits and the team's guard rails
 * block before anything is sent; a refusal is shown as the platform said it; an answer that never
 * came back is decided only by the read-back, never by sending again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGmvMaxEmulator, type GmvMaxEmulator } from '../emulators/gmv-max.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { waitFor } from '../helpers/util.ts';
import { GmvMaxSource } from '../../electron/core/platforms/gmv-max/source.ts';
import { GmvMaxPlanPort, planPortOfGmvMax } from '../../electron/core/platforms/gmv-max/plan-port.ts';
import { TIKTOK_ADS_VAULT } from '../../electron/core/platforms/gmv-max/client.ts';
import { PlanChanges } from '../../electron/core/ads/plan-changes.ts';
import { DEFAULT_GUARD_RAILS, platformProblems, type GuardRails } from '../../shared/ads/plan-changes.ts';
import type { AdActionRecord } from '../../shared/ads/console.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';

let emu: GmvMaxEmulator | undefined;
let source: GmvMaxSource | undefined;
afterEach(async () => {
  await source?.stop();
  await emu?.close();
  source = emu = undefined;
});

const ROOM = 'tt-room';

async function setup(o: { currency?: string; rails?: Partial<GuardRails>; timeoutMs?: number } = {}) {
  emu = await startGmvMaxEmulator({ currency: o.currency ?? 'USD' });
  const vault = new MemoryVault([{ platform: TIKTOK_ADS_VAULT, account: emu.advertiserId, appId: emu.appId, appSecret: emu.secret, accessToken: emu.accessToken, refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: Date.now() }]);
  const sink: RoomSink = { name: 'gmv-max', push: () => undefined, priceOf: () => undefined };
  source = new GmvMaxSource({ sink, api: { base: emu.url, appId: emu.appId, advertiserId: emu.advertiserId, storeId: emu.storeId }, vault, roomIds: () => [emu!.roomId], pollMs: 60_000, timeoutMs: o.timeoutMs });
  const port = planPortOfGmvMax([source]);
  expect(port).toBeInstanceOf(GmvMaxPlanPort);
  const log: AdActionRecord[] = [];
  const rails: GuardRails = { ...DEFAULT_GUARD_RAILS, cooldownMin: 0, ...o.rails };
  const changes = new PlanChanges({
    port: () => port,
    history: (roomId, planId) => log.filter((a) => a.roomId === roomId && a.planId === planId),
    action: (id) => log.find((a) => a.id === id),
    rails: () => rails,
    show: () => ({ sessionId: 'show-1', ts: Date.now() }),
    spendPerMin: () => null,
    operator: () => ({ byName: '投手A', byRole: 'buyer' }),
    record: (actions) => void log.push(...actions),
  });
  return { emu, port: port!, changes, log };
}

describe('GMV Max plan changes', () => {
  it('previews, confirms, changes the platform, reads back, logs, and reverts a campaign budget', async () => {
    const { emu: e, changes, log } = await setup({ currency: 'USD' });
    const c = e.addCampaign({ name: 'LIVE night', budget: 100, roasBid: 3 });
    const pv = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 12_345, reason: 'scale up' });
    expect(pv.blocked).toBe(false);
    expect(pv.items[0]).toMatchObject({ planId: c.campaignId, kind: 'gmvMax', currency: 'USD', before: 10_000, after: 12_345, name: 'LIVE night' });
    expect(pv.calls).toBe(1);
    expect(e.campaigns.get(c.campaignId)!.budget).toBe(100); // nothing sent by a preview
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results[0]).toMatchObject({ outcome: 'confirmed', readBack: 12_345 });
    expect(e.campaigns.get(c.campaignId)!.budget).toBe(123.45);
    const write = e.calls.find((x) => x.path === 'campaign/gmv_max/update/')!;
    expect(write.body).toMatchObject({ advertiser_id: e.advertiserId, campaign_id: c.campaignId, budget: 123.45 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ type: 'adDailyBudget', before: 10_000, after: 12_345, result: 'confirmed', reason: 'scale up', byName: '投手A' });
    // Revert: the opposite change, previewed and confirmed the same way.
    const rv = await changes.revert({ roomId: ROOM, actionId: log[0]!.id });
    expect(rv.items[0]).toMatchObject({ before: 12_345, after: 10_000 });
    const undone = await changes.apply({ roomId: ROOM, previewId: rv.id });
    expect(undone.results[0]!.outcome).toBe('confirmed');
    expect(e.campaigns.get(c.campaignId)!.budget).toBe(100);
    expect(log[1]).toMatchObject({ revertOf: log[0]!.id });
  });

  it('changes the ROAS target and pauses / resumes through campaign/status/update', async () => {
    const { emu: e, changes } = await setup();
    const c = e.addCampaign({ roasBid: 3 });
    const roi = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'roiGoal', value: 3.2 });
    expect(roi.items[0]).toMatchObject({ before: 3, after: 3.2 });
    expect((await changes.apply({ roomId: ROOM, previewId: roi.id })).results[0]!.outcome).toBe('confirmed');
    expect(e.campaigns.get(c.campaignId)!.roasBid).toBe(3.2);
    const pause = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'pause' });
    const paused = await changes.apply({ roomId: ROOM, previewId: pause.id });
    expect(paused.results[0]).toMatchObject({ outcome: 'confirmed', readBack: 'paused' });
    expect(e.calls.find((x) => x.path === 'campaign/status/update/')!.body).toMatchObject({ campaign_ids: [c.campaignId], operation_status: 'DISABLE' });
    const resume = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'resume' });
    expect((await changes.apply({ roomId: ROOM, previewId: resume.id })).results[0]).toMatchObject({ outcome: 'confirmed', readBack: 'delivering' });
  });

  it('changes a LIVE session budget through session/update, in a zero-decimal currency', async () => {
    const { emu: e, changes } = await setup({ currency: 'VND' });
    const c = e.addCampaign({ budget: 2_000_000 });
    const s = e.addSession(c.campaignId, { budget: 1_000_000 });
    const pv = await changes.preview({ roomId: ROOM, planIds: [s.sessionId], field: 'dailyBudget', value: 1_200_000 });
    expect(pv.items[0]).toMatchObject({ kind: 'gmvMaxSession', currency: 'VND', before: 1_000_000, after: 1_200_000 });
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results[0]).toMatchObject({ outcome: 'confirmed', readBack: 1_200_000 });
    expect(e.sessions.get(s.sessionId)!.budget).toBe(1_200_000);
    expect(e.calls.find((x) => x.path === 'campaign/gmv_max/session/update/')!.body).toMatchObject({ campaign_id: c.campaignId, store_id: e.storeId, session_id: s.sessionId, session: { budget: 1_200_000 } });
    // A session has only its budget.
    const pause = await changes.preview({ roomId: ROOM, planIds: [s.sessionId], field: 'pause' });
    expect(pause.blocked).toBe(true);
    expect(pause.items[0]!.problems.map((p) => p.code)).toContain('limit.gmvMaxSessionBudgetOnly');
  });

  it('blocks on the platform limits and the team guard rails before sending anything', async () => {
    const { emu: e, changes } = await setup({ rails: { maxBudgetStepPct: 50 } });
    const c = e.addCampaign({ budget: 100 });
    const big = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 100_000 });
    expect(big.blocked).toBe(true);
    expect(big.items[0]!.problems.map((p) => p.code)).toContain('guard.step');
    await expect(changes.apply({ roomId: ROOM, previewId: big.id })).rejects.toThrow(/blocked/);
    const bid = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'bid', value: 100 });
    expect(bid.items[0]!.problems.map((p) => p.code)).toEqual(['limit.gmvMaxNoBid']);
    const roi = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'roiGoal', value: 3.333 });
    expect(roi.items[0]!.problems.map((p) => p.code)).toContain('limit.twoDecimals');
    expect(e.calls.some((x) => x.method === 'POST')).toBe(false);
    expect(platformProblems('dailyBudget', 'gmvMax', 0).map((p) => p.code)).toEqual(['limit.positive']);
  });

  it('shows a refusal as the platform said it and logs it as refused', async () => {
    const { emu: e, changes, log } = await setup();
    const c = e.addCampaign({ budget: 100 });
    e.refuse(c.campaignId, 'Budget cannot be modified during review', 40002);
    const pv = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 11_000 });
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results[0]!.outcome).toBe('refused');
    expect(out.results[0]!.platformMessage).toMatch(/40002: Budget cannot be modified during review/);
    expect(out.results[0]!.requestId).toMatch(/^emu/);
    expect(log[0]).toMatchObject({ result: 'refused' });
    expect(e.campaigns.get(c.campaignId)!.budget).toBe(100);
  });

  it('reads a partial status answer item by item', async () => {
    const { emu: e, changes } = await setup();
    const a = e.addCampaign();
    const b = e.addCampaign();
    e.refuse(b.campaignId, 'Campaign is in review');
    const pv = await changes.preview({ roomId: ROOM, planIds: [a.campaignId, b.campaignId], field: 'pause' });
    expect(pv.calls).toBe(1);
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results.find((r) => r.planId === a.campaignId)!.outcome).toBe('confirmed');
    const rb = out.results.find((r) => r.planId === b.campaignId)!;
    expect(rb.outcome).toBe('refused');
    expect(rb.platformMessage).toMatch(/Campaign is in review/);
  });

  it('decides an unanswered write by the read-back only, never by sending again', async () => {
    const { emu: e, changes } = await setup();
    const c = e.addCampaign({ budget: 100 });
    // The connection is cut after the write was received: the platform did apply it.
    const pv = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 11_000 });
    e.failNext('campaign/gmv_max/update/', { drop: true });
    const before = e.calls.length;
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(e.calls.slice(before).filter((x) => x.path === 'campaign/gmv_max/update/')).toHaveLength(1);
    // The emulator dropped it before applying: the read-back shows the old value, so not confirmed.
    expect(out.results[0]).toMatchObject({ outcome: 'unconfirmed', readBack: 10_000 });
    // Cut after the platform applied it: the read-back finds the new value and confirms it.
    const pv2 = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 12_000 });
    e.failNext('campaign/gmv_max/update/', { drop: 'afterApply' });
    const mark = e.calls.length;
    const out2 = await changes.apply({ roomId: ROOM, previewId: pv2.id });
    expect(e.calls.slice(mark).filter((x) => x.path === 'campaign/gmv_max/update/')).toHaveLength(1);
    expect(out2.results[0]).toMatchObject({ outcome: 'confirmed', readBack: 12_000 });
    expect(out2.results[0]!.platformMessage).toMatch(/could not connect|broke off|no answer/);
  });

  it('says unconfirmed when the platform accepted but the read-back still lags, and the poll later shows it', async () => {
    const { emu: e, changes } = await setup();
    const c = e.addCampaign({ budget: 100 });
    e.setApplyDelay(300);
    const pv = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 11_000 });
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results[0]).toMatchObject({ outcome: 'unconfirmed', readBack: 10_000 });
    await waitFor(() => e.pending() === 0 && e.campaigns.get(c.campaignId)!.budget === 110, 'the change in effect');
    const now = await new GmvMaxPlanPort(source!).read([c.campaignId]);
    expect(now[0]!.dailyBudgetFen).toBe(11_000);
  });

  it('names an unknown plan, and a rate-limited write is refused without a retry', async () => {
    const { emu: e, changes } = await setup();
    const c = e.addCampaign({ budget: 100 });
    const unknown = await changes.preview({ roomId: ROOM, planIds: ['7000000000000000001'], field: 'pause' });
    expect(unknown.items[0]!.problems.map((p) => p.code)).toEqual(['limit.unknownPlan']);
    const pv = await changes.preview({ roomId: ROOM, planIds: [c.campaignId], field: 'dailyBudget', value: 11_000 });
    e.failNext('campaign/gmv_max/update/', { code: 40100, message: 'Too many requests' });
    const out = await changes.apply({ roomId: ROOM, previewId: pv.id });
    expect(out.results[0]).toMatchObject({ outcome: 'refused' });
    expect(out.results[0]!.platformMessage).toMatch(/40100/);
    expect(e.calls.filter((x) => x.path === 'campaign/gmv_max/update/')).toHaveLength(1);
  });
});
