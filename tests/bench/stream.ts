/**
 * A deterministic, pre-generated event stream for the ingest benchmark: what a busy
 * livestream-commerce room sends (FEED-PROTOCOL.md), without the simulator's model.
 *
 * Why not the simulator: its cost per event is far higher than a relay's and its event rate
 * depends on the scenario; the benchmark wants a fixed, known number of realistic events that
 * are generated before the clock starts, identical in every process that generates them (the
 * relay child and the baseline in the parent), so a tiny LCG seeded per room is all it needs.
 */
import type { EventBody, Product, TrafficSource } from '../../shared/protocol.ts';
import { BOUGHT, CHAT, DEMAND, GIFTS, GREETINGS, QUESTIONS, fill, nicknameFor } from '../../electron/core/sim/texts.ts';

export interface StreamOptions {
  seed: number;
  rooms: number;
  eventsPerRoom: number;
  /**
   * Events per simulated second of one room. It only sets how far `ts` advances, i.e. over how
   * many minutes the aggregator spreads the events (300/s × 300k events ≈ 17 minutes of show).
   */
  simEventsPerSec?: number;
  /** Leave the `viewers` events out: bench:hub sends its own, as latency probes. */
  dropViewers?: boolean;
}

export interface RoomStream {
  roomId: string;
  title: string;
  bodies: EventBody[];
}

/** A fixed start, so two processes generate byte-identical events. */
export const STREAM_T0 = Date.UTC(2025, 10, 11, 12, 0, 0);

/** Numerical Recipes LCG: fast, good enough for picking events, identical on every platform. */
class Lcg {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
}

const PRODUCT_TITLES = [
  ['玻尿酸补水保湿面膜 10片装', '面膜', 6990],
  ['丝绒哑光唇釉 显白不拔干', '唇釉', 8900],
  ['轻薄持妆气垫粉底 SPF35', '气垫', 12900],
  ['377美白淡斑精华液 30ml', '精华', 19900],
  ['氨基酸温和洁面乳 120g', '洗面奶', 3990],
  ['多肽紧致淡纹眼霜 15g', '眼霜', 15900],
  ['清透水感防晒乳 SPF50+ PA++++', '防晒', 7990],
  ['九色大地色眼影盘 新品', '眼影', 9900],
  ['控油定妆散粉 持久不脱妆', '散粉', 5990],
  ['水乳精华护肤礼盒 五件套', '礼盒', 29900],
  ['蜂蜜滋润润唇膏 新品', '润唇膏', 1990],
  ['冰丝阔腿裤女 夏季垂感', '阔腿裤', 5900],
] as const;

const ROLES = ['traffic', 'hero', 'profit', 'new'] as const;
const SOURCES: readonly TrafficSource[] = ['recommend', 'recommend', 'recommend', 'recommend', 'paid', 'paid', 'follow', 'search', 'shortVideo', 'other'];
const COMMENT_POOLS = [DEMAND, DEMAND, QUESTIONS, CHAT, CHAT, GREETINGS, BOUGHT] as const;

/**
 * Share of each per-event draw, for a busy room (comments and entries dominate; commerce events
 * are a fifth). Viewer counts and like totals come once per simulated second, ad reports every
 * 5 s per plan, pins every 3 minutes, as platforms report them.
 */
const MIX: ReadonlyArray<readonly [string, number]> = [
  ['comment', 34],
  ['enter', 24],
  ['exposure', 15],
  ['click', 8],
  ['order', 5],
  ['gift', 3],
  ['follow', 2],
  ['share', 1],
  ['fansclub', 0.5],
  ['product', 0.5],
];
const MIX_TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

export function generateStreams(opts: StreamOptions): RoomStream[] {
  const out: RoomStream[] = [];
  for (let r = 0; r < opts.rooms; r++) out.push(generateRoom(`bench-${r + 1}`, opts.seed * 1000 + r + 1, opts.eventsPerRoom, opts.simEventsPerSec ?? 300));
  if (opts.dropViewers) for (const s of out) s.bodies = s.bodies.filter((b) => b.type !== 'viewers');
  return out;
}

function generateRoom(roomId: string, seed: number, count: number, perSec: number): RoomStream {
  const rng = new Lcg(seed);
  const title = `压测直播间 ${roomId} 双11大促`;
  const catalog: Product[] = PRODUCT_TITLES.map(([t, , priceFen], i) => ({
    id: `${roomId}-sku-${i + 1}`,
    title: t,
    priceFen,
    stock: 500 + i * 100,
    role: ROLES[i % ROLES.length],
    costFen: Math.round(priceFen * 0.45),
    tags: i === 11 ? ['女装'] : ['美妆'],
  }));
  const bodies: EventBody[] = [];
  bodies.push({ type: 'session', ts: STREAM_T0, status: 'live', title, startedAt: STREAM_T0 });
  bodies.push({ type: 'catalog', ts: STREAM_T0, products: catalog });

  const stepMs = 1000 / perSec;
  let clock = STREAM_T0;
  let pinned = 0;
  let nextPinAt = STREAM_T0;
  let nextSecond = STREAM_T0;
  let nextAdAt = STREAM_T0 + 5000;
  let online = 18_000;
  let uv = 0;
  let pv = 0;
  let watch = 0;
  let likes = 0;
  let orderNo = 0;
  const paidOrders: Array<{ orderId: string; productId: string; amountFen: number }> = [];
  const ads = [
    { planId: `${roomId}-plan-a`, spend: 0, imp: 0, clicks: 0, views: 0, orders: 0, gmv: 0, budget: 30_000 },
    { planId: `${roomId}-plan-b`, spend: 0, imp: 0, clicks: 0, views: 0, orders: 0, gmv: 0, budget: 12_000 },
  ];
  const stock = catalog.map((p) => p.stock ?? 0);

  while (bodies.length < count) {
    clock += stepMs;
    const ts = Math.floor(clock);
    if (ts >= nextPinAt) {
      bodies.push({ type: 'pin', ts, productId: catalog[pinned % catalog.length]!.id });
      pinned++;
      nextPinAt += 180_000;
      continue;
    }
    if (ts >= nextSecond) {
      online = Math.max(2_000, online + rng.int(-400, 420));
      uv += rng.int(40, 120);
      pv += rng.int(60, 200);
      watch += online;
      likes += rng.int(200, 1500);
      bodies.push({ type: 'viewers', ts, online, uv, pv, watchSeconds: watch });
      bodies.push({ type: 'like', ts, n: rng.int(200, 1500), total: likes });
      nextSecond += 1000;
      continue;
    }
    if (ts >= nextAdAt) {
      for (const a of ads) {
        a.spend += rng.int(500, 3000);
        a.imp += rng.int(2_000, 9_000);
        a.clicks += rng.int(20, 150);
        a.views += rng.int(100, 600);
        a.orders += rng.int(0, 4);
        a.gmv += rng.int(0, 40_000);
        bodies.push({
          type: 'ad',
          ts,
          planId: a.planId,
          spendFen: a.spend,
          impressions: a.imp,
          clicks: a.clicks,
          views: a.views,
          orders: a.orders,
          gmvFen: a.gmv,
          budgetFenPerMin: a.budget,
        });
      }
      nextAdAt += 5000;
      continue;
    }
    const pinIdx = (pinned - 1 + catalog.length) % catalog.length;
    const pin = catalog[pinIdx]!;
    // The pinned product gets most of the attention; the rest of the bag shares what is left.
    const productIdx = rng.next() < 0.7 ? pinIdx : rng.int(0, catalog.length - 1);
    const product = catalog[productIdx]!;
    let x = rng.next() * MIX_TOTAL;
    let kind = 'comment';
    for (const [k, w] of MIX) {
      if ((x -= w) < 0) {
        kind = k;
        break;
      }
    }
    switch (kind) {
      case 'comment': {
        const viewer = rng.int(1, 2_000_000);
        const short = PRODUCT_TITLES[pinIdx]![1];
        bodies.push({ type: 'comment', ts, text: fill(rng.pick(rng.pick(COMMENT_POOLS)), short, pinIdx + 1), userId: `u${viewer}`, nickname: nicknameFor(viewer) });
        break;
      }
      case 'enter':
        bodies.push({ type: 'enter', ts, n: rng.int(1, 3), source: rng.pick(SOURCES) });
        break;
      case 'exposure':
        bodies.push({ type: 'exposure', ts, productId: product.id, n: rng.int(5, 60), users: rng.int(5, 50) });
        break;
      case 'click':
        bodies.push({ type: 'click', ts, productId: product.id, n: rng.int(1, 6), users: rng.int(1, 5) });
        break;
      case 'order': {
        // Now and then a refund of an earlier order; otherwise a new order with a fresh id.
        const refund = paidOrders.length > 20 && rng.next() < 0.03 ? paidOrders[rng.int(0, paidOrders.length - 1)]! : null;
        if (refund) {
          bodies.push({ type: 'order', ts, orderId: refund.orderId, productId: refund.productId, qty: 1, amountFen: refund.amountFen, status: 'refunded' });
        } else {
          const qty = rng.next() < 0.84 ? 1 : rng.int(2, 3);
          const orderId = `${roomId}-o${String(++orderNo).padStart(8, '0')}`;
          const amountFen = (product.priceFen ?? 0) * qty;
          paidOrders.push({ orderId, productId: product.id, amountFen });
          bodies.push({ type: 'order', ts, orderId, productId: product.id, qty, amountFen, status: 'paid', buyerId: `u${rng.int(1, 2_000_000)}` });
        }
        break;
      }
      case 'gift': {
        const g = rng.pick(GIFTS);
        const n = rng.int(1, 5);
        bodies.push({ type: 'gift', ts, n, valueFen: g.valueFen * n });
        break;
      }
      case 'follow':
      case 'share':
      case 'fansclub':
        bodies.push({ type: kind, ts, n: 1 });
        break;
      case 'product': {
        stock[pinIdx] = Math.max(0, (stock[pinIdx] ?? 0) - rng.int(1, 20));
        bodies.push({ type: 'product', ts, productId: pin.id, stock: stock[pinIdx], soldOut: stock[pinIdx] === 0 });
        break;
      }
    }
  }
  // The per-second and ad branches push several events at once; trim to the exact count.
  bodies.length = count;
  return { roomId, title, bodies };
}

/** A cheap fingerprint, so the parent can check the relay child generated the very same stream. */
export function streamChecksum(streams: RoomStream[]): string {
  let h = 2166136261;
  let n = 0;
  for (const s of streams) {
    for (const b of s.bodies) {
      const j = JSON.stringify(b);
      n += j.length;
      for (let i = 0; i < j.length; i += 7) h = Math.imul(h ^ j.charCodeAt(i), 16777619);
    }
  }
  return `${(h >>> 0).toString(16)}:${n}`;
}
