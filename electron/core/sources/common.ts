/**
 * What every source adapter shares: the mapper's result shape, tolerant field readers for the
 * real formats of SOURCES.md (numbers as strings, camelCase or snake_case keys, an object or a
 * one-element array), the `ts` rule, de-duplication and cumulative-counter bookkeeping, and the
 * connection state a connector reports.
 *
 * Mappers are plain classes without I/O or clocks: the connector passes the receipt time in, so
 * a unit test replays a fixture and gets the same events every time.
 */
import type { SourceProblem } from '../../../shared/contract.ts';
import type { EventBody } from '../../../shared/protocol.ts';

export type { SourceProblem };

/**
 * An event as an adapter produces it: a FEED-PROTOCOL body without `seq` (the relay numbers it).
 * Extension fields (FEED-PROTOCOL allows optional ones; docs/sources.md lists them): gift events
 * carry `diamonds` (the platform's own unit), so the conversion to fen stays auditable; an order
 * whose amount the source did not give carries `amountFrom: "catalog"` (unit price × qty).
 */
export type SourceEvent = EventBody & { diamonds?: number; amountFrom?: 'catalog' };

/** A message an adapter could not turn into events, with a reason a person can act on. */
export interface Quarantined {
  reason: string;
  raw: unknown;
}

/** The source said it cannot serve the room (a status frame, a refusal): the connector acts on it. */
export interface ProblemReport {
  problem: SourceProblem;
  /** The source's own words, clipped. */
  detail: string;
}

export interface MapResult {
  events: SourceEvent[];
  quarantined: Quarantined[];
  /** Messages understood but deliberately not mapped (unknown methods, pending gift streaks, duplicates). */
  ignored: number;
  duplicates: number;
  /** Set when a message says the room cannot be served (ROOM_NOT_FOUND, offline, rate limit). */
  problem?: ProblemReport;
  /** The source answered about the room (live, offline, ended): the connection has proved itself. */
  answered?: boolean;
}

export function emptyResult(): MapResult {
  return { events: [], quarantined: [], ignored: 0, duplicates: 0 };
}

// ---- Connection state ---------------------------------------------------------------------------

export type SourceStatus = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

export interface SourceState {
  /** Which adapter (`tiktok-chat-reader`, `douyin-webcast`, `barrage-grab`, `merchant-orders`). */
  source: string;
  status: SourceStatus;
  /** Where it reads from, without credentials. */
  target: string;
  /** Why it is not live (or the last problem while live); null when all is well. */
  error: string | null;
  /** Why it cannot serve the room, as a code the screen words (null: none). */
  problem: SourceProblem | null;
  /** When it tries again (epoch ms), while it waits out a problem or a failed connection. */
  retryAt: number | null;
  /** Transport connections made (the first included). */
  connects: number;
  /** Raw messages received. */
  received: number;
  /** Events handed to the room. */
  events: number;
  ignored: number;
  duplicates: number;
  quarantined: number;
  /** Quarantine counts by reason (bounded: rare reasons beyond the cap are counted under "other"). */
  quarantinedByReason: Record<string, number>;
  lastMessageAt: number | null;
  /** Orders whose amount the source did not give, priced from the room's catalog (merchant orders). */
  pricedFromCatalog: number;
  /** Orders placed but not (yet) paid: not GMV, counted here (merchant orders). */
  placedOrders: number;
}

export function initialState(source: string, target: string): SourceState {
  return {
    source,
    status: 'connecting',
    target,
    error: null,
    problem: null,
    retryAt: null,
    connects: 0,
    received: 0,
    events: 0,
    ignored: 0,
    duplicates: 0,
    quarantined: 0,
    quarantinedByReason: {},
    lastMessageAt: null,
    pricedFromCatalog: 0,
    placedOrders: 0,
  };
}

const MAX_REASONS = 100;

export function countReason(state: SourceState, reason: string): void {
  state.quarantined++;
  const key = Object.hasOwn(state.quarantinedByReason, reason) || Object.keys(state.quarantinedByReason).length < MAX_REASONS ? reason : 'other';
  state.quarantinedByReason[key] = (state.quarantinedByReason[key] ?? 0) + 1;
}

/** A raw value small enough to keep in a quarantine list: a hostile 50 MB message must not be held in memory. */
export function preview(raw: unknown, maxChars = 2000): unknown {
  if (typeof raw === 'string') return raw.length > maxChars ? `${raw.slice(0, maxChars)}… (${raw.length} chars)` : raw;
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    return '(unserialisable value)';
  }
  if (text.length <= maxChars) return raw;
  return `${text.slice(0, maxChars)}… (${text.length} chars)`;
}

/** Reconnect delays: exponential with jitter, capped; reset once a connection has proved itself. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 10_000,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    // ±20 % so many adapters restarting together do not reconnect in lockstep.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempt = 0;
  }
}

// ---- Tolerant readers ---------------------------------------------------------------------------

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function own(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * `o[key]` under its camelCase, snake_case or PascalCase spelling (`repeatEnd`, `repeat_end`,
 * `RepeatEnd`: the decoders disagree); a dotted path walks nested objects. Own keys only, so a
 * hostile `__proto__` or `constructor` key never reaches an Object method.
 */
export function field(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    let v = own(cur, key);
    if (v === undefined) v = own(cur, snake(key));
    if (v === undefined) v = own(cur, pascal(key));
    cur = v;
  }
  return cur;
}

/** The first of several spellings that is present. */
export function firstField(o: unknown, ...paths: string[]): unknown {
  for (const p of paths) {
    const v = field(o, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** A finite number from a number or a numeric string ("1718870387667"); undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.length <= 30 && NUMERIC.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A count (integer ≥ 0) or undefined: negative, fractional or absurd values are not counts. */
export function toCount(v: unknown): number | undefined {
  const n = toNumber(v);
  if (n === undefined || n < 0 || !Number.isInteger(n) || n > Number.MAX_SAFE_INTEGER) return undefined;
  return n;
}

/** true / 1 / "1" / "true" → true; false / 0 / "0" / "false" → false. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const n = toNumber(v);
  if (n !== undefined) return n !== 0;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/**
 * A non-empty id string (ids arrive as strings or as numbers). A number beyond 2^53 has already
 * been rounded by a plain JSON parse, so two different ids may now be equal: it is not an id.
 * Read such frames with `parseJsonLossless`, which keeps those digits as a string.
 */
export function toId(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length >= 1 && v.length <= 200 ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : undefined;
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

export function toText(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

/** A JSON string, or a number token: the tokens that can hold a run of digits. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LONG_DIGITS = /\d{16}/;

/**
 * `JSON.parse` that keeps integers beyond 2^53 exact, as strings of their digits: DouyinBarrageGrab
 * writes 64-bit ids (`MsgId`, `User.Id`) and a Compass export its order ids as bare JSON numbers,
 * and a plain parse rounds them so that different messages share an id. Only integer number
 * tokens outside strings are touched; fractions and exponents are left to the plain parse. Text
 * without a 16-digit run (almost every frame) is parsed directly. Throws like `JSON.parse`.
 */
export function parseJsonLossless(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const exact = text.replace(JSON_TOKEN, (token) => {
    if (token.charCodeAt(0) === 34 /* " */ || /[.eE]/.test(token)) return token;
    return Number.isSafeInteger(Number(token)) ? token : `"${token}"`;
  });
  return JSON.parse(exact);
}

/**
 * "万"/"亿" display counts ("43.6万" → 436000), as Douyin shows them; plain numbers pass through.
 * Precision is the display's (4 significant digits), which is why it is used only where nothing
 * exact exists.
 */
export function displayCount(v: unknown): number | undefined {
  const exact = toCount(v);
  if (exact !== undefined) return exact;
  if (typeof v !== 'string' || v.length > 30) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(万|w|W|亿)\+?\s*$/.exec(v);
  if (!m) return undefined;
  const scale = m[2] === '亿' ? 1e8 : 1e4;
  return Math.round(Number(m[1]) * scale);
}

// ---- Time -----------------------------------------------------------------------------------------

/** A source clock ahead of ours by more than this is wrong (or hostile): the event is stamped on receipt. */
export const MAX_AHEAD_MS = 60_000;
/** A message older than this on arrival is not live data (or a broken clock): stamped on receipt. */
export const MAX_BEHIND_MS = 60 * 60_000;

/**
 * The `ts` rule shared by all adapters: the source's own time (ms epoch, as a number or a string;
 * seconds are recognised and scaled) when it is plausible, else the receipt time. Plausible means
 * within [receivedAt − 1 h, receivedAt + 60 s]: a garbage or far-future `ts` would move the app's
 * live window (its end is the newest `ts` seen) and a far-past one would land in minute 0.
 * FEED-PROTOCOL allows slightly out-of-order `ts` within a room (the app buckets by `ts`), so
 * mixing source and receipt stamps is fine; the room mux additionally clamps to the session start.
 */
export function sourceTs(raw: unknown, receivedAt: number, maxBehindMs = MAX_BEHIND_MS): number {
  let t = toNumber(raw);
  if (t === undefined || t <= 0) return receivedAt;
  if (t < 1e11) t *= 1000; // seconds epoch
  t = Math.floor(t);
  if (t > receivedAt + MAX_AHEAD_MS || t < receivedAt - maxBehindMs) return receivedAt;
  return t;
}

// ---- Bookkeeping ------------------------------------------------------------------------------------

/** A set that forgets its oldest members beyond `max`: message ids seen, for de-duplication after reconnects. */
export class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly max = 50_000) {}

  /** Adds `key`; returns false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.items.has(key)) return false;
    this.items.add(key);
    if (this.items.size > this.max) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    return true;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  get size(): number {
    return this.items.size;
  }
}

/**
 * New units from a cumulative total (a room's like total, a product's click count). Per-event
 * messages are sampled by the platforms in big rooms; totals are not, so deltas of totals are the
 * reliable count (SOURCES.md "Volume").
 * - First total seen: the baseline. What it counts happened before we were watching and cannot be
 *   placed in time, so it yields `firstDelta` (the message's own batch count where the source has
 *   one, else 0 — callers choose).
 * - A total below the baseline by a little: a message overtaken by a newer one (out of order);
 *   it yields nothing and the baseline stays (no double counting when the order settles).
 * - A total below half the baseline: the source reset its counter (a new broadcast, a restarted
 *   service): the new total becomes the baseline and yields `firstDelta` again.
 */
export class CumulativeCounter {
  private last: number | null = null;

  next(total: number, firstDelta: number): number {
    if (this.last === null || total < this.last / 2) {
      this.last = total;
      return firstDelta;
    }
    if (total <= this.last) return 0;
    const delta = total - this.last;
    this.last = total;
    return delta;
  }

  reset(): void {
    this.last = null;
  }

  get baseline(): number | null {
    return this.last;
  }
}

/** `{ reason, raw }` with the raw clipped. */
export function quarantine(reason: string, raw: unknown): Quarantined {
  return { reason, raw: preview(raw) };
}

/** The size in UTF-16 units of a text frame or the byte length of a binary one. */
export function frameSize(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((s: number, d: unknown) => s + frameSize(d), 0);
  return 0;
}

// ---- Money --------------------------------------------------------------------------------------------

/**
 * Gift value: diamonds → fen. A Douyin gift's `diamondCount` is priced in 抖币, which viewers buy at
 * 1 元 = 10 抖币, so one diamond is 10 fen of viewer spend. TikTok coins retail near US$0.0105–0.013
 * (≈ ¥0.08–0.10), the same order, so the same default applies there; a team that wants the
 * creator's share (roughly half) or an exact local price sets `fenPerDiamond`. The gift event keeps
 * the raw `diamonds` beside `valueFen`, so a later re-pricing can be done from the log.
 */
export const DEFAULT_FEN_PER_DIAMOND = 10;

export function giftEvent(ts: number, n: number, diamonds: number, fenPerDiamond: number): SourceEvent {
  return { ts, type: 'gift', n, valueFen: Math.round(diamonds * fenPerDiamond), diamonds };
}
