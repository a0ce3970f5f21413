/**
 * `lcr record --source qianchuan` and `lcr ad` as a script runs them, against the 千川 emulator:
 * the account from the environment (its refresh token a seed the app rotates and keeps in the
 * vault), a show recorded into the store, a plan paused through the console's checks with the
 * platform's answer printed, a guard rail refusing a tenfold budget with exit 1, and no secret on
 * any output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QianchuanEmulator } from '../emulators/qianchuan.ts';
import { TikTokShopEmulator } from '../emulators/tiktok-shop.ts';
import { startGmvMaxEmulator } from '../emulators/gmv-max.ts';
import { lcr, lcrRun } from '../helpers/processes.ts';
import { readStore } from '../helpers/engine.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

let qc: QianchuanEmulator | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await qc?.close();
  qc = undefined;
  while (cleanups.length) cleanups.pop()!();
});

describe('lcr record and lcr ad on 千川', () => {
  it('records the room, pauses a plan with the platform answer, and refuses what the rails forbid', async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const keyDir = mkdtempSync(join(tmpdir(), 'lcr-key-'));
    cleanups.push(() => rmSync(keyDir, { recursive: true, force: true }));
    qc = await QianchuanEmulator.start({ now: () => Date.now() });
    qc.addRoom({ title: '晚场', startedAt: Date.now() - 10_000, products: [{ title: '洁面', price: 39.9, stock: 100 }] });
    const plan = qc.addPlan({ name: '主推计划', budget: 2000, bid: 20 });
    const seed = qc.issueTokens();
    const env = {
      LCR_DATA_DIR: data.dir,
      LCR_VAULT_KEY_FILE: join(keyDir, 'vault.key'),
      LCR_SOURCE: 'qianchuan',
      LCR_ROOMS: qc.awemeId,
      LCR_QIANCHUAN_API: qc.url,
      LCR_QIANCHUAN_APP_ID: qc.appId,
      LCR_QIANCHUAN_ADVERTISER_ID: qc.advertiserId,
      LCR_QIANCHUAN_SECRET: qc.secret,
      LCR_QIANCHUAN_REFRESH_TOKEN: seed.refreshToken,
      LCR_API_POLL_SEC: '1',
    };
    const rec = lcr(['record'], env);
    await waitFor(() => {
      try {
        const db = readStore(data.dir);
        try {
          return (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ad'").get() as { n: number }).n > 0;
        } finally {
          db.close();
        }
      } catch {
        return false;
      }
    }, 'the plan recorded', 30_000);
    rec.child.kill('SIGTERM');
    expect(await rec.exited).toBe(0);

    const paused = await lcrRun(['ad', '--room', qc.awemeId, '--plan', plan.adId, '--pause', '--reason', '亏损暂停', '--by', '小李'], env);
    expect(paused.stderr + paused.stdout).toContain(plan.adId);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(new RegExp(`${plan.adId}\\tconfirmed`));
    expect(qc.plan(plan.adId)!.optStatus).toBe('DISABLE');

    // Tenfold in one step: the team's rail refuses it, nothing reaches the platform, exit 1.
    const writes = qc.writes().length;
    const big = await lcrRun(['ad', '--room', qc.awemeId, '--plan', plan.adId, '--daily-budget', '20000', '--json'], env);
    expect(big.code).toBe(1);
    const doc = JSON.parse(big.stdout) as { preview: { blocked: boolean; items: Array<{ problems: Array<{ code: string }> }> } };
    expect(doc.preview.blocked).toBe(true);
    expect(doc.preview.items[0]!.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['guard.step']));
    expect(qc.writes().length).toBe(writes);

    // The change is in the store's action log, with who and why.
    const db = readStore(data.dir);
    const row = db.prepare('SELECT type, result, by_name, reason, answer FROM ad_actions').get() as { type: string; result: string; by_name: string; reason: string; answer: string };
    db.close();
    expect(row).toMatchObject({ type: 'adPause', result: 'confirmed', by_name: '小李', reason: '亏损暂停' });

    // The rotated pair is kept in the vault; the status names the account and no secret leaks anywhere.
    const status = await lcrRun(['auth', '--status', '--json'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(qc.advertiserId);
    const everything = [paused.stdout, paused.stderr, big.stdout, big.stderr, rec.stdout(), rec.stderr(), status.stdout, status.stderr].join('\n');
    for (const secret of [qc.secret, seed.refreshToken, seed.accessToken]) expect(everything).not.toContain(secret);
    for (const f of readdirSync(data.dir)) {
      if (!/\.(json|vault|sqlite)$/.test(f)) continue;
      const bytes = readFileSync(join(data.dir, f)).toString('latin1');
      for (const secret of [qc.secret, seed.refreshToken]) expect(bytes.includes(secret), `${f} holds a secret`).toBe(false);
    }
  });
});

describe('lcr ad on TikTok GMV Max', () => {
  it('changes a campaign’s budget in the advertiser’s currency with the platform’s answer, and refuses what the rails forbid', async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const keyDir = mkdtempSync(join(tmpdir(), 'lcr-key-'));
    cleanups.push(() => rmSync(keyDir, { recursive: true, force: true }));
    const shop = await TikTokShopEmulator.start({ now: () => Date.now() });
    const ads = await startGmvMaxEmulator({ currency: 'GBP' });
    cleanups.push(() => void shop.close());
    cleanups.push(() => void ads.close());
    const campaign = ads.addCampaign({ name: 'LIVE GMV Max · UK', budget: 150, roasBid: 3 });
    const rec = shop.accountRecord();
    const env = {
      LCR_DATA_DIR: data.dir,
      LCR_VAULT_KEY_FILE: join(keyDir, 'vault.key'),
      LCR_SOURCE: 'tiktok-shop',
      LCR_ROOMS: 'ukshop',
      LCR_TIKTOK_SHOP_API: shop.url,
      LCR_TIKTOK_SHOP_AUTH_API: shop.authUrl,
      LCR_TIKTOK_SHOP_APP_KEY: rec.appId,
      LCR_TIKTOK_SHOP_APP_SECRET: rec.appSecret,
      LCR_TIKTOK_SHOP_ID: rec.account,
      LCR_TIKTOK_SHOP_REFRESH_TOKEN: rec.refreshToken!,
      LCR_TIKTOK_ADS_API: ads.url,
      LCR_TIKTOK_ADS_APP_ID: ads.appId,
      LCR_TIKTOK_ADS_SECRET: ads.secret,
      LCR_TIKTOK_ADS_ADVERTISER_ID: ads.advertiserId,
      LCR_TIKTOK_ADS_STORE_ID: ads.storeId,
      LCR_TIKTOK_ADS_ACCESS_TOKEN: ads.accessToken,
    };
    // The show is recorded first (as the app or lcr record does): the change is logged with it.
    const recording = lcr(['record'], { ...env, LCR_API_POLL_SEC: '1' });
    await waitFor(() => {
      try {
        const db = readStore(data.dir);
        try {
          return (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ad'").get() as { n: number }).n > 0;
        } finally {
          db.close();
        }
      } catch {
        return false;
      }
    }, 'the campaign recorded', 30_000);
    recording.child.kill('SIGTERM');
    expect(await recording.exited).toBe(0);
    // £150 → £165: a 10 % step, inside the default rails; the platform holds it afterwards.
    const raised = await lcrRun(['ad', '--room', 'ukshop', '--plan', campaign.campaignId, '--daily-budget', '165', '--reason', 'ROI above target', '--by', 'Amy'], env);
    expect(raised.code, raised.stderr).toBe(0);
    expect(raised.stdout).toMatch(new RegExp(`${campaign.campaignId}\\tconfirmed`));
    expect(raised.stdout + raised.stderr).toContain('£');
    expect(ads.campaigns.get(campaign.campaignId)!.budget).toBe(165);
    // Tenfold: refused by the team's rail, nothing sent, exit 1.
    const writes = ads.calls.filter((c) => c.method === 'POST').length;
    const big = await lcrRun(['ad', '--room', 'ukshop', '--plan', campaign.campaignId, '--daily-budget', '1650', '--json'], env);
    expect(big.code).toBe(1);
    const doc = JSON.parse(big.stdout) as { preview: { blocked: boolean; items: Array<{ problems: Array<{ code: string }> }> } };
    expect(doc.preview.blocked).toBe(true);
    expect(doc.preview.items[0]!.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['guard.step']));
    expect(ads.calls.filter((c) => c.method === 'POST').length).toBe(writes);
    const db = readStore(data.dir);
    const row = db.prepare('SELECT type, result, by_name, reason FROM ad_actions').get() as { type: string; result: string; by_name: string; reason: string };
    db.close();
    expect(row).toMatchObject({ type: 'adDailyBudget', result: 'confirmed', by_name: 'Amy', reason: 'ROI above target' });
    const everything = [raised.stdout, raised.stderr, big.stdout, big.stderr, recording.stdout(), recording.stderr()].join('\n');
    for (const secret of [ads.secret, ads.accessToken, rec.appSecret, rec.refreshToken!]) expect(everything).not.toContain(secret);
  });
});
