/**
 * A hole the relay can no longer fill is shown, not hidden: `npm start` in browser mode follows a
 * relay that has trimmed the first events of the show (its `firstSeq` is above them). The badge
 * counts the gap at once, and the show's report lists exactly which events never arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp } from '../helpers/processes.ts';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/util.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';

let app: ChildProcess;
let browser: Browser;
let page: Page;
let cleanup: () => void;
const relay = new ScriptedRelay('relay-token');
const pageErrors: string[] = [];

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  // The relay still holds seqs 5–40 of the show; 1–4 (its start) are gone.
  const held = Array.from({ length: 36 }, (_, i) => ({ seq: i + 5, ts: T0 + i * 2_000, type: 'enter', n: 2 }));
  relay.rooms = [{ ...room('gap-room', 40), title: '缺口测试间', firstSeq: 5 }];
  relay.onSubscribe = (call) => {
    const after = call.rooms[0]!.afterSeq ?? 0;
    call.socket.emit('events', { roomId: 'gap-room', events: held.filter((e) => e.seq > after) });
  };
  await relay.listen();
  let url: string;
  ({ child: app, url } = await startBrowserApp({ LCR_DATA_DIR: t.dir, LCR_FEED_URL: relay.url, LCR_FEED_TOKEN: 'relay-token' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await relay.close();
  cleanup?.();
});

describe('a gap in the feed', () => {
  it('is counted in the connection badge as soon as the relay says it no longer holds it', async () => {
    await page.getByTestId('feed-gaps').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('feed-gaps').textContent()).resolves.toContain('数据缺口 1');
    // The events the relay still had are all counted: 36 entries of 2.
    await expect.poll(() => page.getAttribute('[data-testid="kpi-pv"]', 'data-value'), { timeout: 15_000 }).toBe('72');
  });

  it('is listed in the show’s report with the seqs that never arrived', async () => {
    await page.getByTestId('view-retro').click();
    const item = page.locator('[data-testid="session-item"][data-room="gap-room"]');
    await item.first().waitFor({ timeout: 20_000 });
    await item.first().locator('.session-open').click();
    const integrity = page.getByTestId('report-integrity');
    await integrity.waitFor({ timeout: 20_000 });
    await expect(integrity.textContent()).resolves.toContain('缺口：第 1–4 号事件未能取得（中继已不再保留');
    expect(pageErrors).toEqual([]);
  });
});
