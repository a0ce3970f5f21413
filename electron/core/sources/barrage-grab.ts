/**
 * SOURCES.md §3: DouyinBarrageGrab's local WebSocket (default `ws://127.0.0.1:8888`) → FEED-PROTOCOL,
 * platform `douyin`. Every frame is an envelope `{ Type, ProcessName, Data }` whose `Data` is the
 * message JSON-encoded a second time, written by Newtonsoft.Json from the tool's entities
 * (`Modles/JsonEntity/BarrageMessages.cs`): `MsgId` and `User.Id` are C# `long`s written as bare
 * numbers, read losslessly (common.ts `parseJsonLossless`) so that ids beyond 2^53 stay distinct.
 * docs/sources.md has the table of every type and field.
 *
 * Mapping decisions:
 * - Types: 1 chat → `comment`; 2 like → `like { n, total }` (`Total` is the room's count from the
 *   broadcast start, `n` the increase seen: common.ts CumulativeCounter; `Count` where no total);
 *   3 enter → `enter { n: 1 }`, and its `CurrentCount` → `viewers.online` at most once a second
 *   (entries come by the hundred; the online figure does not need to); 4 follow → `follow`;
 *   5 gift → the shared streak rule (gift-streaks.ts) on `RepeatCount` keyed by (`User.Id`,
 *   `GiftId`, `GroupId`) — not `GiftCount`: the tool's own increment restarts from the full
 *   `RepeatCount` once its 10-second cache forgets a streak, and it never forwards the end, so
 *   every streak is counted at its timeout; 6 room stats → `viewers { online: OnlineUserCount,
 *   uv: TotalUserCount }`; 7 fans club → `fansclub { n: 1 }` when its own `Type` is 2 (joined;
 *   1 is an upgrade); 8 share → `share`; 9 ended → session end.
 * - No timestamps in this format: every event is stamped on receipt.
 * - Session: starts with the first message (or the first of another `RoomId` after an end, or
 *   the first five minutes after an end — the tool keeps running between broadcasts); ends on 9.
 * - The tool captures every room open in the Douyin client. A configured room is matched against
 *   `WebRoomId` (the id in `live.douyin.com/<id>`, what people type) and `RoomId` (the internal
 *   19-digit id); the `RoomId` of a match then stands for the room when the tool leaves
 *   `WebRoomId` null (it fills it once it has the room's page). Other rooms' messages, and
 *   messages of an unknown web id before any match, are ignored. Without a configured room, the
 *   first room seen is followed.
 * - De-duplicated by `MsgId`. A quarantined message changes nothing (not the de-duplication set,
 *   the followed room, the like baseline nor the streaks).
 */
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
  emptyResult,
  field,
  isObj,
  parseJsonLossless,
  quarantine,
  toCount,
  toId,
  toNumber,
  type MapResult,
  type Obj,
  type SourceEvent,
} from './common.ts';
import { GiftStreaks, implausibleGift } from './gift-streaks.ts';
import { WsSource, type WsSourceOptions } from './ws-source.ts';

const SRC = 'barrage-grab';
const RESTART_AFTER_END_MS = 5 * 60_000;

export interface BarrageGrabMapperOptions {
  fenPerDiamond?: number;
  /** The room to follow: its web id (`live.douyin.com/<id>`) or internal `RoomId`; others are ignored. */
  liveRoomId?: string;
  /** Gift streaks are counted this long after their last step (gift-streaks.ts). */
  giftTimeoutMs?: number;
}

export class BarrageGrabMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAt = 0;
  private endedAt = 0;
  /** The internal RoomId being followed. */
  private room: string | null = null;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  private readonly gifts: GiftStreaks;
  private lastOnlineAt = -Infinity;

  constructor(private readonly opts: BarrageGrabMapperOptions = {}) {
    this.gifts = new GiftStreaks({ fenPerDiamond: opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND, timeoutMs: opts.giftTimeoutMs });
  }

  /** One parsed envelope → events. Never throws. */
  map(envelope: unknown, receivedAt: number): MapResult {
    const out = this.tick(receivedAt);
    try {
      this.mapInto(out, envelope, receivedAt);
    } catch (e) {
      out.quarantined.push(quarantine(`${SRC}: message could not be mapped (${e instanceof Error ? e.message : String(e)})`, envelope));
    }
    return out;
  }

  /** Gift streaks with no step for the timeout, counted now (the tool never forwards a streak's end). */
  tick(now: number): MapResult {
    const out = emptyResult();
    if (this.session === 'live') this.gifts.flush(now, out.events);
    return out;
  }

  /** Does this message belong to the room we follow? (A configured id may be the web id or the internal one.) */
  private ours(roomId: string | undefined, webRoomId: string | undefined): 'yes' | 'no' | 'next' {
    const want = this.opts.liveRoomId;
    if (want !== undefined) {
      if (roomId === undefined && webRoomId === undefined) return 'yes';
      if (want === webRoomId || want === roomId) return 'yes';
      // The tool leaves WebRoomId null (or 未知) until it has the room's page: the RoomId a match
      // was seen with stands for the configured room from then on.
      return roomId !== undefined && roomId === this.room ? 'yes' : 'no';
    }
    if (roomId === undefined || this.room === null || roomId === this.room) return 'yes';
    // Another room: followed only when the current one has ended.
    return this.session === 'ended' ? 'next' : 'no';
  }

  private mapInto(out: MapResult, env: unknown, now: number): void {
    if (!isObj(env)) {
      out.quarantined.push(quarantine(`${SRC}: envelope is not a JSON object`, env));
      return;
    }
    const type = toNumber(env.Type ?? env.type);
    if (type === undefined || !Number.isInteger(type) || type < 1 || type > 9) {
      out.quarantined.push(quarantine(`${SRC}: envelope Type is not 1–9`, env));
      return;
    }
    const d = decodeData(env.Data ?? env.data);
    if (!isObj(d)) {
      out.quarantined.push(quarantine(`${SRC}: envelope Data is not a JSON-encoded object`, env));
      return;
    }
    const roomId = toId(field(d, 'roomId'));
    const webRoomId = toId(field(d, 'webRoomId'));
    const belongs = this.ours(roomId, webRoomId);
    if (belongs === 'no') {
      out.ignored++;
      return;
    }
    const msgId = toId(field(d, 'msgId'));
    if (msgId !== undefined && this.seen.has(msgId)) {
      out.duplicates++;
      return;
    }
    const events: SourceEvent[] = [];
    const reason = type === 9 ? null : this.body(out, type, d, now, events);
    if (reason !== null) {
      out.quarantined.push(quarantine(`${SRC}: ${reason}`, d));
      return;
    }
    // Accepted: only now does the message move the mapper.
    if (msgId !== undefined) this.seen.add(msgId);
    if (belongs === 'next') {
      this.room = roomId!;
      this.session = 'none';
    } else if (this.room === null && roomId !== undefined) this.room = roomId;
    if (type === 9) {
      if (this.session === 'live') {
        this.gifts.flushAll(out.events);
        this.session = 'ended';
        this.endedAt = now;
        out.events.push({ ts: now, type: 'session', status: 'ended', startedAt: this.startedAt });
      } else out.ignored++;
      return;
    }
    // A gift step is room data even while its streak waits to be counted.
    if (!events.length && type !== 5) return;
    if (this.session === 'none' || (this.session === 'ended' && now - this.endedAt >= RESTART_AFTER_END_MS)) {
      if (this.session === 'ended') {
        this.likes.reset();
        this.gifts.reset();
      }
      this.session = 'live';
      this.startedAt = now;
      out.events.push({ ts: now, type: 'session', status: 'live', startedAt: now });
    }
    out.events.push(...events);
  }

  /** One message's events, or why it is garbage; checks come before any state changes. */
  private body(out: MapResult, type: number, d: Obj, ts: number, events: SourceEvent[]): string | null {
    switch (type) {
      case 1: {
        const text = field(d, 'content');
        if (typeof text !== 'string') return 'chat (Type 1) without Content';
        if (text.length > 2000) return 'chat (Type 1) Content over 2000 characters';
        const nickname = field(d, 'user.nickname');
        const userId = toId(field(d, 'user.id'));
        events.push({ ts, type: 'comment', text, ...(typeof nickname === 'string' && nickname.length <= 200 && { nickname }), ...(userId !== undefined && { userId }) });
        return null;
      }
      case 2: {
        const total = toCount(field(d, 'total'));
        const count = toCount(field(d, 'count'));
        if (total === undefined && count === undefined) return 'like (Type 2) without Count or Total';
        const n = total !== undefined ? this.likes.next(total, count ?? 0) : count!;
        if (n === 0) out.ignored++;
        else events.push(total !== undefined ? { ts, type: 'like', n, total } : { ts, type: 'like', n });
        return null;
      }
      case 3: {
        events.push({ ts, type: 'enter', n: 1 });
        const online = toCount(field(d, 'currentCount'));
        if (online !== undefined && ts - this.lastOnlineAt >= 1000) {
          this.lastOnlineAt = ts;
          events.push({ ts, type: 'viewers', online });
        }
        return null;
      }
      case 4:
        events.push({ ts, type: 'follow', n: 1 });
        return null;
      case 5:
        return this.gift(out, d, ts, events);
      case 6: {
        const online = toCount(field(d, 'onlineUserCount'));
        if (online === undefined) return 'room stats (Type 6) without OnlineUserCount';
        const uv = toCount(field(d, 'totalUserCount'));
        this.lastOnlineAt = ts;
        events.push(uv === undefined ? { ts, type: 'viewers', online } : { ts, type: 'viewers', online, uv });
        return null;
      }
      case 7: {
        const kind = toNumber(field(d, 'type'));
        if (kind !== undefined && kind !== 2) out.ignored++;
        else events.push({ ts, type: 'fansclub', n: 1 });
        return null;
      }
      case 8:
        events.push({ ts, type: 'share', n: 1 });
        return null;
      default:
        out.ignored++;
        return null;
    }
  }

  private gift(out: MapResult, d: Obj, ts: number, events: SourceEvent[]): string | null {
    const diamondCount = toCount(field(d, 'diamondCount'));
    if (diamondCount === undefined) return 'gift (Type 5) without DiamondCount';
    // RepeatCount is the streak's running count; GiftCount only where a build leaves it out.
    const repeatCount = toCount(field(d, 'repeatCount')) ?? toCount(field(d, 'giftCount'));
    if (repeatCount === undefined) return 'gift (Type 5) without RepeatCount or GiftCount';
    const absurd = implausibleGift(repeatCount, 1, diamondCount);
    if (absurd) return `gift (Type 5) is not a real gift (${absurd})`;
    const done = this.gifts.step(
      {
        user: toId(field(d, 'user.id')) ?? '',
        gift: toId(field(d, 'giftId')) ?? '',
        group: toId(field(d, 'groupId')) ?? '',
        repeatCount,
        groupCount: 1,
        diamondCount,
        repeatEnd: false,
        streakable: true,
        ts,
      },
      ts,
      events,
    );
    if (done !== 'counted') out.ignored++;
    return null;
  }
}

/** `Data` is JSON inside JSON (64-bit ids kept exact); an already-decoded object (some builds) is accepted too. */
function decodeData(data: unknown): unknown {
  let v = data;
  for (let i = 0; i < 2 && typeof v === 'string'; i++) {
    try {
      v = parseJsonLossless(v);
    } catch {
      return undefined;
    }
  }
  return v;
}

// ---- Connector -------------------------------------------------------------------------------------

export interface BarrageGrabOptions extends WsSourceOptions, BarrageGrabMapperOptions {}

export class BarrageGrabSource extends WsSource {
  protected readonly tag = SRC;
  protected readonly mapper: BarrageGrabMapper;

  constructor(opts: BarrageGrabOptions) {
    super('barrage-grab', opts);
    this.mapper = new BarrageGrabMapper(opts);
  }
}
