/**
 * SOURCES.md §3: DouyinBarrageGrab's local WebSocket (default `ws://127.0.0.1:8888`) → FEED-PROTOCOL,
 * platform `douyin`. Every frame is an envelope `{ Type, ProcessName, Data }` whose `Data` is the
 * message JSON-encoded a second time.
 *
 * Mapping decisions:
 * - Types: 1 chat → `comment`; 2 like → `like { n }` from deltas of `Total` (common.ts
 *   CumulativeCounter; `Count` where no total); 3 enter → `enter { n: 1 }`, and its `CurrentCount`
 *   → `viewers.online` at most once a second (entries come by the hundred; the online figure
 *   does not need to); 4 follow → `follow`; 5 gift → `gift { n: GiftCount }` — the tool has
 *   already de-duplicated combos, so `GiftCount` is the new units — worth `DiamondCount × GiftCount`
 *   diamonds; 6 room stats → `viewers { online: OnlineUserCount, uv: TotalUserCount }`;
 *   7 fans club → `fansclub { n: 1 }` (when the message has its own `Type`, only 2 = join);
 *   8 share → `share`; 9 ended → session end.
 * - No timestamps in this format: every event is stamped on receipt.
 * - Session: starts with the first message (or the first of another `RoomId` after an end, or
 *   the first five minutes after an end — the tool keeps running between broadcasts); ends on 9.
 * - The tool captures every room open in the Douyin client: with `liveRoomId` set, other rooms'
 *   messages are ignored; without it, the first room seen is followed.
 * - De-duplicated by `MsgId`.
 */
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
  emptyResult,
  field,
  giftEvent,
  isObj,
  quarantine,
  toCount,
  toId,
  toNumber,
  toText,
  type MapResult,
  type Obj,
  type SourceEvent,
} from './common.ts';
import { WsSource, type WsSourceOptions } from './ws-source.ts';

const SRC = 'barrage-grab';
const RESTART_AFTER_END_MS = 5 * 60_000;

export interface BarrageGrabMapperOptions {
  fenPerDiamond?: number;
  /** Douyin's live room id (`RoomId`) to follow; others are ignored. */
  liveRoomId?: string;
}

export class BarrageGrabMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAt = 0;
  private endedAt = 0;
  private room: string | null;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  private lastOnlineAt = -Infinity;
  private readonly fenPerDiamond: number;

  constructor(private readonly opts: BarrageGrabMapperOptions = {}) {
    this.fenPerDiamond = opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND;
    this.room = opts.liveRoomId ?? null;
  }

  /** One parsed envelope → events. Never throws. */
  map(envelope: unknown, receivedAt: number): MapResult {
    const out = emptyResult();
    try {
      this.mapInto(out, envelope, receivedAt);
    } catch (e) {
      out.quarantined.push(quarantine(`${SRC}: message could not be mapped (${e instanceof Error ? e.message : String(e)})`, envelope));
    }
    return out;
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
    if (roomId !== undefined) {
      if (this.room === null) this.room = roomId;
      else if (roomId !== this.room) {
        // Another room: followed only when not pinned by configuration and the current one has ended.
        if (this.opts.liveRoomId !== undefined || this.session !== 'ended') {
          out.ignored++;
          return;
        }
        this.room = roomId;
        this.session = 'none';
      }
    }
    const msgId = toId(field(d, 'msgId'));
    if (msgId !== undefined && !this.seen.add(msgId)) {
      out.duplicates++;
      return;
    }
    if (type === 9) {
      if (this.session === 'live') {
        this.session = 'ended';
        this.endedAt = now;
        this.likes.reset();
        out.events.push({ ts: now, type: 'session', status: 'ended', startedAt: this.startedAt });
      } else out.ignored++;
      return;
    }
    const events = this.body(out, type, d, now);
    if (!events.length) return;
    if (this.session === 'none' || (this.session === 'ended' && now - this.endedAt >= RESTART_AFTER_END_MS)) {
      this.session = 'live';
      this.startedAt = now;
      this.likes.reset();
      out.events.push({ ts: now, type: 'session', status: 'live', startedAt: now });
    }
    out.events.push(...events);
  }

  private body(out: MapResult, type: number, d: Obj, ts: number): SourceEvent[] {
    switch (type) {
      case 1: {
        const text = field(d, 'content');
        if (typeof text !== 'string') {
          out.quarantined.push(quarantine(`${SRC}: chat (Type 1) without Content`, d));
          return [];
        }
        if (text.length > 2000) {
          out.quarantined.push(quarantine(`${SRC}: chat (Type 1) Content over 2000 characters`, d));
          return [];
        }
        const nickname = toText(field(d, 'user.nickname'), 200);
        const userId = toId(field(d, 'user.id'));
        return [{ ts, type: 'comment', text, ...(nickname !== undefined && { nickname }), ...(userId !== undefined && { userId }) }];
      }
      case 2: {
        const total = toCount(field(d, 'total'));
        const count = toCount(field(d, 'count'));
        if (total === undefined && count === undefined) {
          out.quarantined.push(quarantine(`${SRC}: like (Type 2) without Count or Total`, d));
          return [];
        }
        const n = total !== undefined ? this.likes.next(total, count ?? 0) : count!;
        if (n === 0) {
          out.ignored++;
          return [];
        }
        return [{ ts, type: 'like', n }];
      }
      case 3: {
        const events: SourceEvent[] = [{ ts, type: 'enter', n: 1 }];
        const online = toCount(field(d, 'currentCount'));
        if (online !== undefined && ts - this.lastOnlineAt >= 1000) {
          this.lastOnlineAt = ts;
          events.push({ ts, type: 'viewers', online });
        }
        return events;
      }
      case 4:
        return [{ ts, type: 'follow', n: 1 }];
      case 5: {
        const diamondCount = toCount(field(d, 'diamondCount'));
        if (diamondCount === undefined) {
          out.quarantined.push(quarantine(`${SRC}: gift (Type 5) without DiamondCount`, d));
          return [];
        }
        const giftCount = toCount(field(d, 'giftCount'));
        if (giftCount === undefined) {
          out.quarantined.push(quarantine(`${SRC}: gift (Type 5) without GiftCount`, d));
          return [];
        }
        if (giftCount === 0) {
          out.ignored++;
          return [];
        }
        return [giftEvent(ts, giftCount, diamondCount * giftCount, this.fenPerDiamond)];
      }
      case 6: {
        const online = toCount(field(d, 'onlineUserCount'));
        if (online === undefined) {
          out.quarantined.push(quarantine(`${SRC}: room stats (Type 6) without OnlineUserCount`, d));
          return [];
        }
        const uv = toCount(field(d, 'totalUserCount'));
        this.lastOnlineAt = ts;
        return [uv === undefined ? { ts, type: 'viewers', online } : { ts, type: 'viewers', online, uv }];
      }
      case 7: {
        const kind = toNumber(field(d, 'type'));
        if (kind !== undefined && kind !== 2) {
          out.ignored++;
          return [];
        }
        return [{ ts, type: 'fansclub', n: 1 }];
      }
      case 8:
        return [{ ts, type: 'share', n: 1 }];
      default:
        out.ignored++;
        return [];
    }
  }
}

/** `Data` is JSON inside JSON; an already-decoded object (some builds) is accepted too. */
function decodeData(data: unknown): unknown {
  let v = data;
  for (let i = 0; i < 2 && typeof v === 'string'; i++) {
    try {
      v = JSON.parse(v);
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
