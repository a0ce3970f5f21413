/**
 * What the emulated 千川 account holds: advertisers and their 抖音号, live rooms with their
 * products, plans (标准推广 and 全域推广), cumulative figures, and the operation log. Money is kept
 * in whole fen so sums never drift; answers print it as 元 with two decimals. Ids are decimal text.
 * The simulation that grows the figures lives in sim.ts; the HTTP shapes in reads.ts / writes.ts.
 */
import { Rng } from './rand.ts';
import { dayStart, hourStart } from './time.ts';

export type RoomStatus = 'PREPARE' | 'LIVING' | 'PAUSE' | 'FINISH';
export type ExplainStatus = 'BEINGEXPLAIN' | 'HASEXPLAIN' | 'UNEXPLAIN';
export type PlanKind = 'standard' | 'uni';
export type OptStatus = 'ENABLE' | 'DISABLE' | 'DELETE';
export type BudgetMode = 'BUDGET_MODE_DAY' | 'BUDGET_MODE_INFINITE';
export type SmartBidType = 'SMART_BID_CUSTOM' | 'SMART_BID_CONSERVATIVE';

/** `today_live/room/flow_performance/get/` channels, in the SDK model's order. */
export const FLOW_CHANNELS = [
  'activity', 'douyin_shopping_center', 'ecom_ad_third_qc_brand', 'ecom_ad_third_qc_brand_other_bidding',
  'ecom_ad_third_qc_other_brand', 'ecom_other', 'general_search', 'homepage_follow', 'homepage_fresh', 'homepage_hot',
  'live_merge', 'live_pc_qian_chuan', 'live_xiao_dian_qian_chuan', 'other_recommend_live', 'others_homepage',
  'touxi_saas', 'video_to_live',
] as const;
export type FlowChannel = (typeof FLOW_CHANNELS)[number];

export interface Aweme {
  awemeId: string;
  name: string;
  avatar: string;
  showId: string;
}

export interface Advertiser {
  advertiserId: string;
  name: string;
  awemes: Map<string, Aweme>;
}

/** Cumulative whole-room figures (自然+广告) plus the 标准推广-attributed ones. */
export interface RoomTotals {
  watch: number;
  comments: number;
  shares: number;
  follows: number;
  fansClub: number;
  gifts: number;
  giftAmount: number;
  productClicks: number;
  cartClicks: number;
  createOrders: number;
  payOrders: number;
  gmvFen: number;
  /** 标准推广 only: spend and what it bought. */
  costFen: number;
  shows: number;
  clicks: number;
  convert: number;
  adEntries: number;
  adCreateOrders: number;
  adPayOrders: number;
  adGmvFen: number;
  adRefundOrders: number;
  adRefundFen: number;
  watchOneMinute: number;
  flowEntries: Record<FlowChannel, number>;
  flowGmvFen: Record<FlowChannel, number>;
}

export interface ProductState {
  productId: string;
  title: string;
  imgUrl: string;
  priceFen: number;
  stock: number;
  bindAt: number;
  explainStatus: ExplainStatus;
  explainCount: number;
  clicks: number;
  orders: number;
  gmvFen: number;
  adOrders: number;
  adGmvFen: number;
  costFen: number;
  refundFen: number;
}

export interface Room {
  roomId: string;
  advertiserId: string;
  awemeId: string;
  title: string;
  coverUrl: string;
  status: RoomStatus;
  startedAt: number;
  endsAt: number | null;
  endedAt: number | null;
  explainEveryMs: number;
  nextExplainAt: number;
  entriesPerSec: number;
  products: ProductState[];
  totals: RoomTotals;
}

/** One plan's figures over one hour (what `report/ad/get` and `uni_promotion/list` sum). */
export interface PlanFigures {
  costFen: number;
  shows: number;
  clicks: number;
  convert: number;
  entries: number;
  productClicks: number;
  createOrders: number;
  createFen: number;
  payOrders: number;
  payFen: number;
  refundOrders: number;
  refundFen: number;
  watchOneMinute: number;
  comments: number;
  shares: number;
  follows: number;
  fansClub: number;
}

export interface Plan {
  adId: string;
  advertiserId: string;
  awemeId: string;
  kind: PlanKind;
  name: string;
  optStatus: OptStatus;
  budgetFen: number;
  budgetMode: BudgetMode;
  /** cpa_bid in fen; null for ROI and 放量 plans. */
  bidFen: number | null;
  /** roi_goal (standard) or roi2_goal (uni); null for bid plans. */
  roiGoal: number | null;
  smartBidType: SmartBidType;
  externalAction: string;
  marketingGoal: 'LIVE_PROM_GOODS' | 'VIDEO_PROM_GOODS';
  productIds: string[];
  campaignId: string;
  createdAt: number;
  modifiedAt: number;
  /** The traffic this plan buys: 元 per 1000 shows, click-through share, achieved ROI scale. */
  cpm: number;
  ctr: number;
  roiScale: number;
  hours: Map<number, PlanFigures>;
  dayKey: number;
  dayCostFen: number;
  totalCostFen: number;
}

export interface LogEntry {
  logId: string;
  advertiserId: string;
  objectId: string;
  objectName: string;
  objectType: 'AD';
  contentTitle: string;
  contentLog: [string, string];
  operatorName: string;
  operatorId: string;
  optIp: string;
  createdAt: number;
}

export interface ProductInput {
  productId?: string;
  title: string;
  /** 元. */
  price: number;
  stock: number;
  imgUrl?: string;
}

export interface RoomInput {
  roomId?: string;
  advertiserId?: string;
  awemeId?: string;
  title?: string;
  products?: ProductInput[];
  /** Epoch ms; default: the emulator's now. A later time makes the room PREPARE until then. */
  startedAt?: number;
  status?: RoomStatus;
  /** The room ends (FINISH) this long after it started; default: it runs until `endRoom`. */
  durationMs?: number;
  /** How long each product is explained before the next (default 3 min). */
  explainEveryMs?: number;
  /** Natural room entries per second (default drawn from the seed, 2–5). */
  entriesPerSec?: number;
}

export interface PlanInput {
  adId?: string;
  advertiserId?: string;
  awemeId?: string;
  kind?: PlanKind;
  name?: string;
  /** 元 per day. */
  budget: number;
  budgetMode?: BudgetMode;
  /** cpa_bid in 元 (standard plans): makes a 控成本 bid plan. */
  bid?: number;
  /** roi_goal (standard) or roi2_goal (uni): makes a ROI plan. */
  roiGoal?: number;
  smartBidType?: SmartBidType;
  externalAction?: string;
  optStatus?: OptStatus;
  marketingGoal?: 'LIVE_PROM_GOODS' | 'VIDEO_PROM_GOODS';
  productIds?: string[];
}

export const emptyFigures = (): PlanFigures => ({
  costFen: 0, shows: 0, clicks: 0, convert: 0, entries: 0, productClicks: 0, createOrders: 0, createFen: 0,
  payOrders: 0, payFen: 0, refundOrders: 0, refundFen: 0, watchOneMinute: 0, comments: 0, shares: 0, follows: 0, fansClub: 0,
});

export function addFigures(into: PlanFigures, f: PlanFigures): PlanFigures {
  for (const k of Object.keys(into) as (keyof PlanFigures)[]) into[k] += f[k];
  return into;
}

const zeroChannels = (): Record<FlowChannel, number> => Object.fromEntries(FLOW_CHANNELS.map((c) => [c, 0])) as Record<FlowChannel, number>;

export const emptyTotals = (): RoomTotals => ({
  watch: 0, comments: 0, shares: 0, follows: 0, fansClub: 0, gifts: 0, giftAmount: 0, productClicks: 0, cartClicks: 0,
  createOrders: 0, payOrders: 0, gmvFen: 0, costFen: 0, shows: 0, clicks: 0, convert: 0, adEntries: 0, adCreateOrders: 0,
  adPayOrders: 0, adGmvFen: 0, adRefundOrders: 0, adRefundFen: 0, watchOneMinute: 0,
  flowEntries: zeroChannels(), flowGmvFen: zeroChannels(),
});

export const toFen = (yuan: number): number => Math.round(yuan * 100);

export class World {
  /** Figures' randomness; ids come from their own stream so adding a room never changes the figures. */
  readonly rng: Rng;
  readonly ids: Rng;
  readonly advertisers = new Map<string, Advertiser>();
  readonly rooms: Room[] = [];
  readonly plans: Plan[] = [];
  readonly log: LogEntry[] = [];
  /** The time the figures have been simulated up to. */
  simTime: number;

  constructor(seed: number, startMs: number) {
    this.rng = new Rng(seed);
    this.ids = new Rng(seed ^ 0x5bd1e995);
    this.simTime = startMs;
  }

  private uniqueId(prefix: string, taken: (id: string) => boolean, given?: string): string {
    if (given !== undefined) {
      if (!/^\d{1,19}$/.test(given)) throw new Error(`qianchuan emulator: id must be decimal digits: ${given}`);
      if (taken(given)) throw new Error(`qianchuan emulator: id already used: ${given}`);
      return given;
    }
    for (;;) {
      const id = this.ids.id(prefix);
      if (!taken(id)) return id;
    }
  }

  addAdvertiser(opts: { advertiserId?: string; name?: string; awemeId?: string; awemeName?: string } = {}): Advertiser {
    const advertiserId = this.uniqueId('17', (id) => this.advertisers.has(id), opts.advertiserId);
    const adv: Advertiser = { advertiserId, name: opts.name ?? `千川账户${this.advertisers.size + 1}`, awemes: new Map() };
    this.advertisers.set(advertiserId, adv);
    this.bindAweme(adv, opts.awemeId, opts.awemeName);
    return adv;
  }

  bindAweme(adv: Advertiser, awemeId?: string, name?: string): Aweme {
    if (awemeId !== undefined && adv.awemes.has(awemeId)) return adv.awemes.get(awemeId)!;
    const id = awemeId ?? this.ids.id('58');
    const aweme: Aweme = { awemeId: id, name: name ?? `直播间主播${adv.awemes.size + 1}`, avatar: `https://p3.douyinpic.example/aweme/${id}.jpeg`, showId: `dy${id.slice(-9)}` };
    adv.awemes.set(id, aweme);
    return aweme;
  }

  advertiser(advertiserId?: string): Advertiser {
    const adv = advertiserId === undefined ? this.advertisers.values().next().value : this.advertisers.get(advertiserId);
    if (!adv) throw new Error(`qianchuan emulator: no advertiser ${advertiserId ?? '(none added)'}`);
    return adv;
  }

  aweme(advertiserId: string, awemeId: string): Aweme | undefined {
    return this.advertisers.get(advertiserId)?.awemes.get(awemeId);
  }

  addRoom(input: RoomInput): Room {
    const adv = this.advertiser(input.advertiserId);
    const aweme = input.awemeId !== undefined ? this.bindAweme(adv, input.awemeId) : adv.awemes.values().next().value ?? this.bindAweme(adv);
    const now = this.simTime;
    const startedAt = input.startedAt ?? now;
    const roomId = this.uniqueId('73', (id) => this.rooms.some((r) => r.roomId === id), input.roomId);
    const status: RoomStatus = input.status ?? (startedAt > now ? 'PREPARE' : 'LIVING');
    const products = (input.products ?? []).map((p, i): ProductState => {
      const productId = this.uniqueId('36', (id) => this.rooms.some((r) => r.products.some((q) => q.productId === id)), p.productId);
      return {
        productId, title: p.title, imgUrl: p.imgUrl ?? `https://p9-aio.ecombdimg.example/obj/${productId}.jpeg`, priceFen: toFen(p.price),
        stock: Math.max(0, Math.floor(p.stock)), bindAt: startedAt - 600_000 + i * 1000, explainStatus: 'UNEXPLAIN', explainCount: 0,
        clicks: 0, orders: 0, gmvFen: 0, adOrders: 0, adGmvFen: 0, costFen: 0, refundFen: 0,
      };
    });
    const room: Room = {
      roomId, advertiserId: adv.advertiserId, awemeId: aweme.awemeId, title: input.title ?? `${aweme.name}的直播间`,
      coverUrl: `https://p3-webcast.douyinpic.example/cover/${roomId}.jpeg`, status, startedAt,
      endsAt: input.durationMs !== undefined ? startedAt + input.durationMs : null,
      endedAt: status === 'FINISH' ? Math.max(startedAt, now) : null,
      explainEveryMs: input.explainEveryMs ?? 180_000, nextExplainAt: Number.NEGATIVE_INFINITY,
      entriesPerSec: input.entriesPerSec ?? this.rng.between(2, 5), products, totals: emptyTotals(),
    };
    this.rooms.push(room);
    return room;
  }

  addPlan(input: PlanInput): Plan {
    const adv = this.advertiser(input.advertiserId);
    const aweme = input.awemeId !== undefined ? this.bindAweme(adv, input.awemeId) : adv.awemes.values().next().value ?? this.bindAweme(adv);
    const kind = input.kind ?? 'standard';
    const adId = this.uniqueId('17', (id) => this.plans.some((p) => p.adId === id) || this.advertisers.has(id), input.adId);
    const roiGoal = input.roiGoal ?? (kind === 'uni' ? 3 : null);
    const bidFen = kind === 'standard' && roiGoal === null && input.bid !== undefined ? toFen(input.bid) : null;
    const smartBidType = input.smartBidType ?? (roiGoal !== null || bidFen !== null ? 'SMART_BID_CUSTOM' : 'SMART_BID_CONSERVATIVE');
    const externalAction = input.externalAction ?? (roiGoal !== null ? 'AD_CONVERT_TYPE_LIVE_PAY_ROI' : 'AD_CONVERT_TYPE_LIVE_SUCCESSORDER_PAY');
    const now = this.simTime;
    const plan: Plan = {
      adId, advertiserId: adv.advertiserId, awemeId: aweme.awemeId, kind, name: input.name ?? `${kind === 'uni' ? '全域推广' : '直播带货'}计划${this.plans.length + 1}`,
      optStatus: input.optStatus ?? 'ENABLE', budgetFen: toFen(input.budget), budgetMode: input.budgetMode ?? 'BUDGET_MODE_DAY',
      bidFen, roiGoal, smartBidType, externalAction, marketingGoal: input.marketingGoal ?? 'LIVE_PROM_GOODS',
      productIds: input.productIds ?? [], campaignId: this.ids.id('17'), createdAt: now - 86_400_000, modifiedAt: now - 3_600_000,
      cpm: this.rng.between(35, 60), ctr: this.rng.between(0.015, 0.04), roiScale: this.rng.between(0.85, 1.15),
      hours: new Map(), dayKey: dayStart(now), dayCostFen: 0, totalCostFen: 0,
    };
    this.plans.push(plan);
    return plan;
  }

  plan(adId: string): Plan | undefined {
    return this.plans.find((p) => p.adId === adId);
  }

  room(roomId: string): Room | undefined {
    return this.rooms.find((r) => r.roomId === roomId);
  }

  /** The room a plan of this 抖音号 delivers into right now. */
  livingRoom(advertiserId: string, awemeId: string): Room | undefined {
    return this.rooms.find((r) => r.status === 'LIVING' && r.advertiserId === advertiserId && r.awemeId === awemeId);
  }

  /** Today's spend so far (Shanghai day of the simulated time). */
  todayCostFen(plan: Plan): number {
    return plan.dayKey === dayStart(this.simTime) ? plan.dayCostFen : 0;
  }

  budgetLeftFen(plan: Plan): number {
    return plan.budgetMode === 'BUDGET_MODE_DAY' ? plan.budgetFen - this.todayCostFen(plan) : Number.POSITIVE_INFINITY;
  }

  /** The status a read shows, derived from what the operator set and what the room and budget allow. */
  planStatus(plan: Plan): string {
    if (plan.optStatus === 'DELETE') return 'DELETE';
    if (plan.optStatus === 'DISABLE') return 'DISABLE';
    if (!this.livingRoom(plan.advertiserId, plan.awemeId)) return 'LIVE_ROOM_OFF';
    if (this.budgetLeftFen(plan) <= 0) return 'OFFLINE_BUDGET';
    return 'DELIVERY_OK';
  }

  figures(plan: Plan, at: number): PlanFigures {
    const key = hourStart(at);
    let f = plan.hours.get(key);
    if (!f) plan.hours.set(key, (f = emptyFigures()));
    return f;
  }

  /** Sum of a plan's figures for hours starting in [from, to). */
  figuresBetween(plan: Plan, from: number, to: number): PlanFigures | null {
    let sum: PlanFigures | null = null;
    for (const [hour, f] of plan.hours) if (hour >= from && hour < to) sum = addFigures(sum ?? emptyFigures(), f);
    return sum;
  }

  addLog(entry: Omit<LogEntry, 'logId' | 'createdAt' | 'objectType'>): LogEntry {
    const full: LogEntry = { ...entry, objectType: 'AD', logId: this.ids.id('7', 19), createdAt: this.simTime };
    this.log.push(full);
    return full;
  }
}
