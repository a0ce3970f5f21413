/**
 * Numbered schema steps. Append only: a shipped step never changes, a new need is a new step.
 * The database's `user_version` is the number of steps applied; all pending steps run in one
 * transaction so a crash mid-migration leaves the old schema intact.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** The step on PostgreSQL where it differs from `sql` (pg/schema.ts translates the column types of the rest). */
  postgres?: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'events, sessions, cursors, quarantine, rollups',
    sql: `
      -- Where each relay left off per room. "feed" is the relay's identity (URL, or "embedded");
      -- "epoch" increases when a relay's numbering restarts (its lastSeq fell below ours).
      CREATE TABLE feed_cursors (
        feed TEXT NOT NULL,
        room_id TEXT NOT NULL,
        epoch INTEGER NOT NULL DEFAULT 0,
        last_seq INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (feed, room_id)
      );

      CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        title TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        feed TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_room ON sessions (room_id, started_at);

      -- Raw validated events: the source of truth every figure can be recomputed from.
      CREATE TABLE events (
        feed TEXT NOT NULL,
        room_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        session_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (feed, room_id, epoch, seq)
      ) WITHOUT ROWID;
      CREATE INDEX events_session ON events (session_id, ts);

      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        received_at INTEGER NOT NULL,
        feed TEXT NOT NULL,
        room_id TEXT,
        session_id TEXT,
        seq INTEGER,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL
      );
      CREATE INDEX quarantine_room ON quarantine (room_id, received_at);

      -- Rollups: what reports read. Rewritten from the aggregator as the show goes on;
      -- rollup_seq says up to which event they are current.
      CREATE TABLE session_rollups (
        session_id TEXT PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
        rollup_seq INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        kpis TEXT NOT NULL
      );
      CREATE TABLE minute_rollups (
        session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
        minute INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        online_avg REAL, online_max INTEGER, online_end INTEGER,
        enters INTEGER NOT NULL, likes INTEGER NOT NULL, comments INTEGER NOT NULL,
        follows INTEGER NOT NULL, shares INTEGER NOT NULL, fansclub INTEGER NOT NULL,
        gift_fen INTEGER NOT NULL, exposures INTEGER NOT NULL, clicks INTEGER NOT NULL,
        orders INTEGER NOT NULL, items INTEGER NOT NULL, gmv_fen INTEGER NOT NULL,
        refund_fen INTEGER NOT NULL, ad_spend_fen INTEGER NOT NULL,
        pinned_product_id TEXT, ctr REAL, gpm REAL,
        PRIMARY KEY (session_id, minute)
      ) WITHOUT ROWID;
      CREATE TABLE product_rollups (
        session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
        product_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (session_id, product_id)
      ) WITHOUT ROWID;
      CREATE TABLE segment_rollups (
        session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
        start_ts INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (session_id, start_ts)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'alerts, room targets',
    sql: `
      -- L4 alerts as raised (params: the figures behind them, JSON). No foreign key to sessions:
      -- an alert must never make the batch that carries the feed's events fail.
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        ts INTEGER NOT NULL,
        minute INTEGER NOT NULL,
        params TEXT NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      );
      CREATE INDEX alerts_session ON alerts (session_id, ts);
      CREATE INDEX alerts_room ON alerts (room_id, ts);

      -- The operator's thresholds per room (RoomTargets, JSON); a room without a row uses the defaults.
      CREATE TABLE room_targets (
        room_id TEXT PRIMARY KEY,
        targets TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'decision log, suggestion priors',
    sql: `
      -- S6: every suggestion shown, accepted or dismissed. suggestion_id names one appearance of a
      -- suggestion on screen; "shown" is written once per appearance, "accepted"/"dismissed" once.
      -- ts is source time (the show's clock), at the wall clock. figures, reasons, command: JSON.
      -- No foreign key to sessions, as for alerts: a decision must never fail the feed's batch.
      CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        suggestion_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        product_id TEXT,
        action TEXT NOT NULL,
        figures TEXT NOT NULL,
        reasons TEXT NOT NULL,
        by_name TEXT,
        by_role TEXT,
        reason TEXT,
        command TEXT
      );
      CREATE UNIQUE INDEX decisions_once ON decisions (suggestion_id, action);
      CREATE INDEX decisions_session ON decisions (session_id, ts);

      -- S5: what each show taught the suggestion engine (LearnedPriors, JSON, already merged with
      -- the shows before it). A new show of the room starts from the newest row of an earlier show.
      CREATE TABLE suggest_priors (
        room_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        priors TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (room_id, session_id)
      );
      CREATE INDEX suggest_priors_room ON suggest_priors (room_id, started_at);
    `,
  },
  {
    version: 4,
    name: 'run-of-show',
    sql: `
      -- S4: each room's 排品表 (PlanItem[] as JSON: productId, minutes), replaced whole when it is
      -- imported or edited; updated_by is the operator's name from the settings.
      CREATE TABLE run_of_show (
        room_id TEXT PRIMARY KEY,
        items TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
    `,
  },
  {
    version: 5,
    name: 'ad console: actions, room economics',
    sql: `
      -- A4: every budget change, pause and resume the ad buyer made (or accepted from the advice),
      -- with the value before and after (fen per minute; null for pause/resume), who and why.
      -- ts is source time (the show's clock), at the wall clock; source: 'manual' | 'advice'.
      -- No foreign key to sessions, as for alerts: an action must never fail the feed's batch.
      CREATE TABLE ad_actions (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        at INTEGER NOT NULL,
        plan_id TEXT NOT NULL,
        type TEXT NOT NULL,
        before_value INTEGER,
        after_value INTEGER,
        by_name TEXT,
        by_role TEXT,
        reason TEXT,
        source TEXT NOT NULL,
        result TEXT
      );
      CREATE INDEX ad_actions_session ON ad_actions (session_id, ts);

      -- A2: the team's economics per room (JSON: platform fee rate, expected refund rate or null to
      -- learn it, cost-of-goods overrides per product), replaced whole.
      CREATE TABLE room_economics (
        room_id TEXT PRIMARY KEY,
        economics TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'retrospective notes',
    sql: `
      -- R3: the team's own notes on a session's timeline, added in the report. minute: the minute
      -- since the start they belong to (null: the whole show). Deleting keeps the row (deleted_at).
      CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        ts INTEGER,
        minute INTEGER,
        text TEXT NOT NULL,
        by_name TEXT,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE INDEX notes_session ON notes (session_id, created_at);
    `,
  },
  {
    version: 7,
    name: 'retrospective rollups',
    sql: `
      -- R3–R5: what the retrospective needs beyond METRICS.md's rollups and would otherwise have to
      -- re-read every raw event for (entries by traffic source per minute, comment demand, markers,
      -- ad plans, catalog costs), as one JSON document (RetroExtras) per session, written with the
      -- other rollups; rollup_seq says up to which event it is current.
      CREATE TABLE retro_rollups (
        session_id TEXT PRIMARY KEY,
        rollup_seq INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'imported tables (F4) and settled figures (R9)',
    sql: `
      -- F4/R9: every imported minute, product or totals table, kept as read (the app's units, only
      -- the fields the file gave, JSON per row), never overwritten: a newer import of the same table
      -- kind for a session supersedes the older one in the report, and both stay as history.
      -- kind: 'provisional' (a show's first figures: an unrecorded show's tables) or 'settled' (the
      -- platform's later figures, laid over the live ones in the report; the live rollups stay).
      -- table_kind: 'minutes' | 'products' | 'totals'. columns: [{header, field}] as read.
      CREATE TABLE imports (
        import_id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
        room_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        table_kind TEXT NOT NULL,
        file TEXT NOT NULL,
        imported_at INTEGER NOT NULL,
        imported_by TEXT,
        row_count INTEGER NOT NULL,
        columns TEXT NOT NULL,
        totals TEXT
      );
      CREATE INDEX imports_session ON imports (session_id, imported_at);
      CREATE TABLE imported_minutes (
        import_id TEXT NOT NULL REFERENCES imports (import_id) ON DELETE CASCADE,
        minute INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        line INTEGER NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (import_id, minute)
      ) WITHOUT ROWID;
      CREATE TABLE imported_products (
        import_id TEXT NOT NULL REFERENCES imports (import_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        line INTEGER NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (import_id, position)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'feed gaps',
    sql: `
      -- Holes in a room's event stream given up for good (FEED-PROTOCOL: the relay no longer holds
      -- them, or re-subscribing brought nothing for a long while): which seqs, when, why. The
      -- screen and the report show them; a hole is never stepped over silently.
      CREATE TABLE feed_gaps (
        id INTEGER PRIMARY KEY,
        feed TEXT NOT NULL,
        room_id TEXT NOT NULL,
        session_id TEXT,
        epoch INTEGER NOT NULL,
        from_seq INTEGER NOT NULL,
        to_seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX feed_gaps_session ON feed_gaps (session_id);
    `,
  },
  {
    version: 10,
    name: 'how a session ended',
    sql: `
      -- 'interrupted': the app was not running (or not following the room) when the show went on or
      -- ended, so the log stops early: the relay later showed a new broadcast or the room ended
      -- without this one's end. NULL: ended as the feed said (or still live).
      ALTER TABLE sessions ADD COLUMN end_reason TEXT;
    `,
  },
  {
    version: 11,
    name: 'show targets',
    sql: `
      -- R6: a show's own GMV target (成交目标), set on its report or imported with its figures;
      -- it wins over the room's target (room_targets) for that show. source: 'report' | 'import'.
      -- No row: the show is judged against the room's target, if the room has one.
      CREATE TABLE session_targets (
        session_id TEXT PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
        gmv_fen INTEGER NOT NULL,
        source TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
    `,
  },
  {
    version: 12,
    name: 'who acknowledged an alert: role',
    sql: `
      -- The role (场控, 投手 …) of the operator who acknowledged an alert, from that desk's settings,
      -- beside acknowledged_by (the name). Older acknowledgements have none.
      ALTER TABLE alerts ADD COLUMN acknowledged_role TEXT;
    `,
  },
  {
    version: 13,
    name: 'economics changes',
    sql: `
      -- A2/A4: every change of a room's economics (fee rate, refund rate, cost overrides; JSON
      -- before and after) with the break-even ROI it moved from and to, who, and the show it was
      -- made during (null between shows): the ad console's 操作记录 lists them beside budget changes.
      CREATE TABLE economics_changes (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        session_id TEXT,
        ts INTEGER,
        at INTEGER NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        break_even_before REAL,
        break_even_after REAL,
        by_name TEXT,
        by_role TEXT
      );
      CREATE INDEX economics_changes_session ON economics_changes (session_id, at);
    `,
  },
  {
    version: 14,
    name: 'platform plan changes',
    sql: `
      -- Changes made on the platform itself (千川 daily budget, bid, ROI goal, pause/resume): the
      -- platform's own words for the item (its error message, or the value read back), the request
      -- id to quote to its support, and the action a revert undoes.
      ALTER TABLE ad_actions ADD COLUMN answer TEXT;
      ALTER TABLE ad_actions ADD COLUMN request_id TEXT;
      ALTER TABLE ad_actions ADD COLUMN revert_of TEXT;
      CREATE INDEX ad_actions_plan ON ad_actions (room_id, plan_id, at);

      -- The team's guard rails for platform changes per room (JSON, GuardRailsSchema), replaced whole.
      CREATE TABLE ad_guard_rails (
        room_id TEXT PRIMARY KEY,
        rails TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'team invites',
    sql: `
      -- Per-person links (PRODUCT.md T1): the role, the name, when it expires or was revoked. Only
      -- the token's SHA-256 is kept: a stolen data folder holds no working link.
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        name TEXT,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        created_by TEXT
      );
    `,
  },
  {
    version: 16,
    name: 'prompt messages',
    sql: `
      -- The 场控's messages to the host's prompt screen (PRODUCT.md T2), who sent them and who
      -- acknowledged them, for the show's timeline.
      CREATE TABLE prompts (
        id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        session_id TEXT,
        -- the show's clock when sent (source time), for the 复盘 timeline; sent_at is the wall clock
        ts INTEGER,
        text TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        by_name TEXT,
        by_role TEXT,
        acked_at INTEGER,
        acked_by TEXT
      );
      CREATE INDEX prompts_room ON prompts (room_id, sent_at);
      CREATE INDEX prompts_session ON prompts (session_id, sent_at);
    `,
  },
  {
    version: 17,
    name: 'import order in both engines',
    sql: `
      -- Two imports of one millisecond are ordered by when they were written. SQLite's rowid said
      -- that; PostgreSQL has none, so the order is a column of its own, numbered on insert.
      ALTER TABLE imports ADD COLUMN import_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE imports SET import_seq = rowid;
    `,
    postgres: `
      ALTER TABLE imports ADD COLUMN import_seq BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 18,
    name: 'the currency of a show',
    sql: `
      -- NULL: no money event named one, so FEED-PROTOCOL's fen (CNY). Set once, by the first that does.
      ALTER TABLE sessions ADD COLUMN currency TEXT;
    `,
  },
];

export const SCHEMA_VERSION = migrations.length;
