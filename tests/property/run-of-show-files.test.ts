/**
 * The run-of-show files door (docs/doors.md): a 排品表 as CSV or XLSX bytes — the screen's
 * importRunOfShow, `lcr plan --file` — read by electron/core/plan-file.ts. Given anything (garbage
 * bytes, broken encodings, damaged or exploding workbooks, hostile cells, ids longer than the
 * store keeps), it answers plan items the store accepts, or a PlanTableError with the line and a
 * one-line bounded reason; valid slots beside hostile extra columns are read exactly; and through
 * the core, a refused file leaves the saved plan as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { fileURLToPath } from 'node:url';
import { readPlanBytes, PlanTableError } from '../../electron/core/suggest/plan-file.ts';
import { Core } from '../../electron/core/core.ts';
import { PlanItemsSchema } from '../../shared/contract.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileNumber, hostileString } from '../helpers/hostile.ts';
import { bombSheet, makeZip, readZip } from '../helpers/zip.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let xlsx: Buffer;
let bomb: Buffer;
let dir: string;
let cleanup: () => void;
let core: Core;

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排品表');
  ws.addRow(['商品', '时长']);
  for (let i = 0; i < 10; i++) ws.addRow([`p${i}`, 5 + i]);
  xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  bomb = makeZip(readZip(xlsx).map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, deflated: bombSheet(300_000) } : p)));
  ({ dir, cleanup } = tempDir());
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
}, fuzzTimeout(60_000));
afterAll(async () => {
  await core?.stop();
  cleanup?.();
});

function expectClearRefusal(e: unknown): void {
  if (!(e instanceof PlanTableError)) throw e;
  expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.message.length).toBeLessThan(1000);
  expect(e.message).not.toMatch(/[\r\n]/);
}

const cell = fc.oneof(hostileString, hostileNumber.map(String), fc.constantFrom('', '5', '0', '-1', '1441', '1e3', 'NaN', '十分钟', 'p'.repeat(201), '商品', '时长'));
const csv = fc
  .tuple(fc.array(fc.oneof(fc.constantFrom('商品', '时长', 'productId', 'minutes', '序号'), hostileString), { minLength: 1, maxLength: 4 }), fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 10 }), fc.constantFrom('\n', '\r\n'))
  .map(([head, rows, nl]) => [head, ...rows].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(nl));
const bytes = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(csv, fc.constantFrom('utf8', 'bom', 'utf16le', 'invalid')).map(([t, enc]) => ({ name: 'plan.csv', bytes: () => (enc === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]) : enc === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]) : enc === 'invalid' ? Buffer.concat([Buffer.from(t), Buffer.from([0xff, 0xc3, 0x28])]) : Buffer.from(t)) })) },
  { weight: 1, arbitrary: fc.nat().map((n) => ({ name: 'plan.xlsx', bytes: () => xlsx.subarray(0, n % xlsx.length) })) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 10 }).map((flips) => ({ name: 'plan.xlsx', bytes: () => { const b = Buffer.from(xlsx); for (const [i, v] of flips) b[i % b.length] = v; return b; } })) },
  { weight: 1, arbitrary: fc.constant({ name: 'plan.xlsx', bytes: () => bomb }) },
  { weight: 1, arbitrary: fc.tuple(hostileString, fc.uint8Array({ maxLength: 2048 })).map(([n, u]) => ({ name: n, bytes: () => Buffer.from(u) })) },
);

describe('run-of-show files door', () => {
  it('answers any file with items the store keeps, or a line and a reason', async () => {
    await checkDoorAsync(
      'run-of-show files',
      'readPlanBytes total',
      fc.asyncProperty(bytes, async ({ name, bytes: b }) => {
        await yieldToLoop();
        try {
          const items = await readPlanBytes(b(), name);
          // Whatever is read is what the store keeps and reads back (a plan it cannot keep would read back as none).
          expect(PlanItemsSchema.safeParse(items).success).toBe(true);
        } catch (e) {
          expectClearRefusal(e);
        }
      }),
      { scale: 3 },
    );
  }, fuzzTimeout(300_000));

  it('valid slots beside hostile extra columns and blank rows are read exactly', async () => {
    const slot = fc.record({ productId: fc.stringMatching(/^[a-z0-9-]{1,200}$/), minutes: fc.integer({ min: 1, max: 1440 }) });
    await checkDoorAsync(
      'run-of-show files',
      'valid beside garbage',
      fc.asyncProperty(fc.array(slot, { minLength: 1, maxLength: 30 }), fc.array(cell.filter((c) => !/[",\r\n]/.test(c)), { maxLength: 3 }), fc.boolean(), async (slots, extra, asXlsx) => {
        await yieldToLoop();
        const head = ['序号', '商品', '时长', ...extra.map((_, i) => `备注${i}`)];
        const rows = slots.flatMap((s, i) => [[String(i + 1), s.productId, String(s.minutes), ...extra], ...(i % 3 === 0 ? [['', '', '', '']] : [])]);
        let file: Buffer;
        if (asXlsx) {
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('s');
          for (const r of [head, ...rows]) ws.addRow(r);
          file = Buffer.from(await wb.xlsx.writeBuffer());
        } else file = Buffer.from([head, ...rows].map((r) => r.join(',')).join('\n'));
        expect(await readPlanBytes(file, asXlsx ? 'p.xlsx' : 'p.csv')).toEqual(slots);
      }),
      { scale: 0.5 },
    );
  }, fuzzTimeout(300_000));

  it('through the core: a refused file leaves the saved plan as it was', async () => {
    const saved = [{ productId: 'keep-1', minutes: 7 }];
    expect((await core.request('setRunOfShow', { roomId: 'plan-room', items: saved })).ok).toBe(true);
    await checkDoorAsync(
      'run-of-show files',
      'refusal keeps the saved plan',
      fc.asyncProperty(bytes, async ({ name, bytes: b }) => {
        await yieldToLoop();
        const before = await core.request('getRunOfShow', { roomId: 'plan-room' });
        const r = await core.request('importRunOfShow', { roomId: 'plan-room', fileName: (name || 'x').slice(0, 300), dataBase64: b().toString('base64') });
        const after = await core.request('getRunOfShow', { roomId: 'plan-room' });
        if (!r.ok) {
          // A line per problem (at most 20), each short: the page lists them.
          const lines = r.error.split('\n');
          expect(lines.length).toBeLessThanOrEqual(20);
          for (const l of lines) expect(l.length).toBeLessThan(1000);
          expect((after as { value: { items: unknown } }).value.items).toEqual((before as { value: { items: unknown } }).value.items);
        } else {
          expect((after as { value: { items: unknown } }).value.items).toEqual((r.value as { items: unknown }).items);
          // Back to the known plan for the next input.
          await core.request('setRunOfShow', { roomId: 'plan-room', items: saved });
        }
      }),
    );
  }, fuzzTimeout(300_000));
});
