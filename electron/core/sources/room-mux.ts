/**
 * One relay room fed by one or more source adapters: a viewer-side stream (TikTok-Chat-Reader,
 * douyinLive, DouyinBarrageGrab) and a merchant-side order stream make one timeline — one `seq`
 * stream (the relay numbers what the mux publishes) and one session.
 *
 * Session rules, so two sources never make two sessions or end each other's:
 * - Only a sink created with `opensSession` may start or end the session. A second `session live`
 *   while one is live (a source reconnecting to the same broadcast) is dropped; after `ended`, the
 *   next `live` starts a new broadcast.
 * - Events that arrive before any session (orders read from a file before the viewer stream has
 *   connected) are held, bounded, and released once the session starts; the relay must not see
 *   events of a session it has not announced, or the app would open a session at the wrong time.
 * - `ts` is clamped to the session start: the store buckets by `ts` and minute 0 is the floor.
 *
 * Every event is checked with `validateEvent` before it reaches the relay; a mapper bug becomes a
 * quarantine entry with the reason, never a malformed event on the wire.
 *
 * Floods: events wait at most one batch interval; when more than `coalesceAbove` are waiting,
 * count events (entries, likes, follows, shares, fans-club joins) of the same type and second are
 * merged into one (their `n` summed) — the metrics only sum them — and beyond `maxPending` new
 * events are dropped and counted rather than letting memory grow without bound.
 */
import { validateEvent } from '../../../shared/protocol.ts';
import type { RelayServer } from '../feed/relay-server.ts';
import type { SourceEvent } from './common.ts';
import { preview } from './common.ts';

export interface RoomMuxOptions {
  relay: RelayServer;
  roomId: string;
  platform: string;
  title: string;
  /** Real ms between publishes to the relay (the relay then streams one batch). */
  batchMs?: number;
  /** Waiting events beyond which count events are merged. */
  coalesceAbove?: number;
  /** Waiting events beyond which new ones are dropped (counted). */
  maxPending?: number;
  /** Events held before the session starts. */
  maxHeld?: number;
  /** Events a mapper produced that FEED-PROTOCOL rejects (a bug guard), and events dropped by the room's rules. */
  onQuarantine?: (q: { source: string; reason: string; raw: unknown }) => void;
}

export interface SinkOptions {
  /** May this source start and end the session (the viewer-side stream)? */
  opensSession: boolean;
  /**
   * Does this source's catalog say what the broadcast shows? Default true. TikTok Shop's list of
   * the products its orders named is a fallback: it neither counts as shown (the attribution rule
   * would then match itself) nor replaces a catalog another source of the room sent.
   */
  showsProducts?: boolean;
}

/** Where an adapter's connector puts its events. */
export interface RoomSink {
  readonly name: string;
  push(events: readonly SourceEvent[]): void;
  /** Latest known unit price of a product (from catalog / product events of any source in the room). */
  priceOf(productId: string): number | undefined;
}

export interface RoomMuxStats {
  session: 'none' | 'live' | 'ended';
  startedAt: number | null;
  published: number;
  held: number;
  coalesced: number;
  dropped: number;
  invalid: number;
  /** `session` events dropped because the session was already in that state (reconnects) or the sink may not open it. */
  sessionRepeats: number;
  /** Fallback product lists (TikTok Shop's) left out because the room has its own catalog. */
  fallbackCatalogs: number;
}

const COUNT_TYPES = new Set(['enter', 'follow', 'share', 'fansclub', 'like']);

export class RoomMux {
  readonly roomId: string;
  private readonly opts: RoomMuxOptions;
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAt: number | null = null;
  private endedAt: number | null = null;
  private readonly shown = new Set<string>();
  /** A source that says what the broadcast shows has sent a catalog. */
  private ownCatalog = false;
  private pending: SourceEvent[] = [];
  private held: SourceEvent[] = [];
  /** Pending length at which to merge next: merging again right after a merge that freed little would be quadratic. */
  private nextCoalesceAt = 0;
  private readonly prices = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly counters = { published: 0, coalesced: 0, dropped: 0, invalid: 0, sessionRepeats: 0, fallbackCatalogs: 0 };

  constructor(opts: RoomMuxOptions) {
    this.opts = opts;
    this.roomId = opts.roomId;
    opts.relay.addRoom({ roomId: opts.roomId, platform: opts.platform, title: opts.title });
  }

  /** Starts publishing every `batchMs`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.opts.batchMs ?? 100);
  }

  /** Publishes what is waiting and stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  /** The broadcast's window as the session opener said it (epoch ms), null before it started. */
  liveWindow(): { startedAt: number; endedAt: number | null } | null {
    return this.startedAt === null ? null : { startedAt: this.startedAt, endedAt: this.session === 'ended' ? this.endedAt : null };
  }

  /** The products this broadcast showed (its catalog and every product pinned), null when no source named any. */
  shownProducts(): ReadonlySet<string> | null {
    return this.shown.size ? this.shown : null;
  }

  get stats(): RoomMuxStats {
    return { session: this.session, startedAt: this.startedAt, held: this.held.length, ...this.counters };
  }

  sink(name: string, opts: SinkOptions): RoomSink {
    return {
      name,
      push: (events) => {
        for (const e of events) this.accept(name, opts, e);
      },
      priceOf: (productId) => this.prices.get(productId),
    };
  }

  /** Hands waiting events to the relay and has it stream them. */
  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.nextCoalesceAt = 0;
    this.opts.relay.publish(this.roomId, batch);
    this.counters.published += batch.length;
    this.opts.relay.flush();
  }

  private accept(source: string, sink: SinkOptions, e: SourceEvent): void {
    const v = validateEvent({ ...e, seq: 1 });
    if (!v.ok) {
      this.counters.invalid++;
      this.opts.onQuarantine?.({ source, reason: `${source}: produced an invalid ${String(e.type)} event (${v.reason})`, raw: preview(e) });
      return;
    }
    if (e.type === 'session') {
      if (!sink.opensSession) {
        this.counters.sessionRepeats++;
        return;
      }
      if (e.status === 'live') {
        if (this.session === 'live') {
          this.counters.sessionRepeats++;
          return;
        }
        // A new broadcast after an ended one shows its own products; a catalog sent before the first start stays.
        if (this.session === 'ended') {
          this.shown.clear();
          this.ownCatalog = false;
        }
        this.session = 'live';
        this.startedAt = e.startedAt;
        this.endedAt = null;
        this.enqueue(e.ts < e.startedAt ? { ...e, ts: e.startedAt } : e);
        const held = this.held;
        this.held = [];
        for (const h of held) this.enqueue(this.clamp(h));
        return;
      }
      if (this.session !== 'live') {
        this.counters.sessionRepeats++;
        return;
      }
      this.session = 'ended';
      this.endedAt = e.ts;
      this.enqueue(this.clamp(e));
      return;
    }
    const shows = sink.showsProducts !== false;
    if (e.type === 'catalog' && !shows && this.ownCatalog) {
      this.counters.fallbackCatalogs++;
      return;
    }
    if (e.type === 'catalog') for (const p of e.products) this.prices.set(p.id, p.priceFen);
    if (e.type === 'catalog' && shows) {
      this.ownCatalog = true;
      for (const p of e.products) this.shown.add(p.id);
    }
    if (e.type === 'pin' && e.productId !== null && shows) this.shown.add(e.productId);
    if (e.type === 'product' && e.priceFen !== undefined) this.prices.set(e.productId, e.priceFen);
    if (this.session === 'none') {
      if (this.held.length >= (this.opts.maxHeld ?? 10_000)) {
        this.held.shift();
        this.counters.dropped++;
      }
      this.held.push(e);
      return;
    }
    this.enqueue(this.clamp(e));
  }

  private clamp(e: SourceEvent): SourceEvent {
    return this.startedAt !== null && e.ts < this.startedAt ? { ...e, ts: this.startedAt } : e;
  }

  private enqueue(e: SourceEvent): void {
    const above = this.opts.coalesceAbove ?? 2_000;
    if (this.pending.length >= Math.max(above, this.nextCoalesceAt)) {
      this.coalesce();
      this.nextCoalesceAt = this.pending.length + Math.ceil(above / 2);
    }
    if (this.pending.length >= (this.opts.maxPending ?? 20_000)) {
      this.counters.dropped++;
      return;
    }
    this.pending.push(e);
  }

  /** Merges waiting count events of the same type and second (their `n` summed), keeping the first's place. */
  private coalesce(): void {
    const firstOf = new Map<string, SourceEvent & { n: number }>();
    const kept: SourceEvent[] = [];
    for (const e of this.pending) {
      // A like carrying a room total is a snapshot, not a count: never merged.
      const mergeable = COUNT_TYPES.has(e.type) && 'n' in e && typeof e.n === 'number' && !(e.type === 'like' && e.total !== undefined);
      if (!mergeable) {
        kept.push(e);
        continue;
      }
      const key = `${e.type}|${'source' in e ? String(e.source) : ''}|${Math.floor(e.ts / 1000)}`;
      const first = firstOf.get(key);
      if (first) {
        first.n += (e as { n: number }).n;
        this.counters.coalesced++;
      } else {
        const copy = { ...e } as SourceEvent & { n: number };
        firstOf.set(key, copy);
        kept.push(copy);
      }
    }
    this.pending = kept;
  }
}
