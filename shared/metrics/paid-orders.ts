/**
 * The paid orders of a session, by `orderId`: each counted once (METRICS.md), and the one counted
 * is the earliest by (ts, seq), so that replays in any order agree — which is why an order's
 * figures are kept: a duplicate arriving later with an earlier (ts, seq) replaces it.
 *
 * Columnar, because it is the one per-order state a long show must keep: an eight-hour show of a
 * busy room holds tens of thousands of orders, and an object per order cost ~190 bytes; a row here
 * costs ~100 (the id's map entry, five numbers, two indexes).
 */
export interface PaidOrder {
  ts: number;
  seq: number;
  productId: string;
  qty: number;
  amountFen: number;
  buyerId: string | undefined;
}

export class PaidOrders {
  private readonly rowOf = new Map<string, number>();
  private n = 0;
  private ts = new Float64Array(256);
  private seq = new Float64Array(256);
  private qty = new Float64Array(256);
  private amount = new Float64Array(256);
  private product = new Int32Array(256);
  private buyer = new Int32Array(256);
  private readonly productIds: string[] = [];
  private readonly productIdx = new Map<string, number>();
  private readonly buyerIds: string[] = [];
  private readonly buyerIdx = new Map<string, number>();
  /** Counted paid orders per buyer (index): a buyer counts while above 0. */
  private buyerOrders = new Int32Array(256);
  private distinctBuyers = 0;

  /** Orders counted. */
  get size(): number {
    return this.n;
  }

  /** Distinct buyers of the counted orders. */
  get buyers(): number {
    return this.distinctBuyers;
  }

  get(orderId: string): PaidOrder | undefined {
    const r = this.rowOf.get(orderId);
    if (r === undefined) return undefined;
    const b = this.buyer[r]!;
    return { ts: this.ts[r]!, seq: this.seq[r]!, productId: this.productIds[this.product[r]!]!, qty: this.qty[r]!, amountFen: this.amount[r]!, buyerId: b < 0 ? undefined : this.buyerIds[b] };
  }

  /** Counts `o` under `orderId`, replacing what was counted for it before. */
  set(orderId: string, o: PaidOrder): void {
    let r = this.rowOf.get(orderId);
    if (r === undefined) {
      r = this.n++;
      this.grow(this.n);
      this.rowOf.set(orderId, r);
    } else this.countBuyer(this.buyer[r]!, -1);
    this.ts[r] = o.ts;
    this.seq[r] = o.seq;
    this.qty[r] = o.qty;
    this.amount[r] = o.amountFen;
    this.product[r] = intern(o.productId, this.productIds, this.productIdx);
    const b = o.buyerId === undefined ? -1 : intern(o.buyerId, this.buyerIds, this.buyerIdx);
    if (b >= this.buyerOrders.length) this.buyerOrders = growInt(this.buyerOrders, b + 1);
    this.buyer[r] = b;
    this.countBuyer(b, 1);
  }

  private countBuyer(b: number, sign: 1 | -1): void {
    if (b < 0) return;
    const before = this.buyerOrders[b]!;
    this.buyerOrders[b] = before + sign;
    if (before === 0 && sign === 1) this.distinctBuyers++;
    else if (before === 1 && sign === -1) this.distinctBuyers--;
  }

  private grow(rows: number): void {
    if (rows <= this.ts.length) return;
    this.ts = growFloat(this.ts, rows);
    this.seq = growFloat(this.seq, rows);
    this.qty = growFloat(this.qty, rows);
    this.amount = growFloat(this.amount, rows);
    this.product = growInt(this.product, rows);
    this.buyer = growInt(this.buyer, rows);
  }
}

function intern(id: string, list: string[], index: Map<string, number>): number {
  let i = index.get(id);
  if (i === undefined) {
    i = list.length;
    list.push(id);
    index.set(id, i);
  }
  return i;
}

function growFloat(a: Float64Array<ArrayBuffer>, atLeast: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(atLeast, a.length * 2));
  b.set(a);
  return b;
}

function growInt(a: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(atLeast, a.length * 2));
  b.set(a);
  return b;
}
