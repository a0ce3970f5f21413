/**
 * The one contract between the core and the UI, whatever carries it: Electron IPC (main relays
 * to the utility process) or the browser-mode Socket.IO channel. Request name → argument and
 * result; push topic → payload. Arguments are validated with these zod schemas on the core side.
 *
 * Read it in this order: the views a request returns (rooms, diagnostics, settings, run-of-show),
 * then `RequestSchemas` (every request's arguments) and `RequestResults` (its answer), then `Push`.
 * A domain's own types live with their domain (shared/alerts, retro, suggest, ads, imports …);
 * this file names them, and the core's desks answer the requests (docs/architecture.md).
 */
import { ACCOUNT_PLATFORMS, OFFICIAL_KINDS, type AccountView, type FigureOrigin, type PlatformLogEntry } from './platforms.ts';
export { ACCOUNT_PLATFORMS, FigureFamilies, OFFICIAL_KINDS, isOfficialKind, type AccountPlatform, type AccountView, type FigureFamily, type FigureOrigin, type OfficialKind, type PlatformLogEntry } from './platforms.ts';
import { z } from 'zod';
import { FeedCommandSchema, type CommandAck, type RoomInfo } from './protocol.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from './metrics/types.ts';
import type { KpiSnapshot } from './metrics/kpi-history.ts';
import type { Decision, LiveSuggestions, RunOfShowLive } from './suggest/live.ts';
import { MAX_PLAN_ITEMS, MAX_PLAN_PRODUCT_ID, type PlanItem } from './suggest/plan.ts';
import type { Comparison, Note, RetroReportView, SessionListItem } from './retro/types.ts';
import { RoomEconomicsSchema, type RoomEconomics } from './ads/economics.ts';
import { RelayAdActionTypes, type AdActionRecord, type AdConsoleView } from './ads/console.ts';
import { GuardRailsSchema, PlanChangeFields, type GuardRails, type PlanChangeOutcome, type PlanChangePreview } from './ads/plan-changes.ts';
import { ImportKinds, type ImportResult } from './imports/types.ts';
import type { FeedGap, SessionInfo, SessionMarker } from './sessions.ts';
import { RoomTargetsSchema, type Alert, type RoomTargets } from './alerts/types.ts';
import type { DemandSummary } from './comments/demand.ts';
import { TeamRequestSchemas, type PromptMessage, type TeamRequestResults, type TeamView } from './team/contract.ts';
export { sessionInfo, type FeedGap, type SessionInfo, type SessionMarker } from './sessions.ts';
export { AlertKinds, DEFAULT_TARGETS, RoomTargetsSchema, type Alert, type AlertKind, type RoomTargets } from './alerts/types.ts';
export type { DemandSummary } from './comments/demand.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

/** CONTRACTS.md's `--source` kinds: `feed` is a FEED-PROTOCOL relay; the others are real sources (SOURCES.md) the app adapts itself. */
export const SOURCE_KINDS = ['feed', 'tiktok-chat-reader', 'douyin-ws', 'barragegrab', 'replay', 'qianchuan', 'doudian', 'tiktok-shop'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export function isSourceKind(x: unknown): x is SourceKind {
  return typeof x === 'string' && (SOURCE_KINDS as readonly string[]).includes(x);
}

/**
 * Why a real source cannot serve its room, as a code the screen words in the operator's language
 * (shared/i18n/source-messages.ts `source.problem.*`) and the core logs: not found and refused stop
 * the source (retrying cannot help and, on Douyin, invites risk control); ended, rate-limited and
 * unreachable wait and try again with a growing delay.
 */
export const SOURCE_PROBLEMS = ['roomNotFound', 'roomEnded', 'rateLimited', 'refused', 'unreachable', 'waitingForRoom'] as const;
export type SourceProblem = (typeof SOURCE_PROBLEMS)[number];

/**
 * One finding of a source test (settings screen, before saving): what was checked, whether it is
 * fine, and a code the page words (with `params`) in plain language with what to do.
 */
export interface SourceCheck {
  what: 'address' | 'token' | 'room' | 'orders' | 'config';
  ok: boolean;
  code: string;
  params: Record<string, string | number>;
}

export interface SourceTestResult {
  ok: boolean;
  checks: SourceCheck[];
}

/** One real source's connection, as the screen shows it beside the feed's. */
export interface SourceConnectionView {
  /** the adapter: tiktok-chat-reader, douyin-webcast, barrage-grab, merchant-orders, replay */
  source: string;
  status: 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';
  /** where it reads from, without credentials */
  target: string;
  error: string | null;
  /** Why it cannot serve the room (null: no such problem); `error` has the source's own words. */
  problem: SourceProblem | null;
  /** When it tries again (epoch ms), while it waits out a problem. */
  retryAt: number | null;
  connects: number;
  events: number;
  quarantined: number;
  lastMessageAt: number | null;
}

export interface ConnectionState {
  status: ConnectionStatus;
  /** The relay's URL without credentials. */
  url: string;
  error: string | null;
  /** Wall-clock time the last batch arrived. */
  lastEventAt: number | null;
  /** How far the newest event's source time is behind the wall clock (0 when the source runs ahead, as a sped-up simulator does). */
  lagMs: number | null;
  quarantined: number;
  duplicates: number;
  resyncs: number;
  reconnects: number;
  gapsAccepted: number;
  /** Holes being filled right now: seqs the relay is asked for again, since when. */
  holes?: Array<{ roomId: string; fromSeq: number; toSeq: number; since: number }>;
  /** The store, when it cannot write (the badge says so beside the feed's state). */
  store?: { ok: boolean; code: string | null; since: number | null; pendingRows: number; feedPaused: boolean };
  /** With a real source (`--source`): each adapter's own state; `status`/`error` above then say the worst of them. */
  sources?: SourceConnectionView[];
  /** With a real source: the worst source's problem, for the badge to say in words. */
  problem?: SourceProblem | null;
}



/** A room as the UI sees it: relay info, the current session and its live figures. */
export interface RoomView {
  roomId: string;
  platform: string;
  title: string;
  status: RoomInfo['status'];
  session: SessionInfo | null;
  kpis: Kpis | null;
  /** Source time the figures are computed up to. */
  windowEnd: number | null;
  /** The core's wall clock when the room's last event arrived (null: none in this run): a screen tells a quiet room by it. */
  lastEventAt?: number | null;
  /** The product being explained (讲解), with its catalog title. */
  pinned?: { productId: string; title: string } | null;
  /** Break-even ROI from the room's economics and its sales mix (the ad console's), null when unknown. */
  breakEvenRoi?: number | null;
  /** Online over the whole show for the wall: minute averages in up to 60 buckets (each its highest). */
  onlineCurve?: Array<number | null>;
  /**
   * The core's KPIs about one minute of the show ago (null: too early): with every view, so a room
   * shown on a screen that has not followed it for a minute has its changes over the last minute at once.
   */
  kpisMinuteAgo?: KpiSnapshot | null;
  /**
   * The room's source carries no orders or product clicks (a viewer-side source without a
   * merchant order file): GMV, orders, GPM, CTR … are unknown there, not zero.
   */
  noOrders?: boolean;
  /** Where each kind of figure comes from and how fresh it is (absent from an older core). */
  origins?: FigureOrigin[];
}

export interface RoomDetail extends RoomView {
  minutes: MinuteRow[];
  products: ProductRow[];
  segments: SegmentRow[];
  pinnedProductId: string | null;
  commandsSupported: boolean;
  demand: DemandSummary | null;
  /** The session's platform markers, oldest first. */
  markers: SessionMarker[];
}


/**
 * Whether the store can write. When it cannot (a full disk, a read-only folder, a damaged file),
 * nothing is dropped: what waits is written once it can, and the feed stops taking events before
 * memory runs out (the relay keeps them).
 */
export interface StoreHealth {
  ok: boolean;
  /** When the current run of failures began. */
  since: number | null;
  /** SQLite's message and code (SQLITE_FULL, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_IOERR…), or WRITER_STOPPED. */
  error: string | null;
  code: string | null;
  retries: number;
  /** Rows waiting to be written. */
  pendingRows: number;
}

export interface ProcessVitals {
  rssBytes: number;
  /** The main thread's JS heap. */
  heapUsedBytes: number;
  /** The store's writer thread's JS heap, and memory outside the JS heaps that JS objects hold (buffers): with the heap, what RSS is made of besides native code and SQLite's caches. */
  writerHeapBytes?: number;
  externalBytes?: number;
  /** Active handles and requests (sockets, timers, files): a leak shows here first. */
  handles: number;
  /** Event-loop delay over the last full minute (ms): how long the thread that serves the feed and the UI was blocked. */
  loopDelayMs: { p50: number; p99: number; max: number } | null;
  uptimeSec: number;
}

export interface Diagnostics {
  connection: ConnectionState;
  store: {
    dataDir: string;
    eventsStored: number;
    batches: number;
    lastCommitMs: number;
    maxCommitMs: number;
    writeErrors: number;
    /** Exceptions the core caught in its own figures (logged; the events are stored all the same). */
    internalErrors: number;
    health: StoreHealth;
    feedPaused: boolean;
  };
  /** Holes given up for good in this run (newest last). */
  gaps: FeedGap[];
  /** The core's process: what a long show costs it (the soak samples these each show-hour). */
  process: ProcessVitals;
  quarantinedByReason: Array<{ reason: string; count: number }>;
  source: { kind: 'embedded' | 'relay' | Exclude<SourceKind, 'feed'>; scenario: string[] | null; speed: number | null; seed: string | null };
}

export interface Overview {
  rooms: RoomView[];
  diagnostics: Diagnostics;
}

// ---- Settings ------------------------------------------------------------------------------

/** What the settings screen saves (settings.json in the data folder); the environment wins over it. */
export const SavedSettingsSchema = z.object({
  feedUrl: z.string().url().max(2000).nullable().optional(),
  feedToken: z.string().max(2000).nullable().optional(),
  rooms: z.array(z.string().min(1).max(200)).max(200).nullable().optional(),
  scenario: z.string().max(2000).nullable().optional(),
  speed: z.number().min(1).max(60).nullable().optional(),
  seed: z.string().max(100).nullable().optional(),
  /** A real source instead of a relay (`feed`, the default) — its address and, for one room, a merchant order file. */
  sourceKind: z.enum(SOURCE_KINDS).nullable().optional(),
  /** Official platforms joining each room of that source (千川, 抖店). */
  alsoSources: z.array(z.enum(OFFICIAL_KINDS)).max(OFFICIAL_KINDS.length).nullable().optional(),
  /** The official accounts' ids (never a secret: app secrets and tokens live in the vault). */
  platforms: z
    .object({
      qianchuan: z.object({ appId: z.string().regex(/^\d{1,20}$/), advertiserId: z.string().regex(/^\d{1,20}$/), awemeIds: z.array(z.string().regex(/^\d{1,20}$/)).max(200).optional() }).strict().nullable().optional(),
      doudian: z.object({ appKey: z.string().regex(/^[\w-]{1,64}$/), shopId: z.string().regex(/^\d{1,20}$/), pushPort: z.number().int().min(0).max(65535).optional() }).strict().nullable().optional(),
      tiktokShop: z.object({ appKey: z.string().regex(/^[\w-]{1,64}$/), shopId: z.string().regex(/^\d{1,20}$/), webhookPort: z.number().int().min(0).max(65535).optional() }).strict().nullable().optional(),
      tiktokAds: z.object({ appId: z.string().regex(/^\d{1,20}$/), advertiserId: z.string().regex(/^\d{1,20}$/), storeId: z.string().regex(/^\d{1,20}$/) }).strict().nullable().optional(),
    })
    .strict()
    .nullable()
    .optional(),
  sourceAddress: z.string().max(2000).nullable().optional(),
  ordersFile: z.string().max(2000).nullable().optional(),
  /** Who sits at this desk: recorded with every decision. Applied at once. */
  operatorName: z.string().max(100).nullable().optional(),
  operatorRole: z.string().max(50).nullable().optional(),
});
export type SavedSettings = z.infer<typeof SavedSettingsSchema>;
export type SettingSource = 'env' | 'saved' | 'default';

export interface SettingsView {
  /** What this run uses. The token is never sent to the page, only whether one is set. */
  effective: { feedUrl: string | null; hasToken: boolean; rooms: string[] | null; dataDir: string; scenario: string[]; speed: number; seed: string; sourceKind: SourceKind; sourceAddress: string | null; ordersFile: string | null };
  /** What is saved (token omitted), applied at the next start. */
  saved: Omit<SavedSettings, 'feedToken'> & { hasToken: boolean };
  sources: Record<keyof SavedSettings | 'dataDir', SettingSource>;
}

// ---- Run-of-show ---------------------------------------------------------------------------

/** One slot of a run-of-show (排品表). */
export const PlanItemSchema = z.object({ productId: z.string().min(1).max(MAX_PLAN_PRODUCT_ID), minutes: z.number().positive().max(24 * 60) }).strict();
export const PlanItemsSchema = z.array(PlanItemSchema).max(MAX_PLAN_ITEMS);

/** A room's run-of-show as stored, with the live show's adherence to it. */
export interface RunOfShowView {
  roomId: string;
  items: PlanItem[];
  /** null: never saved */
  updatedAt: number | null;
  updatedBy: string | null;
  /** adherence and re-ordering while a show of the room is live; null otherwise */
  live: RunOfShowLive | null;
}

/** A run-of-show file (排品表): larger is not one. Checked by the screen, the UI channel and the reader. */
export const MAX_PLAN_FILE_BYTES = 5 * 1024 * 1024;
/** An imported table: Compass exports of a long show are well under this. */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;
/** A file's size in base64, as it crosses the UI channel (JSON only). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
const MAX_PLAN_FILE_BASE64 = base64Length(MAX_PLAN_FILE_BYTES);
const MAX_IMPORT_FILE_BASE64 = base64Length(MAX_IMPORT_FILE_BYTES);
/**
 * The largest legal request on the UI channel: the largest file in base64 with the request's
 * other fields and Socket.IO's framing. Browser mode sizes Socket.IO's message limit to it (its
 * 1 MB default dropped the connection on any import over ~750 KB).
 */
export const MAX_UI_MESSAGE_BYTES = MAX_IMPORT_FILE_BASE64 + 64 * 1024;

export const RequestSchemas = {
  getOverview: z.object({}).strict(),
  getRoom: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  sendCommand: z.object({ roomId: z.string().min(1).max(200), command: FeedCommandSchema }).strict(),
  getAlerts: z.object({ roomId: z.string().min(1).max(200).optional() }).strict(),
  /** `by` (optional, for scripts) names who; otherwise the operator's name and role from the settings. */
  ackAlert: z.object({ id: z.string().min(1).max(300), by: z.string().max(100).optional() }).strict(),
  /** Acknowledges every open alert of one room, or of every room when roomId is absent. */
  ackAlerts: z.object({ roomId: z.string().min(1).max(200).optional() }).strict(),
  getTargets: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  setTargets: z.object({ roomId: z.string().min(1).max(200), targets: RoomTargetsSchema }).strict(),
  getSettings: z.object({}).strict(),
  saveSettings: z.object({ settings: SavedSettingsSchema }).strict(),
  testSource: z
    .object({
      sourceKind: z.enum(SOURCE_KINDS),
      /** The relay's URL (`feed`) or the source's address. */
      address: z.string().max(2000),
      /** A relay's token; left out: the saved one. */
      feedToken: z.string().max(500).optional(),
      rooms: z.array(z.string().min(1).max(200)).max(50).optional(),
      ordersFile: z.string().max(2000).optional(),
    })
    .strict(),
  getSuggestions: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  // ---- the retrospective ----
  listSessions: z
    .object({
      roomId: z.string().min(1).max(200).optional(),
      platform: z.string().min(1).max(50).optional(),
      /** started at or after / before, epoch ms */
      since: z.number().int().nonnegative().optional(),
      until: z.number().int().nonnegative().optional(),
      /** part of the title, room id or session id */
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  getReport: z.object({ sessionId: z.string().min(1).max(400) }).strict(),
  compareSessions: z.object({ sessionIds: z.array(z.string().min(1).max(400)).min(2).max(8), align: z.enum(['minute', 'slot']) }).strict(),
  /** minute: since the show's start (0-based); null or absent: a note on the whole show */
  addNote: z.object({ sessionId: z.string().min(1).max(400), minute: z.number().int().min(0).max(100_000).nullable().optional(), text: z.string().trim().min(1).max(2000) }).strict(),
  deleteNote: z.object({ id: z.string().min(1).max(100) }).strict(),
  exportReport: z.object({ sessionId: z.string().min(1).max(400), format: z.enum(['csv', 'xlsx', 'html', 'pdf']), locale: z.enum(['zh-CN', 'en']).optional() }).strict(),
  /** A show's own GMV target in fen (wins over the room's for this show); null removes it. */
  setSessionTarget: z.object({ sessionId: z.string().min(1).max(400), gmvFen: z.number().int().min(1).max(1e13).nullable() }).strict(),
  /** Desktop app: show an exported file in the system's file manager (only files in exports/). */
  revealExport: z.object({ path: z.string().min(1).max(4000) }).strict(),
  acceptSuggestion: z.object({ roomId: z.string().min(1).max(200), suggestionId: z.string().min(1).max(400) }).strict(),
  /** Takes back the last pin sent from this app, naming the product it pinned: what was explained before is pinned again. */
  undoPin: z.object({ roomId: z.string().min(1).max(200), productId: z.string().min(1).max(200).nullable() }).strict(),
  dismissSuggestion: z.object({ roomId: z.string().min(1).max(200), suggestionId: z.string().min(1).max(400), reason: z.string().max(500).optional() }).strict(),
  getRunOfShow: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  setRunOfShow: z.object({ roomId: z.string().min(1).max(200), items: PlanItemsSchema }).strict(),
  importRunOfShow: z
    .object({
      roomId: z.string().min(1).max(200),
      fileName: z.string().min(1).max(300),
      dataBase64: z.string().max(MAX_PLAN_FILE_BASE64, `the file is larger than ${MAX_PLAN_FILE_BYTES / 1048576} MB, the most a run-of-show may be`),
      /** The language a refused file's problems are worded in (the page's); English without it. */
      locale: z.enum(['zh-CN', 'en']).optional(),
    })
    .strict(),
  /**
   * A Compass minute, product or totals table (CSV/XLSX). Without sessionId the table goes to
   * the room's show its times overlap, or starts a new (imported) session; kind defaults to
   * 'settled' for a show recorded live, 'provisional' otherwise. startedAt: the show's start, for a
   * table of minute indexes or clock times without a session.
   */
  importTables: z
    .object({
      fileName: z.string().min(1).max(300),
      dataBase64: z.string().max(MAX_IMPORT_FILE_BASE64, `the file is larger than ${MAX_IMPORT_FILE_BYTES / 1048576} MB, the most an imported table may be`),
      roomId: z.string().min(1).max(200).optional(),
      sessionId: z.string().min(1).max(400).optional(),
      kind: z.enum(ImportKinds).optional(),
      startedAt: z.number().int().nonnegative().optional(),
    })
    .strict(),
  getAdConsole: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  getEconomics: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  setEconomics: z.object({ roomId: z.string().min(1).max(200), economics: RoomEconomicsSchema }).strict(),
  /**
   * A change of platform plans (千川 daily budget fen, bid fen, ROI goal, pause, resume): checked and
   * previewed, nothing sent. `adPlanApply` sends a preview the buyer confirmed.
   */
  adPlanPreview: z
    .object({
      roomId: z.string().min(1).max(200),
      planIds: z.array(z.string().min(1).max(200)).min(1).max(50),
      field: z.enum(PlanChangeFields),
      value: z.number().min(0).max(1e12).optional(),
      reason: z.string().max(500).optional(),
    })
    .strict(),
  /** The platform's own operation log of a plan today (千川 tools/log_search): changes made anywhere, by anyone. */
  adPlanLog: z.object({ roomId: z.string().min(1).max(200), planId: z.string().min(1).max(200) }).strict(),
  /** The official accounts in the vault (no secret in the answer). */
  getAccounts: z.object({}).strict(),
  /**
   * Stores an official account in the vault: its app secret and either a refresh token (a seed the
   * platform rotates) or an authorisation code exchanged now. Nothing of it reaches settings.json.
   */
  connectAccount: z
    .object({
      platform: z.enum(ACCOUNT_PLATFORMS),
      appId: z.string().min(1).max(64),
      account: z.string().regex(/^\d{1,20}$/),
      secret: z.string().min(1).max(500),
      refreshToken: z.string().min(1).max(2000).optional(),
      authCode: z.string().min(1).max(2000).optional(),
    })
    .strict()
    .refine((a) => (a.refreshToken === undefined) !== (a.authCode === undefined), 'give a refresh token or an authorisation code'),
  adPlanApply: z.object({ roomId: z.string().min(1).max(200), previewId: z.string().min(1).max(100), followedAdvice: z.boolean().optional() }).strict(),
  /** The opposite of a logged platform change, previewed (confirm with adPlanApply). */
  adPlanRevert: z.object({ roomId: z.string().min(1).max(200), actionId: z.string().min(1).max(600), reason: z.string().max(500).optional() }).strict(),
  getGuardRails: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  setGuardRails: z.object({ roomId: z.string().min(1).max(200), rails: GuardRailsSchema }).strict(),
  /** A budget change, pause or resume of one ad plan, sent to the relay and logged once acknowledged. */
  adAction: z
    .object({
      roomId: z.string().min(1).max(200),
      planId: z.string().min(1).max(200),
      type: z.enum(RelayAdActionTypes),
      /** the new budget, fen per minute (adBudget only) */
      budgetFenPerMin: z.number().int().min(0).max(1e10).optional(),
      reason: z.string().max(500).optional(),
      /** the buyer applied the advisor's suggestion (logged as source 'advice') */
      followedAdvice: z.boolean().optional(),
    })
    .strict()
    .refine((a) => a.type !== 'adBudget' || a.budgetFenPerMin !== undefined, 'adBudget needs budgetFenPerMin'),
  ...TeamRequestSchemas,
} as const;

export interface RequestResults extends TeamRequestResults {
  getOverview: Overview;
  getRoom: RoomDetail;
  sendCommand: CommandAck;
  /** Newest first; all rooms when roomId is absent. */
  getAlerts: Alert[];
  ackAlert: Alert;
  /** The alerts it acknowledged, newest first (none open: empty). */
  ackAlerts: Alert[];
  getTargets: RoomTargets;
  setTargets: RoomTargets;
  getSettings: SettingsView;
  saveSettings: SettingsView;
  testSource: SourceTestResult;
  /** The room's current suggestions (null: no live show). */
  getSuggestions: LiveSuggestions | null;
  /** Newest first, with their headline figures. */
  listSessions: SessionListItem[];
  /** CONTRACTS.md's report with the retrospective's sections (headline, scorecard, funnel …). */
  getReport: RetroReportView;
  compareSessions: Comparison;
  /** Stored with the operator's name from the settings. */
  addNote: Note;
  deleteNote: { id: string; deleted: true };
  /** Written into the data folder's exports/; the path of the file (CSV: the minutes table, with the others beside it). */
  exportReport: { path: string; files: string[] };
  /** The show's target as stored (null: removed, the room's target applies); reopen the report to see its attainment. */
  setSessionTarget: { sessionId: string; gmvFen: number | null };
  revealExport: { revealed: true };
  /** Sends the suggestion's pin / flash command; once the relay acknowledged it, logs and returns the decision. */
  acceptSuggestion: Decision;
  undoPin: Decision;
  dismissSuggestion: Decision;
  getRunOfShow: RunOfShowView;
  /** Replaces the room's run-of-show (validated against the catalog when a show is live). */
  setRunOfShow: RunOfShowView;
  /** Reads a CSV/XLSX 排品表 and replaces the run-of-show; a bad file is refused whole (line, column, reason). */
  importRunOfShow: RunOfShowView;
  /**
   * The session created or updated, rows read, kind, and (after a settled import) what moved; a bad
   * file is refused whole with "line N, column C: reason" and nothing is stored.
   */
  importTables: ImportResult;
  /** The room's ad console (null: no show of the room yet). */
  getAdConsole: AdConsoleView | null;
  getEconomics: RoomEconomics;
  /** Replaces the room's economics; the console recomputes break-even at once. */
  setEconomics: RoomEconomics;
  /** Resolves once the relay acknowledged the command and the action is logged. */
  adAction: AdActionRecord;
  adPlanPreview: PlanChangePreview;
  getAccounts: { where: string; accounts: AccountView[] };
  adPlanLog: PlatformLogEntry[];
  connectAccount: AccountView;
  /** Resolves once each plan's answer is in and read back; every plan is logged, refused ones too. */
  adPlanApply: PlanChangeOutcome;
  adPlanRevert: PlanChangePreview;
  getGuardRails: GuardRails;
  setGuardRails: GuardRails;
}

export type RequestName = keyof typeof RequestSchemas;
export type RequestArgs<N extends RequestName> = z.infer<(typeof RequestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];

/** Every reply across a boundary: never a thrown error the other side cannot read. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Pushes, coalesced by the core to a few per second. */
export interface PushPayloads {
  /** Live figures of one room: KPIs, and the minute rows that changed (by `minute` index). */
  room: {
    roomId: string;
    view: RoomView;
    /** Minute rows that changed since the last push; `reset` means replace the whole series (a new session). */
    minutes: MinuteRow[];
    reset: boolean;
    /** Sent at most once a second, and only when they changed. */
    products?: ProductRow[];
    segments?: SegmentRow[];
    /** The session's markers, all of them, when they changed (and with every reset). */
    markers?: SessionMarker[];
    pinnedProductId: string | null;
  };
  connection: ConnectionState;
  rooms: RoomView[];
  /** A new alert, or one that was acknowledged. */
  alert: Alert;
  /** Demand signals of a room, at most once a second when they changed. */
  demand: { roomId: string; demand: DemandSummary };
  /** Rotation suggestions of a room, stabilised, at most once a second when they changed; null when its show ended. */
  suggestions: { roomId: string; suggestions: LiveSuggestions | null };
  /** A room's ad console, at most once a second when it changed. */
  ads: { roomId: string; ads: AdConsoleView };
  /** Desktop app: the shell about its core process (restarted after a crash, given up) and saved settings it set aside. */
  core: CoreNotice;
  /** Once a second from a running core (its wall clock): a page that stops hearing it knows the core is gone or hung. */
  heartbeat: { at: number };
  /** A message from the 场控 to the host's prompt screen, new or acknowledged. */
  prompt: PromptMessage;
  /** The invites and who is connected, when either changed (管理 only). */
  team: TeamView;
}

/** What the desktop shell tells the window about the core (electron/main/core-supervisor.ts). */
export type CoreNotice =
  | { state: 'restarting'; attempt: number; inMs: number; exitCode: number | null }
  | { state: 'running'; restarts: number }
  | { state: 'failed'; attempts: number; error: string }
  | { state: 'warning'; text: string };
export type PushTopic = keyof PushPayloads;
export type Push = { [K in PushTopic]: { topic: K; payload: PushPayloads[K] } }[PushTopic];

/** What the preload script exposes as `window.lcr` (and the browser transport imitates). */
export interface LcrApi {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<Reply<RequestResult<N>>>;
  /** Returns an unsubscribe function. */
  onPush(listener: (push: Push) => void): () => void;
}

export function isRequestName(x: unknown): x is RequestName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(RequestSchemas, x);
}

/** What answers one request: its arguments as the schema parsed them, its result as the contract says. */
export type RequestHandler<N extends RequestName> = (args: RequestArgs<N>) => RequestResult<N> | Promise<RequestResult<N>>;
/** Handlers for a set of requests: a domain's map, or (over every RequestName) the whole registry. */
export type RequestHandlers<K extends RequestName> = { [N in K]: RequestHandler<N> };
