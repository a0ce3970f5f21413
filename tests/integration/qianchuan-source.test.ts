/**
 * The 千川 source against the emulator over loopback HTTP: 64-bit ids exact, lists de-duplicated
 * across pages, a rate limit waited out and named by its layer, an expired token refreshed with the
 * new pair saved before use (the old refresh token is void), and a revoked authorisation stopping
 * the source with the account and what to do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QianchuanEmulator } from '../emulators/qianchuan.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { waitFor } from '../helpers/util.ts';
import { QianchuanClient } from '../../electron/core/platforms/qianchuan/client.ts';
import { QianchuanSource } from '../../electron/core/platforms/qianchuan/source.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';
import type { SourceEvent } from '../../electron/core/sources/common.ts';

let qc: QianchuanEmulator | undefined;
let source: QianchuanSource | undefined;
afterEach(async () => {
  await source?.stop();
  await qc?.close();
  source = qc = undefined;
});

async function setup(products = 3) {
  qc = await QianchuanEmulator.start({ now: () => Date.now(), seed: 11 });
  const room = qc.addRoom({ title: '夜场', startedAt: Date.now() - 5_000, entriesPerSec: 20, products: Array.from({ length: products }, (_, i) => ({ title: `商品${i + 1}`, price: 10 + i, stock: 100 })) });
  const plan = qc.addPlan({ name: '主推', budget: 1000, bid: 12.34 });
  const t = qc.issueTokens();
  const now = Date.now();
  const vault = new MemoryVault([{ platform: 'qianchuan', account: qc.advertiserId, appId: qc.appId, appSecret: qc.secret, accessToken: t.accessToken, refreshToken: t.refreshToken, accessExpiresAt: now + t.expiresIn * 1000, refreshExpiresAt: now + t.refreshTokenExpiresIn * 1000, updatedAt: now }]);
  const events: SourceEvent[] = [];
  const sink: RoomSink = { name: 'qianchuan', push: (es) => void events.push(...es), priceOf: () => undefined };
  const client = new QianchuanClient({ base: qc.url, vault, account: { advertiserId: qc.advertiserId, appId: qc.appId } });
  source = new QianchuanSource({ sink, client, awemeId: qc.awemeId, roles: { traffic: true, orders: true, session: true }, pollMs: 150, problemBackoff: { initialMs: 200, maxMs: 400 } });
  source.start();
  return { room, plan, vault, events, tokens: t };
}

describe('the 千川 source', () => {
  it('keeps 64-bit ids exact and reads each product once however the pages repeat', async () => {
    const { room, plan, events } = await setup(150);
    qc!.setListChaos({ duplicateAcrossPages: true, reorderBetweenPolls: true });
    await waitFor(() => source!.liveRoomId !== null && events.some((e) => e.type === 'ad'), 'the room and its plan', 15_000);
    expect(BigInt(room.roomId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(source!.liveRoomId).toBe(room.roomId);
    expect(events.find((e) => e.type === 'ad')).toMatchObject({ planId: plan.adId, bidFen: 1234, dailyBudgetFen: 100_000 });
    const catalog = events.find((e) => e.type === 'catalog') as Extract<SourceEvent, { type: 'catalog' }>;
    expect(new Set(catalog.products.map((p) => p.id)).size).toBe(150);
    expect(catalog.products.map((p) => p.id).sort()).toEqual(room.products.map((p) => p.productId).sort());
    await waitFor(() => source!.tally.duplicates > 0, 'a duplicate across pages seen and dropped', 15_000);
  });

  it('waits out a rate limit, says which layer tripped, and carries on', async () => {
    const { events } = await setup();
    await waitFor(() => source!.state.status === 'live', 'live', 15_000);
    qc!.failNext('today_live/room/get', { code: 40110 }, 2);
    await waitFor(() => source!.state.problem === 'rateLimited', 'rate limited', 10_000);
    expect(source!.state.status).toBe('reconnecting');
    expect(source!.state.error).toMatch(/40110/);
    expect(source!.state.error).toMatch(/developer/);
    const n = events.length;
    await waitFor(() => source!.state.status === 'live' && source!.state.problem === null && events.length > n, 'live again with new figures', 15_000);
  });

  it('refreshes an expired token, saving the new pair before using it', async () => {
    const { vault, events, tokens } = await setup();
    await waitFor(() => events.some((e) => e.type === 'ad'), 'first figures', 15_000);
    qc!.expireAccessTokens();
    await waitFor(() => vault.saves.length >= 1, 'a new pair saved', 15_000);
    const saved = vault.saves.at(-1)!;
    expect(saved.refreshToken).not.toBe(tokens.refreshToken);
    expect(saved.accessToken).not.toBe(tokens.accessToken);
    const n = events.length;
    await waitFor(() => events.length > n + 3, 'figures flowing on the new token', 15_000);
    expect(source!.state.status).toBe('live');
  });

  it('stops on a revoked authorisation, naming the account and what to do', async () => {
    await setup();
    await waitFor(() => source!.state.status === 'live', 'live', 15_000);
    qc!.revokeTokens();
    await waitFor(() => source!.state.status === 'failed', 'failed', 15_000);
    expect(source!.state.error).toContain(qc!.advertiserId);
    expect(source!.state.error).toMatch(/lcr auth qianchuan/);
  });
});
