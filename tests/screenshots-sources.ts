/**
 * `npm run screenshots:sources`: the docs' picture of a real-source room — browser mode with
 * LCR_SOURCE=tiktok-chat-reader pointed at a TikTok-Chat-Reader-style server on loopback (the
 * test fake, tests/helpers/fake-tiktok.ts), after two minutes of its room. Saves
 * assets/screenshots/tiktok-room-zh.png. Waits on what the page shows, never on fixed sleeps.
 */
import { join } from 'node:path';
import { launchChromium } from './helpers/browser.ts';
import { tempDir, waitFor } from './helpers/util.ts';
import { FakeTikTokChatReader } from './helpers/fake-tiktok.ts';
import { startBrowserApp } from './helpers/processes.ts';

const ROOT = join(import.meta.dirname, '..');
const { dir, cleanup } = tempDir('lcr-src-shots-');
const fake = new FakeTikTokChatReader({ tickMs: 250, title: 'TikTok Shop 夏季上新', startedMinutesAgo: 0 });
await fake.listen();
const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SOURCE: 'tiktok-chat-reader', LCR_FEED_URL: fake.url, LCR_ROOMS: 'shop_official' });
try {
  const url = app.url;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(url);
  await page.getByTestId('room-title').filter({ hasText: 'TikTok Shop' }).waitFor({ timeout: 30_000 });
  const points = async () => Number(await page.getAttribute('[data-testid="minute-chart"]', 'data-points'));
  await waitFor(async () => (await points()) >= 3, 'three minutes on the chart', 300_000, 1000);
  await page.screenshot({ path: join(ROOT, 'assets/screenshots/tiktok-room-zh.png') });
  await browser.close();
  console.log('screenshot in assets/screenshots/tiktok-room-zh.png');
} finally {
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));
  await fake.kill();
  cleanup();
}
