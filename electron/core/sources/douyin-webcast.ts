/**
 * SOURCES.md §2: Douyin webcast messages decoded to JSON by the douyinLive service
 * (`ws://host:port/ws/<roomId>`, one JSON object per text frame) → FEED-PROTOCOL, platform `douyin`.
 * docs/sources.md has the table of every message and field, what is made of it and what is not.
 *
 * douyinLive encodes the messages of douyinlive-proto's `new_douyin.proto` with protojson: 64-bit
 * integers arrive as strings, and a field that is zero, false or empty is left out. So an absent
 * count is 0 and an absent flag false — never a reason to quarantine — while a present field of
 * the wrong kind is. Keys are camelCase (protojson) or snake_case (other decoders, the f2
 * fixtures); `method` at the top level or in `common.method`; an object or an array of them.
 *
 * Mapping decisions:
 * - Session: a status frame (`type: system`, `event: live_status`) `ROOM_ONLINE` / `live: true`
 *   starts it (its `title` kept; the service gives no start time, so it starts on receipt);
 *   `ROOM_ENDED` / `ended: true` or a `WebcastControlMessage` with `action` (field 2) 3 ends it.
 *   `ROOM_OFFLINE` / `ACCOUNT_OFFLINE_NO_ROOM` change nothing but say the room is not live (the
 *   service keeps watching it); `ROOM_NOT_FOUND` says the room id is wrong (the service closes
 *   the socket: the connector stops). A decoded message before any status frame starts the
 *   session at its receipt.
 * - `WebcastRoomUserSeqMessage`: `total` → `viewers.online`, `totalUser` → `uv`, and
 *   `totalPvForAnchor` (a display string like "43.6万", 4 significant digits) → `pv`.
 * - `WebcastRoomStatsMessage` (the only viewer figure in guest mode): `displayType` 1 or a
 *   display text saying 在线 → `viewers.online`; a display text saying 看过 ("N人看过", the
 *   room's accumulated viewers) → `viewers { uv }` without `online` (docs/sources.md: the
 *   project's extension); anything else is not guessed at (ignored).
 * - `WebcastLikeMessage`: `like { n, total }`: `total` is the room's count from the broadcast
 *   start (the KPI), `n` the increase seen (common.ts CumulativeCounter); `count` alone → `n`.
 * - `WebcastMemberMessage` → `enter { n: 1 }`; `WebcastChatMessage.content` → `comment`.
 * - `WebcastSocialMessage`: `action` 1 → follow; `shareType` (or `action` 3) → share.
 * - `WebcastGiftMessage`: the shared streak rule (gift-streaks.ts), whatever `gift.combo` says
 *   (left out when false, and unreliable): streak = (user, gift, `groupId`), counted once at its
 *   final `repeatCount` × `groupCount`; the trailing `repeatEnd: 1` copy adds nothing.
 * - `WebcastFansclubMessage` `action` (field 2) 2 = joined → `fansclub { n: 1 }` (1 = upgrade).
 * - `WebcastProductChangeMessage`: the `update_product_info[]` entry with a non-zero
 *   `explain_type` → `pin` of its `promotion_id`. A change without one says nothing about the
 *   explained product (lists change for many reasons), so no `pin null` is sent.
 * - `WebcastLiveShoppingMessage` with `sold_out` → `product { productId, soldOut }` for each of
 *   `updated_product_ids`.
 * - `ts` = `common.createTime` by the shared rule; messages de-duplicated by `common.msgId`.
 * - A message that is quarantined changes nothing: not the de-duplication set, the like
 *   baseline, the gift streaks nor the session.
 */
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
  displayCount,
  emptyResult,
  field,
  firstField,
  isObj,
  quarantine,
  sourceTs,
  toBool,
  toCount,
  toId,
  toNumber,
  toText,
  type MapResult,
  type Obj,
  type SourceEvent,
} from './common.ts';
import { GiftStreaks, implausibleGift } from './gift-streaks.ts';
import { WsSource, type WsSourceOptions } from './ws-source.ts';

export const DOUYIN_PLATFORM = 'douyin';
const SRC = 'douyin';
const MAX_ARRAY = 100;

export interface DouyinMapperOptions {
  fenPerDiamond?: number;
  /** Gift streaks with no end are counted this long after their last step (gift-streaks.ts). */
  giftTimeoutMs?: number;
}

/**
 * A protojson count: absent is 0 (the encoder leaves zero out), a count is itself, anything else
 * is garbage (undefined).
 */
export function protoCount(v: unknown): number | undefined {
  return v === undefined || v === null ? 0 : toCount(v);
}

/** A RoomStats figure is online viewers only when its display says so. */
function statsKind(m: Obj): 'online' | 'watched' | 'unknown' {
  const text = [field(m, 'displayLong'), field(m, 'displayMiddle'), field(m, 'displayShort')].filter((t): t is string => typeof t === 'string').join(' ');
  if (text.includes('看过')) return 'watched';
  if (text.includes('在线')) return 'online';
  return toNumber(field(m, 'displayType')) === 1 ? 'online' : 'unknown';
}

export class DouyinWebcastMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAt = 0;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  private readonly gifts: GiftStreaks;

  constructor(opts: DouyinMapperOptions = {}) {
    this.gifts = new GiftStreaks({ fenPerDiamond: opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND, timeoutMs: opts.giftTimeoutMs });
  }

  /** One parsed frame → events. Never throws. */
  map(msg: unknown, receivedAt: number): MapResult {
    const out = this.tick(receivedAt);
    if (Array.isArray(msg)) {
      if (msg.length > MAX_ARRAY) {
        out.quarantined.push(quarantine(`${SRC}: an array of ${msg.length} messages (more than ${MAX_ARRAY})`, msg));
        return out;
      }
      if (msg.length === 0) out.ignored++;
      for (const m of msg) this.one(out, m, receivedAt);
      return out;
    }
    this.one(out, msg, receivedAt);
    return out;
  }

  /** Gift streaks whose end did not come within the timeout, counted now. */
  tick(now: number): MapResult {
    const out = emptyResult();
    if (this.session === 'live') this.gifts.flush(now, out.events);
    return out;
  }

  private one(out: MapResult, m: unknown, receivedAt: number): void {
    try {
      this.mapInto(out, m, receivedAt);
    } catch (e) {
      out.quarantined.push(quarantine(`${SRC}: message could not be mapped (${e instanceof Error ? e.message : String(e)})`, m));
    }
  }

  private mapInto(out: MapResult, m: unknown, receivedAt: number): void {
    if (!isObj(m)) {
      out.quarantined.push(quarantine(`${SRC}: message is not a JSON object`, m));
      return;
    }
    if (m.type === 'system') return this.status(out, m, receivedAt);
    const method = toText(firstField(m, 'method', 'common.method'), 100);
    if (!method) {
      out.quarantined.push(quarantine(`${SRC}: message without method`, m));
      return;
    }
    const msgId = toId(firstField(m, 'common.msgId', 'msgId'));
    if (msgId !== undefined && this.seen.has(msgId)) {
      out.duplicates++;
      return;
    }
    const ts = sourceTs(firstField(m, 'common.createTime', 'createTime'), receivedAt);
    const events: SourceEvent[] = [];
    const reason = this.body(out, method, m, ts, events);
    if (reason !== null) {
      out.quarantined.push(quarantine(`${SRC}: ${method} ${reason}`, m));
      return;
    }
    if (msgId !== undefined) this.seen.add(msgId);
    // A gift step is room data even while its streak waits to be counted.
    if (!events.length && method !== 'WebcastGiftMessage') return;
    if (this.session === 'none') this.open(out, receivedAt);
    out.events.push(...events);
  }

  /**
   * One decoded message's events, or why it is garbage. Checks come before any state changes, so
   * a message that is refused leaves the mapper as it was.
   */
  private body(out: MapResult, method: string, m: Obj, ts: number, events: SourceEvent[]): string | null {
    switch (method) {
      case 'WebcastRoomUserSeqMessage': {
        const online = protoCount(field(m, 'total'));
        const totalUser = field(m, 'totalUser');
        const uv = totalUser === undefined ? undefined : toCount(totalUser);
        if (online === undefined || (totalUser !== undefined && uv === undefined)) return 'total or totalUser is not a count';
        const pv = displayCount(field(m, 'totalPvForAnchor'));
        events.push({ ts, type: 'viewers', online, ...(uv !== undefined && { uv }), ...(pv !== undefined && { pv }) });
        return null;
      }
      case 'WebcastRoomStatsMessage': {
        const raw = firstField(m, 'total', 'displayValue');
        const figure = raw === undefined ? displayCount(firstField(m, 'displayMiddle', 'displayShort')) : toCount(raw);
        if (raw !== undefined && figure === undefined) return 'total is not a count';
        const kind = statsKind(m);
        if (figure === undefined || kind === 'unknown') {
          // A figure whose display says neither 在线 nor 看过: not guessed at.
          out.ignored++;
          return null;
        }
        events.push(kind === 'online' ? { ts, type: 'viewers', online: figure } : { ts, type: 'viewers', uv: figure });
        return null;
      }
      case 'WebcastMemberMessage':
        events.push({ ts, type: 'enter', n: 1 });
        return null;
      case 'WebcastLikeMessage': {
        const rawTotal = field(m, 'total');
        const count = protoCount(field(m, 'count'));
        const total = rawTotal === undefined ? undefined : toCount(rawTotal);
        if (count === undefined || (rawTotal !== undefined && total === undefined)) return 'count or total is not a count';
        if (total === undefined) {
          if (count > 0) events.push({ ts, type: 'like', n: count });
          else out.ignored++;
          return null;
        }
        const n = this.likes.next(total, count);
        if (n > 0) events.push({ ts, type: 'like', n, total });
        else out.ignored++;
        return null;
      }
      case 'WebcastChatMessage': {
        const text = field(m, 'content') ?? '';
        if (typeof text !== 'string') return 'content is not text';
        if (text.length > 2000) return 'content over 2000 characters';
        if (!text) {
          out.ignored++;
          return null;
        }
        const nickname = toText(field(m, 'user.nickname'), 200);
        const userId = toId(firstField(m, 'user.idStr', 'user.id'));
        events.push({ ts, type: 'comment', text, ...(nickname !== undefined && { nickname }), ...(userId !== undefined && { userId }) });
        return null;
      }
      case 'WebcastSocialMessage': {
        const action = toNumber(field(m, 'action'));
        const shareType = toNumber(field(m, 'shareType'));
        if (action === 1) events.push({ ts, type: 'follow', n: 1 });
        else if ((shareType !== undefined && shareType !== 0) || action === 3) events.push({ ts, type: 'share', n: 1 });
        else out.ignored++;
        return null;
      }
      case 'WebcastGiftMessage':
        return this.gift(out, m, ts, events);
      case 'WebcastFansclubMessage': {
        // Field 2 is `action`; a decoder that names it after BarrageGrab's entity calls it `type`.
        if (toNumber(firstField(m, 'action', 'type')) === 2) events.push({ ts, type: 'fansclub', n: 1 });
        else out.ignored++;
        return null;
      }
      case 'WebcastProductChangeMessage': {
        const items = field(m, 'updateProductInfo');
        if (items !== undefined && !Array.isArray(items)) return 'update_product_info is not a list';
        const explained = (items ?? []).find((it) => isObj(it) && (toNumber(field(it, 'explainType')) ?? 0) !== 0);
        const productId = explained === undefined ? undefined : toId(firstField(explained, 'promotionId', 'productId'));
        if (productId !== undefined) events.push({ ts, type: 'pin', productId });
        else out.ignored++;
        return null;
      }
      case 'WebcastLiveShoppingMessage': {
        const soldOut = toBool(field(m, 'soldOut'));
        const ids = field(m, 'updatedProductIds');
        if (soldOut === undefined || !Array.isArray(ids) || !ids.length) {
          out.ignored++;
          return null;
        }
        for (const raw of ids.slice(0, 500)) {
          const productId = toId(raw);
          if (productId !== undefined) events.push({ ts, type: 'product', productId, soldOut });
        }
        return null;
      }
      case 'WebcastControlMessage':
        // Field 2 is `action` (3: the anchor ended the broadcast); older decoders call it `status`.
        if (toNumber(firstField(m, 'action', 'status')) === 3 && this.session === 'live') this.end(events, ts);
        else out.ignored++;
        return null;
      default:
        // Dozens of other methods (rank lists, fan tickets, room banners…) carry nothing FEED-PROTOCOL has.
        out.ignored++;
        return null;
    }
  }

  private gift(out: MapResult, m: Obj, ts: number, events: SourceEvent[]): string | null {
    const gift = field(m, 'gift');
    if (!isObj(gift)) return 'without gift';
    const diamondCount = protoCount(field(gift, 'diamondCount'));
    const repeatCount = protoCount(firstField(m, 'repeatCount', 'comboCount'));
    const groupCount = protoCount(field(m, 'groupCount'));
    if (diamondCount === undefined) return 'gift.diamondCount is not a count';
    if (repeatCount === undefined || groupCount === undefined) return 'repeatCount or groupCount is not a count';
    const absurd = implausibleGift(repeatCount, groupCount, diamondCount);
    if (absurd) return `is not a real gift (${absurd})`;
    const done = this.gifts.step(
      {
        user: String(toId(firstField(m, 'user.id', 'user.idStr')) ?? ''),
        gift: String(toId(firstField(m, 'giftId', 'gift.id')) ?? ''),
        group: String(toId(field(m, 'groupId')) ?? ''),
        repeatCount,
        groupCount,
        diamondCount,
        repeatEnd: (toBool(field(m, 'repeatEnd')) ?? false) === true,
        streakable: true,
        ts,
      },
      ts,
      events,
    );
    if (done !== 'counted') out.ignored++;
    return null;
  }

  private status(out: MapResult, m: Obj, receivedAt: number): void {
    if (m.event !== 'live_status') {
      out.ignored++;
      return;
    }
    const code = typeof m.code === 'string' ? m.code : '';
    const said = toText(firstField(m, 'message', 'statusText'), 500) ?? code;
    if (code === 'ROOM_NOT_FOUND') {
      out.problem = { problem: 'roomNotFound', detail: said };
      return;
    }
    const ended = code === 'ROOM_ENDED' || toBool(m.ended) === true;
    if (ended) {
      if (this.session === 'live') this.end(out.events, receivedAt);
      out.problem = { problem: 'roomEnded', detail: said };
      return;
    }
    if (code === 'ROOM_ONLINE' || toBool(m.live) === true) {
      out.answered = true;
      if (this.session === 'live') {
        out.ignored++;
        return;
      }
      this.open(out, receivedAt, toText(firstField(m, 'title'), 500));
      return;
    }
    if (code === 'ROOM_OFFLINE' || code === 'ACCOUNT_OFFLINE_NO_ROOM') {
      out.problem = { problem: 'roomEnded', detail: said };
      return;
    }
    out.ignored++;
  }

  private open(out: MapResult, at: number, title?: string): void {
    // After an end this is the next broadcast; before any session, what was read so far (a like
    // baseline, a streak in progress) belongs to this one.
    if (this.session === 'ended') {
      this.likes.reset();
      this.gifts.reset();
    }
    this.session = 'live';
    this.startedAt = at;
    out.events.push({ ts: at, type: 'session', status: 'live', startedAt: at, ...(title ? { title } : {}) });
  }

  /** Open streaks are counted before the end: no end step is coming now. */
  private end(events: SourceEvent[], ts: number): void {
    this.gifts.flushAll(events);
    this.session = 'ended';
    events.push({ ts, type: 'session', status: 'ended', startedAt: this.startedAt });
    this.likes.reset();
  }
}

// ---- Connector -------------------------------------------------------------------------------------

/** `ws://host:port/ws/<roomId>` of a douyinLive service. */
export function douyinLiveUrl(base: string, liveRoomId: string): string {
  return `${base.replace(/\/+$/, '')}/ws/${encodeURIComponent(liveRoomId)}`;
}

export interface DouyinWebcastOptions extends WsSourceOptions, DouyinMapperOptions {}

export class DouyinWebcastSource extends WsSource {
  protected readonly tag = SRC;
  protected readonly mapper: DouyinWebcastMapper;

  constructor(opts: DouyinWebcastOptions) {
    super('douyin-webcast', opts);
    this.mapper = new DouyinWebcastMapper(opts);
  }
}
