/** Run-of-show files: CSV and XLSX read through the same rules; a bad file is refused whole. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { PlanTableError, readPlanFile } from '../../electron/core/suggest/plan-file.ts';
import { tempDir } from '../helpers/util.ts';

const catalog = [
  { id: 'bea-lip', title: '丝绒哑光唇釉' },
  { id: 'bea-mask', title: '玻尿酸补水面膜' },
];

async function xlsx(path: string, rows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排品表');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(path);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function dirFor(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('run-of-show files', () => {
  it('reads an XLSX with Chinese headers, titles and numbers', async () => {
    const dir = dirFor();
    const f = join(dir, 'plan.xlsx');
    await xlsx(f, [
      ['序号', '商品', '讲解时长'],
      [1, '丝绒哑光唇釉', 8],
      [2, 'bea-mask', 5],
    ]);
    expect(await readPlanFile(f, catalog)).toEqual([
      { productId: 'bea-lip', minutes: 8 },
      { productId: 'bea-mask', minutes: 5 },
    ]);
  });

  it('names the sheet row, the column and the reason of a bad XLSX row', async () => {
    const dir = dirFor();
    const f = join(dir, 'bad.xlsx');
    await xlsx(f, [
      ['商品', '时长'],
      ['bea-lip', 8],
      ['bea-mask', -3],
    ]);
    await expect(readPlanFile(f, catalog)).rejects.toThrow('line 3, column "时长": minutes must be a number above 0 and at most 1440 (got "-3")');
  });

  it('reads a CSV and refuses what is neither CSV nor a real XLSX', async () => {
    const dir = dirFor();
    const csv = join(dir, 'plan.csv');
    writeFileSync(csv, '\uFEFFproductId,minutes\r\nbea-lip,6\r\n');
    expect(await readPlanFile(csv, catalog)).toEqual([{ productId: 'bea-lip', minutes: 6 }]);
    const fake = join(dir, 'fake.xlsx');
    writeFileSync(fake, 'not a zip');
    await expect(readPlanFile(fake, catalog)).rejects.toBeInstanceOf(PlanTableError);
    await expect(readPlanFile(fake, catalog)).rejects.toThrow(/not a readable \.xlsx file/);
    const pdf = join(dir, 'plan.pdf');
    writeFileSync(pdf, '%PDF');
    await expect(readPlanFile(pdf, catalog)).rejects.toThrow(/neither \.csv nor \.xlsx/);
  });
});
