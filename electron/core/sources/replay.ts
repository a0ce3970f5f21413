/**
 * A recorded session replayed as a live feed, at 1–60× — for demos, training and tests.
 * `from` is a capture file (the JSON-lines format of capture.ts) or `session:ID`, a session in the
 * app's store (the SQLite file in `dataDir`). The events go into a RoomMux sink like any source's,
 * so the app sees an ordinary relay room going live, streaming and ending.
 *
 * Rules, so a replay looks like a live show to the app while keeping the recording's figures:
 * - The session: the replay announces `session live` with `startedAt` = the moment it starts (the
 *   "live start"), so the app files it as a new session (its id is `room@startedAt`), never as
 *   more events of the recorded one. Title, room id and platform come from the recording unless
 *   the caller gives them.
 * - Time stamps: every `ts` (and `startedAt`) is moved by one offset, `liveStart − origin`, where
 *   origin is the recording's session start. Offsets within the show are kept to the millisecond,
 *   so every minute bucket, pin segment and METRICS.md figure of the replay equals the original's.
 *   At 1× the stamps are the wall clock; at 60× they run ahead of it exactly as the embedded
 *   simulator's do at 60× (the app's live window follows the newest `ts`, not the clock).
 * - Pacing: an event is handed over when the replay's real time since the live start reaches its
 *   offset ÷ speed. The schedule is absolute (not a sleep per gap), so timer slack never adds up,
 *   and after a stalled event loop the replay catches up instead of running late. `ts` slightly out
 *   of order (FEED-PROTOCOL allows it) is kept as recorded; the playhead never moves back.
 * - Silent gaps: a stretch of more than `maxGapMs` of source time without events (the recorder was
 *   offline, the show paused) is waited out as `maxGapMs` only. Only the waiting is compressed, never
 *   the stamps, which is why the figures stay equal; after a compressed gap the stamps are simply
 *   further ahead of the clock.
 * - The end: a `session ended` event in the recording ends the replay (nothing after it is read);
 *   without one the replay ends the session at the stored session's end, or at the last event.
 * - Commands (pin, ad budget …) are not supported: a recording cannot react; the relay answers
 *   `unsupported`, as FEED-PROTOCOL says.
 * - Bad input: a capture line that is not a FEED-PROTOCOL event is quarantined with its line number
 *   and reason and the replay goes on; a `ts` more than a day before the recording's start or two
 *   days after it (a broken clock) is quarantined too, since it would move the app's live window.
 *
 * Memory: the recording is read as it plays (file chunks, store pages), at most one page ahead.
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { databaseFile, databaseUrl, openDatabase, type DB } from '../store/db.ts';
import { StoreReader, type StoredSession } from '../store/reader.ts';
import type { SourceEvent } from './common.ts';
import { SourceConnector, type ConnectorOptions } from './connector.ts';
import { badLineRaw, captureHeader, readCapture, readCaptureHeader, storedEventBody, type CaptureLine } from './capture.ts';

export const REPLAY_SOURCE = 'replay';
/** The platform of a capture that does not name one. */
export const REPLAY_PLATFORM = 'replay';
export const MIN_REPLAY_SPEED = 1;
export const MAX_REPLAY_SPEED = 60;
/** Default `maxGapMs`: longer silences are waited out as one minute of show time. */
export const DEFAULT_MAX_GAP_MS = 60_000;
const MAX_BEFORE_START_MS = 24 * 3600_000;
const MAX_AFTER_START_MS = 48 * 3600_000;
/** Events handed over without a wait before the event loop gets a turn (a catch-up must not starve it). */
const YIELD_EVERY = 1000;
/** A wait shorter than this is not worth a timer: the room batches every ~100 ms anyway. */
const MIN_SLEEP_MS = 8;

/** The speed, checked: a number from 1 to 60. Throws an error a person can act on. */
export function checkReplaySpeed(speed: unknown): number {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_REPLAY_SPEED || speed > MAX_REPLAY_SPEED) {
    throw new Error(`replay speed must be a number from ${MIN_REPLAY_SPEED} to ${MAX_REPLAY_SPEED} (got ${JSON.stringify(speed) ?? String(speed)})`);
  }
  return speed;
}

export type ReplayRecording = { kind: 'file'; path: string } | { kind: 'session'; sessionId: string; dataDir: string };

/** `session:ID` → a stored session (needs the data folder); anything else → a capture file path. */
export function parseReplayFrom(from: string, dataDir?: string): ReplayRecording {
  const f = from.trim();
  if (!f) throw new Error('replay needs a capture file or session:ID');
  if (f.startsWith('session:')) {
    const sessionId = f.slice('session:'.length).trim();
    if (!sessionId) throw new Error('replay from session: needs a session id (see: lcr sessions)');
    if (!dataDir) throw new Error(`replay from ${f} needs the data folder the session is stored in`);
    return { kind: 'session', sessionId, dataDir };
  }
  return { kind: 'file', path: f };
}

/** What a recording says about its room, read before the relay room is made. */
export interface RecordingInfo {
  roomId: string;
  platform: string;
  /** null: the recording has none (the app then shows the room id). */
  title: string | null;
  /** The recording's session start, when known before reading the events. */
  startedAt: number | null;
}

/**
 * Reads a recording's room from its first line or its session row. Throws a one-line error for a
 * missing file, a missing store or an unknown session, so a bridge fails before it listens.
 */
export async function probeRecording(from: string, dataDir?: string): Promise<RecordingInfo> {
  const rec = parseReplayFrom(from, dataDir);
  if (rec.kind === 'session') {
    const db = openStore(rec.dataDir);
    try {
      const s = findSession(db, rec.sessionId);
      return { roomId: s.roomId, platform: s.platform, title: s.title, startedAt: s.startedAt };
    } finally {
      db.close();
    }
  }
  let header;
  try {
    header = await readCaptureHeader(rec.path);
  } catch (e) {
    throw new Error(`cannot read the capture ${rec.path}: ${errorText(e)}`);
  }
  return {
    roomId: header?.roomId ?? (basename(rec.path, extname(rec.path)) || 'replay'),
    platform: header?.platform ?? REPLAY_PLATFORM,
    title: header?.title ?? null,
    startedAt: header?.startedAt ?? null,
  };
}

function openStore(dataDir: string): DB {
  const file = databaseFile(dataDir);
  if (!databaseUrl() && !existsSync(file)) throw new Error(`no store at ${file}: give the app's data folder (LCR_DATA_DIR)`);
  // Read-only and unchecked: the app that owns the file checks it at its start, and a quick_check
  // of an 8-hour store would hold up the replay for seconds.
  return openDatabase(dataDir, { readonly: true, skipCheck: true });
}

function findSession(db: DB, sessionId: string): StoredSession {
  const s = new StoreReader(db).getSession(sessionId);
  if (!s) throw new Error(`no session ${sessionId} in the store (see: lcr sessions)`);
  return s;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---- The connector -------------------------------------------------------------------------------

export interface ReplaySourceOptions extends ConnectorOptions {
  /** A capture file path, or `session:ID`. */
  from: string;
  /** 1–60. */
  speed: number;
  /** The data folder holding the store, for `session:ID`. */
  dataDir?: string;
  /** Replaces the recording's session title (the app shows the session under it). */
  title?: string;
  /** Source ms of silence beyond which the wait is compressed to this (default one minute; Infinity: never). */
  maxGapMs?: number;
  /**
   * Publishes what the room holds now (the bridge passes `mux.flush`). Called every `flushEvery`
   * events, so a dense stretch at 60× goes out in bounded batches instead of piling up in the room
   * until it merges or drops events.
   */
  flush?: () => void;
  flushEvery?: number;
  /** Rows per store page. */
  pageRows?: number;
}

export interface ReplaySummary {
  from: string;
  /** How the replay finished: the recording's end, `stop()`, or a read error. */
  outcome: 'ended' | 'stopped' | 'failed';
  error: string | null;
  /** The live start (the replayed session's `startedAt`); null when it never started. */
  startedAt: number | null;
  /** Events handed to the room (made-up session start/end included). */
  events: number;
  quarantined: number;
  /** Source ms played (from the recording's start to its last event or end). */
  sourceMs: number;
  /** Source ms of silence not waited for (see `maxGapMs`). */
  compressedMs: number;
  /** Real ms the replay took. */
  realMs: number;
}

/** Where in the recording an event was: its capture line, or its stored epoch and seq (for quarantine entries). */
type Where = { line: number } | { epoch: number; seq: number };
type Item = { kind: 'event'; event: SourceEvent; where: Where } | { kind: 'bad'; reason: string; raw: unknown };

export class ReplaySource extends SourceConnector {
  readonly speed: number;
  private readonly opts: ReplaySourceOptions;
  private readonly maxGapMs: number;
  private readonly rec: ReplayRecording;
  private db: DB | null = null;
  private wake: (() => void) | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private running: Promise<ReplaySummary> | null = null;
  /** The session row, when replaying from the store: its start is the origin, its end the fallback end. */
  private storedSession: StoredSession | null = null;
  private resolveFinished!: (s: ReplaySummary) => void;
  /** Resolves once the replay has finished (its end reached, stopped or failed); never rejects. */
  readonly finished: Promise<ReplaySummary>;
  private readonly sum: ReplaySummary;

  constructor(opts: ReplaySourceOptions) {
    const rec = parseReplayFrom(opts.from, opts.dataDir);
    super(REPLAY_SOURCE, rec.kind === 'file' ? rec.path : `session:${rec.sessionId}`, opts);
    this.speed = checkReplaySpeed(opts.speed);
    const gap = opts.maxGapMs ?? DEFAULT_MAX_GAP_MS;
    if (!(gap >= 1000)) throw new Error(`replay maxGapMs must be at least 1000 (got ${gap})`);
    this.maxGapMs = gap;
    this.opts = opts;
    this.rec = rec;
    this.sum = { from: opts.from, outcome: 'stopped', error: null, startedAt: null, events: 0, quarantined: 0, sourceMs: 0, compressedMs: 0, realMs: 0 };
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Where the replay is (counters of the summary so far). */
  get progress(): ReplaySummary {
    return { ...this.sum };
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.run().then((s) => {
      this.resolveFinished(s);
      return s;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp();
    if (this.running) await this.running;
    else this.resolveFinished({ ...this.sum });
    this.markStopped();
  }

  private async run(): Promise<ReplaySummary> {
    const realStart = performance.now();
    try {
      await this.play(this.items());
      if (this.stopped) this.sum.outcome = 'stopped';
      else if (this.sum.startedAt === null) {
        // Nothing to announce: a session that never starts would leave a recorder waiting for its end forever.
        this.sum.outcome = 'failed';
        this.sum.error = `${this.st.target} holds no event to replay`;
        this.fail(this.sum.error);
      } else {
        this.sum.outcome = 'ended';
        this.markStopped();
      }
    } catch (e) {
      this.sum.outcome = 'failed';
      this.sum.error = `cannot read ${this.st.target}: ${errorText(e)}`;
      this.fail(this.sum.error);
    } finally {
      this.closeStore();
      this.sum.realMs = Math.round(performance.now() - realStart);
      this.opts.flush?.();
    }
    return { ...this.sum };
  }

  /** The recording as a stream of events and bad lines. */
  private async *items(): AsyncGenerator<Item> {
    if (this.rec.kind === 'file') {
      for await (const l of readCapture(this.rec.path)) {
        const item = fromLine(l);
        if (item) yield item;
      }
      return;
    }
    this.db = openStore(this.rec.dataDir);
    const session = findSession(this.db, this.rec.sessionId);
    this.storedSession = session;
    for (const page of new StoreReader(this.db).eventPages(session, this.opts.pageRows)) {
      for (const row of page) {
        const r = storedEventBody(row);
        const where = { epoch: row.epoch, seq: row.seq };
        yield r.ok ? { kind: 'event', event: r.event, where } : { kind: 'bad', reason: r.reason, raw: { ...where, body: row.body.slice(0, 500) } };
      }
    }
  }

  private async play(items: AsyncGenerator<Item>): Promise<void> {
    const flushEvery = this.opts.flushEvery ?? 500;
    let batch: SourceEvent[] = [];
    let unflushed = 0;
    let sinceYield = 0;
    const handOver = (): void => {
      if (!batch.length) return;
      this.st.events += batch.length;
      this.sum.events += batch.length;
      this.base.sink.push(batch);
      unflushed += batch.length;
      batch = [];
      if (unflushed >= flushEvery) {
        this.opts.flush?.();
        unflushed = 0;
      }
    };

    let origin: number | null = null;
    let offset = 0;
    /** The newest source ts reached: the playhead. */
    let playhead = 0;
    let compressed = 0;
    let ended = false;
    let title: string | undefined = this.opts.title;
    // Both clocks start when the session is announced, not when reading began (opening a store takes a moment).
    let liveStart = 0;
    let realStart = 0;

    /** Waits until the playhead's real time has come (or returns at once when it has passed). */
    const waitFor = async (sourceTs: number): Promise<void> => {
      if (origin === null) return;
      if (sourceTs > playhead) {
        const gap = sourceTs - playhead;
        if (gap > this.maxGapMs) compressed += gap - this.maxGapMs;
        playhead = sourceTs;
      }
      const due = realStart + (playhead - origin - compressed) / this.speed;
      const wait = due - performance.now();
      if (wait >= MIN_SLEEP_MS) {
        handOver();
        this.opts.flush?.();
        unflushed = 0;
        sinceYield = 0;
        await this.sleep(wait);
      } else if (++sinceYield >= YIELD_EVERY) {
        handOver();
        sinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    };

    /** Announces the live session; the caller has set `origin` to the recording's start. */
    const open = (startedAt: number, recorded?: SourceEvent): void => {
      liveStart = this.now();
      realStart = performance.now();
      playhead = startedAt;
      offset = liveStart - startedAt;
      this.sum.startedAt = liveStart;
      const header = recorded ? captureHeader(recorded) : undefined;
      title ??= header?.title ?? this.storedSession?.title;
      batch.push({ ts: liveStart, type: 'session', status: 'live', startedAt: liveStart, ...(title !== undefined && { title }) });
      this.st.connects++;
      this.markLive();
    };

    for await (const item of items) {
      if (this.stopped) break;
      this.noteReceived(this.now());
      if (item.kind === 'bad') {
        this.sum.quarantined++;
        this.quarantineOne(item.reason, item.raw);
        continue;
      }
      const e = item.event;
      if (origin === null) {
        const stored = this.storedSession?.startedAt;
        if (e.type === 'session' && e.status === 'live') {
          origin = stored ?? e.startedAt;
          open(origin, e);
          continue;
        }
        origin = stored ?? e.ts;
        open(origin);
      }
      if (e.ts < origin - MAX_BEFORE_START_MS || e.ts > origin + MAX_AFTER_START_MS) {
        this.sum.quarantined++;
        this.quarantineOne("replay: ts more than a day before the recording's start or two days after it", { ...item.where, event: e });
        continue;
      }
      if (e.type === 'session') {
        // Repeats of the start (a recorder reconnecting) would be dropped by the room anyway.
        if (e.status === 'live') {
          this.st.ignored++;
          continue;
        }
        await waitFor(e.ts);
        if (this.stopped) break;
        batch.push(this.endEvent(e.ts + offset, liveStart, title));
        ended = true;
        break;
      }
      await waitFor(e.ts);
      if (this.stopped) break;
      batch.push(shift(e, offset));
    }

    if (!this.stopped && origin !== null && !ended) {
      const storedEnd = this.storedSession?.endedAt ?? null;
      const endTs = Math.max(playhead, storedEnd ?? playhead);
      await waitFor(endTs);
      if (!this.stopped) batch.push(this.endEvent(endTs + offset, liveStart, title));
    }
    handOver();
    this.sum.sourceMs = origin === null ? 0 : playhead - origin;
    this.sum.compressedMs = compressed;
  }

  private endEvent(ts: number, startedAt: number, title: string | undefined): SourceEvent {
    return { ts, type: 'session', status: 'ended', startedAt, ...(title !== undefined && { title }) };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      this.wake = resolve;
      this.sleepTimer = setTimeout(() => this.wakeUp(), ms);
    });
  }

  private wakeUp(): void {
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private closeStore(): void {
    try {
      this.db?.close();
    } catch {
      // a read-only connection has nothing to lose
    }
    this.db = null;
  }
}

function fromLine(l: CaptureLine): Item | null {
  switch (l.kind) {
    case 'blank':
      return null;
    case 'bad':
      return { kind: 'bad', reason: l.reason, raw: badLineRaw(l) };
    case 'event':
      return { kind: 'event', event: l.event, where: { line: l.line } };
  }
}

/** The event moved onto the live timeline (session events never get here: the replay makes its own). */
function shift(e: SourceEvent, offset: number): SourceEvent {
  return { ...e, ts: e.ts + offset };
}
