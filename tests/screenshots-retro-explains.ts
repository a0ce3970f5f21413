/**
 * `npm run screenshots:retro-explains`: docs/retrospective-explains.md's pictures. Records two
 * evening shows of the ad-waste room (the simulator fast-forwarded into the store), starts browser
 * mode on that folder with the room live again, opens the newer finished show, sets its own GMV
 * target on the report, and saves to assets/screenshots/: retro-keypoints-zh.png (本场要点, the
 * headline and the target), retro-drops-zh.png (the drops and gains with their causes),
 * retro-export-en.png (English, a CSV export's four download links).
 * Waits on what the page shows, never on fixed sleeps.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { tempDir, waitFor } from './helpers/util.ts';
import { startBrowserApp } from './helpers/processes.ts';
import { recordShows } from './helpers/record-shows.ts';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ?? join(ROOT, 'assets/screenshots');
const scenario = join(ROOT, 'assets/scenarios/ads/ads-waste.json');

const { dir, cleanup } = tempDir('lcr-retro-explains-shots-');
await recordShows(dir, scenario, [{ seed: '1', daysAgo: 2 }, { seed: '2', daysAgo: 1 }], 120);
console.log('recorded two ad-waste shows (seeds 1, 2)');

const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '4', LCR_SEED: '3', LCR_SCENARIO: scenario });

/** Scrolls the app so the block holding `testId` starts near the top. */
async function scrollTo(page: Page, testId: string): Promise<void> {
  await page.locator('.app').evaluate((el, id) => {
    const found = el.querySelector(`[data-testid="${id}"]`)!;
    const block = found.closest('.two') ?? found;
    el.scrollTop += block.getBoundingClientRect().top - el.getBoundingClientRect().top - 60;
  }, testId);
}

try {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  await page.goto(app.url);
  await page.getByTestId('view-retro').click();
  const ended = page.locator('[data-testid="session-item"]').filter({ hasNot: page.locator('.dot.live') });
  await waitFor(async () => (await ended.count()) >= 2, 'two finished shows in the list', 60_000, 200);
  const newest = ended.first();
  const sessionId = (await newest.getAttribute('data-session'))!;
  await newest.locator('.session-open').click();
  await page.locator(`[data-testid="report"][data-session="${sessionId}"]`).waitFor();
  await page.getByTestId('show-target-input').fill('3万');
  await page.getByTestId('show-target-save').click();
  await waitFor(async () => ((await page.getByTestId('review-sales').textContent()) ?? '').includes('本场目标'), 'the show target on the report', 15_000, 100);
  await page.locator('.app').evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: join(outDir, 'retro-keypoints-zh.png') });
  await scrollTo(page, 'drops');
  await page.screenshot({ path: join(outDir, 'retro-drops-zh.png') });
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByTestId('report').filter({ hasText: 'What matters' }).waitFor();
  await page.getByTestId('export-csv').click();
  const status = page.getByTestId('export-status-csv');
  await waitFor(async () => (await status.getAttribute('data-status')) === 'done', 'the CSV export', 60_000, 100);
  await page.locator('.app').evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: join(outDir, 'retro-export-en.png') });
  await browser.close();
  console.log(`screenshots in ${outDir}`);
} finally {
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));
  cleanup();
}
