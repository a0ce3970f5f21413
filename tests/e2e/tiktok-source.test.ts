/**
 * A real-source room on the dashboard (issue 7): `npm start`'s launcher in browser mode with
 * LCR_SOURCE=tiktok-chat-reader pointed at a TikTok-Chat-Reader-style server on loopback. The
 * operator sees the room, the viewer count the server sent, its comments in the ticker and the
 * follows growing; when the source server dies the badge says 连接中断/reconnecting, and when it
 * comes back the room carries on live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { FakeTikTokChatReader } from '../helpers/fake-tiktok.ts';

let app: ChildProcess;
let browser: Browser;
let page: Page;
let cleanup: () => void;
const fake = new FakeTikTokChatReader({ tickMs: 100, title: 'TikTok Shop 夏季上新' });
const pageErrors: string[] = [];

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  await fake.listen();
  let url: string;
  ({ child: app, url } = await startBrowserApp({ LCR_DATA_DIR: t.dir, LCR_SOURCE: 'tiktok-chat-reader', LCR_FEED_URL: fake.url, LCR_ROOMS: 'shopcreator' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await fake.kill();
  cleanup?.();
});

async function kpi(name: string): Promise<number | null> {
  const v = await page.getAttribute(`[data-testid="kpi-${name}"]`, 'data-value');
  return v === null || v === '' ? null : Number(v);
}

describe('the dashboard driven by a TikTok-Chat-Reader source', () => {
  it('shows the TikTok room live with what the server sent', async () => {
    await page.getByTestId('room-title').filter({ hasText: 'TikTok Shop 夏季上新' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 15_000 }).toBe('live');
    // The source's name comes with the overview, which can land just after the first push says live.
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toContain('TikTok');
    // Online now follows the server's viewerCount (it changes every tick: poll until they meet).
    await waitFor(async () => (await kpi('onlineNow')) === fake.viewers, 'online now = the viewer count sent', 15_000, 50);
    // Follows come every 9th tick: the new-follower tile counts them as they come.
    const follows1 = await waitFor(async () => (await kpi('newFollowers')) || null, 'follows counted', 10_000);
    await waitFor(async () => ((await kpi('newFollowers')) ?? 0) > follows1, 'follows growing', 10_000);
    await page.getByTestId('comment-ticker').filter({ hasText: '多少钱' }).waitFor();
    // No orders come from a viewer-side source: GMV is unknown, not ¥0.
    expect(await kpi('gmvFen')).toBeNull();
    await expect(page.getByTestId('kpi-noorders-gmvFen').textContent()).resolves.toBe('数据源不含订单');
    // TikTok-Chat-Reader gives no viewer count of people: UV is unknown, not zero.
    expect(await kpi('uv')).toBeNull();
  });

  it('says the source is down while it is, and carries on live after it restarts', async () => {
    const port = fake.port;
    await fake.kill();
    await expect.poll(() => page.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 15_000 }).toBe('reconnecting');
    // In words, Chinese first (the source's own words are the tooltip).
    await expect.poll(() => page.getByTestId('source-problem').textContent().catch(() => null), { timeout: 15_000 }).toBe('无法连接数据来源，正在重试');
    await fake.listen(port);
    await expect.poll(() => page.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 30_000 }).toBe('live');
    const pv = (await kpi('pv')) ?? 0;
    await waitFor(async () => ((await kpi('pv')) ?? 0) > pv, 'entries counted again after the restart', 15_000);
    await expect(page.locator('[data-testid^="room-tab-"]').count()).resolves.toBe(1);
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
