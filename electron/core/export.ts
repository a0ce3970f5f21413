/**
 * Exports a person reworks in Excel. CSV is UTF-8 with a BOM (Excel on Chinese Windows
 * otherwise reads it as GBK) and CRLF line ends; one file per table, named after --out.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { Report } from './report.ts';
import { MINUTE_COLUMNS, PRODUCT_COLUMNS, SEGMENT_COLUMNS } from '../../shared/metrics/columns.ts';

export function toCsv(rows: ReadonlyArray<object>, columns: readonly string[]): string {
  const cols = columns;
  const lines = [cols.map(csvCell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell((r as Record<string, unknown>)[c])).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Also neutralise formula injection: a comment starting with = must not run in Excel.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes `<out>` (minutes) and `<base>.kpis.csv`, `<base>.products.csv`, `<base>.segments.csv`; returns the paths. */
export function exportCsv(report: Report, out: string): string[] {
  mkdirSync(dirname(out), { recursive: true });
  const base = extname(out).toLowerCase() === '.csv' ? out.slice(0, -4) : out;
  const minutesPath = extname(out).toLowerCase() === '.csv' ? out : `${out}.csv`;
  const kpiRows = Object.entries(report.kpis).map(([key, value]) => ({ key, value }));
  const files: Array<[string, string]> = [
    [minutesPath, toCsv(report.minutes, MINUTE_COLUMNS)],
    [`${base}.kpis.csv`, toCsv(kpiRows, ['key', 'value'])],
    [`${base}.products.csv`, toCsv(report.products, PRODUCT_COLUMNS)],
    [`${base}.segments.csv`, toCsv(report.segments, SEGMENT_COLUMNS)],
  ];
  for (const [path, text] of files) writeFileSync(path, text);
  return files.map(([p]) => p);
}
