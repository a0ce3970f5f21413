/**
 * `npm run screenshots`: the docs' pictures, made the way a user sees the app. Starts browser
 * mode on the shipped rooms at 30× with a fresh data folder, imports the beauty room's 排品表,
 * waits until the show is `--minute` minutes in (default 35), and saves to assets/screenshots/:
 * dashboard-zh.png, dashboard-en.png, big-screen-zh.png, big-screen-en.png, rooms-grid-zh.png, and the
 * ad console (ads-zh.png, ads-en.png) after the ad buyer raised the budget at two thirds of the way.
 * Waits on what the page shows, never on fixed sleeps.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './helpers/browser.ts';
import { tempDir, waitFor } from './helpers/util.ts';
import { startBrowserApp } from './helpers/processes.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'assets/screenshots');
const { values } = parseArgs({ options: { minute: { type: 'string' }, out: { type: 'string' } } });
const minute = Number(values.minute ?? 35);
const outDir = values.out ?? OUT;

const { dir, cleanup } = tempDir('lcr-shots-');
const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SPEED: '30', LCR_SEED: '2' });

const plan = '序号,商品,时长\n1,玻尿酸补水保湿面膜 10片装,6\n2,丝绒哑光唇釉 显白不拔干,10\n3,氨基酸温和洁面乳 120g,5\n4,轻薄持妆气垫粉底 SPF35,10\n5,377美白淡斑精华液 30ml,8\n6,清透水感防晒乳 SPF50+ PA++++,8\n';

try {
  const url = app.url;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.getByTestId('room-tab-sim-beauty').click();
  await page.getByTestId('run-of-show').waitFor();
  await page.getByTestId('plan-file').setInputFiles({ name: '排品表.csv', mimeType: 'text/csv', buffer: Buffer.from(plan) });
  await page.getByTestId('plan-item-5').waitFor();
  const shownMinutes = async () => {
    const text = (await page.getByTestId('room-duration').textContent()) ?? '';
    const parts = text.split(':').map(Number);
    return parts.length === 3 ? (parts[0] ?? 0) * 60 + (parts[1] ?? 0) : (parts[0] ?? 0);
  };
  // The ad buyer (named in 设置 → 操作人) raises the budget on the way, so the marks and the log show it.
  await page.keyboard.press('s');
  await page.getByTestId('setting-operatorName').fill('阿杰');
  await page.getByTestId('save-operator').click();
  await page.getByTestId('settings-message').waitFor();
  await page.keyboard.press('Escape');
  await waitFor(async () => (await shownMinutes()) >= Math.round((minute * 2) / 3), 'two thirds of the way', 15 * 60_000, 1000);
  await page.getByTestId('tab-ads').click();
  const adPlan = page.getByTestId('ad-plan-qc-beauty-daily');
  await adPlan.waitFor();
  await adPlan.getByTestId('ad-budget-input').fill('80');
  await adPlan.getByTestId('ad-reason-input').fill('ROI高于目标，放量');
  await adPlan.getByTestId('ad-set-budget').click();
  await page.getByTestId('ad-log-row').first().waitFor();
  await page.getByTestId('tab-live').click();
  await waitFor(async () => (await shownMinutes()) >= minute, `the show to reach minute ${minute}`, 15 * 60_000, 1000);
  await page.getByTestId('suggestions').locator('.sg-card').first().waitFor();
  await page.screenshot({ path: join(outDir, 'dashboard-zh.png') });
  await page.getByTestId('tab-ads').click();
  await page.getByTestId('ad-chart').waitFor();
  await page.screenshot({ path: join(outDir, 'ads-zh.png') });
  await page.getByTestId('tab-live').click();
  await page.getByTestId('view-grid').click();
  await page.screenshot({ path: join(outDir, 'rooms-grid-zh.png') });
  await page.getByTestId('view-grid').click();
  await page.getByTestId('view-big').click();
  await page.screenshot({ path: join(outDir, 'big-screen-zh.png') });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByTestId('app').filter({ hasText: 'Run-of-show' }).waitFor();
  await page.screenshot({ path: join(outDir, 'dashboard-en.png') });
  await page.getByTestId('tab-ads').click();
  await page.getByTestId('ad-chart').waitFor();
  await page.screenshot({ path: join(outDir, 'ads-en.png') });
  await page.getByTestId('tab-live').click();
  await page.getByTestId('view-big').click();
  await page.screenshot({ path: join(outDir, 'big-screen-en.png') });
  await browser.close();
  console.log(`screenshots in ${outDir}`);
} finally {
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));
  cleanup();
}
