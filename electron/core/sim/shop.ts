/**
 * What sells: the product explained (exposures, clicks, orders), then the shopping bag (小黄车)
 * at its lower rates; each order's buyer, its ad attribution and stock; refunds minutes later;
 * and the shop's probabilities minute by minute (TruthMinute). Draws from the shop stream (the
 * refunds' timing within their second from the misc stream).
 */
import type { AdPlans } from './ads.ts';
import type { Audience } from './audience.ts';
import type { Host } from './host.ts';
import { MODEL, ctrMult, cvrMult, type Buffer, type Stamp } from './params.ts';
import type { ProductState } from './products.ts';
import type { Rng } from './rng.ts';
import type { Scenario } from './scenario.ts';

/**
 * Per minute, what the shop's dice were thrown with (npm run bench:alerts judges rate alerts on
 * it): exposures and clicks as drawn, and the clicks and orders they were expected to bring.
 */
export interface TruthMinute {
  exposures: number;
  expectedClicks: number;
  clicks: number;
  expectedOrders: number;
}

interface PendingRefund {
  atSec: number;
  orderId: string;
  productId: string;
  qty: number;
  amountFen: number;
  buyerId: string;
}

/** The parts of the room the shop reads and credits. */
export interface ShopRoom {
  scenario: Scenario;
  durationSec: number;
  products: readonly ProductState[];
  audience: Audience;
  ads: AdPlans;
  host: Host;
  rShop: Rng;
  rMisc: Rng;
  ts: Stamp;
  /** Order ids are this prefix and a running number. */
  orderPrefix: string;
  /** Each order, as it is placed (the minute's GMV, the chat's sense of recent orders). */
  onOrder: (amountFen: number) => void;
}

export class Shop {
  private orderCounter = 0;
  private refunds: PendingRefund[] = [];
  private readonly truthMin: TruthMinute[] = [];
  private readonly room: ShopRoom;

  constructor(room: ShopRoom) {
    this.room = room;
  }

  /** The shop's probabilities minute by minute so far; the app never sees them. */
  truthMinutes(): readonly TruthMinute[] {
    return this.truthMin;
  }

  /** The product explained (exposures, clicks, orders), then the shopping bag's. Returns the pinned product's clicks. */
  sell(k: number, buf: Buffer, p: ProductState | null, flashOn: boolean, online: number, entries: number): number {
    const { audience, rShop, ts } = this.room;
    const paidFactor = this.room.scenario.traffic.paidCvrFactor ?? 1.3;
    const paidMix = online > 0 ? (audience.onlineOrganic.length + paidFactor * audience.onlinePaid.length) / online : 1;
    let pinClicks = 0;
    if (p) {
      const expo = rShop.poisson(online * MODEL.pinExposurePerViewerSec + entries * MODEL.pinExposurePerEntry);
      const ctr = p.soldOut ? p.spec.truth.ctr * MODEL.soldOutCtrFactor * ctrMult(p.freshness) : p.spec.truth.ctr * ctrMult(p.freshness) * (flashOn ? MODEL.flashCtr : 1);
      pinClicks = rShop.binomial(expo, Math.min(1, ctr));
      if (expo > 0) buf.push({ type: 'exposure', ts: ts(k, 990), productId: p.spec.id, n: expo });
      if (pinClicks > 0) buf.push({ type: 'click', ts: ts(k, 991), productId: p.spec.id, n: pinClicks });
      const cvr = p.soldOut ? 0 : Math.min(1, p.spec.truth.cvr * cvrMult(p.freshness) * (flashOn ? MODEL.flashCvr : 1) * paidMix);
      this.noteTruth(k, expo, Math.min(1, ctr), pinClicks, cvr);
      if (!p.soldOut && pinClicks > 0) {
        const n = rShop.binomial(pinClicks, cvr);
        for (let i = 0; i < n; i++) this.order(p, k, buf, flashOn);
      }
    }
    if (online > 0) this.bag(k, buf, p, online, paidMix);
    return pinClicks;
  }

  /** Refunds whose time has come, as `order` events with status refunded. */
  refundsDue(k: number, buf: Buffer): void {
    if (!this.refunds.length || (this.refunds[0]?.atSec ?? Infinity) > k) return;
    const due = this.refunds.filter((r) => r.atSec <= k);
    this.refunds = this.refunds.filter((r) => r.atSec > k);
    for (const r of due) {
      buf.push({ type: 'order', ts: this.room.ts(k, this.room.rMisc.int(0, 989)), orderId: r.orderId, productId: r.productId, qty: r.qty, amountFen: r.amountFen, status: 'refunded', buyerId: r.buyerId });
    }
  }

  /** The shopping bag: every product but the one explained, by its weight, at the bag's lower rates. */
  private bag(k: number, buf: Buffer, p: ProductState | null, online: number, paidMix: number): void {
    const { products, rShop, host } = this.room;
    let bagW = 0;
    for (const q of products) if (q !== p) bagW += q.bagWeight;
    if (bagW <= 0) return;
    const bagMean = online * MODEL.bagExposurePerViewerSec;
    for (const q of products) {
      if (q === p || q.bagWeight <= 0) continue;
      const expo = rShop.poisson((bagMean * q.bagWeight) / bagW);
      if (expo === 0) continue;
      q.bagExposures += expo;
      const ctr = q.spec.truth.ctr * MODEL.bagCtrFactor * ctrMult(q.freshness) * (q.soldOut ? MODEL.soldOutCtrFactor : 1);
      const clicks = rShop.binomial(expo, Math.min(1, ctr));
      q.bagClicks += clicks;
      const flashQ = host.flash?.productId === q.spec.id;
      const cvr = q.soldOut ? 0 : Math.min(1, q.spec.truth.cvr * MODEL.bagCvrFactor * cvrMult(q.freshness) * paidMix * (flashQ ? MODEL.flashCvr : 1));
      this.noteTruth(k, expo, Math.min(1, ctr), clicks, cvr);
      if (clicks > 0 && !q.soldOut) {
        const n = rShop.binomial(clicks, cvr);
        for (let i = 0; i < n; i++) this.order(q, k, buf, flashQ);
      }
    }
  }

  private order(p: ProductState, k: number, buf: Buffer, viaFlash: boolean): void {
    if (p.soldOut) return;
    const { rShop, host } = this.room;
    let qty: number = viaFlash ? 1 : rShop.weighted(MODEL.qty.values, MODEL.qty.weights);
    if (p.stock !== null) qty = Math.min(qty, p.stock);
    if (viaFlash && host.flash) qty = Math.min(qty, host.flash.remaining);
    if (qty <= 0) return;
    const buyer = this.drawBuyer();
    if (buyer === null) return;
    const amountFen = p.priceFen * qty;
    const orderId = `${this.room.orderPrefix}${String(++this.orderCounter).padStart(7, '0')}`;
    const ts = this.room.ts(k, rShop.int(0, 989));
    buf.push({ type: 'order', ts, orderId, productId: p.spec.id, qty, amountFen, status: 'paid', buyerId: `u${buyer}` });
    this.room.onOrder(amountFen);
    const planIdx = this.room.audience.planOf(buyer);
    if (planIdx !== undefined) this.room.ads.creditOrder(planIdx, amountFen);
    if (viaFlash && host.flash) host.flash.remaining -= qty;
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
    if (rShop.chance(this.room.scenario.refundRate ?? 0.04)) this.scheduleRefund(k, { orderId, productId: p.spec.id, qty, amountFen, buyerId: `u${buyer}` });
  }

  /** Buyer: an online viewer; paid viewers are more (or less) likely to buy by paidCvrFactor. Null when the room is empty. */
  private drawBuyer(): number | null {
    const { audience, rShop } = this.room;
    const paidFactor = this.room.scenario.traffic.paidCvrFactor ?? 1.3;
    const wOrg = audience.onlineOrganic.length;
    const wPaid = audience.onlinePaid.length * paidFactor;
    if (wOrg + wPaid <= 0) return null;
    const fromPaid = rShop.next() * (wOrg + wPaid) >= wOrg;
    const arr = fromPaid ? audience.onlinePaid : audience.onlineOrganic;
    return arr[rShop.int(0, arr.length - 1)] as number;
  }

  /** Refunds come minutes later (buyers change their minds, 拍错/不想要了); ones past the end are lost. */
  private scheduleRefund(k: number, order: Omit<PendingRefund, 'atSec'>): void {
    const atSec = k + this.room.rShop.int(120, 1500);
    if (atSec >= this.room.durationSec) return;
    const r: PendingRefund = { atSec, ...order };
    const at = this.refunds.findIndex((x) => x.atSec > atSec);
    if (at < 0) this.refunds.push(r);
    else this.refunds.splice(at, 0, r);
  }

  private noteTruth(k: number, exposures: number, ctr: number, clicks: number, cvr: number): void {
    const m = Math.floor(k / 60);
    while (this.truthMin.length <= m) this.truthMin.push({ exposures: 0, expectedClicks: 0, clicks: 0, expectedOrders: 0 });
    const t = this.truthMin[m]!;
    t.exposures += exposures;
    t.expectedClicks += exposures * ctr;
    t.clicks += clicks;
    t.expectedOrders += clicks * cvr;
  }
}
