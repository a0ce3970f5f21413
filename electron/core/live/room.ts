/**
 * A followed room: where the feed stands in it (epoch, last sequence number, a restarted relay's
 * overlap) and its show, live or last ended. What the screen is sent about it is built here:
 * the room's view for the wall and the lists, its detail when a screen opens it, and each push.
 */
import type { RoomInfo, FeedEvent, SessionEvent } from '../../../shared/protocol.ts';
import { sessionInfo, type FigureOrigin, type Push, type RoomDetail, type RoomView } from '../../../shared/contract.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import { MAX_AHEAD_OF_NOW_MS, outsideSessionWindow } from '../../../shared/metrics/window.ts';
import type { EpochOverlap } from '../feed/overlap.ts';
import type { LiveSession } from './session.ts';

/** What every room's view says about the app's source, not the room. */
export interface SourceFacts {
  /** the source carries no orders or product clicks (a viewer-side source without an order file) */
  noOrders: boolean;
  /** the relay takes commands (pin, flash, ad budget) */
  commandsSupported: boolean;
  /** where each kind of figure of a room comes from, given the room's last event (sources/origins.ts) */
  origins?: (roomId: string, lastEventAt: number | null) => FigureOrigin[];
}

export class LiveRoom {
  info: RoomInfo | null = null;
  session: LiveSession | null = null;
  epoch = 0;
  lastSeq = 0;
  /** The relay restarted its numbering: this epoch's first events are matched against the store. */
  overlapPending: number | null = null;
  overlap: EpochOverlap | null = null;
  /** Wall clock of the room's last event in this run: a screen tells a quiet room by it. */
  lastEventAt: number | null = null;

  constructor(readonly roomId: string) {}

  /** The room's show if it is live now. */
  get liveSession(): LiveSession | null {
    return this.session?.isLive ? this.session : null;
  }

  /** Why an event's `ts` cannot be placed (null when it can): outside its session's window, or days ahead of the clock. */
  outsideWindow(e: FeedEvent, wallNow: number): string | null {
    if (e.ts > wallNow + MAX_AHEAD_OF_NOW_MS) return `ts ${e.ts} is days ahead of this machine's clock`;
    const s = this.session;
    // A new broadcast's own start, or the first event of a room, opens the window itself.
    if (!s || opensBroadcast(e, s)) return null;
    return outsideSessionWindow(e.ts, s.row.startedAt);
  }

  view(kpis: RoomView['kpis'] | null, facts: SourceFacts, wallNow = Date.now()): RoomView {
    const s = this.session;
    const info = this.info;
    return {
      roomId: this.roomId,
      platform: info?.platform ?? s?.row.platform ?? 'unknown',
      title: s?.row.title ?? info?.title ?? this.roomId,
      status: s ? (s.isLive ? 'live' : 'ended') : (info?.status ?? 'scheduled'),
      session: s ? sessionInfo(s.row) : null,
      kpis,
      windowEnd: s ? s.end : null,
      lastEventAt: this.lastEventAt,
      ...(s
        ? {
            pinned: s.pinned === null ? null : { productId: s.pinned, title: s.titles.get(s.pinned) ?? s.pinned },
            breakEvenRoi: s.breakEvenRoi,
            onlineCurve: s.onlineCurve(wallNow),
            kpisMinuteAgo: s.kpiHistory.ago(s.end),
          }
        : {}),
      ...(facts.noOrders ? { noOrders: true } : {}),
      ...(facts.origins ? { origins: facts.origins(this.roomId, this.lastEventAt) } : {}),
    };
  }

  /** The view with the KPIs as of now (the wall and the room list). */
  summary(facts: SourceFacts): RoomView {
    const s = this.session;
    return this.view(s ? s.agg.live(s.end, Number.MAX_SAFE_INTEGER).kpis : null, facts);
  }

  /** Everything a screen that opens the room needs at once. */
  detail(facts: SourceFacts): RoomDetail {
    const s = this.session;
    if (!s) return { ...this.view(null, facts), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: facts.commandsSupported, demand: null, markers: [] };
    const end = s.end;
    const snap = s.agg.snapshot(end);
    return {
      ...this.view(snap.kpis, facts),
      minutes: snap.minutes,
      products: snap.products,
      segments: snap.segments,
      pinnedProductId: s.agg.pinnedAt(end),
      commandsSupported: facts.commandsSupported,
      demand: s.demand.summary(s.minuteAt(end)),
      markers: [...s.markers],
    };
  }

  /**
   * The room's push when something changed since the last one (null: nothing to send): the
   * minutes from the lowest changed one, the products and segments at most once a second — or
   * with a new pin, so the board's 讲解中 and the segment card change together — and the markers
   * when one was added.
   */
  push(withProducts: boolean, snapshot: () => SessionMetrics, facts: SourceFacts): Push | null {
    const s = this.session;
    if (!s) return null;
    const productsDue = withProducts && s.productsDirty;
    if (s.pushFrom === null && !productsDue) return null;
    const end = s.end;
    const from = s.resetPending ? 0 : Math.min(s.pushFrom ?? s.pushedLast, s.pushedLast);
    const live = s.agg.live(end, from);
    s.pushedLast = live.minutes.at(-1)?.minute ?? s.pushedLast;
    const pinnedProductId = s.agg.pinnedAt(end);
    const payload: Extract<Push, { topic: 'room' }>['payload'] = { roomId: this.roomId, view: this.view(live.kpis, facts), minutes: live.minutes, reset: s.resetPending, pinnedProductId };
    const pinChanged = pinnedProductId !== s.pushedPinned;
    s.pushedPinned = pinnedProductId;
    if (productsDue || pinChanged) {
      const sn = snapshot();
      payload.products = sn.products;
      payload.segments = sn.segments;
      s.productsDirty = false;
    }
    if (s.markersDirty || s.resetPending) {
      payload.markers = [...s.markers];
      s.markersDirty = false;
    }
    s.pushFrom = null;
    s.resetPending = false;
    return { topic: 'room', payload };
  }
}

/** A live `session` event with another start than the room's show: a new broadcast begins. */
export function opensBroadcast(e: FeedEvent, s: LiveSession | null): e is SessionEvent & FeedEvent {
  return e.type === 'session' && !('unknown' in e) && e.status === 'live' && (!s || s.row.startedAt !== e.startedAt);
}
