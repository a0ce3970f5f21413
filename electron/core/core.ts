/**
 * The core: feed client → aggregation → store, and the request/push surface the UI uses.
 * Plain Node, no Electron: the desktop app runs it in a utility process, browser mode and the
 * `lcr` command line run it in-process, and the tests drive it directly. One core, three hosts.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { FeedClient, redact, type FeedTiming } from './feed/client.ts';
import { readSavedSettings, writeSavedSettings, settingSources } from './settings.ts';
import { openDatabase, dailyBackup, type DB } from './store/db.ts';
import { StoreReader } from './store/reader.ts';
import { WriteQueue } from './store/write-queue.ts';
import type { EventRow, SessionRow } from './store/writer.ts';
import { Simulator } from './sim/simulator.ts';
import { savedSettingsProblem, sourceConfigOf, type Config } from './config.ts';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import { KpiHistory } from '../../shared/metrics/kpi-history.ts';
import type { SessionMetrics } from '../../shared/metrics/types.ts';
import { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { AlertLog } from './alerts/log.ts';
import { DemandCounter } from '../../shared/comments/demand.ts';
import { SuggestService } from './suggest/service.ts';
import { AppPins } from './suggest/pin-undo.ts';
import { boardFigures } from '../../shared/suggest/board.ts';
import { AdService } from './ads/service.ts';
import { DEFAULT_ECONOMICS, economicsEdits, learnedRefundRate, type EconomicsChange, type RoomEconomics } from '../../shared/ads/economics.ts';
import type { AdActionRecord } from '../../shared/ads/console.ts';
import type { Decision } from '../../shared/suggest/live.ts';
import type { LearnedPriors } from '../../shared/suggest/types.ts';
import { isKnown, type CommandAck, type FeedCommand, type FeedEvent, type RoomInfo, type KnownFeedEvent } from '../../shared/protocol.ts';
import type { SettingsView } from '../../shared/contract.ts';
import { sourceProblemLine } from '../../shared/i18n/source-messages.ts';
import {
  DEFAULT_TARGETS,
  RequestSchemas,
  isRequestName,
  sessionInfo,
  type Alert,
  type ConnectionState,
  type Diagnostics,
  type FeedGap,
  type ProcessVitals,
  type Push,
  type StoreHealth,
  type Reply,
  type RequestArgs,
  type RequestHandler as Handler,
  type RequestHandlers as Handlers,
  type RequestName,
  type RequestResult,
  type RoomDetail,
  type RoomTargets,
  type RoomView,
  type RunOfShowView,
  type SessionMarker,
} from '../../shared/contract.ts';
import type { PlanItem } from '../../shared/suggest/plan.ts';
import { PlanTableError, readPlanBytes } from './suggest/plan-file.ts';
import { RetroCollector } from '../../shared/retro/extras.ts';
import { RetroService } from './retro/service.ts';
import { RunOfShowBook } from './suggest/run-of-show.ts';
import { importTablesRequest } from './imports/request.ts';
import { SourceHub, planRooms, type SourceConfig } from './sources/hub.ts';
import { EpochOverlap, OVERLAP_SKEW_MS } from './feed/overlap.ts';
import { probeSource } from './sources/probe.ts';
import { MAX_AHEAD_OF_NOW_MS, minuteIndex, outsideSessionWindow } from '../../shared/metrics/window.ts';
import type { SourceState } from './sources/common.ts';

export interface CoreOptions {
  dataDir: string;
  /** A relay to use; without it (and without `source`) the embedded simulator runs. */
  feedUrl?: string;
  /** F3: a real source (TikTok-Chat-Reader, douyinLive, DouyinBarrageGrab, replay) instead of a relay. */
  source?: SourceConfig;
  feedToken?: string;
  rooms?: string[];
  scenarioFiles?: string[];
  speed?: number;
  seed?: string;
  /** UI push interval; the guide's 4–10 pushes a second. */
  pushIntervalMs?: number;
  rollupIntervalMs?: number;
  /** Skip the daily backup (benchmarks). */
  noBackup?: boolean;
  /** SQLite's max_page_count for the store: a disk-size cap (tests fill the "disk" with it). */
  storeMaxPages?: number;
  /** Rows waiting for a failing store beyond which the feed pauses (default STORE_BACKLOG_PAUSE). */
  storeBacklogPause?: number;
  /** The feed client's waits (tests shorten them). */
  feedTiming?: Partial<FeedTiming>;
  log?: (line: string) => void;
}

interface LiveSession {
  row: SessionRow;
  agg: SessionAggregator;
  /** Newest source ts seen: the live window's end (a sped-up simulator runs ahead of the wall clock). */
  lastTs: number;
  /** Lowest minute changed since the last UI push / rollup write. */
  pushFrom: number | null;
  rollupFrom: number | null;
  productsDirty: boolean;
  rollupDirty: boolean;
  /** The last minute index sent / written: it keeps changing as the window moves on, even without events in it. */
  pushedLast: number;
  rolledLast: number;
  resetPending: boolean;
  /** L4: the session's alert rules, evaluated at most once a second. */
  evaluator: AlertEvaluator;
  /** L5: demand signals from comments, fed on ingest. */
  demand: DemandCounter;
  /** The product pinned as of the newest pin event received: whom a demand word is about. */
  pinned: string | null;
  /** Events arrived (or targets changed) since the last alert evaluation. */
  evalDirty: boolean;
  /** Source time the alert rules were last judged at (null: not yet). */
  lastEvalTs: number | null;
  /** A stock figure changed since the last evaluation: lowStock needs fresh product rows. */
  stockDirty: boolean;
  /** The demand counter's version last pushed. */
  demandPushed: number;
  /** R3–R5: what the retrospective needs beyond the metrics (traffic by source per minute, markers …), stored with the rollups. */
  retro: RetroCollector;
  /** S1–S3, S5, S6: rotation suggestions, computed at most once a second. */
  suggest: SuggestService;
  /** Platform markers (秒杀, 福袋 …) in source-time order, for the chart; pushed whole when one is added. */
  markers: SessionMarker[];
  markersDirty: boolean;
  /** A1–A4: the ad console, computed at most once a second (with or without a screen: the break-even alert needs it). */
  ads: AdService;
  /** The break-even ROI the alert rules last got from the console. */
  breakEvenRoi: number | null;
  /** KPIs of the last two show-minutes, for a screen that opens the room: its changes over the last minute at once. */
  kpiHistory: KpiHistory;
  /** The pinned product the last room push said. */
  pushedPinned: string | null;
  /** The last pin this app sent in the show, until it is undone or another pin follows (pin-undo.ts). */
  appPins: AppPins;
  /** The wall's online curve (minute averages, bucketed), and when it was last built (wall clock). */
  curve: Array<number | null>;
  curveAt: number;
  /** Titles from the latest catalog: the wall names the product being explained. */
  titles: Map<string, string>;
}

interface LiveRoom {
  roomId: string;
  info: RoomInfo | null;
  session: LiveSession | null;
  epoch: number;
  lastSeq: number;
  /** The relay restarted its numbering: this epoch's first events are matched against the store. */
  overlapPending: number | null;
  /** Wall clock of the room's last event in this run: a screen tells a quiet room by it. */
  lastEventAt: number | null;
  overlap: EpochOverlap | null;
}

const EMBEDDED_FEED = 'embedded';
/** Points of a room's online curve on the wall. */
const WALL_POINTS = 60;
/** Gaps kept for the diagnostics (the store keeps all). */
const GAP_LIST_LIMIT = 200;
/** Rows waiting for a failing store beyond which the feed stops taking events (a few minutes of a big room). */
const STORE_BACKLOG_PAUSE = 200_000;
/** Markers kept per session (the newest): a relay flooding them must not grow every push. */
const MARKER_LIMIT = 500;
/** Show time between two judgements of the alert rules, and the most caught up in one tick. */
const ALERT_STEP_MS = 15_000;
const ALERT_MAX_STEPS = 8;

/** The core as CONTRACTS.md's environment configures it (browser mode, the Electron utility process). */
export function coreOptionsFrom(config: Config, log: (line: string) => void): CoreOptions {
  return {
    dataDir: config.dataDir,
    feedUrl: config.feedUrl,
    feedToken: config.feedToken,
    rooms: config.rooms,
    scenarioFiles: config.scenarioFiles,
    speed: config.speed,
    seed: config.seed,
    source: sourceConfigOf(config),
    log,
  };
}

export class Core {
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly listeners = new Set<(p: Push) => void>();
  private readonly quarantineCounts = new Map<string, number>();
  /** L4: the alerts the desks see and their acknowledgements. */
  private alerts!: AlertLog;
  /** Targets per room as last set or read from the store. */
  private readonly targets = new Map<string, RoomTargets>();
  /** S4: each room's run-of-show as stored (null: none), read once from the store. */
  /** What the newest show of each room taught in this run (the store's copy trails the write queue). */
  private readonly learned = new Map<string, { sessionId: string; startedAt: number; priors: LearnedPriors }>();
  /** Suggestions whose accept is on its way to the relay: a second click must not send it twice. */
  private readonly accepting = new Set<string>();
  /** A2: each room's economics as last set or read from the store. */
  private readonly economics = new Map<string, RoomEconomics>();
  /** Ad plans (room|plan) with a command on its way to the relay: one at a time. */
  private readonly adSending = new Set<string>();
  private feed!: FeedClient;
  private sim: Simulator | null = null;
  /** F3: the real sources' bridge, when the app follows real rooms. */
  private hub: SourceHub | null = null;
  private queue!: WriteQueue;
  private db!: DB;
  private reader!: StoreReader;
  private retro!: RetroService;
  private plans!: RunOfShowBook;
  private feedKey = EMBEDDED_FEED;
  private pushTimer: NodeJS.Timeout | null = null;
  private rollupTimer: NodeJS.Timeout | null = null;
  private lastProductsPush = 0;
  private writeErrors = 0;
  private connectionDirty = false;
  private endedWaiters: Array<() => void> = [];
  private readonly gaps: FeedGap[] = [];
  private internalErrors = 0;
  private readonly internalErrorsSeen = new Set<string>();
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private loopDelayLastMinute: ProcessVitals['loopDelayMs'] = null;
  private loopTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(private readonly opts: CoreOptions) {}

  static async start(opts: CoreOptions): Promise<Core> {
    const core = new Core(opts);
    await core.init();
    return core;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** Last problem logged per source, so a state change is logged once, not on every callback. */
  private readonly sourceProblems = new Map<string, string>();

  /** A source that cannot serve its room says so in the log, in words (zh, then en). */
  private logSourceProblems(states: SourceState[]): void {
    for (const s of states) {
      const key = `${s.source} ${s.target}`;
      const now = s.problem ? `${s.problem}|${s.status}` : '';
      if ((this.sourceProblems.get(key) ?? '') === now) continue;
      this.sourceProblems.set(key, now);
      if (!s.problem) continue;
      const retry = s.retryAt !== null ? ` (retry in ${Math.max(0, Math.round((s.retryAt - Date.now()) / 1000))} s)` : '';
      this.log(`source ${key}: ${sourceProblemLine(s.problem, s.error)}${retry}`);
    }
  }

  private async init(): Promise<void> {
    const o = this.opts;
    // A source configured without what it needs fails here, before the store or a thread is opened.
    if (o.source) planRooms(o.source);
    this.db = openDatabase(o.dataDir);
    this.reader = new StoreReader(this.db);
    this.queue = await WriteQueue.open(o.dataDir, {
      maxPages: o.storeMaxPages,
      onHealth: (h) => this.onStoreHealth(h),
    });

    this.alerts = new AlertLog({
      reader: this.reader,
      write: (part) => this.queue.add(part),
      emit: (a) => this.emit({ topic: 'alert', payload: a }),
      log: (line) => this.log(line),
    });
    this.retro = new RetroService({
      reader: this.reader,
      dataDir: o.dataDir,
      write: (part) => this.queue.add(part),
      settle: () => this.settleForRead(),
      isRecording: (id) => this.isRecording(id),
      commit: () => this.commitWrites(),
      operatorName: () => this.operator().byName,
    });
    this.plans = new RunOfShowBook({ reader: this.reader, write: (part) => this.queue.add(part) });

    let url = o.feedUrl;
    let token = o.feedToken;
    if (o.source) {
      // Real rooms: the adapters drive a relay on loopback (one-off token), and the FeedClient
      // follows it like any relay — resume, quarantine and the store work unchanged.
      token = randomBytes(16).toString('hex');
      this.hub = await SourceHub.start(o.source, {
        token,
        onState: (states) => {
          this.connectionDirty = true;
          this.logSourceProblems(states);
        },
        onQuarantine: (q) => this.quarantine({ roomId: null, seq: null, reason: `${q.source}: ${q.reason}`, raw: q.raw }),
      });
      url = this.hub.url;
      // The key the store's cursors and open sessions hang on: the source, not the one-off relay.
      this.feedKey = `source:${o.source.kind}:${o.source.kind === 'replay' ? o.source.address : feedIdentity(o.source.address)}`;
    } else if (!url) {
      // The embedded simulator: a real relay on loopback with a one-off token.
      token = randomBytes(16).toString('hex');
      this.sim = await Simulator.start({ scenarioFiles: o.scenarioFiles ?? [], speed: o.speed, seed: o.seed, token });
      url = this.sim.url;
      this.feedKey = EMBEDDED_FEED;
    } else {
      this.feedKey = feedIdentity(url);
    }

    this.rehydrate();
    const cursors = this.reader.cursors(this.feedKey);
    for (const [roomId, c] of cursors) {
      const room = this.room(roomId);
      room.epoch = c.epoch;
      room.lastSeq = c.lastSeq;
    }

    this.feed = new FeedClient({
      url,
      token,
      // With real sources the rooms were chosen when the hub opened them (ids as the hub names them).
      rooms: this.hub ? undefined : o.rooms,
      cursors,
      onEvents: (roomId, epoch, events, lastSeq) => this.ingest(roomId, epoch, events, lastSeq),
      onQuarantine: (q) => this.quarantine(q),
      onRooms: (infos) => {
        for (const info of infos) {
          const room = this.room(info.roomId);
          room.info = info;
          this.closeIfOver(room);
        }
        this.broadcastRooms();
      },
      onState: () => {
        this.connectionDirty = true;
      },
      timing: o.feedTiming,
      onGap: (g) => this.recordGap(g),
      onEpoch: (roomId, epoch) => this.prepareForEpoch(roomId, epoch),
    });
    this.feed.start();
    // SQLite's online backup copies in steps between our writes; a failure is reported, never fatal.
    if (!o.noBackup) {
      void dailyBackup(this.db, o.dataDir).then(
        (f) => f && this.log(`backup: ${f}`),
        (e: unknown) => this.log(`backup failed: ${String(e)}`),
      );
    }
    this.loopDelay.enable();
    this.loopTimer = setInterval(() => {
      const h = this.loopDelay;
      this.loopDelayLastMinute = { p50: round1(h.percentile(50) / 1e6), p99: round1(h.percentile(99) / 1e6), max: round1(h.max / 1e6) };
      h.reset();
    }, 60_000);
    this.loopTimer.unref();
    this.pushTimer = setInterval(() => this.guard('pushing updates', () => this.pushUpdates()), o.pushIntervalMs ?? 250);
    this.rollupTimer = setInterval(() => this.guard('writing rollups', () => this.writeRollups()), o.rollupIntervalMs ?? 2000);
  }

  /** Sessions that were live when the app last stopped (or crashed) continue where the store left off. */
  private rehydrate(): void {
    for (const s of this.reader.openSessions(this.feedKey)) {
      const room = this.room(s.roomId);
      // The newest session of the room is the live one; an older open one was interrupted for good.
      if (room.session && room.session.row.startedAt > s.startedAt) continue;
      const live = this.liveSession({ ...s }, new SessionAggregator(s.startedAt), s.startedAt);
      for (const e of this.reader.knownEvents(s.sessionId, s.startedAt)) {
        this.guard(`rehydrating ${s.sessionId}`, () => {
          live.agg.ingest(e);
          this.observe(live, e);
        });
        if (e.ts > live.lastTs) live.lastTs = e.ts;
      }
      // The ad console's log and its marks, as stored.
      for (const a of this.reader.adActions({ sessionId: s.sessionId })) this.noteAdAction(live, a);
      for (const c of this.reader.economicsChanges({ sessionId: s.sessionId })) live.ads.addEconomicsChange(c);
      // The evaluator starts fresh; what it already raised counts as raised (no repeat while it holds).
      const stored = this.reader.alerts({ sessionId: s.sessionId });
      live.evaluator.restore(stored);
      this.alerts.restore(stored);
      room.session = live;
    }
  }

  private liveSession(row: SessionRow, agg: SessionAggregator, lastTs: number): LiveSession {
    return {
      row,
      agg,
      lastTs,
      pushFrom: 0,
      rollupFrom: 0,
      productsDirty: true,
      rollupDirty: true,
      resetPending: true,
      pushedLast: 0,
      rolledLast: 0,
      evaluator: new AlertEvaluator(row.roomId, row.sessionId, this.targetsFor(row.roomId)),
      demand: new DemandCounter(),
      pinned: null,
      evalDirty: true,
      lastEvalTs: null,
      stockDirty: true,
      demandPushed: -1,
      retro: new RetroCollector(row.startedAt),
      suggest: this.suggestServiceFor(row),
      markers: [],
      markersDirty: true,
      ads: this.adServiceFor(row),
      breakEvenRoi: null,
      kpiHistory: new KpiHistory(),
      pushedPinned: null,
      appPins: new AppPins(row.roomId, row.sessionId),
      curve: [],
      curveAt: 0,
      titles: new Map(),
    };
  }

  private room(roomId: string): LiveRoom {
    let r = this.rooms.get(roomId);
    if (!r) {
      r = { roomId, info: null, session: null, epoch: 0, lastSeq: 0, overlapPending: null, overlap: null, lastEventAt: null };
      this.rooms.set(roomId, r);
    }
    return r;
  }

  // ---- ingest: the hot path ------------------------------------------------------------------

  private ingest(roomId: string, epoch: number, events: FeedEvent[], lastSeq: number): void {
    const room = this.room(roomId);
    room.epoch = epoch;
    room.lastSeq = lastSeq;
    const rows: EventRow[] = [];
    const sessions: SessionRow[] = [];
    const wallNow = Date.now();
    if (events.length) room.lastEventAt = wallNow;
    if (room.overlapPending === epoch && events.length) {
      room.overlapPending = null;
      room.overlap = this.loadOverlap(room, events);
    }
    for (const e of events) {
      if (room.overlap) {
        if (room.overlap.seen(e)) continue;
        if (room.overlap.done(e.ts)) room.overlap = null;
      }
      const outside = this.outsideWindow(room, e, wallNow);
      if (outside) {
        this.quarantine({ roomId, seq: e.seq, reason: `${e.type}: ${outside}`, raw: e });
        continue;
      }
      let s = room.session;
      if (e.type === 'session' && !('unknown' in e) && e.status === 'live' && (!s || s.row.startedAt !== e.startedAt)) {
        if (s && s.row.endedAt === null) {
          // A new broadcast began without the old one's end: close it where its data stops.
          s.row.endedAt = s.lastTs;
          s.row.endReason = 'interrupted';
          s.agg.end(s.lastTs);
          this.saveLearned(s, true);
          this.flushRollup(s);
          sessions.push({ ...s.row });
        }
        s = room.session = this.newSession(room, e.startedAt, e.title, e.seq, epoch);
      } else if (!s) {
        // A relay that never says when the show started: the first event opens the session.
        s = room.session = this.newSession(room, e.ts, undefined, e.seq, epoch);
      }
      if (isKnown(e)) this.applySafely(s, e);
      if (e.ts > s.lastTs) s.lastTs = e.ts;
      s.row.lastSeq = e.seq;
      rows.push({ feed: this.feedKey, roomId, epoch, seq: e.seq, sessionId: s.row.sessionId, ts: e.ts, type: e.type, body: JSON.stringify(e) });
    }
    if (room.session && (rows.length || sessions.length)) sessions.push({ ...room.session.row });
    this.queue.add({ events: rows, sessions, cursors: [{ feed: this.feedKey, roomId, epoch, lastSeq }] });
    if (this.queue.failing && this.queue.backlogRows > (this.opts.storeBacklogPause ?? STORE_BACKLOG_PAUSE)) this.onStoreHealth(this.queue.health);
    if (rows.length && room.session?.row.endedAt !== null) this.checkEnded();
  }

  /** Why an event's `ts` cannot be placed (null when it can): outside its session's window, or days ahead of the clock. */
  private outsideWindow(room: LiveRoom, e: FeedEvent, wallNow: number): string | null {
    if (e.ts > wallNow + MAX_AHEAD_OF_NOW_MS) return `ts ${e.ts} is days ahead of this machine's clock`;
    const s = room.session;
    // A new broadcast's own start, or the first event of a room, opens the window itself.
    if (!s || (e.type === 'session' && !('unknown' in e) && e.status === 'live' && s.row.startedAt !== e.startedAt)) return null;
    return outsideSessionWindow(e.ts, s.row.startedAt);
  }

  /**
   * The relay restarted its numbering for a room: whatever it sends again of the live session
   * must not be counted twice. Everything queued is put on disk first, so the store is complete
   * when the new epoch's first events are matched against it.
   */
  private async prepareForEpoch(roomId: string, epoch: number): Promise<void> {
    const room = this.room(roomId);
    this.log(`feed: ${roomId} restarted its numbering (epoch ${epoch}); events already stored will be recognised`);
    await this.queue.settled(15_000);
    room.overlapPending = epoch;
    room.overlap = null;
  }

  private loadOverlap(room: LiveRoom, events: FeedEvent[]): EpochOverlap | null {
    const s = room.session;
    if (!s) return null;
    const first = Math.min(...events.map((e) => e.ts));
    try {
      const o = new EpochOverlap(this.reader.eventBodiesSince(s.row.sessionId, first - OVERLAP_SKEW_MS));
      return o.size ? o : null;
    } catch (e) {
      this.log(`feed: could not read the stored events of ${s.row.sessionId} to match a restarted relay: ${String(e)}`);
      return null;
    }
  }

  /** A hole given up for good: stored with the session it fell in, listed in the diagnostics and the report. */
  private recordGap(g: FeedGap): void {
    this.gaps.push(g);
    if (this.gaps.length > GAP_LIST_LIMIT) this.gaps.splice(0, this.gaps.length - GAP_LIST_LIMIT);
    this.log(`feed: gave up seq ${g.fromSeq}–${g.toSeq} of ${g.roomId} (${g.reason})`);
    // Filed under the show it fell in; one between shows (or before the first) goes to the next show (reader.gaps).
    const s = this.rooms.get(g.roomId)?.session;
    this.queue.add({ gaps: [{ ...g, feed: this.feedKey, sessionId: s && s.row.endedAt === null ? s.row.sessionId : null }] });
    this.connectionDirty = true;
  }

  /**
   * The store failed (or recovered). While it fails the live screen keeps running on what is in
   * memory; once the unwritten backlog grows too big the feed stops taking events (the relay keeps
   * them) and takes them again when the store has caught up.
   */
  private onStoreHealth(h: StoreHealth): void {
    if (!h.ok) {
      if (h.retries === 1) {
        this.writeErrors++;
        this.log(`store: cannot write (${h.code ?? 'error'}): ${h.error}; nothing is dropped, retrying`);
      }
      if (h.pendingRows > (this.opts.storeBacklogPause ?? STORE_BACKLOG_PAUSE) && !this.feed.isPaused) {
        this.log(`store: ${h.pendingRows} rows waiting; the feed pauses until they are written`);
        this.feed.pause(`paused: the store cannot write (${h.code ?? 'error'})`);
      }
    } else {
      this.log('store: writing again');
      if (this.feed?.isPaused) this.feed.resume();
    }
    this.connectionDirty = true;
  }

  /** Reads want what is on disk: wait for the queue while the store works, not while it fails. */
  private async settleForRead(): Promise<void> {
    await this.queue.settled(5_000);
  }

  /** A write the operator asked for (a note, an import): on disk, or a clear error that says so. */
  private async commitWrites(): Promise<void> {
    if (await this.queue.settled(10_000)) return;
    const h = this.queue.health;
    throw new Error(`the store cannot write right now (${h.code ?? 'timeout'}: ${h.error ?? 'still writing'}); it is kept and written once the store works again`);
  }

  /**
   * A show resumed from the store after a restart whose room the relay now shows ended, or live
   * with another broadcast: the rest of it was never seen, so it is closed where its data stops
   * and marked interrupted — never left 直播中. A relay that shows the same broadcast live resumes it.
   */
  private closeIfOver(room: LiveRoom): void {
    const s = room.session;
    const info = room.info;
    if (!s || !info || s.row.endedAt !== null) return;
    const over = info.status === 'ended' || (info.status === 'live' && info.startedAt !== null && info.startedAt !== s.row.startedAt);
    if (!over) return;
    s.row.endedAt = s.lastTs;
    s.row.endReason = 'interrupted';
    this.guard(`closing ${s.row.sessionId}`, () => {
      s.agg.end(s.lastTs);
      this.saveLearned(s, true);
      this.flushRollup(s);
    });
    this.queue.add({ sessions: [{ ...s.row }] });
    this.log(`session ${s.row.sessionId}: the relay shows ${info.status === 'ended' ? 'the room ended' : 'a new broadcast'}; closed as interrupted at its last event`);
    this.checkEnded();
  }

  /** Whether the running app is recording this show now (a live session of a followed room). */
  isRecording(sessionId: string): boolean {
    for (const r of this.rooms.values()) if (r.session?.row.sessionId === sessionId) return r.session.row.endedAt === null;
    return false;
  }

  private newSession(room: LiveRoom, startedAt: number, title: string | undefined, firstSeq: number, epoch: number): LiveSession {
    const row: SessionRow = {
      sessionId: `${room.roomId}@${startedAt}`,
      roomId: room.roomId,
      platform: room.info?.platform ?? 'unknown',
      title: title ?? room.info?.title ?? room.roomId,
      startedAt,
      endedAt: null,
      feed: this.feedKey,
      epoch,
      firstSeq,
      lastSeq: firstSeq,
    };
    return this.liveSession(row, new SessionAggregator(startedAt), startedAt);
  }

  /**
   * A valid event that trips a bug in the figures must not end the core or lose the event: it is
   * stored like any other (the store equals the relay's stream), the error is logged and counted.
   */
  private applySafely(s: LiveSession, e: KnownFeedEvent): void {
    this.guard(`${e.type} event ${e.seq} of ${s.row.roomId}`, () => this.apply(s, e));
  }

  /** Runs `fn`; an exception is logged (once per message) and counted in the diagnostics, never thrown. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.internalErrors++;
      const msg = err instanceof Error ? err.message : String(err);
      if (!this.internalErrorsSeen.has(msg)) {
        if (this.internalErrorsSeen.size < 100) this.internalErrorsSeen.add(msg);
        this.log(`internal error in ${what}: ${err instanceof Error ? (err.stack ?? msg) : msg}`);
      }
    }
  }

  private apply(s: LiveSession, e: KnownFeedEvent): void {
    s.agg.ingest(e);
    this.observe(s, e);
    const minute = minuteAt(s, e.ts);
    s.pushFrom = s.pushFrom === null ? minute : Math.min(s.pushFrom, minute);
    s.rollupFrom = s.rollupFrom === null ? minute : Math.min(s.rollupFrom, minute);
    s.productsDirty = true;
    s.rollupDirty = true;
    if (e.type === 'session' && e.status === 'ended') {
      s.row.endedAt = e.ts;
      if (e.title) s.row.title = e.title;
      this.saveLearned(s, true);
    }
  }

  /** What the alert rules and demand signals take from an event besides the aggregator's figures; O(1) but for comments (a few substring scans). */
  private observe(s: LiveSession, e: KnownFeedEvent): void {
    s.evalDirty = true;
    s.retro.ingest(e);
    s.suggest.observe(e);
    s.ads.observe(e);
    switch (e.type) {
      case 'comment':
        s.demand.add({ ts: e.ts, text: e.text, nickname: e.nickname ?? null }, minuteAt(s, e.ts), s.pinned);
        return;
      case 'pin':
        s.pinned = e.productId;
        return;
      case 'marker':
        addMarker(s.markers, { seq: e.seq, ts: e.ts, minute: minuteAt(s, e.ts), kind: e.kind, text: e.text ? clip(e.text, 300) : null });
        s.markersDirty = true;
        return;
      case 'catalog':
        s.demand.setCatalog(e.products);
        for (const p of e.products) s.titles.set(p.id, p.title);
        for (const p of e.products) if (p.stock !== undefined) s.evaluator.observeStock(p.id, p.stock);
        s.stockDirty = true;
        return;
      case 'product':
        if (e.stock !== undefined) s.evaluator.observeStock(e.productId, e.stock);
        if (e.stock !== undefined || e.soldOut !== undefined) s.stockDirty = true;
        return;
      default:
        return;
    }
  }

  private quarantine(q: { roomId: string | null; seq: number | null; reason: string; raw: unknown }): void {
    this.quarantineCounts.set(q.reason, (this.quarantineCounts.get(q.reason) ?? 0) + 1);
    let raw: string;
    try {
      raw = JSON.stringify(q.raw) ?? 'undefined';
    } catch {
      raw = String(q.raw);
    }
    this.queue.add({
      quarantine: [
        {
          receivedAt: Date.now(),
          feed: this.feedKey,
          roomId: q.roomId,
          sessionId: q.roomId ? (this.rooms.get(q.roomId)?.session?.row.sessionId ?? null) : null,
          seq: q.seq,
          reason: q.reason,
          raw: raw.length > 20_000 ? raw.slice(0, 20_000) + '…' : raw,
        },
      ],
    });
  }

  // ---- pushes and rollups -------------------------------------------------------------------

  private pushUpdates(): void {
    const now = Date.now();
    const withProducts = now - this.lastProductsPush >= 1000;
    if (withProducts) this.lastProductsPush = now;
    for (const room of this.rooms.values()) {
      const s = room.session;
      if (!s) continue;
      const end = s.row.endedAt ?? s.lastTs;
      // At most one full snapshot per room per second, shared by the stock rule and the product push.
      let snap: SessionMetrics | null = null;
      const snapshot = (): SessionMetrics => (snap ??= s.agg.snapshot(end));
      if (withProducts) {
        s.kpiHistory.add(end, s.agg.live(end, Number.MAX_SAFE_INTEGER).kpis);
        // The ad console first: it gives the alert rules the break-even ROI.
        this.tickAds(room.roomId, s, end, snapshot, now);
        // Alerts are evaluated (and stored) with or without a UI attached.
        if (s.evalDirty) this.evaluateAlerts(s, end, snapshot);
        if (this.listeners.size && s.demand.version !== s.demandPushed) {
          s.demandPushed = s.demand.version;
          this.emit({ topic: 'demand', payload: { roomId: room.roomId, demand: s.demand.summary(minuteAt(s, end)) } });
        }
      }
      if (this.listeners.size) this.pushSuggestions(room.roomId, s, now, false, snapshot);
      // Product figures changed by the last events of a burst that landed between two once-a-second
      // passes are pushed at the next one, not only when another event happens to arrive.
      const productsDue = withProducts && s.productsDirty;
      if ((s.pushFrom === null && !productsDue) || !this.listeners.size) continue;
      const from = s.resetPending ? 0 : Math.min(s.pushFrom ?? s.pushedLast, s.pushedLast);
      const live = s.agg.live(end, from);
      s.pushedLast = live.minutes.at(-1)?.minute ?? s.pushedLast;
      const pinnedProductId = s.agg.pinnedAt(end);
      const payload: Push = {
        topic: 'room',
        payload: {
          roomId: room.roomId,
          view: this.view(room, live.kpis),
          minutes: live.minutes,
          reset: s.resetPending,
          pinnedProductId,
        },
      };
      // A new pin comes with its segment in the same push: the board's 讲解中 and the segment card
      // change together (the card said nothing was explained until the next once-a-second push).
      const pinChanged = pinnedProductId !== s.pushedPinned;
      s.pushedPinned = pinnedProductId;
      if ((withProducts && s.productsDirty) || pinChanged) {
        const sn = snapshot();
        payload.payload.products = sn.products;
        payload.payload.segments = sn.segments;
        s.productsDirty = false;
      }
      if (s.markersDirty || s.resetPending) {
        payload.payload.markers = [...s.markers];
        s.markersDirty = false;
      }
      s.pushFrom = null;
      s.resetPending = false;
      this.emit(payload);
    }
    if (this.connectionDirty) {
      this.connectionDirty = false;
      this.emit({ topic: 'connection', payload: this.connection });
    }
    if (withProducts && this.listeners.size) this.emit({ topic: 'heartbeat', payload: { at: now } });
  }

  /**
   * The rules' windows and minimum durations are in show time, so they are judged every
   * ALERT_STEP_MS of show time, however fast the show plays or however late this tick comes (a
   * sped-up or loaded core ticks once per show-minute or less, and would step over a 30 s hold).
   */
  private evaluateAlerts(s: LiveSession, end: number, snapshot: () => SessionMetrics): void {
    s.evalDirty = false;
    const at: number[] = [];
    for (let t = (s.lastEvalTs ?? end) + ALERT_STEP_MS; t < end && at.length < ALERT_MAX_STEPS; t += ALERT_STEP_MS) at.push(t);
    at.push(end);
    for (const t of at) {
      const live = s.agg.live(t, s.evaluator.fromMinute(minuteAt(s, t)));
      const products = t === end && s.stockDirty ? snapshot().products : null;
      const fresh = s.evaluator.evaluate({ ts: t, minutes: live.minutes, kpis: live.kpis, products });
      this.alerts.raised(fresh.map((a) => ({ ...a, showTitle: s.row.title })));
    }
    s.stockDirty = false;
    s.lastEvalTs = end;
  }

  // ---- ad console (A1–A4) ------------------------------------------------------------------------

  private adServiceFor(row: SessionRow): AdService {
    let learned = null;
    try {
      learned = learnedRefundRate(this.reader.refundHistory(row.roomId, row.startedAt));
    } catch (e) {
      this.log(`ads: refund history of ${row.roomId} unreadable: ${String(e)}`);
    }
    return new AdService({
      roomId: row.roomId,
      sessionId: row.sessionId,
      startedAt: row.startedAt,
      economics: this.economicsFor(row.roomId),
      learned,
      targetRoi: this.targetsFor(row.roomId).roi,
      commandsSupported: this.sim !== null,
    });
  }

  private economicsFor(roomId: string): RoomEconomics {
    let e = this.economics.get(roomId);
    if (!e) {
      e = this.reader.economics(roomId) ?? { ...DEFAULT_ECONOMICS, costOverrides: {} };
      this.economics.set(roomId, e);
    }
    return e;
  }

  /** A2: new economics for a room; a change that changes something goes into the action log with the break-even it moved. */
  private setEconomics(roomId: string, economics: RoomEconomics): RoomEconomics {
    const before = this.economicsFor(roomId);
    const e: RoomEconomics = { ...economics, costOverrides: { ...economics.costOverrides } };
    const at = Date.now();
    this.economics.set(roomId, e);
    this.queue.add({ economics: [{ roomId, economics: e, updatedAt: at }] });
    const s = this.rooms.get(roomId)?.session;
    const tick = () => s && this.tickAds(roomId, s, s.row.endedAt ?? s.lastTs, () => s.agg.snapshot(s.row.endedAt ?? s.lastTs), Date.now(), true);
    const breakEvenBefore = s?.ads.current()?.economics.breakEvenRoi ?? null;
    s?.ads.setEconomics(e);
    tick();
    if (economicsEdits(before, e).length) {
      const live = s && s.row.endedAt === null ? s : null;
      const change: EconomicsChange = { id: `${roomId}|econ|${at}|${randomBytes(3).toString('hex')}`, roomId, sessionId: live?.row.sessionId ?? null, ts: live?.lastTs ?? null, at, before, after: e, breakEvenBefore, breakEvenAfter: s?.ads.current()?.economics.breakEvenRoi ?? null, ...this.operator() };
      this.queue.add({ economicsChanges: [change] });
      if (live) {
        live.ads.addEconomicsChange(change);
        tick();
      }
    }
    return e;
  }

  /** Recomputes a room's ad console (at most once a second); a new break-even goes to the KPIs and the alert rules. */
  private tickAds(roomId: string, s: LiveSession, end: number, snapshot: () => SessionMetrics, wallNow: number, force = false): void {
    let r;
    try {
      r = s.ads.tick(end, wallNow, { minutes: () => snapshot().minutes, products: () => snapshot().products }, force);
    } catch (e) {
      this.log(`ads: ${roomId}: ${String(e)}`);
      return;
    }
    if (!r) return;
    // The alert rules judge ROI against it; the KPIs keep METRICS.md's settings-only figure, so a
    // report read from the rollups stays identical to one recomputed from the events.
    if (r.breakEvenRoi !== s.breakEvenRoi) {
      s.breakEvenRoi = r.breakEvenRoi;
      s.evaluator.setBreakEvenRoi(r.breakEvenRoi);
      s.evalDirty = true;
    }
    if (this.listeners.size) this.emit({ topic: 'ads', payload: { roomId, ads: r.view } });
  }

  /** An acknowledged (or restored) ad action: into the console's log and onto the charts as a mark. */
  private noteAdAction(s: LiveSession, a: AdActionRecord): void {
    s.ads.addAction(a);
    const { planId, type, before, after, byName, byRole, reason, source } = a;
    addMarker(s.markers, { seq: -s.ads.actionCount, ts: a.ts, minute: minuteAt(s, a.ts), kind: 'ad', text: null, ad: { planId, type, before, after, byName, byRole, reason, source } });
    s.markersDirty = true;
  }

  /**
   * A4: sends adBudget / adPause / adResume through the feed's command path; only once the relay
   * acknowledged it is the action logged (who from the settings, the budget before and after, why,
   * and whether it followed the advice), drawn on the charts and the console pushed.
   */
  private async adAction(roomId: string, a: { planId: string; type: AdActionRecord['type']; budgetFenPerMin?: number; reason?: string; followedAdvice?: boolean }): Promise<AdActionRecord> {
    const s = this.rooms.get(roomId)?.session;
    if (!s || s.row.endedAt !== null) throw new Error(`no live show in ${roomId}`);
    const plan = s.ads.plan(a.planId);
    if (!plan) throw new Error(`unknown ad plan "${a.planId}" in ${roomId}`);
    let command: FeedCommand;
    if (a.type === 'adBudget') {
      if (a.budgetFenPerMin === undefined) throw new Error('adBudget needs budgetFenPerMin');
      command = { type: 'adBudget', planId: a.planId, budgetFenPerMin: a.budgetFenPerMin };
    } else command = { type: a.type, planId: a.planId };
    const key = `${roomId}|${a.planId}`;
    if (this.adSending.has(key)) throw new Error('a command for this plan is already on its way');
    const before = plan.budgetFenPerMin;
    this.adSending.add(key);
    try {
      const ack = await this.feed.command(roomId, command);
      if (!ack.ok) throw new Error(ack.error);
    } finally {
      this.adSending.delete(key);
    }
    const at = Date.now();
    const rec: AdActionRecord = {
      id: `${s.row.sessionId}|ad|${a.planId}|${at}|${s.ads.actionCount + 1}`,
      roomId,
      sessionId: s.row.sessionId,
      ts: s.lastTs,
      at,
      planId: a.planId,
      type: a.type,
      before: a.type === 'adBudget' ? before : null,
      after: a.type === 'adBudget' ? (a.budgetFenPerMin ?? null) : null,
      ...this.operator(),
      reason: a.reason?.trim() || null,
      source: a.followedAdvice ? 'advice' : 'manual',
      result: 'ok',
    };
    this.noteAdAction(s, rec);
    this.queue.add({ adActions: [rec] });
    this.tickAds(roomId, s, s.lastTs, () => s.agg.snapshot(s.lastTs), at, true);
    return rec;
  }

  private adConsole(roomId: string) {
    const s = this.rooms.get(roomId)?.session;
    if (!s) return null;
    const end = s.row.endedAt ?? s.lastTs;
    // A request gets the figures as of now, not as of the last push.
    this.tickAds(roomId, s, end, () => s.agg.snapshot(end), Date.now(), true);
    return s.ads.current();
  }

  // ---- suggestions (S1–S3, S5, S6) ------------------------------------------------------------

  /** A new show's suggestions: priors from the room's earlier shows, and its run-of-show from the start. */
  private suggestServiceFor(row: SessionRow): SuggestService {
    const svc = new SuggestService({ roomId: row.roomId, sessionId: row.sessionId, priors: this.priorsFor(row.roomId, row.startedAt) });
    const plan = this.plans.get(row.roomId);
    if (plan?.items.length) svc.setPlan(plan.items, false);
    return svc;
  }

  // ---- run-of-show (S4) -------------------------------------------------------------------------

  private runOfShowView(roomId: string): RunOfShowView {
    const stored = this.plans.get(roomId);
    const s = this.rooms.get(roomId)?.session;
    return {
      roomId,
      items: stored?.items ?? [],
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
      live: s && !s.suggest.isEnded ? (s.suggest.current()?.runOfShow ?? null) : null,
    };
  }

  /** The live show's catalog (id, title), or null when the room has no show running. */
  private catalogOf(roomId: string): { id: string; title: string }[] | null {
    const s = this.rooms.get(roomId)?.session;
    if (!s || s.row.endedAt !== null) return null;
    return s.agg.snapshot(s.lastTs).products.map((p) => ({ id: p.productId, title: p.title ?? p.productId }));
  }

  /** Replaces the room's run-of-show; during a show its products must be in the catalog and its clock starts now. */
  private setRunOfShow(roomId: string, items: PlanItem[]): RunOfShowView {
    const row = this.plans.save(roomId, items, this.operator().byName, this.catalogOf(roomId));
    const s = this.rooms.get(roomId)?.session;
    if (s && !s.suggest.isEnded) {
      s.suggest.setPlan(row.items, true);
      this.pushSuggestions(roomId, s, Date.now(), true);
    }
    return this.runOfShowView(roomId);
  }

  /** A refused file says every problem (up to 20), in the page's language, with the product probably meant. */
  private async importRunOfShow(a: RequestArgs<'importRunOfShow'>): Promise<RunOfShowView> {
    const bytes = Buffer.from(a.dataBase64, 'base64');
    let items: PlanItem[];
    try {
      items = await readPlanBytes(bytes, a.fileName, this.catalogOf(a.roomId) ?? undefined);
    } catch (e) {
      if (e instanceof PlanTableError) throw new Error(e.text(a.locale ?? 'en'));
      throw e;
    }
    return this.setRunOfShow(a.roomId, items);
  }

  /** Recomputes a room's suggestions (at most once a second), logs the new ones as shown, pushes when they changed. */
  private pushSuggestions(roomId: string, s: LiveSession, wallNow: number, force = false, snapshot?: () => SessionMetrics): void {
    // The board's rows and the room's KPIs, so the cards quote what the board shows (read only when recomputing).
    const board = () => {
      const snap = snapshot ? snapshot() : s.agg.snapshot(s.row.endedAt ?? s.lastTs);
      return boardFigures(snap.products, snap.kpis);
    };
    const r = s.suggest.tick(s.lastTs, wallNow, force, board);
    if (!r) return;
    if (r.shown.length) {
      const who = this.operator();
      this.queue.add({ decisions: r.shown.map((d) => ({ ...d, ...who })) });
    }
    this.emit({ topic: 'suggestions', payload: { roomId, suggestions: r.live } });
  }

  /** The room's newest learned priors from an earlier show (S5): this run's, or the store's. */
  private priorsFor(roomId: string, startedAt: number): LearnedPriors | null {
    const mine = this.learned.get(roomId);
    const stored = this.reader.suggestPriors(roomId, startedAt);
    const fresh = mine && mine.startedAt < startedAt ? mine : undefined;
    if (fresh && (!stored || fresh.startedAt >= stored.startedAt)) return fresh.priors;
    return stored?.priors ?? null;
  }

  /** Stores what the show taught (at its end, and at stop for one still live: a restart resumes it). */
  private saveLearned(s: LiveSession, ended: boolean): void {
    if (s.suggest.isEnded) return;
    let priors: LearnedPriors;
    try {
      priors = s.suggest.learned(s.row.endedAt ?? s.lastTs);
    } catch (e) {
      this.log(`suggestions: learning failed for ${s.row.sessionId}: ${String(e)}`);
      return;
    }
    if (ended) {
      s.suggest.end();
      // The panel empties at once rather than at the next tick.
      if (this.listeners.size) this.pushSuggestions(s.row.roomId, s, Date.now(), true);
    }
    const row = { roomId: s.row.roomId, sessionId: s.row.sessionId, startedAt: s.row.startedAt, priors };
    const mine = this.learned.get(row.roomId);
    if (!mine || mine.startedAt <= row.startedAt) this.learned.set(row.roomId, row);
    this.queue.add({ priors: [{ ...row, updatedAt: Date.now() }] });
  }

  private operator(): { byName: string | null; byRole: string | null } {
    const saved = readSavedSettings(this.opts.dataDir);
    return { byName: saved.operatorName ?? null, byRole: saved.operatorRole ?? null };
  }

  private liveSuggestSession(roomId: string): LiveSession {
    const s = this.rooms.get(roomId)?.session;
    if (!s || s.suggest.isEnded) throw new Error(`no live show in ${roomId}`);
    return s;
  }

  /** Sends the suggestion's pin / flash command; only once the relay acknowledged it is it logged as accepted. */
  private async acceptSuggestion(roomId: string, suggestionId: string): Promise<Decision> {
    const s = this.liveSuggestSession(roomId);
    const done = s.suggest.decisionOf(suggestionId);
    if (done) return done;
    const item = s.suggest.find(suggestionId);
    if (!item) throw new Error('this suggestion is no longer shown');
    if (this.accepting.has(suggestionId)) throw new Error('already being sent');
    const command = s.suggest.commandFor(item);
    const previous = s.agg.pinnedAt(s.lastTs);
    this.accepting.add(suggestionId);
    try {
      const ack = await this.feed.command(roomId, command);
      if (!ack.ok) throw new Error(ack.error);
    } finally {
      this.accepting.delete(suggestionId);
    }
    if (command.type === 'pin') s.appPins.sent({ kind: item.kind, suggestionId, productId: command.productId, previousProductId: previous, ts: s.lastTs });
    const d = s.suggest.decide(item, 'accepted', s.lastTs, Date.now(), command, null, this.operator());
    this.queue.add({ decisions: [d] });
    this.pushSuggestions(roomId, s, Date.now(), true);
    return d;
  }

  /** A relay command from the screen; a pin it acknowledged can be undone (the product board's pins). */
  private async sendCommand(roomId: string, command: FeedCommand): Promise<CommandAck> {
    const s = this.rooms.get(roomId)?.session;
    const previous = s ? s.agg.pinnedAt(s.lastTs) : null;
    const ack = await this.feed.command(roomId, command);
    if (ack.ok && command.type === 'pin' && s && s.row.endedAt === null) s.appPins.sent({ kind: 'pin', suggestionId: null, productId: command.productId, previousProductId: previous, ts: s.lastTs });
    return ack;
  }

  /** Takes back the last pin sent from here: what was explained before is pinned again, and the decision log says so. */
  private async undoPin(roomId: string, productId: string | null): Promise<Decision> {
    const s = this.rooms.get(roomId)?.session;
    if (!s || s.row.endedAt !== null) throw new Error(`no live show in ${roomId}`);
    const pin = s.appPins.undoable(productId, s.agg.pinnedAt(s.lastTs));
    const command: FeedCommand = { type: 'pin', productId: pin.previousProductId };
    const ack = await this.feed.command(roomId, command);
    if (!ack.ok) throw new Error(ack.error);
    const d = s.appPins.undone(pin, s.lastTs, Date.now(), command, this.operator());
    this.queue.add({ decisions: [d] });
    return d;
  }

  private dismissSuggestion(roomId: string, suggestionId: string, reason: string | undefined): Decision {
    const s = this.liveSuggestSession(roomId);
    const done = s.suggest.decisionOf(suggestionId);
    if (done) return done;
    const item = s.suggest.find(suggestionId);
    if (!item) throw new Error('this suggestion is no longer shown');
    const d = s.suggest.decide(item, 'dismissed', s.lastTs, Date.now(), null, reason?.trim() || null, this.operator());
    this.queue.add({ decisions: [d] });
    this.pushSuggestions(roomId, s, Date.now(), true);
    return d;
  }

  private writeRollups(): void {
    for (const room of this.rooms.values()) if (room.session?.rollupDirty) this.flushRollup(room.session);
  }

  private flushRollup(s: LiveSession): void {
    const end = s.row.endedAt ?? s.lastTs;
    const snap = s.agg.snapshot(end);
    const from = Math.min(s.rollupFrom ?? Number.MAX_SAFE_INTEGER, s.rolledLast);
    s.rolledLast = snap.minutes.at(-1)?.minute ?? s.rolledLast;
    this.queue.add({
      rollups: [
        {
          sessionId: s.row.sessionId,
          rollupSeq: s.row.lastSeq,
          windowEnd: end,
          kpis: snap.kpis,
          minutes: snap.minutes.filter((m) => m.minute >= from),
          products: snap.products,
          segments: snap.segments,
        },
      ],
    });
    this.queue.add({ retroRollups: [{ sessionId: s.row.sessionId, rollupSeq: s.row.lastSeq, windowEnd: end, extras: s.retro.snapshot(s.demand.summary(minuteAt(s, end))) }] });
    s.rollupFrom = null;
    s.rollupDirty = false;
  }

  private view(room: LiveRoom, kpis: RoomView['kpis'] | null): RoomView {
    const s = room.session;
    return {
      roomId: room.roomId,
      platform: room.info?.platform ?? s?.row.platform ?? 'unknown',
      title: s?.row.title ?? room.info?.title ?? room.roomId,
      status: s ? (s.row.endedAt !== null ? 'ended' : 'live') : (room.info?.status ?? 'scheduled'),
      session: s ? sessionInfo(s.row) : null,
      kpis,
      windowEnd: s ? (s.row.endedAt ?? s.lastTs) : null,
      lastEventAt: room.lastEventAt,
      ...(s
        ? {
            pinned: s.pinned === null ? null : { productId: s.pinned, title: s.titles.get(s.pinned) ?? s.pinned },
            breakEvenRoi: s.breakEvenRoi,
            onlineCurve: this.curveOf(s),
            kpisMinuteAgo: s.kpiHistory.ago(s.row.endedAt ?? s.lastTs),
          }
        : {}),
      ...(this.hub && this.hub.config.kind !== 'replay' && !this.hub.config.ordersFile ? { noOrders: true } : {}),
    };
  }

  /**
   * The room's online over the whole show for the wall: minute averages in at most WALL_POINTS
   * buckets (each the bucket's highest), rebuilt at most every 10 s — a glance, not the chart.
   */
  private curveOf(s: LiveSession): Array<number | null> {
    const now = Date.now();
    if (now - s.curveAt < 10_000 && s.curve.length) return s.curve;
    s.curveAt = now;
    const minutes = s.agg.live(s.row.endedAt ?? s.lastTs, 0).minutes;
    const per = Math.max(1, Math.ceil(minutes.length / WALL_POINTS));
    const out: Array<number | null> = [];
    for (let i = 0; i < minutes.length; i += per) {
      let v: number | null = null;
      for (const m of minutes.slice(i, i + per)) if (m.onlineAvg !== null && (v === null || m.onlineAvg > v)) v = m.onlineAvg;
      out.push(v === null ? null : Math.round(v));
    }
    s.curve = out;
    return out;
  }

  private roomViews(): RoomView[] {
    return [...this.rooms.values()]
      .filter((r) => r.info || r.session)
      .map((r) => (r.session ? this.view(r, r.session.agg.live(r.session.row.endedAt ?? r.session.lastTs, Number.MAX_SAFE_INTEGER).kpis) : this.view(r, null)));
  }

  private broadcastRooms(): void {
    this.emit({ topic: 'rooms', payload: this.roomViews() });
  }

  private emit(p: Push): void {
    for (const l of this.listeners) {
      try {
        l(p);
      } catch (e) {
        this.log(`push listener failed: ${String(e)}`);
      }
    }
  }

  onPush(listener: (p: Push) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- requests ------------------------------------------------------------------------------

  /** The one entry for every UI request: validates, never throws. */
  async request(name: unknown, args: unknown): Promise<Reply<unknown>> {
    // Named safely: String() of a value nested 20,000 deep overflows the stack, a 300 kB name floods the reply.
    if (!isRequestName(name)) return { ok: false, error: `unknown request ${typeof name === 'string' ? JSON.stringify(clip(name, 100)) : `(a ${name === null ? 'null' : typeof name})`}` };
    const parsed = RequestSchemas[name].safeParse(args ?? {});
    if (!parsed.success) return { ok: false, error: `bad arguments for ${name}: ${parsed.error.issues[0]?.message ?? ''}` };
    try {
      return { ok: true, value: await this.handle(name, parsed.data) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async handle<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>> {
    const handler: Handler<N> = this.handlers[name];
    return await handler(args);
  }

  /**
   * Every request the contract names, by domain. Each map is typed by the names it answers, so
   * the merged registry is checked against the contract: a missing or unknown request does not
   * compile, and each handler gets its arguments as the contract's schema parsed them.
   */
  private readonly handlers: Handlers<RequestName> = {
    ...this.liveHandlers(),
    ...this.alertHandlers(),
    ...this.retroHandlers(),
    ...this.suggestHandlers(),
    ...this.adHandlers(),
    ...this.settingsHandlers(),
    importTables: async (a) => {
      // F4/R9: written on the core's own connection in one transaction, apart from the feed's batches (see imports/request.ts).
      await this.commitWrites();
      return await importTablesRequest(this.db, a, this.operator().byName);
    },
  };

  private liveHandlers(): Handlers<'getOverview' | 'getRoom' | 'sendCommand' | 'undoPin'> {
    return {
      getOverview: () => ({ rooms: this.roomViews(), diagnostics: this.diagnostics() }),
      getRoom: (a) => this.roomDetail(a.roomId),
      sendCommand: (a) => this.sendCommand(a.roomId, a.command),
      undoPin: (a) => this.undoPin(a.roomId, a.productId ?? null),
    };
  }

  private alertHandlers(): Handlers<'getAlerts' | 'ackAlert' | 'ackAlerts' | 'getTargets' | 'setTargets'> {
    return {
      getAlerts: (a) => this.listAlerts(a.roomId),
      ackAlert: (a) => {
        const who = this.operator();
        return this.alerts.ack(a.id, a.by !== undefined ? { ...who, byName: a.by } : who);
      },
      ackAlerts: (a) => this.alerts.ackAll(a.roomId, this.operator()),
      getTargets: (a) => ({ ...this.targetsFor(a.roomId) }),
      setTargets: (a) => this.setTargets(a.roomId, a.targets),
    };
  }

  private retroHandlers(): Handlers<'listSessions' | 'getReport' | 'compareSessions' | 'addNote' | 'deleteNote' | 'setSessionTarget' | 'exportReport' | 'revealExport'> {
    return {
      listSessions: (a) => this.retro.listSessions(a),
      getReport: (a) => this.retro.getReport(a.sessionId),
      compareSessions: (a) => this.retro.compare(a.sessionIds, a.align === 'slot' ? 'slot' : 'minute'),
      addNote: (a) => this.retro.addNote(a.sessionId, a.minute ?? null, a.text),
      deleteNote: (a) => this.retro.deleteNote(a.id),
      setSessionTarget: (a) => this.retro.setSessionTarget(a.sessionId, a.gmvFen ?? null),
      exportReport: (a) => this.retro.exportReport(a.sessionId, a.format, a.locale),
      revealExport: () => {
        // The core has no file manager: the desktop app's main process answers this one itself.
        throw new Error('showing a file in its folder works in the desktop app; in browser mode the report downloads');
      },
    };
  }

  private suggestHandlers(): Handlers<'getSuggestions' | 'acceptSuggestion' | 'dismissSuggestion' | 'getRunOfShow' | 'setRunOfShow' | 'importRunOfShow'> {
    return {
      getSuggestions: (a) => this.rooms.get(a.roomId)?.session?.suggest.current() ?? null,
      acceptSuggestion: (a) => this.acceptSuggestion(a.roomId, a.suggestionId),
      dismissSuggestion: (a) => this.dismissSuggestion(a.roomId, a.suggestionId, a.reason),
      getRunOfShow: (a) => this.runOfShowView(a.roomId),
      setRunOfShow: (a) => this.setRunOfShow(a.roomId, a.items),
      importRunOfShow: (a) => this.importRunOfShow(a),
    };
  }

  private adHandlers(): Handlers<'getAdConsole' | 'getEconomics' | 'setEconomics' | 'adAction'> {
    return {
      getAdConsole: (a) => this.adConsole(a.roomId),
      getEconomics: (a) => ({ ...this.economicsFor(a.roomId) }),
      setEconomics: (a) => this.setEconomics(a.roomId, a.economics),
      adAction: (a) => this.adAction(a.roomId, a),
    };
  }

  private settingsHandlers(): Handlers<'getSettings' | 'testSource' | 'saveSettings'> {
    return {
      getSettings: () => this.settingsView(),
      testSource: (a) => {
        const saved = readSavedSettings(this.opts.dataDir);
        return probeSource({ kind: a.sourceKind, address: a.address, token: a.feedToken ?? saved.feedToken ?? undefined, rooms: a.rooms, ordersFile: a.ordersFile, dataDir: this.opts.dataDir });
      },
      saveSettings: (a) => {
        const given = a.settings;
        const saved = readSavedSettings(this.opts.dataDir);
        // The page never sees the token: leaving it out keeps the saved one; null clears it.
        // A form saves its own fields: what it leaves out (the operator, when saving the feed) stays.
        const next = { ...saved, ...given, feedToken: given.feedToken === undefined ? saved.feedToken : given.feedToken };
        // Settings the next start could not run on are refused here, not found out at that start.
        const problem = savedSettingsProblem(next, this.opts.dataDir, Object.keys(given));
        if (problem) throw new Error(`not saved: ${problem}`);
        writeSavedSettings(this.opts.dataDir, next);
        return this.settingsView();
      },
    };
  }

  settingsView(): SettingsView {
    const o = this.opts;
    const saved = readSavedSettings(o.dataDir);
    const { feedToken, ...rest } = saved;
    return {
      effective: {
        feedUrl: o.feedUrl ? redact(o.feedUrl) : null,
        hasToken: Boolean(o.feedToken),
        rooms: o.rooms ?? null,
        dataDir: o.dataDir,
        scenario: (o.scenarioFiles ?? []).map((f) => f.split(/[\\/]/).pop() ?? f),
        speed: this.sim?.speed ?? o.speed ?? 10,
        seed: o.seed ?? '1',
        sourceKind: o.source?.kind ?? 'feed',
        sourceAddress: o.source ? (o.source.kind === 'replay' ? o.source.address : redact(o.source.address)) : null,
        ordersFile: o.source?.ordersFile ?? null,
      },
      saved: { ...rest, hasToken: Boolean(feedToken) },
      sources: settingSources(saved),
    };
  }

  /** Newest first: the store's alerts merged with this run's (which are newer: acknowledgements, writes not yet committed). */
  listAlerts(roomId?: string): Alert[] {
    return this.alerts.list(roomId);
  }

  private targetsFor(roomId: string): RoomTargets {
    let t = this.targets.get(roomId);
    if (!t) {
      t = this.reader.targets(roomId) ?? { ...DEFAULT_TARGETS };
      this.targets.set(roomId, t);
    }
    return t;
  }

  /** Validated by RoomTargetsSchema already; applies to the live session's rules at once. */
  private setTargets(roomId: string, targets: RoomTargets): RoomTargets {
    const t = { ...targets };
    this.targets.set(roomId, t);
    this.queue.add({ targets: [{ roomId, targets: t, updatedAt: Date.now() }] });
    const s = this.rooms.get(roomId)?.session;
    if (s) {
      s.evaluator.setTargets(t);
      s.evalDirty = true;
      s.ads.setTargetRoi(t.roi);
    }
    return { ...t };
  }

  roomDetail(roomId: string): RoomDetail {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`no room ${roomId}`);
    const s = room.session;
    if (!s) return { ...this.view(room, null), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: this.sim !== null, demand: null, markers: [] };
    const end = s.row.endedAt ?? s.lastTs;
    const snap = s.agg.snapshot(end);
    return {
      ...this.view(room, snap.kpis),
      minutes: snap.minutes,
      products: snap.products,
      segments: snap.segments,
      pinnedProductId: s.agg.pinnedAt(end),
      commandsSupported: this.sim !== null,
      demand: s.demand.summary(minuteAt(s, end)),
      markers: [...s.markers],
    };
  }

  diagnostics(): Diagnostics {
    const st = this.queue.stats;
    const mem = process.memoryUsage();
    return {
      connection: this.connection,
      store: {
        dataDir: this.opts.dataDir,
        eventsStored: st.eventsInserted,
        batches: st.batches,
        lastCommitMs: round1(st.lastCommitMs),
        maxCommitMs: round1(st.maxCommitMs),
        writeErrors: this.writeErrors,
        internalErrors: this.internalErrors,
        health: this.queue.health,
        feedPaused: this.feed.isPaused,
      },
      gaps: [...this.gaps],
      process: {
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        writerHeapBytes: this.queue.stats.writerHeapBytes,
        externalBytes: mem.external,
        handles: process.getActiveResourcesInfo().length,
        loopDelayMs: this.loopDelayLastMinute,
        uptimeSec: Math.round(process.uptime()),
      },
      quarantinedByReason: [...this.quarantineCounts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, 20),
      source: this.sim
        ? { kind: 'embedded', scenario: this.sim.rooms.map((r) => r.roomId), speed: this.sim.speed, seed: this.opts.seed ?? '1' }
        : this.hub
          ? { kind: this.hub.config.kind, scenario: null, speed: this.hub.config.kind === 'replay' ? (this.hub.config.speed ?? null) : null, seed: null }
          : { kind: 'relay', scenario: null, speed: null, seed: null },
    };
  }

  /**
   * The feed's connection as the screen shows it. With real sources the FeedClient's own link is
   * to a relay on loopback (always up), so what matters is the sources': the worst of them is
   * the status, its error the error, and their quarantines count with the feed's.
   */
  get connection(): ConnectionState {
    const h = this.queue.health;
    const c: ConnectionState = { ...this.feed.connection, store: { ok: h.ok, code: h.code, since: h.since, pendingRows: h.pendingRows, feedPaused: this.feed.isPaused } };
    if (!this.hub) return c;
    const states = this.hub.states();
    const rank: Record<SourceState['status'], number> = { failed: 4, reconnecting: 3, connecting: 2, live: 1, stopped: 0 };
    const worst = states.reduce<SourceState | null>((w, s) => (!w || rank[s.status] > rank[w.status] ? s : w), null);
    const status = c.status === 'stopped' || !worst ? c.status : c.status !== 'live' ? c.status : worst.status === 'stopped' ? 'live' : worst.status;
    // A source can be connected and still not serve its room (douyinLive watching an ended room).
    const troubled = worst?.problem ? worst : states.find((s) => s.problem);
    return {
      ...c,
      status,
      url: states.map((s) => s.target).join(', ') || c.url,
      error: c.error ?? (worst && worst.status !== 'live' ? worst.error : (troubled?.error ?? null)),
      quarantined: c.quarantined + states.reduce((a, s) => a + s.quarantined, 0),
      problem: troubled?.problem ?? null,
      sources: states.map((s) => ({
        source: s.source,
        status: s.status,
        target: s.target,
        error: s.error,
        problem: s.problem,
        retryAt: s.retryAt,
        connects: s.connects,
        events: s.events,
        quarantined: s.quarantined,
        lastMessageAt: s.lastMessageAt,
      })),
    };
  }

  get simulatorUrl(): string | null {
    return this.sim?.url ?? null;
  }

  /**
   * Fault injection for tests: `maxPages` caps the store's size (SQLite max_page_count) so writes
   * fail with SQLITE_FULL exactly as on a full disk (null: the disk was freed); `readOnly` makes
   * them fail with SQLITE_READONLY as a folder turned read-only does.
   */
  injectStoreFault(fault: { maxPages?: number | null; readOnly?: boolean }): void {
    this.queue.injectFault(fault);
  }

  /** Everything queued so far is on disk. */
  flush(): Promise<void> {
    this.writeRollups();
    return this.queue.flush();
  }

  /** Resolves once every followed room's session has ended and everything is flushed (lcr record --until-ended). */
  untilEnded(): Promise<void> {
    return new Promise((resolve) => {
      this.endedWaiters.push(resolve);
      this.checkEnded();
    });
  }

  private checkEnded(): void {
    if (!this.endedWaiters.length) return;
    const followed = [...this.rooms.values()].filter((r) => r.info && (!this.opts.rooms || this.hub || this.opts.rooms.includes(r.roomId)));
    if (!followed.length || !followed.every((r) => r.session?.row.endedAt != null)) return;
    const waiters = this.endedWaiters;
    this.endedWaiters = [];
    void this.flush().then(() => waiters.forEach((w) => w()));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pushTimer) clearInterval(this.pushTimer);
    if (this.rollupTimer) clearInterval(this.rollupTimer);
    if (this.loopTimer) clearInterval(this.loopTimer);
    this.loopDelay.disable();
    this.feed?.stop();
    // A show still live at stop keeps what it taught so far; the next start resumes it from its own start.
    for (const room of this.rooms.values()) if (room.session && room.session.row.endedAt === null) this.saveLearned(room.session, false);
    this.writeRollups();
    if (this.queue) {
      // A store that keeps failing is not waited on forever: what it could not take is not lost,
      // the cursor on disk has not passed it and the relay sends it again at the next start.
      const { unwrittenRows } = await this.queue.close(this.queue.health.ok ? 60_000 : 10_000);
      if (unwrittenRows) this.log(`store: ${unwrittenRows} rows could not be written before stopping (${this.queue.health.code ?? 'error'}); the feed resends its events at the next start`);
    }
    await this.sim?.stop();
    await this.hub?.stop();
    try {
      this.db?.pragma('optimize');
      this.db?.close();
    } catch {
      // closing a read connection cannot lose data; nothing to do
    }
  }
}

/** The minute index of a source time in the session (METRICS.md: events before the start count in minute 0). */
function minuteAt(s: LiveSession, ts: number): number {
  return minuteIndex(ts, s.row.startedAt);
}

/** Inserted in source-time order (a relay's backlog can arrive late); the oldest go beyond MARKER_LIMIT. */
function addMarker(list: SessionMarker[], m: SessionMarker): void {
  let i = list.length;
  while (i > 0 && (list[i - 1]!.ts > m.ts || (list[i - 1]!.ts === m.ts && list[i - 1]!.seq > m.seq))) i--;
  const prev = list[i - 1];
  if (prev && prev.ts === m.ts && prev.seq === m.seq) return; // the same event again
  list.splice(i, 0, m);
  if (list.length > MARKER_LIMIT) list.splice(0, list.length - MARKER_LIMIT);
}

/** A relay is identified by where it is, without credentials, so cursors survive a token change. */
export function feedIdentity(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
