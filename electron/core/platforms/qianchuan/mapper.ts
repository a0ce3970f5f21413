/**
 * One 巨量千川 poll → feed events for one room. The platform publishes cumulative totals, never a
 * per-minute series, so the minute figures here are DIFFERENCES of successive polls, put at the
 * poll's time and marked `basis: "polled"` (an extension field): a chart of them is as fine as the
 * poll cadence, no finer. The first poll of a show already under way brings everything since the
 * start in one step (`basis: "catch-up"`).
 *
 * What this source says for a room depends on the room's other sources (`QianchuanRoles`): a
 * viewer-side stream owns viewers, entries and engagement; 抖店 owns orders (the order truth);
 * 千川 always owns ad plans, spend and product clicks, which no other source has.
 *
 * Orders differenced from a product's cumulative count get ids `qc-<room>-<product>-<k>` — the
 * k-th order of that product in that room — so re-reading the same totals after a restart names
 * the same orders and the store counts each once.
 *
 * Plain class, no I/O, no clock: the poller passes each snapshot in with its time.
 */
import { ROOM_WIDE_PRODUCT, type AdPlanStatus, type Product, type TrafficSource } from '../../../../shared/protocol.ts';
import { emptyResult, type MapResult, type SourceEvent } from '../../sources/common.ts';
import type { FlowChannel, PlanRow, PlanStats, ProductRow, RoomRow } from './read.ts';
import { checkUniCostUnit, uniCostToFen, yuanToFen, type UnitCheck, type UniCostUnit } from './units.ts';

export interface QianchuanRoles {
  /** No viewer-side stream: 千川's watch count and channels are the room's entries and views. */
  traffic: boolean;
  /** No 抖店: 千川's per-product paid orders are the room's orders. */
  orders: boolean;
  /** May open and end the session (it is the room's first source). */
  session: boolean;
}

export interface Snapshot {
  at: number;
  /** The room followed now (today's live room of the 抖音号), or null when it has none. */
  room: RoomRow | null;
  products: ProductRow[] | null;
  flow: Partial<Record<FlowChannel, number>> | null;
  plans: PlanRow[] | null;
  planStats: PlanStats[] | null;
  uniPlans: (PlanRow & { stats: PlanStats })[] | null;
}

/** 千川's channels (流量来源) as FEED-PROTOCOL traffic sources. */
export const CHANNEL_SOURCE: Record<FlowChannel, TrafficSource> = {
  homepage_hot: 'recommend',
  other_recommend_live: 'recommend',
  live_merge: 'recommend',
  homepage_fresh: 'recommend',
  video_to_live: 'shortVideo',
  homepage_follow: 'follow',
  general_search: 'search',
  live_pc_qian_chuan: 'paid',
  live_xiao_dian_qian_chuan: 'paid',
  ecom_ad_third_qc_brand: 'paid',
  ecom_ad_third_qc_brand_other_bidding: 'paid',
  ecom_ad_third_qc_other_brand: 'paid',
  others_homepage: 'other',
  douyin_shopping_center: 'other',
  activity: 'other',
  touxi_saas: 'other',
  ecom_other: 'other',
};

/** A plan's delivery status as FEED-PROTOCOL's `ad.status`. */
export function planStatus(p: Pick<PlanRow, 'status' | 'optStatus'>): AdPlanStatus {
  if (p.optStatus === 'DISABLE' || p.status === 'DISABLE' || p.status === 'CAMPAIGN_DISABLE') return 'paused';
  if (/OFFLINE_BUDGET|OFFLINE_BALANCE/.test(p.status)) return 'budgetExhausted';
  if (p.status === 'DELIVERY_OK') return 'delivering';
  return 'other';
}

interface ShowState {
  roomId: string;
  startedAt: number;
  polls: number;
  /** Last cumulative values, by figure key. */
  last: Map<string, number>;
  products: Map<string, { price?: number; stock?: number }>;
  catalogKey: string;
  explaining: string | null;
  /** Standard plans' spend/GMV/orders today before this show (their report is per day). */
  planBase: Map<string, PlanStats>;
}

/** Figures 千川 gives and what the app made of them, for the source's panel. */
/** Order lines one product makes from one poll at most (see emitOrders). */
export const MAX_ORDER_LINES_PER_POLL = 20_000;

export interface QianchuanNotes {
  unit: UnitCheck;
  /** Entries by channel vs the watch count: does the channel split add up (checked each poll)? */
  flowCheck: 'consistent' | 'inconsistent' | 'unchecked';
  liveRoomId: string | null;
  /** Orders beyond MAX_ORDER_LINES_PER_POLL in one poll, merged into one line each time. */
  mergedOrders: number;
}

export class QianchuanMapper {
  private show: ShowState | null = null;
  private ended = new Set<string>();
  readonly notes: QianchuanNotes;

  constructor(
    private readonly roles: QianchuanRoles,
    private readonly pinnedUnit?: UniCostUnit,
  ) {
    this.notes = { unit: checkUniCostUnit(0, undefined, pinnedUnit), flowCheck: 'unchecked', liveRoomId: null, mergedOrders: 0 };
  }

  get liveRoomId(): string | null {
    return this.show?.roomId ?? null;
  }

  map(s: Snapshot): MapResult {
    const out = emptyResult();
    out.answered = true;
    const ev = out.events;
    const room = s.room;
    if (this.show && (!room || room.roomId !== this.show.roomId || room.status === 'FINISH')) {
      const endedAt = room && room.roomId === this.show.roomId ? (room.endedAt ?? s.at) : s.at;
      if (room && room.roomId === this.show.roomId) this.emitFigures(s, ev);
      if (this.roles.session) ev.push({ type: 'session', status: 'ended', startedAt: this.show.startedAt, ts: Math.max(endedAt, this.show.startedAt) });
      this.ended.add(this.show.roomId);
      this.show = null;
    }
    if (!room || room.status === 'FINISH' || this.ended.has(room.roomId)) {
      this.notes.liveRoomId = null;
      return out;
    }
    if (!this.show) {
      const startedAt = Math.min(room.startedAt ?? s.at, s.at);
      this.show = { roomId: room.roomId, startedAt, polls: 0, last: new Map(), products: new Map(), catalogKey: '', explaining: null, planBase: new Map() };
      if (this.roles.session) ev.push({ type: 'session', status: 'live', title: room.title || undefined, startedAt, ts: startedAt });
      // Today's figures of a standard plan include what it spent before this show; a show caught at
      // its start sets that aside, one joined later cannot tell (said beside the figure).
      if (s.at - startedAt < 5 * 60_000) for (const st of s.planStats ?? []) this.show.planBase.set(st.planId, st);
    }
    this.notes.liveRoomId = this.show.roomId;
    this.emitFigures(s, ev);
    this.show.polls++;
    return out;
  }

  private emitFigures(s: Snapshot, ev: SourceEvent[]): void {
    const show = this.show!;
    const at = s.at;
    const basis = show.polls === 0 ? 'catch-up' : 'polled';
    const room = s.room!;
    // Undefined figures vanish on the wire (JSON): the platform did not give them.
    ev.push({ type: 'totals', origin: 'qianchuan', gmvFen: yuanToFen(room.payOrderGmv), orders: room.payOrderCnt, adGmvFen: yuanToFen(room.lubanPayOrderGmv), spendFen: yuanToFen(room.statCost), clicks: room.clickProductCnt, views: room.watchCnt, ts: at });
    if (s.products) this.emitProducts(s.products, at, ev, basis);
    const clicks = this.delta('clicks', room.clickProductCnt);
    if (clicks > 0) ev.push({ type: 'click', productId: ROOM_WIDE_PRODUCT, n: clicks, ts: at, basis } as SourceEvent);
    if (this.roles.traffic) {
      if (room.watchCnt !== undefined) ev.push({ type: 'viewers', pv: room.watchCnt, ts: at } as SourceEvent);
      this.emitEntries(room, s.flow, at, ev, basis);
      for (const [key, type, v] of [
        ['follow', 'follow', room.followCnt],
        ['share', 'share', room.shareCnt],
        ['fansclub', 'fansclub', room.fansClubJoinCnt],
      ] as const) {
        const n = this.delta(key, v);
        if (n > 0) ev.push({ type, n, ts: at, basis } as SourceEvent);
      }
    }
    this.emitPlans(s, ev);
  }

  private emitProducts(products: ProductRow[], at: number, ev: SourceEvent[], basis: string): void {
    const show = this.show!;
    const catalog: Product[] = products.map((p) => ({ id: p.productId, title: p.title.slice(0, 500), priceFen: yuanToFen(p.price) ?? 0, ...(p.stock !== undefined ? { stock: p.stock } : {}) }));
    const key = catalog.map((p) => `${p.id}:${p.title}`).join('|');
    if (key !== show.catalogKey) {
      show.catalogKey = key;
      ev.push({ type: 'catalog', products: catalog, ts: at });
      for (const p of products) show.products.set(p.productId, { price: p.price, stock: p.stock });
    } else {
      for (const p of products) {
        const prev = show.products.get(p.productId);
        const priceChanged = p.price !== undefined && prev?.price !== p.price;
        const stockChanged = p.stock !== undefined && prev?.stock !== p.stock;
        if (priceChanged || stockChanged) {
          ev.push({ type: 'product', productId: p.productId, ...(priceChanged ? { priceFen: yuanToFen(p.price) ?? 0 } : {}), ...(stockChanged ? { stock: p.stock, soldOut: p.stock === 0 } : {}), ts: at });
          show.products.set(p.productId, { price: p.price, stock: p.stock });
        }
      }
    }
    const explaining = products.find((p) => p.explain === 'BEINGEXPLAIN')?.productId ?? null;
    if (explaining !== show.explaining) {
      show.explaining = explaining;
      ev.push({ type: 'pin', productId: explaining, ts: at });
    }
    if (this.roles.orders) for (const p of products) this.emitOrders(p, at, ev, basis);
  }

  private emitOrders(p: ProductRow, at: number, ev: SourceEvent[], basis: string): void {
    const show = this.show!;
    const kKey = `orders:${p.productId}`;
    const gKey = `gmv:${p.productId}`;
    const prevK = show.last.get(kKey) ?? 0;
    const prevG = show.last.get(gKey) ?? 0;
    const k = p.payOrderCnt;
    const g = yuanToFen(p.payOrderGmv);
    if (k === undefined || g === undefined || k <= prevK) return;
    show.last.set(kKey, k);
    show.last.set(gKey, Math.max(g, prevG));
    const n = k - prevK;
    const gmv = Math.max(0, g - prevG);
    const each = Math.floor(gmv / n);
    // A count that jumps by more than a product can sell between two polls (a broken or hostile
    // answer, 1e9 orders) must not become a billion events: beyond the cap the rest is one line of
    // that many items, said in the source's counts.
    const lines = Math.min(n, MAX_ORDER_LINES_PER_POLL);
    for (let i = 1; i <= lines; i++) {
      const last = i === lines;
      const amountFen = last ? gmv - each * (lines - 1) : each;
      ev.push({ type: 'order', orderId: `qc-${show.roomId}-${p.productId}-${prevK + i}`, productId: p.productId, qty: last ? n - lines + 1 : 1, amountFen, status: 'paid', ts: at, basis } as SourceEvent);
    }
    if (n > lines) this.notes.mergedOrders += n - lines;
  }

  private emitEntries(room: RoomRow, flow: Snapshot['flow'], at: number, ev: SourceEvent[], basis: string): void {
    const watched = this.delta('watch', room.watchCnt);
    const bySource = new Map<TrafficSource, number>();
    let split = 0;
    if (flow) {
      for (const [ch, v] of Object.entries(flow) as [FlowChannel, number][]) {
        const n = this.delta(`flow:${ch}`, v);
        if (n <= 0) continue;
        const src = CHANNEL_SOURCE[ch];
        bySource.set(src, (bySource.get(src) ?? 0) + n);
        split += n;
      }
      // The channels are read as entries (观看人次) — an assumption the docs leave open, checked
      // here: they must add up to the room's own watch count within a poll's drift.
      if (watched > 20) this.notes.flowCheck = Math.abs(split - watched) <= Math.max(5, watched * 0.1) ? 'consistent' : 'inconsistent';
    }
    if (this.notes.flowCheck === 'inconsistent' || !flow) {
      if (watched > 0) ev.push({ type: 'enter', n: watched, ts: at, basis } as SourceEvent);
      return;
    }
    for (const [source, n] of bySource) ev.push({ type: 'enter', n, source, ts: at, basis } as SourceEvent);
    if (watched > split) ev.push({ type: 'enter', n: watched - split, source: 'other', ts: at, basis } as SourceEvent);
  }

  private emitPlans(s: Snapshot, ev: SourceEvent[]): void {
    const show = this.show!;
    const stats = new Map((s.planStats ?? []).map((x) => [x.planId, x]));
    for (const p of s.plans ?? []) {
      const st = stats.get(p.planId);
      const base = show.planBase.get(p.planId);
      const minus = (a: number | undefined, b: number | undefined) => (a === undefined ? undefined : Math.max(0, a - (b ?? 0)));
      ev.push(this.adEvent(p, s.at, yuanToFen(minus(st?.cost, base?.cost)) ?? 0, {
        gmvFen: yuanToFen(minus(st?.gmv, base?.gmv)),
        orders: minus(st?.orders, base?.orders),
        impressions: minus(st?.impressions, base?.impressions),
        clicks: minus(st?.clicks, base?.clicks),
      }));
    }
    const uni = s.uniPlans ?? [];
    if (uni.length) {
      const rawSum = uni.reduce((a, u) => a + (u.stats.cost ?? 0), 0);
      this.notes.unit = checkUniCostUnit(rawSum, s.room?.statCost, this.pinnedUnit);
      for (const u of uni) {
        // 全域 GMV follows the cost's unit only where the peers that divide it agree; the app keeps 元.
        ev.push(this.adEvent(u, s.at, uniCostToFen(u.stats.cost, this.notes.unit.unit) ?? 0, { gmvFen: yuanToFen(u.stats.gmv), orders: u.stats.orders }));
      }
    }
  }

  private adEvent(p: PlanRow, at: number, spendFen: number, figures: { gmvFen?: number; orders?: number; impressions?: number; clicks?: number }): SourceEvent {
    const e: Record<string, unknown> = { type: 'ad', planId: p.planId, spendFen, name: p.name.slice(0, 200), status: planStatus(p), ts: at, planKind: p.kind };
    for (const [k, v] of Object.entries(figures)) if (v !== undefined) e[k] = v;
    const budget = yuanToFen(p.budget);
    if (budget !== undefined && p.budgetMode !== 'BUDGET_MODE_INFINITE') e.dailyBudgetFen = budget;
    const bid = yuanToFen(p.bid);
    if (bid !== undefined && bid > 0) e.bidFen = bid;
    if (p.roiGoal !== undefined && p.roiGoal > 0 && p.roiGoal <= 1000) e.roiGoal = p.roiGoal;
    return e as SourceEvent;
  }

  /** The increase of a cumulative figure since the last poll (0 when it did not grow or is unknown). */
  private delta(key: string, v: number | undefined): number {
    const show = this.show!;
    if (v === undefined) return 0;
    const prev = show.last.get(key) ?? 0;
    // A figure the platform revised down (its figures vary until T+1) keeps the high mark: what
    // was counted stays counted, and only growth beyond it is new.
    if (v <= prev) return 0;
    show.last.set(key, v);
    return v - prev;
  }
}
