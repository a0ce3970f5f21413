/**
 * The relay's side of the ingest benchmark: feeds a pre-generated stream into a `RelayServer`
 * the way a relay does (number, queue, one `events` message per room per flush). Shared by the
 * relay child process and the in-process variant, so both publish identically.
 */
import type { RelayServer } from '../../electron/core/feed/relay-server.ts';
import type { RoomStream } from './stream.ts';

/** Wall-clock ms with sub-ms precision, comparable across processes (both read the system clock). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface PacedOptions {
  mode: 'paced';
  /** Events per second over all rooms. */
  rate: number;
  batchMs: number;
}

export interface MaxOptions {
  mode: 'max';
  /** Events per flush over all rooms (the paced run's batch size). */
  batchEvents: number;
  /** Publish no further ahead of what the store has committed (bounded memory, like a real relay's buffers). */
  windowEvents: number;
}

export type PublishOptions = PacedOptions | MaxOptions;

export interface PublishResult {
  /** Wall clock of the first and the last flush. */
  firstAt: number;
  lastAt: number;
  published: number;
  flushes: number;
  /** The biggest single flush (a late tick catches up by sending more at once, as a relay would). */
  maxFlushEvents: number;
  /** Ticks that started more than one batch interval late: the publisher itself fell behind. */
  lateTicks: number;
}

export interface PublishHooks {
  /** What the store has committed so far (max mode's back-pressure). */
  stored?: () => number;
  onFlush?: (published: number, at: number) => void;
}

export function publish(relay: RelayServer, streams: RoomStream[], opts: PublishOptions, hooks: PublishHooks = {}): Promise<PublishResult> {
  return opts.mode === 'paced' ? publishPaced(relay, streams, opts, hooks) : publishMax(relay, streams, opts, hooks);
}

function totalOf(streams: RoomStream[]): number {
  return streams.reduce((s, r) => s + r.bodies.length, 0);
}

/**
 * Paced: a tick every `batchMs` on an absolute schedule (tick k at t0 + k·batchMs), so timer
 * drift does not lower the rate; each tick publishes everything due by the end of its interval.
 */
function publishPaced(relay: RelayServer, streams: RoomStream[], opts: PacedOptions, hooks: PublishHooks): Promise<PublishResult> {
  const total = totalOf(streams);
  const perRoomRate = opts.rate / streams.length;
  const cursor = streams.map(() => 0);
  const res: PublishResult = { firstAt: 0, lastAt: 0, published: 0, flushes: 0, maxFlushEvents: 0, lateTicks: 0 };
  const t0 = wallNow();
  res.firstAt = t0;
  let tick = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const now = wallNow();
      if (now - (t0 + tick * opts.batchMs) > opts.batchMs) res.lateTicks++;
      // Counted from the tick's scheduled time: a timer that fires a fraction of a millisecond
      // early must not leave the interval's last events to the next tick.
      const dueBy = Math.max(now - t0, tick * opts.batchMs) + opts.batchMs;
      let sent = 0;
      streams.forEach((s, r) => {
        const due = Math.min(s.bodies.length, Math.floor((dueBy * perRoomRate) / 1000));
        if (due > cursor[r]!) {
          relay.publish(s.roomId, s.bodies.slice(cursor[r], due));
          sent += due - cursor[r]!;
          cursor[r] = due;
        }
      });
      if (sent) {
        relay.flush();
        res.flushes++;
        res.published += sent;
        res.maxFlushEvents = Math.max(res.maxFlushEvents, sent);
        res.lastAt = wallNow();
        hooks.onFlush?.(res.published, res.lastAt);
      }
      if (res.published >= total) return resolve(res);
      tick = Math.max(tick + 1, Math.floor((wallNow() - t0) / opts.batchMs));
      setTimeout(step, Math.max(0, t0 + tick * opts.batchMs - wallNow()));
    };
    step();
  });
}

/** As fast as possible: a batch per turn of the event loop while the store keeps up. */
function publishMax(relay: RelayServer, streams: RoomStream[], opts: MaxOptions, hooks: PublishHooks): Promise<PublishResult> {
  const total = totalOf(streams);
  const perRoom = Math.max(1, Math.floor(opts.batchEvents / streams.length));
  const cursor = streams.map(() => 0);
  const stored = hooks.stored ?? (() => Number.POSITIVE_INFINITY);
  const res: PublishResult = { firstAt: wallNow(), lastAt: 0, published: 0, flushes: 0, maxFlushEvents: 0, lateTicks: 0 };
  return new Promise((resolve) => {
    const step = (): void => {
      if (res.published - stored() > opts.windowEvents) {
        // The store is behind by a full window: wait for it rather than buffer without bound.
        setTimeout(step, 1);
        return;
      }
      let sent = 0;
      streams.forEach((s, r) => {
        const end = Math.min(s.bodies.length, cursor[r]! + perRoom);
        if (end > cursor[r]!) {
          relay.publish(s.roomId, s.bodies.slice(cursor[r], end));
          sent += end - cursor[r]!;
          cursor[r] = end;
        }
      });
      relay.flush();
      res.flushes++;
      res.published += sent;
      res.maxFlushEvents = Math.max(res.maxFlushEvents, sent);
      res.lastAt = wallNow();
      hooks.onFlush?.(res.published, res.lastAt);
      if (res.published >= total) return resolve(res);
      setImmediate(step);
    };
    step();
  });
}
