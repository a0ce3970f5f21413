/**
 * `lcr import` and the core's `importTables` request. Reads a minute, product or totals
 * table (CSV or XLSX, Compass's English field names or Chinese labels), finds the session it
 * belongs to — `--session ID`, or the room's show its times overlap — or creates one for a show
 * that was not recorded live, and stores it in one transaction. A bad file is refused whole:
 * `ImportError` names the line, the column and the reason, and the store is unchanged.
 */
import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { DB } from '../store/db.ts';
import { StoreReader, type StoredSession } from '../store/reader.ts';
import { readImportRows } from './file.ts';
import { ImportError, parseTable, type ParsedTable, type ImportValues } from '../../../shared/imports/parse.ts';
import { placeMinutes, type PlacedMinute } from '../../../shared/imports/metrics.ts';
import type { ImportKind, ImportResult } from '../../../shared/imports/types.ts';
import { buildReportParts } from '../retro/report.ts';
import { isImportedSession, matchSession, writeImport } from '../store/imports.ts';

export { ImportError };

export interface ImportOptions {
  fileName: string;
  bytes: Uint8Array;
  /** the room of a new session, and where to look for the show the table belongs to */
  roomId?: string;
  /** the session the table belongs to (skips the matching by time) */
  sessionId?: string;
  /** default: `settled` for a show recorded live, `provisional` otherwise */
  kind?: ImportKind;
  /** when the show started: needed for a minute table of minute indexes or clock times without a session */
  startedAt?: number;
  importedBy?: string | null;
  now?: number;
}

/** A clean error about the import as a whole (no line to point at), e.g. an unknown session. */
export class ImportTargetError extends Error {}

const MINUTE_MS = 60_000;

/** The time range a table covers, when it says (to find the show it belongs to). */
function timeRange(t: ParsedTable, startedAt: number | null): { from: number; to: number } | null {
  if (t.table === 'minutes') {
    const timeHeader = t.columns.find((c) => c.field === 'time')!.header;
    const first = t.rows[0]!.time!;
    if (!('at' in first) && startedAt === null) return null;
    const placed = placeMinutes(t.rows, 'at' in first ? null : startedAt, timeHeader);
    const last = placed.minutes.at(-1)!;
    return { from: placed.startedAt, to: last.ts + MINUTE_MS };
  }
  if (t.table === 'products') {
    const starts = t.rows.map((r) => r.values.explainStart).filter((v): v is number => typeof v === 'number');
    const ends = t.rows.map((r) => r.values.explainEnd).filter((v): v is number => typeof v === 'number');
    if (starts.length) return { from: Math.min(...starts), to: Math.max(...ends) };
  }
  return null;
}

export async function importTable(db: DB, o: ImportOptions): Promise<ImportResult> {
  const file = basename(o.fileName);
  const table = parseTable(await readImportRows(o.bytes, file));
  const reader = new StoreReader(db);
  const timeHeader = table.columns.find((c) => c.field === 'time')?.header ?? '时间';

  let session: StoredSession | undefined;
  if (o.sessionId) {
    session = reader.getSession(o.sessionId);
    if (!session) throw new ImportTargetError(`no session ${o.sessionId} in the store (see: lcr sessions)`);
    if (o.roomId && o.roomId !== session.roomId) throw new ImportTargetError(`session ${o.sessionId} is a show of room ${session.roomId}, not ${o.roomId}`);
  }
  const roomId = session?.roomId ?? o.roomId ?? table.meta.roomId ?? null;
  const range = timeRange(table, session?.startedAt ?? o.startedAt ?? null);
  if (!session && roomId && range) {
    const id = matchSession(db, roomId, range.from, range.to);
    if (id) session = reader.getSession(id);
  }
  const recorded = session !== undefined && !isImportedSession(session);
  const kind: ImportKind = o.kind ?? (recorded ? 'settled' : 'provisional');
  if (recorded && kind === 'provisional') {
    throw new ImportTargetError(`session ${session!.sessionId} was recorded live, and its live figures are its provisional ones: import the platform's later figures with --kind settled`);
  }

  // Where the rows go on the session's clock.
  let minutes: PlacedMinute[] = [];
  let startedAt = session?.startedAt ?? o.startedAt ?? null;
  if (table.table === 'minutes') {
    const placed = placeMinutes(table.rows, startedAt, timeHeader);
    minutes = placed.minutes;
    startedAt = placed.startedAt;
  }
  let endedAt = session?.endedAt ?? null;
  const tableEnd = table.table === 'minutes' ? minutes.at(-1)!.ts + MINUTE_MS : range?.to ?? null;
  if (!session) {
    if (!roomId) throw new ImportTargetError(`which room was the show in? pass --room ID (or add a column 直播间ID / room_id)`);
    if (startedAt === null && range) startedAt = range.from;
    if (startedAt === null || tableEnd === null) {
      throw new ImportTargetError(
        `this ${table.table === 'products' ? 'product table has no explain times' : 'totals table has no times'}, so it cannot start a show of its own: import the show's minute table first, or pass --session ID`,
      );
    }
  }
  if (tableEnd !== null && (endedAt === null || tableEnd > endedAt)) endedAt = session && !isImportedSession(session) ? session.endedAt : tableEnd;

  const now = o.now ?? Date.now();
  const sessionId = session?.sessionId ?? `${roomId}@${startedAt}`;
  const importId = randomUUID();
  writeImport(db, {
    importId,
    session: {
      sessionId,
      roomId: roomId!,
      platform: session?.platform ?? table.meta.platform ?? 'import',
      title: session?.title ?? table.meta.liveTitle ?? basename(file, extname(file)),
      startedAt: startedAt!,
      endedAt: endedAt ?? startedAt!,
      create: !session,
      imported: !session || isImportedSession(session),
    },
    kind,
    table: table.table,
    file,
    importedAt: now,
    importedBy: o.importedBy ?? null,
    columns: table.columns,
    minutes,
    products: table.table === 'products' ? table.rows.map((r) => ({ line: r.line, values: r.values })) : [],
    totals: table.table === 'totals' ? (table.rows[0]!.values satisfies ImportValues) : null,
  });
  const { settlement } = buildReportParts(reader, sessionId);
  return {
    importId,
    sessionId,
    roomId: roomId!,
    created: !session,
    kind,
    table: table.table,
    file,
    importedAt: now,
    rows: table.rows.length,
    columns: table.columns,
    ignored: table.ignored,
    settlement,
  };
}
