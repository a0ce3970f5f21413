/**
 * What a new user sees: `npm start` (its launcher, in browser mode on the embedded simulator),
 * the real UI in Chromium, numbers that move, a chart that grows — and a clean stop that leaves
 * the show in the store for `lcr`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ROOT, lcrRun, startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

let app: ChildProcess;
/** What the app printed so far. */
let out: () => string = () => '';
let url = '';
let browser: Browser;
let page: Page;
let dir: string;
let cleanup: () => void;
const pageErrors: string[] = [];
let acceptedProductId: string | null = null;
let dismissedId: string | null = null;
let adBudgetFen: number | null = null;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const started = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '60', LCR_SCENARIO: `daily-beauty,${join(ROOT, 'tests/fixtures/scenarios/traffic-drop.json')}`, LCR_SEED: '3' });
  ({ child: app, url } = started);
  out = started.output;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Alerts go to the desktop: the operator allowed notifications. The OS side is the boundary:
  // the page's real Notification and Web Audio run, and each call is also recorded here.
  await page.context().grantPermissions(['notifications'], { origin: new URL(url).origin });
  await page.addInitScript({ content: DESKTOP_SPY });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  cleanup?.();
});

/** Records each desktop notification (title, body) and each alert tone the page makes, calling the real APIs too. */
const DESKTOP_SPY = `
  window.__lcrNotes = [];
  window.__lcrTones = 0;
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      window.__lcrNotes.push({ title, body: options && options.body });
    }
  };
  const oscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__lcrTones++;
    return oscillator.call(this);
  };
`;
const notes = async () => (await page.evaluate('window.__lcrNotes')) as Array<{ title: string; body: string }>;
const tones = async () => (await page.evaluate('window.__lcrTones')) as number;

async function kpi(name: string): Promise<number | null> {
  const v = await page.getAttribute(`[data-testid="kpi-${name}"]`, 'data-value');
  return v === null || v === '' ? null : Number(v);
}

describe('browser mode, end to end', () => {
  it('prints one loopback URL with a token', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{16,}$/);
    expect(out().match(/Control room:/g)).toHaveLength(1);
  });

  it('shows the simulated room live, in Chinese', async () => {
    await page.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor();
    await expect.poll(() => page.getAttribute('[data-testid="connection"]', 'data-status')).toBe('live');
    await expect(page.getByText('千次观看成交金额').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('在线人数', { exact: true }).count()).resolves.toBe(1);
  });

  it('sees the numbers move and the minute chart grow', async () => {
    const gmv1 = await waitFor(async () => {
      const v = await kpi('gmvFen');
      return v !== null && v > 0 ? v : null;
    }, 'GMV above zero', 30_000);
    const points1 = Number(await page.getAttribute('[data-testid="minute-chart"]', 'data-points'));
    const online = await kpi('onlineNow');
    expect(online).toBeGreaterThan(0);
    const gmv2 = await waitFor(async () => {
      const v = await kpi('gmvFen');
      return v !== null && v > gmv1 ? v : null;
    }, 'GMV to grow', 30_000);
    expect(gmv2).toBeGreaterThan(gmv1);
    await waitFor(async () => Number(await page.getAttribute('[data-testid="minute-chart"]', 'data-points')) > points1 + 1, 'the chart to gain minutes', 30_000);
    // What the tile shows is the formatted figure of the same number (¥ and 万 for Chinese readers).
    const shown = await page.getByTestId('kpi-gmvFen').locator('.kpi-value').textContent();
    expect(shown).toMatch(/^¥[\d,.]+万?$/);
  });

  it('draws the series, shows a minute’s numbers on hover, and switches a series off from the legend', async () => {
    const chart = page.getByTestId('minute-chart');
    await chart.scrollIntoViewIfNeeded();
    /** How many pixels of a canvas are exactly a colour (the series layer's bars are solid rects). */
    const pixels = async (selector: string, rgb: [number, number, number]): Promise<number> =>
      (await page.evaluate(`(() => {
        const [selector, rgb] = ${JSON.stringify([selector, rgb])};
        const c = document.querySelector(selector);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - rgb[0]) < 3 && Math.abs(d[i + 1] - rgb[1]) < 3 && Math.abs(d[i + 2] - rgb[2]) < 3 && d[i + 3] > 250) n++;
        }
        return n;
      })()`)) as number;
    const GMV_ORANGE: [number, number, number] = [0xff, 0xb7, 0x4d];
    const series = '[data-testid="chart-series"]';
    // GMV per minute as bars on the series canvas, once a minute sold anything.
    await waitFor(async () => (await pixels(series, GMV_ORANGE)) > 0, 'GMV bars drawn on the series layer', 30_000);
    // Hovering a minute in the top plot: the line at the minute and the minute's numbers. The
    // plot spans the chart less 72 px either side; data-window is its minutes.
    const box = (await chart.boundingBox())!;
    const [w0, w1] = (await chart.getAttribute('data-window'))!.split('-').map(Number) as [number, number];
    const middle = Math.floor(Number(await chart.getAttribute('data-points')) / 2) + 0.5;
    const xOfMinute = (m: number) => box.x + 72 + ((m - w0) / (w1 - w0)) * (box.width - 144);
    await page.mouse.move(xOfMinute(middle), box.y + 54 + 60);
    const tip = page.getByTestId('chart-tip');
    // Index m is 第{m+1}分钟 on every screen (shared/minutes.ts).
    await tip.filter({ hasText: new RegExp(`^第${Math.floor(middle) + 1}分钟`) }).waitFor();
    await expect(tip.textContent()).resolves.toMatch(/平均在线[\d,.万]+.*每分钟成交金额¥[\d,.]+万?.*GPM.*点击率[\d.]+%/);
    expect(await tip.textContent()).not.toContain('进行中');
    // The minute still being counted says so (it is drawn faded and dashed, not as a drop).
    // At 60× a minute passes every second: read where the last one is and hover it until the two agree.
    await waitFor(async () => {
      const [a, b] = (await chart.getAttribute('data-window'))!.split('-').map(Number) as [number, number];
      const last = Number(await chart.getAttribute('data-points')) - 1;
      await page.mouse.move(box.x + 72 + ((last + 0.5 - a) / (b - a)) * (box.width - 144), box.y + 54 + 60);
      return new RegExp(`^第${last + 1}分钟 进行中，未满一分钟`).test((await tip.textContent()) ?? '');
    }, 'the last minute’s tooltip saying it is still being counted', 20_000);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await tip.waitFor({ state: 'hidden' });
    // The legend switches a series off (its bars leave the canvas) and on again.
    const legend = page.getByTestId('legend-gmv');
    await legend.filter({ hasText: '每分钟成交金额' }).click();
    await expect.poll(() => chart.getAttribute('data-hidden-series')).toBe('gmv');
    await expect(legend.getAttribute('aria-pressed')).resolves.toBe('false');
    await expect.poll(async () => (await pixels(series, GMV_ORANGE))).toBe(0);
    await legend.click();
    await expect.poll(() => chart.getAttribute('data-hidden-series')).toBe('');
    await expect.poll(async () => (await pixels(series, GMV_ORANGE))).toBeGreaterThan(0);
    // The mouse wheel over the plot zooms (ECharts' inside dataZoom on the axes layer); the series follow; 全场 restores the whole show.
    const whole = (await chart.getAttribute('data-window'))!;
    expect(whole).toMatch(/^0\.0-\d+\.0$/);
    await page.mouse.move(xOfMinute(middle), box.y + 54 + 60);
    await page.mouse.wheel(0, -400);
    // Zoomed in around the pointer: the window no longer starts at the show's first minute (the
    // whole-show window changes on its own as the show grows at 60×, so that alone proves nothing).
    const zoomed = async () => (await chart.getAttribute('data-window'))!.split('-').map(Number) as [number, number];
    await expect.poll(async () => (await zoomed())[0]).toBeGreaterThan(0);
    const [from, to] = await zoomed();
    await page.getByTestId('zoom-all').click();
    await expect.poll(() => chart.getAttribute('data-window')).toMatch(/^0\.0-\d+\.0$/);
    // Narrower than the whole show, which is at least as long now as when the wheel turned.
    expect(to - from).toBeLessThan((await zoomed())[1]);
  });

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: 'EN' }).click();
    const tile = page.getByTestId('kpi-gmvFen');
    await tile.getByText('GMV', { exact: true }).waitFor();
    await page.getByTestId('product-board').getByText('Products').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await tile.getByText('成交金额', { exact: true }).waitFor();
  });

  it('refuses the UI channel without the token', async () => {
    const other = await browser.newPage();
    await other.goto(url.replace(/\?token=.*/, ''));
    // ~3 s on a quiet machine (the refused handshake, then the transport gives up); more when other e2e files run beside it.
    await expect.poll(() => other.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 20_000 }).toBe('failed');
    await other.close();
  });

  it('shows each KPI change over the last minute and the target state', async () => {
    await page.getByTestId('kpi-delta-gmvFen').waitFor();
    await expect(page.getByTestId('kpi-delta-gmvFen').textContent()).resolves.toMatch(/^近1分钟 [+±−]¥/);
    const state = await page.getAttribute('[data-testid="kpi-ctr"]', 'data-state');
    expect(['good', 'warn', 'bad']).toContain(state);
  });

  it('draws product segments on the chart and zooms to the last 10 minutes', async () => {
    await waitFor(async () => Number(await page.getAttribute('[data-testid="minute-chart"]', 'data-segments')) > 0, 'segment bands');
    await page.getByTestId('zoom-10').click();
    await expect.poll(() => page.getAttribute('[data-testid="minute-chart"]', 'data-zoom')).toBe('10');
    await page.getByTestId('zoom-all').click();
    await expect.poll(() => page.getAttribute('[data-testid="minute-chart"]', 'data-zoom')).toBe('0');
  });

  it('draws the platform’s markers (福袋) on the chart, with their text on hover', async () => {
    const chart = page.getByTestId('minute-chart');
    // daily-beauty announces a 福袋 every ~25 show minutes (the first within 11–19): under 20 s at 60×.
    await waitFor(async () => Number(await chart.getAttribute('data-marker-marks')) > 0, 'a giveaway marker on the chart', 40_000);
    const box = (await chart.boundingBox())!;
    const giveaway = /福袋：评论“.+”参与/;
    // Sweep the mouse across the plot (grid: 72 px in from either side, top 54) until a minute's
    // tooltip says the marker's text; then along the tags' lane above it (the tag's own title).
    const sweep = async (y: number, seen: () => Promise<boolean>, what: string) =>
      waitFor(async () => {
        for (let x = box.x + 76; x < box.x + box.width - 72; x += 5) {
          await page.mouse.move(x, y);
          if (await seen()) return true;
        }
        return false;
      }, what, 20_000);
    const text = chart.getByText(giveaway);
    await sweep(box.y + 54 + 40, () => text.isVisible(), 'a minute tooltip with the giveaway’s text');
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await text.waitFor({ state: 'hidden' });
    await sweep(box.y + 54 - 10, async () => giveaway.test((await chart.getAttribute('title')) ?? ''), 'the giveaway tag’s title');
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await expect.poll(() => chart.getAttribute('title')).toBeNull();
  });

  it('pins a product from the product board and the room follows', async () => {
    const board = page.getByTestId('product-board');
    await board.locator('button.pin:not([disabled])').first().waitFor();
    const button = board.locator('button.pin:not([disabled])').first();
    const productId = (await button.getAttribute('data-testid'))!.replace(/^pin-/, '');
    const title = (await page.getByTestId(`product-${productId}`).locator('td.title').textContent())!;
    await button.click();
    // The simulator switches, its pin event comes back through the feed, the screen follows.
    await page.getByTestId('pinned-product').filter({ hasText: title }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId(`product-${productId}`).getAttribute('class')).toBe('pinned-row');
    await page.getByTestId('segment-card').filter({ hasText: title }).waitFor();
  });

  it('accepts a rotation suggestion with A: the simulator pins it and the board follows', async () => {
    // The operator's name goes into the decision log with every decision.
    await page.keyboard.press('s');
    await page.getByTestId('setting-operatorName').fill('小王');
    await page.getByTestId('save-operator').click();
    await page.getByTestId('settings-message').filter({ hasText: '已保存' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('settings').waitFor({ state: 'detached' });

    const panel = page.getByTestId('suggestions');
    const next = panel.getByTestId('suggest-next-up');
    await next.locator('[data-testid="suggest-accept"]:not([disabled])').waitFor({ timeout: 30_000 });
    await expect(next.locator('.sg-reasons').textContent()).resolves.toMatch(/[\u4e00-\u9fa5]/);
    await expect(next.locator('.sg-value').first().textContent()).resolves.toMatch(/^¥[\d,.]+万?\/分钟 ±¥/);
    // Focus the next-up card (a click on it), then one key.
    await next.getByTestId('suggest-top-title').click();
    await page.keyboard.press('a');
    // What the command pinned (the card could have moved on between reading and pressing: ask the panel).
    const productId = await waitFor(() => panel.getAttribute('data-sent-product'), 'the accepted suggestion to be sent', 20_000);
    acceptedProductId = productId;
    const title = (await page.getByTestId(`product-${productId}`).locator('td.title').textContent())!;
    await page.getByTestId('pinned-product').filter({ hasText: title }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId(`product-${productId}`).getAttribute('class')).toBe('pinned-row');
  });

  it('dismisses a suggestion with D and an optional reason', async () => {
    const panel = page.getByTestId('suggestions');
    // A card on the panel: the one just accepted may stay greyed, holding the focus, and takes no keys.
    await panel.locator('.sg-card:not(.ghost)').first().waitFor({ timeout: 30_000 });
    const id = await panel.locator('.sg-card:not(.ghost)').first().getAttribute('data-suggestion-id');
    await panel.locator(`[data-suggestion-id="${id}"] .sg-main`).click();
    await page.keyboard.press('d');
    await page.getByTestId('suggest-dismiss-reason').fill('主播在讲福利');
    await page.keyboard.press('Enter');
    await page.getByTestId('suggest-dismiss-reason').waitFor({ state: 'detached' });
    // Gone from the cards; it stays greyed, holding the focus, until N.
    await expect.poll(() => panel.locator(`.sg-card:not(.ghost)[data-suggestion-id="${id}"]`).count()).toBe(0);
    await panel.getByTestId('suggest-ghost').filter({ hasText: '已忽略' }).waitFor();
    await page.keyboard.press('n');
    await panel.getByTestId('suggest-ghost').waitFor({ state: 'detached' });
    dismissedId = id;
  });

  it('changes an ad budget in the console (T): the simulator takes it, both charts mark it, the log shows it', async () => {
    await page.getByTestId('room-tab-sim-beauty').click();
    await page.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor();
    await page.keyboard.press('t');
    const plan = page.getByTestId('ad-plan-qc-beauty-daily');
    await plan.waitFor({ timeout: 20_000 });
    await page.getByTestId('ad-summary').filter({ hasText: '保本ROI' }).waitFor();
    const before = Number(await waitFor(() => plan.getAttribute('data-reported-budget'), 'the plan’s reported budget'));
    adBudgetFen = before + 3_300;
    await plan.getByTestId('ad-budget-input').fill(String(adBudgetFen / 100));
    await plan.getByTestId('ad-reason-input').fill('ROI高于目标，放量');
    await plan.getByTestId('ad-set-budget').click();
    // The log: when, who (from 设置 → 操作人), before → after, why.
    const row = page.locator(`[data-testid="ad-log-row"][data-after="${adBudgetFen}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toMatch(new RegExp(`改预算 ¥${before / 100}→¥${adBudgetFen / 100}/分钟.*小王.*手动.*ROI高于目标，放量`));
    // The simulator took it: the budget its own `ad` reports carry is the new one.
    await expect.poll(() => plan.getAttribute('data-reported-budget'), { timeout: 20_000 }).toBe(String(adBudgetFen));
    // Marked on the console's chart …
    await expect.poll(() => page.getByTestId('ad-chart').getAttribute('data-marks')).toBe('1');
    // … and on the dashboard's minute chart, its tag's title saying what changed, who and why.
    await page.keyboard.press('t');
    const chart = page.getByTestId('minute-chart');
    await expect.poll(() => chart.getAttribute('data-ad-marks'), { timeout: 20_000 }).toBe('1');
    // The product board's test scrolled the page down: bring the chart's tag lane back into view.
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await waitFor(async () => {
      for (let x = box.x + 76; x < box.x + box.width - 72; x += 4) {
        await page.mouse.move(x, box.y + 54 - 10);
        if (/投放操作 第\d+分钟 — 改预算 .*小王.*ROI高于目标，放量/.test((await chart.getAttribute('title')) ?? '')) return true;
      }
      return false;
    }, 'the ad mark’s tag with the change, who and why', 20_000);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
  });

  it('imports a 排品表, shows the show against it, refuses a bad file with the line, and edits it', async () => {
    const panel = page.getByTestId('run-of-show');
    await panel.waitFor();
    const file = page.getByTestId('plan-file');
    // A bad file first: the line, the column and the reason; nothing imported.
    await file.setInputFiles({ name: '排品表.csv', mimeType: 'text/csv', buffer: Buffer.from('商品,时长\nbea-mask,6\nbea-lip,十分钟\n玻尿酸补水保湿面莫 10片装,5\n') });
    // Every problem, in the page's language, with the product probably meant (issue 15).
    const problems = page.getByTestId('plan-error');
    await problems.filter({ hasText: '第 3 行「时长」列：时长应为大于 0、不超过 1440 的分钟数（填的是 "十分钟"）' }).waitFor();
    await expect(problems.textContent()).resolves.toContain('第 4 行「商品」列：找不到商品 "玻尿酸补水保湿面莫 10片装"（直播间的商品列表里没有），是不是 "玻尿酸补水保湿面膜 10片装"？');
    // The daily-beauty plan by product title, as a team keeps it in Excel.
    const csv = '序号,商品,时长\n1,玻尿酸补水保湿面膜 10片装,6\n2,丝绒哑光唇釉 显白不拔干,10\n3,氨基酸温和洁面乳 120g,5\n4,轻薄持妆气垫粉底 SPF35,10\n';
    await file.setInputFiles({ name: '排品表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('plan-error').waitFor({ state: 'detached' });
    await panel.getByTestId('plan-item-3').filter({ hasText: '气垫' }).waitFor();
    await expect(panel.getByTestId('plan-item-1').getAttribute('data-product')).resolves.toBe('bea-lip');
    // The live show measured against it.
    await expect.poll(() => panel.getByTestId('plan-status').getAttribute('data-status'), { timeout: 20_000 }).toMatch(/^(onPlan|ahead|behind|offPlan)$/);
    // Edit: the first slot becomes 8 minutes and the last one goes.
    await panel.getByTestId('plan-edit').click();
    await panel.getByTestId('plan-minutes-0').fill('8');
    await panel.getByTestId('plan-item-3').getByRole('button', { name: '删除' }).click();
    await panel.getByTestId('plan-save').click();
    await panel.getByTestId('plan-save').waitFor({ state: 'detached' });
    await panel.getByTestId('plan-item-0').filter({ hasText: '8分钟' }).waitFor();
    await expect(panel.getByTestId('plan-item-3').count()).resolves.toBe(0);
  });

  it('has a room grid, big-screen mode and keyboard shortcuts with help on ?', async () => {
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-help').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcut-help').waitFor({ state: 'detached' });
    await page.keyboard.press('g');
    await page.getByTestId('room-card-sim-beauty').waitFor();
    await page.getByTestId('room-card-sim-beauty').click();
    await expect.poll(() => page.getAttribute('[data-testid="app"]', 'data-view')).toBe('room');
    await page.keyboard.press('b');
    await expect.poll(() => page.getAttribute('[data-testid="app"]', 'data-big')).toBe('1');
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getAttribute('[data-testid="app"]', 'data-big')).toBe('0');
  });

  it('raises an alert when a room\'s traffic drops, from any room, and acknowledges it', async () => {
    // test-drop's recommendation traffic collapses at minute 5: online falls ≥30 % within 2 minutes.
    // The beauty room may have a drop of its own first (its minute 57 at 60×): pick test-drop's.
    const alert = page.getByTestId('alerts').getByTestId('alert-onlineDrop').filter({ hasText: '流量骤降测试间' }).first();
    await alert.waitFor({ timeout: 30_000 });
    await expect(alert.textContent()).resolves.toMatch(/在线人数 2 分钟内从 [\d,]+ 降到 [\d,]+/);
    await alert.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => alert.getAttribute('class')).toBe('acked');
    // In that room, the alert is a mark on the minute chart.
    await page.getByTestId('room-tab-test-drop').click();
    await waitFor(async () => Number(await page.getAttribute('[data-testid="minute-chart"]', 'data-alert-marks')) > 0, 'the alert drawn on the chart');
    await page.getByTestId('room-tab-sim-beauty').click();
    await page.getByTestId('room-title').filter({ hasText: '品牌美妆日常店播' }).waitFor();
  });

  it('shows comments and demand signals', async () => {
    await page.getByTestId('comment-ticker').locator('li').first().waitFor();
    await page.getByTestId('demand-products').locator('li').first().waitFor();
  });

  it('edits targets and the data source in settings', async () => {
    await page.keyboard.press('s');
    const dialog = page.getByTestId('settings');
    await dialog.waitFor();
    await expect(page.getByTestId('data-dir').textContent()).resolves.toBe(dir);
    // A CTR target no room reaches, with the alert sound on: the tile turns bad at once, and the
    // CTR alert that follows comes with a tone and a notification.
    // (An alert raised before the page connected is listed, not announced: the desktop check is on
    // this one, raised while the page is open.) Until now no room asked for a tone: all silent.
    const tonesBefore = await tones();
    expect(tonesBefore).toBe(0);
    await page.getByTestId('target-ctr').fill('99');
    await page.getByTestId('target-sound').check();
    await page.getByTestId('save-targets').click();
    await page.getByTestId('settings-message').filter({ hasText: '已保存' }).waitFor();
    await expect.poll(() => page.getAttribute('[data-testid="kpi-ctr"]', 'data-state')).toBe('bad');
    // One notification per room per moment: the CTR alert itself, or (when another alert of the room
    // landed within the same 1.5 s, its newest) a notice whose title counts the CTR alert among more.
    const ctrText = /^品牌美妆日常店播.*：商品点击率 [\d.]+% 低于目标 99\.0%$/;
    const note = await waitFor(async () => {
      const listed = (await page.getByTestId('alerts').getByText('低于目标 99.0%').count()) > 0;
      return (await notes()).find((n) => ctrText.test(n.body) || (listed && /^品牌美妆日常店播/.test(n.body) && / · 另有 \d+ 条新预警$/.test(n.title)));
    }, 'the CTR alert on the desktop, naming the room', 30_000);
    expect(note.title).toMatch(/^直播中控室预警( · 另有 \d+ 条新预警)?$/);
    await expect.poll(tones, { timeout: 10_000 }).toBeGreaterThan(tonesBefore);
    // LCR_SEED and LCR_SPEED come from the environment here: those fields are locked.
    expect(await page.getByTestId('setting-seed').isDisabled()).toBe(true);
    await page.getByTestId('setting-feedUrl').fill('http://127.0.0.1:7070');
    // Tested before it is saved (issue 15): nothing answers there, and the page says what to do.
    await page.getByTestId('save-feed').click();
    const test = page.getByTestId('source-test');
    await test.waitFor();
    expect(await test.getAttribute('data-ok')).toBe('0');
    await expect(test.locator('li[data-code="unreachable"]').textContent()).resolves.toMatch(/连不上这个地址.*请确认中继已启动/);
    expect(existsSync(join(dir, 'settings.json')) ? JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).feedUrl : undefined).not.toBe('http://127.0.0.1:7070');
    // The relay runs at show time, not now: saved on an explicit second click.
    await page.getByTestId('save-feed-anyway').click();
    await page.getByTestId('settings-message').filter({ hasText: '下次启动生效' }).waitFor();
    const saved = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { feedUrl: string };
    expect(saved.feedUrl).toBe('http://127.0.0.1:7070');
    // A real source instead: its kind, address, accounts and an order file, saved for the next start.
    await page.getByTestId('setting-sourceKind').selectOption('tiktok-chat-reader');
    await page.getByTestId('setting-sourceAddress').fill('http://127.0.0.1:8081');
    await page.getByTestId('setting-rooms').fill('shop_official,brand_live');
    await page.getByTestId('setting-ordersFile').fill('/data/orders.jsonl');
    // One order file for two rooms cannot start (issue 13): the test says so, and saving it anyway is refused with the reason, nothing saved.
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    await page.getByTestId('test-source').click();
    await test.locator('li[data-code="config"]').filter({ hasText: /order file feeds one room/ }).waitFor();
    await page.getByTestId('save-feed-anyway').click();
    await page.getByTestId('settings-message').filter({ hasText: /not saved: .*order file feeds one room/ }).waitFor();
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    await page.getByTestId('setting-rooms').fill('shop_official');
    await page.getByTestId('save-feed').click();
    await test.locator('li[data-code="problem.unreachable"], li[data-code="noAnswer"]').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('save-feed-anyway').click();
    await waitFor(() => (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { sourceKind?: string }).sourceKind === 'tiktok-chat-reader', 'the source saved');
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ sourceKind: 'tiktok-chat-reader', sourceAddress: 'http://127.0.0.1:8081', rooms: ['shop_official'], ordersFile: '/data/orders.jsonl' });
    // And back to the relay, as the rest of this run expects.
    await page.getByTestId('setting-sourceKind').selectOption('feed');
    await page.getByTestId('setting-rooms').fill('');
    await page.getByTestId('setting-ordersFile').waitFor({ state: 'detached' });
    await page.getByTestId('save-feed').click();
    await test.waitFor();
    await page.getByTestId('save-feed-anyway').click();
    await waitFor(() => (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { sourceKind?: string }).sourceKind === 'feed', 'the relay saved again');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });

  it('stops cleanly on SIGTERM and leaves the show in the store', async () => {
    expect(app.exitCode, `the app exited early:\n${out().slice(-2000)}`).toBeNull();
    const exited = new Promise<number | null>((r) => app.on('exit', (code) => r(code)));
    app.kill('SIGTERM');
    expect(await exited, out().slice(-2000)).toBe(0);
    const r = await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: dir });
    const sessions = JSON.parse(r.stdout) as Array<{ sessionId: string; roomId: string }>;
    expect(sessions.map((s) => s.roomId).sort()).toEqual(['sim-beauty', 'test-drop']);
    const beauty = sessions.find((s) => s.roomId === 'sim-beauty')!;
    const drop = sessions.find((s) => s.roomId === 'test-drop')!;
    const dropReport = JSON.parse((await lcrRun(['report', '--session', drop.sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as {
      alerts: Array<{ kind: string; acknowledgedAt: number | null }>;
    };
    // The alert and its acknowledgement are in the store for the retrospective.
    expect(dropReport.alerts.find((a) => a.kind === 'onlineDrop')?.acknowledgedAt).toEqual(expect.any(Number));
    const rep = JSON.parse((await lcrRun(['report', '--session', beauty.sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as {
      kpis: { gmvFen: number };
      minutes: unknown[];
    };
    expect(rep.kpis.gmvFen).toBeGreaterThan(0);
    expect(rep.minutes.length).toBeGreaterThan(2);
  });

  it('has the accepted and the dismissed suggestion in lcr report, with who and why', async () => {
    const sessions = JSON.parse((await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: dir })).stdout) as Array<{ sessionId: string; roomId: string }>;
    const beauty = sessions.find((s) => s.roomId === 'sim-beauty')!;
    const rep = JSON.parse((await lcrRun(['report', '--session', beauty.sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as {
      actions: Array<{ type: string; suggestionId: string; action: string; command: { type: string; productId: string } | null; byName: string | null; reason: string | null }>;
    };
    const accepted = rep.actions.filter((a) => a.type === 'suggestion' && a.action === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ command: { productId: acceptedProductId }, byName: '小王' });
    // Shown before it was accepted or dismissed, once.
    expect(rep.actions.filter((a) => a.suggestionId === accepted[0]!.suggestionId && a.action === 'shown')).toHaveLength(1);
    expect(rep.actions.find((a) => a.suggestionId === dismissedId && a.action === 'dismissed')).toMatchObject({ reason: '主播在讲福利', byName: '小王' });
    // The ad console's budget change, with its before and after, who and why.
    expect(rep.actions.filter((a) => a.type === 'ad')).toEqual([
      expect.objectContaining({ type: 'ad', action: 'adBudget', planId: 'qc-beauty-daily', after: adBudgetFen, byName: '小王', reason: 'ROI高于目标，放量', source: 'manual' }),
    ]);
  });
});
