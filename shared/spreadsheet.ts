/**
 * The one rule for text that reaches a spreadsheet (CSV and XLSX exports): a cell a person's
 * spreadsheet would read as a formula must stay text (OWASP "CSV injection"). Product titles,
 * notes, reasons and room names come from relays, imports and people, so any of them may be
 * `=HYPERLINK(…)`, `-2+3+cmd|' /C calc'!A0` or a tab followed by one.
 */

/**
 * A value Excel, LibreOffice or Sheets would treat as a formula (or as the start of one): its first
 * character is `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed, or their full-width
 * forms (an IME's ＝ and ＋ are read as formulas by some spreadsheets). A plain number ("-12.5",
 * "+3", "1e5") is not: it stays a number.
 */
export function isFormulaLike(s: string): boolean {
  if (!/^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/.test(s)) return false;
  return !PLAIN_NUMBER.test(s);
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV cell (RFC 4180): a formula-like text gets a leading `'` — the spreadsheet then shows it
 * as text — and a cell with a quote, comma or line break is quoted. Objects are written as JSON.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = typeof v === 'number' || typeof v === 'bigint' || !isFormulaLike(s) ? s : `'${s}`;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as a CSV text for Excel: UTF-8 BOM (Chinese Windows Excel reads GBK otherwise), CRLF line ends. */
export function toCsv(rows: ReadonlyArray<object>, columns: readonly string[]): string {
  return csvText(columns, rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])));
}

/** A header line and rows of cells as a CSV text for Excel, by the same rules as toCsv. */
export function csvText(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
