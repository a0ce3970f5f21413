/**
 * SOURCES.md §1: a TikTok LIVE room through a TikTok-Chat-Reader server (Socket.IO, on top of
 * TikTok-Live-Connector) → FEED-PROTOCOL events, platform `tiktok`.
 *
 * Mapping decisions:
 * - Session: `tiktokConnected` starts it. `startedAt` is the broadcast's own start
 *   (`roomInfo.create_time`) when the server passes it and it is plausible — the same broadcast
 *   then keeps the same session across app restarts — else the receipt time. A reconnect to the
 *   same `roomId` continues the session; a different `roomId` is a new broadcast (the old session
 *   ends first). `streamEnd` ends it.
 * - `roomUser.viewerCount` → `viewers.online` (`total_user` → `uv` where present).
 * - `member` → `enter { n: 1 }` each.
 * - `like` → `like { n }` from `totalLikeCount` deltas (see CumulativeCounter: the first total is a
 *   baseline that contributes only its own batch `likeCount`; small drops are out-of-order
 *   messages, big drops are resets). No `total` is sent: TikTok's total counts from before we
 *   were watching and would not match the sum of the deltas.
 * - `chat.comment` → `comment` (nickname, userId).
 * - `follow`, `share` → `follow`/`share { n: 1 }`. The stock server forwards neither, only
 *   `social`, whose `displayType` says follow or share; a server that forwards both sends the
 *   same `msgId` twice, so one key de-duplicates them.
 * - `gift`: a streakable gift (`giftType == 1`) counts once, when `repeatEnd` is true; value =
 *   `diamondCount × repeatCount` diamonds, `valueFen = diamonds × fenPerDiamond` (common.ts).
 * - Payloads are accepted flat (TikTok-Live-Connector 1.x: user fields hoisted, `createTime`,
 *   `msgId`, `giftType`, `diamondCount`) or as the decoded webcast message of 2.x / the f2
 *   fixtures (`common.createTime`, `content`, `gift.diamondCount`, `gift.type`).
 * - `ts` = `createTime` by the shared rule (common.ts `sourceTs`); messages are de-duplicated by
 *   `msgId`, so the backlog a reconnect replays is not counted twice.
 */
import { io, type Socket } from 'socket.io-client';
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
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
} from './common.ts';
import { SourceConnector, redactUrl, type ConnectorOptions } from './connector.ts';

export const TIKTOK_PLATFORM = 'tiktok';
const SRC = 'tiktok';

/** Socket.IO events of the server that carry no room data, handled by the connector or ignored. */
const CONTROL_EVENTS = new Set(['tiktokConnected', 'tiktokDisconnected', 'streamEnd']);

export interface TikTokMapperOptions {
  fenPerDiamond?: number;
}

export class TikTokChatReaderMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAtMs = 0;
  private roomId: string | null = null;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  /** The server forwards dedicated follow/share events: `social` ones without a msgId would double them. */
  private dedicatedSocial = false;
  private readonly fenPerDiamond: number;

  constructor(opts: TikTokMapperOptions = {}) {
    this.fenPerDiamond = opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND;
  }

  /** One Socket.IO event of the server (name and first argument) → events. Never throws. */
  map(event: string, payload: unknown, receivedAt: number): MapResult {
    const out = emptyResult();
    try {
      this.mapInto(out, event, payload, receivedAt);
    } catch (e) {
      // A mapper bug must cost one message, not the connection.
      out.quarantined.push(quarantine(`${SRC}: ${event} could not be mapped (${e instanceof Error ? e.message : String(e)})`, payload));
    }
    return out;
  }

  private mapInto(out: MapResult, event: string, p: unknown, receivedAt: number): void {
    if (event === 'tiktokConnected') return this.connected(out, p, receivedAt);
    if (event === 'streamEnd') {
      if (this.session === 'live') {
        out.events.push({ ts: receivedAt, type: 'session', status: 'ended', startedAt: this.startedAtMs });
        this.session = 'ended';
        this.likes.reset();
      } else out.ignored++;
      return;
    }
    if (CONTROL_EVENTS.has(event)) {
      out.ignored++;
      return;
    }
    const handled = ['roomUser', 'member', 'chat', 'gift', 'like', 'follow', 'share', 'social'];
    if (!handled.includes(event)) {
      out.ignored++;
      return;
    }
    if (!isObj(p)) {
      out.quarantined.push(quarantine(`${SRC}: ${event} payload is not an object`, p));
      return;
    }
    const msgId = toId(firstField(p, 'msgId', 'common.msgId', 'event.msgId'));
    const social = event === 'follow' || event === 'share' || event === 'social';
    if (event === 'follow' || event === 'share') this.dedicatedSocial = true;
    if (msgId !== undefined && !this.seen.add(`${social ? 'social' : event}:${msgId}`)) {
      out.duplicates++;
      return;
    }
    const ts = sourceTs(firstField(p, 'createTime', 'common.createTime', 'event.createTime'), receivedAt);
    const before = out.events.length;
    switch (event) {
      case 'roomUser': {
        const online = toCount(firstField(p, 'viewerCount', 'total'));
        if (online === undefined) {
          out.quarantined.push(quarantine(`${SRC}: roomUser without a viewerCount`, p));
          return;
        }
        const uv = toCount(firstField(p, 'totalUser'));
        out.events.push(uv === undefined ? { ts, type: 'viewers', online } : { ts, type: 'viewers', online, uv });
        break;
      }
      case 'member':
        out.events.push({ ts, type: 'enter', n: 1 });
        break;
      case 'chat': {
        const raw = firstField(p, 'comment', 'content');
        if (typeof raw !== 'string') {
          out.quarantined.push(quarantine(`${SRC}: chat without comment text`, p));
          return;
        }
        if (raw.length > 2000) {
          out.quarantined.push(quarantine(`${SRC}: chat comment over 2000 characters`, p));
          return;
        }
        const nickname = toText(firstField(p, 'nickname', 'user.nickname'), 200);
        const userId = toId(firstField(p, 'userId', 'user.userId', 'user.id'));
        out.events.push({ ts, type: 'comment', text: raw, ...(nickname !== undefined && { nickname }), ...(userId !== undefined && { userId }) });
        break;
      }
      case 'gift':
        this.gift(out, p, ts);
        break;
      case 'like': {
        const total = toCount(firstField(p, 'totalLikeCount', 'total'));
        const batch = toCount(firstField(p, 'likeCount', 'count'));
        if (total === undefined && batch === undefined) {
          out.quarantined.push(quarantine(`${SRC}: like without likeCount or totalLikeCount`, p));
          return;
        }
        const n = total !== undefined ? this.likes.next(total, batch ?? 0) : batch!;
        if (n > 0) out.events.push({ ts, type: 'like', n });
        else out.ignored++;
        break;
      }
      case 'follow':
        out.events.push({ ts, type: 'follow', n: 1 });
        break;
      case 'share':
        out.events.push({ ts, type: 'share', n: 1 });
        break;
      case 'social': {
        const kind = String(firstField(p, 'displayType', 'common.displayText.displayType', 'common.displayText.content', 'common.displayText.key') ?? '');
        if (this.dedicatedSocial && msgId === undefined) {
          out.ignored++;
          return;
        }
        if (/follow/i.test(kind)) out.events.push({ ts, type: 'follow', n: 1 });
        else if (/share/i.test(kind)) out.events.push({ ts, type: 'share', n: 1 });
        else out.ignored++;
        break;
      }
    }
    // Room data before any tiktokConnected (a server that skips it): the session starts here.
    if (out.events.length > before && this.session === 'none') {
      this.session = 'live';
      this.startedAtMs = receivedAt;
      out.events.splice(before, 0, { ts: receivedAt, type: 'session', status: 'live', startedAt: receivedAt });
    }
  }

  private connected(out: MapResult, state: unknown, receivedAt: number): void {
    const roomId = toId(field(state, 'roomId')) ?? null;
    const info = field(state, 'roomInfo');
    const sameRoom = roomId === null || this.roomId === null || roomId === this.roomId;
    if (this.session === 'live' && sameRoom) {
      // A reconnect to the broadcast we are already following: the session continues.
      out.ignored++;
      return;
    }
    if (this.session === 'ended' && roomId !== null && roomId === this.roomId) {
      // TikTok gives every broadcast a new roomId: the same one after streamEnd is the ended
      // broadcast still being served, not a new show. Its stragglers stay in the ended session.
      out.ignored++;
      return;
    }
    if (this.session === 'live') {
      out.events.push({ ts: receivedAt, type: 'session', status: 'ended', startedAt: this.startedAtMs });
      this.likes.reset();
    }
    this.roomId = roomId;
    // The broadcast's own start (seconds), if plausible: within a day before now.
    const created = toNumber(firstField(info, 'createTime'));
    let startedAt = receivedAt;
    if (created !== undefined && created > 0) {
      const ms = created < 1e11 ? created * 1000 : created;
      if (ms <= receivedAt && ms >= receivedAt - 24 * 3600_000) startedAt = Math.floor(ms);
    }
    const title = toText(firstField(info, 'title'), 500);
    this.session = 'live';
    this.startedAtMs = startedAt;
    out.events.push({ ts: startedAt, type: 'session', status: 'live', startedAt, ...(title ? { title } : {}) });
  }

  private gift(out: MapResult, p: Record<string, unknown>, ts: number): void {
    const diamondCount = toCount(firstField(p, 'diamondCount', 'gift.diamondCount', 'giftDetails.diamondCount'));
    if (diamondCount === undefined) {
      out.quarantined.push(quarantine(`${SRC}: gift without diamondCount`, p));
      return;
    }
    const repeatCount = toCount(firstField(p, 'repeatCount', 'gift.repeatCount'));
    if (repeatCount === undefined) {
      out.quarantined.push(quarantine(`${SRC}: gift without repeatCount`, p));
      return;
    }
    const giftType = toNumber(firstField(p, 'giftType', 'gift.giftType', 'gift.type', 'giftDetails.giftType'));
    const repeatEnd = toBool(firstField(p, 'repeatEnd', 'gift.repeatEnd')) ?? false;
    if (giftType === 1 && !repeatEnd) {
      // A streak in progress: its last message (repeatEnd) carries the final repeatCount.
      out.ignored++;
      return;
    }
    if (repeatCount === 0) {
      out.ignored++;
      return;
    }
    out.events.push(giftEvent(ts, repeatCount, diamondCount * repeatCount, this.fenPerDiamond));
  }
}

// ---- Connector -------------------------------------------------------------------------------------

export interface TikTokChatReaderOptions extends ConnectorOptions, TikTokMapperOptions {
  /** The TikTok-Chat-Reader server, e.g. `http://127.0.0.1:8081`. */
  url: string;
  /** The TikTok account whose LIVE to follow (without @). */
  uniqueId: string;
  /** Passed as the second argument of `setUniqueId` (e.g. `{ enableExtendedGiftInfo: true }`). */
  connectOptions?: Record<string, unknown>;
  /** Largest WebSocket frame accepted; a bigger one closes the connection (which is then re-made). */
  maxFrameBytes?: number;
}

/**
 * Connects to the server, asks for the room with `setUniqueId`, maps what it emits into the room.
 * Socket.IO reconnects the transport; this class re-asks for the room after every (re)connect and
 * after the server reports the TikTok side lost (`tiktokDisconnected`) or the broadcast ended,
 * with backoff, so a restarted server or the next broadcast is picked up without the operator.
 */
export class TikTokChatReaderSource extends SourceConnector {
  private socket: Socket | null = null;
  private readonly mapper: TikTokChatReaderMapper;

  constructor(private readonly opts: TikTokChatReaderOptions) {
    super('tiktok-chat-reader', `${redactUrl(opts.url)} @${opts.uniqueId}`, opts);
    this.mapper = new TikTokChatReaderMapper(opts);
  }

  start(): void {
    const b = this.opts.backoff;
    const socket = io(this.opts.url, {
      // WebSocket only: its frames have a size limit (maxPayload); long-polling bodies would not.
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: b?.initialMs ?? 500,
      reconnectionDelayMax: b?.maxMs ?? 10_000,
      randomizationFactor: 0.3,
      timeout: 10_000,
      maxPayload: this.opts.maxFrameBytes ?? 4 * 1024 * 1024,
    } as Parameters<typeof io>[1]);
    this.socket = socket;
    socket.on('connect', () => {
      this.st.connects++;
      this.setStatus('connecting', `connected to the server; waiting for @${this.opts.uniqueId}'s LIVE`);
      this.ask();
    });
    socket.on('connect_error', (err: Error) => {
      this.setStatus('reconnecting', `cannot reach TikTok-Chat-Reader at ${redactUrl(this.opts.url)}: ${err.message}`);
    });
    socket.on('disconnect', (reason: string) => {
      if (this.stopped) return;
      this.clearRetry();
      this.setStatus('reconnecting', `connection to TikTok-Chat-Reader lost (${reason})`);
      // A server-side disconnect is not retried by Socket.IO itself.
      if (reason === 'io server disconnect') this.retryLater(`the server closed the connection`, () => socket.connect());
    });
    socket.on('tiktokConnected', (state: unknown) => {
      this.clearRetry();
      this.markLive();
      this.handle('tiktokConnected', state);
    });
    socket.on('tiktokDisconnected', (reason: unknown) => {
      const text = typeof reason === 'string' ? reason.slice(0, 500) : 'unknown reason';
      // The server gave up on TikTok (offline, rate limited, not found): ask again later.
      this.retryLater(`TikTok side: ${text}`, () => this.ask());
    });
    socket.on('streamEnd', () => {
      this.handle('streamEnd', undefined);
      this.retryLater('the broadcast ended; watching for the next one', () => this.ask());
    });
    socket.onAny((event: string, payload: unknown) => {
      if (CONTROL_EVENTS.has(event)) return;
      this.handle(event, payload);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.socket?.disconnect();
    this.socket = null;
    this.markStopped();
  }

  private ask(): void {
    if (!this.socket?.connected) return;
    this.socket.emit('setUniqueId', this.opts.uniqueId, this.opts.connectOptions ?? {});
  }

  private handle(event: string, payload: unknown): void {
    const receivedAt = this.now();
    this.noteReceived(receivedAt);
    this.deliver(this.mapper.map(event, payload, receivedAt));
  }
}
