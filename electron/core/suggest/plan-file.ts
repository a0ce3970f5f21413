/**
 * Reading a run-of-show (排品表) file, CSV or XLSX, into plan items. The rules — which
 * headers, what a valid row is, errors with line, column and reason — are shared/suggest/plan.ts's;
 * this file only turns the file's bytes into rows of text cells.
 */
import { readBoundedFile } from '../files/bounded.ts';
import type ExcelJS from 'exceljs';
import { checkZip, type ZipLimits } from '../files/zip-check.ts';
import { isDateTs } from '../../../shared/format.ts';
import { MAX_PLAN_FILE_BYTES } from '../../../shared/contract.ts';
import { PlanTableError, parsePlanCsv, parsePlanRows, planFileProblem, type PlanItem } from '../../../shared/suggest/plan.ts';

export { PlanTableError };

/** Files larger than this are not a run-of-show: refuse before parsing. */
const MAX_BYTES = MAX_PLAN_FILE_BYTES;

/**
 * What a workbook may expand to before ExcelJS reads it (zip-check.ts), and the sheet's size it
 * may then have. A 排品表 of 10,000 slots is about a megabyte of sheet XML.
 */
export interface XlsxLimits extends ZipLimits {
  /** The sheet's last row number. */
  maxRows: number;
  /** Rows × columns of the sheet's used range (empty cells in it are read as ''). */
  maxCells: number;
}

export const PLAN_XLSX_LIMITS: XlsxLimits = { maxEntries: 500, maxUncompressedBytes: 16 * 1024 * 1024, maxRows: 20_000, maxCells: 1_000_000 };

export type PlanFileKind = 'csv' | 'xlsx';

export function planFileKind(name: string): PlanFileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  throw planFileProblem(`"${name}" is neither .csv nor .xlsx`);
}

export async function readPlanBytes(bytes: Uint8Array, name: string, catalog?: readonly { id: string; title: string }[]): Promise<PlanItem[]> {
  if (bytes.byteLength > MAX_BYTES) throw planFileProblem(`the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; a run-of-show is at most 5 MB`);
  if (planFileKind(name) === 'csv') return parsePlanCsv(new TextDecoder('utf-8').decode(bytes), catalog);
  let rows: string[][];
  try {
    rows = await xlsxRows(bytes, PLAN_XLSX_LIMITS);
  } catch (e) {
    throw planFileProblem(e instanceof Error ? e.message : String(e));
  }
  return parsePlanRows(rows, catalog);
}

/**
 * The first sheet of an XLSX file as rows of text cells: row i is the sheet's row i + 1, so an
 * error names the line a person sees in Excel. Shared with the table imports.
 */
export async function xlsxRows(bytes: Uint8Array, limits: XlsxLimits): Promise<string[][]> {
  // Bounded before ExcelJS sees it: what the archive expands to, and how many parts it has.
  checkZip(bytes, limits);
  // Loaded on first use: the core starts without it, most shows never import a file.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new Error(`not a readable .xlsx file (${e instanceof Error ? e.message : String(e)})`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  // A cell far down or far right (XFD1048576) would make every row that many empty cells.
  if (sheet.rowCount > limits.maxRows) throw new Error(`the sheet's last row is row ${sheet.rowCount}; a table has at most ${limits.maxRows.toLocaleString('en-US')} rows`);
  const cols = sheet.columnCount;
  if (sheet.rowCount * cols > limits.maxCells) throw new Error(`the sheet spans ${sheet.rowCount} rows × ${cols} columns; a table has at most ${limits.maxCells.toLocaleString('en-US')} cells (is something far to the right or far down?)`);
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    rows[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}

export async function readPlanFile(path: string, catalog?: readonly { id: string; title: string }[]): Promise<PlanItem[]> {
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(path, MAX_BYTES, 'a run-of-show');
  } catch (e) {
    throw planFileProblem(e instanceof Error ? e.message : String(e));
  }
  return readPlanBytes(bytes, path, catalog);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  // Excel stores a date-time as the wall clock it shows, and exceljs hands it over as that clock in
  // UTC: its UTC fields are what the person typed, with no zone ("2024-11-11 20:05:00").
  if (v instanceof Date) return isDateTs(v.getTime()) ? v.toISOString().slice(0, 19).replace('T', ' ') : '';
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v && v.result !== undefined && v.result !== null) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
  }
  return String(v);
}
