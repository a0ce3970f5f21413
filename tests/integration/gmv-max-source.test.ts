/**
 * The GMV Max source against the loopback emulator: `ad` events per LIVE campaign and session with
 * the advertiser's currency and exact minor units, 64-bit ids exact, the report paged and filtered
 * by the room's LIVE room ids, a rate limit waited out, a refused token stopping the figures with
 * what to do, and an answer of an unknown shape quarantined and noted, never a crash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGmvMaxEmulator, type GmvMaxEmulator } from '../emulators/gmv-max.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { waitFor } from '../helpers/util.ts';
import { GmvMaxSource } from '../../electron/core/platforms/gmv-max/source.ts';
import { GmvMaxClient, TIKTOK_ADS_VAULT, gmvMaxApiBase, queryOf } from '../../electron/core/platforms/gmv-max/client.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';
import type { SourceEvent } from '../../electron/core/sources/common.ts';
import type { SourceQuarantine } from '../../electron/core/sources/connector.ts';

let emu: GmvMaxEmulator | undefined;
let source: GmvMaxSource | undefined;
afterEach(async () => {
  await source?.stop();
  await emu?.close();
  source = emu = undefined;
});

type Ad = Extract<SourceEvent, { type: 'ad' }> & { planKind?: string };

function vaultFor(e: GmvMaxEmulator, token = e.accessToken): MemoryVault {
  return new MemoryVault([{ platform: TIKTOK_ADS_VAULT, account: e.advertiserId, appId: e.appId, appSecret: e.secret, accessToken: token, refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: Date.now() }]);
}

async function setup(o: { currency?: string; roomIds?: string[] | null; vault?: (e: GmvMaxEmulator) => MemoryVault } = {}) {
  emu = await startGmvMaxEmulator({ currency: o.currency ?? 'USD' });
  const events: SourceEvent[] = [];
  const quarantined: SourceQuarantine[] = [];
  const sink: RoomSink = { name: 'gmv-max', push: (es) => void events.push(...es), priceOf: () => undefined };
  const vault = (o.vault ?? vaultFor)(emu);
  const roomIds = o.roomIds === undefined ? [emu.roomId] : o.roomIds;
  source = new GmvMaxSource({ sink, api: { base: emu.url, appId: emu.appId, advertiserId: emu.advertiserId, storeId: emu.storeId }, vault, roomIds: () => roomIds, pollMs: 100, problemBackoff: { initialMs: 150, maxMs: 300 }, onQuarantine: (q) => void quarantined.push(q) });
  return { emu, events, quarantined, vault };
}

const ads = (events: SourceEvent[]) => events.filter((e): e is Ad => e.type === 'ad');
const lastAd = (events: SourceEvent[], planId: string) => ads(events).filter((e) => e.planId === planId).at(-1);

describe('the GMV Max source', () => {
  it('sends ad events per LIVE campaign and session, in the advertiser currency, money exact, ids exact', async () => {
    const { emu: e, events } = await setup({ currency: 'USD' });
    const c = e.addCampaign({ name: 'LIVE night', budget: 50.1, roasBid: 3.25 });
    const ses = e.addSession(c.campaignId, { budget: 80.05 });
    e.addSpend(c.campaignId, e.roomId, { cost: 12.3, grossRevenue: 45.67, orders: 3, liveViews: 120 });
    source!.start();
    await waitFor(() => lastAd(events, c.campaignId)?.spendFen === 1230 && lastAd(events, ses.sessionId), 'the campaign and session ads');
    expect(BigInt(c.campaignId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(lastAd(events, c.campaignId)).toMatchObject({ planId: c.campaignId, planKind: 'gmvMax', name: 'LIVE night', status: 'delivering', currency: 'USD', spendFen: 1230, gmvFen: 4567, orders: 3, views: 120, dailyBudgetFen: 5010, roiGoal: 3.25 });
    expect(lastAd(events, ses.sessionId)).toMatchObject({ planKind: 'gmvMaxSession', currency: 'USD', dailyBudgetFen: 8005, spendFen: 0 });
    for (const a of ads(events)) expect(a.currency).toBe('USD');
    // Figures grow: the next poll carries the new cumulative totals.
    e.addSpend(c.campaignId, e.roomId, { cost: 0.1, grossRevenue: 0.2 });
    await waitFor(() => lastAd(events, c.campaignId)?.spendFen === 1240, 'the next figures');
    expect(lastAd(events, c.campaignId)?.gmvFen).toBe(4587);
    expect(source!.currency).toBe('USD');
    expect(source!.todayCost.get(c.campaignId)).toBe(1240);
  });

  it('keeps a zero-decimal currency as its own minor unit and marks a spent budget', async () => {
    const { emu: e, events } = await setup({ currency: 'VND' });
    const c = e.addCampaign({ budget: 500000 });
    e.addSpend(c.campaignId, e.roomId, { cost: 500000, grossRevenue: 1250000 });
    source!.start();
    await waitFor(() => lastAd(events, c.campaignId)?.status, 'the campaign');
    expect(lastAd(events, c.campaignId)).toMatchObject({ currency: 'VND', spendFen: 500000, gmvFen: 1250000, dailyBudgetFen: 500000, status: 'budgetExhausted' });
  });

  it('filters the report by the room ids and pages it to the end', async () => {
    const { emu: e, events } = await setup();
    const mine = Array.from({ length: 230 }, (_, i) => e.addCampaign({ name: `c${i}` }));
    for (const c of mine) e.addSpend(c.campaignId, e.roomId, { cost: 1 });
    const other = e.addCampaign({ name: 'other room' });
    e.addSpend(other.campaignId, '7509999999999999999', { cost: 5 });
    source!.start();
    await waitFor(() => new Set(ads(events).filter((a) => a.planKind === 'gmvMax').map((a) => a.planId)).size >= 50, 'the campaigns');
    const reports = e.calls.filter((c) => c.path === 'gmv_max/report/get/');
    expect(reports.some((c) => c.query.page === '2')).toBe(true);
    const q = reports[0]!.query;
    expect(JSON.parse(q.filtering!)).toMatchObject({ room_ids: [e.roomId], gmv_max_promotion_types: ['LIVE'] });
    expect(JSON.parse(q.store_ids!)).toEqual([e.storeId]);
    expect(JSON.parse(q.dimensions!)).toEqual(['campaign_id']);
    expect(ads(events).some((a) => a.planId === other.campaignId)).toBe(false);
    expect(e.calls[0]!.query).not.toHaveProperty('Access-Token');
  });

  it('waits out a rate limit and carries on', async () => {
    const { emu: e, events } = await setup();
    const c = e.addCampaign();
    e.addSpend(c.campaignId, e.roomId, { cost: 2 });
    source!.start();
    await waitFor(() => source!.state.status === 'live' && lastAd(events, c.campaignId), 'live');
    e.rateLimitNext(2, 40100);
    await waitFor(() => source!.state.problem === 'rateLimited', 'rate limited');
    expect(source!.state.error).toMatch(/40100/);
    e.addSpend(c.campaignId, e.roomId, { cost: 1 });
    await waitFor(() => source!.state.status === 'live' && lastAd(events, c.campaignId)?.spendFen === 300, 'back after the limit');
  });

  it('stops the figures on a refused token and says to run lcr auth tiktok-ads', async () => {
    const { emu: e } = await setup();
    e.addCampaign();
    e.expireToken();
    source!.start();
    await waitFor(() => source!.state.status === 'failed', 'failed');
    expect(source!.state.error).toMatch(/40102/);
    expect(source!.state.error).toMatch(/lcr auth tiktok-ads/);
  });

  it('says an account that is not connected needs lcr auth', async () => {
    await setup({ vault: () => new MemoryVault() });
    source!.start();
    await waitFor(() => source!.state.status === 'failed', 'failed');
    expect(source!.state.error).toMatch(/lcr auth tiktok-ads/);
  });

  it('quarantines an answer of an unknown shape and notes it, without a crash', async () => {
    const { emu: e, events, quarantined } = await setup();
    const c = e.addCampaign();
    e.addSpend(c.campaignId, e.roomId, { cost: 2 });
    source!.start();
    await waitFor(() => lastAd(events, c.campaignId), 'first figures');
    e.failNext('gmv_max/report/get/', { http: 502 });
    e.failNext('campaign/gmv_max/info/', { drop: true });
    await waitFor(() => quarantined.some((q) => /report\/get.*network/.test(q.reason)), 'the failed report quarantined');
    await waitFor(() => source!.state.status === 'live' && source!.state.error === null, 'live again without a note');
  });

  it('notes a currency it does not keep and sends no money', async () => {
    const { events, quarantined } = await setup({ currency: 'XYZ' });
    emu!.addCampaign();
    source!.start();
    await waitFor(() => quarantined.some((q) => /currency/.test(q.reason)), 'currency quarantined');
    expect(source!.state.error).toMatch(/currency/);
    expect(ads(events)).toHaveLength(0);
  });
});

describe('the GMV Max client', () => {
  it('sends arrays and objects as JSON in the query, and the token in the Access-Token header', async () => {
    emu = await startGmvMaxEmulator();
    const client = new GmvMaxClient({ base: emu.url, vault: vaultFor(emu), account: { advertiserId: emu.advertiserId, appId: emu.appId } });
    await client.get('gmv_max/report/get/', { store_ids: [emu.storeId], dimensions: ['campaign_id'], metrics: ['cost'], start_date: '2026-05-01', end_date: '2026-05-01', page: 1, page_size: 10 });
    expect(emu.calls.at(-1)?.code).toBe(0);
    expect(queryOf({ a: ['1'], b: { c: 2 }, d: 3, e: undefined })).toBe('a=%5B%221%22%5D&b=%7B%22c%22%3A2%7D&d=3');
    expect(gmvMaxApiBase({ LCR_TIKTOK_ADS_API: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
    expect(gmvMaxApiBase({})).toBe('https://business-api.tiktok.com');
  });

  it('exchanges an authorisation code for the advertiser token and saves it', async () => {
    emu = await startGmvMaxEmulator();
    const vault = new MemoryVault();
    const client = new GmvMaxClient({ base: emu.url, vault, account: { advertiserId: emu.advertiserId, appId: emu.appId } });
    const got = await client.createToken({ authCode: emu.issueAuthCode(), appSecret: emu.secret });
    expect(got.advertiserIds).toEqual([emu.advertiserId]);
    const rec = vault.peek(TIKTOK_ADS_VAULT, emu.advertiserId)!;
    expect(rec.accessToken).toMatch(/^act\./);
    expect(rec.appSecret).toBe(emu.secret);
    await expect(client.get('campaign/gmv_max/session/list/', { campaign_id: emu.addCampaign().campaignId })).resolves.toMatchObject({ session_list: [] });
    await expect(client.createToken({ authCode: 'used-or-wrong' })).rejects.toMatchObject({ kind: 'auth' });
  });
});
