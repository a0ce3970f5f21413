/**
 * The products in the room as the model holds them: price, stock, freshness (interest that fades
 * while a product is explained and comes back while it rests), the shopping bag's weight and the
 * bag's batched counts.
 */
import type { Product } from '../../../shared/protocol.ts';
import { MODEL, QTY_MEAN, ctrMult, cvrMult, type Buffer } from './params.ts';
import type { Scenario, ScenarioProduct } from './scenario.ts';
import { isApparel } from './texts.ts';

const ROLE_BAG_WEIGHT = { traffic: 1.5, hero: 1.3, profit: 1, new: 0.8 } as const;

export interface ProductState {
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

export function createProducts(scenario: Scenario): ProductState[] {
  return scenario.products.map((spec, i) => {
    const recoveryMin = spec.truth.recoveryHalfLifeMin ?? spec.truth.fatigueHalfLifeMin * 1.5;
    return {
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
  });
}

/** The catalog as the app sees it: everything but `truth`. */
export function catalogOf(products: readonly ProductState[]): Product[] {
  return products.map((p) => {
    const s = p.spec;
    const out: Product = { id: s.id, title: s.title, priceFen: p.priceFen };
    if (p.stock !== null) out.stock = p.stock;
    if (s.role) out.role = s.role;
    if (s.costFen !== undefined) out.costFen = s.costFen;
    if (s.tags) out.tags = [...s.tags];
    return out;
  });
}

/** What each product would do if pinned now; `flashProductId` is the product on a flash deal, if any. */
export function truthRows(products: readonly ProductState[], flashProductId: string | null): TruthRow[] {
  return products.map((p) => {
    const flash = flashProductId === p.spec.id;
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
 * Expected GMV (yuan) per room entry while `p` is pinned at freshness `f` — the closed form of
 * the per-second model in steady state (online = entries × stay).
 */
export function valuePerEntry(products: readonly ProductState[], p: ProductState, f: number, staySec: number): number {
  const tr = p.spec.truth;
  const hookEff = tr.hook * (0.4 + 0.6 * f);
  const e = 0.6 + 0.3 * f + hookEff;
  const stay = staySec * (1 + hookEff) * (0.85 + 0.15 * f) * (0.9 + 0.1 * e);
  const pinExpo = stay * MODEL.pinExposurePerViewerSec + MODEL.pinExposurePerEntry;
  const pinned = pinExpo * tr.ctr * ctrMult(f) * tr.cvr * cvrMult(f) * p.basePriceFen;
  let bagW = 0;
  let bagV = 0;
  for (const q of products) {
    if (q === p) continue;
    bagW += q.bagWeight;
    bagV += q.bagWeight * q.spec.truth.ctr * MODEL.bagCtrFactor * q.spec.truth.cvr * MODEL.bagCvrFactor * q.basePriceFen;
  }
  const bag = bagW > 0 ? stay * MODEL.bagExposurePerViewerSec * (bagV / bagW) * ctrMult(0.9) * cvrMult(0.9) : 0;
  return ((pinned + bag) * QTY_MEAN) / 100;
}

/** Interest fades while a product is explained and comes back while it rests. */
export function fade(products: readonly ProductState[], p: ProductState | null): void {
  for (const q of products) {
    if (q === p) q.freshness *= q.decayPerSec;
    else q.freshness = 1 - (1 - q.freshness) * q.recoverPerSec;
  }
}

export function flushBag(products: readonly ProductState[], buf: Buffer, ts: number): void {
  for (const q of products) {
    if (q.bagExposures > 0) buf.push({ type: 'exposure', ts, productId: q.spec.id, n: q.bagExposures });
    if (q.bagClicks > 0) buf.push({ type: 'click', ts, productId: q.spec.id, n: q.bagClicks });
    q.bagExposures = 0;
    q.bagClicks = 0;
  }
}

export function flushStock(products: readonly ProductState[], buf: Buffer, ts: number): void {
  for (const q of products) {
    if (!q.stockDirty || q.stock === null) continue;
    q.stockDirty = false;
    buf.push({ type: 'product', ts, productId: q.spec.id, stock: q.stock });
  }
}

/** What viewers would call a product when the scenario gives no shortName: its last two characters. */
function defaultShortName(title: string): string {
  const clean = title.replace(/[\s【】[\]()（）\d.,，。/]+/g, '');
  return clean.length <= 4 ? clean || title : clean.slice(-2);
}
