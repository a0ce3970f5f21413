/**
 * Exports a person reworks in Excel: one CSV file per table, named after --out (UTF-8 with a
 * BOM and CRLF line ends, formula-like text kept as text: shared/spreadsheet.ts).
 *
 * Headers are the JSON keys of `lcr report --json`: `minute` is METRICS.md's 0-based index. Beside
 * it every table with a minute has `minuteNumber`, the number people see on every screen and
 * sheet (第N分钟 = index + 1, shared/minutes.ts), so a row, a note and an alert of one minute agree.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { Report } from './report.ts';
import type { Note } from '../../shared/retro/types.ts';
import { toCsv } from '../../shared/spreadsheet.ts';
import { MINUTE_COLUMNS, PRODUCT_COLUMNS, SEGMENT_COLUMNS } from '../../shared/metrics/columns.ts';
import { minuteNumber } from '../../shared/minutes.ts';
import { alertText } from '../../shared/alerts/text.ts';
import type { Locale } from '../../shared/format.ts';

// Cells go through the one spreadsheet rule (formula-like text stays text): shared/spreadsheet.ts.
export { toCsv };

const ALERT_COLUMNS = ['minute', 'minuteNumber', 'kind', 'text', 'ts', 'acknowledgedAt', 'acknowledgedBy', 'acknowledgedRole', 'id'] as const;
const NOTE_COLUMNS = ['minute', 'minuteNumber', 'text', 'byName', 'createdAt', 'id'] as const;

/**
 * Writes `<out>` (minutes) and `<base>.kpis.csv`, `<base>.products.csv`, `<base>.segments.csv`,
 * `<base>.alerts.csv` and, for a retrospective, `<base>.notes.csv`; returns the paths.
 */
export function exportCsv(report: Report & { notes?: readonly Note[] }, out: string, locale: Locale = 'zh-CN'): string[] {
  mkdirSync(dirname(out), { recursive: true });
  const base = extname(out).toLowerCase() === '.csv' ? out.slice(0, -4) : out;
  const minutesPath = extname(out).toLowerCase() === '.csv' ? out : `${out}.csv`;
  const kpiRows = Object.entries(report.kpis).map(([key, value]) => ({ key, value }));
  const numbered = <T extends { minute: number | null }>(rows: readonly T[]) => rows.map((r) => ({ ...r, minuteNumber: r.minute === null ? null : minuteNumber(r.minute) }));
  const files: Array<[string, string]> = [
    // minuteNumber last: scripts reading the columns by position keep working.
    [minutesPath, toCsv(numbered(report.minutes), [...MINUTE_COLUMNS, 'minuteNumber'])],
    [`${base}.kpis.csv`, toCsv(kpiRows, ['key', 'value'])],
    [`${base}.products.csv`, toCsv(report.products, PRODUCT_COLUMNS)],
    [`${base}.segments.csv`, toCsv(report.segments, SEGMENT_COLUMNS)],
    [`${base}.alerts.csv`, toCsv(numbered(report.alerts).map((a) => ({ ...a, text: alertText(a, locale) })), ALERT_COLUMNS)],
  ];
  if (report.notes) files.push([`${base}.notes.csv`, toCsv(numbered(report.notes), NOTE_COLUMNS)]);
  for (const [path, text] of files) writeFileSync(path, text);
  return files.map(([p]) => p);
}
