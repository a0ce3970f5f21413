/**
 * The retrospective's reads from the store: sessions with filters, the previous
 * sessions of a room, notes, the ad console's action log, the stored retro rollup. Plain functions
 * over the StoreReader's connection, so the store's reader class stays as the live app needs it.
 */
import type { StoreReader, StoredSession } from './reader.ts';
import { hasTable } from './db.ts';
import type { Kpis } from '../../../shared/metrics/types.ts';
import type { Note, SessionListItem } from '../../../shared/retro/types.ts';
import type { RetroExtras } from '../../../shared/retro/extras.ts';
import type { RetroAdAction } from '../../../shared/retro/ad-actions.ts';
import type { PreviousSession } from '../../../shared/retro/headline.ts';
import { sessionInfo } from '../../../shared/contract.ts';
import { sessionListFigures } from '../../../shared/retro/session-list.ts';

export interface SessionFilter {
  /** room id, exact */
  roomId?: string;
  platform?: string;
  /** started at or after / before (epoch ms) */
  since?: number;
  until?: number;
  /** case-insensitive substring of the title, the room id or the session id */
  search?: string;
  limit?: number;
}

/** Sessions newest first, filtered in SQL (the list of a year of shows stays quick). */
export function listSessions(reader: StoreReader, f: SessionFilter = {}): StoredSession[] {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (f.roomId) {
    where.push('room_id = ?');
    args.push(f.roomId);
  }
  if (f.platform) {
    where.push('platform = ?');
    args.push(f.platform);
  }
  if (f.since !== undefined) {
    where.push('started_at >= ?');
    args.push(f.since);
  }
  if (f.until !== undefined) {
    where.push('started_at < ?');
    args.push(f.until);
  }
  if (f.search) {
    // instr on lower(): no LIKE wildcards to escape in what a person typed.
    where.push('(instr(lower(title), ?) > 0 OR instr(lower(room_id), ?) > 0 OR instr(lower(session_id), ?) > 0)');
    const q = f.search.toLowerCase();
    args.push(q, q, q);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = reader.db.prepare(`SELECT session_id FROM sessions ${cond} ORDER BY started_at DESC, session_id LIMIT ?`).all(...args, f.limit ?? Number.MAX_SAFE_INTEGER) as Array<{ session_id: string }>;
  return rows.map((r) => reader.getSession(r.session_id)).filter((s): s is StoredSession => s !== undefined);
}

/**
 * The session list for the screen: the filtered sessions with their headline figures and how many notes they
 * have. A show with settled figures is listed with them, as its report shows it: the report
 * builder that settles them lives above the store, so it is passed in.
 */
export function listSessionItems(reader: StoreReader, f: SessionFilter, settledKpis: (sessionId: string) => Kpis): SessionListItem[] {
  const sessions = listSessions(reader, { ...f, limit: f.limit ?? 500 });
  const kpiStmt = reader.db.prepare('SELECT kpis FROM session_rollups WHERE session_id = ?');
  const noteStmt = reader.db.prepare('SELECT count(*) AS n FROM notes WHERE session_id = ? AND deleted_at IS NULL');
  const settled = settledSessions(reader);
  return sessions.map((s) => {
    const row = kpiStmt.get(s.sessionId) as { kpis: string } | undefined;
    let k: Partial<Kpis> = {};
    try {
      // A few shows at most are settled, so building their figures here costs little.
      if (settled.has(s.sessionId)) k = settledKpis(s.sessionId);
      else if (row) k = JSON.parse(row.kpis) as Kpis;
    } catch {
      // a rollup that does not parse shows no figures
    }
    return { ...sessionInfo(s), ...sessionListFigures(k), notes: (noteStmt.get(s.sessionId) as { n: number }).n };
  });
}

/** The room's `n` sessions before this one, newest first, with their stored KPIs. */
export function previousSessions(reader: StoreReader, roomId: string, beforeStartedAt: number, n: number): PreviousSession[] {
  const rows = reader.db
    .prepare(
      `SELECT s.session_id, s.started_at, s.title, r.kpis FROM sessions s JOIN session_rollups r ON r.session_id = s.session_id
       WHERE s.room_id = ? AND s.started_at < ? ORDER BY s.started_at DESC LIMIT ?`,
    )
    .all(roomId, beforeStartedAt, n) as Array<{ session_id: string; started_at: number; title: string; kpis: string }>;
  const out: PreviousSession[] = [];
  for (const r of rows) {
    try {
      out.push({ sessionId: r.session_id, startedAt: r.started_at, title: r.title, kpis: JSON.parse(r.kpis) as Kpis });
    } catch {
      // a rollup that does not parse is left out of the comparison
    }
  }
  return out;
}

interface NoteDbRow {
  id: string;
  session_id: string;
  room_id: string;
  ts: number | null;
  minute: number | null;
  text: string;
  by_name: string | null;
  created_at: number;
}

/** A session's notes (deleted ones left out), by minute (whole-show notes first), then as written. */
export function readNotes(reader: StoreReader, sessionId: string): Note[] {
  const rows = reader.db
    .prepare('SELECT * FROM notes WHERE session_id = ? AND deleted_at IS NULL ORDER BY minute IS NOT NULL, minute, created_at, id')
    .all(sessionId) as NoteDbRow[];
  return rows.map((r) => ({ id: r.id, sessionId: r.session_id, roomId: r.room_id, ts: r.ts, minute: r.minute, text: r.text, byName: r.by_name, createdAt: r.created_at }));
}

export function readNote(reader: StoreReader, id: string): (Note & { deletedAt: number | null }) | undefined {
  const r = reader.db.prepare('SELECT * FROM notes WHERE id = ?').get(id) as (NoteDbRow & { deleted_at: number | null }) | undefined;
  return r && { id: r.id, sessionId: r.session_id, roomId: r.room_id, ts: r.ts, minute: r.minute, text: r.text, byName: r.by_name, createdAt: r.created_at, deletedAt: r.deleted_at };
}

/** The ad console's action log (StoreReader.adActions) in the retrospective's shape. */
export function readAdActions(reader: StoreReader, sessionId: string): RetroAdAction[] {
  return reader
    .adActions({ sessionId })
    .map((r) => ({ id: r.id, ts: r.ts, planId: r.planId, type: r.type, before: r.before, after: r.after, byName: r.byName, reason: r.reason, source: r.source }));
}

/** The stored retro rollup (migration v7), with the event it is current up to. */
export function readRetroRollup(reader: StoreReader, sessionId: string): { rollupSeq: number; windowEnd: number; extras: RetroExtras } | undefined {
  const r = reader.db.prepare('SELECT rollup_seq, window_end, body FROM retro_rollups WHERE session_id = ?').get(sessionId) as
    | { rollup_seq: number; window_end: number; body: string }
    | undefined;
  if (!r) return undefined;
  try {
    return { rollupSeq: r.rollup_seq, windowEnd: r.window_end, extras: JSON.parse(r.body) as RetroExtras };
  } catch {
    return undefined;
  }
}

/** Sessions with a settled import; none in a store older than migration v8. */
function settledSessions(reader: StoreReader): Set<string> {
  if (!hasTable(reader.db, 'imports')) return new Set();
  return new Set((reader.db.prepare("SELECT DISTINCT session_id FROM imports WHERE kind = 'settled'").all() as Array<{ session_id: string }>).map((r) => r.session_id));
}

/** A show's own GMV target (migration v10); none in an older store or when none was set. */
export function readSessionTarget(reader: StoreReader, sessionId: string): { gmvFen: number; source: 'report' | 'import'; updatedAt: number; updatedBy: string | null } | null {
  if (!hasTable(reader.db, 'session_targets')) return null;
  const r = reader.db.prepare('SELECT gmv_fen, source, updated_at, updated_by FROM session_targets WHERE session_id = ?').get(sessionId) as
    | { gmv_fen: number; source: string; updated_at: number; updated_by: string | null }
    | undefined;
  return r ? { gmvFen: r.gmv_fen, source: r.source === 'import' ? 'import' : 'report', updatedAt: r.updated_at, updatedBy: r.updated_by } : null;
}

