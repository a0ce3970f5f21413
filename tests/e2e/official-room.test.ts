/**
 * A real Douyin room on the official APIs, as a new user starts the app: `npm start`'s launcher in
 * browser mode with LCR_SOURCE=qianchuan,doudian and the accounts in the environment, pointed at
 * the 千川 and 抖店 emulators (loopback HTTP, built from the official SDKs' models). The dashboard
 * fills in from them with each figure's origin, the ad buyer changes a plan's daily budget through
 * preview and confirmation — it reaches the emulator and comes back in the next poll — and the
 * report sets 抖店's GMV beside 千川's. No secret appears on the page or in the app's output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/util.ts';
import { QianchuanEmulator, type PlanSnapshot, type RoomSnapshot } from '../emulators/qianchuan.ts';
import { DoudianEmulator } from '../emulators/doudian.ts';

let app: ChildProcess;
let output: () => string;
let browser: Browser;
let page: Page;
let qc: QianchuanEmulator;
let dd: DoudianEmulator;
let room: RoomSnapshot;
let plan: PlanSnapshot;
const secrets: string[] = [];
const cleanups: Array<() => void> = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const keyDir = mkdtempSync(join(tmpdir(), 'lcr-key-'));
  cleanups.push(() => rmSync(keyDir, { recursive: true, force: true }));
  qc = await QianchuanEmulator.start({ now: () => Date.now(), seed: 3 });
  dd = await DoudianEmulator.start({ now: () => Date.now() });
  room = qc.addRoom({
    title: '双十二美妆专场',
    startedAt: Date.now() - 20_000,
    entriesPerSec: 30,
    explainEveryMs: 15_000,
    products: [
      { title: '清透隔离乳', price: 49.9, stock: 800 },
      { title: '氨基酸洁面', price: 39.9, stock: 600 },
      { title: '修护精华', price: 129, stock: 300 },
    ],
  });
  plan = qc.addPlan({ name: '直播间成交-主推', budget: 3000, bid: 30 });
  qc.addPlan({ kind: 'uni', name: '全域推广-大促', budget: 5000, roiGoal: 3 });
  const qcSeed = qc.issueTokens();
  const ddRecord = dd.accountRecord();
  secrets.push(qc.secret, qcSeed.refreshToken, ddRecord.appSecret, ddRecord.refreshToken!);
  let url: string;
  ({ child: app, url, output } = await startBrowserApp({
    LCR_DATA_DIR: t.dir,
    LCR_VAULT_KEY_FILE: join(keyDir, 'vault.key'),
    LCR_SOURCE: 'qianchuan,doudian',
    LCR_ROOMS: qc.awemeId,
    LCR_API_POLL_SEC: '1',
    LCR_QIANCHUAN_API: qc.url,
    LCR_QIANCHUAN_APP_ID: qc.appId,
    LCR_QIANCHUAN_ADVERTISER_ID: qc.advertiserId,
    LCR_QIANCHUAN_SECRET: qc.secret,
    LCR_QIANCHUAN_REFRESH_TOKEN: qcSeed.refreshToken,
    LCR_DOUDIAN_API: dd.url,
    LCR_DOUDIAN_APP_KEY: dd.appKey,
    LCR_DOUDIAN_APP_SECRET: ddRecord.appSecret,
    LCR_DOUDIAN_SHOP_ID: dd.shopId,
    LCR_DOUDIAN_REFRESH_TOKEN: ddRecord.refreshToken!,
  }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await qc?.close();
  await dd?.close();
  for (const c of cleanups.reverse()) c();
});

async function attr(testId: string, name: string): Promise<string | null> {
  return page.getAttribute(`[data-testid="${testId}"]`, name).catch(() => null);
}

describe('a Douyin room on 千川 and 抖店 in the app', () => {
  it('fills the dashboard from the official APIs, each figure with its origin', async () => {
    await page.getByTestId('room-title').filter({ hasText: '双十二美妆专场' }).waitFor({ timeout: 30_000 });
    const product = room.products[0]!.productId;
    dd.addOrder({ roomId: room.roomId, skus: [{ productId: product, unitFen: 4990, qty: 2 }] });
    dd.addOrder({ roomId: room.roomId, skus: [{ productId: room.products[2]!.productId, unitFen: 12_900, qty: 1 }] });
    dd.addOrder({ roomId: '7300000000000000001', skus: [{ productId: product, unitFen: 99_900, qty: 1 }] });
    // GMV is 抖店's orders of this room, in fen, and says so.
    await expect.poll(() => attr('kpi-gmvFen', 'data-value'), { timeout: 30_000 }).toBe(String(4990 * 2 + 12_900));
    await expect.poll(() => attr('kpi-gmvFen', 'data-origin')).toBe('doudian');
    await expect.poll(() => attr('kpi-orders', 'data-value')).toBe('2');
    // Views come from 千川's watch count, differenced between polls.
    await expect.poll(async () => Number((await attr('kpi-pv', 'data-value')) || 0), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await attr('kpi-pv', 'data-origin')).toBe('qianchuan');
    await expect.poll(() => attr('origin-orders', 'data-source')).toBe('doudian');
    await expect.poll(() => attr('origin-clicks', 'data-basis')).toBe('polled');
    const tip = await page.getByTestId('kpi-pv').getAttribute('title');
    expect(tip).toContain('巨量千川 API');
    expect(tip).toContain('当天数据会有波动');
    // The product being explained comes from 千川's product list.
    await expect.poll(() => page.getByTestId('pinned-product').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/清透隔离乳|氨基酸洁面|修护精华/);
    // The suggestion panel ranks the room's products from what 千川 and 抖店 say.
    await expect.poll(() => page.locator('[data-testid="suggestions"] [data-suggestion-id]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(process.env.LCR_SCREENSHOT_DIR ?? tmpdir(), 'official-room-live.png') });
  });

  it('changes the plan’s daily budget on 千川: preview, confirm, the platform’s answer, the next poll', async () => {
    await page.getByTestId('tab-ads').click();
    const card = page.getByTestId(`ad-plan-${plan.adId}`);
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.getAttribute('data-daily-budget')).toBe('300000');
    await card.getByTestId('pc-value').fill('4000');
    await card.getByTestId('pc-reason').fill('转化好，加预算');
    await card.getByTestId('pc-preview-btn').click();
    const preview = card.getByTestId('pc-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('data-blocked')).toBe('0');
    await expect(preview.getByTestId('pc-preview-item').getAttribute('data-after')).resolves.toBe('400000');
    // Nothing reached the platform before the confirmation.
    expect(qc.writes()).toHaveLength(0);
    await page.screenshot({ path: join(process.env.LCR_SCREENSHOT_DIR ?? tmpdir(), 'official-room-preview.png') });
    await card.getByTestId('pc-confirm').click();
    await expect.poll(() => card.getByTestId('pc-result').getAttribute('data-outcome').catch(() => null), { timeout: 20_000 }).toBe('confirmed');
    expect(qc.plan(plan.adId)!.budgetFen).toBe(400_000);
    // The next poll brings the new budget into the card; the log has the change, confirmed.
    await expect.poll(() => card.getAttribute('data-daily-budget'), { timeout: 20_000 }).toBe('400000');
    await expect.poll(() => page.locator('[data-testid="ad-log-result"][data-result="confirmed"]').count(), { timeout: 10_000 }).toBe(1);
    // A tenfold change is held back by the team's rail, in words.
    await card.getByTestId('pc-value').fill('40000');
    await card.getByTestId('pc-preview-btn').click();
    await expect.poll(() => preview.getAttribute('data-blocked').catch(() => null)).toBe('1');
    await expect(card.locator('[data-testid="pc-problem"][data-code="guard.step"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(process.env.LCR_SCREENSHOT_DIR ?? tmpdir(), 'official-room-ads.png') });
    await card.getByTestId('pc-cancel').click();
  });

  it('sets 抖店’s GMV beside 千川’s in the report once the show ends', async () => {
    qc.endRoom(room.roomId);
    await page.getByTestId('tab-live').click();
    await expect.poll(() => page.getByTestId('room-status').getAttribute('class'), { timeout: 30_000 }).toContain('ended');
    await page.getByTestId('view-retro').click();
    const item = page.locator(`[data-testid="session-item"][data-room="${qc.awemeId}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.locator('.session-open').click();
    const check = page.getByTestId('report-gmv-check');
    await check.waitFor({ timeout: 30_000 });
    await expect(check.textContent()).resolves.toContain('抖店订单成交');
    await expect(check.textContent()).resolves.toContain('千川整体成交');
    await expect(check.textContent()).resolves.toContain('次日稳定');
    await page.screenshot({ path: join(process.env.LCR_SCREENSHOT_DIR ?? tmpdir(), 'official-room-report.png'), fullPage: true });
  });

  it('shows no secret anywhere and had no page errors', async () => {
    const html = await page.content();
    for (const s of secrets) {
      expect(html.includes(s)).toBe(false);
      expect(output().includes(s)).toBe(false);
    }
    expect(pageErrors).toEqual([]);
  });
});
