/**
 * How each feed event changes the session's figures: the aggregator's hot path (see
 * aggregator.ts for the METRICS.md interpretations these handlers follow).
 *
 * `ingest` only does O(1) bookkeeping plus an append to a time-sorted array (binary insertion for
 * the rare out-of-order event); each event type has its handler, one call away.
 */
import { ROOM_WIDE_PRODUCT, type KnownFeedEvent } from '../protocol.ts';
import { keyBefore, upperBoundKey } from './series.ts';
import { MAX_SESSION_MINUTES, MINUTE_MS } from './window.ts';
import type { PaidOrder } from './paid-orders.ts';
import { SessionTally, type CatalogEntry, type Stamped } from './tally.ts';

/** Events between compactions (each compaction is one pass over the entries before the horizon). */
const COMPACT_EVERY = 8192;

type Ev<T extends KnownFeedEvent['type']> = Extract<KnownFeedEvent, { type: T }>;

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

function newer<T>(cur: Stamped<T> | null, ts: number, seq: number): boolean {
  return cur === null || !keyBefore(ts, seq, cur.ts, cur.seq);
}

export class SessionIngest extends SessionTally {
  ingest(e: KnownFeedEvent): void {
    const ts = e.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return;
    const m = this.minuteOf(ts);
    if (m >= MAX_SESSION_MINUTES) return;
    const at = ts < this.startedAt ? this.startedAt : ts;
    if (ts > this.newestTs) this.newestTs = ts;
    if (++this.sinceCompaction >= COMPACT_EVERY) this.compact();
    switch (e.type) {
      case 'enter':
        return this.ingestEnter(e, m, at);
      case 'like':
        return this.ingestLike(e, m);
      case 'comment':
        return this.ingestComment(m);
      case 'follow':
        return this.ingestFollow(e, m);
      case 'share':
        return this.ingestShare(e, m);
      case 'fansclub':
        return this.ingestFansclub(e, m);
      case 'gift':
        return this.ingestGift(e, m);
      case 'exposure':
        return this.ingestExposure(e, m, at);
      case 'click':
        return this.ingestClick(e, m, at);
      case 'order':
        if (e.status === 'paid') this.ingestPaid(e);
        else if (e.status === 'refunded') this.ingestRefund(e, m);
        return;
      case 'ad':
        return this.ingestAd(e, m);
      case 'viewers':
        return this.ingestViewers(e, m);
      case 'pin':
        return this.ingestPin(e, m);
      case 'product':
        return this.ingestProduct(e);
      case 'catalog':
        return this.ingestCatalog(e);
      case 'session':
        if (e.status === 'ended') this.end(ts);
        return;
      default:
        // marker and anything a future protocol adds: no metric depends on them.
        return;
    }
  }

  /** The latest call (or `ended` event) wins only if it is later: an end never moves back. */
  end(endTs: number): void {
    if (!Number.isFinite(endTs)) return;
    const t = Math.min(Math.max(endTs, this.startedAt), this.startedAt + MAX_SESSION_MINUTES * MINUTE_MS);
    if (this.ended === null || t > this.ended) {
      const from = this.ended === null ? t : Math.min(this.ended, t);
      this.ended = t;
      this.touch(this.minuteOf(from));
    }
  }

  /** Merges old series entries between the same boundaries (see the header's "Memory"). */
  private compact(): void {
    this.sinceCompaction = 0;
    const horizon = this.newestTs - this.compactHorizonMs;
    if (horizon <= this.startedAt) return;
    const boundaries = [this.startedAt, ...this.pinTs];
    if (this.ended !== null) boundaries.push(this.ended);
    boundaries.sort((a, b) => a - b);
    this.enterSeries.compactBefore(horizon, boundaries);
    for (const p of this.products.values()) {
      p.exposureSeries.compactBefore(horizon, boundaries);
      p.clickSeries.compactBefore(horizon, boundaries);
      p.orderSeries.compactBefore(horizon, boundaries);
    }
  }

  // ---- the audience ---------------------------------------------------------------------------

  private ingestEnter(e: Ev<'enter'>, m: number, at: number): void {
    const n = num(e.n);
    this.row(m).enters += n;
    this.enters += n;
    const src = e.source !== undefined && Object.hasOwn(this.entersBySource, e.source) ? e.source : 'other';
    this.entersBySource[src] += n;
    this.enterSeries.add(at, n);
    this.touch(m);
  }

  private ingestLike(e: Ev<'like'>, m: number): void {
    const ts = e.ts;
    const r = this.row(m);
    if (typeof e.total === 'number' && Number.isFinite(e.total)) {
      if (e.total > r.likesMaxTotal) r.likesMaxTotal = e.total;
      if (e.total > this.likesMaxTotal) this.likesMaxTotal = e.total;
      const first = this.likesFirst;
      if (first === null || keyBefore(ts, e.seq, first.ts, first.seq)) this.likesFirst = { ts, seq: e.seq, total: e.total, n: num(e.n) };
    }
    const n = num(e.n);
    r.likesN += n;
    this.likesN += n;
    this.touch(m);
  }

  private ingestComment(m: number): void {
    this.row(m).comments += 1;
    this.comments += 1;
    this.touch(m);
  }

  private ingestFollow(e: Ev<'follow'>, m: number): void {
    const n = num(e.n);
    this.row(m).follows += n;
    this.follows += n;
    this.touch(m);
  }

  private ingestShare(e: Ev<'share'>, m: number): void {
    const n = num(e.n);
    this.row(m).shares += n;
    this.shares += n;
    this.touch(m);
  }

  private ingestFansclub(e: Ev<'fansclub'>, m: number): void {
    const n = num(e.n);
    this.row(m).fansclub += n;
    this.fansclub += n;
    this.touch(m);
  }

  private ingestGift(e: Ev<'gift'>, m: number): void {
    const v = num(e.valueFen);
    this.row(m).giftFen += v;
    this.giftFen += v;
    this.touch(m);
  }

  private ingestViewers(e: Ev<'viewers'>, m: number): void {
    const ts = e.ts;
    // A snapshot of cumulative figures only (no `online`) leaves the online step function as it was.
    if (typeof e.online === 'number') this.online.add(ts, e.seq, num(e.online));
    if (typeof e.uv === 'number' && newer(this.uv, ts, e.seq)) this.uv = { ts, seq: e.seq, value: e.uv };
    if (typeof e.pv === 'number' && newer(this.pv, ts, e.seq)) this.pv = { ts, seq: e.seq, value: e.pv };
    if (typeof e.watchSeconds === 'number' && newer(this.watchSeconds, ts, e.seq)) {
      this.watchSeconds = { ts, seq: e.seq, value: e.watchSeconds };
    }
    this.touch(m);
  }

  // ---- products and pins ----------------------------------------------------------------------

  private ingestExposure(e: Ev<'exposure'>, m: number, at: number): void {
    const n = num(e.n);
    this.row(m).exposures += n;
    this.exposures += n;
    const p = this.product(e.productId);
    p.exposures += n;
    p.exposureSeries.add(at, n);
    this.touch(m);
  }

  private ingestClick(e: Ev<'click'>, m: number, at: number): void {
    const n = num(e.n);
    this.row(m).clicks += n;
    this.clicks += n;
    if (e.productId === ROOM_WIDE_PRODUCT) return this.touch(m);
    const p = this.product(e.productId);
    p.clicks += n;
    p.clickSeries.add(at, n);
    this.touch(m);
  }

  private ingestPin(e: Ev<'pin'>, m: number): void {
    const id = typeof e.productId === 'string' ? e.productId : null;
    const i = upperBoundKey(this.pinTs, this.pinSeq, e.ts, e.seq);
    this.pinTs.splice(i, 0, e.ts);
    this.pinSeq.splice(i, 0, e.seq);
    this.pinProduct.splice(i, 0, id);
    if (id !== null) this.product(id);
    this.touch(m);
  }

  private ingestProduct(e: Ev<'product'>): void {
    const ts = e.ts;
    const p = this.product(e.productId);
    if (typeof e.priceFen === 'number' && newer(p.priceFen, ts, e.seq)) p.priceFen = { ts, seq: e.seq, value: e.priceFen };
    if (typeof e.stock === 'number' && newer(p.stock, ts, e.seq)) p.stock = { ts, seq: e.seq, value: e.stock };
    if (typeof e.soldOut === 'boolean' && newer(p.soldOut, ts, e.seq)) p.soldOut = { ts, seq: e.seq, value: e.soldOut };
  }

  private ingestCatalog(e: Ev<'catalog'>): void {
    if (!Array.isArray(e.products)) return;
    const ts = e.ts;
    const entries: CatalogEntry[] = [];
    for (const product of e.products) {
      const entry = { ts, seq: e.seq, product };
      entries.push(entry);
      const prev = this.known.get(product.id);
      if (prev === undefined || !keyBefore(ts, e.seq, prev.ts, prev.seq)) this.known.set(product.id, entry);
    }
    const key = this.catalogKey;
    if (key === null || !keyBefore(ts, e.seq, key.ts, key.seq)) {
      this.catalog = entries;
      this.catalogKey = { ts, seq: e.seq };
    }
  }

  // ---- orders, refunds and ads ----------------------------------------------------------------

  private ingestPaid(e: Ev<'order'>): void {
    const prev = this.paid.get(e.orderId);
    if (prev !== undefined) {
      if (!keyBefore(e.ts, e.seq, prev.ts, prev.seq)) return;
      this.applyPaid(prev, -1);
    }
    const rec: PaidOrder = { ts: e.ts, seq: e.seq, productId: e.productId, qty: num(e.qty), amountFen: num(e.amountFen), buyerId: typeof e.buyerId === 'string' ? e.buyerId : undefined };
    this.paid.set(e.orderId, rec);
    this.applyPaid(rec, 1);
  }

  /** sign −1 undoes an order that an earlier duplicate replaces (the order store itself is updated by the caller). */
  private applyPaid(o: PaidOrder, sign: 1 | -1): void {
    const minute = this.minuteOf(o.ts);
    // ts clamped to the session start: the key in the product's order series.
    const at = o.ts < this.startedAt ? this.startedAt : o.ts;
    const r = this.row(minute);
    r.orders += sign;
    r.items += sign * o.qty;
    r.gmvFen += sign * o.amountFen;
    this.items += sign * o.qty;
    this.gmvFen += sign * o.amountFen;
    const p = this.product(o.productId);
    p.orders += sign;
    p.items += sign * o.qty;
    p.gmvFen += sign * o.amountFen;
    if (sign === 1) p.orderSeries.add(at, o.amountFen);
    else p.orderSeries.remove(at, o.amountFen);
    this.touch(minute);
  }

  private ingestRefund(e: Ev<'order'>, m: number): void {
    // A refund of an order paid before the session still names a product the room sells.
    this.product(e.productId);
    const prev = this.refunds.get(e.orderId);
    if (prev !== undefined) {
      if (!keyBefore(e.ts, e.seq, prev.ts, prev.seq)) return;
      this.row(prev.minute).refundFen -= prev.amountFen;
      this.refundFen -= prev.amountFen;
      this.touch(prev.minute);
    }
    const amountFen = num(e.amountFen);
    this.refunds.set(e.orderId, { ts: e.ts, seq: e.seq, minute: m, amountFen });
    this.row(m).refundFen += amountFen;
    this.refundFen += amountFen;
    this.touch(m);
  }

  /**
   * Per-minute spend is the telescoping sum of each report's increase over the report before it
   * (in ts order), credited to the report's minute. An out-of-order report only changes its own
   * increase and that of the report right after it.
   */
  private ingestAd(e: Ev<'ad'>, m: number): void {
    let plan = this.plans.get(e.planId);
    if (plan === undefined) {
      plan = { ts: [], seq: [], minute: [], spend: [], gmv: [] };
      this.plans.set(e.planId, plan);
    }
    const spend = num(e.spendFen);
    const gmv = num(e.gmvFen);
    const n = plan.ts.length;
    const i = upperBoundKey(plan.ts, plan.seq, e.ts, e.seq);
    const prevSpend = i > 0 ? plan.spend[i - 1]! : 0;
    this.row(m).adSpendFen += spend - prevSpend;
    this.touch(m);
    if (i < n) {
      const nextMinute = plan.minute[i]!;
      this.row(nextMinute).adSpendFen -= spend - prevSpend;
      plan.ts.splice(i, 0, e.ts);
      plan.seq.splice(i, 0, e.seq);
      plan.minute.splice(i, 0, m);
      plan.spend.splice(i, 0, spend);
      plan.gmv.splice(i, 0, gmv);
    } else {
      this.adSpendFen += spend - (n > 0 ? plan.spend[n - 1]! : 0);
      this.adGmvFen += gmv - (n > 0 ? plan.gmv[n - 1]! : 0);
      plan.ts.push(e.ts);
      plan.seq.push(e.seq);
      plan.minute.push(m);
      plan.spend.push(spend);
      plan.gmv.push(gmv);
    }
  }
}
