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

/**
 * bench:hub: every room at its own realistic rate, a few rooms at a time bursting (a 福袋, a flash
 * sale), for a fixed time; and every `probeEveryMs` one room (in turn) gets a `viewers` event with
 * a unique online count, whose arrival on a desk's screen measures relay → screen latency.
 */
export interface HubOptions {
  mode: 'hub';
  perRoomRate: number;
  batchMs: number;
  seconds: number;
  burstFactor: number;
  burstRooms: number;
  burstEveryMs: number;
  burstForMs: number;
  probeEveryMs: number;
  /** The desk the relay's process watches for the probes (browser mode's UI channel). */
  desk: { url: string; token: string };
}

/** Online counts from here up are probes, never a real room's. */
export const PROBE_BASE = 10_000_000;

export type PublishOptions = PacedOptions | MaxOptions | HubOptions;

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
  /** A probe went out (bench:hub). */
  onProbe?: (online: number, at: number) => void;
}

export function publish(relay: RelayServer, streams: RoomStream[], opts: PublishOptions, hooks: PublishHooks = {}): Promise<PublishResult> {
  if (opts.mode === 'hub') return publishHub(relay, streams, opts, hooks);
  return opts.mode === 'paced' ? publishPaced(relay, streams, opts, hooks) : publishMax(relay, streams, opts, hooks);
}

/** The rooms bursting at `t` ms: each period's first `burstForMs`, the next `burstRooms` rooms in turn. */
export function burstingRooms(opts: HubOptions, rooms: number, t: number): Set<number> {
  const period = Math.floor(t / opts.burstEveryMs);
  if (t - period * opts.burstEveryMs >= opts.burstForMs) return new Set();
  const out = new Set<number>();
  for (let j = 0; j < Math.min(opts.burstRooms, rooms); j++) out.add((period * opts.burstRooms + j) % rooms);
  return out;
}

/** Events one room needs for a hub run, bursts included, with a margin. */
export function hubEventsPerRoom(opts: Omit<HubOptions, 'mode' | 'desk' | 'batchMs' | 'probeEveryMs'>, rooms: number): number {
  const burstShare = (opts.burstForMs / opts.burstEveryMs) * (Math.min(opts.burstRooms, rooms) / rooms);
  return Math.ceil(opts.perRoomRate * opts.seconds * (1 + (opts.burstFactor - 1) * burstShare) * 1.1) + 200;
}

function publishHub(relay: RelayServer, streams: RoomStream[], opts: HubOptions, hooks: PublishHooks): Promise<PublishResult> {
  const cursor = streams.map(() => 0);
  const owed = streams.map(() => 0);
  const res: PublishResult = { firstAt: 0, lastAt: 0, published: 0, flushes: 0, maxFlushEvents: 0, lateTicks: 0 };
  const t0 = wallNow();
  res.firstAt = t0;
  let last = t0;
  let tick = 0;
  let probes = 0;
  let nextProbe = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const now = wallNow();
      const t = now - t0;
      if (t - tick * opts.batchMs > opts.batchMs) res.lateTicks++;
      const bursting = burstingRooms(opts, streams.length, t);
      let sent = 0;
      streams.forEach((s, r) => {
        owed[r]! += ((opts.perRoomRate * (bursting.has(r) ? opts.burstFactor : 1)) * (now - last)) / 1000;
        const n = Math.min(Math.floor(owed[r]!), s.bodies.length - cursor[r]!);
        if (n > 0) {
          relay.publish(s.roomId, s.bodies.slice(cursor[r], cursor[r]! + n));
          cursor[r]! += n;
          owed[r]! -= n;
          sent += n;
        }
      });
      const probing: number[] = [];
      while (t >= nextProbe) {
        const r = probes % streams.length;
        const s = streams[r]!;
        const online = PROBE_BASE + probes;
        relay.publish(s.roomId, [{ type: 'viewers', ts: s.bodies[Math.max(0, cursor[r]! - 1)]!.ts, online }]);
        probing.push(online);
        probes++;
        sent++;
        nextProbe += opts.probeEveryMs;
      }
      last = now;
      if (sent) {
        relay.flush();
        const at = wallNow();
        for (const online of probing) hooks.onProbe?.(online, at);
        res.flushes++;
        res.published += sent;
        res.maxFlushEvents = Math.max(res.maxFlushEvents, sent);
        res.lastAt = at;
        hooks.onFlush?.(res.published, at);
      }
      if (t >= opts.seconds * 1000) return resolve(res);
      tick = Math.max(tick + 1, Math.floor((wallNow() - t0) / opts.batchMs));
      setTimeout(step, Math.max(0, t0 + tick * opts.batchMs - wallNow()));
    };
    step();
  });
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
