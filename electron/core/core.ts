/**
 * The core: feed client → aggregation → store, and the request/push surface the UI uses.
 * Plain Node, no Electron: the desktop app runs it in a utility process, browser mode and the
 * `lcr` command line run it in-process, and the tests drive it directly. One core, three hosts.
 *
 * The core keeps the lifecycle, the ingest and the pushes. A room and its show are their own
 * classes (live/); each domain — alerts and targets, ads, suggestions and run-of-show, the
 * retrospective, settings, imports — answers its own requests from its own desk, and the desks'
 * typed handler maps are merged here into one registry checked against the contract.
 */
import { randomBytes } from 'node:crypto';
import { FeedClient, type RoomCursor } from './feed/client.ts';
import { openDatabase, dailyBackup, type DB } from './store/db.ts';
import { StoreReader } from './store/reader.ts';
import { WriteQueue } from './store/write-queue.ts';
import type { SessionRow } from './store/writer.ts';
import { Simulator } from './sim/simulator.ts';
import type { CoreOptions } from './options.ts';
import type { SessionMetrics } from '../../shared/metrics/types.ts';
import { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { sourceProblemLine } from '../../shared/i18n/source-messages.ts';
import { clipText } from '../../shared/format.ts';
import {
  RequestSchemas,
  isRequestName,
  type ConnectionState,
  type Diagnostics,
  type Push,
  type StoreHealth,
  type Reply,
  type RequestArgs,
  type RequestHandler as Handler,
  type RequestHandlers as Handlers,
  type RequestName,
  type RequestResult,
  type RoomDetail,
  type RoomView,
} from '../../shared/contract.ts';
import { RetroService } from './retro/service.ts';
import { retroHandlers } from './retro/handlers.ts';
import { importTablesRequest } from './imports/request.ts';
import { feedOrigins } from './sources/origins.ts';
import { SourceHub, planRooms } from './sources/hub.ts';
import type { SourceState } from './sources/common.ts';
import type { SourceFacts } from './live/room.ts';
import { Recorder } from './live/recorder.ts';
import { LiveSession } from './live/session.ts';
import type { DeskContext } from './live/desk.ts';
import { AlertDesk } from './alerts/desk.ts';
import { AdDesk } from './ads/desk.ts';
import { SuggestDesk } from './suggest/desk.ts';
import { SettingsDesk } from './settings/desk.ts';
import { TeamDesk } from './team/desk.ts';
import { asActor, currentActor, recordedRole, type Actor } from './team/actor.ts';
import { mayRequest } from '../../shared/team/roles.ts';
import { roleRefusal } from '../../shared/i18n/team-messages.ts';
import { CoreHealth, round1, withSources } from './health.ts';

const EMBEDDED_FEED = 'embedded';
/** Rows waiting for a failing store beyond which the feed pauses (the relay keeps the events). */
const STORE_BACKLOG_PAUSE = 200_000;

export class Core {
  private readonly listeners = new Set<(p: Push) => void>();
  private readonly health: CoreHealth;
  private readonly settings: SettingsDesk;
  private feed!: FeedClient;
  private sim: Simulator | null = null;
  /** The real sources' bridge, when the app follows real rooms. */
  private hub: SourceHub | null = null;
  private queue!: WriteQueue;
  private db!: DB;
  private reader!: StoreReader;
  private retro!: RetroService;
  private recorder!: Recorder;
  private alerts!: AlertDesk;
  private ads!: AdDesk;
  private suggest!: SuggestDesk;
  /** Invites, who is connected, prompt messages: the browser host asks it who a link is. */
  team!: TeamDesk;
  private handlers!: Handlers<RequestName>;
  private facts: SourceFacts = { noOrders: false, commandsSupported: false, origins: (_roomId, lastAt) => feedOrigins('relay', lastAt) };
  private pushTimer: NodeJS.Timeout | null = null;
  private rollupTimer: NodeJS.Timeout | null = null;
  private backupTimer: NodeJS.Timeout | null = null;
  private lastProductsPush = 0;
  private connectionDirty = false;
  private endedWaiters: Array<() => void> = [];
  /** Last problem logged per source, so a state change is logged once, not on every callback. */
  private readonly sourceProblems = new Map<string, string>();
  private stopped = false;

  private constructor(private readonly opts: CoreOptions) {
    this.health = new CoreHealth((line) => this.log(line));
    this.settings = new SettingsDesk(opts, () => this.sim?.speed ?? null);
  }

  static async start(opts: CoreOptions): Promise<Core> {
    const core = new Core(opts);
    await core.init();
    return core;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  // ---- start-up: store, source, desks, feed, timers -------------------------------------------

  private async init(): Promise<void> {
    const o = this.opts;
    // A source configured without what it needs fails here, before the store or a thread is opened.
    if (o.source) planRooms(o.source);
    this.db = openDatabase(o.dataDir);
    this.reader = new StoreReader(this.db);
    this.queue = await WriteQueue.open(o.dataDir, { maxPages: o.storeMaxPages, onHealth: (h) => this.onStoreHealth(h) });
    this.retro = new RetroService({
      reader: this.reader,
      dataDir: o.dataDir,
      write: (part) => this.queue.add(part),
      settle: () => this.settleForRead(),
      isRecording: (id) => this.isRecording(id),
      commit: () => this.commitWrites(),
      operatorName: () => this.operator().byName,
    });
    this.recorder = new Recorder({
      feedKey: feedKeyOf(o),
      reader: this.reader,
      queue: this.queue,
      health: this.health,
      log: (line) => this.log(line),
      openSession: (row) => this.openSession(row),
      restore: (s) => {
        this.ads.restore(s);
        // The evaluator starts fresh; what it already raised counts as raised (no repeat while it holds).
        this.alerts.restore(s, this.reader.alerts({ sessionId: s.row.sessionId }));
      },
      ended: (s) => this.suggest.saveLearned(s, true),
      stored: () => this.checkEnded(),
      connectionChanged: () => (this.connectionDirty = true),
      backlogCheck: () => {
        if (this.queue.failing && this.queue.backlogRows > this.backlogPause) this.onStoreHealth(this.queue.health);
      },
    });
    const { url, token } = await this.startSource();
    this.openDesks();
    // A server process sharing rooms resumes only the rooms it holds (none until its leases say so).
    this.startFeed(url, token, this.recorder.resume(o.sharedRooms ? new Set(o.rooms ?? []) : undefined));
    // SQLite's online backup copies in steps between our writes; a failure is reported, never fatal.
    // Looked at every hour too: a server (lcr serve) runs for weeks without a restart.
    if (!o.noBackup) {
      const backup = () =>
        void dailyBackup(this.db, o.dataDir).then(
          (f) => f && this.log(`backup: ${f}`),
          (e: unknown) => this.log(`backup failed: ${String(e)}`),
        );
      backup();
      this.backupTimer = setInterval(() => !this.stopped && backup(), 3600_000);
      this.backupTimer.unref();
    }
    this.health.start();
    this.pushTimer = setInterval(() => this.health.guard('pushing updates', () => this.pushUpdates()), o.pushIntervalMs ?? 250);
    this.rollupTimer = setInterval(() => this.health.guard('writing rollups', () => this.writeRollups()), o.rollupIntervalMs ?? 2000);
  }

  /** The relay the feed client follows: the configured one, the embedded simulator's, or the real sources' bridge. */
  private async startSource(): Promise<{ url: string; token: string | undefined }> {
    const o = this.opts;
    if (o.source) {
      // Real rooms: the adapters drive a relay on loopback (one-off token), and the FeedClient
      // follows it like any relay — resume, quarantine and the store work unchanged.
      const token = randomBytes(16).toString('hex');
      this.hub = await SourceHub.start(o.source, {
        token,
        onState: (states) => {
          this.connectionDirty = true;
          this.logSourceProblems(states);
        },
        onQuarantine: (q) => this.recorder.quarantine({ roomId: null, seq: null, reason: `${q.source}: ${q.reason}`, raw: q.raw }),
        vault: o.vault,
      });
      this.facts = this.hub.facts();
      return { url: this.hub.url, token };
    }
    if (!o.feedUrl) {
      // The embedded simulator: a real relay on loopback with a one-off token.
      const token = randomBytes(16).toString('hex');
      this.sim = await Simulator.start({ scenarioFiles: o.scenarioFiles ?? [], speed: o.speed, seed: o.seed, token });
      this.facts = { noOrders: false, commandsSupported: true, origins: (_roomId, lastAt) => feedOrigins('simulator', lastAt) };
      return { url: this.sim.url, token };
    }
    return { url: o.feedUrl, token: o.feedToken };
  }

  /** The domain desks, each with what it may use of the core, and their requests merged into one registry. */
  private openDesks(): void {
    const ctx: DeskContext = {
      reader: this.reader,
      write: (part) => this.queue.add(part),
      session: (roomId) => this.recorder.rooms.get(roomId)?.session ?? null,
      emit: (p) => this.emit(p),
      listening: () => this.listeners.size > 0,
      operator: () => this.operator(),
      command: (roomId, c) => this.feed.command(roomId, c),
      log: (line) => this.log(line),
    };
    this.alerts = new AlertDesk(ctx);
    this.ads = new AdDesk(ctx, { targets: (roomId) => this.alerts.targetsFor(roomId), commandsSupported: this.facts.commandsSupported, platformPort: (roomId) => this.hub?.planPort(roomId) ?? null });
    this.suggest = new SuggestDesk(ctx);
    this.team = new TeamDesk(this.db, ctx, () => this.settings.operator().byName);
    this.registerHandlers();
  }

  /** Who acts: the teammate whose request this is, or (desktop, owner's link, timers) the settings' name and role. */
  private operator(): { byName: string | null; byRole: string | null } {
    const a = currentActor();
    return a && a.inviteId !== null ? { byName: a.name, byRole: recordedRole(a.role) } : this.settings.operator();
  }

  private registerHandlers(): void {
    this.handlers = {
      ...this.team.handlers(),
      getOverview: () => ({ rooms: this.roomViews(), diagnostics: this.diagnostics() }),
      getRoom: (a) => this.roomDetail(a.roomId),
      ...this.alerts.handlers(),
      ...retroHandlers(this.retro),
      ...this.suggest.handlers(),
      ...this.ads.handlers(),
      ...this.settings.handlers(),
      importTables: async (a) => {
        // Written on the core's own connection in one transaction, apart from the feed's batches (see imports/request.ts).
        await this.commitWrites();
        return await importTablesRequest(this.db, a, this.operator().byName);
      },
    };
  }

  private startFeed(url: string, token: string | undefined, cursors: Map<string, RoomCursor>): void {
    this.feed = new FeedClient({
      url,
      token,
      // With real sources the rooms were chosen when the hub opened them (ids as the hub names them).
      rooms: this.hub ? undefined : this.opts.rooms,
      cursors,
      onEvents: (roomId, epoch, events, lastSeq) => this.recorder.ingest(roomId, epoch, events, lastSeq),
      onQuarantine: (q) => this.recorder.quarantine(q),
      onRooms: (infos) => {
        this.recorder.roomsSeen(infos);
        this.broadcastRooms();
      },
      onState: () => {
        this.connectionDirty = true;
      },
      timing: this.opts.feedTiming,
      onGap: (g) => this.recorder.gap(g),
      onEpoch: (roomId, epoch) => this.recorder.newEpoch(roomId, epoch),
    });
    this.feed.start();
  }

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

  private openSession(row: SessionRow): LiveSession {
    return new LiveSession(row, row.startedAt, {
      evaluator: new AlertEvaluator(row.roomId, row.sessionId, this.alerts.targetsFor(row.roomId)),
      suggest: this.suggest.serviceFor(row),
      ads: this.ads.serviceFor(row),
    });
  }

  // ---- the store's health ------------------------------------------------------------------

  /**
   * The store failed (or recovered). While it fails the live screen keeps running on what is in
   * memory; once the unwritten backlog grows too big the feed stops taking events (the relay keeps
   * them) and takes them again when the store has caught up.
   */
  private onStoreHealth(h: StoreHealth): void {
    if (!h.ok) {
      if (h.retries === 1) {
        this.health.writeErrors++;
        this.log(`store: cannot write (${h.code ?? 'error'}): ${h.error}; nothing is dropped, retrying`);
      }
      if (h.pendingRows > this.backlogPause && !this.feed.isPaused) {
        this.log(`store: ${h.pendingRows} rows waiting; the feed pauses until they are written`);
        this.feed.pause(`paused: the store cannot write (${h.code ?? 'error'})`);
      }
    } else {
      this.log('store: writing again');
      if (this.feed?.isPaused) this.feed.resume();
    }
    this.connectionDirty = true;
  }

  private get backlogPause(): number {
    return this.opts.storeBacklogPause ?? STORE_BACKLOG_PAUSE;
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

  /** Whether the running app is recording this show now (a live session of a followed room). */
  isRecording(sessionId: string): boolean {
    return this.recorder.isRecording(sessionId);
  }

  // ---- pushes and rollups -------------------------------------------------------------------

  private pushUpdates(): void {
    const now = Date.now();
    const withProducts = now - this.lastProductsPush >= 1000;
    if (withProducts) this.lastProductsPush = now;
    const listening = this.listeners.size > 0;
    for (const room of this.recorder.rooms.values()) {
      const s = room.session;
      if (!s) continue;
      // At most one full snapshot per room per second, shared by the stock rule and the product push.
      let snap: SessionMetrics | null = null;
      const snapshot = (): SessionMetrics => (snap ??= s.agg.snapshot(s.end));
      if (withProducts) {
        s.kpiHistory.add(s.end, s.agg.live(s.end, Number.MAX_SAFE_INTEGER).kpis);
        // The ad console first: it gives the alert rules the break-even ROI.
        this.ads.tick(s, snapshot, now);
        // Alerts are evaluated (and stored) with or without a UI attached.
        if (s.evalDirty) this.alerts.evaluate(s, snapshot);
        if (listening && s.demand.version !== s.demandPushed) {
          s.demandPushed = s.demand.version;
          this.emit({ topic: 'demand', payload: { roomId: room.roomId, demand: s.demand.summary(s.minuteAt(s.end)) } });
        }
      }
      if (!listening) continue;
      this.suggest.push(s, now, false, snapshot);
      const push = room.push(withProducts, snapshot, this.facts);
      if (push) this.emit(push);
    }
    if (this.connectionDirty) {
      this.connectionDirty = false;
      this.emit({ topic: 'connection', payload: this.connection });
    }
    if (withProducts && listening) this.emit({ topic: 'heartbeat', payload: { at: now } });
  }

  private writeRollups(): void {
    for (const room of this.recorder.rooms.values()) if (room.session?.rollupDirty) this.queue.add(room.session.rollup());
  }

  private roomViews(): RoomView[] {
    return [...this.recorder.rooms.values()].filter((r) => (r.info || r.session) && this.serves(r.roomId)).map((r) => r.summary(this.facts));
  }

  /** Whether this core serves the room: always, unless rooms are shared between server processes and another holds it. */
  serves(roomId: string): boolean {
    return !this.opts.sharedRooms || (this.opts.rooms ?? []).includes(roomId);
  }

  /** The key rooms are shared under between server processes: the relay's identity (see feedKeyOf). */
  get feedKey(): string {
    return feedKeyOf(this.opts);
  }

  /**
   * The rooms this core records and serves, when server processes share them (lcr serve with
   * LCR_REDIS_URL): a room given up stops being taken at once and its figures are put on disk for
   * the next holder; a room taken on continues its open show from the store and its feed from the
   * store's cursor — where the process that held it left off, so nothing it committed is taken
   * twice and nothing after it is missed.
   */
  async setRooms(roomIds: string[]): Promise<void> {
    if (!this.opts.sharedRooms) throw new Error('setRooms is for rooms shared between server processes (CoreOptions.sharedRooms)');
    const before = new Set(this.opts.rooms ?? []);
    const next = [...new Set(roomIds)];
    const dropped = [...before].filter((r) => !next.includes(r));
    const added = next.filter((r) => !before.has(r));
    if (!dropped.length && !added.length) return;
    this.opts.rooms = next;
    const cursors = added.length ? this.recorder.resume(new Set(added)) : new Map<string, RoomCursor>();
    this.feed.setRooms(next, cursors);
    if (dropped.length) {
      this.recorder.release(dropped);
      await this.queue.flush();
    }
    this.broadcastRooms();
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

  /**
   * The one entry for every UI request: validates, never throws. `actor`: the teammate asking (a
   * browser page opened by an invite link): their role is checked here, before any desk, and what
   * they do is logged under their name and role.
   */
  async request(name: unknown, args: unknown, actor: Actor | null = null): Promise<Reply<unknown>> {
    // Named safely: String() of a value nested 20,000 deep overflows the stack, a 300 kB name floods the reply.
    if (!isRequestName(name)) return { ok: false, error: `unknown request ${typeof name === 'string' ? JSON.stringify(clipText(name, 100)) : `(a ${name === null ? 'null' : typeof name})`}` };
    if (actor && !mayRequest(actor.role, name)) return { ok: false, error: roleRefusal(actor.role, name) };
    const parsed = RequestSchemas[name].safeParse(args ?? {});
    if (!parsed.success) return { ok: false, error: `bad arguments for ${name}: ${parsed.error.issues[0]?.message ?? ''}` };
    try {
      return { ok: true, value: await asActor(actor, () => this.handle(name, parsed.data)) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async handle<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N>> {
    const handler: Handler<N> = this.handlers[name];
    return await handler(args);
  }

  listAlerts(roomId?: string) {
    return this.alerts.list(roomId);
  }

  roomDetail(roomId: string): RoomDetail {
    const room = this.recorder.rooms.get(roomId);
    if (!room) throw new Error(`no room ${roomId}`);
    return room.detail(this.facts);
  }

  diagnostics(): Diagnostics {
    const st = this.queue.stats;
    const h = this.health;
    const hub = this.hub?.config;
    return {
      connection: this.connection,
      store: { dataDir: this.opts.dataDir, eventsStored: st.eventsInserted, batches: st.batches, lastCommitMs: round1(st.lastCommitMs), maxCommitMs: round1(st.maxCommitMs), writeErrors: h.writeErrors, internalErrors: h.internalErrors, health: this.queue.health, feedPaused: this.feed.isPaused },
      gaps: [...h.gaps],
      process: h.process(st.writerHeapBytes),
      quarantinedByReason: h.quarantinedByReason(),
      source: this.sim
        ? { kind: 'embedded', scenario: this.sim.rooms.map((r) => r.roomId), speed: this.sim.speed, seed: this.opts.seed ?? '1' }
        : hub
          ? { kind: hub.kind, scenario: null, speed: hub.kind === 'replay' ? (hub.speed ?? null) : null, seed: null }
          : { kind: 'relay', scenario: null, speed: null, seed: null },
    };
  }

  /** The feed's connection as the screen shows it, with the store's state (and the real sources', when they stand behind it). */
  get connection(): ConnectionState {
    const h = this.queue.health;
    const c: ConnectionState = { ...this.feed.connection, store: { ok: h.ok, code: h.code, since: h.since, pendingRows: h.pendingRows, feedPaused: this.feed.isPaused } };
    return this.hub ? withSources(c, this.hub.states()) : c;
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

  // ---- test hooks and shutdown --------------------------------------------------------------

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
    const followed = [...this.recorder.rooms.values()].filter((r) => r.info && (!this.opts.rooms || this.hub || this.opts.rooms.includes(r.roomId)));
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
    if (this.backupTimer) clearInterval(this.backupTimer);
    this.health.stop();
    this.feed?.stop();
    // A show still live at stop keeps what it taught so far; the next start resumes it from its own start.
    for (const room of this.recorder.rooms.values()) if (room.liveSession) this.suggest.saveLearned(room.liveSession, false);
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

/** The key the store's cursors and open shows hang on: the relay or the source, not the one-off loopback relay in front of it. */
function feedKeyOf(o: CoreOptions): string {
  if (o.source) return `source:${o.source.kind}:${o.source.kind === 'replay' ? o.source.address : feedIdentity(o.source.address)}`;
  return o.feedUrl ? feedIdentity(o.feedUrl) : EMBEDDED_FEED;
}

/** A relay is identified by where it is, without credentials, so cursors survive a token change. */
function feedIdentity(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}
