/**
 * SOURCES.md §2: Douyin webcast messages decoded to JSON by the douyinLive service
 * (`ws://host:port/ws/<roomId>`, one JSON object per text frame) → FEED-PROTOCOL, platform `douyin`.
 *
 * Accepted shapes (all seen in the real f2 fixtures or the service): `method` at the top level or
 * in `common.method`; numbers as strings; camelCase or snake_case keys; an object or an array of
 * them (one element in practice; up to 100 mapped, more quarantined).
 *
 * Mapping decisions:
 * - Session: a status frame (`type: system`, `event: live_status`) with `ROOM_ONLINE` / `live: true`
 *   starts it (its `title` kept); `ROOM_ENDED` / `ended: true` or a `WebcastControlMessage` with
 *   `status == 3` ends it. `ROOM_OFFLINE` changes nothing: it is what the service says before a
 *   broadcast starts and, briefly, when the anchor's stream drops — neither is an end. A decoded
 *   message before any status frame starts the session at its receipt.
 * - `WebcastRoomUserSeqMessage`: `total` → `viewers.online`, `totalUser` → `uv`, and
 *   `totalPvForAnchor` (a display string like "43.6万", 4 significant digits) → `pv`.
 * - `WebcastRoomStatsMessage`: `total` (else `display_value`) → `viewers.online`.
 * - `WebcastMemberMessage` → `enter { n: 1 }`; `WebcastChatMessage.content` → `comment`.
 * - `WebcastLikeMessage`: `like { n }` from deltas of the room's `total` (same rule as TikTok,
 *   common.ts CumulativeCounter), `count` where no total is given.
 * - `WebcastSocialMessage`: `action == 1` → follow; a `shareType` (or `action == 3`) → share.
 * - `WebcastGiftMessage`: a combo sends a message per step with the combo's running `repeatCount`
 *   and may or may not end with `repeatEnd` (the f2 fixture is a combo gift without one), so each
 *   combo (user + gift + group) counts the growth of `repeatCount` as it happens: nothing is
 *   lost if the end message never comes, nothing is doubled when it does. Value =
 *   `gift.diamondCount × new units` diamonds → `valueFen` at `fenPerDiamond` (common.ts).
 * - `WebcastFansclubMessage` `type == 2` → `fansclub { n: 1 }`.
 * - `WebcastProductChangeMessage`: the `update_product_info[]` entry with a non-zero
 *   `explain_type` → `pin` of its `promotion_id`. A change without one says nothing about the
 *   explained product (lists change for many reasons), so no `pin null` is sent.
 * - `WebcastLiveShoppingMessage` with `sold_out` → `product { productId, soldOut }` for each of
 *   `updated_product_ids`.
 * - `ts` = `common.createTime` by the shared rule; messages de-duplicated by `common.msgId`.
 */
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
  displayCount,
  emptyResult,
  field,
  firstField,
  giftEvent,
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
} from './common.ts';
import { WsSource, type WsSourceOptions } from './ws-source.ts';

export const DOUYIN_PLATFORM = 'douyin';
const SRC = 'douyin';
const MAX_ARRAY = 100;
const MAX_COMBOS = 10_000;

export interface DouyinMapperOptions {
  fenPerDiamond?: number;
}

export class DouyinWebcastMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAt = 0;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  /** Units of each running gift combo already counted. */
  private readonly combos = new Map<string, number>();
  private readonly fenPerDiamond: number;

  constructor(opts: DouyinMapperOptions = {}) {
    this.fenPerDiamond = opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND;
  }

  /** One parsed frame → events. Never throws. */
  map(msg: unknown, receivedAt: number): MapResult {
    const out = emptyResult();
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
    if (msgId !== undefined && !this.seen.add(msgId)) {
      out.duplicates++;
      return;
    }
    const ts = sourceTs(firstField(m, 'common.createTime', 'createTime'), receivedAt);
    const before = out.events.length;
    switch (method) {
      case 'WebcastRoomUserSeqMessage': {
        const online = toCount(field(m, 'total'));
        if (online === undefined) {
          out.quarantined.push(quarantine(`${SRC}: ${method} without total`, m));
          return;
        }
        const uv = toCount(field(m, 'totalUser'));
        const pv = displayCount(field(m, 'totalPvForAnchor'));
        out.events.push({ ts, type: 'viewers', online, ...(uv !== undefined && { uv }), ...(pv !== undefined && { pv }) });
        break;
      }
      case 'WebcastRoomStatsMessage': {
        const online = toCount(firstField(m, 'total', 'displayValue'));
        if (online === undefined) {
          out.quarantined.push(quarantine(`${SRC}: ${method} without total or display_value`, m));
          return;
        }
        out.events.push({ ts, type: 'viewers', online });
        break;
      }
      case 'WebcastMemberMessage':
        out.events.push({ ts, type: 'enter', n: 1 });
        break;
      case 'WebcastLikeMessage': {
        const total = toCount(field(m, 'total'));
        const count = toCount(field(m, 'count'));
        if (total === undefined && count === undefined) {
          out.quarantined.push(quarantine(`${SRC}: ${method} without count or total`, m));
          return;
        }
        const n = total !== undefined ? this.likes.next(total, count ?? 0) : count!;
        if (n > 0) out.events.push({ ts, type: 'like', n });
        else out.ignored++;
        break;
      }
      case 'WebcastChatMessage': {
        const text = field(m, 'content');
        if (typeof text !== 'string') {
          out.quarantined.push(quarantine(`${SRC}: ${method} without content`, m));
          return;
        }
        if (text.length > 2000) {
          out.quarantined.push(quarantine(`${SRC}: ${method} content over 2000 characters`, m));
          return;
        }
        const nickname = toText(field(m, 'user.nickname'), 200);
        const userId = toId(firstField(m, 'user.idStr', 'user.id'));
        out.events.push({ ts, type: 'comment', text, ...(nickname !== undefined && { nickname }), ...(userId !== undefined && { userId }) });
        break;
      }
      case 'WebcastSocialMessage': {
        const action = toNumber(field(m, 'action'));
        const shareType = toNumber(field(m, 'shareType'));
        if (action === 1) out.events.push({ ts, type: 'follow', n: 1 });
        else if ((shareType !== undefined && shareType !== 0) || action === 3) out.events.push({ ts, type: 'share', n: 1 });
        else out.ignored++;
        break;
      }
      case 'WebcastGiftMessage':
        this.gift(out, m, ts);
        break;
      case 'WebcastFansclubMessage':
        if (toNumber(field(m, 'type')) === 2) out.events.push({ ts, type: 'fansclub', n: 1 });
        else out.ignored++;
        break;
      case 'WebcastProductChangeMessage': {
        const items = field(m, 'updateProductInfo');
        if (items !== undefined && !Array.isArray(items)) {
          out.quarantined.push(quarantine(`${SRC}: ${method} update_product_info is not a list`, m));
          return;
        }
        const explained = (items ?? []).find((it) => isObj(it) && (toNumber(field(it, 'explainType')) ?? 0) !== 0);
        const productId = explained === undefined ? undefined : toId(firstField(explained, 'promotionId', 'productId'));
        if (productId !== undefined) out.events.push({ ts, type: 'pin', productId });
        else out.ignored++;
        break;
      }
      case 'WebcastLiveShoppingMessage': {
        const soldOut = toBool(field(m, 'soldOut'));
        const ids = field(m, 'updatedProductIds');
        if (soldOut === undefined || !Array.isArray(ids) || !ids.length) {
          out.ignored++;
          break;
        }
        for (const raw of ids.slice(0, 500)) {
          const productId = toId(raw);
          if (productId !== undefined) out.events.push({ ts, type: 'product', productId, soldOut });
        }
        break;
      }
      case 'WebcastControlMessage':
        if (toNumber(field(m, 'status')) === 3) this.end(out, ts);
        else out.ignored++;
        return;
      default:
        // Dozens of other methods (rank lists, fan tickets, room banners…) carry nothing FEED-PROTOCOL has.
        out.ignored++;
        return;
    }
    if (out.events.length > before && this.session === 'none') {
      this.session = 'live';
      this.startedAt = receivedAt;
      out.events.splice(before, 0, { ts: receivedAt, type: 'session', status: 'live', startedAt: receivedAt });
    }
  }

  private status(out: MapResult, m: Obj, receivedAt: number): void {
    if (m.event !== 'live_status') {
      out.ignored++;
      return;
    }
    const code = typeof m.code === 'string' ? m.code : '';
    const ended = code === 'ROOM_ENDED' || toBool(m.ended) === true;
    if (ended) return this.end(out, receivedAt);
    if (code === 'ROOM_ONLINE' || toBool(m.live) === true) {
      if (this.session === 'live') {
        out.ignored++;
        return;
      }
      const title = toText(firstField(m, 'title'), 500);
      this.session = 'live';
      this.startedAt = receivedAt;
      this.likes.reset();
      this.combos.clear();
      out.events.push({ ts: receivedAt, type: 'session', status: 'live', startedAt: receivedAt, ...(title ? { title } : {}) });
      return;
    }
    out.ignored++;
  }

  private end(out: MapResult, ts: number): void {
    if (this.session !== 'live') {
      out.ignored++;
      return;
    }
    this.session = 'ended';
    out.events.push({ ts, type: 'session', status: 'ended', startedAt: this.startedAt });
    this.likes.reset();
    this.combos.clear();
  }

  private gift(out: MapResult, m: Obj, ts: number): void {
    const diamondCount = toCount(field(m, 'gift.diamondCount'));
    if (diamondCount === undefined) {
      out.quarantined.push(quarantine(`${SRC}: WebcastGiftMessage without gift.diamondCount`, m));
      return;
    }
    const repeatCount = toCount(firstField(m, 'repeatCount', 'comboCount'));
    if (repeatCount === undefined) {
      out.quarantined.push(quarantine(`${SRC}: WebcastGiftMessage without repeatCount`, m));
      return;
    }
    const combo = toBool(field(m, 'gift.combo')) ?? false;
    const repeatEnd = toBool(field(m, 'repeatEnd')) ?? false;
    let units = repeatCount;
    if (combo) {
      const key = `${String(firstField(m, 'user.id', 'user.idStr') ?? '?')}|${String(firstField(m, 'giftId', 'gift.id') ?? '?')}|${String(field(m, 'groupId') ?? '?')}`;
      const counted = this.combos.get(key) ?? 0;
      units = Math.max(0, repeatCount - counted);
      if (repeatEnd) this.combos.delete(key);
      else {
        this.combos.delete(key); // re-insert: the map's order is its age
        this.combos.set(key, Math.max(counted, repeatCount));
        if (this.combos.size > MAX_COMBOS) {
          const oldest = this.combos.keys().next().value;
          if (oldest !== undefined) this.combos.delete(oldest);
        }
      }
    }
    if (units === 0) {
      out.ignored++;
      return;
    }
    out.events.push(giftEvent(ts, units, diamondCount * units, this.fenPerDiamond));
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
