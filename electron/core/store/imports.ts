/**
 * Imported Compass tables in the store (migration v8): the tables as read, the sessions they
 * belong to, and what the report makes of them. An imported show's rollups are written with the
 * live path's own statements (StoreWriter), so both kinds of show read back alike.
 *
 * How the report uses imports:
 * - a show that was not recorded live (its session's feed is `import`) gets rollups computed from
 *   its imported tables, written in the import's transaction: the session list, the report, the
 *   comparison and the earlier-shows baseline read them like any recorded show's;
 * - a settled import never touches a session's rollups or events; `settleReport` lays it over the
 *   live figures each time a report is built, and says what moved.
 */
import { hasTable, type DB } from './db.ts';
import type { StoredSession } from './reader.ts';
import { emptyBatch, StoreWriter } from './writer.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import type { ImportField, ImportTableKind } from '../../../shared/imports/columns.ts';
import type { ImportValues } from '../../../shared/imports/parse.ts';
import { metricsFromImports, settleMetrics, settlementChanges, type ImportedSet, type PlacedMinute } from '../../../shared/imports/metrics.ts';
import type { ImportKind, ImportRecord, Settlement } from '../../../shared/imports/types.ts';

/** The `feed` of a session created by an import: no relay, no events, its figures come from its tables. */
export const IMPORT_FEED = 'import';

export function isImportedSession(s: Pick<StoredSession, 'feed'>): boolean {
  return s.feed === IMPORT_FEED;
}

interface ImportDbRow {
  import_id: string;
  session_id: string;
  kind: string;
  table_kind: string;
  file: string;
  imported_at: number;
  imported_by: string | null;
  row_count: number;
  columns: string;
  totals: string | null;
}

function toRecord(r: ImportDbRow): ImportRecord {
  // Only this module writes the table, from ImportKinds / ImportTableKinds.
  return { importId: r.import_id, kind: r.kind as ImportKind, table: r.table_kind as ImportTableKind, file: r.file, importedAt: r.imported_at, importedBy: r.imported_by, rows: r.row_count };
}

/** Every import of a session, newest first (the history of settled figures). */
export function listImports(db: DB, sessionId: string): ImportRecord[] {
  return importRows(db, sessionId).map(toRecord);
}

function importRows(db: DB, sessionId: string): ImportDbRow[] {
  return db.prepare('SELECT * FROM imports WHERE session_id = ? ORDER BY imported_at DESC, import_seq DESC').all(sessionId) as ImportDbRow[];
}

/**
 * The tables in force for a session: the newest import of each table kind among `kinds` (the first
 * kind listed preferred: an imported show's first figures are its provisional tables, or its
 * settled ones when that is all it has).
 */
function tablesInForce(rows: ImportDbRow[], kinds: ImportKind[]): ImportDbRow[] {
  const out: ImportDbRow[] = [];
  for (const table of ['minutes', 'products', 'totals'] as const) {
    for (const kind of kinds) {
      const r = rows.find((x) => x.table_kind === table && x.kind === kind);
      if (r) {
        out.push(r);
        break;
      }
    }
  }
  return out;
}

function fieldsOf(r: ImportDbRow): ImportField[] {
  return (JSON.parse(r.columns) as Array<{ field: ImportField }>).map((c) => c.field);
}

function readSet(db: DB, chosen: ImportDbRow[]): ImportedSet {
  const set: ImportedSet = { minutes: null, products: null, totals: null };
  for (const r of chosen) {
    const fields = fieldsOf(r);
    if (r.table_kind === 'minutes') {
      const rows = (db.prepare('SELECT minute, ts, line, row FROM imported_minutes WHERE import_id = ? ORDER BY minute').all(r.import_id) as Array<{ minute: number; ts: number; line: number; row: string }>).map(
        (m): PlacedMinute => ({ minute: m.minute, ts: m.ts, line: m.line, values: JSON.parse(m.row) as ImportValues }),
      );
      set.minutes = { fields, rows };
    } else if (r.table_kind === 'products') {
      const rows = (db.prepare('SELECT line, row FROM imported_products WHERE import_id = ? ORDER BY position').all(r.import_id) as Array<{ line: number; row: string }>).map((p) => ({
        line: p.line,
        values: JSON.parse(p.row) as ImportValues,
      }));
      set.products = { fields, rows };
    } else if (r.totals) set.totals = { fields, values: JSON.parse(r.totals) as ImportValues };
  }
  return set;
}

/** An imported show's figures from its tables in force (provisional first). */
export function importedSessionMetrics(db: DB, s: StoredSession): SessionMetrics {
  const set = readSet(db, tablesInForce(importRows(db, s.sessionId), ['provisional', 'settled']));
  return metricsFromImports(s.startedAt, s.endedAt ?? s.startedAt, set);
}


/**
 * The report's figures with the session's newest settled tables laid over the live (or first
 * imported) ones, and the settlement section: what moved, from which file. Without a settled
 * import: the figures unchanged and no settlement.
 */
export function settleReport(db: DB, s: StoredSession, live: SessionMetrics): { metrics: SessionMetrics; settlement: Settlement | null } {
  // A read-only connection to a store older than migration v8 has no imports to show.
  if (!hasTable(db, 'imports')) return { metrics: live, settlement: null };
  const rows = importRows(db, s.sessionId);
  const settled = tablesInForce(rows, ['settled']);
  // An imported show whose only tables are settled ones: they are its first figures, nothing moved.
  const firstAreSettled = isImportedSession(s) && !rows.some((r) => r.kind === 'provisional');
  if (!settled.length || firstAreSettled) return { metrics: live, settlement: null };
  const metrics = settleMetrics(live, s.startedAt, readSet(db, settled));
  const newest = settled.reduce((a, b) => (b.imported_at > a.imported_at ? b : a));
  return {
    metrics,
    settlement: {
      importedAt: newest.imported_at,
      file: newest.file,
      tables: settled.map((r) => r.table_kind as ImportTableKind),
      changes: settlementChanges(live.kpis, metrics.kpis),
      imports: rows.map(toRecord),
    },
  };
}

/**
 * The room's stored session a table's time range belongs to: the one it overlaps most (a show
 * still live counts as running to the range's end). Undefined when none overlaps.
 */
export function matchSession(db: DB, roomId: string, from: number, to: number): string | undefined {
  const rows = db
    .prepare('SELECT session_id, started_at, ended_at FROM sessions WHERE room_id = ? AND started_at < ? AND coalesce(ended_at, ?) > ?')
    .all(roomId, to, to, from) as Array<{ session_id: string; started_at: number; ended_at: number | null }>;
  let best: { id: string; overlap: number } | undefined;
  for (const r of rows) {
    const overlap = Math.min(r.ended_at ?? to, to) - Math.max(r.started_at, from);
    if (!best || overlap > best.overlap) best = { id: r.session_id, overlap };
  }
  return best?.id;
}

export interface ImportWrite {
  importId: string;
  session: { sessionId: string; roomId: string; platform: string; title: string; startedAt: number; endedAt: number; create: boolean; imported: boolean };
  kind: ImportKind;
  table: ImportTableKind;
  file: string;
  importedAt: number;
  importedBy: string | null;
  columns: Array<{ header: string; field: ImportField }>;
  minutes: PlacedMinute[];
  products: Array<{ line: number; values: ImportValues }>;
  totals: ImportValues | null;
}

/**
 * One import, all or nothing, in one transaction: the session (created, or an imported show's end
 * moved later), the import and its rows, and — for an imported show — its rollups computed again
 * from its tables in force. A recorded show's events and rollups are never written here.
 */
export function writeImport(db: DB, w: ImportWrite): void {
  db.transaction(() => {
    const s = w.session;
    if (s.create) {
      db.prepare(
        `INSERT INTO sessions (session_id, room_id, platform, title, started_at, ended_at, feed, epoch, first_seq, last_seq, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)`,
      ).run(s.sessionId, s.roomId, s.platform, s.title, s.startedAt, s.endedAt, IMPORT_FEED, w.importedAt);
    } else if (s.imported) {
      db.prepare('UPDATE sessions SET ended_at = max(coalesce(ended_at, 0), ?) WHERE session_id = ?').run(s.endedAt, s.sessionId);
    }
    db.prepare(
      `INSERT INTO imports (import_id, session_id, room_id, kind, table_kind, file, imported_at, imported_by, row_count, columns, totals, import_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(import_seq), 0) + 1 FROM imports))`,
    ).run(w.importId, s.sessionId, s.roomId, w.kind, w.table, w.file, w.importedAt, w.importedBy, w.table === 'minutes' ? w.minutes.length : w.table === 'products' ? w.products.length : 1, JSON.stringify(w.columns), w.totals ? JSON.stringify(w.totals) : null);
    const insMinute = db.prepare('INSERT INTO imported_minutes (import_id, minute, ts, line, row) VALUES (?, ?, ?, ?, ?)');
    for (const m of w.minutes) insMinute.run(w.importId, m.minute, m.ts, m.line, JSON.stringify(m.values));
    const insProduct = db.prepare('INSERT INTO imported_products (import_id, position, product_id, line, row) VALUES (?, ?, ?, ?, ?)');
    w.products.forEach((p, i) => insProduct.run(w.importId, i, String(p.values.productId), p.line, JSON.stringify(p.values)));
    if (s.imported) writeImportedRollups(db, s.sessionId);
    // A 成交目标 column is the show's own GMV target, as if set on its report.
    const target = w.totals?.gmvTargetFen;
    if (typeof target === 'number' && target > 0) {
      db.prepare(
        `INSERT INTO session_targets (session_id, gmv_fen, source, updated_at, updated_by) VALUES (?, ?, 'import', ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET gmv_fen = excluded.gmv_fen, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(s.sessionId, Math.round(target), w.importedAt, w.importedBy);
    }
  })();
}

/** An imported show's rollups (METRICS.md's tables), current for its (event-less) log: rollup_seq 0, window at its end. */
function writeImportedRollups(db: DB, sessionId: string): void {
  const r = db.prepare('SELECT * FROM sessions WHERE session_id = ?').get(sessionId) as { room_id: string; started_at: number; ended_at: number | null; last_seq: number };
  const session = { sessionId, startedAt: r.started_at, endedAt: r.ended_at, feed: IMPORT_FEED } as StoredSession;
  const m = importedSessionMetrics(db, session);
  const end = r.ended_at ?? r.started_at;
  // The import replaces the show's tables whole: rows a smaller table no longer has must go.
  db.prepare('DELETE FROM minute_rollups WHERE session_id = ?').run(sessionId);
  db.prepare('DELETE FROM product_rollups WHERE session_id = ?').run(sessionId);
  new StoreWriter(db).write({ ...emptyBatch(), rollups: [{ sessionId, rollupSeq: r.last_seq, windowEnd: end, kpis: m.kpis, minutes: m.minutes, products: m.products, segments: m.segments }] });
}
