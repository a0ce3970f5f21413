/**
 * Read side of the store: sessions, cursors, raw events for recomputation, rollups, and every
 * other table the app reads (alerts, targets, run-of-show, decisions, ad actions, economics), in
 * sections in that order. Below the class: each table's row type and its mapping, one place each.
 */
import type { PromptMessage } from '../../../shared/team/contract.ts';
import type { DB } from './db.ts';
import type { SessionRow } from './writer.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../../../shared/metrics/types.ts';
import type { RoomCursor } from '../feed/client.ts';
import { PlanItemsSchema, RoomTargetsSchema, type Alert, type AlertKind, type FeedGap, type RoomTargets } from '../../../shared/contract.ts';
import { outsideSessionWindow } from '../../../shared/metrics/window.ts';
import type { PlanItem } from '../../../shared/suggest/plan.ts';
import type { Decision, DecisionAction, DecisionKind } from '../../../shared/suggest/live.ts';
import type { LearnedPriors } from '../../../shared/suggest/types.ts';
import { isKnown, type FeedCommand, type FeedEvent, type KnownFeedEvent } from '../../../shared/protocol.ts';
import type { AdActionRecord, AdActionSource, AdActionType } from '../../../shared/ads/console.ts';
import { RoomEconomicsSchema, type EconomicsChange, type RoomEconomics } from '../../../shared/ads/economics.ts';
import { GuardRailsSchema, type GuardRails } from '../../../shared/ads/plan-changes.ts';
import type { PlatformTotals } from '../../../shared/retro/types.ts';


/** One stored event as the relay numbered it, its body as stored (JSON). */
export interface StoredEventRow {
  epoch: number;
  seq: number;
  body: string;
}

/** Rows a page of a session's events holds: big enough to read fast, small enough to never hold the writer up. */
export const EVENT_PAGE_ROWS = 2000;

export type StoredSession = SessionRow;

interface PromptDbRow {
  id: string;
  room_id: string;
  session_id: string | null;
  ts: number | null;
  text: string;
  sent_at: number;
  by_name: string | null;
  by_role: string | null;
  acked_at: number | null;
  acked_by: string | null;
}

interface SessionDbRow {
  session_id: string;
  room_id: string;
  platform: string;
  title: string;
  started_at: number;
  ended_at: number | null;
  feed: string;
  epoch: number;
  first_seq: number;
  last_seq: number;
  end_reason: string | null;
  currency?: string | null;
}

function toSession(r: SessionDbRow): StoredSession {
  return {
    sessionId: r.session_id,
    roomId: r.room_id,
    platform: r.platform,
    title: r.title,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    ...(r.end_reason === 'interrupted' ? { endReason: 'interrupted' as const } : {}),
    ...(r.currency ? { currency: r.currency } : {}),
    feed: r.feed,
    epoch: r.epoch,
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
  };
}

export class StoreReader {
  constructor(readonly db: DB) {}

  // ---- sessions, cursors and the raw events ------------------------------------------------------
  listSessions(): StoredSession[] {
    return (this.db.prepare('SELECT * FROM sessions ORDER BY started_at DESC, session_id').all() as SessionDbRow[]).map(toSession);
  }

  getSession(sessionId: string): StoredSession | undefined {
    const r = this.db.prepare('SELECT * FROM sessions WHERE session_id = ?').get(sessionId) as SessionDbRow | undefined;
    return r && toSession(r);
  }

  /** Sessions of this feed that never saw their end: resumed after a restart. */
  openSessions(feed: string): StoredSession[] {
    return (this.db.prepare('SELECT * FROM sessions WHERE feed = ? AND ended_at IS NULL ORDER BY started_at').all(feed) as SessionDbRow[]).map(toSession);
  }

  cursors(feed: string): Map<string, RoomCursor> {
    const rows = this.db.prepare('SELECT room_id, epoch, last_seq FROM feed_cursors WHERE feed = ?').all(feed) as Array<{ room_id: string; epoch: number; last_seq: number }>;
    return new Map(rows.map((r) => [r.room_id, { epoch: r.epoch, lastSeq: r.last_seq }]));
  }

  /** Raw events of a session in the order the relay numbered them. */
  *events(sessionId: string): Generator<{ ts: number; type: string; seq: number; body: string }> {
    const stmt = this.db.prepare('SELECT ts, type, seq, body FROM events WHERE session_id = ? ORDER BY epoch, seq');
    yield* stmt.iterate(sessionId) as Iterable<{ ts: number; type: string; seq: number; body: string }>;
  }

  /**
   * A session's known events as the live path took them: parsed, and only those inside the
   * session's window (a `ts` years away, stored before the window rule existed, is skipped rather
   * than sizing per-minute arrays by millions). Unreadable bodies are skipped too.
   */
  *knownEvents(sessionId: string, startedAt: number): Generator<KnownFeedEvent> {
    for (const row of this.events(sessionId)) {
      if (outsideSessionWindow(row.ts, startedAt)) continue;
      let e: FeedEvent;
      try {
        e = JSON.parse(row.body) as FeedEvent;
      } catch {
        continue;
      }
      if (typeof e === 'object' && e !== null && isKnown(e)) yield e;
    }
  }

  /** Stored bodies of a session's events from `sinceTs` on (a relay's re-sent history is matched against them). */
  *eventBodiesSince(sessionId: string, sinceTs: number): Generator<{ ts: number; body: string }> {
    const stmt = this.db.prepare('SELECT ts, body FROM events WHERE session_id = ? AND ts >= ?');
    yield* stmt.iterate(sessionId, sinceTs) as Iterable<{ ts: number; body: string }>;
  }

  /** Holes of a session's event stream given up for good, oldest first. */
  gaps(sessionId: string): FeedGap[] {
    // A hole before any live session (the relay had already dropped a show's first events) is filed
    // without one and belongs to the session that begins right after it.
    const rows = this.db
      .prepare(
        `SELECT g.room_id, g.epoch, g.from_seq, g.to_seq, g.at, g.reason FROM feed_gaps g JOIN sessions s ON s.session_id = ?
         WHERE g.session_id = s.session_id
            OR (g.session_id IS NULL AND g.feed = s.feed AND g.room_id = s.room_id AND g.epoch = s.epoch AND g.to_seq = s.first_seq - 1)
         ORDER BY g.at, g.id`,
      )
      .all(sessionId) as Array<{ room_id: string; epoch: number; from_seq: number; to_seq: number; at: number; reason: FeedGap['reason'] }>;
    return rows.map((r) => ({ roomId: r.room_id, epoch: r.epoch, fromSeq: r.from_seq, toSeq: r.to_seq, at: r.at, reason: r.reason }));
  }

  eventCount(sessionId?: string): number {
    const row = sessionId
      ? (this.db.prepare('SELECT count(*) AS n FROM events WHERE session_id = ?').get(sessionId) as { n: number })
      : (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number });
    return row.n;
  }

  quarantinedByReason(sessionId: string): Record<string, number> {
    const rows = this.db
      .prepare('SELECT reason, count(*) AS n FROM quarantine WHERE session_id = ? GROUP BY reason ORDER BY n DESC, reason')
      .all(sessionId) as Array<{ reason: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  }

  // ---- alerts and targets ------------------------------------------------------------------------
  /**
   * Stored alerts, oldest first (by source ts, then id); of one session, one room or all;
   * `open`: only those nobody acknowledged. `limit` keeps the newest that many.
   */
  alerts(filter: { sessionId?: string; roomId?: string; open?: boolean; limit?: number } = {}): Alert[] {
    const { cond, args } = whereEquals({ session_id: filter.sessionId, room_id: filter.roomId });
    const where = filter.open ? (cond ? `${cond} AND acknowledged_at IS NULL` : 'WHERE acknowledged_at IS NULL') : cond;
    const limit = filter.limit ?? Number.MAX_SAFE_INTEGER;
    const rows = this.db
      .prepare(`SELECT a.*, (SELECT title FROM sessions s WHERE s.session_id = a.session_id) AS show_title FROM (SELECT * FROM alerts ${where} ORDER BY ts DESC, id DESC LIMIT ?) a ORDER BY ts, id`)
      .all(...args, limit) as AlertDbRow[];
    return rows.map(toAlert);
  }

  alert(id: string): Alert | undefined {
    const r = this.db.prepare('SELECT a.*, (SELECT title FROM sessions s WHERE s.session_id = a.session_id) AS show_title FROM alerts a WHERE id = ?').get(id) as AlertDbRow | undefined;
    return r && toAlert(r);
  }

  /** A room's stored targets; undefined when the operator never set them, or the stored JSON no longer validates. */
  targets(roomId: string): RoomTargets | undefined {
    const r = this.db.prepare('SELECT targets FROM room_targets WHERE room_id = ?').get(roomId) as { targets: string } | undefined;
    if (!r) return undefined;
    const parsed = RoomTargetsSchema.safeParse(JSON.parse(r.targets));
    return parsed.success ? parsed.data : undefined;
  }

  // ---- run-of-show, suggestions and what the shows taught ----------------------------------------
  /** A room's stored run-of-show; undefined when none was imported, or the stored JSON no longer validates. */
  runOfShow(roomId: string): { items: PlanItem[]; updatedAt: number; updatedBy: string | null } | undefined {
    const r = this.db.prepare('SELECT items, updated_at, updated_by FROM run_of_show WHERE room_id = ?').get(roomId) as
      | { items: string; updated_at: number; updated_by: string | null }
      | undefined;
    if (!r) return undefined;
    const parsed = PlanItemsSchema.safeParse(JSON.parse(r.items));
    return parsed.success ? { items: parsed.data, updatedAt: r.updated_at, updatedBy: r.updated_by } : undefined;
  }

  /**
   * The decision log, oldest first (source ts, then the order written): what the screen
   * suggested and what the operator did. For `lcr report` and the retrospective, which pairs each
   * suggestion's "shown" with its "accepted"/"dismissed" row by `suggestionId`.
   */
  decisions(filter: { sessionId?: string; roomId?: string; action?: DecisionAction } = {}): Decision[] {
    const { cond, args } = whereEquals({ session_id: filter.sessionId, room_id: filter.roomId, action: filter.action });
    return (this.db.prepare(`SELECT * FROM decisions ${cond} ORDER BY ts, id`).all(...args) as DecisionDbRow[]).map(toDecision);
  }


  /**
   * What earlier shows of a room taught the suggestion engine: the newest row of a show that
   * started before `beforeStartedAt` (a resumed show never learns from itself). Undefined: none.
   */
  suggestPriors(roomId: string, beforeStartedAt: number): { sessionId: string; startedAt: number; priors: LearnedPriors } | undefined {
    const r = this.db
      .prepare('SELECT session_id, started_at, priors FROM suggest_priors WHERE room_id = ? AND started_at < ? ORDER BY started_at DESC, updated_at DESC LIMIT 1')
      .get(roomId, beforeStartedAt) as { session_id: string; started_at: number; priors: string } | undefined;
    if (!r) return undefined;
    try {
      return { sessionId: r.session_id, startedAt: r.started_at, priors: JSON.parse(r.priors) as LearnedPriors };
    } catch {
      return undefined;
    }
  }

  // ---- the ad console: actions, economics, refunds -----------------------------------------------
  /**
   * The ad console's action log, oldest first (source ts, then wall time): every budget
   * change, pause and resume the relay acknowledged, with who, why, the budget before and after,
   * and whether it followed the advisor. For `lcr report`, the chart's marks and the retrospective.
   */
  adActions(filter: { sessionId?: string; roomId?: string; planId?: string; id?: string } = {}): AdActionRecord[] {
    const { cond, args } = whereEquals({ session_id: filter.sessionId, room_id: filter.roomId, plan_id: filter.planId, id: filter.id });
    return (this.db.prepare(`SELECT * FROM ad_actions ${cond} ORDER BY ts, at, id`).all(...args) as AdActionDbRow[]).map(toAdAction);
  }


  /** The 场控's messages to the prompt screen, newest first (a session's: all; a room's current show: the last `limit`). */
  prompts(filter: { sessionId?: string | null; roomId?: string; id?: string }, limit = 10_000): PromptMessage[] {
    // A prompt sent while the room was off air has no session: `sessionId: null` asks for those.
    const { cond: where, args } = whereEquals({ session_id: filter.sessionId, room_id: filter.roomId, id: filter.id });
    const rows = this.db.prepare(`SELECT * FROM prompts ${where} ORDER BY sent_at DESC, id LIMIT ?`).all(...args, limit) as PromptDbRow[];
    return rows.map((r) => ({ id: r.id, roomId: r.room_id, sessionId: r.session_id, ts: r.ts, text: r.text, sentAt: r.sent_at, byName: r.by_name, byRole: r.by_role, ackedAt: r.acked_at, ackedBy: r.acked_by }));
  }

  /** Changes of a room's economics, oldest first; a row whose JSON no longer validates is left out. */
  economicsChanges(filter: { sessionId?: string; roomId?: string } = {}): EconomicsChange[] {
    const { cond, args } = whereEquals({ session_id: filter.sessionId, room_id: filter.roomId });
    const rows = this.db.prepare(`SELECT * FROM economics_changes ${cond} ORDER BY at, id`).all(...args) as EconomicsChangeDbRow[];
    return rows.flatMap((r) => {
      const before = RoomEconomicsSchema.safeParse(parseJson(r.before));
      const after = RoomEconomicsSchema.safeParse(parseJson(r.after));
      if (!before.success || !after.success) return [];
      return [{ id: r.id, roomId: r.room_id, sessionId: r.session_id, ts: r.ts, at: r.at, before: before.data, after: after.data, breakEvenBefore: r.break_even_before, breakEvenAfter: r.break_even_after, byName: r.by_name, byRole: r.by_role }];
    });
  }

  /** Each platform's last `totals` event in the session (its own cumulative figures for the room). */
  platformTotals(sessionId: string): PlatformTotals[] {
    const rows = this.db.prepare("SELECT ts, body FROM events WHERE session_id = ? AND type = 'totals' ORDER BY ts DESC, seq DESC").all(sessionId) as Array<{ ts: number; body: string }>;
    const out = new Map<string, PlatformTotals>();
    for (const r of rows) {
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(r.body) as Record<string, unknown>;
      } catch {
        continue;
      }
      const origin = typeof e.origin === 'string' ? e.origin.slice(0, 50) : null;
      if (!origin || out.has(origin)) continue;
      const n = (k: string) => (typeof e[k] === 'number' && Number.isFinite(e[k]) ? (e[k] as number) : null);
      const rule = typeof e.rule === 'string' ? e.rule.slice(0, 100) : null;
      out.set(origin, { origin, asOf: r.ts, gmvFen: n('gmvFen'), orders: n('orders'), refundFen: n('refundFen'), adGmvFen: n('adGmvFen'), spendFen: n('spendFen'), ...(rule ? { rule } : {}) });
    }
    return [...out.values()].sort((a, b) => a.origin.localeCompare(b.origin));
  }

  /** A room's guard rails for platform changes; undefined when never set (the defaults apply) or no longer valid. */
  guardRails(roomId: string): GuardRails | undefined {
    const r = this.db.prepare('SELECT rails FROM ad_guard_rails WHERE room_id = ?').get(roomId) as { rails: string } | undefined;
    if (!r) return undefined;
    try {
      const parsed = GuardRailsSchema.safeParse(JSON.parse(r.rails));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** A room's economics; undefined when never set, or the stored JSON no longer validates. */
  economics(roomId: string): RoomEconomics | undefined {
    const r = this.db.prepare('SELECT economics FROM room_economics WHERE room_id = ?').get(roomId) as { economics: string } | undefined;
    if (!r) return undefined;
    try {
      const parsed = RoomEconomicsSchema.safeParse(JSON.parse(r.economics));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Paid and refunded GMV of the room's shows that started before `beforeStartedAt`, from their
   * stored KPIs: what the refund rate is learned from when the team leaves it empty.
   */
  refundHistory(roomId: string, beforeStartedAt: number): Array<{ sessionId: string; gmvFen: number; refundFen: number }> {
    const rows = this.db
      .prepare(
        `SELECT s.session_id AS session_id, r.kpis AS kpis FROM sessions s JOIN session_rollups r ON r.session_id = s.session_id
         WHERE s.room_id = ? AND s.started_at < ? ORDER BY s.started_at`,
      )
      .all(roomId, beforeStartedAt) as Array<{ session_id: string; kpis: string }>;
    const out: Array<{ sessionId: string; gmvFen: number; refundFen: number }> = [];
    for (const r of rows) {
      try {
        const k = JSON.parse(r.kpis) as Partial<Kpis>;
        if (typeof k.gmvFen === 'number' && typeof k.refundFen === 'number') out.push({ sessionId: r.session_id, gmvFen: k.gmvFen, refundFen: k.refundFen });
      } catch {
        // a rollup that does not parse teaches nothing
      }
    }
    return out;
  }

  // ---- rollups -----------------------------------------------------------------------------------
  /** Whether the stored rollups are current: computed up to the session's last event (and, for an ended show, its end). */
  rollupHead(sessionId: string): { rollupSeq: number; windowEnd: number } | undefined {
    const r = this.db.prepare('SELECT rollup_seq, window_end FROM session_rollups WHERE session_id = ?').get(sessionId) as { rollup_seq: number; window_end: number } | undefined;
    return r && { rollupSeq: r.rollup_seq, windowEnd: r.window_end };
  }

  /**
   * A stored session's raw events in the order the relay numbered them (epoch, then seq), one page
   * at a time. Keyset paging on the events table's primary key (feed, room_id, epoch, seq): each page
   * is one short indexed query, and no statement stays open between pages, so the app's writer is
   * never held up by a long read, and a session still being recorded is read up to its newest row.
   */
  *eventPages(session: StoredSession, pageRows = EVENT_PAGE_ROWS): Generator<StoredEventRow[]> {
    const stmt = this.db.prepare(
      `SELECT epoch, seq, body FROM events
       WHERE feed = ? AND room_id = ? AND (epoch, seq) > (?, ?) AND session_id = ?
       ORDER BY epoch, seq LIMIT ?`,
    );
    // A session's rows all lie at or after its first (epoch, seq).
    let after = { epoch: session.epoch, seq: session.firstSeq - 1 };
    for (;;) {
      const rows = stmt.all(session.feed, session.roomId, after.epoch, after.seq, session.sessionId, pageRows) as StoredEventRow[];
      if (!rows.length) return;
      yield rows;
      const last = rows[rows.length - 1]!;
      after = { epoch: last.epoch, seq: last.seq };
      if (rows.length < pageRows) return;
    }
  }

  rollups(sessionId: string): { rollupSeq: number; windowEnd: number; kpis: Kpis; minutes: MinuteRow[]; products: ProductRow[]; segments: SegmentRow[] } | undefined {
    const head = this.db.prepare('SELECT rollup_seq, window_end, kpis FROM session_rollups WHERE session_id = ?').get(sessionId) as
      | { rollup_seq: number; window_end: number; kpis: string }
      | undefined;
    if (!head) return undefined;
    const minutes = (this.db.prepare('SELECT * FROM minute_rollups WHERE session_id = ? ORDER BY minute').all(sessionId) as MinuteDbRow[]).map(toMinute);
    const products = (this.db.prepare('SELECT row FROM product_rollups WHERE session_id = ? ORDER BY position').all(sessionId) as Array<{ row: string }>).map(
      (r) => JSON.parse(r.row) as ProductRow,
    );
    const segments = (this.db.prepare('SELECT row FROM segment_rollups WHERE session_id = ? ORDER BY start_ts').all(sessionId) as Array<{ row: string }>).map(
      (r) => JSON.parse(r.row) as SegmentRow,
    );
    return { rollupSeq: head.rollup_seq, windowEnd: head.window_end, kpis: JSON.parse(head.kpis) as Kpis, minutes, products, segments };
  }
}

// ---- each table's rows as stored, and their mapping to the app's types (one place per table) ----

interface AlertDbRow {
  id: string;
  room_id: string;
  session_id: string;
  kind: string;
  ts: number;
  minute: number;
  params: string;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  acknowledged_role: string | null;
  show_title: string | null;
}

function toAlert(r: AlertDbRow): Alert {
  return {
    id: r.id,
    roomId: r.room_id,
    sessionId: r.session_id,
    // Only the app writes this table, from AlertKinds.
    kind: r.kind as AlertKind,
    ts: r.ts,
    minute: r.minute,
    params: JSON.parse(r.params) as Alert['params'],
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedRole: r.acknowledged_role,
    ...(r.show_title ? { showTitle: r.show_title } : {}),
  };
}

interface DecisionDbRow {
  suggestion_id: string;
  session_id: string;
  room_id: string;
  ts: number;
  at: number;
  kind: string;
  product_id: string | null;
  action: string;
  figures: string;
  reasons: string;
  by_name: string | null;
  by_role: string | null;
  reason: string | null;
  command: string | null;
}

function toDecision(r: DecisionDbRow): Decision {
  return {
    suggestionId: r.suggestion_id,
    sessionId: r.session_id,
    roomId: r.room_id,
    ts: r.ts,
    at: r.at,
    // Only the app writes this table, from DecisionKinds / DecisionActions.
    kind: r.kind as DecisionKind,
    productId: r.product_id,
    action: r.action as DecisionAction,
    figures: JSON.parse(r.figures) as Decision['figures'],
    reasons: JSON.parse(r.reasons) as Decision['reasons'],
    byName: r.by_name,
    byRole: r.by_role,
    reason: r.reason,
    command: r.command ? (JSON.parse(r.command) as FeedCommand) : null,
  };
}

interface AdActionDbRow {
  id: string;
  room_id: string;
  session_id: string;
  ts: number;
  at: number;
  plan_id: string;
  type: string;
  before_value: number | null;
  after_value: number | null;
  by_name: string | null;
  by_role: string | null;
  reason: string | null;
  source: string;
  result: string | null;
  answer: string | null;
  request_id: string | null;
  revert_of: string | null;
}

interface EconomicsChangeDbRow {
  id: string;
  room_id: string;
  session_id: string | null;
  ts: number | null;
  at: number;
  before: string;
  after: string;
  break_even_before: number | null;
  break_even_after: number | null;
  by_name: string | null;
  by_role: string | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toAdAction(r: AdActionDbRow): AdActionRecord {
  return {
    id: r.id,
    roomId: r.room_id,
    sessionId: r.session_id,
    ts: r.ts,
    at: r.at,
    planId: r.plan_id,
    // Only the app writes this table, from AdActionTypes and 'manual' | 'advice'.
    type: r.type as AdActionType,
    before: r.before_value,
    after: r.after_value,
    byName: r.by_name,
    byRole: r.by_role,
    reason: r.reason,
    source: r.source as AdActionSource,
    result: r.result,
    answer: r.answer,
    requestId: r.request_id,
    revertOf: r.revert_of,
  };
}

interface MinuteDbRow {
  minute: number;
  ts: number;
  online_avg: number | null;
  online_max: number | null;
  online_end: number | null;
  enters: number;
  likes: number;
  comments: number;
  follows: number;
  shares: number;
  fansclub: number;
  gift_fen: number;
  exposures: number;
  clicks: number;
  orders: number;
  items: number;
  gmv_fen: number;
  refund_fen: number;
  ad_spend_fen: number;
  pinned_product_id: string | null;
  ctr: number | null;
  gpm: number | null;
}

function toMinute(r: MinuteDbRow): MinuteRow {
  return {
    minute: r.minute,
    ts: r.ts,
    onlineAvg: r.online_avg,
    onlineMax: r.online_max,
    onlineEnd: r.online_end,
    enters: r.enters,
    likes: r.likes,
    comments: r.comments,
    follows: r.follows,
    shares: r.shares,
    fansclub: r.fansclub,
    giftFen: r.gift_fen,
    exposures: r.exposures,
    clicks: r.clicks,
    orders: r.orders,
    items: r.items,
    gmvFen: r.gmv_fen,
    refundFen: r.refund_fen,
    adSpendFen: r.ad_spend_fen,
    pinnedProductId: r.pinned_product_id,
    ctr: r.ctr,
    gpm: r.gpm,
  };
}

/** `WHERE a = ? AND b = ?` for the filters that are set (column names are this file's literals, never input). */
/**
 * `WHERE a = ? AND b IS NULL …` over the filters given; undefined leaves a column out, null
 * matches NULL. (Not `IS NOT DISTINCT FROM ?`: PostgreSQL's indexes do not serve it.)
 */
function whereEquals(filters: Record<string, string | null | undefined>): { cond: string; args: string[] } {
  const set = Object.entries(filters).filter((e): e is [string, string | null] => e[1] !== undefined);
  const conds = set.map(([c, v]) => (v === null ? `${c} IS NULL` : `${c} = ?`));
  return { cond: conds.length ? `WHERE ${conds.join(' AND ')}` : '', args: set.flatMap(([, v]) => (v === null ? [] : [v])) };
}
