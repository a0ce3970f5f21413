/**
 * The part of every source connector that is not transport: connection state and counters, the
 * hand-off of mapped events to the room, quarantine reporting, and reconnecting with backoff.
 *
 * State is reported through `onState` on status changes only (connecting → live → reconnecting →
 * live …, failed, stopped); the counters change per message and are read from `state` when wanted
 * (a UI polls them with the rest of the diagnostics) — a callback per message would cost more
 * than the mapping at thousands of messages a second.
 */
import type { RoomSink } from './room-mux.ts';
import { Backoff, countReason, initialState, preview, type MapResult, type ProblemReport, type SourceState, type SourceStatus } from './common.ts';
import { redactSecrets } from '../secrets/redact.ts';

export interface SourceQuarantine {
  source: string;
  reason: string;
  raw: unknown;
}

export interface ConnectorOptions {
  /** The room this source feeds: `mux.sink(name, { opensSession })`. */
  sink: RoomSink;
  onState?: (state: SourceState) => void;
  onQuarantine?: (q: SourceQuarantine) => void;
  /** Reconnect delays (ms): doubled from `initialMs` up to `maxMs`, with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Delays (ms) before asking again for a room the source said it cannot serve now (ended,
   * offline, rate-limited): a minute doubling to ten by default — TikTok-Chat-Reader's limiter
   * allows 5 requests a minute, and a Douyin room asked for too often meets risk control.
   */
  problemBackoff?: { initialMs?: number; maxMs?: number };
  /** How often open gift streaks are checked for their timeout (ms). */
  tickMs?: number;
  /** Consecutive failed attempts before giving up with status `failed` (default: never give up). */
  maxRetries?: number;
  /** Receipt clock (tests pin it). */
  now?: () => number;
}

export abstract class SourceConnector {
  protected readonly st: SourceState;
  protected stopped = false;
  protected readonly backoff: Backoff;
  private readonly problemBackoff: Backoff;
  protected readonly now: () => number;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;

  constructor(
    source: string,
    target: string,
    protected readonly base: ConnectorOptions,
  ) {
    this.st = initialState(source, target);
    this.backoff = new Backoff(base.backoff?.initialMs ?? 500, base.backoff?.maxMs ?? 10_000);
    this.problemBackoff = new Backoff(base.problemBackoff?.initialMs ?? 60_000, base.problemBackoff?.maxMs ?? 600_000);
    this.now = base.now ?? Date.now;
  }

  /** A snapshot of the connection state and counters. */
  get state(): SourceState {
    return { ...this.st, quarantinedByReason: { ...this.st.quarantinedByReason } };
  }

  abstract start(): void;
  abstract stop(): Promise<void>;

  protected setStatus(status: SourceStatus, error: string | null, problem: SourceState['problem'] = null, retryAt: number | null = null): void {
    if (this.stopped && status !== 'stopped') return;
    // The error is shown on the page and logged: a platform's refusal may quote a token (redact.ts).
    if (error !== null) error = redactSecrets(error);
    const changed = this.st.status !== status || this.st.error !== error || this.st.problem !== problem;
    this.st.status = status;
    this.st.error = error;
    this.st.problem = problem;
    this.st.retryAt = retryAt;
    if (changed) this.base.onState?.(this.state);
  }

  /**
   * The transport is up. The backoff is not reset yet: a server that accepts and at once closes
   * (douyinLive after ROOM_NOT_FOUND, a crashing relay) would otherwise be retried at the first
   * delay forever. `markProven` resets it once the source has answered about the room.
   */
  protected markLive(): void {
    this.setStatus('live', null);
  }

  /** The source answered about the room (room data, a live status): failures start afresh. */
  protected markProven(): void {
    if (this.stopped || this.st.status === 'failed') return;
    this.failures = 0;
    this.backoff.reset();
    this.problemBackoff.reset();
    if (this.st.status !== 'live' || this.st.problem !== null) this.setStatus('live', null);
  }

  /**
   * The source says it cannot serve the room. Not found and refused stop the source (only the
   * operator can fix the room id or the server's settings); ended, offline and rate-limited wait
   * with `problemBackoff` and ask again through `askAgain` — or, when the source keeps watching
   * the room itself (douyinLive polls and announces the next broadcast), only say so.
   */
  protected cannotServe(report: ProblemReport, askAgain: (() => void) | null): void {
    if (this.stopped) return;
    const detail = report.detail.slice(0, 500);
    if (report.problem === 'roomNotFound' || report.problem === 'refused') {
      this.clearRetry();
      this.setStatus('failed', detail, report.problem);
      return;
    }
    if (report.problem === 'unreachable') {
      if (askAgain) this.retryLater(detail, askAgain);
      return;
    }
    if (!askAgain) {
      this.setStatus(this.st.status, detail, report.problem, null);
      return;
    }
    const delay = this.problemBackoff.next();
    this.setStatus('reconnecting', detail, report.problem, this.now() + delay);
    this.scheduleRetry(delay, askAgain);
  }

  /**
   * A connection attempt failed or a live connection dropped: report it and try again after the
   * backoff, unless `maxRetries` consecutive attempts have failed.
   */
  protected retryLater(error: string, reconnect: () => void): void {
    if (this.stopped) return;
    this.failures++;
    if (this.base.maxRetries !== undefined && this.failures > this.base.maxRetries) {
      this.setStatus('failed', `${error} (gave up after ${this.base.maxRetries} retries)`);
      return;
    }
    const delay = this.backoff.next();
    this.setStatus('reconnecting', error, 'unreachable', this.now() + delay);
    this.scheduleRetry(delay, reconnect);
  }

  private scheduleRetry(delay: number, action: () => void): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) action();
    }, delay);
  }

  /** A permanent problem (wrong URL, refused by the service): retrying would not help. */
  protected fail(error: string, problem: SourceState['problem'] = 'refused'): void {
    this.clearRetry();
    this.setStatus('failed', error, problem);
  }

  /**
   * Runs `tick(now)` every `tickMs` (a mapper's timeouts: gift streaks whose end never came)
   * and delivers what it yields.
   */
  protected startTicking(tick: (now: number) => MapResult): void {
    if (this.tickTimer) return;
    this.tickTimer = setInterval(() => {
      if (!this.stopped) this.deliver(tick(this.now()));
    }, this.base.tickMs ?? 1000);
    this.tickTimer.unref?.();
  }

  protected clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  protected noteReceived(receivedAt: number): void {
    this.st.received++;
    this.st.lastMessageAt = receivedAt;
  }

  /** Hands a mapper's output to the room and counts it. */
  protected deliver(result: MapResult): void {
    if (!result.problem && (result.answered || result.events.length)) this.markProven();
    this.st.ignored += result.ignored;
    this.st.duplicates += result.duplicates;
    for (const q of result.quarantined) this.quarantineOne(q.reason, q.raw);
    if (result.events.length) {
      this.st.events += result.events.length;
      this.base.sink.push(result.events);
    }
  }

  protected quarantineOne(reason: string, raw: unknown): void {
    countReason(this.st, reason);
    this.base.onQuarantine?.({ source: this.st.source, reason, raw: preview(raw) });
  }

  protected markStopped(): void {
    this.clearRetry();
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    this.st.status = 'stopped';
    this.st.error = null;
    this.st.problem = null;
    this.st.retryAt = null;
    this.base.onState?.(this.state);
  }
}

/** Credentials never appear in states or logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (/token|key|secret|session|cookie/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url;
  }
}
