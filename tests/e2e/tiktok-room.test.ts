/**
 * A TikTok Shop LIVE as a new user starts the app (issue 19): `npm start`'s launcher in browser mode
 * with LCR_SOURCE=tiktok-chat-reader,tiktok-shop — the viewer stream from a TikTok-Chat-Reader-style
 * server, the shop's orders from the TikTok Shop Partner API emulator, GMV Max from the TikTok API
 * for Business emulator (both loopback HTTP, built from the SDKs' models), accounts from the
 * environment. The dashboard shows the room's GMV in dollars with its origin and the attribution
 * rule, an order paid before the LIVE is left out, the ad buyer changes the GMV Max budget through
 * preview and confirmation, and the report sets the orders taken by the rule beside the LIVE
 * analytics. No secret appears on the page or in the app's output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/util.ts';
import { FakeTikTokChatReader } from '../helpers/fake-tiktok.ts';
import { TikTokShopEmulator } from '../emulators/tiktok-shop.ts';
import { startGmvMaxEmulator, type GmvMaxEmulator, type EmuCampaign } from '../emulators/gmv-max.ts';

let app: ChildProcess;
let output: () => string;
let browser: Browser;
let page: Page;
let shop: TikTokShopEmulator;
let ads: GmvMaxEmulator;
let campaign: EmuCampaign;
const fake = new FakeTikTokChatReader({ tickMs: 200, title: 'Summer drop LIVE', startedMinutesAgo: 3 });
const secrets: string[] = [];
const cleanups: Array<() => void> = [];
const pageErrors: string[] = [];
const shot = (name: string) => join(process.env.LCR_SCREENSHOT_DIR ?? tmpdir(), name);

/** A port nothing listens on now (the app's webhook receiver takes it). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const keyDir = mkdtempSync(join(tmpdir(), 'lcr-key-'));
  cleanups.push(() => rmSync(keyDir, { recursive: true, force: true }));
  await fake.listen();
  shop = await TikTokShopEmulator.start({ now: () => Date.now() });
  ads = await startGmvMaxEmulator({ currency: 'USD' });
  campaign = ads.addCampaign({ name: 'LIVE GMV Max · Summer', budget: 200, roasBid: 4 });
  ads.addSpend(campaign.campaignId, ads.roomId, { cost: 12.3, grossRevenue: 61.5, orders: 4, liveViews: 800 });
  const webhookPort = await freePort();
  shop.webhookUrl = `http://127.0.0.1:${webhookPort}/tiktok-shop/webhook`;
  const record = shop.accountRecord();
  secrets.push(record.appSecret, record.refreshToken!, ads.secret, ads.accessToken);
  let url: string;
  ({ child: app, url, output } = await startBrowserApp({
    LCR_DATA_DIR: t.dir,
    LCR_VAULT_KEY_FILE: join(keyDir, 'vault.key'),
    LCR_SOURCE: 'tiktok-chat-reader,tiktok-shop',
    LCR_FEED_URL: fake.url,
    LCR_ROOMS: 'summershop',
    LCR_API_POLL_SEC: '1',
    LCR_TIKTOK_SHOP_API: shop.url,
    LCR_TIKTOK_SHOP_AUTH_API: shop.authUrl,
    LCR_TIKTOK_SHOP_APP_KEY: record.appId,
    LCR_TIKTOK_SHOP_APP_SECRET: record.appSecret,
    LCR_TIKTOK_SHOP_ID: record.account,
    LCR_TIKTOK_SHOP_REFRESH_TOKEN: record.refreshToken!,
    LCR_TIKTOK_SHOP_WEBHOOK_PORT: String(webhookPort),
    LCR_TIKTOK_ADS_API: ads.url,
    LCR_TIKTOK_ADS_APP_ID: ads.appId,
    LCR_TIKTOK_ADS_SECRET: ads.secret,
    LCR_TIKTOK_ADS_ADVERTISER_ID: ads.advertiserId,
    LCR_TIKTOK_ADS_STORE_ID: ads.storeId,
    LCR_TIKTOK_ADS_ACCESS_TOKEN: ads.accessToken,
  }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await fake.kill();
  await shop?.close();
  await ads?.close();
  for (const c of cleanups.reverse()) c();
});

async function attr(testId: string, name: string): Promise<string | null> {
  return page.getAttribute(`[data-testid="${testId}"]`, name).catch(() => null);
}

describe('a TikTok Shop LIVE on TikTok-Chat-Reader, TikTok Shop and GMV Max in the app', () => {
  it('fills the dashboard: GMV in the shop’s currency from its orders, with the rule that took them', async () => {
    await page.getByTestId('room-title').filter({ hasText: 'Summer drop LIVE' }).waitFor({ timeout: 30_000 });
    // Two orders paid during the LIVE, one paid before it began: only the two are the LIVE's.
    shop.addOrder({ currency: 'USD', items: [{ productId: '1729384756102938475', price: '19.99', qty: 2, name: 'Silk Serum 30ml' }] });
    shop.addOrder({ currency: 'USD', items: [{ productId: '1729384756102938476', price: '5.01', name: 'Lip Tint Mini' }] });
    shop.addOrder({ currency: 'USD', at: Date.now() - 30 * 60_000, items: [{ productId: '1729384756102938477', price: '99.00', name: 'Gift Box (sold before the LIVE)' }] });
    await expect.poll(() => attr('kpi-gmvFen', 'data-value'), { timeout: 40_000 }).toBe(String(1999 * 2 + 501));
    await expect.poll(() => attr('kpi-gmvFen', 'data-origin')).toBe('tiktok-shop');
    await expect.poll(() => attr('kpi-orders', 'data-value')).toBe('2');
    // Dollars, never ¥; the tooltip says the currency and the rule.
    const gmvText = await page.getByTestId('kpi-gmvFen').locator('.kpi-value').textContent();
    expect(gmvText).toBe('$44.99');
    const tip = (await page.getByTestId('kpi-gmvFen').getAttribute('title')) ?? '';
    expect(tip).toContain('TikTok Shop 订单 API');
    expect(tip).toContain('USD');
    expect(tip).toContain('直播时段内支付');
    // The audience is the viewer stream's.
    expect(await attr('kpi-onlineNow', 'data-origin')).toBe('tiktok-chat-reader');
    // TikTok-Chat-Reader names no products: the board learns them from the LIVE's orders, by name, in dollars.
    const board = page.getByTestId('product-board');
    await expect.poll(() => board.textContent(), { timeout: 20_000 }).toContain('Silk Serum 30ml');
    expect(await board.textContent()).toContain('Lip Tint Mini');
    expect(await board.textContent()).not.toContain('sold before the LIVE');
    expect(await board.textContent()).toContain('$39.98');
    // The suggestion panel ranks them.
    await expect.poll(() => page.locator('[data-testid="suggestions"] [data-suggestion-id]').count(), { timeout: 40_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: shot('tiktok-room-live.png') });
  });

  it('takes the shop’s webhooks: a signed notice is answered at once and its order counted, a forged one refused', async () => {
    const { orderId } = shop.addOrder({ currency: 'USD', items: [{ productId: '1729384756102938476', price: '5.01', name: 'Lip Tint Mini' }] });
    const [ok] = await shop.deliver([shop.orderNotification(orderId)]);
    expect(ok!.status).toBe(200);
    const [forged] = await shop.deliver([shop.orderNotification(orderId)], { badSignature: true, maxAttempts: 1 });
    expect(forged!.status).toBe(401);
    await expect.poll(() => attr('kpi-orders', 'data-value'), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => attr('origin-orders', 'data-basis')).toBe('pushed');
  });

  it('shows the GMV Max campaign in dollars and changes its budget: preview, confirm, the platform, the next poll', async () => {
    await page.getByTestId('tab-ads').click();
    const card = page.getByTestId(`ad-plan-${campaign.campaignId}`);
    await card.waitFor({ timeout: 40_000 });
    await expect.poll(() => card.getAttribute('data-daily-budget'), { timeout: 20_000 }).toBe('20000');
    expect(await card.getAttribute('data-currency')).toBe('USD');
    await card.getByTestId('pc-value').fill('220');
    await card.getByTestId('pc-reason').fill('ROI above target');
    await card.getByTestId('pc-preview-btn').click();
    const preview = card.getByTestId('pc-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('data-blocked')).toBe('0');
    await expect(preview.getByTestId('pc-preview-item').getAttribute('data-after')).resolves.toBe('22000');
    await page.screenshot({ path: shot('tiktok-room-preview.png') });
    await card.getByTestId('pc-confirm').click();
    await expect.poll(() => card.getByTestId('pc-result').getAttribute('data-outcome').catch(() => null), { timeout: 20_000 }).toBe('confirmed');
    expect(ads.campaigns.get(campaign.campaignId)!.budget).toBe(220);
    await expect.poll(() => card.getAttribute('data-daily-budget'), { timeout: 20_000 }).toBe('22000');
    await expect.poll(() => page.locator('[data-testid="ad-log-result"][data-result="confirmed"]').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: shot('tiktok-room-ads.png') });
  });

  it('sets the orders taken by the rule beside the LIVE analytics in the report once the LIVE ends', async () => {
    shop.addLiveSession({ startMs: fake.createdAt, endMs: Date.now() + 1000, gmv: '45.00', currency: 'USD', skuOrders: 3 });
    fake.endStream();
    await page.getByTestId('tab-live').click();
    await expect.poll(() => page.getByTestId('room-status').getAttribute('class'), { timeout: 30_000 }).toContain('ended');
    await page.getByTestId('view-retro').click();
    const item = page.locator('[data-testid="session-item"][data-room="summershop"]');
    await item.waitFor({ timeout: 30_000 });
    await item.locator('.session-open').click();
    const check = page.getByTestId('report-gmv-check');
    await expect.poll(() => check.textContent().catch(() => ''), { timeout: 60_000 }).toContain('TikTok 直播数据');
    const text = (await check.textContent()) ?? '';
    expect(text).toContain('TikTok Shop 订单 vs TikTok 直播数据');
    expect(text).toContain('$45');
    expect(text).not.toContain('¥');
    await page.screenshot({ path: shot('tiktok-room-report.png'), fullPage: true });
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
