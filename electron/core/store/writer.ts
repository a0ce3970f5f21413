/**
 * The write side of the store: one batch → one transaction. Runs inside the writer worker
 * (so commits and WAL checkpoints never stall the thread that serves the feed and the UI) or
 * inline for tools that want no thread. Events and the feed cursor commit together: after a
 * crash, the cursor never points past an event that is not on disk, so resubscribing from it
 * loses nothing and duplicates nothing.
 */
import type { DB, Statement } from './db.ts';

/** Values per multi-row statement at most: well under SQLite's 32,766 variables; PostgreSQL takes 65,535. */
const VALUES_PER_STATEMENT = 2_000;

/**
 * A multi-row INSERT, one statement per up to VALUES_PER_STATEMENT values (prepared once per row
 * count): on PostgreSQL each statement is a round trip, so a batch's hundreds of events, sessions
 * and cursors are a few statements, not hundreds.
 */
class ManyRows {
  private readonly byCount = new Map<number, Statement>();
  private readonly perStatement: number;

  constructor(
    private readonly db: DB,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail: string,
  ) {
    this.perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns));
  }

  /** Returns the rows changed (inserted, or updated by an upsert). */
  run(rows: unknown[][]): number {
    let changes = 0;
    for (let i = 0; i < rows.length; i += this.perStatement) {
      const part = rows.slice(i, i + this.perStatement);
      let stmt = this.byCount.get(part.length);
      if (!stmt) {
        const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
        stmt = this.db.prepare(`${this.head} VALUES ${Array.from({ length: part.length }, () => row).join(', ')} ${this.tail}`);
        this.byCount.set(part.length, stmt);
      }
      changes += stmt.run(...part.flat()).changes;
    }
    return changes;
  }
}

/** A batch's rows of one session folded into one, as upserting them in order leaves it (the upsert below says the same). */
function foldSessions(rows: SessionRow[]): SessionRow[] {
  const by = new Map<string, SessionRow>();
  for (const r of rows) {
    const had = by.get(r.sessionId);
    if (!had) {
      by.set(r.sessionId, { ...r });
      continue;
    }
    had.title = r.title;
    had.platform = r.platform;
    if (r.endedAt !== null && r.endedAt !== undefined) had.endedAt = r.endedAt;
    if (r.endReason !== null && r.endReason !== undefined) had.endReason = r.endReason;
    had.currency ??= r.currency;
    had.firstSeq = Math.min(had.firstSeq, r.firstSeq);
    had.lastSeq = Math.max(had.lastSeq, r.lastSeq);
  }
  return [...by.values()];
}

/** The last row of each key, in first-seen order (as upserting them in order would leave the table). */
function uniqueBy<T>(rows: T[], key: (row: T) => unknown): T[] {
  const by = new Map<unknown, T>();
  for (const r of rows) by.set(key(r), r);
  return [...by.values()];
}

/**
 * A batch's cursors of one room folded into one, as upserting them in order leaves it when they
 * never go back an epoch (the feed client's never do): a newer epoch starts over, else the
 * furthest seq.
 */
function foldCursors(rows: CursorRow[]): CursorRow[] {
  const by = new Map<string, CursorRow>();
  for (const r of rows) {
    const k = `${r.feed}\u0000${r.roomId}`;
    const had = by.get(k);
    if (!had) by.set(k, { ...r });
    else if (r.epoch > had.epoch) by.set(k, { ...r });
    else had.lastSeq = Math.max(had.lastSeq, r.lastSeq);
  }
  return [...by.values()];
}
import type { MinuteRow, ProductRow, SegmentRow, Kpis } from '../../../shared/metrics/types.ts';
import type { Alert, FeedGap, RoomTargets, SessionInfo } from '../../../shared/contract.ts';
import type { Decision } from '../../../shared/suggest/live.ts';
import type { LearnedPriors } from '../../../shared/suggest/types.ts';
import type { Note } from '../../../shared/retro/types.ts';
import type { RetroExtras } from '../../../shared/retro/extras.ts';
import type { AdActionRecord } from '../../../shared/ads/console.ts';
import type { EconomicsChange, RoomEconomics } from '../../../shared/ads/economics.ts';
import type { GuardRails } from '../../../shared/ads/plan-changes.ts';

export interface EventRow {
  feed: string;
  roomId: string;
  epoch: number;
  seq: number;
  sessionId: string;
  ts: number;
  type: string;
  body: string;
}

export interface QuarantineRow {
  receivedAt: number;
  feed: string;
  roomId: string | null;
  sessionId: string | null;
  seq: number | null;
  reason: string;
  raw: string;
}

/** A hole given up for good, filed under the session it fell in. */
export interface GapRow extends FeedGap {
  feed: string;
  sessionId: string | null;
}

export interface CursorRow {
  feed: string;
  roomId: string;
  epoch: number;
  lastSeq: number;
}

/** A session as stored: what the UI sees, plus where its events came from. */
export interface SessionRow extends SessionInfo {
  feed: string;
  epoch: number;
  firstSeq: number;
  lastSeq: number;
}

export interface RollupWrite {
  sessionId: string;
  rollupSeq: number;
  windowEnd: number;
  kpis: Kpis;
  /** Only rows that changed; minutes are upserted by index. */
  minutes: MinuteRow[];
  products: ProductRow[];
  /** The full segment list: pins may arrive out of order and reshape earlier segments. */
  segments: SegmentRow[];
}

export interface AlertAckRow {
  id: string;
  acknowledgedAt: number;
  acknowledgedBy: string | null;
  acknowledgedRole: string | null;
}

export interface TargetsRow {
  roomId: string;
  targets: RoomTargets;
  updatedAt: number;
}

/** What a show taught the suggestion engine, replaced whole per (room, session). */
export interface PriorsRow {
  roomId: string;
  sessionId: string;
  startedAt: number;
  priors: LearnedPriors;
  updatedAt: number;
}

/** A room's run-of-show, replaced whole. */
export interface RunOfShowRow {
  roomId: string;
  items: { productId: string; minutes: number }[];
  updatedAt: number;
  updatedBy: string | null;
}

/** A room's economics, replaced whole. */
export interface EconomicsRow {
  roomId: string;
  economics: RoomEconomics;
  updatedAt: number;
}

/** A note deleted (the row stays, with the time it was deleted). */
export interface NoteDeleteRow {
  id: string;
  deletedAt: number;
}

/** The retrospective's extras of a session (migration v7), replaced whole. */
export interface RetroRollupRow {
  sessionId: string;
  rollupSeq: number;
  windowEnd: number;
  extras: RetroExtras;
}

/** A show's own GMV target, replaced whole; gmvFen null removes it (the room's target applies). */
export interface SessionTargetRow {
  sessionId: string;
  gmvFen: number | null;
  source: 'report' | 'import';
  updatedAt: number;
  updatedBy: string | null;
}

export interface WriteBatch {
  /** Team notes on a session; a note already stored (same id) is kept. */
  notes?: Note[];
  noteDeletes?: NoteDeleteRow[];
  retroRollups?: RetroRollupRow[];
  sessionTargets?: SessionTargetRow[];
  events: EventRow[];
  quarantine: QuarantineRow[];
  cursors: CursorRow[];
  sessions: SessionRow[];
  rollups: RollupWrite[];
  /** New alerts; one already stored is left as it is (its acknowledgement included). */
  alerts: Alert[];
  alertAcks: AlertAckRow[];
  /** Per-room targets, replaced whole. */
  targets: TargetsRow[];
  /** The decision log; a row already stored for the same suggestion and action is kept. */
  decisions?: Decision[];
  priors?: PriorsRow[];
  runOfShow?: RunOfShowRow[];
  /** The ad console's action log; a row already stored (same id) is kept. */
  adActions?: AdActionRecord[];
  economics?: EconomicsRow[];
  /** A room's guard rails for platform plan changes, replaced whole. */
  guardRails?: { roomId: string; rails: GuardRails; updatedAt: number }[];
  /** Economics changes for the action log (migration v10); one already stored (same id) is kept. */
  economicsChanges?: EconomicsChange[];
  gaps?: GapRow[];
}

export function emptyBatch(): WriteBatch {
  return { events: [], quarantine: [], cursors: [], sessions: [], rollups: [], alerts: [], alertAcks: [], targets: [], decisions: [], priors: [] };
}

/** Whether a batch has anything to write. */
export function batchIsEmpty(b: WriteBatch): boolean {
  return (
    !b.notes?.length &&
    !b.noteDeletes?.length &&
    !b.retroRollups?.length &&
    !b.sessionTargets?.length &&
    !b.events.length &&
    !b.quarantine.length &&
    !b.cursors.length &&
    !b.sessions.length &&
    !b.rollups.length &&
    !b.alerts.length &&
    !b.alertAcks.length &&
    !b.targets.length &&
    !b.decisions?.length &&
    !b.priors?.length &&
    !b.runOfShow?.length &&
    !b.adActions?.length &&
    !b.economics?.length &&
    !b.guardRails?.length &&
    !b.economicsChanges?.length &&
    !b.gaps?.length
  );
}

export class StoreWriter {
  private readonly insertNote;
  private readonly upsertSessionTarget;
  private readonly deleteSessionTarget;
  private readonly deleteNote;
  private readonly upsertRetroRollup;
  private readonly insertEvents: ManyRows;
  private readonly insertQuarantine;
  private readonly upsertCursors: ManyRows;
  private readonly upsertSessions: ManyRows;
  private readonly upsertSessionRollup;
  private readonly upsertMinute;
  private readonly upsertProducts: ManyRows;
  private readonly deleteSegments;
  private readonly insertSegments: ManyRows;
  private readonly insertAlert;
  private readonly ackAlert;
  private readonly upsertTargets;
  private readonly insertDecision;
  private readonly upsertPriors;
  private readonly upsertRunOfShow;
  private readonly insertAdAction;
  private readonly upsertEconomics;
  private readonly upsertGuardRails;
  private readonly insertEconomicsChange;
  private readonly insertGap;
  private readonly writeTx;

  constructor(private readonly db: DB) {
    this.insertNote = db.prepare(
      `INSERT INTO notes (id, session_id, room_id, ts, minute, text, by_name, created_at) VALUES (@id, @sessionId, @roomId, @ts, @minute, @text, @byName, @createdAt)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.deleteNote = db.prepare('UPDATE notes SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
    this.upsertSessionTarget = db.prepare(
      `INSERT INTO session_targets (session_id, gmv_fen, source, updated_at, updated_by) VALUES (@sessionId, @gmvFen, @source, @updatedAt, @updatedBy)
       ON CONFLICT (session_id) DO UPDATE SET gmv_fen = excluded.gmv_fen, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    this.deleteSessionTarget = db.prepare('DELETE FROM session_targets WHERE session_id = ?');
    this.upsertRetroRollup = db.prepare(
      `INSERT INTO retro_rollups (session_id, rollup_seq, window_end, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET rollup_seq = excluded.rollup_seq, window_end = excluded.window_end, body = excluded.body`,
    );
    // Duplicates (a relay resending after a reconnect) hit the primary key and are skipped. Not
    // "INSERT OR IGNORE": that would also swallow a NOT NULL violation, i.e. lose a broken row silently.
    this.insertEvents = new ManyRows(db, 'INSERT INTO events (feed, room_id, epoch, seq, session_id, ts, type, body)', 8, 'ON CONFLICT (feed, room_id, epoch, seq) DO NOTHING');
    this.insertQuarantine = db.prepare('INSERT INTO quarantine (received_at, feed, room_id, session_id, seq, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.upsertCursors = new ManyRows(
      db,
      'INSERT INTO feed_cursors (feed, room_id, epoch, last_seq, updated_at)',
      5,
      `ON CONFLICT (feed, room_id) DO UPDATE SET
         last_seq = CASE WHEN excluded.epoch > feed_cursors.epoch THEN excluded.last_seq ELSE max(feed_cursors.last_seq, excluded.last_seq) END,
         epoch = max(feed_cursors.epoch, excluded.epoch), updated_at = excluded.updated_at`,
    );
    this.upsertSessions = new ManyRows(
      db,
      'INSERT INTO sessions (session_id, room_id, platform, title, started_at, ended_at, feed, epoch, first_seq, last_seq, created_at, end_reason, currency)',
      13,
      `ON CONFLICT (session_id) DO UPDATE SET
         title = excluded.title, platform = excluded.platform,
         ended_at = coalesce(excluded.ended_at, sessions.ended_at),
         end_reason = coalesce(excluded.end_reason, sessions.end_reason),
         currency = coalesce(sessions.currency, excluded.currency),
         first_seq = min(sessions.first_seq, excluded.first_seq), last_seq = max(sessions.last_seq, excluded.last_seq)`,
    );
    this.upsertSessionRollup = db.prepare(
      `INSERT INTO session_rollups (session_id, rollup_seq, window_end, kpis) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET rollup_seq = excluded.rollup_seq, window_end = excluded.window_end, kpis = excluded.kpis`,
    );
    this.upsertMinute = db.prepare(
      `INSERT INTO minute_rollups (session_id, minute, ts, online_avg, online_max, online_end, enters, likes, comments,
         follows, shares, fansclub, gift_fen, exposures, clicks, orders, items, gmv_fen, refund_fen, ad_spend_fen,
         pinned_product_id, ctr, gpm)
       VALUES (@sessionId, @minute, @ts, @onlineAvg, @onlineMax, @onlineEnd, @enters, @likes, @comments, @follows, @shares,
         @fansclub, @giftFen, @exposures, @clicks, @orders, @items, @gmvFen, @refundFen, @adSpendFen, @pinnedProductId, @ctr, @gpm)
       ON CONFLICT (session_id, minute) DO UPDATE SET ts = excluded.ts, online_avg = excluded.online_avg, online_max = excluded.online_max, online_end = excluded.online_end, enters = excluded.enters, likes = excluded.likes, comments = excluded.comments, follows = excluded.follows, shares = excluded.shares, fansclub = excluded.fansclub, gift_fen = excluded.gift_fen, exposures = excluded.exposures, clicks = excluded.clicks, orders = excluded.orders, items = excluded.items, gmv_fen = excluded.gmv_fen, refund_fen = excluded.refund_fen, ad_spend_fen = excluded.ad_spend_fen, pinned_product_id = excluded.pinned_product_id, ctr = excluded.ctr, gpm = excluded.gpm`,
    );
    this.upsertProducts = new ManyRows(db, 'INSERT INTO product_rollups (session_id, product_id, position, row)', 4, 'ON CONFLICT (session_id, product_id) DO UPDATE SET position = excluded.position, row = excluded.row');
    this.deleteSegments = db.prepare('DELETE FROM segment_rollups WHERE session_id = ?');
    this.insertSegments = new ManyRows(db, 'INSERT INTO segment_rollups (session_id, start_ts, product_id, row)', 4, 'ON CONFLICT (session_id, start_ts) DO UPDATE SET product_id = excluded.product_id, row = excluded.row');
    // An alert raised twice (a restart replaying a window) keeps its first row and acknowledgement.
    this.insertAlert = db.prepare(
      `INSERT INTO alerts (id, room_id, session_id, kind, ts, minute, params, acknowledged_at, acknowledged_by, acknowledged_role)
       VALUES (@id, @roomId, @sessionId, @kind, @ts, @minute, @params, @acknowledgedAt, @acknowledgedBy, @acknowledgedRole)
       ON CONFLICT (id) DO NOTHING`,
    );
    // The first acknowledgement stands (the core refuses a second; a replayed batch must not move it either).
    this.ackAlert = db.prepare('UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_role = ? WHERE id = ? AND acknowledged_at IS NULL');
    this.upsertTargets = db.prepare(
      `INSERT INTO room_targets (room_id, targets, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET targets = excluded.targets, updated_at = excluded.updated_at`,
    );
    this.insertDecision = db.prepare(
      `INSERT INTO decisions (suggestion_id, session_id, room_id, ts, at, kind, product_id, action, figures, reasons, by_name, by_role, reason, command)
       VALUES (@suggestionId, @sessionId, @roomId, @ts, @at, @kind, @productId, @action, @figures, @reasons, @byName, @byRole, @reason, @command)
       ON CONFLICT (suggestion_id, action) DO NOTHING`,
    );
    this.upsertPriors = db.prepare(
      `INSERT INTO suggest_priors (room_id, session_id, started_at, priors, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (room_id, session_id) DO UPDATE SET priors = excluded.priors, updated_at = excluded.updated_at`,
    );
    this.upsertRunOfShow = db.prepare(
      `INSERT INTO run_of_show (room_id, items, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    this.insertAdAction = db.prepare(
      `INSERT INTO ad_actions (id, room_id, session_id, ts, at, plan_id, type, before_value, after_value, by_name, by_role, reason, source, result, answer, request_id, revert_of)
       VALUES (@id, @roomId, @sessionId, @ts, @at, @planId, @type, @before, @after, @byName, @byRole, @reason, @source, @result, @answer, @requestId, @revertOf)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.upsertGuardRails = db.prepare(
      `INSERT INTO ad_guard_rails (room_id, rails, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET rails = excluded.rails, updated_at = excluded.updated_at`,
    );
    this.upsertEconomics = db.prepare(
      `INSERT INTO room_economics (room_id, economics, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (room_id) DO UPDATE SET economics = excluded.economics, updated_at = excluded.updated_at`,
    );
    this.insertEconomicsChange = db.prepare(
      `INSERT INTO economics_changes (id, room_id, session_id, ts, at, before, after, break_even_before, break_even_after, by_name, by_role)
       VALUES (@id, @roomId, @sessionId, @ts, @at, @before, @after, @breakEvenBefore, @breakEvenAfter, @byName, @byRole)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.insertGap = db.prepare(
      'INSERT INTO feed_gaps (feed, room_id, session_id, epoch, from_seq, to_seq, at, reason) VALUES (@feed, @roomId, @sessionId, @epoch, @fromSeq, @toSeq, @at, @reason)',
    );
    this.writeTx = db.transaction((batch: WriteBatch, now: number) => this.writeAll(batch, now));
  }

  /** Writes the whole batch atomically. Returns the number of new (non-duplicate) events. */
  write(batch: WriteBatch, now = Date.now()): number {
    return this.writeTx(batch, now) as number;
  }

  private writeAll(batch: WriteBatch, now: number): number {
    // Sessions first: events reference them by id.
    // One row per key: PostgreSQL's upsert may not update a row twice in one statement.
    this.upsertSessions.run(foldSessions(batch.sessions).map((s) => [s.sessionId, s.roomId, s.platform, s.title, s.startedAt, s.endedAt, s.feed, s.epoch, s.firstSeq, s.lastSeq, now, s.endReason ?? null, s.currency ?? null]));
    for (const n of batch.notes ?? []) this.insertNote.run(n);
    for (const d of batch.noteDeletes ?? []) this.deleteNote.run(d.deletedAt, d.id);
    for (const r of batch.retroRollups ?? []) this.upsertRetroRollup.run(r.sessionId, r.rollupSeq, r.windowEnd, JSON.stringify(r.extras));
    for (const t of batch.sessionTargets ?? []) {
      if (t.gmvFen === null) this.deleteSessionTarget.run(t.sessionId);
      else this.upsertSessionTarget.run(t);
    }
    const inserted = this.insertEvents.run(batch.events.map((e) => [e.feed, e.roomId, e.epoch, e.seq, e.sessionId, e.ts, e.type, e.body]));
    for (const q of batch.quarantine) this.insertQuarantine.run(q.receivedAt, q.feed, q.roomId, q.sessionId, q.seq, q.reason, q.raw);
    this.upsertCursors.run(foldCursors(batch.cursors).map((c) => [c.feed, c.roomId, c.epoch, c.lastSeq, now]));
    for (const r of batch.rollups) {
      this.upsertSessionRollup.run(r.sessionId, r.rollupSeq, r.windowEnd, JSON.stringify(r.kpis));
      for (const m of r.minutes) this.upsertMinute.run({ sessionId: r.sessionId, ...m });
      // One rollup's products (and segments) are one key each: a statement apiece, not a row apiece.
      this.upsertProducts.run(uniqueBy(r.products.map((p, position) => ({ p, position })), (x) => x.p.productId).map(({ p, position }) => [r.sessionId, p.productId, position, JSON.stringify(p)]));
      this.deleteSegments.run(r.sessionId);
      this.insertSegments.run(uniqueBy(r.segments, (g) => g.startTs).map((g) => [r.sessionId, g.startTs, g.productId, JSON.stringify(g)]));
    }
    // Alerts before acknowledgements: an alert raised and acknowledged within one batch is stored acknowledged.
    // The show's title is the session's, not the alert's: not stored twice.
    for (const { showTitle: _title, ...a } of batch.alerts) this.insertAlert.run({ ...a, params: JSON.stringify(a.params) });
    for (const k of batch.alertAcks) this.ackAlert.run(k.acknowledgedAt, k.acknowledgedBy, k.acknowledgedRole, k.id);
    for (const t of batch.targets) this.upsertTargets.run(t.roomId, JSON.stringify(t.targets), t.updatedAt);
    for (const d of batch.decisions ?? []) {
      this.insertDecision.run({ ...d, figures: JSON.stringify(d.figures), reasons: JSON.stringify(d.reasons), command: d.command ? JSON.stringify(d.command) : null });
    }
    for (const p of batch.priors ?? []) this.upsertPriors.run(p.roomId, p.sessionId, p.startedAt, JSON.stringify(p.priors), p.updatedAt);
    for (const r of batch.runOfShow ?? []) this.upsertRunOfShow.run(r.roomId, JSON.stringify(r.items), r.updatedAt, r.updatedBy);
    for (const a of batch.adActions ?? []) {
      this.insertAdAction.run({ id: a.id, roomId: a.roomId, sessionId: a.sessionId, ts: a.ts, at: a.at, planId: a.planId, type: a.type, before: a.before, after: a.after, byName: a.byName, byRole: a.byRole, reason: a.reason, source: a.source, result: a.result, answer: a.answer ?? null, requestId: a.requestId ?? null, revertOf: a.revertOf ?? null });
    }
    for (const e of batch.economics ?? []) this.upsertEconomics.run(e.roomId, JSON.stringify(e.economics), e.updatedAt);
    for (const g of batch.guardRails ?? []) this.upsertGuardRails.run(g.roomId, JSON.stringify(g.rails), g.updatedAt);
    for (const c of batch.economicsChanges ?? []) this.insertEconomicsChange.run({ ...c, before: JSON.stringify(c.before), after: JSON.stringify(c.after) });
    for (const g of batch.gaps ?? []) this.insertGap.run(g);
    return inserted;
  }

  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }
}

/**
 * Writes at once, for a store opened directly (the lcr command line, no app running): the same
 * statements as the writer thread's, a part of a batch at a time.
 */
export function directWrite(db: DB): (part: Partial<WriteBatch>) => void {
  const writer = new StoreWriter(db);
  return (part) => {
    writer.write({ ...emptyBatch(), ...part });
  };
}
