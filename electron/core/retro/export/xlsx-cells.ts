/**
 * How the workbook (xlsx.ts) writes a figure: each kind of cell with its number format — money as
 * ¥ numbers in yuan, rates as percentages, durations as h:mm:ss, times as local dates — and a
 * table sheet with its header row frozen, shaded and filterable.
 */
import type ExcelJS from 'exceljs';
import type { Unit } from '../../../../shared/retro/types.ts';
import { getDisplayCurrency, isDateTs } from '../../../../shared/format.ts';
import { CURRENCY_EXPONENT, currencyMark, minorPerMajor } from '../../../../shared/currency.ts';

/** A cell's number format; money in the report's currency (exportReport sets it), with its decimals. */
export function numFmt(kind: Exclude<Kind, 'text'>): string {
  if (kind !== 'money' && kind !== 'yuan') return FMT[kind];
  const code = getDisplayCurrency();
  const decimals = CURRENCY_EXPONENT[code] ?? 2;
  return `"${currencyMark(code).trim()}"#,##0${decimals ? '.' + '0'.repeat(decimals) : ''}`;
}

export const FMT = {
  money: '"¥"#,##0.00',
  /** CNY whatever the report's currency: gift values. */
  cnyMoney: '"¥"#,##0.00',
  yuan: '"¥"#,##0.00',
  pct: '0.00%',
  int: '#,##0',
  ratio: '0.00',
  dur: '[h]:mm:ss',
  time: 'yyyy-mm-dd hh:mm:ss',
} as const;

export type Kind = keyof typeof FMT | 'text';
export interface Col {
  header: string;
  key: string;
  kind: Kind;
  width?: number;
}

/** Excel keeps no time zone: wall-clock times are written as the exporting machine's local time. */
export function excelDate(ts: number | null): Date | null {
  // Beyond the Date range (a relay's garbage start): an empty cell, not a RangeError.
  if (!isDateTs(ts) || !isDateTs(ts + 14 * 3600_000) || !isDateTs(ts - 14 * 3600_000)) return null;
  return new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
}

export function cellValue(v: unknown, kind: Kind): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'money':
      return typeof v === 'number' ? v / minorPerMajor(getDisplayCurrency()) : null;
    case 'cnyMoney':
      return typeof v === 'number' ? v / 100 : null;
    case 'dur':
      return typeof v === 'number' ? v / 86_400 : null;
    case 'time':
      return typeof v === 'number' ? excelDate(v) : null;
    case 'text':
      return v as ExcelJS.CellValue;
    default:
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
}

export function sheet(wb: ExcelJS.Workbook, name: string, cols: Col[], rows: ReadonlyArray<Record<string, unknown>>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  for (const r of rows) {
    const values: Record<string, ExcelJS.CellValue> = {};
    for (const c of cols) values[c.key] = cellValue(r[c.key], c.kind);
    ws.addRow(values);
  }
  cols.forEach((c, i) => {
    if (c.kind !== 'text') ws.getColumn(i + 1).numFmt = numFmt(c.kind);
  });
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F2F5' } };
  head.numFmt = '@';
  if (rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return ws;
}

export function unitKind(u: Unit): Kind {
  return u === 'fen' ? 'money' : u === 'cnyFen' ? 'cnyMoney' : u === 'yuan' ? 'yuan' : u === 'rate' ? 'pct' : u === 'sec' ? 'dur' : u === 'ratio' ? 'ratio' : 'int';
}
