/**
 * Reading a run-of-show (排品表) file, CSV or XLSX, into plan items (S4). The rules — which
 * headers, what a valid row is, errors with line, column and reason — are shared/suggest/plan.ts's;
 * this file only turns the file's bytes into rows of text cells.
 */
import { readFileSync } from 'node:fs';
import type ExcelJS from 'exceljs';
import { PlanTableError, parsePlanCsv, parsePlanRows, type PlanItem } from '../../shared/suggest/plan.ts';

export { PlanTableError };

/** Files larger than this are not a run-of-show: refuse before parsing. */
const MAX_BYTES = 5 * 1024 * 1024;

export type PlanFileKind = 'csv' | 'xlsx';

export function planFileKind(name: string): PlanFileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  throw new PlanTableError(1, null, `"${name}" is neither .csv nor .xlsx`);
}

export async function readPlanBytes(bytes: Uint8Array, name: string, catalog?: readonly { id: string; title: string }[]): Promise<PlanItem[]> {
  if (bytes.byteLength > MAX_BYTES) throw new PlanTableError(1, null, `the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; a run-of-show is at most 5 MB`);
  if (planFileKind(name) === 'csv') return parsePlanCsv(new TextDecoder('utf-8').decode(bytes), catalog);
  // Loaded on first use: the core starts without it, most shows never import a file.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new PlanTableError(1, null, `not a readable .xlsx file (${e instanceof Error ? e.message : String(e)})`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new PlanTableError(1, null, 'the workbook has no sheet');
  const rows: string[][] = [];
  // Row numbers are the sheet's own, so an error names the line a person sees in Excel.
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    rows[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return parsePlanRows(Array.from(rows, (r) => r ?? []), catalog);
}

export async function readPlanFile(path: string, catalog?: readonly { id: string; title: string }[]): Promise<PlanItem[]> {
  return readPlanBytes(readFileSync(path), path, catalog);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v && v.result !== undefined && v.result !== null) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
  }
  return String(v);
}
