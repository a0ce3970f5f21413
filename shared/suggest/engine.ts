/**
 * The suggestion engine: which product to explain next, when to switch,
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
 *   score                 value + κ·sd, so a product with little evidence gets tried (the next-up ranking: "a fair
 *                         chance, not a blind spot"); κ shrinks as the show goes on
 * Switch now when the best alternative's score beats the pinned product's expected value by a
 * margin after a minimum dwell, or at once when the pinned product is sold out.
 *
 * Where it lives: what the engine has seen in evidence.ts (the base of the class: `observe` and the
 * counts), the value model in product-value.ts, the fatigue fit in half-life-fit.ts, and here the
 * decisions read from them — next up, switch now, the traffic plays — and what a show taught.
 */
import type { ProductRole } from '../protocol.ts';
import { DEFAULT_HALF_LIFE_MIN, type PinnedBucket } from './estimators.ts';
import type { LearnedPriors, Play, ProductEstimate, Reason, Suggestions, SwitchSignal } from './types.ts';
import { bestConverter, boardFigures, vsRoomReasons, type BoardFigures, type BoardProduct } from './board.ts';
import { switchChance } from './certainty.ts';
import { BUCKET_MS, EngineEvidence, type PState } from './evidence.ts';
import { fitHalfLives } from './half-life-fit.ts';
import {
  DEFAULT_CTR,
  DEFAULT_CVR,
  LEARNED_MIN_CLICKS,
  aov,
  bagRelation,
  categoryFactors,
  estimateProduct,
  planSlots,
  roomRates,
  type ValueContext,
} from './product-value.ts';

export interface EngineOptions {
  /** minutes ahead a pick is valued over (default 3) */
  horizonMin?: number;
  /** a pinned product stays at least this long before the engine says switch (default 90 s) */
  minDwellSec?: number;
  /** the best alternative must beat the pinned product by this share (default 0.12): hysteresis */
  switchMargin?: number;
  /** exploration weight κ at the start of the show (default 0.8) */
  explore?: number;
  /** what earlier shows of the room taught */
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

const REFIT_MS = 30_000;

export class SuggestionEngine extends EngineEvidence {
  private readonly horizonMin: number;
  private readonly minDwellMs: number;
  private readonly margin: number;
  private readonly explore: number;
  private plan: readonly { productId: string; minutes: number }[];
  private readonly elasticity: number;
  private readonly planPrior: number;

  private roomHalfLife = DEFAULT_HALF_LIFE_MIN;
  private lastFitTs = -Infinity;

  constructor(opts: EngineOptions = {}) {
    super(opts.priors ?? null);
    this.horizonMin = opts.horizonMin ?? 3;
    this.minDwellMs = (opts.minDwellSec ?? 90) * 1000;
    this.margin = opts.switchMargin ?? 0.12;
    this.explore = opts.explore ?? 0.8;
    this.plan = opts.plan ?? [];
    this.elasticity = opts.cvrPriceElasticity ?? 0.4;
    this.planPrior = opts.planPrior ?? 0;
    if (this.priors) this.roomHalfLife = this.priors.halfLifeMin;
  }

  /** The run-of-show changed (imported or edited in the app): over-run reasons follow it at once. */
  setPlan(plan: readonly { productId: string; minutes: number }[]): void {
    this.plan = plan.map((i) => ({ productId: i.productId, minutes: i.minutes }));
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
      const roomHalfLife = fitHalfLives(this.products, this.priors, nowMin);
      if (roomHalfLife !== null) this.roomHalfLife = roomHalfLife;
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
    const { adj, roomCtr, roomCvr } = roomRates(all, nowMin, this.priors);
    const { lambda, mu } = bagRelation(all, adj);
    const expoPerMin = this.exposuresPerMin(nowTs);
    const showMin = Math.max(nowMin, 0);
    const kappa = this.explore * Math.max(0.25, 1 - showMin / 240);
    let aovSum = 0;
    for (const p of all) aovSum += aov(p);
    const aovMean = all.length ? aovSum / all.length : 0;
    const { planMinutes, planMean } = planSlots(this.plan);
    const categoryFactor = categoryFactors(all, adj, roomCtr, roomCvr);
    const x: ValueContext = {
      nowMin,
      roomCtr,
      roomCvr,
      lambda,
      mu,
      expoPerMin,
      kappa,
      aovMean,
      planMinutes,
      planMean,
      horizonMin: this.horizonMin,
      elasticity: this.elasticity,
      planPrior: this.planPrior,
      priors: this.priors,
    };

    const out = new Map<string, ProductEstimate>();
    for (const p of all) {
      const est = estimateProduct(p, adj.get(p.id) ?? { e: 0, c: 0, k: 0 }, categoryFactor(p), x);
      const value = est.valueFenPerMin;
      const sd = est.sdFenPerMin;
      est.reasons = this.productReasons(p, est, board, aovMean);
      // Say so when the ranking leans on uncertainty rather than on expected value.
      if (!p.soldOut && kappa * sd > 0.25 * Math.max(value, 1)) {
        est.reasons.unshift({ code: 'exploring', valueFenPerMin: Math.round(value), scoreFenPerMin: Math.round(est.scoreFenPerMin) });
      }
      out.set(p.id, est);
    }
    return out;
  }

  private productReasons(p: PState, e: ProductEstimate, board: BoardFigures, aovMean: number): Reason[] {
    if (p.soldOut) return [{ code: 'soldOut' }];
    const row = board.products.get(p.id);
    const r: Reason[] = vsRoomReasons(row, board.room);
    const orderValue = aov(p);
    if (aovMean > 0 && orderValue >= 1.5 * aovMean) r.push({ code: 'highTicket', aovFen: Math.round(orderValue) });
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

  /** Traffic-state plays from the last minutes of online and entries. */
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

  // ---- learning across shows ------------------------------------------------------------

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
