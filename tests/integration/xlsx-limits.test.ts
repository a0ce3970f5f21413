/**
 * Issue 13, defect 4: a workbook is bounded by what it expands to, not by its compressed size.
 * Zip bombs built here out of a real workbook's parts — a sheet that expands to 100 MB, one whose
 * headers lie about it, a workbook of thousands of parts, a used range reaching far right — are
 * refused quickly with the reason, by the run-of-show reader and the table import alike. And a
 * run-of-show row whose product id is longer than the store keeps is refused with its line,
 * leaving the saved plan as it was (it used to be replaced by nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { readPlanBytes } from '../../electron/core/suggest/plan-file.ts';
import { readImportRows } from '../../electron/core/imports/file.ts';
import { ImportError } from '../../shared/imports/parse.ts';
import { checkZip, ZipLimitError } from '../../electron/core/files/zip-check.ts';
import { Core } from '../../electron/core/core.ts';
import { bombSheet, makeZip, readZip, type ZipEntry } from '../helpers/zip.ts';
import { tempDir } from '../helpers/util.ts';
import { lcrRun } from '../helpers/processes.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let parts: ZipEntry[];
let bomb: ReturnType<typeof bombSheet>;

async function workbook(rows: Array<Array<string | number>>, edit?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排品表');
  for (const r of rows) ws.addRow(r);
  edit?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  parts = readZip(await workbook([['商品', '时长'], ['a', 5]]));
  bomb = bombSheet(1_200_000); // ~100 MB of sheet XML
}, 60_000);

/** The real workbook with its sheet replaced. */
function withSheet(sheet: Partial<ZipEntry>): Buffer {
  return makeZip(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, ...sheet } : p)));
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected a refusal');
}

describe('a workbook is bounded by what it expands to', () => {
  it('a sheet that expands to ~100 MB is refused quickly by both readers', async () => {
    const file = withSheet({ deflated: bomb });
    expect(file.length).toBeLessThan(1024 * 1024);
    const t0 = Date.now();
    const plan = await refusal(readPlanBytes(file, '排品表.xlsx'));
    expect(plan).toMatch(/^line 1: the workbook expands to more than 16 MB/);
    const imp = await refusal(readImportRows(file, 'compass.xlsx'));
    expect(imp).toMatch(/^line 1: the workbook expands to more than 64 MB/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('headers that lie about the size do not get it through', async () => {
    const file = withSheet({ deflated: bomb, declaredSize: 1000 });
    expect(await refusal(readPlanBytes(file, 'x.xlsx'))).toMatch(/expands to more than 16 MB \(xl\/worksheets\/sheet1\.xml alone expands beyond that\)/);
    // Overlapping entries: many headers pointing at the same compressed bytes count each time.
    const many = makeZip([...parts, ...Array.from({ length: 30 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: Buffer.alloc(4 * 1024 * 1024) }))]);
    expect(await refusal(readImportRows(many, 'x.xlsx'))).toMatch(/expands to more than 64 MB/);
  });

  it('too many parts, a ZIP64 or encrypted archive, a truncated one: each refused with its reason', async () => {
    const crowd = makeZip([...parts, ...Array.from({ length: 600 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('<x/>') }))]);
    expect(await refusal(readPlanBytes(crowd, 'x.xlsx'))).toMatch(/has 61\d parts; a table's workbook has at most 500/);
    const real = makeZip(parts);
    expect(await refusal(readPlanBytes(real.subarray(0, real.length - 200), 'x.xlsx'))).toMatch(/^line 1: not a readable \.xlsx file \((it is not a zip archive|its zip directory)/);
    expect(await refusal(readPlanBytes(real.subarray(0, 1000), 'x.xlsx'))).toMatch(/^line 1: /);
    const encrypted = Buffer.from(real);
    const cd = encrypted.readUInt32LE(encrypted.length - 6);
    encrypted.writeUInt16LE(1, cd + 8);
    expect(await refusal(readPlanBytes(encrypted, 'x.xlsx'))).toMatch(/encrypted/);
    expect(() => checkZip(Buffer.from('PK not really'), { maxEntries: 10, maxUncompressedBytes: 10 })).toThrow(ZipLimitError);
  });

  it('a used range reaching far right or far down is refused before it is read cell by cell', async () => {
    const wide = await workbook([['商品', '时长'], ['a', 5]], (ws) => {
      for (let r = 3; r < 400; r++) ws.getCell(r, 16_000).value = 'x';
    });
    expect(await refusal(readPlanBytes(wide, 'x.xlsx'))).toMatch(/spans 399 rows × 16000 columns/);
    const deep = await workbook([['商品', '时长'], ['a', 5]], (ws) => {
      ws.getCell(1_000_000, 1).value = 'x';
    });
    expect(await refusal(readPlanBytes(deep, 'x.xlsx'))).toMatch(/last row is row 1000000/);
  });

  it('an ordinary workbook still reads', async () => {
    expect(await readPlanBytes(await workbook([['商品', '时长'], ['a', 5], ['b', 7]]), 'ok.xlsx')).toEqual([
      { productId: 'a', minutes: 5 },
      { productId: 'b', minutes: 7 },
    ]);
    expect(ImportError).toBeDefined();
  });
});

describe('a run-of-show row with a product id longer than the store keeps', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  const long = 'p'.repeat(201);
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
  });
  afterAll(async () => {
    await core.stop();
    cleanup();
  });

  it('is refused with its line and reason, from CSV and XLSX, and the saved plan stays', async () => {
    const saved = await core.request('setRunOfShow', { roomId: 'room-x', items: [{ productId: 'keep', minutes: 5 }] });
    expect(saved.ok).toBe(true);
    const csv = Buffer.from(`商品,时长\nok,5\n${long},6\n`).toString('base64');
    const r1 = await core.request('importRunOfShow', { roomId: 'room-x', fileName: 'p.csv', dataBase64: csv });
    expect(r1).toMatchObject({ ok: false });
    expect(!r1.ok && r1.error).toMatch(/^line 3, column "商品": the product id is 201 characters long; at most 200/);
    const xlsx = (await workbook([['商品', '时长'], ['ok', 5], [long, 6]])).toString('base64');
    const r2 = await core.request('importRunOfShow', { roomId: 'room-x', fileName: 'p.xlsx', dataBase64: xlsx });
    expect(!r2.ok && r2.error).toMatch(/^line 3, column "商品": the product id is 201/);
    const view = await core.request('getRunOfShow', { roomId: 'room-x' });
    expect(view.ok && (view.value as { items: unknown[] }).items).toEqual([{ productId: 'keep', minutes: 5 }]);
  });

  it('lcr plan --file refuses it too and the stored plan reads back unchanged', async () => {
    const { dir: d, cleanup: done } = tempDir();
    try {
      writeFileSync(join(d, 'ok.csv'), '商品,时长\nkeep,5\n');
      writeFileSync(join(d, 'bad.csv'), `商品,时长\nok,5\n${long},6\n`);
      expect((await lcrRun(['plan', '--room', 'r', '--file', join(d, 'ok.csv')], { LCR_DATA_DIR: d })).code).toBe(0);
      const bad = await lcrRun(['plan', '--room', 'r', '--file', join(d, 'bad.csv')], { LCR_DATA_DIR: d });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^lcr: line 3, column "商品": the product id is 201 characters long/);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      const now = await lcrRun(['plan', '--room', 'r', '--json'], { LCR_DATA_DIR: d });
      expect(JSON.parse(now.stdout).items).toEqual([{ productId: 'keep', minutes: 5 }]);
    } finally {
      done();
    }
  });
});
