/**
 * Team mode as a team uses it (PRODUCT.md T1, T2): the owner invites teammates from 设置 → 团队
 * (link and QR code) and from `lcr invite`; the host opens their link on a tablet and sees only the
 * prompt screen; the 场控 opens theirs on a phone, sends "讲一下尺码", the host taps 收到 and the
 * 场控 sees it acknowledged; the owner sees who is connected and revokes the host's link, which
 * cuts the host's page off. Real app (npm start's launcher, browser mode), real Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { lcrRun, startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/util.ts';

let app: ChildProcess;
let dir: string;
let browser: Browser;
let owner: Page;
let host: Page;
let operator: Page;
let hostUrl: string;
const cleanups: Array<() => void> = [];
const pageErrors: string[] = [];
const shots = process.env.LCR_SHOTS_DIR;

async function newPage(width: number, height: number, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  dir = t.dir;
  // A run-of-show for the prompt screen's countdown (the app takes it up when the show starts).
  writeFileSync(join(dir, 'plan.csv'), '商品,时长\nbea-mask,3\nbea-lip,3\nbea-cleanser,3\nbea-cushion,3\n');
  const plan = await lcrRun(['plan', '--room', 'sim-beauty', '--file', join(dir, 'plan.csv')], { LCR_DATA_DIR: dir });
  expect(plan.code, plan.stderr).toBe(0);
  let url: string;
  ({ child: app, url } = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '5', LCR_SCENARIO: 'small-fashion,daily-beauty', LCR_SEED: '2' }));
  browser = await launchChromium();
  owner = await newPage(1600, 1000, url);
  await owner.getByTestId('room-tab-sim-beauty').click({ timeout: 30_000 });
  await owner.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  for (const c of cleanups.reverse()) c();
});

describe('team mode in the app', () => {
  it('invites the host from 设置 → 团队 with a link shown once and a QR code', async () => {
    await owner.getByTestId('open-settings').click();
    const team = owner.getByTestId('team');
    await team.waitFor();
    // Loopback only: the page says other devices cannot open the link yet, and how to change that.
    await team.getByTestId('team-local').waitFor();
    await team.getByTestId('invite-role').selectOption('host');
    await team.getByTestId('invite-name').fill('小美');
    await team.getByTestId('invite-create').click();
    const link = team.getByTestId('invite-link');
    await link.waitFor();
    expect(await link.getAttribute('data-role')).toBe('host');
    hostUrl = (await link.getByTestId('invite-url').textContent())!;
    expect(hostUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
    // A real QR code: an SVG of dark modules.
    await expect.poll(() => link.getByTestId('invite-qr').locator('svg path').count()).toBeGreaterThan(0);
    await team.getByTestId('invite-item').filter({ hasText: '小美' }).waitFor();
    if (shots) await owner.screenshot({ path: `${shots}/team-invite.png` });
    await owner.keyboard.press('Escape');
  });

  it('shows the host only the prompt screen, readable at a distance, with nothing that changes the room', async () => {
    host = await newPage(1280, 800, hostUrl);
    const screen = host.getByTestId('prompt-screen');
    await screen.waitFor({ timeout: 30_000 });
    // Two rooms in this control room: the host picks theirs, and the tablet remembers it.
    const pick = host.getByTestId('prompt-room-pick');
    await pick.selectOption('sim-beauty', { timeout: 30_000 });
    await expect.poll(() => pick.inputValue()).toBe('sim-beauty');
    await host.reload();
    await expect.poll(() => host.getByTestId('prompt-room-pick').inputValue(), { timeout: 30_000 }).toBe('sim-beauty');
    // The product being explained, in big type, once the show pins one.
    await expect.poll(() => host.getByTestId('prompt-now').getAttribute('data-product'), { timeout: 30_000 }).not.toBe('');
    const size = Number(await host.evaluate(`parseFloat(getComputedStyle(document.querySelector('[data-testid="prompt-now"] .prompt-product')).fontSize)`));
    expect(size).toBeGreaterThanOrEqual(48);
    await expect.poll(() => host.getByTestId('prompt-trend').getAttribute('data-points'), { timeout: 30_000 }).not.toBe('0');
    // The countdown to the run-of-show's next switch runs.
    await expect.poll(() => host.getByTestId('prompt-countdown').getAttribute('data-sec'), { timeout: 30_000 }).toMatch(/^-?\d+$/);
    // No dashboard, no settings, no pin buttons.
    expect(await host.getByTestId('open-settings').count()).toBe(0);
    expect(await host.locator('[data-testid^="pin-"]').count()).toBe(0);
  });

  it('lets the 场控, invited from the command line, message the host from a phone; the host acknowledges', async () => {
    const r = await lcrRun(['invite', '--role', 'operator', '--name', '小王', '--hours', '8', '--json'], { LCR_DATA_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    const inv = JSON.parse(r.stdout) as { id: string; role: string; name: string; token: string; url: string; expiresAt: number };
    expect(inv).toMatchObject({ role: 'operator', name: '小王' });
    expect(inv.url).toBe(`${new URL(hostUrl).origin}/?token=${inv.token}`);
    operator = await newPage(390, 844, inv.url);
    await operator.getByTestId('me').filter({ hasText: '场控 · 小王' }).waitFor({ timeout: 30_000 });
    await operator.getByTestId('room-tab-sim-beauty').click();
    await operator.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor();
    // The phone layout: nothing wider than the screen.
    const overflow = Number(await operator.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(1);
    const sender = operator.getByTestId('prompt-sender');
    await sender.waitFor({ timeout: 30_000 });
    await sender.getByTestId('prompt-text').fill('讲一下尺码');
    await sender.getByTestId('prompt-send').click();
    const message = host.getByTestId('prompt-message').filter({ hasText: '讲一下尺码' });
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain('小王');
    if (shots) {
      await host.screenshot({ path: `${shots}/prompt-screen.png` });
      await operator.screenshot({ path: `${shots}/operator-phone.png` });
    }
    await message.getByTestId('prompt-ack').click();
    await message.waitFor({ state: 'detached' });
    await sender.getByTestId('prompt-sent-item').filter({ hasText: '讲一下尺码' }).and(operator.locator('[data-acked="1"]')).waitFor();
  });

  it('gives the 助理 a read-only dashboard: nothing to pin, accept or acknowledge, no settings but the language', async () => {
    const r = await lcrRun(['invite', '--role', 'assistant', '--name', '小林', '--json'], { LCR_DATA_DIR: dir });
    const assistant = await newPage(1280, 800, (JSON.parse(r.stdout) as { url: string }).url);
    await assistant.getByTestId('me').filter({ hasText: '助理 · 小林' }).waitFor({ timeout: 30_000 });
    await assistant.getByTestId('room-tab-sim-beauty').click({ timeout: 30_000 });
    await assistant.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor();
    await assistant.locator('[data-testid="product-board"] tbody tr').first().waitFor({ timeout: 30_000 });
    await assistant.getByTestId('suggest-next-up').waitFor({ timeout: 30_000 });
    expect(await assistant.locator('button[data-testid^="pin-"]').count()).toBe(0);
    expect(await assistant.getByTestId('suggest-accept').count()).toBe(0);
    expect(await assistant.getByTestId('plan-edit').count()).toBe(0);
    expect(await assistant.getByTestId('prompt-sender').count()).toBe(0);
    await assistant.getByTestId('open-settings').click();
    await assistant.getByTestId('settings-me').waitFor();
    expect(await assistant.getByTestId('team').count()).toBe(0);
    expect(await assistant.getByTestId('data-dir').count()).toBe(0);
    expect(await assistant.getByTestId('target-ctr').count()).toBe(0);
    await assistant.context().close();
  });

  it('shows the owner who is connected, and revoking the host link cuts the host off', async () => {
    await owner.getByTestId('open-settings').click();
    const team = owner.getByTestId('team');
    // (A page that reconnected under load may be listed twice until the server drops the old socket.)
    await team.getByTestId('team-connection').filter({ hasText: '小美' }).first().waitFor();
    await team.getByTestId('team-connection').filter({ hasText: '小王' }).first().waitFor();
    await team.getByTestId('invite-item').filter({ hasText: '小美' }).getByTestId('invite-revoke').click();
    await team.getByTestId('invite-item').filter({ hasText: '小美' }).and(owner.locator('[data-state="revoked"]')).waitFor();
    // The host's page loses the room and says why: it cannot reconnect with a revoked link.
    await host.getByTestId('link-ended').waitFor({ timeout: 30_000 });
    expect(await host.getByTestId('prompt-screen').count()).toBe(0);
    await expect.poll(() => team.getByTestId('team-connection').filter({ hasText: '小美' }).count(), { timeout: 30_000 }).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
