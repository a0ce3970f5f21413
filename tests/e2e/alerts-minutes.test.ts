/**
 * One minute numbering (issue 15 point 5): one alert and one note on its minute followed through
 * every place a person or a script reads them — the dashboard and the 复盘 screen in Chromium,
 * `lcr report --json`, the XLSX 分钟/预警/备注 sheets (read back with exceljs), the CSV minutes
 * table and the HTML report. JSON keys carry METRICS.md's index m; everything for people says
 * 第{m+1}分钟 (shared/minutes.ts), and the minute tables' row of that minute carries the same number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { tempDir } from '../helpers/util.ts';
import { lcrRun } from '../helpers/processes.ts';
import { startAlertShow, type AlertShow } from '../helpers/alert-show.ts';

let show: AlertShow;
let browser: Browser;
let page: Page;
let out: { dir: string; cleanup: () => void };
const NOTE = '在线掉了一半：换品太慢';

beforeAll(async () => {
  out = tempDir();
  show = await startAlertShow();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(show.app.url);
  await show.played;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await show?.stop();
  out?.cleanup();
});

const lcr = async (args: string[]) => {
  const r = await lcrRun(args, { LCR_DATA_DIR: show.dataDir });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

/** CSV rows as objects (the app's CSVs: BOM, CRLF, no embedded line breaks in these tables). */
function csv(path: string): Array<Record<string, string>> {
  const [head, ...rows] = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((c, i) => [cols[i]!, c.replace(/^"|"$/g, '')])));
}

function sheetRows(wb: ExcelJS.Workbook, name: string): Array<Record<string, unknown>> {
  const ws = wb.getWorksheet(name)!;
  const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 2; i <= ws.rowCount; i++) rows.push(Object.fromEntries(head.map((h, k) => [h, ws.getRow(i).getCell(k + 1).value])));
  return rows;
}

describe('one minute, named alike everywhere', () => {
  let m = -1;
  let sessionId = '';

  it('the dashboard names the alert’s minute 第m+1分钟', async () => {
    const item = page.locator('[data-testid="alerts"] [data-testid="alert-onlineDrop"][data-room="big-a"]');
    await item.waitFor({ timeout: 60_000 });
    m = Number(await item.getAttribute('data-minute'));
    expect(m).toBeGreaterThanOrEqual(8);
    await expect(item.getByTestId('alert-minute').textContent()).resolves.toBe(`第${m + 1}分钟`);
  });

  it('the 复盘 screen shows the alert and a note written on that minute under the same number', async () => {
    show.end('big-a');
    await page.getByTestId('view-retro').click();
    const entry = page.locator('[data-testid="session-item"][data-room="big-a"]');
    await entry.waitFor({ timeout: 30_000 });
    sessionId = (await entry.getAttribute('data-session'))!;
    await entry.locator('.session-open').click();
    await page.locator(`[data-testid="report"][data-session="${sessionId}"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('note-minute').fill(String(m + 1));
    await page.getByTestId('note-text').fill(NOTE);
    await page.getByTestId('note-save').click();
    const note = page.getByTestId('note-row').filter({ hasText: NOTE });
    await note.waitFor();
    await expect(note.locator('td').first().textContent()).resolves.toBe(`第${m + 1}分钟`);
    const alert = page.locator(`[data-testid="retro-alert"][data-minute="${m}"]`);
    await expect(alert.locator('td').first().textContent()).resolves.toBe(`第${m + 1}分钟`);
  });

  it('lcr report --json keeps METRICS.md’s index m for both, the minute row of m included', async () => {
    const rep = JSON.parse(await lcr(['report', '--session', sessionId, '--json'])) as {
      session: { startedAt: number };
      alerts: Array<{ minute: number; kind: string }>;
      notes: Array<{ minute: number | null; text: string; ts: number | null }>;
      minutes: Array<{ minute: number; ts: number }>;
    };
    expect(rep.alerts.map((a) => [a.kind, a.minute])).toEqual([['onlineDrop', m]]);
    const n = rep.notes.find((x) => x.text === NOTE)!;
    expect(n.minute).toBe(m);
    expect(n.ts).toBe(rep.session.startedAt + m * 60_000);
    expect(rep.minutes[m]!.minute).toBe(m);
    expect(rep.minutes[m]!.ts).toBe(rep.session.startedAt + m * 60_000);
  });

  it('the XLSX 预警, 备注 and 分钟 sheets carry the same 第几分钟', async () => {
    const path = join(out.dir, 'show.xlsx');
    await lcr(['export', '--session', sessionId, '--format', 'xlsx', '--out', path]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const alerts = sheetRows(wb, '预警');
    expect(alerts.map((r) => r['第几分钟'])).toEqual([m + 1]);
    expect(sheetRows(wb, '备注').find((r) => r['备注'] === NOTE)!['第几分钟']).toBe(String(m + 1));
    const minutes = sheetRows(wb, '分钟');
    // Row m+1 of the data is the minute people call m+1, starting at startedAt + m minutes.
    expect(minutes[m]!['第几分钟']).toBe(m + 1);
    expect(minutes.map((r) => r['第几分钟'])).toEqual(minutes.map((_, i) => i + 1));
  });

  it('the CSV minutes table names that minute 第几分钟 = m+1, the row starting m minutes in', async () => {
    const path = join(out.dir, 'show.csv');
    await lcr(['export', '--session', sessionId, '--format', 'csv', '--out', path]);
    const rows = csv(path);
    expect(rows.map((r) => r['第几分钟'])).toEqual(rows.map((_, i) => String(i + 1)));
    const row = rows[m]!;
    expect(row['第几分钟']).toBe(String(m + 1));
    const start = new Date(show.startedAt + m * 60_000);
    const p = (n: number) => String(n).padStart(2, '0');
    expect(row['时间']).toBe(`${start.getFullYear()}-${p(start.getMonth() + 1)}-${p(start.getDate())} ${p(start.getHours())}:${p(start.getMinutes())}:${p(start.getSeconds())}`);
  });

  it('the HTML report names both 第m+1分钟', async () => {
    const path = join(out.dir, 'show.html');
    await lcr(['export', '--session', sessionId, '--format', 'html', '--out', path]);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain(`<tr data-alert-minute="${m}"><td>第${m + 1}分钟</td>`);
    expect(html).toMatch(new RegExp(`<tr><td>第${m + 1}分钟</td><td class="l">${NOTE}</td>`));
  });
});
