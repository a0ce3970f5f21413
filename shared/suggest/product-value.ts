/**
 * What each product is worth if pinned now (the model in engine.ts's header): the room's fresh
 * rates, how the shopping bag relates to explaining, the priors a product starts from, and its
 * estimate — value, uncertainty and score. Pure functions of the engine's evidence.
 */
import type { ProductRole } from '../protocol.ts';
import { ctrLift, cvrLift, freshnessAtStarts, freshnessNow, gammaRate, meanLiftOver } from './estimators.ts';
import type { PState } from './evidence.ts';
import type { LearnedPriors, ProductEstimate } from './types.ts';

/** Role factors on the room's click-through / conversion before any evidence (seeds: 引流款 draws clicks, 利润款 converts less). */
const ROLE_PRIOR: Record<ProductRole, { ctr: number; cvr: number }> = {
  traffic: { ctr: 1.2, cvr: 1.2 },
  hero: { ctr: 1.1, cvr: 1.1 },
  profit: { ctr: 0.85, cvr: 0.75 },
  new: { ctr: 0.95, cvr: 0.85 },
};
export const DEFAULT_CTR = 0.07;
export const DEFAULT_CVR = 0.045;
/** prior weights: fresh-equivalent exposures (ctr) and clicks (cvr) a prior is worth */
const W_CTR = 250;
const W_CVR = 25;
/** the shopping bag's evidence counts for this share of pinned evidence (its relation is estimated) */
const BAG_WEIGHT = 0.5;
/** a product's learned prior is used once an earlier show saw this many clicks of it explained */
export const LEARNED_MIN_CLICKS = 30;

/** A product's pinned evidence at full freshness: adjusted exposures `e`, clicks `c`, adjusted clicks `k`. */
export interface FreshEvidence {
  e: number;
  c: number;
  k: number;
}

/** What every product's estimate shares: the room, the show so far and the engine's settings. */
export interface ValueContext {
  nowMin: number;
  roomCtr: number;
  roomCvr: number;
  /** bag clicks per expected click, bag orders per expected order (bagRelation) */
  lambda: number;
  mu: number;
  expoPerMin: number;
  /** exploration weight now */
  kappa: number;
  aovMean: number;
  planMinutes: ReadonlyMap<string, number>;
  planMean: number;
  horizonMin: number;
  elasticity: number;
  planPrior: number;
  priors: LearnedPriors | null;
}

/** Expected money per order: the current price × the items per order seen (shrunk toward 1.1). */
export function aov(p: PState): number {
  const qty = (p.items + 1.1 * 5) / (p.orders + 5);
  return p.priceFen * qty;
}

/**
 * Room level: pooled fresh rates of what has been explained, shrunk toward generic defaults (or
 * toward what earlier shows taught); and each product's fresh evidence they pool.
 */
export function roomRates(all: readonly PState[], nowMin: number, priors: LearnedPriors | null): { adj: Map<string, FreshEvidence>; roomCtr: number; roomCvr: number } {
  let rc = 0;
  let re = 0;
  let ro = 0;
  let rk = 0;
  const adj = new Map<string, FreshEvidence>();
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
  const roomCtr = gammaRate(rc, re, priors?.ctr ?? DEFAULT_CTR, 2000).mean;
  const roomCvr = gammaRate(ro, rk, priors?.cvr ?? DEFAULT_CVR, 100).mean;
  return { adj, roomCtr, roomCvr };
}

/** How the shopping bag relates to explaining, from products seen both ways. */
export function bagRelation(all: readonly PState[], adj: ReadonlyMap<string, FreshEvidence>): { lambda: number; mu: number } {
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
  return { lambda, mu };
}

/** Planned minutes per product on the run-of-show, and the mean over the products it plans. */
export function planSlots(plan: readonly { productId: string; minutes: number }[]): { planMinutes: Map<string, number>; planMean: number } {
  const planMinutes = new Map<string, number>();
  for (const i of plan) planMinutes.set(i.productId, (planMinutes.get(i.productId) ?? 0) + i.minutes);
  const planMean = planMinutes.size ? [...planMinutes.values()].reduce((a, b) => a + b, 0) / planMinutes.size : 0;
  return { planMinutes, planMean };
}

/**
 * Category: how the explained goods of each kind did against the room (log ratios), so an
 * untested product starts near its kind. Leave-one-out: a product's own evidence is not its prior.
 */
export function categoryFactors(
  all: readonly PState[],
  adj: ReadonlyMap<string, FreshEvidence>,
  roomCtr: number,
  roomCvr: number,
): (p: PState) => { ctr: number; cvr: number } {
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
  return (p: PState): { ctr: number; cvr: number } => {
    const c = p.category ? catLog.get(p.category) : undefined;
    if (!c) return { ctr: 1, cvr: 1 };
    const own = ownLog.get(p.id);
    const n = c.n - (own ? 1 : 0);
    if (n <= 0) return { ctr: 1, cvr: 1 };
    // Shrunk toward the room (one pseudo product at ratio 1), and only half-way: kinds vary within.
    return { ctr: Math.exp((0.5 * (c.ctr - (own?.ctr ?? 0))) / (n + 1)), cvr: Math.exp((0.5 * (c.cvr - (own?.cvr ?? 0))) / (n + 1)) };
  };
}

/** One product's estimate (its reasons are added by the engine). `catF`: its category factor. */
export function estimateProduct(p: PState, a: FreshEvidence, catF: { ctr: number; cvr: number }, x: ValueContext): ProductEstimate {
  const { roomCtr, roomCvr, nowMin } = x;
  // What an earlier show taught counts only as far as it rested on evidence of its own.
  const taught = x.priors?.products[p.id];
  const learned = taught && taught.clicks >= LEARNED_MIN_CLICKS ? taught : undefined;
  const roleF = p.role ? (x.priors?.roles[p.role] ? { ctr: (x.priors.roles[p.role]?.ctr ?? roomCtr) / roomCtr, cvr: (x.priors.roles[p.role]?.cvr ?? roomCvr) / roomCvr } : ROLE_PRIOR[p.role]) : { ctr: 1, cvr: 1 };
  // Before evidence: the room's rates by role; dearer goods convert less; the team's plan
  // gives longer slots to what it expects to sell (its minutes relative to the mean slot).
  const planned = x.planMinutes.get(p.id);
  const planF = planned !== undefined && x.planMean > 0 ? Math.pow(planned / x.planMean, x.planPrior) : 1;
  const priceF = x.aovMean > 0 ? Math.pow(aov(p) / x.aovMean, -x.elasticity) : 1;
  const ctrPrior = learned ? learned.ctr : roomCtr * roleF.ctr * catF.ctr * Math.sqrt(planF);
  const cvrPrior = learned ? learned.cvr : Math.min(0.9, roomCvr * roleF.cvr * catF.cvr * priceF * Math.sqrt(planF));
  // Bag evidence, rescaled to "as if explained", at half weight.
  const ctr = gammaRate(a.c + BAG_WEIGHT * p.bClicks, a.e + BAG_WEIGHT * p.bExpoAdj * x.lambda, ctrPrior, learned ? W_CTR * Math.min(3, 1 + learned.clicks / 100) : W_CTR);
  const cvr = gammaRate(p.pOrders + BAG_WEIGHT * p.bOrders, a.k + BAG_WEIGHT * p.bClicksAdj * x.mu, cvrPrior, learned ? W_CVR * Math.min(3, 1 + learned.orders / 20) : W_CVR);
  const f = freshnessNow(p.stretches, p.halfLifeMin, nowMin);
  const orderValue = aov(p);
  const lift = meanLiftOver(f, x.horizonMin, p.halfLifeMin);
  let value = p.soldOut ? 0 : x.expoPerMin * ctr.mean * cvr.mean * orderValue * lift;
  const relSd = Math.sqrt((ctr.sd / Math.max(ctr.mean, 1e-9)) ** 2 + (cvr.sd / Math.max(cvr.mean, 1e-9)) ** 2);
  let sd = value * relSd;
  // Stock caps what it can sell in the horizon.
  if (p.stock !== null && !p.soldOut) {
    const cap = (p.stock * orderValue) / x.horizonMin;
    if (value > cap) {
      value = cap;
      sd = Math.min(sd, cap);
    }
  }
  const last = p.stretches[p.stretches.length - 1];
  const explainedMin = p.stretches.reduce((s, st) => s + ((st.endMin ?? nowMin) - st.startMin), 0);
  const restedMin = last ? (last.endMin === null ? null : nowMin - last.endMin) : null;
  return {
    productId: p.id,
    title: p.title,
    role: p.role,
    priceFen: p.priceFen,
    valueFenPerMin: value,
    sdFenPerMin: sd,
    scoreFenPerMin: value + x.kappa * sd,
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
}
