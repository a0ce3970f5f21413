/**
 * SOURCES.md §1: a TikTok LIVE room through a TikTok-Chat-Reader server (Socket.IO, on top of
 * TikTok-Live-Connector) → FEED-PROTOCOL events, platform `tiktok`. docs/sources.md has the table
 * of every event and field, what is made of it and what is not.
 *
 * Mapping decisions:
 * - Session: `tiktokConnected` starts it. Its payload is the connector's state; with
 *   tiktok-live-connector 2.x `roomInfo` is the whole room-info response, so the broadcast's own
 *   start and title are `roomInfo.data.create_time` (epoch s) and `roomInfo.data.title` (1.x put
 *   them at `roomInfo.create_time`; both are read). The start is used when plausible — the same
 *   broadcast then keeps the same session across app restarts — else the receipt time. A
 *   reconnect to the same `roomId` continues the session; a different `roomId` is a new broadcast
 *   (the old session ends first). `streamEnd` ends it.
 * - `tiktokDisconnected(reason)` is the server giving up on the room: its words say which
 *   (offline, rate-limited, not found, refused: `classifyTikTokReason`), and the connector waits
 *   accordingly — never re-asking every few seconds, which the server's limiter answers by blocking.
 * - `roomUser.viewerCount` → `viewers.online` (`total_user` → `uv` where present).
 * - `member` → `enter { n: 1 }` each.
 * - `like` → `like { n, total }`: `totalLikeCount` is the room's count from the broadcast start
 *   (the KPI, as TikTok shows it), `n` the increase seen (CumulativeCounter: the first total is a
 *   baseline that contributes only its own batch `likeCount`; small drops are out-of-order
 *   messages, big drops are resets).
 * - `chat.comment` → `comment` (nickname, userId).
 * - `follow`, `share` → `follow`/`share { n: 1 }`. The stock server forwards both beside `social`,
 *   whose `displayType` says follow or share; they carry the same `msgId`, so one key
 *   de-duplicates them.
 * - `gift`: the shared streak rule (gift-streaks.ts): a streakable gift (`giftType == 1`) counts
 *   once, at `repeatEnd`, with its final `repeatCount` (or at the streak timeout if the end never
 *   comes); others at once. Value = `diamondCount × repeatCount` diamonds (TikTok-Live-Connector's
 *   own rule; `groupCount` is not a multiplier there), `valueFen = diamonds × fenPerDiamond`.
 * - Payloads are accepted flat (TikTok-Live-Connector 1.x: user fields hoisted, `createTime`,
 *   `msgId`, `giftType`, `diamondCount`) or as the decoded webcast message of 2.x / the f2
 *   fixtures (`common.createTime`, `content`, `gift.diamondCount`, `gift.type`).
 * - `ts` = `createTime` by the shared rule (common.ts `sourceTs`); messages are de-duplicated by
 *   `msgId`, so the backlog a reconnect replays is not counted twice.
 */
import { io, type Socket } from 'socket.io-client';
import { GiftStreaks, implausibleGift } from './gift-streaks.ts';
import {
  BoundedSet,
  CumulativeCounter,
  DEFAULT_FEN_PER_DIAMOND,
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
  type ProblemReport,
  type SourceEvent,
} from './common.ts';
import { SourceConnector, redactUrl, type ConnectorOptions } from './connector.ts';

export const TIKTOK_PLATFORM = 'tiktok';
const SRC = 'tiktok';

/** Socket.IO events of the server that carry no room data, handled by the connector or ignored. */
const CONTROL_EVENTS = new Set(['tiktokConnected', 'tiktokDisconnected', 'streamEnd']);

export interface TikTokMapperOptions {
  fenPerDiamond?: number;
  /** Gift streaks with no end are counted this long after their last step (gift-streaks.ts). */
  giftTimeoutMs?: number;
}

/**
 * What a `tiktokDisconnected` reason means, from the words TikTok-Chat-Reader and
 * TikTok-Live-Connector 2.x use (server.js, limiter.js, connectionWrapper.js; the connector's
 * UserOfflineError, SignatureRateLimitError, InvalidUniqueIdError, room-id lookups).
 */
export function classifyTikTokReason(reason: string): ProblemReport['problem'] {
  if (/too many (connections|requests)|rate.?limit|429/i.test(reason)) return 'rateLimited';
  if (/recaptcha|unauthori[sz]ed|forbidden|\b403\b|blocked/i.test(reason)) return 'refused';
  if (/isn't online|not online|offline|has ended|not live|stream.?end/i.test(reason)) return 'roomEnded';
  if (/not found|doesn't exist|does not exist|invalid value for 'uniqueId'|user_not_found|retrieve room id/i.test(reason)) return 'roomNotFound';
  return 'unreachable';
}

export class TikTokChatReaderMapper {
  private session: 'none' | 'live' | 'ended' = 'none';
  private startedAtMs = 0;
  private roomId: string | null = null;
  private readonly likes = new CumulativeCounter();
  private readonly seen = new BoundedSet();
  /** The server forwards dedicated follow/share events: `social` ones without a msgId would double them. */
  private dedicatedSocial = false;
  private readonly gifts: GiftStreaks;

  constructor(opts: TikTokMapperOptions = {}) {
    this.gifts = new GiftStreaks({ fenPerDiamond: opts.fenPerDiamond ?? DEFAULT_FEN_PER_DIAMOND, timeoutMs: opts.giftTimeoutMs });
  }

  /** Gift streaks whose end did not come within the timeout, counted now. */
  tick(now: number): MapResult {
    const out = emptyResult();
    if (this.session === 'live') this.gifts.flush(now, out.events);
    return out;
  }

  /** One Socket.IO event of the server (name and first argument) → events. Never throws. */
  map(event: string, payload: unknown, receivedAt: number): MapResult {
    const out = this.tick(receivedAt);
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
      if (this.session === 'live') this.end(out.events, receivedAt);
      else out.ignored++;
      out.problem = { problem: 'roomEnded', detail: 'the broadcast ended (streamEnd)' };
      return;
    }
    if (event === 'tiktokDisconnected') {
      const detail = typeof p === 'string' ? p.slice(0, 500) : 'no reason given';
      out.problem = { problem: classifyTikTokReason(detail), detail };
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
    const key = msgId === undefined ? undefined : `${social ? 'social' : event}:${msgId}`;
    if (key !== undefined && this.seen.has(key)) {
      out.duplicates++;
      return;
    }
    const ts = sourceTs(firstField(p, 'createTime', 'common.createTime', 'event.createTime'), receivedAt);
    const events: SourceEvent[] = [];
    const reason = this.body(out, event, p, msgId, ts, events);
    if (reason !== null) {
      out.quarantined.push(quarantine(`${SRC}: ${reason}`, p));
      return;
    }
    // Accepted: only now does the message move the mapper.
    if (key !== undefined) this.seen.add(key);
    if (event === 'follow' || event === 'share') this.dedicatedSocial = true;
    // A gift step is room data even while its streak waits to be counted.
    if (!events.length && event !== 'gift') return;
    // Room data before any tiktokConnected (a server that skips it): the session starts here.
    if (this.session === 'none') {
      this.session = 'live';
      this.startedAtMs = receivedAt;
      out.events.push({ ts: receivedAt, type: 'session', status: 'live', startedAt: receivedAt });
    }
    out.events.push(...events);
  }

  /** One room event's FEED events, or why it is garbage; checks come before any state changes. */
  private body(out: MapResult, event: string, p: Record<string, unknown>, msgId: string | undefined, ts: number, events: SourceEvent[]): string | null {
    switch (event) {
      case 'roomUser': {
        const online = toCount(firstField(p, 'viewerCount', 'total'));
        if (online === undefined) return 'roomUser without a viewerCount';
        const uv = toCount(firstField(p, 'totalUser'));
        events.push(uv === undefined ? { ts, type: 'viewers', online } : { ts, type: 'viewers', online, uv });
        return null;
      }
      case 'member':
        events.push({ ts, type: 'enter', n: 1 });
        return null;
      case 'chat': {
        const raw = firstField(p, 'comment', 'content');
        if (typeof raw !== 'string') return 'chat without comment text';
        if (raw.length > 2000) return 'chat comment over 2000 characters';
        const nickname = toText(firstField(p, 'nickname', 'user.nickname'), 200);
        const userId = toId(firstField(p, 'userId', 'user.userId', 'user.id'));
        events.push({ ts, type: 'comment', text: raw, ...(nickname !== undefined && { nickname }), ...(userId !== undefined && { userId }) });
        return null;
      }
      case 'gift':
        return this.gift(out, p, ts, events);
      case 'like': {
        const total = toCount(firstField(p, 'totalLikeCount', 'total'));
        const batch = toCount(firstField(p, 'likeCount', 'count'));
        if (total === undefined && batch === undefined) return 'like without likeCount or totalLikeCount';
        const n = total !== undefined ? this.likes.next(total, batch ?? 0) : batch!;
        if (n === 0) out.ignored++;
        else events.push(total !== undefined ? { ts, type: 'like', n, total } : { ts, type: 'like', n });
        return null;
      }
      case 'follow':
        events.push({ ts, type: 'follow', n: 1 });
        return null;
      case 'share':
        events.push({ ts, type: 'share', n: 1 });
        return null;
      case 'social': {
        const kind = String(firstField(p, 'displayType', 'common.displayText.displayType', 'common.displayText.content', 'common.displayText.key') ?? '');
        if (this.dedicatedSocial && msgId === undefined) out.ignored++;
        else if (/follow/i.test(kind)) events.push({ ts, type: 'follow', n: 1 });
        else if (/share/i.test(kind)) events.push({ ts, type: 'share', n: 1 });
        else out.ignored++;
        return null;
      }
      default:
        out.ignored++;
        return null;
    }
  }

  /** Open streaks are counted before the end: no end step is coming now. */
  private end(events: SourceEvent[], ts: number): void {
    this.gifts.flushAll(events);
    events.push({ ts, type: 'session', status: 'ended', startedAt: this.startedAtMs });
    this.session = 'ended';
    this.likes.reset();
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
    if (this.session === 'live') this.end(out.events, receivedAt);
    if (this.session === 'ended') {
      this.likes.reset();
      this.gifts.reset();
    }
    this.roomId = roomId;
    // The broadcast's own start (seconds), if plausible: within a day before now.
    const created = toNumber(firstField(info, 'data.createTime', 'createTime'));
    let startedAt = receivedAt;
    if (created !== undefined && created > 0) {
      const ms = created < 1e11 ? created * 1000 : created;
      if (ms <= receivedAt && ms >= receivedAt - 24 * 3600_000) startedAt = Math.floor(ms);
    }
    const title = toText(firstField(info, 'data.title', 'title'), 500);
    this.session = 'live';
    this.startedAtMs = startedAt;
    out.events.push({ ts: startedAt, type: 'session', status: 'live', startedAt, ...(title ? { title } : {}) });
  }

  private gift(out: MapResult, p: Record<string, unknown>, ts: number, events: SourceEvent[]): string | null {
    const diamondCount = toCount(firstField(p, 'diamondCount', 'gift.diamondCount', 'giftDetails.diamondCount'));
    if (diamondCount === undefined) return 'gift without diamondCount';
    const repeatCount = toCount(firstField(p, 'repeatCount', 'gift.repeatCount', 'gift.repeat_count'));
    if (repeatCount === undefined) return 'gift without repeatCount';
    const absurd = implausibleGift(repeatCount, 1, diamondCount);
    if (absurd) return `gift is not a real gift (${absurd})`;
    const giftType = toNumber(firstField(p, 'giftType', 'gift.giftType', 'gift.gift_type', 'gift.type', 'giftDetails.giftType'));
    const done = this.gifts.step(
      {
        user: toId(firstField(p, 'userId', 'user.userId', 'user.id')) ?? '',
        gift: toId(firstField(p, 'giftId', 'gift.gift_id', 'gift.id')) ?? '',
        group: toId(firstField(p, 'groupId')) ?? '',
        repeatCount,
        groupCount: 1,
        diamondCount,
        repeatEnd: toBool(firstField(p, 'repeatEnd', 'gift.repeatEnd', 'gift.repeat_end')) ?? false,
        streakable: giftType === 1,
        ts,
      },
      ts,
      events,
    );
    if (done !== 'counted') out.ignored++;
    return null;
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
 * Socket.IO reconnects the transport; this class re-asks for the room after every (re)connect, and
 * after the server gives up on the room (`tiktokDisconnected`) or the broadcast ended it waits as
 * the reason warrants (connector.ts `cannotServe`): a minute and more for an ended, offline or
 * rate-limited room — TikTok-Chat-Reader's limiter allows 5 `setUniqueId` a minute — and not at
 * all for a room that does not exist or a server that refuses (reCAPTCHA), so a restarted server
 * or the next broadcast is still picked up without the operator, and nothing loops.
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
      // Waiting out a refusal: a new transport connection is no reason to ask again sooner.
      if (this.st.status === 'failed' || (this.st.problem && this.st.problem !== 'unreachable')) return;
      this.setStatus('connecting', `connected to the server; waiting for @${this.opts.uniqueId}'s LIVE`);
      this.ask();
    });
    socket.on('connect_error', (err: Error) => {
      if (this.st.status === 'failed') return;
      this.setStatus('reconnecting', `cannot reach TikTok-Chat-Reader at ${redactUrl(this.opts.url)}: ${err.message}`, 'unreachable');
    });
    socket.on('disconnect', (reason: string) => {
      if (this.stopped || this.st.status === 'failed') return;
      this.clearRetry();
      this.setStatus('reconnecting', `connection to TikTok-Chat-Reader lost (${reason})`, 'unreachable');
      // A server-side disconnect is not retried by Socket.IO itself.
      if (reason === 'io server disconnect') this.retryLater(`the server closed the connection`, () => socket.connect());
    });
    socket.on('tiktokConnected', (state: unknown) => {
      this.clearRetry();
      this.markLive();
      this.handle('tiktokConnected', state);
    });
    // The server gave up on the room, or the broadcast ended: wait as the reason warrants.
    socket.on('tiktokDisconnected', (reason: unknown) => this.handle('tiktokDisconnected', reason));
    socket.on('streamEnd', () => this.handle('streamEnd', undefined));
    this.startTicking((now) => this.mapper.tick(now));
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
    const result = this.mapper.map(event, payload, receivedAt);
    if (event === 'tiktokConnected') result.answered = true;
    this.deliver(result);
    if (result.problem) this.cannotServe({ ...result.problem, detail: `TikTok side: ${result.problem.detail}` }, () => this.ask());
  }
}
