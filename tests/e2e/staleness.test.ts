/**
 * Never stale without saying so (issue 15): the real app in browser mode, a real page in Chromium.
 * A hung core, a killed core, a room whose relay goes quiet and a relay that dies each turn the
 * numbers grey with a plain-Chinese banner naming the time they stopped; each recovers by itself.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { ScriptedRelay, room } from '../helpers/scripted-relay.ts';

let browser: Browser | null = null;
const apps: BrowserApp[] = [];
const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  for (const a of apps.splice(0)) {
    if (a.child.exitCode === null) {
      a.child.kill('SIGCONT');
      a.child.kill('SIGKILL');
    }
  }
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await browser?.close();
});

async function page(url: string): Promise<Page> {
  browser ??= await launchChromium();
  const p = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  cleanups.push(() => p.close());
  await p.goto(url);
  return p;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const tiny = 'tests/fixtures/scenarios/tiny.json';

async function simulatorApp(env: Record<string, string> = {}): Promise<BrowserApp> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SCENARIO: tiny, LCR_SPEED: '2', ...env });
  apps.push(app);
  return app;
}

const banner = (p: Page) => p.getByTestId('stale-banner');

describe('a page whose core stops', () => {
  it('says so within seconds when the core hangs, greys the numbers, and recovers when it resumes', async () => {
    const app = await simulatorApp();
    const p = await page(app.url);
    await expect.poll(() => p.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 30_000 }).toBe('live');
    await p.getByTestId('room-body').waitFor({ state: 'attached' });
    expect(await banner(p).count()).toBe(0);

    app.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await banner(p).waitFor({ timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(9_000);
    expect(await banner(p).getAttribute('data-reason')).toBe('core-silent');
    await expect(banner(p).textContent()).resolves.toMatch(/中控核心没有响应，数字已停止更新 · 数字停在 \d{1,2}:\d{2}:\d{2}（\d+ 秒前）/);
    expect(await p.getAttribute('[data-testid="room-body"]', 'data-stale')).toBe('core-silent');
    await expect(p.getByTestId('connection').textContent()).resolves.toContain('中控核心已断开');

    app.child.kill('SIGCONT');
    await banner(p).waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => p.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 15_000 }).toBe('live');
  });

  it('says so at once when the core dies, and the same page comes back by itself when the app is started again', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const env = { LCR_DATA_DIR: dir, LCR_SCENARIO: tiny, LCR_SPEED: '2', LCR_PORT: String(await freePort()) };
    const first = await startBrowserApp(env);
    apps.push(first);
    const p = await page(first.url);
    await expect.poll(() => p.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 30_000 }).toBe('live');
    first.child.kill('SIGKILL');
    await banner(p).waitFor({ timeout: 10_000 });
    expect(await banner(p).getAttribute('data-reason')).toBe('core-closed');

    const second = await startBrowserApp(env);
    apps.push(second);
    // The same link (the token is kept in the data folder): the open page reconnects and reloads.
    expect(second.url).toBe(first.url);
    await banner(p).waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => p.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 15_000 }).toBe('live');
  });
});

describe('a room whose relay goes quiet, then away', () => {
  it('is greyed as quiet after 15 s without an event, as down when the relay dies, and live again when it is back', async () => {
    const relay = new ScriptedRelay();
    relay.rooms = [room('quiet-room', 0)];
    let seq = 0;
    const sent: Array<Record<string, unknown>> = [];
    const emit = (events: Array<Record<string, unknown>>) => {
      sent.push(...events);
      relay.rooms = [{ ...room('quiet-room', seq), title: '安静的直播间' }];
      relay.send('quiet-room', events);
    };
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq ?? 0;
      call.socket.emit('events', { roomId: 'quiet-room', events: sent.filter((e) => (e.seq as number) > after) });
    };
    await relay.listen();
    const port = Number(new URL(relay.url).port);
    cleanups.push(() => relay.close());
    const start = Date.now();
    emit([{ seq: ++seq, ts: start, type: 'session', status: 'live', startedAt: start }]);
    const ticker = setInterval(() => emit([{ seq: ++seq, ts: Date.now(), type: 'enter', n: 1 }]), 500);
    cleanups.push(() => clearInterval(ticker));
    const data = tempDir();
    cleanups.push(data.cleanup);
    const app = await startBrowserApp({ LCR_DATA_DIR: data.dir, LCR_FEED_URL: relay.url });
    apps.push(app);
    const p = await page(app.url);
    await expect.poll(() => p.getAttribute('[data-testid="connection"]', 'data-status'), { timeout: 30_000 }).toBe('live');
    await waitFor(async () => Number(await p.getAttribute('[data-testid="kpi-pv"]', 'data-value')) > 2, 'entries counting');
    expect(await banner(p).count()).toBe(0);

    clearInterval(ticker);
    const quietAt = Date.now();
    await banner(p).waitFor({ timeout: 30_000 });
    expect(Date.now() - quietAt).toBeGreaterThanOrEqual(14_000);
    expect(await banner(p).getAttribute('data-reason')).toBe('room-quiet');
    await expect(banner(p).textContent()).resolves.toContain('这个直播间一段时间没有收到新数据');

    await relay.close();
    await waitFor(async () => (await banner(p).getAttribute('data-reason')) === 'feed-down', 'the banner says the relay is down', 20_000);

    const back = new ScriptedRelay();
    back.rooms = relay.rooms;
    back.onSubscribe = relay.onSubscribe;
    await back.listen(port);
    cleanups.push(() => back.close());
    const again = setInterval(() => {
      sent.push({ seq: ++seq, ts: Date.now(), type: 'enter', n: 1 });
      back.rooms = [{ ...room('quiet-room', seq), title: '安静的直播间' }];
      back.send('quiet-room', [sent.at(-1)!]);
    }, 500);
    cleanups.push(() => clearInterval(again));
    await banner(p).waitFor({ state: 'detached', timeout: 30_000 });
  });
});
