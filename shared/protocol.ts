/**
 * FEED-PROTOCOL.md v1 as types and runtime validators.
 *
 * Everything that crosses the relay → app boundary is validated here, so the rest of the code
 * can trust its inputs. A valid event is passed on as the relay sent it, fields this version does
 * not know included (a relay's compatible extension), so the raw log holds what the relay sent. Extensions we add (documented in docs/architecture.md, "Feed protocol extensions")
 * are optional fields only, so any relay written from the spec alone still validates.
 */
import { z } from 'zod';

export const FEED_NAMESPACE = '/feed';

const count = z.number().int().nonnegative();
const fen = z.number().int().nonnegative();
const id = z.string().min(1).max(200);

export const TrafficSources = ['recommend', 'paid', 'follow', 'search', 'shortVideo', 'other'] as const;
export type TrafficSource = (typeof TrafficSources)[number];

export const ProductRoles = ['traffic', 'hero', 'profit', 'new'] as const;
export type ProductRole = (typeof ProductRoles)[number];

export const ProductSchema = z.object({
  id,
  title: z.string().max(500),
  priceFen: fen,
  stock: count.optional(),
  role: z.enum(ProductRoles).optional(),
  costFen: fen.optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
});
export type Product = z.infer<typeof ProductSchema>;

export const RoomStatuses = ['live', 'ended', 'scheduled'] as const;
export const RoomInfoSchema = z.object({
  roomId: id,
  platform: z.string().max(50),
  title: z.string().max(500),
  status: z.enum(RoomStatuses),
  startedAt: z.number().int().nonnegative().nullable(),
  lastSeq: z.number().int().nonnegative(),
  /** The oldest seq the relay still holds for the room: a hole below it can never be filled. */
  firstSeq: z.number().int().positive().optional(),
});
export type RoomInfo = z.infer<typeof RoomInfoSchema>;

/**
 * The epoch-ms range a live event's time (and a session's start) can plausibly carry. A relay's
 * `ts: 0` or `9e15` is not live data: bucketed per minute it would allocate millions of rows.
 */
export const EPOCH_MIN_MS = Date.UTC(2015, 0, 1);
export const EPOCH_MAX_MS = Date.UTC(2100, 0, 1);
const epochMs = z.number().int().min(EPOCH_MIN_MS, { message: 'is not a plausible epoch-ms time (before 2015)' }).max(EPOCH_MAX_MS, { message: 'is not a plausible epoch-ms time (after 2100)' });

/** Fields every event carries. `seq` ≥ 1 per room; `ts` epoch ms at the source. */
const envelope = {
  seq: z.number().int().positive(),
  ts: epochMs,
};

/**
 * The currency of a room's money (the project's extension of FEED-PROTOCOL): an ISO 4217 code.
 * FEED-PROTOCOL's money is integer fen, which is CNY's minor unit; a money event that names another
 * currency carries its amounts in that currency's minor units (cents, pence, satang; đồng and yen
 * are their own minor unit). Absent: CNY. A room's money is in one currency: the first one named
 * holds for the session, and money in another is quarantined, never converted.
 */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/);
export const DEFAULT_CURRENCY = 'CNY';

export const SessionEventSchema = z.object({
  ...envelope,
  type: z.literal('session'),
  status: z.enum(['live', 'ended']),
  title: z.string().max(500).optional(),
  startedAt: epochMs,
  currency: currencyCode.optional(),
});
export const CatalogEventSchema = z.object({ ...envelope, type: z.literal('catalog'), products: z.array(ProductSchema).max(5000) });
export const ProductEventSchema = z.object({
  ...envelope,
  type: z.literal('product'),
  productId: id,
  priceFen: fen.optional(),
  stock: count.optional(),
  soldOut: z.boolean().optional(),
});
/**
 * `online` may be left out by a snapshot of cumulative figures only (the project's extension,
 * docs/sources.md: Douyin's guest-mode RoomStats "N人看过" is the room's accumulated viewers, not
 * who is online now); a relay written from FEED-PROTOCOL alone always sends it.
 */
export const ViewersEventSchema = z
  .object({
    ...envelope,
    type: z.literal('viewers'),
    online: count.optional(),
    uv: count.optional(),
    pv: count.optional(),
    watchSeconds: count.optional(),
  })
  .refine((e) => e.online !== undefined || e.uv !== undefined || e.pv !== undefined || e.watchSeconds !== undefined, { message: 'viewers needs online or a cumulative figure' });
export const EnterEventSchema = z.object({ ...envelope, type: z.literal('enter'), n: count, source: z.enum(TrafficSources).optional() });
export const LikeEventSchema = z
  .object({ ...envelope, type: z.literal('like'), n: count.optional(), total: count.optional() })
  .refine((e) => e.n !== undefined || e.total !== undefined, { message: 'like needs n or total' });
export const CommentEventSchema = z.object({
  ...envelope,
  type: z.literal('comment'),
  text: z.string().max(2000),
  userId: z.string().max(200).optional(),
  nickname: z.string().max(200).optional(),
});
export const FollowEventSchema = z.object({ ...envelope, type: z.literal('follow'), n: count });
export const ShareEventSchema = z.object({ ...envelope, type: z.literal('share'), n: count });
export const FansclubEventSchema = z.object({ ...envelope, type: z.literal('fansclub'), n: count });
export const GiftEventSchema = z.object({ ...envelope, type: z.literal('gift'), n: count, valueFen: fen });
export const PinEventSchema = z.object({ ...envelope, type: z.literal('pin'), productId: id.nullable() });
export const ExposureEventSchema = z.object({ ...envelope, type: z.literal('exposure'), productId: id, n: count, users: count.optional() });
export const ClickEventSchema = z.object({ ...envelope, type: z.literal('click'), productId: id, n: count, users: count.optional() });
export const OrderEventSchema = z.object({
  ...envelope,
  type: z.literal('order'),
  orderId: id,
  productId: id,
  qty: z.number().int().positive(),
  amountFen: fen,
  status: z.enum(['paid', 'refunded']),
  buyerId: z.string().max(200).optional(),
  currency: currencyCode.optional(),
});
/** FEED-PROTOCOL's `ad.status`: what a platform plan is doing now. */
export const AdPlanStatuses = ['delivering', 'paused', 'budgetExhausted', 'other'] as const;
export type AdPlanStatus = (typeof AdPlanStatuses)[number];

export const AdEventSchema = z.object({
  ...envelope,
  type: z.literal('ad'),
  planId: id,
  spendFen: fen,
  impressions: count.optional(),
  clicks: count.optional(),
  views: count.optional(),
  orders: count.optional(),
  gmvFen: fen.optional(),
  budgetFenPerMin: fen.optional(),
  /** A platform plan's name and settings as last read (FEED-PROTOCOL `ad`). */
  name: z.string().max(200).optional(),
  status: z.enum(AdPlanStatuses).optional(),
  dailyBudgetFen: fen.optional(),
  bidFen: fen.optional(),
  roiGoal: z.number().min(0).max(1000).optional(),
  currency: currencyCode.optional(),
});
/**
 * The product id of clicks (and orders) a source counts for the whole room without saying which
 * product: 巨量千川 publishes the room's product clicks as one total. They count in the room's
 * figures and never make a product row.
 */
export const ROOM_WIDE_PRODUCT = '*';
/**
 * A platform's own cumulative totals for the room (the project's extension of FEED-PROTOCOL): what
 * 巨量千川 reports as the room's GMV and orders, or what 抖店's orders of the room add up to, as of
 * `ts`. They never count in the room's figures (orders do); the report sets them side by side.
 */
export const TotalsEventSchema = z.object({
  ...envelope,
  type: z.literal('totals'),
  origin: z.string().min(1).max(50),
  gmvFen: fen.optional(),
  orders: count.optional(),
  refundFen: fen.optional(),
  adGmvFen: fen.optional(),
  spendFen: fen.optional(),
  clicks: count.optional(),
  views: count.optional(),
  currency: currencyCode.optional(),
  /** How the orders were taken as the room's when the platform's orders name no room (TikTok Shop: docs/tiktok-shop.md). */
  rule: z.string().max(100).optional(),
});
export type TotalsEvent = z.infer<typeof TotalsEventSchema>;

export const MarkerKinds = ['flash', 'giveaway', 'warning', 'note'] as const;
export const MarkerEventSchema = z.object({ ...envelope, type: z.literal('marker'), kind: z.enum(MarkerKinds), text: z.string().max(2000).optional() });

const knownSchemas = {
  session: SessionEventSchema,
  catalog: CatalogEventSchema,
  product: ProductEventSchema,
  viewers: ViewersEventSchema,
  enter: EnterEventSchema,
  like: LikeEventSchema,
  comment: CommentEventSchema,
  follow: FollowEventSchema,
  share: ShareEventSchema,
  fansclub: FansclubEventSchema,
  gift: GiftEventSchema,
  pin: PinEventSchema,
  exposure: ExposureEventSchema,
  click: ClickEventSchema,
  order: OrderEventSchema,
  ad: AdEventSchema,
  marker: MarkerEventSchema,
  totals: TotalsEventSchema,
} as const;

export type KnownEventType = keyof typeof knownSchemas;
export const KnownEventTypes = Object.keys(knownSchemas) as KnownEventType[];

export type SessionEvent = z.infer<typeof SessionEventSchema>;
export type CatalogEvent = z.infer<typeof CatalogEventSchema>;
export type ProductEvent = z.infer<typeof ProductEventSchema>;
export type ViewersEvent = z.infer<typeof ViewersEventSchema>;
export type EnterEvent = z.infer<typeof EnterEventSchema>;
export type LikeEvent = z.infer<typeof LikeEventSchema>;
export type CommentEvent = z.infer<typeof CommentEventSchema>;
export type FollowEvent = z.infer<typeof FollowEventSchema>;
export type ShareEvent = z.infer<typeof ShareEventSchema>;
export type FansclubEvent = z.infer<typeof FansclubEventSchema>;
export type GiftEvent = z.infer<typeof GiftEventSchema>;
export type PinEvent = z.infer<typeof PinEventSchema>;
export type ExposureEvent = z.infer<typeof ExposureEventSchema>;
export type ClickEvent = z.infer<typeof ClickEventSchema>;
export type OrderEvent = z.infer<typeof OrderEventSchema>;
export type AdEvent = z.infer<typeof AdEventSchema>;
export type MarkerEvent = z.infer<typeof MarkerEventSchema>;

/** An event of a type this version does not know: kept raw, ignored by the metrics. */
export interface UnknownEvent {
  seq: number;
  ts: number;
  type: string;
  unknown: true;
  [field: string]: unknown;
}

export type KnownFeedEvent =
  | SessionEvent
  | CatalogEvent
  | ProductEvent
  | ViewersEvent
  | EnterEvent
  | LikeEvent
  | CommentEvent
  | FollowEvent
  | ShareEvent
  | FansclubEvent
  | GiftEvent
  | PinEvent
  | ExposureEvent
  | ClickEvent
  | OrderEvent
  | AdEvent
  | MarkerEvent
  | TotalsEvent;
export type FeedEvent = KnownFeedEvent | UnknownEvent;

/** An event as a relay writes it, before the envelope is assigned (the simulator's model output). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<KnownFeedEvent, 'seq'>;

const EnvelopeSchema = z.object({ ...envelope, type: z.string().min(1).max(64) });

/** The fields each known type defines: anything else on an event is a relay's extension. */
const knownKeys: Record<string, ReadonlySet<string>> = Object.fromEntries(Object.entries(knownSchemas).map(([t, s]) => [t, new Set(Object.keys(s.shape))]));
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['seq', 'ts', 'type']);

/**
 * Extension fields are kept as the relay sent them (compatible extensions), so they are bounded
 * here: the core serialises every event into the store, and a field nested 10,000 levels deep
 * (or megabytes of them) would overflow or stall that on every restart.
 */
export const EXTENSION_LIMITS = { depth: 8, nodes: 2_000, chars: 64_000 } as const;

function extensionProblem(raw: Record<string, unknown>, known: ReadonlySet<string>): string | null {
  let nodes = 0;
  let chars = 0;
  const stack: Array<[unknown, number, string]> = [];
  for (const key of Object.keys(raw)) if (!known.has(key)) stack.push([raw[key], 1, key]);
  while (stack.length) {
    const [v, depth, key] = stack.pop()!;
    if (++nodes > EXTENSION_LIMITS.nodes) return `extension field ${key} is too large (over ${EXTENSION_LIMITS.nodes} values)`;
    if (typeof v === 'string') {
      chars += v.length;
      if (chars > EXTENSION_LIMITS.chars) return `extension field ${key} is too large (over ${EXTENSION_LIMITS.chars} characters)`;
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= EXTENSION_LIMITS.depth) return `extension field ${key} is nested too deep (over ${EXTENSION_LIMITS.depth} levels)`;
      for (const k of Object.keys(v)) {
        chars += k.length;
        stack.push([(v as Record<string, unknown>)[k], depth + 1, key]);
      }
    } else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') return `extension field ${key} is not JSON`;
  }
  return null;
}

export type Validation = { ok: true; event: FeedEvent } | { ok: false; reason: string; seq: number | null };

/**
 * Validates one raw event. Never throws: anything a relay sends becomes either a trusted event
 * or a reason the quarantine can show. `seq` is reported when the envelope had a usable one, so
 * the feed client can move its cursor past a quarantined event instead of re-fetching it forever.
 */
export function validateEvent(raw: unknown): Validation {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  // Own keys only: a "constructor" or "__proto__" type must not find an Object method.
  const schema = typeof type === 'string' && Object.hasOwn(knownSchemas, type) ? knownSchemas[type as KnownEventType] : undefined;
  if (schema) {
    // One pass for the common case (a valid known event); the envelope is checked separately only
    // to word the reason and find the seq when something is wrong.
    const parsed = schema.safeParse(raw);
    // The schemas neither transform nor default anything, so the original object is the validated
    // event — plus any extension fields, which zod's output would have stripped. No copy per event.
    if (parsed.success) {
      const problem = extensionProblem(raw as Record<string, unknown>, knownKeys[type as string]!);
      return problem ? { ok: false, reason: `${type as string}: ${problem}`, seq: parsed.data.seq } : { ok: true, event: raw as KnownFeedEvent };
    }
    const env = EnvelopeSchema.safeParse(raw);
    if (!env.success) return { ok: false, reason: describe(env.error), seq: usableSeq(raw) };
    return { ok: false, reason: `${type as string}: ${describe(parsed.error)}`, seq: env.data.seq };
  }
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success) return { ok: false, reason: describe(env.error), seq: usableSeq(raw) };
  const problem = extensionProblem(raw as Record<string, unknown>, ENVELOPE_KEYS);
  if (problem) return { ok: false, reason: `${env.data.type}: ${problem}`, seq: env.data.seq };
  return { ok: true, event: { ...(raw as Record<string, unknown>), seq: env.data.seq, ts: env.data.ts, type: env.data.type, unknown: true } };
}

function usableSeq(raw: unknown): number | null {
  const seq = typeof raw === 'object' && raw !== null ? (raw as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? seq : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid event';
  const where = issue.path.length ? issue.path.join('.') : 'event';
  return `${where}: ${issue.message}`;
}

export function isKnown(e: FeedEvent): e is KnownFeedEvent {
  return !('unknown' in e);
}

// ---- Client → relay -------------------------------------------------------------------------

export const SubscribeRequestSchema = z.object({
  rooms: z.array(z.object({ roomId: id, afterSeq: z.number().int().nonnegative().optional() })).min(1).max(200),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;
export type SubscribeAck = { ok: true; rooms: RoomInfo[] } | { ok: false; error: string };
export const SubscribeAckSchema = z.union([
  z.object({ ok: z.literal(true), rooms: z.array(RoomInfoSchema) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export const UnsubscribeRequestSchema = z.object({ rooms: z.array(id).max(200) });

export const FeedCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pin'), productId: id.nullable() }),
  z.object({ type: z.literal('adBudget'), planId: id, budgetFenPerMin: fen }),
  z.object({ type: z.literal('adPause'), planId: id }),
  z.object({ type: z.literal('adResume'), planId: id }),
  z.object({ type: z.literal('flash'), productId: id, priceFen: fen, stock: z.number().int().positive() }),
]);
export type FeedCommand = z.infer<typeof FeedCommandSchema>;
export const CommandRequestSchema = z.object({ roomId: id, command: FeedCommandSchema });
export type CommandRequest = z.infer<typeof CommandRequestSchema>;
export type CommandAck = { ok: true } | { ok: false; error: string };
export const CommandAckSchema = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);

/** Relay → client `events` payload. Events stay `unknown` until validated one by one. */
export const EventsMessageSchema = z.object({ roomId: id, events: z.array(z.unknown()) });
export type EventsMessage = { roomId: string; events: FeedEvent[] };

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
