/**
 * `npm run screenshots:retro`: the docs' pictures of the 复盘 screens. Records three full
 * evening shows of the beauty room (the simulator fast-forwarded into the store, seeds 11–13, so the
 * report has earlier shows to rank against), then starts browser mode on that data folder with
 * the room live again, opens the newest finished show, notes a minute on its chart, and saves to
 * assets/screenshots/: retro-zh.png, retro-timeline-zh.png, retro-settled-zh.png (after importing
 * the platform's settled minute table), retro-en.png, compare-zh.png.
 * Waits on what the page shows, never on fixed sleeps.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './helpers/browser.ts';
import { tempDir, waitFor } from './helpers/util.ts';
import { lcrRun, startBrowserApp } from './helpers/processes.ts';
import { recordShows } from './helpers/record-shows.ts';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ?? join(ROOT, 'assets/screenshots');
const scenario = join(ROOT, 'assets/scenarios/daily-beauty.json');

const { dir, cleanup } = tempDir('lcr-retro-shots-');
// Evening shows on the three days before today: the list a team sees on a Monday.
await recordShows(dir, scenario, [{ seed: '11', daysAgo: 3 }, { seed: '12', daysAgo: 2 }, { seed: '13', daysAgo: 1 }], 120);
console.log('recorded three beauty shows (seeds 11–13)');

const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '10', LCR_SEED: '2', LCR_SCENARIO: 'daily-beauty' });

try {
  const url = app.url;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.getByTestId('view-retro').click();
  const ended = page.locator('[data-testid="session-item"]').filter({ hasNot: page.locator('.dot.live') });
  await waitFor(async () => (await ended.count()) >= 3, 'three finished shows in the list', 60_000, 200);
  const newest = ended.first();
  const sessionId = (await newest.getAttribute('data-session'))!;
  await newest.locator('.session-open').click();
  await page.locator(`[data-testid="report"][data-session="${sessionId}"]`).waitFor();
  await page.getByTestId('report-timeline').locator('svg').first().waitFor();
  // The team's note on minute 41, clicked on the chart like a host would.
  const chart = page.getByTestId('report-timeline');
  const box = (await chart.boundingBox())!;
  await chart.click({ position: { x: 60 + ((box.width - 120) * 40.5) / 121, y: 100 } });
  await page.getByTestId('note-text').fill('第41分钟唇釉讲解拖长，在线掉了三成；下次讲满6分钟就切面膜');
  await page.getByTestId('note-save').click();
  await page.getByTestId('note-row').first().waitFor();
  await page.locator('.app').evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: join(outDir, 'retro-zh.png') });
  await page.locator('.app').evaluate((el) => {
    const target = el.querySelector('[data-testid="report-timeline"]')!.closest('section')!;
    el.scrollTop = (target as unknown as { offsetTop: number }).offsetTop - 60;
  });
  await page.screenshot({ path: join(outDir, 'retro-timeline-zh.png') });
  // Two days on, the platform's settled figures: ¥380 and 4 orders more in minute 31, ¥267 more refunds in minute 62.
  const rep = JSON.parse((await lcrRun(['report', '--session', sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as { session: { startedAt: number }; minutes: Array<{ minute: number; gmvFen: number; orders: number; refundFen: number }> };
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (ts: number) => {
    const d = new Date(ts);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const first = rep.session.startedAt - (rep.session.startedAt % 60_000);
  const rows = rep.minutes.map((m) => `${local(first + m.minute * 60_000)},${(m.gmvFen / 100 + (m.minute === 30 ? 380 : 0)).toFixed(2)},${m.orders + (m.minute === 30 ? 4 : 0)},${(m.refundFen / 100 + (m.minute === 61 ? 267 : 0)).toFixed(2)}`);
  await page.getByTestId('import-settled-file').setInputFiles({ name: '罗盘-分钟数据-结算.csv', mimeType: 'text/csv', buffer: Buffer.from(['时间,成交金额(元),成交订单数,退款金额(元)', ...rows].join('\n') + '\n') });
  await page.getByTestId('report-settlement').waitFor();
  await page.locator('.app').evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: join(outDir, 'retro-settled-zh.png') });
  for (let i = 0; i < 3; i++) await ended.nth(i).getByTestId('session-pick').check();
  await page.getByTestId('compare-run').click();
  await page.getByTestId('compare-chart-cumGmvFen').locator('svg').first().waitFor();
  await page.screenshot({ path: join(outDir, 'compare-zh.png') });
  await page.getByTestId('compare-back').click();
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByTestId('report').filter({ hasText: 'What matters' }).waitFor();
  await page.screenshot({ path: join(outDir, 'retro-en.png') });
  await browser.close();
  console.log(`screenshots in ${outDir}`);
} finally {
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));
  cleanup();
}
