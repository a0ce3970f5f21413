/**
 * The hot path: the feed's events into each room's show and into the store, in the relay's
 * order. A new broadcast opens a show (closing one whose end never came); an event that cannot
 * be placed is quarantined with the reason; a restarted relay's repeats are recognised against
 * the store; a hole given up is filed with the show it fell in. Shows that were live when the app
 * last stopped continue from the store.
 */
import type { FeedEvent, RoomInfo } from '../../../shared/protocol.ts';
import { isKnown } from '../../../shared/protocol.ts';
import { clipText } from '../../../shared/format.ts';
import type { FeedGap } from '../../../shared/contract.ts';
import type { StoreReader } from '../store/reader.ts';
import type { RoomCursor } from '../feed/client.ts';
import type { WriteQueue } from '../store/write-queue.ts';
import type { EventRow, SessionRow } from '../store/writer.ts';
import { EpochOverlap, OVERLAP_SKEW_MS } from '../feed/overlap.ts';
import type { CoreHealth } from '../health.ts';
import { LiveRoom, opensBroadcast } from './room.ts';
import type { LiveSession } from './session.ts';
import { redactSecrets } from '../secrets/redact.ts';
import { admitCurrency } from './currency.ts';

export interface RecorderDeps {
  /** the key the store's cursors and shows hang on: the relay or source, not its one-off address */
  feedKey: string;
  reader: StoreReader;
  queue: WriteQueue;
  health: CoreHealth;
  log(line: string): void;
  /** a show with its rules, suggestions and ad console built for its room */
  openSession(row: SessionRow): LiveSession;
  /** a resumed show's stored ad actions and alerts */
  restore(s: LiveSession): void;
  /** a show ended (its suggestions learned from, its panel emptied) */
  ended(s: LiveSession): void;
  /** events were stored for a show that has ended: `lcr record --until-ended` may be done */
  stored(): void;
  /** something the connection badge shows changed (a hole given up) */
  connectionChanged(): void;
  /** after each batch: the store's backlog may have grown past where the feed must pause */
  backlogCheck(): void;
}

export class Recorder {
  readonly rooms = new Map<string, LiveRoom>();

  constructor(private readonly d: RecorderDeps) {}

  room(roomId: string): LiveRoom {
    let r = this.rooms.get(roomId);
    if (!r) {
      r = new LiveRoom(roomId);
      this.rooms.set(roomId, r);
    }
    return r;
  }

  /** Whether the running app is recording this show now (a live session of a followed room). */
  isRecording(sessionId: string): boolean {
    for (const r of this.rooms.values()) if (r.session?.row.sessionId === sessionId) return r.session.isLive;
    return false;
  }

  /**
   * Sessions that were live when the app last stopped (or crashed) continue where the store left
   * off, and each room's feed from its stored cursor (returned for the feed client). `only`: just
   * these rooms (a server process resumes the rooms it holds, not its neighbours').
   */
  resume(only?: ReadonlySet<string>): Map<string, RoomCursor> {
    const d = this.d;
    for (const row of d.reader.openSessions(d.feedKey)) {
      if (only && !only.has(row.roomId)) continue;
      const room = this.room(row.roomId);
      // The newest session of the room is the live one; an older open one was interrupted for good.
      if (room.session && room.session.row.startedAt > row.startedAt) continue;
      const live = d.openSession({ ...row });
      for (const e of d.reader.knownEvents(row.sessionId, row.startedAt)) {
        d.health.guard(`rehydrating ${row.sessionId}`, () => {
          live.agg.ingest(e);
          live.observe(e);
        });
        if (e.ts > live.lastTs) live.lastTs = e.ts;
      }
      d.restore(live);
      room.session = live;
    }
    const cursors = new Map([...d.reader.cursors(d.feedKey)].filter(([roomId]) => !only || only.has(roomId)));
    for (const [roomId, c] of cursors) {
      const room = this.room(roomId);
      room.epoch = c.epoch;
      room.lastSeq = c.lastSeq;
    }
    return cursors;
  }

  /**
   * Rooms this process no longer holds (another lcr serve process takes them): their latest
   * figures are queued for the store and they are forgotten here — their shows stay open in the
   * store for the next holder to continue.
   */
  release(roomIds: Iterable<string>): void {
    for (const roomId of roomIds) {
      const s = this.rooms.get(roomId)?.session;
      if (s) this.d.health.guard(`handing over ${s.row.sessionId}`, () => this.d.queue.add(s.rollup()));
      this.rooms.delete(roomId);
    }
  }

  ingest(roomId: string, epoch: number, events: FeedEvent[], lastSeq: number): void {
    const d = this.d;
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
      const outside = room.outsideWindow(e, wallNow);
      if (outside) {
        this.quarantine({ roomId, seq: e.seq, reason: `${e.type}: ${outside}`, raw: e });
        continue;
      }
      const s = this.sessionFor(room, e, epoch, sessions);
      const foreign = admitCurrency(s.row, e);
      if (foreign) {
        this.quarantine({ roomId, seq: e.seq, reason: `${e.type}: ${foreign}`, raw: e });
        continue;
      }
      // A valid event that trips a bug in the figures must not end the core or lose the event: it
      // is stored like any other (the store equals the relay's stream), the error logged and counted.
      if (isKnown(e))
        d.health.guard(`${e.type} event ${e.seq} of ${roomId}`, () => {
          if (s.apply(e)) d.ended(s);
        });
      if (e.ts > s.lastTs) s.lastTs = e.ts;
      s.row.lastSeq = e.seq;
      rows.push({ feed: d.feedKey, roomId, epoch, seq: e.seq, sessionId: s.row.sessionId, ts: e.ts, type: e.type, body: JSON.stringify(e) });
    }
    if (room.session && (rows.length || sessions.length)) sessions.push({ ...room.session.row });
    d.queue.add({ events: rows, sessions, cursors: [{ feed: d.feedKey, roomId, epoch, lastSeq }] });
    d.backlogCheck();
    if (rows.length && room.session?.row.endedAt !== null) d.stored();
  }

  /**
   * The show an event belongs to: a new broadcast's start opens one (closing the old one where
   * its data stops when its end never came); a relay that never says when the show started has
   * the first event open it.
   */
  private sessionFor(room: LiveRoom, e: FeedEvent, epoch: number, closed: SessionRow[]): LiveSession {
    const s = room.session;
    if (opensBroadcast(e, s)) {
      if (s?.isLive) {
        s.interrupt();
        this.d.ended(s);
        this.d.queue.add(s.rollup());
        closed.push({ ...s.row });
      }
      return (room.session = this.newSession(room, e.startedAt, e.title, e.seq, epoch));
    }
    return s ?? (room.session = this.newSession(room, e.ts, undefined, e.seq, epoch));
  }

  private newSession(room: LiveRoom, startedAt: number, title: string | undefined, firstSeq: number, epoch: number): LiveSession {
    const info = room.info;
    const row: SessionRow = { sessionId: `${room.roomId}@${startedAt}`, roomId: room.roomId, platform: info?.platform ?? 'unknown', title: title ?? info?.title ?? room.roomId, startedAt, endedAt: null, feed: this.d.feedKey, epoch, firstSeq, lastSeq: firstSeq };
    return this.d.openSession(row);
  }

  /** The relay's list of rooms: a resumed show the relay no longer shows live is closed. */
  roomsSeen(infos: RoomInfo[]): void {
    for (const info of infos) {
      const room = this.room(info.roomId);
      room.info = info;
      this.closeIfOver(room);
    }
  }

  /**
   * A show resumed from the store after a restart whose room the relay now shows ended, or live
   * with another broadcast: the rest of it was never seen, so it is closed where its data stops
   * and marked interrupted — never left 直播中. A relay that shows the same broadcast live resumes it.
   */
  private closeIfOver(room: LiveRoom): void {
    const s = room.liveSession;
    const info = room.info;
    if (!s || !info) return;
    const over = info.status === 'ended' || (info.status === 'live' && info.startedAt !== null && info.startedAt !== s.row.startedAt);
    if (!over) return;
    this.d.health.guard(`closing ${s.row.sessionId}`, () => {
      s.interrupt();
      this.d.ended(s);
      this.d.queue.add(s.rollup());
    });
    this.d.queue.add({ sessions: [{ ...s.row }] });
    this.d.log(`session ${s.row.sessionId}: the relay shows ${info.status === 'ended' ? 'the room ended' : 'a new broadcast'}; closed as interrupted at its last event`);
    this.d.stored();
  }

  /**
   * The relay restarted its numbering for a room: whatever it sends again of the live session
   * must not be counted twice. Everything queued is put on disk first, so the store is complete
   * when the new epoch's first events are matched against it.
   */
  async newEpoch(roomId: string, epoch: number): Promise<void> {
    const room = this.room(roomId);
    this.d.log(`feed: ${roomId} restarted its numbering (epoch ${epoch}); events already stored will be recognised`);
    await this.d.queue.settled(15_000);
    room.overlapPending = epoch;
    room.overlap = null;
  }

  private loadOverlap(room: LiveRoom, events: FeedEvent[]): EpochOverlap | null {
    const s = room.session;
    if (!s) return null;
    const first = Math.min(...events.map((e) => e.ts));
    try {
      const o = new EpochOverlap(this.d.reader.eventBodiesSince(s.row.sessionId, first - OVERLAP_SKEW_MS));
      return o.size ? o : null;
    } catch (e) {
      this.d.log(`feed: could not read the stored events of ${s.row.sessionId} to match a restarted relay: ${String(e)}`);
      return null;
    }
  }

  /** A hole given up for good: stored with the session it fell in, listed in the diagnostics and the report. */
  gap(g: FeedGap): void {
    this.d.health.addGap(g);
    this.d.log(`feed: gave up seq ${g.fromSeq}–${g.toSeq} of ${g.roomId} (${g.reason})`);
    // Filed under the show it fell in; one between shows (or before the first) goes to the next show (reader.gaps).
    const s = this.rooms.get(g.roomId)?.liveSession;
    this.d.queue.add({ gaps: [{ ...g, feed: this.d.feedKey, sessionId: s ? s.row.sessionId : null }] });
    this.d.connectionChanged();
  }

  /** Input that cannot be used: counted by reason and stored with what it was (clipped), never dropped silently. */
  quarantine(q: { roomId: string | null; seq: number | null; reason: string; raw: unknown }): void {
    // A platform's answer kept for inspection must not keep its tokens: the reason and the raw text are redacted (redact.ts).
    const reason = redactSecrets(q.reason);
    this.d.health.countQuarantine(reason);
    let raw: string;
    try {
      raw = JSON.stringify(q.raw) ?? 'undefined';
    } catch {
      raw = String(q.raw);
    }
    const sessionId = q.roomId ? (this.rooms.get(q.roomId)?.session?.row.sessionId ?? null) : null;
    this.d.queue.add({ quarantine: [{ receivedAt: Date.now(), feed: this.d.feedKey, roomId: q.roomId, sessionId, seq: q.seq, reason, raw: clipText(redactSecrets(raw), 20_000) }] });
  }
}
