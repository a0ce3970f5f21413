/**
 * The imports door (docs/doors.md): a Compass table's bytes — `lcr import --file` and the 复盘
 * screen's importTables — read into rows (CSV in any encoding, XLSX) and stored in one
 * transaction. Given garbage bytes, broken encodings (invalid UTF-8, UTF-16 BOMs), truncated and
 * damaged workbooks, zip bombs and tables whose cells are hostile, the reader answers rows or a
 * clear ImportError (a line, a one-line bounded reason); a refused import leaves the store's rows
 * as they were; and the valid figures beside unknown hostile columns are stored exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openDatabase, type DB } from '../../electron/core/store/db.ts';
import { readImportRows } from '../../electron/core/imports/file.ts';
import { importTable, ImportTargetError } from '../../electron/core/imports/index.ts';
import { ImportError } from '../../shared/imports/parse.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileNumber, hostileString, hostileTs } from '../helpers/hostile.ts';
import { bombSheet, makeZip, readZip } from '../helpers/zip.ts';
import { tempDir } from '../helpers/util.ts';

let dir: string;
let cleanup: () => void;
let db: DB;
let xlsx: Buffer;
let bombs: Buffer[];

const TABLES = ['sessions', 'imports', 'imported_minutes', 'imported_products', 'session_rollups', 'minute_rollups', 'product_rollups'];
function counts(): string {
  return TABLES.map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n).join(',');
}

/** A refusal is an ImportError (a line, a reason) or a target error, in one bounded line. */
function expectClearRefusal(e: unknown): void {
  if (!(e instanceof ImportError) && !(e instanceof ImportTargetError)) throw e;
  if (e instanceof ImportError) expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.message.length).toBeLessThan(1000);
  expect(e.message).not.toMatch(/[\r\n]/);
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  db = openDatabase(dir);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('分钟');
  ws.addRow(['时间', '成交金额(元)', '成交订单数']);
  for (let m = 0; m < 30; m++) ws.addRow([`2024-11-11 20:${String(m).padStart(2, '0')}`, 100 + m, m]);
  xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  const parts = readZip(xlsx);
  const bomb = bombSheet(900_000);
  bombs = [
    makeZip(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, deflated: bomb } : p))),
    makeZip(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, deflated: bomb, declaredSize: 10 } : p))),
    makeZip([...parts, ...Array.from({ length: 700 }, (_, i) => ({ name: `x${i}`, data: Buffer.from('x') }))]),
  ];
}, fuzzTimeout(60_000));
afterAll(() => {
  db?.close();
  cleanup?.();
});

const csvCell = fc.oneof(hostileString, hostileNumber.map(String), fc.constantFrom('', '-', '2024-11-11 20:00', '20:05', '5', '1,234.5', '¥1.2万', '12%', '="1"', '"quoted, cell"'));
const csvText = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom('时间', '成交金额(元)', '成交订单数', '商品ID', '商品名称', 'stat_time', 'pay_amt', '直播间ID'), hostileString), { minLength: 1, maxLength: 6 }),
    fc.array(fc.array(csvCell, { maxLength: 6 }), { maxLength: 8 }),
    fc.constantFrom(',', '\t'),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([head, rows, sep, nl]) => [head, ...rows].map((r) => r.map((c) => (sep === ',' && /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)).join(nl));

const encoded = fc.tuple(csvText, fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be', 'gb18030ish', 'invalid')).map(([text, enc]) => {
  const b = Buffer.from(text, 'utf8');
  switch (enc) {
    case 'utf8bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'gb18030ish':
      return Buffer.concat([b, Buffer.from([0xb3, 0xc9, 0xbd, 0xbb])]);
    default:
      return Buffer.concat([b.subarray(0, b.length >> 1), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28]), b.subarray(b.length >> 1)]);
  }
});

const damagedXlsx = fc.oneof(
  fc.nat().map((n) => () => xlsx.subarray(0, n % xlsx.length)),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => () => {
    const b = Buffer.from(xlsx);
    for (const [i, v] of flips) b[i % b.length] = v;
    return b;
  }),
  fc.nat(2).map((i) => () => bombs[i]!),
);

const fileBytes = fc.oneof(
  { weight: 3, arbitrary: encoded.map((b) => ({ name: 'table.csv', bytes: () => b })) },
  { weight: 2, arbitrary: damagedXlsx.map((bytes) => ({ name: 'table.xlsx', bytes })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((u) => ({ name: 'x.csv', bytes: () => Buffer.from(u) })) },
  { weight: 1, arbitrary: fc.tuple(hostileString, fc.uint8Array({ maxLength: 256 })).map(([n, u]) => ({ name: n || 'x', bytes: () => Buffer.from(u) })) },
);

describe('imports door', () => {
  it('reads any bytes into rows, or refuses them with a line and one bounded reason', async () => {
    await checkDoorAsync(
      'imports',
      'readImportRows total',
      fc.asyncProperty(fileBytes, async ({ name, bytes }) => {
        await yieldToLoop();
        try {
          const rows = await readImportRows(bytes(), name);
          expect(Array.isArray(rows)).toBe(true);
        } catch (e) {
          expectClearRefusal(e);
        }
      }),
      { scale: 2 },
    );
  }, fuzzTimeout(300_000));

  it('a refused import changes nothing; an accepted one is found where it says', async () => {
    await checkDoorAsync(
      'imports',
      'importTable refuses cleanly',
      fc.asyncProperty(fileBytes, fc.option(hostileString), fc.option(hostileTs), fc.constantFrom(undefined, 'provisional', 'settled'), async ({ name, bytes }, roomId, startedAt, kind) => {
        await yieldToLoop();
        const before = counts();
        try {
          const r = await importTable(db, { fileName: name, bytes: bytes(), roomId: roomId ?? 'room-a', startedAt: startedAt ?? undefined, kind });
          expect(db.prepare('SELECT 1 FROM imports WHERE import_id = ?').get(r.importId)).toBeDefined();
        } catch (e) {
          expectClearRefusal(e);
          expect(counts()).toBe(before);
        }
      }),
    );
  }, fuzzTimeout(300_000));

  it('the figures beside hostile unknown columns are stored exactly', async () => {
    const row = fc.record({ gmvYuan: fc.integer({ min: 0, max: 1_000_000 }), orders: fc.integer({ min: 0, max: 10_000 }) });
    await checkDoorAsync(
      'imports',
      'valid beside garbage',
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(hostileString.filter((h) => h.trim().length > 0 && !/[",\r\n]/.test(h)), csvCell.filter((c) => !/[",\r\n]/.test(c))), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        async (rows, extra, n) => {
          await yieldToLoop();
          const head = ['时间', '成交金额(元)', '成交订单数', ...extra.map(([h]) => h)];
          const lines = rows.map((r, m) => [`2030-01-01 ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`, String(r.gmvYuan), String(r.orders), ...extra.map(([, c]) => c)]);
          const csv = [head, ...lines].map((l) => l.join(',')).join('\n');
          const roomId = `exact-${n}-${Math.random().toString(36).slice(2)}`;
          let result;
          try {
            result = await importTable(db, { fileName: 'm.csv', bytes: Buffer.from(csv), roomId });
          } catch (e) {
            // An extra column whose name Compass uses for a known figure may make the table ambiguous: refused whole, clearly.
            expectClearRefusal(e);
            return;
          }
          const stored = db.prepare('SELECT minute, row FROM imported_minutes WHERE import_id = ? ORDER BY minute').all(result.importId) as Array<{ minute: number; row: string }>;
          expect(stored.map((s) => JSON.parse(s.row) as Record<string, number>).map((v) => [v.gmvFen, v.orders])).toEqual(rows.map((r) => [r.gmvYuan * 100, r.orders]));
        },
      ),
    );
  }, fuzzTimeout(300_000));
});
