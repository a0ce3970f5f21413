/**
 * The simulated live room (SCENARIO.md): a deterministic, second-by-second model of a
 * livestream-commerce room that emits FEED-PROTOCOL.md events and obeys its commands.
 *
 * No networking here — the relay around it assigns `seq` and ships batches. Time is simulated:
 * `advance(simMs)` runs whole 1-second steps up to `simMs`, so the event stream depends only on
 * scenario + seed + startedAt (+ commands), never on how often `advance` is called.
 *
 * The model in a few lines (per simulated second):
 *   entries      recommend ~ Poisson(recommendPerMin/60 · curve(t) · waves(t) · snowball · warm-up)
 *                follow (boosted in the first minutes: 开播提醒), search, shortVideo, other, and
 *                paid = impressions(spend/cpm · 1/√(1+rate/saturation)) × paidEnterRate, where the
 *                delivered spend rate follows the budget with a first-order lag (adLagSec)
 *   leaving      each viewer leaves at 1/stay, stay = staySec · (1+hookEff) · (0.85+0.15f) · (0.9+0.1e)
 *                (×1.15 while a 福袋 is open; paid viewers × paidStayFactor); hookEff = hook · (0.4+0.6f)
 *   exposures    pinned: Poisson(online/45 + 0.6 · entries); bag (小黄车): online/150 split by bagWeight
 *   clicks       Binomial(exposures, ctr · (0.3 + 0.7 f))        (bag: × 0.35)
 *   orders       Binomial(clicks, cvr · (0.45 + 0.55 f) · paidMix) (bag: × 0.8), flash: ctr ×1.4, cvr ×2
 *   freshness f  × 0.5^(1s/fatigueHalfLife) while pinned; 1 − (1−f) · 0.5^(1s/recoveryHalfLife) at rest
 *   engagement e = 0.6 + 0.3 f + hookEff (+0.3 giveaway, +0.3 flash) — drives comments, likes, follows
 *   snowball     each minute: score = (GPM/normalGpm)^0.55 · (stay/staySec)^0.25 · e^0.2 over the last
 *                3 minutes; target = clamp(1 + snowball·(score−1), 0.35, 3); multiplier moves 40 % of the
 *                way to the target — so it acts on the following minutes, as the feed algorithm does.
 */
import type { CommandAck, EventBody, FeedCommand, Product, TrafficSource } from '../../../shared/protocol.ts';
import { Rng, hash32 } from './rng.ts';
import type { Scenario, ScenarioProduct } from './scenario.ts';
import {
  BOUGHT,
  CHAT,
  DEMAND,
  FLASH,
  GIFTS,
  GIVEAWAY_CHAT,
  GIVEAWAY_PHRASES,
  GREETINGS,
  QUESTIONS,
  SIZE_ASKS,
  SOLD_OUT,
  isApparel,
  nicknameFor,
  pickText,
} from './texts.ts';

/** Model constants. Exported so an oracle policy and the tests speak the same numbers. */
export const MODEL = {
  /** pinned product card impressions per online viewer per second (the 讲解卡 pops up again and again) */
  pinExposurePerViewerSec: 1 / 45,
  /** pinned card impressions per room entry (new viewers see the card on arrival) */
  pinExposurePerEntry: 0.6,
  /** shopping-bag product impressions per online viewer per second, shared by the unpinned products */
  bagExposurePerViewerSec: 1 / 150,
  bagCtrFactor: 0.35,
  bagCvrFactor: 0.8,
  /** share of click-through / conversion left when freshness reaches 0 (new arrivals keep some interest) */
  ctrFloor: 0.3,
  cvrFloor: 0.45,
  /** a pinned product that is sold out still draws curious clicks, at this share of its ctr */
  soldOutCtrFactor: 0.25,
  qty: { values: [1, 2, 3], weights: [0.84, 0.12, 0.04] },
  flashSec: 180,
  flashCtr: 1.4,
  flashCvr: 2,
  flashHook: 0.25,
  giveawaySec: 300,
  snowballWindowMin: 3,
  snowballSmoothing: 0.4,
  snowballMin: 0.35,
  snowballMax: 3,
  /** the typical freshness over a run-of-show, used for the default normalGpm */
  refFreshness: 0.7,
  /** how long (s) a product pinned by a command on autopilot stays when it is not in the plan */
  manualPinSec: 300,
} as const;

const QTY_MEAN = MODEL.qty.values.reduce((s, v, i) => s + v * (MODEL.qty.weights[i] ?? 0), 0);
const ORGANIC_SOURCES = ['recommend', 'follow', 'search', 'shortVideo', 'other'] as const;
/** Probability that an entry is a viewer coming back, by source (before saturation by the pool of leavers). */
const RETURN_SHARE: Record<TrafficSource, number> = { recommend: 0.15, follow: 0.5, search: 0.3, shortVideo: 0.1, paid: 0.06, other: 0.25 };
const ROLE_BAG_WEIGHT = { traffic: 1.5, hero: 1.3, profit: 1, new: 0.8 } as const;

export interface SimOptions {
  seed: number | string;
  /** epoch ms of the simulated session start; event ts = startedAt + simulated ms */
  startedAt: number;
  /** start with the host following the plan (default true) */
  autopilot?: boolean;
}

export interface TruthRow {
  productId: string;
  /** click-through it would have if pinned now (fatigue, flash included) */
  ctr: number;
  /** click→order it would have if pinned now (0 when sold out) */
  cvr: number;
  freshness: number;
  stock: number | null;
  soldOut: boolean;
  priceFen: number;
  hook: number;
}

interface ProductState {
  spec: ScenarioProduct;
  linkNo: number;
  basePriceFen: number;
  priceFen: number;
  stock: number | null;
  soldOut: boolean;
  stockDirty: boolean;
  freshness: number;
  decayPerSec: number;
  recoverPerSec: number;
  bagWeight: number;
  shortName: string;
  apparel: boolean;
  bagExposures: number;
  bagClicks: number;
}

interface AdPlanState {
  planId: string;
  budgetFenPerMin: number;
  paused: boolean;
  cpmFen: number;
  enterRate: number;
  /** delivered spend rate, fen/min: follows the budget with a lag */
  rateFenPerMin: number;
  spendFen: number;
  impressions: number;
  clicks: number;
  views: number;
  orders: number;
  gmvFen: number;
  dirty: boolean;
}

interface Flash {
  productId: string;
  priceFen: number;
  remaining: number;
  endsAtSec: number;
}

interface PendingRefund {
  atSec: number;
  orderId: string;
  productId: string;
  qty: number;
  amountFen: number;
  buyerId: string;
}

interface MinuteStat {
  entries: number;
  gmvFen: number;
  eSum: number;
  staySum: number;
  secs: number;
}

type Buffer = EventBody[];

/** Leavers kept as possible returners: far more than any room's returning audience, bounded for an eight-hour show. */
const DEPARTED_POOL = 100_000;

export class RoomSim {
  readonly roomId: string;
  readonly scenario: Scenario;
  private readonly startedAt: number;
  private readonly durationSec: number;
  private readonly products: ProductState[];
  private readonly byId = new Map<string, ProductState>();
  private readonly plans: AdPlanState[];
  private readonly normalGpm: number;
  private readonly refClickRate: number;
  private readonly orderPrefix: string;

  // Independent random streams: see rng.ts on why.
  private readonly rTraffic: Rng;
  private readonly rShop: Rng;
  private readonly rSocial: Rng;
  private readonly rAds: Rng;
  private readonly rMisc: Rng;

  private sec = 0;
  private started = false;
  private isEnded = false;
  private autopilot: boolean;
  private pending: Buffer = [];

  // Host / run-of-show.
  private pinned: ProductState | null = null;
  private planCursor = -1;
  private slotLeftSec = 0;
  private flash: Flash | null = null;
  private giveawayEndsAt = -1;
  private giveawayPhrase = '';
  private nextGiveawayAt: number;

  // Audience. Viewer ids are 1..uv; online viewers are held in two arrays (organic / paid) so a
  // buyer can be drawn with paid viewers weighted by paidCvrFactor and attributed to a plan.
  private onlineOrganic: number[] = [];
  private onlinePaid: number[] = [];
  /** Viewers who left and may come back (bounded by DEPARTED_POOL). */
  private departed: number[] = [];
  private readonly viewerPlan = new Map<number, number>();
  private uv = 0;
  private pv = 0;
  private watchSeconds = 0;
  private nextViewersAt = 0;

  // Accumulators flushed as batched events.
  private enterAcc: Record<TrafficSource, number> = { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
  private likesTotal = 0;
  private likesAcc = 0;
  private followAcc = 0;
  private fansclubAcc = 0;
  private shareAcc = 0;
  private giftN = 0;
  private giftFen = 0;

  // Signals.
  private snowballMult = 1;
  private minuteStats: MinuteStat[] = [];
  private cur: MinuteStat = { entries: 0, gmvFen: 0, eSum: 0, staySum: 0, secs: 0 };
  private clickEma = 0;
  private recentOrders = 0;
  private orderCounter = 0;
  private refunds: PendingRefund[] = [];

  constructor(scenario: Scenario, opts: SimOptions) {
    this.scenario = scenario;
    this.roomId = scenario.room.roomId;
    this.startedAt = Math.round(opts.startedAt);
    this.durationSec = Math.max(1, Math.round(scenario.durationMin * 60));
    this.autopilot = opts.autopilot ?? true;

    const seedKey = typeof opts.seed === 'number' ? `n${opts.seed}` : `s${opts.seed}`;
    const base = new Rng(`${seedKey}|${scenario.room.roomId}`);
    this.rTraffic = base.fork('traffic');
    this.rShop = base.fork('shop');
    this.rSocial = base.fork('social');
    this.rAds = base.fork('ads');
    this.rMisc = base.fork('misc');

    this.products = scenario.products.map((spec, i) => {
      const recoveryMin = spec.truth.recoveryHalfLifeMin ?? spec.truth.fatigueHalfLifeMin * 1.5;
      const st: ProductState = {
        spec,
        linkNo: i + 1,
        basePriceFen: spec.priceFen,
        priceFen: spec.priceFen,
        stock: spec.stock ?? null,
        soldOut: spec.stock === 0,
        stockDirty: false,
        freshness: 1,
        decayPerSec: Math.pow(0.5, 1 / (spec.truth.fatigueHalfLifeMin * 60)),
        recoverPerSec: Math.pow(0.5, 1 / (recoveryMin * 60)),
        bagWeight: spec.truth.bagWeight ?? ROLE_BAG_WEIGHT[spec.role ?? 'profit'],
        shortName: spec.shortName ?? defaultShortName(spec.title),
        apparel: isApparel(spec.tags),
        bagExposures: 0,
        bagClicks: 0,
      };
      this.byId.set(spec.id, st);
      return st;
    });

    const t = scenario.traffic;
    this.plans = scenario.ads.map((a) => ({
      planId: a.planId,
      budgetFenPerMin: a.budgetFenPerMin,
      paused: a.paused ?? false,
      cpmFen: a.cpmFen ?? t.cpmFen,
      enterRate: a.paidEnterRate ?? t.paidEnterRate,
      rateFenPerMin: 0,
      spendFen: 0,
      impressions: 0,
      clicks: 0,
      views: 0,
      orders: 0,
      gmvFen: 0,
      dirty: false,
    }));

    this.normalGpm = t.normalGpm ?? this.planExpectedGpm();
    // The click rate per online viewer-minute a normal pitch draws; demand comments scale with it.
    const avgCtr = this.products.reduce((s, p) => s + p.spec.truth.ctr, 0) / this.products.length;
    this.refClickRate = Math.max(1e-4, 60 * MODEL.pinExposurePerViewerSec * avgCtr * ctrMult(MODEL.refFreshness));
    this.orderPrefix = `69${String(hash32(`${this.roomId}@${this.startedAt}`) % 100_000_000).padStart(8, '0')}`;

    const every = t.giveawayEveryMin ?? 20;
    this.nextGiveawayAt = every > 0 ? Math.round(this.rMisc.uniform(0.45, 0.75) * every * 60) : Number.POSITIVE_INFINITY;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** Simulated ms processed so far. */
  get simMs(): number {
    return this.sec * 1000;
  }

  get pinnedProductId(): string | null {
    return this.pinned?.spec.id ?? null;
  }

  get autopilotOn(): boolean {
    return this.autopilot;
  }

  /** The recommend-traffic multiplier the snowball currently applies (1 = average). */
  get snowballMultiplier(): number {
    return this.snowballMult;
  }

  setAutopilot(on: boolean): void {
    if (on && !this.autopilot) this.slotLeftSec = 0; // resume the plan with its next item
    this.autopilot = on;
  }

  /** The catalog as the app sees it: everything but `truth`. */
  catalog(): Product[] {
    return this.products.map((p) => {
      const s = p.spec;
      const out: Product = { id: s.id, title: s.title, priceFen: p.priceFen };
      if (p.stock !== null) out.stock = p.stock;
      if (s.role) out.role = s.role;
      if (s.costFen !== undefined) out.costFen = s.costFen;
      if (s.tags) out.tags = [...s.tags];
      return out;
    });
  }

  truthState(): TruthRow[] {
    return this.products.map((p) => {
      const flash = this.flash?.productId === p.spec.id;
      return {
        productId: p.spec.id,
        ctr: p.spec.truth.ctr * ctrMult(p.freshness) * (p.soldOut ? MODEL.soldOutCtrFactor : flash ? MODEL.flashCtr : 1),
        cvr: p.soldOut ? 0 : Math.min(1, p.spec.truth.cvr * cvrMult(p.freshness) * (flash ? MODEL.flashCvr : 1)),
        freshness: p.freshness,
        stock: p.stock,
        soldOut: p.soldOut,
        priceFen: p.priceFen,
        hook: p.spec.truth.hook + (flash ? MODEL.flashHook : 0),
      };
    });
  }

  /**
   * Expected GMV (yuan) per room entry while `productId` is pinned at freshness `f` — the
   * closed form of the per-second model in steady state (online = entries × stay). Used for the
   * default normalGpm, and handy for an oracle.
   */
  expectedValuePerEntry(productId: string, f: number): number {
    const p = this.byId.get(productId);
    if (!p) return 0;
    const tr = p.spec.truth;
    const hookEff = tr.hook * (0.4 + 0.6 * f);
    const e = 0.6 + 0.3 * f + hookEff;
    const stay = this.scenario.traffic.staySec * (1 + hookEff) * (0.85 + 0.15 * f) * (0.9 + 0.1 * e);
    const pinExpo = stay * MODEL.pinExposurePerViewerSec + MODEL.pinExposurePerEntry;
    const pinned = pinExpo * tr.ctr * ctrMult(f) * tr.cvr * cvrMult(f) * p.basePriceFen;
    let bagW = 0;
    let bagV = 0;
    for (const q of this.products) {
      if (q === p) continue;
      bagW += q.bagWeight;
      bagV += q.bagWeight * q.spec.truth.ctr * MODEL.bagCtrFactor * q.spec.truth.cvr * MODEL.bagCvrFactor * q.basePriceFen;
    }
    const bag = bagW > 0 ? stay * MODEL.bagExposurePerViewerSec * (bagV / bagW) * ctrMult(0.9) * cvrMult(0.9) : 0;
    return ((pinned + bag) * QTY_MEAN) / 100;
  }

  private planExpectedGpm(): number {
    const plan = this.scenario.plan.length
      ? this.scenario.plan
      : this.scenario.products.map((p) => ({ productId: p.id, minutes: 1 }));
    let minutes = 0;
    let value = 0;
    for (const item of plan) {
      minutes += item.minutes;
      value += item.minutes * this.expectedValuePerEntry(item.productId, MODEL.refFreshness);
    }
    return Math.max(1, (value / Math.max(minutes, 1e-9)) * 1000);
  }

  // ---- commands ---------------------------------------------------------------------------

  command(cmd: FeedCommand): CommandAck {
    if (this.isEnded) return { ok: false, error: 'session ended' };
    switch (cmd.type) {
      case 'pin': {
        if (cmd.productId === null) {
          this.setPin(null, this.pending, this.sec);
          if (this.autopilot) this.slotLeftSec = MODEL.manualPinSec;
          return { ok: true };
        }
        const p = this.byId.get(cmd.productId);
        if (!p) return { ok: false, error: `unknown product "${cmd.productId}"` };
        if (p.soldOut) return { ok: false, error: `product "${cmd.productId}" is sold out` };
        this.setPin(p, this.pending, this.sec);
        if (this.autopilot) {
          // On autopilot the host explains it for its planned time, then goes on with the plan.
          const item = this.scenario.plan.find((i) => i.productId === p.spec.id);
          this.slotLeftSec = item ? Math.round(item.minutes * 60) : MODEL.manualPinSec;
        }
        return { ok: true };
      }
      case 'adBudget': {
        const plan = this.plans.find((a) => a.planId === cmd.planId);
        if (!plan) return { ok: false, error: `unknown ad plan "${cmd.planId}"` };
        plan.budgetFenPerMin = cmd.budgetFenPerMin;
        plan.dirty = true;
        return { ok: true };
      }
      case 'adPause':
      case 'adResume': {
        const plan = this.plans.find((a) => a.planId === cmd.planId);
        if (!plan) return { ok: false, error: `unknown ad plan "${cmd.planId}"` };
        plan.paused = cmd.type === 'adPause';
        // Pausing stops delivery at once; resuming ramps up again from zero (the lag).
        if (plan.paused) plan.rateFenPerMin = 0;
        plan.dirty = true;
        return { ok: true };
      }
      case 'flash': {
        const p = this.byId.get(cmd.productId);
        if (!p) return { ok: false, error: `unknown product "${cmd.productId}"` };
        if (p.soldOut) return { ok: false, error: `product "${cmd.productId}" is sold out` };
        if (this.flash) return { ok: false, error: `a flash deal is already running on "${this.flash.productId}"` };
        if (cmd.priceFen > p.basePriceFen) return { ok: false, error: `flash price ${cmd.priceFen} is above the regular price ${p.basePriceFen}` };
        if (p.stock !== null && cmd.stock > p.stock) return { ok: false, error: `only ${p.stock} of "${cmd.productId}" in stock` };
        const ts = this.ts(this.sec);
        this.flash = { productId: p.spec.id, priceFen: cmd.priceFen, remaining: cmd.stock, endsAtSec: this.sec + MODEL.flashSec };
        p.priceFen = cmd.priceFen;
        this.pending.push({ type: 'marker', ts, kind: 'flash', text: `秒杀：${p.spec.title} ¥${yuan(cmd.priceFen)}，限量${cmd.stock}件` });
        this.pending.push({ type: 'product', ts, productId: p.spec.id, priceFen: cmd.priceFen });
        // A 秒杀 is announced while the product is being explained.
        this.setPin(p, this.pending, this.sec);
        return { ok: true };
      }
    }
  }

  // ---- time -------------------------------------------------------------------------------

  advance(simMs: number): EventBody[] {
    if (this.isEnded) return [];
    const out: EventBody[] = [];
    if (!this.started) {
      this.started = true;
      out.push({ type: 'session', ts: this.startedAt, status: 'live', title: this.scenario.room.title, startedAt: this.startedAt });
      out.push({ type: 'catalog', ts: this.startedAt, products: this.catalog() });
    }
    if (this.pending.length) {
      out.push(...this.pending);
      this.pending = [];
    }
    const target = Math.min(Math.floor(Math.max(0, simMs) / 1000), this.durationSec);
    while (this.sec < target) {
      const buf: Buffer = [];
      this.step(this.sec, buf);
      this.sec++;
      // Events of one second carry ms offsets; keep the stream in ts order (stable sort).
      buf.sort((a, b) => a.ts - b.ts);
      for (const e of buf) out.push(e);
    }
    if (this.sec >= this.durationSec) this.finish(out);
    return out;
  }

  private ts(sec: number, offsetMs = 0): number {
    return this.startedAt + sec * 1000 + offsetMs;
  }

  private setPin(p: ProductState | null, buf: Buffer, sec: number): void {
    if (p === this.pinned) return;
    this.pinned = p;
    buf.push({ type: 'pin', ts: this.ts(sec), productId: p?.spec.id ?? null });
  }

  private nextPlanItem(buf: Buffer, k: number): void {
    const plan = this.scenario.plan;
    for (let i = 1; i <= plan.length; i++) {
      const idx = (this.planCursor + i) % plan.length;
      const item = plan[idx];
      if (!item) continue;
      const p = this.byId.get(item.productId);
      if (!p || p.soldOut) continue;
      this.planCursor = idx;
      this.slotLeftSec = Math.max(1, Math.round(item.minutes * 60));
      this.setPin(p, buf, k);
      return;
    }
    // Nothing left to sell in the plan: the host talks without a product, and checks again later.
    this.setPin(null, buf, k);
    this.slotLeftSec = 60;
  }

  private online(): number {
    return this.onlineOrganic.length + this.onlinePaid.length;
  }

  /**
   * One simulated second, [k, k+1) s, in the order the random draws are made (the same seed must
   * give the same show): what the host does, the room's state, who comes and who goes, what sells,
   * how interest fades, the social noise, refunds, the batched reports, and the minute's books.
   */
  private step(k: number, buf: Buffer): void {
    const giveaway = this.hostTick(k, buf);
    const { p, flashOn, e, stay } = this.roomState(giveaway);
    const entries = this.arrivals(k);
    const online = this.departures(stay);
    const pinClicks = this.shop(k, buf, p, flashOn, online, entries);
    this.fade(p);
    this.socialTick(k, buf, { e, giveaway, flashOn, entries, online, pinClicks });
    this.refundsDue(k, buf);
    this.reports(k, buf, online);
    this.cur.entries += entries;
    this.cur.eSum += e;
    this.cur.staySum += stay;
    this.cur.secs++;
    if (k % 60 === 59) this.closeMinute();
  }

  /** The host's second: a flash deal's end, a giveaway (福袋), the run-of-show under autopilot. Returns whether a giveaway runs. */
  private hostTick(k: number, buf: Buffer): boolean {
    if (this.flash) {
      const fp = this.byId.get(this.flash.productId);
      if (fp && (k >= this.flash.endsAtSec || this.flash.remaining <= 0 || fp.soldOut)) {
        fp.priceFen = fp.basePriceFen;
        buf.push({ type: 'product', ts: this.ts(k), productId: fp.spec.id, priceFen: fp.basePriceFen, ...(fp.stock !== null ? { stock: fp.stock } : {}) });
        fp.stockDirty = false;
        this.flash = null;
      }
    }
    if (k >= this.nextGiveawayAt) {
      const every = this.scenario.traffic.giveawayEveryMin ?? 20;
      this.giveawayPhrase = this.rMisc.pick(GIVEAWAY_PHRASES);
      this.giveawayEndsAt = k + MODEL.giveawaySec;
      this.nextGiveawayAt = k + Math.round(this.rMisc.uniform(0.7, 1.3) * every * 60);
      buf.push({ type: 'marker', ts: this.ts(k, 1), kind: 'giveaway', text: `福袋：评论“${this.giveawayPhrase}”参与，5分钟后开奖` });
    }
    if (this.autopilot) {
      const flashHold = this.flash !== null && this.flash.productId === this.pinned?.spec.id;
      if (!flashHold && (this.slotLeftSec <= 0 || this.pinned?.soldOut)) this.nextPlanItem(buf, k);
      this.slotLeftSec--;
    }
    return k < this.giveawayEndsAt;
  }

  /** How engaging the room is this second (e) and how long a viewer stays, from the product explained. */
  private roomState(giveaway: boolean): { p: ProductState | null; flashOn: boolean; e: number; stay: number } {
    const tr = this.scenario.traffic;
    const p = this.pinned;
    const flashOn = this.flash !== null && p !== null && this.flash.productId === p.spec.id;
    let f = 0.5;
    let hookEff = -0.05;
    if (p) {
      f = p.soldOut ? 0.2 : p.freshness;
      hookEff = p.soldOut ? -0.1 : p.spec.truth.hook * (0.4 + 0.6 * f) + (flashOn ? MODEL.flashHook : 0);
    }
    const e = Math.max(0.2, 0.6 + 0.3 * f + hookEff + (giveaway ? 0.3 : 0) + (flashOn ? 0.3 : 0));
    const stay = Math.max(5, tr.staySec * (1 + hookEff) * (0.85 + 0.15 * f) * (0.9 + 0.1 * e) * (giveaway ? 1.15 : 1));
    return { p, flashOn, e, stay };
  }

  /** Organic entries by source, then each ad plan's spend and the viewers it brings. Returns the entries. */
  private arrivals(k: number): number {
    const tr = this.scenario.traffic;
    const tMin = k / 60;
    const warm = Math.min(1, 0.35 + (0.65 * k) / 240);
    const rates: Record<(typeof ORGANIC_SOURCES)[number], number> = {
      recommend: (tr.recommendPerMin / 60) * curveAt(tr.curve, tMin) * this.waveFactor(tMin) * this.snowballMult * warm,
      // Followers get a start-of-show notification (开播提醒): most of them come early.
      follow: (tr.followPerMin / 60) * (1 + 1.5 * Math.exp(-k / 300)),
      search: (tr.searchPerMin ?? tr.recommendPerMin * 0.04) / 60,
      shortVideo: (tr.shortVideoPerMin ?? tr.recommendPerMin * 0.06) / 60,
      other: (tr.otherPerMin ?? tr.recommendPerMin * 0.01) / 60,
    };
    let entries = 0;
    for (const src of ORGANIC_SOURCES) {
      const n = this.rTraffic.poisson(rates[src]);
      if (n > 0) {
        this.admit(n, src, -1);
        entries += n;
      }
    }
    const lagAlpha = 1 - Math.exp(-1 / (tr.adLagSec ?? 60));
    const saturation = tr.adSaturationFenPerMin ?? 30_000;
    this.plans.forEach((plan, idx) => {
      if (plan.paused) plan.rateFenPerMin = 0;
      else plan.rateFenPerMin += (plan.budgetFenPerMin - plan.rateFenPerMin) * lagAlpha;
      if (plan.rateFenPerMin < 0.5 && (plan.paused || plan.budgetFenPerMin === 0)) plan.rateFenPerMin = 0;
      const spend = plan.rateFenPerMin / 60;
      if (spend <= 0) return;
      plan.spendFen += spend;
      // Diminishing returns: the more a plan spends, the dearer each extra impression.
      const imp = this.rAds.poisson(((spend / plan.cpmFen) * 1000) / Math.sqrt(1 + plan.rateFenPerMin / saturation));
      const views = this.rAds.binomial(imp, plan.enterRate);
      plan.impressions += imp;
      plan.views += views;
      plan.clicks += views + this.rAds.binomial(imp, plan.enterRate * 0.25);
      if (views > 0) {
        this.admit(views, 'paid', idx);
        entries += views;
      }
    });
    return entries;
  }

  /** Viewers leave at the rate their stay implies (paid ones a little sooner). Returns who is still online. */
  private departures(stay: number): number {
    const tr = this.scenario.traffic;
    this.leave(this.onlineOrganic, this.rTraffic.poisson(this.onlineOrganic.length / stay));
    this.leave(this.onlinePaid, this.rTraffic.poisson(this.onlinePaid.length / (stay * (tr.paidStayFactor ?? 0.85))));
    const online = this.online();
    this.watchSeconds += online;
    return online;
  }

  /** The product explained (exposures, clicks, orders), then the shopping bag's. Returns the pinned product's clicks. */
  private shop(k: number, buf: Buffer, p: ProductState | null, flashOn: boolean, online: number, entries: number): number {
    const paidFactor = this.scenario.traffic.paidCvrFactor ?? 1.3;
    const paidMix = online > 0 ? (this.onlineOrganic.length + paidFactor * this.onlinePaid.length) / online : 1;
    let pinClicks = 0;
    if (p) {
      const expo = this.rShop.poisson(online * MODEL.pinExposurePerViewerSec + entries * MODEL.pinExposurePerEntry);
      const ctr = p.soldOut ? p.spec.truth.ctr * MODEL.soldOutCtrFactor * ctrMult(p.freshness) : p.spec.truth.ctr * ctrMult(p.freshness) * (flashOn ? MODEL.flashCtr : 1);
      pinClicks = this.rShop.binomial(expo, Math.min(1, ctr));
      if (expo > 0) buf.push({ type: 'exposure', ts: this.ts(k, 990), productId: p.spec.id, n: expo });
      if (pinClicks > 0) buf.push({ type: 'click', ts: this.ts(k, 991), productId: p.spec.id, n: pinClicks });
      if (!p.soldOut && pinClicks > 0) {
        const cvr = Math.min(1, p.spec.truth.cvr * cvrMult(p.freshness) * (flashOn ? MODEL.flashCvr : 1) * paidMix);
        const n = this.rShop.binomial(pinClicks, cvr);
        for (let i = 0; i < n; i++) this.order(p, k, buf, flashOn);
      }
    }
    if (online > 0) this.bag(k, buf, p, online, paidMix);
    return pinClicks;
  }

  /** The shopping bag: every product but the one explained, by its weight, at the bag's lower rates. */
  private bag(k: number, buf: Buffer, p: ProductState | null, online: number, paidMix: number): void {
    let bagW = 0;
    for (const q of this.products) if (q !== p) bagW += q.bagWeight;
    if (bagW <= 0) return;
    const bagMean = online * MODEL.bagExposurePerViewerSec;
    for (const q of this.products) {
      if (q === p || q.bagWeight <= 0) continue;
      const expo = this.rShop.poisson((bagMean * q.bagWeight) / bagW);
      if (expo === 0) continue;
      q.bagExposures += expo;
      const ctr = q.spec.truth.ctr * MODEL.bagCtrFactor * ctrMult(q.freshness) * (q.soldOut ? MODEL.soldOutCtrFactor : 1);
      const clicks = this.rShop.binomial(expo, Math.min(1, ctr));
      q.bagClicks += clicks;
      if (clicks > 0 && !q.soldOut) {
        const flashQ = this.flash?.productId === q.spec.id;
        const cvr = Math.min(1, q.spec.truth.cvr * MODEL.bagCvrFactor * cvrMult(q.freshness) * paidMix * (flashQ ? MODEL.flashCvr : 1));
        const n = this.rShop.binomial(clicks, cvr);
        for (let i = 0; i < n; i++) this.order(q, k, buf, flashQ);
      }
    }
  }

  /** Interest fades while a product is explained and comes back while it rests. */
  private fade(p: ProductState | null): void {
    for (const q of this.products) {
      if (q === p) q.freshness *= q.decayPerSec;
      else q.freshness = 1 - (1 - q.freshness) * q.recoverPerSec;
    }
  }

  /** Comments (with demand words tied to clicks), likes, follows, fans-club joins, shares and gifts. */
  private socialTick(k: number, buf: Buffer, s: { e: number; giveaway: boolean; flashOn: boolean; entries: number; online: number; pinClicks: number }): void {
    const tr = this.scenario.traffic;
    const { e, giveaway, online } = s;
    this.clickEma += 0.1 * ((online > 0 ? (s.pinClicks * 60) / online : 0) - this.clickEma);
    const demand = Math.min(3, this.clickEma / this.refClickRate);
    this.recentOrders *= 0.9;
    const commentRate = tr.commentRate ?? 0.05;
    const nComments = this.rSocial.poisson(((online * commentRate) / 60) * e * (0.7 + 0.3 * demand) * (giveaway ? 1.6 : 1));
    for (let i = 0; i < nComments; i++) this.comment(k, buf, demand, giveaway, s.flashOn, s.entries, online);
    this.likesAcc += this.rSocial.poisson(((online * (tr.likeRate ?? 0.8)) / 60) * e);
    const followMean = (online / tr.staySec) * (tr.followRate ?? 0.02) * e * (giveaway ? 1.5 : 1);
    this.followAcc += this.rSocial.poisson(followMean);
    this.fansclubAcc += this.rSocial.poisson(followMean * 0.12);
    this.shareAcc += this.rSocial.poisson(((online * 0.004) / 60) * e * (giveaway ? 2 : 1));
    const gifts = this.rSocial.poisson(((online * (tr.giftRate ?? 0.002)) / 60) * e);
    for (let i = 0; i < gifts; i++) {
      const g = this.rSocial.weighted(GIFTS, GIFTS.map((x) => x.weight));
      this.giftN++;
      this.giftFen += g.valueFen;
    }
  }

  private refundsDue(k: number, buf: Buffer): void {
    if (!this.refunds.length || (this.refunds[0]?.atSec ?? Infinity) > k) return;
    const due = this.refunds.filter((r) => r.atSec <= k);
    this.refunds = this.refunds.filter((r) => r.atSec > k);
    for (const r of due) {
      buf.push({ type: 'order', ts: this.ts(k, this.rMisc.int(0, 989)), orderId: r.orderId, productId: r.productId, qty: r.qty, amountFen: r.amountFen, status: 'refunded', buyerId: r.buyerId });
    }
  }

  /**
   * The batched reports a platform feed sends: a busy room reports entries and likes every second
   * and the bag every 2 s (their batches fill faster); a quiet one every 2 s and 5 s.
   */
  private reports(k: number, buf: Buffer, online: number): void {
    const busy = online >= 1000;
    if (busy || k % 2 === 1) {
      this.flushEnters(buf, this.ts(k, 995));
      this.flushLikes(buf, this.ts(k, 996));
    }
    if (busy ? k % 2 === 1 : k % 5 === 4) this.flushBag(buf, this.ts(k, 992));
    if (k % 5 === 4) this.flushSocial(buf, this.ts(k, 997));
    if (k % 10 === 9) this.flushAds(buf, this.ts(k, 998), false);
    else this.flushAds(buf, this.ts(k, 998), true);
    if (k % 30 === 29) this.flushStock(buf, this.ts(k, 993));
    if (k >= this.nextViewersAt) {
      buf.push({ type: 'viewers', ts: this.ts(k, 999), online, uv: this.uv, pv: this.pv, watchSeconds: this.watchSeconds });
      this.nextViewersAt = k + this.rMisc.int(3, 5);
    }
  }

  private admit(n: number, source: TrafficSource, planIdx: number): void {
    this.enterAcc[source] += n;
    this.pv += n;
    const pool = this.departed;
    const back = Math.min(pool.length, this.rTraffic.binomial(n, RETURN_SHARE[source] * (pool.length / (pool.length + 300))));
    for (let i = 0; i < n; i++) {
      let id: number;
      if (i < back) {
        const j = this.rTraffic.int(0, pool.length - 1);
        id = pool[j] as number;
        pool[j] = pool[pool.length - 1] as number;
        pool.pop();
      } else {
        id = ++this.uv;
      }
      // A viewer first brought by an ad stays attributed to that plan (the ad's 成交归因).
      if (planIdx >= 0 && !this.viewerPlan.has(id)) this.viewerPlan.set(id, planIdx);
      if (this.viewerPlan.has(id)) this.onlinePaid.push(id);
      else this.onlineOrganic.push(id);
    }
  }

  private leave(arr: number[], n: number): void {
    const m = Math.min(n, arr.length);
    for (let i = 0; i < m; i++) {
      const j = this.rTraffic.int(0, arr.length - 1);
      const id = arr[j] as number;
      arr[j] = arr[arr.length - 1] as number;
      arr.pop();
      this.departed.push(id);
      if (this.departed.length > DEPARTED_POOL) this.forgetDeparted();
    }
  }

  /**
   * A long show's leavers would pile up without end; the pool of viewers who may come back is
   * bounded, and one forgotten (deterministically: the pool's first slot, no random draw) is gone
   * for good — as is what ad plan brought them.
   */
  private forgetDeparted(): void {
    const pool = this.departed;
    const gone = pool[0] as number;
    pool[0] = pool[pool.length - 1] as number;
    pool.pop();
    this.viewerPlan.delete(gone);
  }

  private order(p: ProductState, k: number, buf: Buffer, viaFlash: boolean): void {
    if (p.soldOut) return;
    let qty: number = viaFlash ? 1 : this.rShop.weighted(MODEL.qty.values, MODEL.qty.weights);
    if (p.stock !== null) qty = Math.min(qty, p.stock);
    if (viaFlash && this.flash) qty = Math.min(qty, this.flash.remaining);
    if (qty <= 0) return;
    // Buyer: an online viewer; paid viewers are more (or less) likely to buy by paidCvrFactor.
    const paidFactor = this.scenario.traffic.paidCvrFactor ?? 1.3;
    const wOrg = this.onlineOrganic.length;
    const wPaid = this.onlinePaid.length * paidFactor;
    if (wOrg + wPaid <= 0) return;
    const fromPaid = this.rShop.next() * (wOrg + wPaid) >= wOrg;
    const arr = fromPaid ? this.onlinePaid : this.onlineOrganic;
    const buyer = arr[this.rShop.int(0, arr.length - 1)] as number;
    const amountFen = p.priceFen * qty;
    const orderId = `${this.orderPrefix}${String(++this.orderCounter).padStart(7, '0')}`;
    const ts = this.ts(k, this.rShop.int(0, 989));
    buf.push({ type: 'order', ts, orderId, productId: p.spec.id, qty, amountFen, status: 'paid', buyerId: `u${buyer}` });
    this.cur.gmvFen += amountFen;
    this.recentOrders += 1;
    const planIdx = this.viewerPlan.get(buyer);
    if (planIdx !== undefined) {
      const plan = this.plans[planIdx];
      if (plan) {
        plan.orders++;
        plan.gmvFen += amountFen;
      }
    }
    if (viaFlash && this.flash) this.flash.remaining -= qty;
    if (p.stock !== null) {
      p.stock -= qty;
      p.stockDirty = true;
      if (p.stock <= 0) {
        p.stock = 0;
        p.soldOut = true;
        p.stockDirty = false;
        buf.push({ type: 'product', ts: ts + 1, productId: p.spec.id, stock: 0, soldOut: true });
      }
    }
    if (this.rShop.chance(this.scenario.refundRate ?? 0.04)) {
      // Refunds come minutes later (buyers change their minds, 拍错/不想要了); ones past the end are lost.
      const atSec = k + this.rShop.int(120, 1500);
      if (atSec < this.durationSec) {
        const r: PendingRefund = { atSec, orderId, productId: p.spec.id, qty, amountFen, buyerId: `u${buyer}` };
        const at = this.refunds.findIndex((x) => x.atSec > atSec);
        if (at < 0) this.refunds.push(r);
        else this.refunds.splice(at, 0, r);
      }
    }
  }

  private comment(k: number, buf: Buffer, demand: number, giveaway: boolean, flashOn: boolean, entries: number, online: number): void {
    const r = this.rSocial;
    const p = this.pinned;
    const kinds = ['demand', 'question', 'size', 'soldOut', 'flash', 'giveaway', 'bought', 'greet', 'chat'] as const;
    const selling = p !== null && !p.soldOut;
    const asks = p?.spec.asks ?? [];
    const weights = [
      selling ? 0.06 + 0.2 * demand : 0.02,
      selling ? 0.12 : 0.02,
      selling && (p.apparel || asks.length > 0) ? 0.05 + 0.12 * demand : 0,
      p?.soldOut ? 0.35 : 0,
      flashOn ? 0.35 : 0,
      giveaway ? 0.45 : 0,
      Math.min(0.25, 0.02 + (this.recentOrders / Math.max(1, online)) * 200),
      0.04 + Math.min(0.2, (entries / Math.max(1, online)) * 30),
      0.35,
    ];
    const kind = r.weighted(kinds, weights);
    const name = p?.shortName ?? '这个';
    const link = p?.linkNo ?? 1;
    let text: string;
    switch (kind) {
      case 'demand':
        text = pickText(r, DEMAND, name, link);
        break;
      case 'question':
        text = pickText(r, QUESTIONS, name, link);
        break;
      case 'size':
        text = asks.length && (r.chance(0.6) || !p?.apparel) ? pickText(r, asks, name, link) : pickText(r, SIZE_ASKS, name, link);
        break;
      case 'soldOut':
        text = pickText(r, SOLD_OUT, name, link);
        break;
      case 'flash':
        text = pickText(r, FLASH, name, link);
        break;
      case 'giveaway':
        text = r.chance(0.85) ? this.giveawayPhrase : r.pick(GIVEAWAY_CHAT);
        break;
      case 'bought':
        text = pickText(r, BOUGHT, name, link);
        break;
      case 'greet':
        text = r.pick(GREETINGS);
        break;
      default:
        text = r.pick(CHAT);
    }
    const n = online;
    if (n <= 0) return;
    const idx = r.int(0, n - 1);
    const viewer = (idx < this.onlineOrganic.length ? this.onlineOrganic[idx] : this.onlinePaid[idx - this.onlineOrganic.length]) as number;
    buf.push({ type: 'comment', ts: this.ts(k, r.int(0, 989)), text, userId: `u${viewer}`, nickname: nicknameFor(viewer) });
  }

  private waveFactor(tMin: number): number {
    let f = 1;
    for (const w of this.scenario.waves) if (tMin >= w.atMin && tMin < w.atMin + w.minutes) f *= w.factor;
    return f;
  }

  private closeMinute(): void {
    this.minuteStats.push(this.cur);
    this.cur = { entries: 0, gmvFen: 0, eSum: 0, staySum: 0, secs: 0 };
    if (this.minuteStats.length > MODEL.snowballWindowMin) this.minuteStats.shift();
    const snowball = this.scenario.traffic.snowball;
    if (snowball <= 0) return;
    let entries = 0;
    let gmv = 0;
    let eSum = 0;
    let staySum = 0;
    let secs = 0;
    for (const m of this.minuteStats) {
      entries += m.entries;
      gmv += m.gmvFen;
      eSum += m.eSum;
      staySum += m.staySum;
      secs += m.secs;
    }
    // Too few entries to judge (a tiny room's first minute): leave the multiplier alone.
    if (entries < 20 || secs === 0) return;
    const gpm = (gmv / 100 / entries) * 1000;
    const gpmRatio = clamp(gpm / this.normalGpm, 0.15, 4);
    const stayRatio = clamp(staySum / secs / this.scenario.traffic.staySec, 0.3, 3);
    const engRatio = clamp(eSum / secs, 0.3, 3);
    const score = Math.pow(gpmRatio, 0.55) * Math.pow(stayRatio, 0.25) * Math.pow(engRatio, 0.2);
    const target = clamp(1 + snowball * (score - 1), MODEL.snowballMin, MODEL.snowballMax);
    this.snowballMult += MODEL.snowballSmoothing * (target - this.snowballMult);
  }

  // ---- flushes ----------------------------------------------------------------------------

  private flushEnters(buf: Buffer, ts: number): void {
    for (const src of ['recommend', 'follow', 'paid', 'search', 'shortVideo', 'other'] as const) {
      const n = this.enterAcc[src];
      if (n > 0) buf.push({ type: 'enter', ts, n, source: src });
      this.enterAcc[src] = 0;
    }
  }

  private flushLikes(buf: Buffer, ts: number): void {
    if (this.likesAcc <= 0) return;
    this.likesTotal += this.likesAcc;
    buf.push({ type: 'like', ts, n: this.likesAcc, total: this.likesTotal });
    this.likesAcc = 0;
  }

  private flushBag(buf: Buffer, ts: number): void {
    for (const q of this.products) {
      if (q.bagExposures > 0) buf.push({ type: 'exposure', ts, productId: q.spec.id, n: q.bagExposures });
      if (q.bagClicks > 0) buf.push({ type: 'click', ts, productId: q.spec.id, n: q.bagClicks });
      q.bagExposures = 0;
      q.bagClicks = 0;
    }
  }

  private flushSocial(buf: Buffer, ts: number): void {
    if (this.followAcc > 0) buf.push({ type: 'follow', ts, n: this.followAcc });
    if (this.fansclubAcc > 0) buf.push({ type: 'fansclub', ts, n: this.fansclubAcc });
    if (this.shareAcc > 0) buf.push({ type: 'share', ts, n: this.shareAcc });
    if (this.giftN > 0) buf.push({ type: 'gift', ts, n: this.giftN, valueFen: this.giftFen });
    this.followAcc = this.fansclubAcc = this.shareAcc = this.giftN = this.giftFen = 0;
  }

  /** `dirtyOnly`: between the 10-second reports, only plans a command just changed report. */
  private flushAds(buf: Buffer, ts: number, dirtyOnly: boolean): void {
    for (const plan of this.plans) {
      if (dirtyOnly && !plan.dirty) continue;
      plan.dirty = false;
      buf.push({
        type: 'ad',
        ts,
        planId: plan.planId,
        spendFen: Math.floor(plan.spendFen),
        impressions: plan.impressions,
        clicks: plan.clicks,
        views: plan.views,
        orders: plan.orders,
        gmvFen: plan.gmvFen,
        budgetFenPerMin: plan.budgetFenPerMin,
      });
    }
  }

  private flushStock(buf: Buffer, ts: number): void {
    for (const q of this.products) {
      if (!q.stockDirty || q.stock === null) continue;
      q.stockDirty = false;
      buf.push({ type: 'product', ts, productId: q.spec.id, stock: q.stock });
    }
  }

  private finish(out: EventBody[]): void {
    const end = this.ts(this.durationSec);
    const last = end - 1;
    const buf: Buffer = [];
    this.flushEnters(buf, last);
    this.flushLikes(buf, last);
    this.flushBag(buf, last);
    this.flushSocial(buf, last);
    this.flushStock(buf, last);
    this.flushAds(buf, last, false);
    buf.push({ type: 'viewers', ts: last, online: this.online(), uv: this.uv, pv: this.pv, watchSeconds: this.watchSeconds });
    for (const e of buf) out.push(e);
    out.push({ type: 'session', ts: end, status: 'ended', title: this.scenario.room.title, startedAt: this.startedAt });
    this.isEnded = true;
  }
}

function ctrMult(f: number): number {
  return MODEL.ctrFloor + (1 - MODEL.ctrFloor) * f;
}

function cvrMult(f: number): number {
  return MODEL.cvrFloor + (1 - MODEL.cvrFloor) * f;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function yuan(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}

/** Piecewise-linear baseline; flat beyond the first and last points. */
function curveAt(curve: ReadonlyArray<{ atMin: number; factor: number }> | undefined, tMin: number): number {
  if (!curve || curve.length === 0) return 1;
  const first = curve[0] as { atMin: number; factor: number };
  if (tMin <= first.atMin) return first.factor;
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i] as { atMin: number; factor: number };
    if (tMin <= b.atMin) {
      const a = curve[i - 1] as { atMin: number; factor: number };
      const span = b.atMin - a.atMin;
      return span <= 0 ? b.factor : a.factor + ((b.factor - a.factor) * (tMin - a.atMin)) / span;
    }
  }
  return (curve[curve.length - 1] as { atMin: number; factor: number }).factor;
}

/** What viewers would call a product when the scenario gives no shortName: its last two characters. */
function defaultShortName(title: string): string {
  const clean = title.replace(/[\s【】[\]()（）\d.,，。/]+/g, '');
  return clean.length <= 4 ? clean || title : clean.slice(-2);
}
