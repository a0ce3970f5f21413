/**
 * A retrospective that explains (issue 15), end to end in Chromium against browser mode: two
 * evening shows of the ad-waste room recorded beforehand (the simulator fast-forwarded, the real
 * core recording), and a live show of the traffic-drop room running. The report attributes its
 * drops with both products' ¥/min, puts ads below break-even first in 本场要点, judges a GMV target
 * set on the report or in the settings, says 首场 on a room's first show, compares shows in ¥,
 * keeps a live show's list row and report on one figure, and every export file downloads — the
 * CSVs in yuan, with Chinese headers and local times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { ROOT, lcrRun, startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { recordShows } from '../helpers/record-shows.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { formatMoneyFen, formatRate, formatYuan } from '../../shared/format.ts';
import { localDateTime } from '../../shared/retro/csv-tables.ts';
import type { RetroReportView } from '../../shared/retro/types.ts';

let app: ChildProcess;
let browser: Browser;
let page: Page;
let dir: string;
let cleanup: () => void;
const pageErrors: string[] = [];
let older = '';
let newer = '';

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  await recordShows(dir, join(ROOT, 'assets/scenarios/ads/ads-waste.json'), [{ seed: '1', daysAgo: 2 }, { seed: '2', daysAgo: 1 }], 120);
  // The traffic-drop room live for ~5 minutes (20 show-minutes at 4×).
  let url: string;
  ({ child: app, url } = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '4', LCR_SCENARIO: join(ROOT, 'tests/fixtures/scenarios/traffic-drop.json'), LCR_SEED: '5' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(url);
  await page.getByTestId('view-retro').click();
  const shows = page.locator('[data-testid="session-item"][data-room="sim-ads-waste"]');
  await waitFor(async () => (await shows.count()) === 2, 'both recorded shows listed', 30_000, 100);
  [newer, older] = [(await shows.nth(0).getAttribute('data-session'))!, (await shows.nth(1).getAttribute('data-session'))!];
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  cleanup?.();
});

async function cliReport(sessionId: string): Promise<RetroReportView> {
  const r = await lcrRun(['report', '--session', sessionId, '--json'], { LCR_DATA_DIR: dir });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RetroReportView;
}

async function open(sessionId: string): Promise<void> {
  await page.locator(`[data-testid="session-item"][data-session="${sessionId}"] .session-open`).click();
  await page.locator(`[data-testid="report"][data-session="${sessionId}"]`).waitFor();
}

describe('a retrospective that explains', () => {
  it('keeps a live show’s list row and its open report on one figure, as the show goes on', async () => {
    const live = page.locator('[data-testid="session-item"][data-room="test-drop"]');
    await waitFor(async () => (await live.locator('.dot.live').count()) === 1, 'the live show listed', 30_000, 100);
    await open((await live.getAttribute('data-session'))!);
    await page.getByTestId('report-live').waitFor();
    // Both read in one go in the page, so a refresh cannot fall between them.
    const both = async () =>
      (await page.evaluate(`(() => {
        const row = document.querySelector('[data-testid="session-item"][data-room="test-drop"] [data-testid="session-gmv"]');
        const tile = document.querySelector('[data-testid="headline-gmvFen"]');
        return { row: Number(row?.getAttribute('data-value')), report: Number(tile?.getAttribute('data-value')) };
      })()`)) as { row: number; report: number };
    // The show has just begun: its first sale may still be on its way on a loaded machine.
    const first = await waitFor(async () => {
      const b = await both();
      return b.report > 0 ? b : null;
    }, 'the live report showing sales', 30_000, 250);
    expect(first.row).toBe(first.report);
    // The report is read again while the show goes on; the row follows it.
    await waitFor(async () => (await both()).report > first.report, 'the live report to move on', 40_000, 250);
    const later = await both();
    expect(later.row).toBe(later.report);
  });

  it('judges a live show against the room’s GMV target from the settings', async () => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('target-gmvFen').fill('5万');
    await page.getByTestId('save-targets').click();
    await waitFor(async () => (await page.getByTestId('settings-message').textContent().catch(() => '')) === '已保存', 'the targets saved', 10_000);
    await page.keyboard.press('Escape');
    // A live report reads its targets when it is read again.
    await waitFor(async () => ((await page.getByTestId('review-sales').textContent()) ?? '').includes('¥5万（直播间目标）'), 'the room target on the live report', 30_000, 250);
  });

  it('attributes the biggest drops to the switch before them, with both products’ ¥/min', async () => {
    await open(newer);
    const rep = await cliReport(newer);
    const drop = rep.scorecard.drops.find((d) => d.causes[0]?.kind === 'switch' && d.metric === 'gmv')!;
    expect(drop, 'a GMV drop blamed on a switch').toBeDefined();
    const c = drop.causes[0]!;
    // The ¥/min quoted are the scorecard's own figures of the two segments.
    const perMin = rep.scorecard.segments.filter((s) => s.productId === c.fromProductId || s.productId === c.toProductId).map((s) => s.gmvPerMin);
    expect(perMin).toEqual(expect.arrayContaining([c.fromPerMin, c.toPerMin]));
    expect(drop.zh).toContain(`（${formatYuan(c.fromPerMin!, 'zh-CN')}/分钟）→ `);
    expect(drop.zh).toContain(`（${formatYuan(c.toPerMin!, 'zh-CN')}/分钟）`);
    const shown = (await page.getByTestId('drops').textContent()) ?? '';
    expect(shown).toContain(drop.zh);
    expect(shown).not.toContain('日志中没有找到明显原因');
  });

  it('puts the ads below break-even first in 本场要点', async () => {
    const rep = await cliReport(newer);
    expect(rep.kpis.adRoi!).toBeLessThan(rep.kpis.breakEvenRoi!);
    const first = page.getByTestId('key-point').first();
    expect(await first.getAttribute('data-kind')).toBe('below-break-even');
    expect(await first.textContent()).toBe(`广告支付ROI ${rep.kpis.adRoi!.toFixed(2)}，低于保本ROI ${rep.kpis.breakEvenRoi!.toFixed(2)}：投放在亏钱（消耗 ${formatMoneyFen(rep.kpis.adSpendFen, 'zh-CN')}）`);
    expect(await first.getAttribute('class')).toBe('bad');
  });

  it('sets the show’s own GMV target on its report and shows its attainment', async () => {
    const rep = await cliReport(newer);
    await page.getByTestId('show-target-input').fill('3万');
    await page.getByTestId('show-target-save').click();
    const sales = page.getByTestId('review-sales');
    await waitFor(async () => ((await sales.textContent()) ?? '').includes('¥3万（本场目标）'), 'the show target on the report', 15_000, 100);
    expect(await sales.textContent()).toContain(`达成率${formatRate(rep.kpis.gmvFen / 3_000_000, 1)}`);
    expect(await page.getByTestId('headline-gmvFen').textContent()).toContain('目标 ¥3万');
    expect((await cliReport(newer)).review.sales).toMatchObject({ gmvTargetFen: 3_000_000, gmvTargetSource: 'show' });
  });

  it('says 首场 on the room’s first show, with no comparison, and 前1场 on the next', async () => {
    expect(await page.getByTestId('headline-previous').textContent()).toBe('前1场均值');
    await open(older);
    expect(await page.getByTestId('headline-previous').textContent()).toBe('首场：本直播间没有更早的场次，不做往场对比');
    expect(await page.getByTestId('review-sales').textContent()).toContain('较前几场首场');
    expect(await page.getByTestId('report').textContent()).not.toMatch(/前\s*0\s*场/);
  });

  it('compares the two shows with money in ¥ on the axes, never fen', async () => {
    for (const id of [older, newer]) await page.locator(`[data-testid="session-item"][data-session="${id}"] [data-testid="session-pick"]`).check();
    await page.getByTestId('compare-run').click();
    for (const metric of ['cumGmvFen', 'gmvFen', 'gpm']) {
      const chart = page.getByTestId(`compare-chart-${metric}`);
      await chart.locator('svg text').first().waitFor();
      const texts = await chart.locator('svg text').allTextContents();
      const money = texts.filter((t) => /^¥[\d,.]+(万|亿)?$/.test(t));
      expect(money.length, `${metric}: ${texts.join(' | ')}`).toBeGreaterThanOrEqual(3);
      expect(texts.filter((t) => /^\d{4,}$/.test(t.replace(/,/g, ''))), metric).toEqual([]);
    }
    await page.getByTestId('compare-back').click();
    await page.getByTestId('report').waitFor();
  });

  it('downloads every file of an export from the page; the CSVs in yuan, with Chinese headers and local times', async () => {
    await open(newer);
    const rep = await cliReport(newer);
    await page.getByTestId('export-csv').click();
    const status = page.getByTestId('export-status-csv');
    await waitFor(async () => (await status.getAttribute('data-status')) === 'done', 'the CSV export', 60_000, 100);
    const links = status.locator('a[download]');
    expect(await links.count()).toBe(4);
    const files = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const [download] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
      files.set(download.suggestedFilename(), readFileSync((await download.path())!, 'utf8'));
    }
    const byEnd = (end: string) => [...files].find(([name]) => name.endsWith(end))!;
    const [minutesName, minutes] = [...files].find(([name]) => !/\.(kpis|products|segments)\.csv$/.test(name))!;
    expect(minutesName).toMatch(/^复盘-sim-ads-waste-\d{8}-1930\.csv$/);
    for (const text of files.values()) expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = minutes.replace(/^\uFEFF/, '').trim().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['第几分钟', '时间', '讲解商品']);
    const first = lines[1]!.split(',');
    const m0 = rep.minutes[0]!;
    expect(first[header.indexOf('时间')]).toBe(localDateTime(m0.ts));
    expect(first[header.indexOf('成交金额(元)')]).toBe((m0.gmvFen / 100).toFixed(2));
    expect(first[header.indexOf('消耗(元)')]).toBe((m0.adSpendFen / 100).toFixed(2));
    expect(lines).toHaveLength(1 + rep.minutes.length);
    const kpis = byEnd('.kpis.csv')[1].replace(/^\uFEFF/, '').split('\r\n');
    expect(kpis[0]).toBe('指标,字段,数值,单位');
    expect(kpis).toContain(`成交金额,gmvFen,${(rep.kpis.gmvFen / 100).toFixed(2)},元`);
    expect(byEnd('.products.csv')[1]).toContain('成交金额(元)');
    expect(byEnd('.segments.csv')[1]).toContain('开始时间');
    // lcr export writes the same four files, byte for byte.
    const out = join(dir, 'lcr-export.csv');
    const cli = await lcrRun(['export', '--session', newer, '--format', 'csv', '--lang', 'zh-CN', '--out', out], { LCR_DATA_DIR: dir });
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(minutes);
    for (const end of ['kpis', 'products', 'segments']) expect(readFileSync(out.replace(/\.csv$/, `.${end}.csv`), 'utf8'), end).toBe(byEnd(`.${end}.csv`)[1]);
    // The one-file formats download from their link too.
    for (const format of ['xlsx', 'html']) {
      await page.getByTestId(`export-${format}`).click();
      const s = page.getByTestId(`export-status-${format}`);
      await waitFor(async () => (await s.getAttribute('data-status')) === 'done', `the ${format} export`, 60_000, 100);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-download-${format}`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
      expect(readFileSync((await download.path())!).length).toBeGreaterThan(1000);
    }
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
