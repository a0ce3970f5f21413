/**
 * `npm run screenshots:sources`: the README's picture of a real-source room — browser mode with
 * LCR_SOURCE=tiktok-chat-reader pointed at a TikTok-Chat-Reader-style server on loopback (the
 * test fake, tests/helpers/fake-tiktok.ts), after two minutes of its room. Saves
 * assets/screenshots/tiktok-room-zh.png. Waits on what the page shows, never on fixed sleeps.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { launchChromium } from './helpers/browser.ts';
import { tempDir, waitFor } from './helpers/util.ts';
import { FakeTikTokChatReader } from './helpers/fake-tiktok.ts';

const ROOT = join(import.meta.dirname, '..');
const { dir, cleanup } = tempDir('lcr-src-shots-');
const fake = new FakeTikTokChatReader({ tickMs: 250, title: 'TikTok Shop 夏季上新', startedMinutesAgo: 0 });
await fake.listen();
let out = '';
const app = spawn(process.execPath, [join(ROOT, 'electron/bin/start.mjs')], {
  cwd: ROOT,
  env: { ...process.env, LCR_BROWSER: '1', LCR_NO_OPEN: '1', LCR_DATA_DIR: dir, LCR_SOURCE: 'tiktok-chat-reader', LCR_FEED_URL: fake.url, LCR_ROOMS: 'shop_official' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
app.stdout.on('data', (d: Buffer) => (out += d.toString()));
app.stderr.on('data', (d: Buffer) => (out += d.toString()));
try {
  const url = await waitFor(() => /Control room: (\S+)/.exec(out)?.[1], 'the "Control room: <url>" line', 60_000);
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
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  await fake.kill();
  cleanup();
}
