/**
 * Exports a person reworks in Excel: one CSV file per table (shared/retro/csv-tables.ts: headers in
 * the localiser's language with their units, yuan, percent, local date-times), named after --out —
 * UTF-8 with a BOM and CRLF line ends, formula-like text kept as text (shared/spreadsheet.ts).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { csvText } from '../../../../shared/spreadsheet.ts';
import { csvTables, type CsvReport } from '../../../../shared/retro/csv-tables.ts';
import { localiser, type Localiser } from '../../../../shared/i18n/localiser.ts';

/** Writes `<out>` (minutes) and `<base>.kpis.csv`, `<base>.products.csv`, `<base>.segments.csv`; returns the paths. */
export function exportCsv(report: CsvReport, out: string, i18n: Localiser = localiser('zh-CN')): string[] {
  mkdirSync(dirname(out), { recursive: true });
  const csv = extname(out).toLowerCase() === '.csv';
  const base = csv ? out.slice(0, -4) : out;
  const files = csvTables(report, i18n).map((t): [string, string] => [t.name === 'minutes' ? (csv ? out : `${out}.csv`) : `${base}.${t.name}.csv`, csvText(t.header, t.rows)]);
  for (const [path, text] of files) writeFileSync(path, text);
  return files.map(([p]) => p);
}
