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
import { Backoff, countReason, initialState, preview, type MapResult, type SourceState, type SourceStatus } from './common.ts';

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
  /** Consecutive failed attempts before giving up with status `failed` (default: never give up). */
  maxRetries?: number;
  /** Receipt clock (tests pin it). */
  now?: () => number;
}

export abstract class SourceConnector {
  protected readonly st: SourceState;
  protected stopped = false;
  protected readonly backoff: Backoff;
  protected readonly now: () => number;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    source: string,
    target: string,
    protected readonly base: ConnectorOptions,
  ) {
    this.st = initialState(source, target);
    this.backoff = new Backoff(base.backoff?.initialMs ?? 500, base.backoff?.maxMs ?? 10_000);
    this.now = base.now ?? Date.now;
  }

  /** A snapshot of the connection state and counters. */
  get state(): SourceState {
    return { ...this.st, quarantinedByReason: { ...this.st.quarantinedByReason } };
  }

  abstract start(): void;
  abstract stop(): Promise<void>;

  protected setStatus(status: SourceStatus, error: string | null): void {
    if (this.stopped && status !== 'stopped') return;
    const changed = this.st.status !== status || this.st.error !== error;
    this.st.status = status;
    this.st.error = error;
    if (changed) this.base.onState?.(this.state);
  }

  /** The transport is up and the source answered: the next failure starts the backoff afresh. */
  protected markLive(): void {
    this.failures = 0;
    this.backoff.reset();
    this.setStatus('live', null);
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
    this.setStatus('reconnecting', error);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) reconnect();
    }, this.backoff.next());
  }

  /** A permanent problem (wrong URL, refused by the service): retrying would not help. */
  protected fail(error: string): void {
    this.setStatus('failed', error);
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
    this.st.status = 'stopped';
    this.st.error = null;
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
