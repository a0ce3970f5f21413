/**
 * The retrospective in the four formats `lcr export` and the app's exportReport write —
 * CSV (tables, UTF-8 with BOM), XLSX (a workbook), HTML (self-contained) and PDF (that HTML printed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { RetroReport } from '../retrospective.ts';
import { exportCsv } from './csv.ts';
import { writeXlsx } from './xlsx.ts';
import { renderHtml } from './html.ts';
import { htmlToPdf } from './pdf.ts';
import { getDisplayCurrency, isDateTs, setDisplayCurrency, type Locale } from '../../../../shared/format.ts';
import { localiser } from '../../../../shared/i18n/localiser.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(x: unknown): x is ExportFormat {
  return typeof x === 'string' && (EXPORT_FORMATS as readonly string[]).includes(x);
}

/**
 * `out` gets the format's extension when it has none. Every format is written in `locale` (Chinese
 * unless asked otherwise) through the one localiser the screen uses. Returns the files written
 * (CSV writes one per table).
 */
export async function exportReport(report: RetroReport, format: ExportFormat, out: string, opts: { locale?: Locale; generatedAt?: number } = {}): Promise<string[]> {
  // The report's money in its show's currency (shared/format.ts). Exports await charts and files
  // on the way, so they run one at a time: another show's export must not change the currency mid-file.
  const run = exporting.then(async () => {
    const before = getDisplayCurrency();
    setDisplayCurrency(report.session.currency);
    try {
      return await writeReport(report, format, out, opts);
    } finally {
      setDisplayCurrency(before);
    }
  });
  exporting = run.catch(() => undefined);
  return run;
}

let exporting: Promise<unknown> = Promise.resolve();

async function writeReport(report: RetroReport, format: ExportFormat, out: string, opts: { locale?: Locale; generatedAt?: number }): Promise<string[]> {
  const i18n = localiser(opts.locale ?? 'zh-CN');
  const path = extname(out) ? out : `${out}.${format}`;
  mkdirSync(dirname(path), { recursive: true });
  switch (format) {
    case 'csv':
      return exportCsv(report, path, i18n);
    case 'xlsx':
      await writeXlsx(report, path, i18n);
      return [path];
    case 'html':
      writeFileSync(path, await renderHtml(report, i18n, opts));
      return [path];
    case 'pdf':
      await htmlToPdf(await renderHtml(report, i18n, opts), path);
      return [path];
  }
}

/** A file name for a session's export, in its language: the room and the start in local time, no characters a file system refuses. */
export function exportFileName(report: RetroReport, format: ExportFormat, locale: Locale = 'zh-CN'): string {
  const d = new Date(isDateTs(report.session.startedAt) ? report.session.startedAt : 0);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = isDateTs(report.session.startedAt) ? `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}` : 'undated';
  const room = report.session.roomId.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60);
  return `${localiser(locale)('report.fileName')}-${room}-${stamp}.${format}`;
}
