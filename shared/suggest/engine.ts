/**
 * The suggestion engine (PRODUCT.md S1–S3, S5): which product to explain next, when to switch,
 * and what to do when traffic falls or surges.
 *
 * It sees the feed and nothing else — `observe()` takes FEED-PROTOCOL events, the same the
 * aggregator gets. It cannot see a scenario's `truth`: nothing here imports the simulator, and
 * tests/integration/suggest-honest.test.ts replays the events it saw into a fresh engine and gets
 * the same decisions.
 *
 * The model, per product p (estimators.ts has the pieces):
 *   fresh click-through   clicks / (exposures · ctrLift(f)) while explained, shrunk toward a prior
 *                         (room average × role factor, or what earlier shows taught); the shopping
 *                         bag's clicks count too, scaled by the bag/pinned ratio the room shows
 *   fresh conversion      orders / (clicks · cvrLift(f)), the same way
 *   freshness f           falls while explained with half-life H_p, recovers at rest; H_p is fitted
 *                         to the feed (the room's pooled fit as a prior for each product)
 *   value if pinned now   exposures/min · ctr · cvr · order value · mean lift over the horizon
 *   score                 value + κ·sd, so a product with little evidence gets tried (S1: "a fair
 *                         chance, not a blind spot"); κ shrinks as the show goes on
 * Switch now (S2) when the best alternative's score beats the pinned product's expected value by a
 * margin after a minimum dwell, or at once when the pinned product is sold out.
 */
import type { KnownFeedEvent, EventBody, ProductRole } from '../protocol.ts';
import {
  DEFAULT_HALF_LIFE_MIN,
  HALF_LIFE_GRID,
  ctrLift,
  cvrLift,
  freshnessAtStarts,
  freshnessNow,
  gammaRate,
  halfLifeLogLik,
  halfLifeLogPrior,
  meanLiftOver,
  type PinnedBucket,
  type Stretch,
} from './estimators.ts';
import type { LearnedPriors, Play, ProductEstimate, Reason, Suggestions, SwitchSignal } from './types.ts';
import { bestConverter, boardFigures, vsRoomReasons, type BoardFigures, type BoardProduct } from './board.ts';
import { switchChance } from './certainty.ts';

export interface EngineOptions {
  /** minutes ahead a pick is valued over (default 3) */
  horizonMin?: number;
  /** a pinned product stays at least this long before the engine says switch (default 90 s) */
  minDwellSec?: number;
  /** the best alternative must beat the pinned product by this share (default 0.12): hysteresis */
  switchMargin?: number;
  /** exploration weight κ at the start of the show (default 0.8) */
  explore?: number;
  /** what earlier shows of the room taught (S5) */
  priors?: LearnedPriors | null;
  /** the run-of-show, for over-run reasons and as the team's prior (longer slots: better products) */
  plan?: readonly { productId: string; minutes: number }[];
  /** how conversion is assumed to fall with price before evidence: cvr ∝ (aov / mean aov)^−e (default 0.4) */
  cvrPriceElasticity?: number;
  /**
   * how much a product's planned minutes (relative to the plan's mean slot) lift its prior.
   * Default 0: bench:suggest measured it to hurt (the plan's slot lengths mislead as often as not).
   */
  planPrior?: number;
}

/** Role factors on the room's click-through / conversion before any evidence (seeds: 引流款 draws clicks, 利润款 converts less). */
const ROLE_PRIOR: Record<ProductRole, { ctr: number; cvr: number }> = {
  traffic: { ctr: 1.2, cvr: 1.2 },
  hero: { ctr: 1.1, cvr: 1.1 },
  profit: { ctr: 0.85, cvr: 0.75 },
  new: { ctr: 0.95, cvr: 0.85 },
};
const DEFAULT_CTR = 0.07;
const DEFAULT_CVR = 0.045;
/** prior weights: fresh-equivalent exposures (ctr) and clicks (cvr) a prior is worth */
const W_CTR = 250;
const W_CVR = 25;
/** the shopping bag's evidence counts for this share of pinned evidence (its relation is estimated) */
const BAG_WEIGHT = 0.5;
const BUCKET_MS = 30_000;
/** a product's learned prior is used once an earlier show saw this many clicks of it explained */
const LEARNED_MIN_CLICKS = 30;
const REFIT_MS = 30_000;

interface PState {
  id: string;
  title: string;
  role: ProductRole | null;
  /** the catalog's first tag: goods of a kind sell alike (a prior for the untested ones) */
  category: string | null;
  basePriceFen: number;
  priceFen: number;
  stock: number | null;
  startStock: number | null;
  soldOut: boolean;
  stretches: Stretch[];
  buckets: PinnedBucket[];
  /** pinned totals (raw) */
  pExpo: number;
  pClicks: number;
  pOrders: number;
  /** bag evidence, freshness-adjusted at arrival with the estimate of the time */
  bExpoAdj: number;
  bClicks: number;
  bClicksAdj: number;
  bOrders: number;
  orders: number;
  items: number;
  amountFen: number;
  /** every exposure and click, explained or in the bag: what the board counts when the engine runs without one */
  exposures: number;
  clicks: number;
  halfLifeMin: number;
  /** online at the start of each stretch and at its end, for how well it holds viewers */
  holdSum: number;
  holdMin: number;
}

export class SuggestionEngine {
  private readonly horizonMin: number;
  private readonly minDwellMs: number;
  private readonly margin: number;
  private readonly explore: number;
  private readonly priors: LearnedPriors | null;
  private plan: readonly { productId: string; minutes: number }[];
  private readonly elasticity: number;
  private readonly planPrior: number;

  private t0: number | null = null;
  private lastTs = 0;
  private readonly products = new Map<string, PState>();
  private pinned: PState | null = null;
  private pinnedSinceTs = 0;
  private pinnedOnlineStart = 0;
  private online = 0;
  /** pinned exposures per 30 s bucket of the show (any product), for exposures/min */
  private readonly expoByBucket = new Map<number, number>();
  private readonly onlineByMin = new Map<number, number>();
  private readonly entersByMin = new Map<number, number>();
  private roomHalfLife = DEFAULT_HALF_LIFE_MIN;
  private lastFitTs = -Infinity;
  private lastStretchChange = 0;

  constructor(opts: EngineOptions = {}) {
    this.horizonMin = opts.horizonMin ?? 3;
    this.minDwellMs = (opts.minDwellSec ?? 90) * 1000;
    this.margin = opts.switchMargin ?? 0.12;
    this.explore = opts.explore ?? 0.8;
    this.priors = opts.priors ?? null;
    this.plan = opts.plan ?? [];
    this.elasticity = opts.cvrPriceElasticity ?? 0.4;
    this.planPrior = opts.planPrior ?? 0;
    if (this.priors) this.roomHalfLife = this.priors.halfLifeMin;
  }

  /** The run-of-show changed (imported or edited in the app): over-run reasons follow it at once. */
  setPlan(plan: readonly { productId: string; minutes: number }[]): void {
    this.plan = plan.map((i) => ({ productId: i.productId, minutes: i.minutes }));
  }

  /** Minutes since the show started, at event time `ts`. */
  showMinute(ts: number = this.lastTs): number {
    return this.minOf(ts);
  }

  /** Every stretch of explaining so far, in order (minutes since the show started; the last may run). */
  pinHistory(): { productId: string; startMin: number; endMin: number | null }[] {
    const all: { productId: string; startMin: number; endMin: number | null }[] = [];
    for (const p of this.products.values()) for (const s of p.stretches) all.push({ productId: p.id, startMin: s.startMin, endMin: s.endMin });
    return all.sort((a, b) => a.startMin - b.startMin || (a.endMin === null ? 1 : 0) - (b.endMin === null ? 1 : 0));
  }

  // ---- evidence ------------------------------------------------------------------------------

  observe(e: EventBody | KnownFeedEvent): void {
    if (this.t0 === null) this.t0 = e.type === 'session' ? (e.startedAt ?? e.ts) : e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.type) {
      case 'session':
        if (e.startedAt !== undefined && this.products.size === 0) this.t0 = e.startedAt;
        return;
      case 'catalog':
        for (const c of e.products) {
          const p = this.products.get(c.id) ?? this.newProduct(c.id, c.title, c.priceFen);
          p.title = c.title;
          p.basePriceFen = c.priceFen;
          p.priceFen = c.priceFen;
          p.role = c.role ?? null;
          p.category = c.tags?.[0] ?? null;
          if (c.stock !== undefined) {
            p.stock = c.stock;
            p.startStock ??= c.stock;
            p.soldOut = c.stock === 0;
          }
          this.products.set(c.id, p);
        }
        return;
      case 'product': {
        const p = this.products.get(e.productId);
        if (!p) return;
        if (e.priceFen !== undefined) p.priceFen = e.priceFen;
        if (e.stock !== undefined) {
          p.stock = e.stock;
          p.startStock ??= e.stock;
          p.soldOut = e.stock === 0;
        }
        if (e.soldOut !== undefined) p.soldOut = e.soldOut || p.stock === 0;
        return;
      }
      case 'pin':
        this.setPinned(e.productId === null ? null : (this.products.get(e.productId) ?? null), e.ts);
        return;
      case 'viewers':
        // A snapshot of cumulative figures only says nothing about who is online now.
        if (e.online === undefined) return;
        this.online = e.online;
        this.onlineByMin.set(this.minuteOf(e.ts), e.online);
        return;
      case 'enter': {
        const m = this.minuteOf(e.ts);
        this.entersByMin.set(m, (this.entersByMin.get(m) ?? 0) + e.n);
        return;
      }
      case 'exposure':
      case 'click': {
        const p = this.products.get(e.productId);
        if (!p) return;
        if (e.type === 'exposure') p.exposures += e.n;
        else p.clicks += e.n;
        if (p === this.pinned) {
          const b = this.bucketFor(p, e.ts);
          if (e.type === 'exposure') {
            b.exposures += e.n;
            p.pExpo += e.n;
            const k = Math.floor((e.ts - (this.t0 ?? e.ts)) / BUCKET_MS);
            this.expoByBucket.set(k, (this.expoByBucket.get(k) ?? 0) + e.n);
          } else {
            b.clicks += e.n;
            p.pClicks += e.n;
          }
        } else {
          const f = freshnessNow(p.stretches, p.halfLifeMin, this.minOf(e.ts));
          if (e.type === 'exposure') p.bExpoAdj += e.n * ctrLift(f);
          else {
            p.bClicks += e.n;
            p.bClicksAdj += e.n * cvrLift(f);
          }
        }
        return;
      }
      case 'order': {
        const p = this.products.get(e.productId);
        if (!p || e.status !== 'paid') return;
        p.orders++;
        p.items += e.qty;
        p.amountFen += e.amountFen;
        if (p === this.pinned) {
          this.bucketFor(p, e.ts).orders++;
          p.pOrders++;
        } else p.bOrders++;
        return;
      }
      default:
        return;
    }
  }

  private newProduct(id: string, title: string, priceFen: number): PState {
    return {
      id,
      title,
      role: null,
      category: null,
      basePriceFen: priceFen,
      priceFen,
      stock: null,
      startStock: null,
      soldOut: false,
      stretches: [],
      buckets: [],
      pExpo: 0,
      pClicks: 0,
      pOrders: 0,
      bExpoAdj: 0,
      bClicks: 0,
      bClicksAdj: 0,
      bOrders: 0,
      orders: 0,
      items: 0,
      amountFen: 0,
      exposures: 0,
      clicks: 0,
      halfLifeMin: this.priors?.products[id]?.halfLifeMin ?? this.priors?.halfLifeMin ?? DEFAULT_HALF_LIFE_MIN,
      holdSum: 0,
      holdMin: 0,
    };
  }

  private setPinned(p: PState | null, ts: number): void {
    if (p === this.pinned) return;
    const nowMin = this.minOf(ts);
    const prev = this.pinned;
    if (prev) {
      const last = prev.stretches[prev.stretches.length - 1];
      if (last && last.endMin === null) {
        last.endMin = nowMin;
        const dur = nowMin - last.startMin;
        if (dur >= 1 && this.pinnedOnlineStart > 0 && this.online > 0) {
          prev.holdSum += Math.log(this.online / this.pinnedOnlineStart);
          prev.holdMin += dur;
        }
      }
    }
    this.pinned = p;
    this.pinnedSinceTs = ts;
    this.pinnedOnlineStart = this.online;
    if (p) p.stretches.push({ startMin: nowMin, endMin: null });
    this.lastStretchChange = ts;
  }

  private bucketFor(p: PState, ts: number): PinnedBucket {
    const si = p.stretches.length - 1;
    const k = Math.max(0, Math.floor((ts - this.pinnedSinceTs) / BUCKET_MS));
    const tauMin = ((k + 0.5) * BUCKET_MS) / 60_000;
    const last = p.buckets[p.buckets.length - 1];
    if (last && last.stretch === si && last.tauMin === tauMin) return last;
    const b: PinnedBucket = { stretch: si, tauMin, exposures: 0, clicks: 0, orders: 0 };
    p.buckets.push(b);
    return b;
  }

  private minOf(ts: number): number {
    return (ts - (this.t0 ?? ts)) / 60_000;
  }

  private minuteOf(ts: number): number {
    return Math.floor(this.minOf(ts));
  }

  // ---- fitting -------------------------------------------------------------------------------

  /** Fits each product's fatigue half-life: its own likelihood plus the room's pooled one as a prior. */
  private fitHalfLives(nowMin: number): void {
    const list = [...this.products.values()].filter((p) => p.buckets.length > 0);
    if (!list.length) return;
    const center = this.priors?.halfLifeMin ?? DEFAULT_HALF_LIFE_MIN;
    const perProduct = list.map((p) => HALF_LIFE_GRID.map((h) => halfLifeLogLik(p.buckets, freshnessAtStarts(p.stretches, h, nowMin), h)));
    const pooled = HALF_LIFE_GRID.map((h, i) => halfLifeLogPrior(h, center) + perProduct.reduce((s, ll) => s + (ll[i] ?? 0), 0));
    this.roomHalfLife = HALF_LIFE_GRID[argmax(pooled)] ?? DEFAULT_HALF_LIFE_MIN;
    // The room's curve, normalised to a log-prior per product (worth about one product's evidence).
    const pmax = Math.max(...pooled);
    const roomPrior = pooled.map((v) => (v - pmax) / Math.max(1, list.length));
    list.forEach((p, j) => {
      const own = perProduct[j] ?? [];
      const learned = this.priors?.products[p.id]?.halfLifeMin;
      const score = HALF_LIFE_GRID.map((h, i) => (own[i] ?? 0) + (roomPrior[i] ?? 0) + (learned ? halfLifeLogPrior(h, learned) : 0));
      p.halfLifeMin = HALF_LIFE_GRID[argmax(score)] ?? this.roomHalfLife;
    });
    for (const p of this.products.values()) if (!p.buckets.length) p.halfLifeMin = this.priors?.products[p.id]?.halfLifeMin ?? this.roomHalfLife;
  }

  // ---- estimates -----------------------------------------------------------------------------

  /**
   * The suggestions at `nowTs`. `board`: the product board's figures (the app passes the
   * aggregator's rows, so every rate a reason quotes is the one on screen); without it (lcr
   * evaluate, tests) the engine counts the same events itself.
   */
  suggest(nowTs: number = this.lastTs, board: BoardFigures = this.ownBoard()): Suggestions {
    const nowMin = this.minOf(nowTs);
    if (nowTs - this.lastFitTs >= REFIT_MS || this.lastStretchChange > this.lastFitTs) {
      this.fitHalfLives(nowMin);
      this.lastFitTs = nowTs;
    }
    const ests = this.estimates(nowTs, nowMin, board);
    const pinned = this.pinned ? (ests.get(this.pinned.id) ?? null) : null;
    const nextUp = [...ests.values()]
      .filter((e) => e.productId !== this.pinned?.id && !e.soldOut)
      .sort((a, b) => b.scoreFenPerMin - a.scoreFenPerMin || a.productId.localeCompare(b.productId));
    return {
      ts: nowTs,
      pinnedProductId: this.pinned?.id ?? null,
      nextUp,
      pinned,
      switchNow: this.switchSignal(nowTs, pinned, nextUp),
      plays: this.plays(nowMin, ests, board),
      exposuresPerMin: this.exposuresPerMin(nowTs),
      soldOutProductIds: [...ests.values()].filter((e) => e.soldOut).map((e) => e.productId),
    };
  }

  /** Pinned-card exposures per minute over the last 3 minutes of explaining (room-wide). */
  private exposuresPerMin(nowTs: number): number {
    const k = Math.floor((nowTs - (this.t0 ?? nowTs)) / BUCKET_MS);
    let sum = 0;
    let n = 0;
    for (let i = k - 6; i < k; i++) {
      const v = this.expoByBucket.get(i);
      if (v !== undefined) {
        sum += v;
        n++;
      }
    }
    if (n > 0) return (sum / n) * (60_000 / BUCKET_MS);
    // Nothing explained lately: about one impression per viewer per 45 s is typical of a 讲解卡.
    return Math.max(1, this.online * 1.3);
  }

  /** The board's figures from the engine's own counts, for a caller that has no board. */
  private ownBoard(): BoardFigures {
    const rows: BoardProduct[] = [];
    let exposures = 0;
    let clicks = 0;
    let orders = 0;
    for (const p of this.products.values()) {
      rows.push({ productId: p.id, priceFen: p.priceFen, exposures: p.exposures, clicks: p.clicks, ctr: p.exposures > 0 ? p.clicks / p.exposures : null, orders: p.orders, clickToOrder: p.clicks > 0 ? p.orders / p.clicks : null, stock: p.stock });
      exposures += p.exposures;
      clicks += p.clicks;
      orders += p.orders;
    }
    return boardFigures(rows, { ctr: exposures > 0 ? clicks / exposures : null, clickToOrder: clicks > 0 ? orders / clicks : null });
  }

  private estimates(nowTs: number, nowMin: number, board: BoardFigures): Map<string, ProductEstimate> {
    const all = [...this.products.values()];
    // Room level: pooled fresh rates of what has been explained, shrunk toward generic defaults
    // (or toward what earlier shows taught).
    let rc = 0;
    let re = 0;
    let ro = 0;
    let rk = 0;
    const adj = new Map<string, { e: number; c: number; k: number }>();
    for (const p of all) {
      const starts = freshnessAtStarts(p.stretches, p.halfLifeMin, nowMin);
      let e = 0;
      let k = 0;
      for (const b of p.buckets) {
        const f = (starts[b.stretch] ?? 1) * Math.pow(0.5, b.tauMin / p.halfLifeMin);
        e += b.exposures * ctrLift(f);
        k += b.clicks * cvrLift(f);
      }
      adj.set(p.id, { e, c: p.pClicks, k });
      rc += p.pClicks;
      re += e;
      ro += p.pOrders;
      rk += k;
    }
    const roomCtr = gammaRate(rc, re, this.priors?.ctr ?? DEFAULT_CTR, 2000).mean;
    const roomCvr = gammaRate(ro, rk, this.priors?.cvr ?? DEFAULT_CVR, 100).mean;
    // How the shopping bag relates to explaining, from products seen both ways.
    let bagClicks = 0;
    let bagExpected = 0;
    let bagOrders = 0;
    let bagOrdersExpected = 0;
    for (const p of all) {
      const a = adj.get(p.id);
      if (!a || a.e < 200) continue;
      bagClicks += p.bClicks;
      bagExpected += p.bExpoAdj * (p.pClicks / a.e);
      if (a.k > 20) {
        bagOrders += p.bOrders;
        bagOrdersExpected += p.bClicksAdj * (p.pOrders / a.k);
      }
    }
    const lambda = (bagClicks + 0.4 * 30) / (bagExpected + 30);
    const mu = (bagOrders + 0.8 * 10) / (bagOrdersExpected + 10);

    const expoPerMin = this.exposuresPerMin(nowTs);
    const showMin = Math.max(nowMin, 0);
    const kappa = this.explore * Math.max(0.25, 1 - showMin / 240);
    let aovSum = 0;
    for (const p of all) aovSum += this.aov(p);
    const aovMean = all.length ? aovSum / all.length : 0;
    const planMinutes = new Map<string, number>();
    for (const i of this.plan) planMinutes.set(i.productId, (planMinutes.get(i.productId) ?? 0) + i.minutes);
    const planMean = planMinutes.size ? [...planMinutes.values()].reduce((a, b) => a + b, 0) / planMinutes.size : 0;

    // Category: how the explained goods of each kind did against the room (log ratios), so an
    // untested product starts near its kind. Leave-one-out: a product's own evidence is not its prior.
    const catLog = new Map<string, { ctr: number; cvr: number; n: number }>();
    const ownLog = new Map<string, { ctr: number; cvr: number }>();
    for (const p of all) {
      const a = adj.get(p.id);
      if (!p.category || !a || p.pClicks < 30 || a.e <= 0 || a.k <= 0) continue;
      const l = { ctr: Math.log((p.pClicks / a.e) / roomCtr), cvr: Math.log(Math.max(0.5, p.pOrders) / a.k / roomCvr) };
      ownLog.set(p.id, l);
      const c = catLog.get(p.category) ?? { ctr: 0, cvr: 0, n: 0 };
      c.ctr += l.ctr;
      c.cvr += l.cvr;
      c.n++;
      catLog.set(p.category, c);
    }
    const categoryFactor = (p: PState): { ctr: number; cvr: number } => {
      const c = p.category ? catLog.get(p.category) : undefined;
      if (!c) return { ctr: 1, cvr: 1 };
      const own = ownLog.get(p.id);
      const n = c.n - (own ? 1 : 0);
      if (n <= 0) return { ctr: 1, cvr: 1 };
      // Shrunk toward the room (one pseudo product at ratio 1), and only half-way: kinds vary within.
      return { ctr: Math.exp((0.5 * (c.ctr - (own?.ctr ?? 0))) / (n + 1)), cvr: Math.exp((0.5 * (c.cvr - (own?.cvr ?? 0))) / (n + 1)) };
    };

    const out = new Map<string, ProductEstimate>();
    for (const p of all) {
      const a = adj.get(p.id) ?? { e: 0, c: 0, k: 0 };
      const catF = categoryFactor(p);
      // What an earlier show taught counts only as far as it rested on evidence of its own.
      const taught = this.priors?.products[p.id];
      const learned = taught && taught.clicks >= LEARNED_MIN_CLICKS ? taught : undefined;
      const roleF = p.role ? (this.priors?.roles[p.role] ? { ctr: (this.priors.roles[p.role]?.ctr ?? roomCtr) / roomCtr, cvr: (this.priors.roles[p.role]?.cvr ?? roomCvr) / roomCvr } : ROLE_PRIOR[p.role]) : { ctr: 1, cvr: 1 };
      // Before evidence: the room's rates by role; dearer goods convert less; the team's plan
      // gives longer slots to what it expects to sell (its minutes relative to the mean slot).
      const planned = planMinutes.get(p.id);
      const planF = planned !== undefined && planMean > 0 ? Math.pow(planned / planMean, this.planPrior) : 1;
      const priceF = aovMean > 0 ? Math.pow(this.aov(p) / aovMean, -this.elasticity) : 1;
      const ctrPrior = learned ? learned.ctr : roomCtr * roleF.ctr * catF.ctr * Math.sqrt(planF);
      const cvrPrior = learned ? learned.cvr : Math.min(0.9, roomCvr * roleF.cvr * catF.cvr * priceF * Math.sqrt(planF));
      // Bag evidence, rescaled to "as if explained", at half weight.
      const ctr = gammaRate(a.c + BAG_WEIGHT * p.bClicks, a.e + BAG_WEIGHT * p.bExpoAdj * lambda, ctrPrior, learned ? W_CTR * Math.min(3, 1 + learned.clicks / 100) : W_CTR);
      const cvr = gammaRate(p.pOrders + BAG_WEIGHT * p.bOrders, a.k + BAG_WEIGHT * p.bClicksAdj * mu, cvrPrior, learned ? W_CVR * Math.min(3, 1 + learned.orders / 20) : W_CVR);
      const f = freshnessNow(p.stretches, p.halfLifeMin, nowMin);
      const aov = this.aov(p);
      const lift = meanLiftOver(f, this.horizonMin, p.halfLifeMin);
      let value = p.soldOut ? 0 : expoPerMin * ctr.mean * cvr.mean * aov * lift;
      const relSd = Math.sqrt((ctr.sd / Math.max(ctr.mean, 1e-9)) ** 2 + (cvr.sd / Math.max(cvr.mean, 1e-9)) ** 2);
      let sd = value * relSd;
      // Stock caps what it can sell in the horizon.
      if (p.stock !== null && !p.soldOut) {
        const cap = (p.stock * aov) / this.horizonMin;
        if (value > cap) {
          value = cap;
          sd = Math.min(sd, cap);
        }
      }
      const last = p.stretches[p.stretches.length - 1];
      const explainedMin = p.stretches.reduce((s, st) => s + ((st.endMin ?? nowMin) - st.startMin), 0);
      const restedMin = last ? (last.endMin === null ? null : nowMin - last.endMin) : null;
      const est: ProductEstimate = {
        productId: p.id,
        title: p.title,
        role: p.role,
        priceFen: p.priceFen,
        valueFenPerMin: value,
        sdFenPerMin: sd,
        scoreFenPerMin: value + kappa * sd,
        ctr: ctr.mean,
        cvr: cvr.mean,
        freshness: f,
        halfLifeMin: p.halfLifeMin,
        pinnedExposures: p.pExpo,
        pinnedClicks: p.pClicks,
        pinnedOrders: p.pOrders,
        explainedMin,
        restedMin,
        stock: p.stock,
        soldOut: p.soldOut,
        reasons: [],
      };
      est.reasons = this.productReasons(p, est, board, aovMean);
      // Say so when the ranking leans on uncertainty rather than on expected value.
      if (!p.soldOut && kappa * sd > 0.25 * Math.max(value, 1)) {
        est.reasons.unshift({ code: 'exploring', valueFenPerMin: Math.round(value), scoreFenPerMin: Math.round(est.scoreFenPerMin) });
      }
      out.set(p.id, est);
    }
    return out;
  }

  /** Expected money per order: the current price × the items per order seen (shrunk toward 1.1). */
  private aov(p: PState): number {
    const qty = (p.items + 1.1 * 5) / (p.orders + 5);
    return p.priceFen * qty;
  }

  private productReasons(p: PState, e: ProductEstimate, board: BoardFigures, aovMean: number): Reason[] {
    if (p.soldOut) return [{ code: 'soldOut' }];
    const row = board.products.get(p.id);
    const r: Reason[] = vsRoomReasons(row, board.room);
    const aov = this.aov(p);
    if (aovMean > 0 && aov >= 1.5 * aovMean) r.push({ code: 'highTicket', aovFen: Math.round(aov) });
    if (e.restedMin !== null && e.restedMin >= 1 && p !== this.pinned) r.push({ code: 'rested', min: Math.round(e.restedMin) });
    if (e.freshness < 0.7) r.push({ code: 'stillTired', freshnessPct: Math.round(e.freshness * 100) });
    if (!p.stretches.length) r.push({ code: 'untested' });
    else if (p.pClicks < 30) r.push({ code: 'fewData', clicks: p.pClicks });
    const learned = this.priors?.products[p.id];
    if (learned && learned.clicks >= LEARNED_MIN_CLICKS && this.priors) r.push({ code: 'learned', sessions: this.priors.sessions });
    const stock = row ? row.stock : p.stock;
    if (stock !== null) {
      const lowLine = Math.max(1, (p.startStock ?? stock) * 0.1);
      r.push(stock <= lowLine ? { code: 'stockLow', left: stock } : { code: 'stockOk', left: stock });
    }
    return r;
  }

  private switchSignal(nowTs: number, pinned: ProductEstimate | null, nextUp: ProductEstimate[]): SwitchSignal | null {
    const best = nextUp[0] ?? null;
    if (!this.pinned || !pinned) return null;
    const p = this.pinned;
    const reasons: Reason[] = [];
    if (p.soldOut) {
      return { productId: p.id, toProductId: best?.productId ?? null, confidence: 1, reasons: [{ code: 'soldOut' }] };
    }
    const dwell = nowTs - this.pinnedSinceTs;
    const stretchMin = dwell / 60_000;
    // Observed fade: click-through of the last 2 minutes against the first 2 minutes of this stretch.
    const fade = this.observedFade(p);
    const plannedMin = this.plan.find((i) => i.productId === p.id)?.minutes;
    const overRun = plannedMin !== undefined ? stretchMin - plannedMin : 0;
    if (dwell < this.minDwellMs || !best) return null;
    const gain = best.scoreFenPerMin - pinned.valueFenPerMin * (1 + this.margin);
    if (gain <= 0) return null;
    if (fade !== null && fade >= 0.2) reasons.push({ code: 'fading', pct: Math.round(fade * 100) });
    reasons.push({ code: 'explainedMin', min: Math.round(stretchMin) });
    if (overRun >= 1) reasons.push({ code: 'overRun', min: Math.round(overRun) });
    reasons.push({ code: 'betterNext', productId: best.productId, title: best.title, gainFenPerMin: Math.round(best.valueFenPerMin - pinned.valueFenPerMin) });
    return { productId: p.id, toProductId: best.productId, confidence: switchChance(best, pinned), reasons };
  }

  /** Share by which this stretch's click-through fell from its first 2 minutes to its last 2 (null: too little data). */
  private observedFade(p: PState): number | null {
    const si = p.stretches.length - 1;
    const bs = p.buckets.filter((b) => b.stretch === si);
    if (bs.length < 6) return null;
    const head = bs.slice(0, 4);
    const tail = bs.slice(-4);
    const rate = (xs: PinnedBucket[]) => {
      const e = xs.reduce((s, b) => s + b.exposures, 0);
      const c = xs.reduce((s, b) => s + b.clicks, 0);
      return { e, c, r: e > 0 ? c / e : 0 };
    };
    const h = rate(head);
    const t = rate(tail);
    if (h.c < 10 || h.r <= 0) return null;
    return Math.max(0, 1 - t.r / h.r);
  }

  /** S3: traffic-state plays from the last minutes of online and entries. */
  private plays(nowMin: number, ests: Map<string, ProductEstimate>, board: BoardFigures): Play[] {
    const m = Math.floor(nowMin);
    const out: Play[] = [];
    const onlineAt = (k: number) => this.onlineByMin.get(k);
    const nowOn = onlineAt(m) ?? onlineAt(m - 1);
    const before = onlineAt(m - 3) ?? onlineAt(m - 4);
    if (nowOn !== undefined && before !== undefined && before >= 20) {
      const change = nowOn / before - 1;
      if (change <= -0.15) {
        // Hold the room: the product that kept viewers best (traffic role as the prior).
        const cand = [...this.products.values()]
          .filter((p) => !p.soldOut && p !== this.pinned)
          .map((p) => ({ p, hold: (p.holdSum + (p.role === 'traffic' ? 0.05 : 0) * 3) / (p.holdMin + 3) }))
          .sort((a, b) => b.hold - a.hold || (ests.get(b.p.id)?.scoreFenPerMin ?? 0) - (ests.get(a.p.id)?.scoreFenPerMin ?? 0))[0];
        if (cand) {
          const reasons: Reason[] = [{ code: 'onlineFalling', pct: Math.round(change * 100) }];
          if (cand.p.holdMin > 0) reasons.push({ code: 'holdsViewers', pct: Math.round(cand.hold * 100) });
          out.push({ kind: 'retain', productId: cand.p.id, action: cand.p.role === 'traffic' ? 'flash' : 'pin', reasons });
        }
      }
    }
    const entersNow = this.entersByMin.get(m - 1);
    const past: number[] = [];
    for (let k = m - 11; k < m - 1; k++) {
      const v = this.entersByMin.get(k);
      if (v !== undefined) past.push(v);
    }
    if (entersNow !== undefined && past.length >= 5) {
      past.sort((a, b) => a - b);
      const median = past[Math.floor(past.length / 2)] ?? 0;
      if (median > 0 && entersNow >= 1.6 * median) {
        // The best converter by the board's own click→order rate, so the figure quoted is the one on screen.
        const conv = bestConverter(board, (id) => ests.get(id)?.soldOut === false);
        if (conv) out.push({ kind: 'surge', productId: conv.productId, action: 'pin', reasons: [{ code: 'onlineSurging', pct: Math.round((entersNow / median - 1) * 100) }, conv.reason] });
      }
    }
    return out;
  }

  // ---- learning across shows (S5) ------------------------------------------------------------

  /** What this show taught, merged with what the earlier ones did: the next show's priors. */
  learned(nowTs: number = this.lastTs): LearnedPriors {
    const s = this.suggest(nowTs);
    const ests = [...s.nextUp, ...(s.pinned ? [s.pinned] : [])];
    const prev = this.priors;
    const products: LearnedPriors['products'] = { ...(prev?.products ?? {}) };
    const roles: LearnedPriors['roles'] = { ...(prev?.roles ?? {}) };
    const roleAcc = new Map<ProductRole, { ctr: number; cvr: number; n: number }>();
    let ctrW = 0;
    let cvrW = 0;
    for (const e of ests) {
      const p = this.products.get(e.productId);
      if (!p) continue;
      const old = products[e.productId];
      const wNew = p.pClicks + 1;
      const wOld = old ? old.clicks + 1 : 0;
      products[e.productId] = {
        ctr: old ? (old.ctr * wOld + e.ctr * wNew) / (wOld + wNew) : e.ctr,
        cvr: old ? (old.cvr * (old.orders + 1) + e.cvr * (p.pOrders + 1)) / (old.orders + p.pOrders + 2) : e.cvr,
        halfLifeMin: p.buckets.length ? p.halfLifeMin : (old?.halfLifeMin ?? p.halfLifeMin),
        clicks: (old?.clicks ?? 0) + p.pClicks,
        orders: (old?.orders ?? 0) + p.pOrders,
      };
      if (p.role && p.pClicks > 0) {
        const a = roleAcc.get(p.role) ?? { ctr: 0, cvr: 0, n: 0 };
        a.ctr += e.ctr;
        a.cvr += e.cvr;
        a.n++;
        roleAcc.set(p.role, a);
      }
      ctrW += e.ctr * (p.pClicks + 1);
      cvrW += e.cvr * (p.pClicks + 1);
    }
    for (const [role, a] of roleAcc) roles[role] = { ctr: a.ctr / a.n, cvr: a.cvr / a.n };
    const w = ests.reduce((acc, e) => acc + (this.products.get(e.productId)?.pClicks ?? 0) + 1, 0);
    return {
      sessions: (prev?.sessions ?? 0) + 1,
      halfLifeMin: this.roomHalfLife,
      ctr: w > 0 ? ctrW / w : (prev?.ctr ?? DEFAULT_CTR),
      cvr: w > 0 ? cvrW / w : (prev?.cvr ?? DEFAULT_CVR),
      products,
      roles,
    };
  }
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] ?? -Infinity) > (xs[best] ?? -Infinity)) best = i;
  return best;
}
