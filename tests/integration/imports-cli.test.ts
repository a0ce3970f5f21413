/**
 * Table imports end to end through `lcr` on a real SQLite file: a show that was not recorded live imported
 * from its Compass minute table (Chinese labels) and product table (English field names), shown by
 * `lcr sessions` and `lcr report --json`; the same from XLSX and from GBK; a bad file refused whole
 * with one stderr line and the store unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { lcrRun } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import type { ImportResult } from '../../shared/imports/types.ts';
import type { RetroReportView } from '../../shared/retro/types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));
const START = new Date(2024, 10, 11, 20, 0).getTime();
// compass-minutes-zh.csv: ¥1,000 … ¥1,090 a minute, 10 … 19 orders, entries 1,500 − 50·m except 1.2万 at 20:05.
const GMV_FEN = (1000 + 1010 + 1020 + 1030 + 1040 + 1050 + 1060 + 1070 + 1080 + 1090) * 100;
const PV = 1500 + 1450 + 1400 + 1350 + 1300 + 12_000 + 1200 + 1150 + 1100 + 1050;

function counts(dir: string): Record<string, number> {
  const db = openDatabase(dir);
  try {
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return Object.fromEntries(['sessions', 'imports', 'imported_minutes', 'imported_products', 'session_rollups', 'minute_rollups', 'product_rollups'].map((t) => [t, n(t)]));
  } finally {
    db.close();
  }
}

describe('lcr import: a show that was not recorded live', () => {
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  let sessionId: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    env = { LCR_DATA_DIR: dir };
  });
  afterAll(() => cleanup());

  it('creates a session from the minute table', async () => {
    const r = await lcrRun(['import', '--file', fixture('compass-minutes-zh.csv'), '--room', 'room-a', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as ImportResult;
    expect(res).toMatchObject({ created: true, kind: 'provisional', table: 'minutes', rows: 10, roomId: 'room-a', file: 'compass-minutes-zh.csv', ignored: ['备注'], settlement: null });
    expect(res.sessionId).toBe(`room-a@${START}`);
    sessionId = res.sessionId;
  });

  it('adds the product table to the same show, matched by room and time', async () => {
    const r = await lcrRun(['import', '--file', fixture('compass-products-en.csv'), '--room', 'room-a', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout) as ImportResult).toMatchObject({ created: false, sessionId, table: 'products', rows: 4, kind: 'provisional' });
  });

  it('shows in lcr sessions and lcr report --json with the tables’ figures', async () => {
    const list = JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(list).toEqual([{ sessionId, roomId: 'room-a', platform: 'import', title: 'compass-minutes-zh', startedAt: START, endedAt: START + 10 * 60_000 }]);
    const r = await lcrRun(['report', '--session', sessionId, '--json'], env);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as RetroReportView;
    for (const k of ['session', 'kpis', 'minutes', 'products', 'segments', 'alerts', 'actions', 'quarantined']) expect(rep).toHaveProperty(k);
    expect(rep.retro.metrics).toBe('rollups');
    expect(rep.kpis).toMatchObject({ gmvFen: GMV_FEN, orders: 145, pv: PV, peakOnline: 1900, newFollowers: 45, comments: 845, adSpendFen: 300_000, exposures: 11_500, clicks: 620, durationSec: 600 });
    expect(rep.kpis.gpm).toBeCloseTo(GMV_FEN / 100 / PV * 1000, 9);
    expect(rep.minutes).toHaveLength(10);
    expect(rep.minutes[5]).toMatchObject({ minute: 5, enters: 12_000, gmvFen: 105_000, onlineEnd: 1500, pinnedProductId: 'p2' });
    // The minute table's CTR (5.6 %) stands where the minute has no clicks and exposures of its own.
    expect(rep.minutes[0]!.ctr).toBeCloseTo(0.056, 12);
    expect(rep.products.map((p) => [p.productId, p.title, p.clicks, p.gmvFen, p.pins, p.pinnedSec, p.priceFen])).toEqual([
      ['p1', '玻尿酸补水面膜', 400, 74_750, 2, 300, 2990],
      ['p2', '丝绒哑光唇釉', 200, 89_000, 1, 180, 8900],
      ['p3', '精华液', 20, 19_900, 0, 0, 19_900],
    ]);
    expect(rep.segments.map((s) => [s.productId, s.durationSec, s.gmvFen])).toEqual([
      ['p1', 180, 59_800],
      ['p2', 180, 89_000],
      ['p1', 120, 14_950],
    ]);
    expect(rep.settlement).toBeNull();
    const text = await lcrRun(['report', '--session', sessionId], env);
    expect(text.stdout).toContain('compass-minutes-zh');
  });

  it('refuses a bad file whole: exit 1, one stderr line with line, column and reason, the store unchanged', async () => {
    const before = counts(dir);
    const r = await lcrRun(['import', '--file', fixture('compass-minutes-bad.csv'), '--room', 'room-b'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual(['lcr: compass-minutes-bad.csv: line 9, column 成交金额(元): "abc" is not a number (nothing was imported)']);
    expect(counts(dir)).toEqual(before);
    // No room anywhere: a clear line too.
    const other = tempDir();
    const noRoom = await lcrRun(['import', '--file', fixture('compass-minutes-zh.csv')], { LCR_DATA_DIR: other.dir });
    other.cleanup();
    expect(noRoom.code).toBe(1);
    expect(noRoom.stderr).toMatch(/^lcr: which room was the show in\? pass --room ID/);
  });
});

describe('lcr import: XLSX and GBK read the same as UTF-8 CSV', () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((c) => c()));
  const fresh = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };

  async function kpisOf(file: string): Promise<RetroReportView['kpis']> {
    const dir = fresh();
    const imp = await lcrRun(['import', '--file', file, '--room', 'room-x', '--json'], { LCR_DATA_DIR: dir });
    expect(imp.stderr).toBe('');
    const res = JSON.parse(imp.stdout) as ImportResult;
    const rep = JSON.parse((await lcrRun(['report', '--session', res.sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as RetroReportView;
    expect(rep.session.startedAt).toBe(START);
    return rep.kpis;
  }

  it('GBK', async () => {
    expect(await kpisOf(fixture('compass-minutes-gbk.csv'))).toMatchObject({ gmvFen: GMV_FEN, orders: 145, pv: PV });
  });

  it('XLSX with date cells, number cells and a percent-formatted rate', async () => {
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    const ws = wb.addWorksheet('直播数据');
    ws.addRow(['时间', '在线人数', '进入人数', '成交金额', '成交订单数', '商品点击率']);
    const enters = [1500, 1450, 1400, 1350, 1300, 12_000, 1200, 1150, 1100, 1050];
    for (let m = 0; m < 10; m++) {
      // Excel keeps the wall clock: exceljs writes a Date's UTC fields as the cell's time.
      const row = ws.addRow([new Date(Date.UTC(2024, 10, 11, 20, m)), 1000 + 100 * m, enters[m], 1000 + 10 * m, 10 + m, 0.056]);
      row.getCell(1).numFmt = 'yyyy-mm-dd hh:mm';
      row.getCell(6).numFmt = '0.0%';
    }
    const dir = fresh();
    const file = join(dir, 'compass.xlsx');
    await wb.xlsx.writeFile(file);
    const k = await kpisOf(file);
    expect(k).toMatchObject({ gmvFen: GMV_FEN, orders: 145, pv: PV, peakOnline: 1900 });
  });

  it('a bad XLSX cell names the sheet row', async () => {
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['导出时间 2024-11-12']);
    ws.addRow(['stat_time', 'pay_amt', 'pay_cnt']);
    ws.addRow(['2024-11-11 20:00', 10, 1]);
    ws.addRow(['2024-11-11 20:01', 10, '两单']);
    const dir = fresh();
    const file = join(dir, 'bad.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await lcrRun(['import', '--file', file, '--room', 'r'], { LCR_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('lcr: bad.xlsx: line 4, column pay_cnt: "两单" is not a number (nothing was imported)');
  });
});
