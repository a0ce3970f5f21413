/**
 * What the core knows about its own health, for the diagnostics panel and the soak: exceptions
 * it caught in its own figures, quarantined input by reason, holes given up in the feed, the
 * event loop's delay and the process's memory; and the connection as the screen shows it when
 * real sources stand behind the loopback relay.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ConnectionState, FeedGap, ProcessVitals } from '../../shared/contract.ts';
import type { SourceState } from './sources/common.ts';

/** Holes listed in the diagnostics (the store keeps them all). */
const GAP_LIST_LIMIT = 200;

export class CoreHealth {
  internalErrors = 0;
  writeErrors = 0;
  private readonly internalErrorsSeen = new Set<string>();
  private readonly quarantined = new Map<string, number>();
  readonly gaps: FeedGap[] = [];
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private loopDelayLastMinute: ProcessVitals['loopDelayMs'] = null;
  private loopTimer: NodeJS.Timeout | null = null;

  constructor(private readonly log: (line: string) => void) {}

  start(): void {
    this.loopDelay.enable();
    this.loopTimer = setInterval(() => {
      const h = this.loopDelay;
      this.loopDelayLastMinute = { p50: round1(h.percentile(50) / 1e6), p99: round1(h.percentile(99) / 1e6), max: round1(h.max / 1e6) };
      h.reset();
    }, 60_000);
    this.loopTimer.unref();
  }

  stop(): void {
    if (this.loopTimer) clearInterval(this.loopTimer);
    this.loopDelay.disable();
  }

  /** Runs `fn`; an exception is logged (once per message) and counted in the diagnostics, never thrown. */
  guard(what: string, fn: () => void): void {
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

  countQuarantine(reason: string): void {
    this.quarantined.set(reason, (this.quarantined.get(reason) ?? 0) + 1);
  }

  /** The twenty most frequent reasons input was quarantined for. */
  quarantinedByReason(): Array<{ reason: string; count: number }> {
    return [...this.quarantined].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, 20);
  }

  addGap(g: FeedGap): void {
    this.gaps.push(g);
    if (this.gaps.length > GAP_LIST_LIMIT) this.gaps.splice(0, this.gaps.length - GAP_LIST_LIMIT);
  }

  process(writerHeapBytes: number | undefined): ProcessVitals {
    const mem = process.memoryUsage();
    return {
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      writerHeapBytes,
      externalBytes: mem.external,
      handles: process.getActiveResourcesInfo().length,
      loopDelayMs: this.loopDelayLastMinute,
      uptimeSec: Math.round(process.uptime()),
    };
  }
}

/**
 * The feed's connection with real sources behind it. The FeedClient's own link is to a relay on
 * loopback (always up), so what matters is the sources': the worst of them is the status, its
 * error the error, and their quarantines count with the feed's.
 */
export function withSources(c: ConnectionState, states: SourceState[]): ConnectionState {
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

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
