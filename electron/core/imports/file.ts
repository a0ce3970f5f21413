/**
 * An imported file's bytes into rows of text cells — CSV (UTF-8 with or without BOM, or GBK /
 * GB18030 as Excel on a Chinese Windows saves it, or UTF-16 with BOM), tab-separated text as copied
 * from the Compass screen, or XLSX (first sheet, through the run-of-show reader's XLSX helper).
 * What the cells mean is shared/imports/parse.ts's business.
 */
import { splitCsvLine } from '../../../shared/suggest/plan.ts';
import { ImportError, MAX_IMPORT_ROWS, oneLine } from '../../../shared/imports/parse.ts';
import { xlsxRows, type XlsxLimits } from '../suggest/plan-file.ts';
import { MAX_IMPORT_FILE_BYTES } from '../../../shared/contract.ts';

/** Compass exports of a long show are well under this; anything bigger is not a table of one show. */
export const MAX_IMPORT_BYTES = MAX_IMPORT_FILE_BYTES;

/** A Compass table's workbook: up to MAX_IMPORT_ROWS rows of a few dozen columns (zip-check.ts, plan-file.ts). */
export const IMPORT_XLSX_LIMITS: XlsxLimits = { maxEntries: 500, maxUncompressedBytes: 64 * 1024 * 1024, maxRows: MAX_IMPORT_ROWS + 1000, maxCells: 5_000_000 };

export type ImportFileKind = 'csv' | 'xlsx';

export function importFileKind(name: string, bytes: Uint8Array): ImportFileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.tsv')) return 'csv';
  // A zip's magic: an .xlsx saved under another name.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  throw new ImportError(1, null, `${JSON.stringify(oneLine(name, 120))} is not a .csv, .tsv, .txt or .xlsx file`);
}

/** Text of a CSV file: BOMs say the encoding; otherwise UTF-8 if it decodes cleanly, else GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Rows of a CSV (or tab-separated) text: row i is line i + 1. The header line decides the separator. */
export function textRows(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = lines.find((l) => l.trim()) ?? '';
  const tabs = head.includes('\t') && (head.split('\t').length > head.split(',').length);
  return lines.map((l) => (tabs ? l.split('\t') : splitCsvLine(l)));
}

export async function readImportRows(bytes: Uint8Array, name: string): Promise<string[][]> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ImportError(1, null, `the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; an imported table is at most 20 MB`);
  if (bytes.byteLength === 0) throw new ImportError(1, null, 'the file is empty');
  if (importFileKind(name, bytes) === 'csv') return textRows(decodeText(bytes));
  try {
    return await xlsxRows(bytes, IMPORT_XLSX_LIMITS);
  } catch (e) {
    throw new ImportError(1, null, e instanceof Error ? e.message : String(e));
  }
}
