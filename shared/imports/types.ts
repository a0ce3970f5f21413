/** Table-import and settled-figure shapes that cross the core–UI boundary: an import's result and a session's settlement. */
import type { ImportField, ImportTableKind } from './columns.ts';

/**
 * `provisional`: the show's first figures (an unrecorded show's tables, as exported the night of
 * the show). `settled`: the platform's later figures for a show already in the store — they
 * update the report's figures; the first figures stay stored, untouched.
 */
export const ImportKinds = ['provisional', 'settled'] as const;
export type ImportKind = (typeof ImportKinds)[number];

/** One imported file of a session, as stored (history: every import is kept). */
export interface ImportRecord {
  importId: string;
  kind: ImportKind;
  table: ImportTableKind;
  file: string;
  importedAt: number;
  importedBy: string | null;
  rows: number;
}

/** A figure the settled tables moved: `change = settled − live`, `changePct = change / live`. */
export interface SettlementChange {
  /** a METRICS.md KPI key (gmvFen, orders, refundFen, pv, uv, gpm, …) */
  key: string;
  live: number | null;
  settled: number | null;
  change: number | null;
  changePct: number | null;
}

/**
 * The newest settled import of a session and what it moved. The report's `kpis`, `minutes` and
 * `products` are the settled figures; `changes` lists the KPIs whose settled value differs from the
 * live (or first imported) one. `imports`: every file imported for the session, newest first.
 */
export interface Settlement {
  importedAt: number;
  file: string;
  /** the settled tables in force (newest per table kind) */
  tables: ImportTableKind[];
  changes: SettlementChange[];
  imports: ImportRecord[];
}

/** What `lcr import --json` prints and the `importTables` request returns. */
export interface ImportResult {
  importId: string;
  sessionId: string;
  roomId: string;
  /** true: the import created the session (a show that was not recorded live) */
  created: boolean;
  kind: ImportKind;
  table: ImportTableKind;
  file: string;
  importedAt: number;
  /** data rows read (minutes, product rows, or 1 for a totals table) */
  rows: number;
  /** how the file's columns were read: header as written → the app's field */
  columns: Array<{ header: string; field: ImportField }>;
  /** headers the app does not read */
  ignored: string[];
  /** the session's settlement after this import (null: no settled import yet) */
  settlement: Settlement | null;
}
