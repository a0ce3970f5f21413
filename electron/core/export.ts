/**
 * Exports a person reworks in Excel: one CSV file per table, named after --out (UTF-8 with a
 * BOM and CRLF line ends, formula-like text kept as text: shared/spreadsheet.ts).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { Report } from './report.ts';
import { toCsv } from '../../shared/spreadsheet.ts';
import { MINUTE_COLUMNS, PRODUCT_COLUMNS, SEGMENT_COLUMNS } from '../../shared/metrics/columns.ts';

// Cells go through the one spreadsheet rule (formula-like text stays text): shared/spreadsheet.ts.
export { toCsv };

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
