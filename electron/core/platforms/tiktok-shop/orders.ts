/**
 * TikTok Shop orders (the 202309 model, as `orders/search` lists them and `GET orders?ids=` returns
 * them) → FEED-PROTOCOL `order` events for one LIVE. Pure: no I/O, no clock (the receipt time is
 * passed in), and the LIVE attribution is a decision handed in by the source.
 *
 * Field meanings are the community SDK's (`Models/Order/OrderSearchOrdersResponse.cs`,
 * `OrderBatchGetOrderDetailResponse.cs`): an order has `id`, `status`, `paid_time`, `update_time`
 * (Unix s), `user_id`, `payment{currency, …}` and `line_items[]{id, product_id, sku_id, sale_price,
 * currency, display_status, …}`. The 202309 line item has no quantity: a unit is a line item, so
 * three of one SKU are three line items. Money is a decimal string in the currency's major units.
 *
 * Decisions:
 * - One event per (order, SKU): `orderId` = `${order.id}:${sku_id}` (the product id when a line item
 *   has no sku), `productId` = `product_id`, `qty` = the number of its line items that count,
 *   `amountFen` = the sum of their `sale_price` in minor units of the order's currency (exact, via
 *   money.ts), `currency` = `payment.currency`. That is the FEED-PROTOCOL order (one product, an
 *   integer quantity) and what 抖店's SKU order is; a LIVE's order count is then per SKU line as it is
 *   for 抖店.
 * - Orders carry no LIVE-room field (tiktok-api.md §2). An order counts when the source's rule says
 *   so: `paidInWindow(paid_time)` and, when the rule names products, only line items of those
 *   products count. Anything else is `ignored`, not quarantined.
 * - Paid: `paid_time` > 0 and status not UNPAID (ON_HOLD after payment is the buyer's remorse window:
 *   paid). A CANCELLED order without `paid_time` was never paid: ignored.
 * - Refunded: a paid order whose status is CANCELLED refunds every group whole; otherwise a group
 *   with line items whose `display_status` is CANCELLED (a refund or a cancelled unit) is refunded
 *   for those items (their amount, their count), at `update_time`. Each `orderId` + status is emitted
 *   once, so a second partial refund of the same SKU in the same order, later, is not added (rare:
 *   two units of one SKU refunded at different times); the reconciliation totals from LIVE
 *   analytics sit beside these figures.
 * - Money that is not a plain decimal, has more decimals than its currency, is negative, or is in a
 *   currency money.ts does not know quarantines the whole order (never rounded); so does an order
 *   in another currency than the room's first (a room's money is in one currency, protocol.ts).
 *   A quarantined order changes no state.
 */
import { idOf } from '../common/json.ts';
import { BoundedSet, emptyResult, isObj, quarantine, sourceTs, toCount, type MapResult, type SourceEvent } from '../../sources/common.ts';
import { MoneyError, parseMoney } from './money.ts';

const SRC = 'tiktok-shop';
/** Orders are listed late by design (reconciliation): a pay time up to a day back is the order's own. */
const ORDER_MAX_BEHIND_MS = 24 * 3600_000;
const MAX_LINE_ITEMS = 500;
const MAX_ORDERS_PER_CALL = 10_000;

/** The order statuses of the 202309 model (the SDK's enum). */
export const ORDER_STATUSES: ReadonlySet<string> = new Set(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED', 'CANCELLED']);

/** The source's decision of which orders are this LIVE's. */
export interface AttributionRule {
  /** Does an order paid at this moment (epoch ms) count? */
  paidInWindow(paidAtMs: number): boolean;
  /** Product ids whose line items count; null: all. */
  products: ReadonlySet<string> | null;
}

export interface TikTokShopOrderMapperOptions {
  /** orderId+status pairs remembered for de-duplication (oldest forgotten first). */
  maxRemembered?: number;
}

type OrderEvent = SourceEvent & { type: 'order' };

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

interface Group {
  productId: string;
  paidQty: number;
  paidMinor: number;
  refundQty: number;
  refundMinor: number;
}

/** A product the LIVE sold, as its line items name it: the room's product list when nothing else gives one. */
export interface SoldProduct {
  id: string;
  title: string;
  /** A unit's sale price in minor units of the room's currency. */
  priceMinor: number;
}

const MAX_SOLD_PRODUCTS = 500;

export class TikTokShopOrderMapper {
  private readonly emitted: BoundedSet;
  private roomCurrency: string | null = null;
  private readonly sold = new Map<string, SoldProduct>();
  private soldNew = false;

  constructor(opts: TikTokShopOrderMapperOptions = {}) {
    this.emitted = new BoundedSet(opts.maxRemembered ?? 200_000);
  }

  /**
   * The products the LIVE's orders named since `forget()`, when one was added since the last call;
   * else null. TikTok-Chat-Reader carries no showcase, so this is how a TikTok room's product board
   * and suggestions learn titles and prices.
   */
  takeSoldProducts(): SoldProduct[] | null {
    if (!this.soldNew) return null;
    this.soldNew = false;
    return [...this.sold.values()];
  }

  /** A new broadcast: its products are its own. */
  forgetSoldProducts(): void {
    this.sold.clear();
    this.soldNew = false;
  }

  /** The room's currency: the first order's (null until one was mapped). */
  get currency(): string | null {
    return this.roomCurrency;
  }

  /**
   * Orders (a list, or one) → the LIVE's events. `rule` null: the LIVE window is not known yet, so
   * every order is ignored. Never throws.
   */
  map(orders: unknown, rule: AttributionRule | null, receivedAt: number): MapResult {
    const out = emptyResult();
    const list = Array.isArray(orders) ? orders : [orders];
    if (list.length > MAX_ORDERS_PER_CALL) {
      out.quarantined.push(quarantine(`${SRC}: ${list.length} orders at once (more than ${MAX_ORDERS_PER_CALL})`, list.slice(0, 3)));
      return out;
    }
    for (const o of list) {
      try {
        this.order(out, o, rule, receivedAt);
      } catch (e) {
        out.quarantined.push(quarantine(`${SRC}: order could not be mapped (${e instanceof Error ? e.message : String(e)})`, o));
      }
    }
    return out;
  }

  private order(out: MapResult, o: unknown, rule: AttributionRule | null, receivedAt: number): void {
    if (!isObj(o)) {
      out.quarantined.push(quarantine(`${SRC}: an order is not an object`, o));
      return;
    }
    const bad = (why: string): void => void out.quarantined.push(quarantine(`${SRC}: order ${why}`, o));
    const id = idOf(o.id);
    if (id === null) return bad('id is not an id');
    const status = typeof o.status === 'string' ? o.status : undefined;
    if (status === undefined || !ORDER_STATUSES.has(status)) return bad('status is not one of the 202309 order statuses');
    const paidRaw = o.paid_time ?? 0;
    const paidTime = int(paidRaw);
    if (paidTime === undefined || paidTime < 0) return bad('paid_time is not a Unix time');
    if (paidTime === 0 || status === 'UNPAID') {
      // Placed, or cancelled before paying: not GMV.
      out.ignored++;
      return;
    }
    if (rule === null || !rule.paidInWindow(paidTime * 1000)) {
      out.ignored++;
      return;
    }
    const payment = o.payment;
    if (!isObj(payment)) return bad('without payment');
    const currency = typeof payment.currency === 'string' ? payment.currency.toUpperCase() : '';
    const items = o.line_items;
    if (!Array.isArray(items) || items.length === 0) return bad('without line_items');
    if (items.length > MAX_LINE_ITEMS) return bad(`with ${items.length} line items (more than ${MAX_LINE_ITEMS})`);
    const cancelled = status === 'CANCELLED';
    const groups = new Map<string, Group>();
    const named: SoldProduct[] = [];
    let counted = 0;
    for (const item of items) {
      if (!isObj(item)) return bad('with a line item that is not an object');
      const productId = idOf(item.product_id);
      if (productId === null) return bad('with a line item without product_id');
      const skuId = idOf(item.sku_id) ?? productId;
      if (item.currency !== undefined && item.currency !== null && item.currency !== '' && String(item.currency).toUpperCase() !== currency) return bad(`with a line item in ${String(item.currency).slice(0, 8)}, not the order's ${currency.slice(0, 8)}`);
      let minor: number;
      try {
        minor = parseMoney(item.sale_price, currency).minor;
      } catch (e) {
        if (e instanceof MoneyError) return bad(`sale_price not kept: ${e.message}`);
        throw e;
      }
      if (minor < 0) return bad('with a negative sale_price');
      if (rule.products !== null && !rule.products.has(productId)) continue;
      counted++;
      const title = typeof item.product_name === 'string' && item.product_name.trim() ? item.product_name.trim().slice(0, 200) : productId;
      named.push({ id: productId, title, priceMinor: minor });
      const g = groups.get(skuId) ?? { productId, paidQty: 0, paidMinor: 0, refundQty: 0, refundMinor: 0 };
      g.paidQty++;
      g.paidMinor += minor;
      if (cancelled || item.display_status === 'CANCELLED') {
        g.refundQty++;
        g.refundMinor += minor;
      }
      if (!Number.isSafeInteger(g.paidMinor)) return bad('amounts beyond what is kept exactly');
      groups.set(skuId, g);
    }
    if (counted === 0) {
      // Paid in the window, but none of the LIVE's products.
      out.ignored++;
      return;
    }
    if (this.roomCurrency !== null && currency !== this.roomCurrency) return bad(`in ${currency}, not the room's ${this.roomCurrency}: a room's money is in one currency`);
    this.roomCurrency ??= currency;
    for (const p of named) {
      if (this.sold.has(p.id) || this.sold.size >= MAX_SOLD_PRODUCTS) continue;
      this.sold.set(p.id, p);
      this.soldNew = true;
    }
    const buyer = idOf(o.user_id);
    const paidTs = sourceTs(paidTime * 1000, receivedAt, ORDER_MAX_BEHIND_MS);
    const at = int(o.update_time);
    const refundTs = at !== undefined && at > 0 ? sourceTs(at * 1000, receivedAt, ORDER_MAX_BEHIND_MS) : receivedAt;
    for (const [skuId, g] of groups) {
      const base = { type: 'order' as const, orderId: `${id}:${skuId}`, productId: g.productId, currency, ...(buyer !== null && { buyerId: buyer }) };
      this.emit(out, { ...base, qty: g.paidQty, amountFen: g.paidMinor, status: 'paid', ts: paidTs });
      if (g.refundQty > 0) this.emit(out, { ...base, qty: g.refundQty, amountFen: g.refundMinor, status: 'refunded', ts: refundTs });
    }
  }

  private emit(out: MapResult, e: OrderEvent): void {
    if (this.emitted.add(`${e.orderId}|${e.status}`)) out.events.push(e);
    else out.duplicates++;
  }
}

// ---- LIVE analytics (the platform's own per-LIVE totals) -------------------------------------------

/** One LIVE session as the analytics answer describes it (fields per [PV], unverified). */
export interface LiveSession {
  id: string;
  startMs: number;
  endMs: number | null;
  gmv: { minor: number; currency: string } | null;
  orders: number | null;
}

/**
 * `shop_lives/performance` data → sessions, defensively: `data.live_stream_sessions[]` (what [PV]'s
 * sync worker reads; `shop_lives` is accepted too) of `{ id, start_time, end_time (Unix s),
 * sales_performance{ gmv: {amount, currency} | "amount", sku_orders | orders } }`. A session that
 * cannot be read is listed in `problems`, never guessed. `fallbackCurrency` prices a bare amount.
 */
export function readLiveSessions(data: unknown, fallbackCurrency: string | null): { sessions: LiveSession[]; nextPageToken: string; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(data)) return { sessions: [], nextPageToken: '', problems: ['the answer has no data object'] };
  const list = data.live_stream_sessions ?? data.shop_lives ?? data.sessions;
  const token = typeof data.next_page_token === 'string' && data.next_page_token.length <= 4096 ? data.next_page_token : '';
  if (list === undefined || list === null) return { sessions: [], nextPageToken: token, problems };
  if (!Array.isArray(list)) return { sessions: [], nextPageToken: '', problems: ['live_stream_sessions is not a list'] };
  const sessions: LiveSession[] = [];
  for (const s of list.slice(0, 1000)) {
    if (!isObj(s)) {
      problems.push('a session is not an object');
      continue;
    }
    const id = idOf(s.id) ?? idOf(s.live_id);
    const start = toCount(s.start_time);
    if (id === null || start === undefined || start === 0) {
      problems.push('a session without id or start_time');
      continue;
    }
    const end = toCount(s.end_time);
    const sales = isObj(s.sales_performance) ? s.sales_performance : s;
    let gmv: LiveSession['gmv'] = null;
    const g = sales.gmv;
    if (g !== undefined && g !== null) {
      const amount = isObj(g) ? g.amount : g;
      const currency = (isObj(g) && typeof g.currency === 'string' && g.currency) || fallbackCurrency;
      try {
        if (!currency) throw new MoneyError('no currency');
        gmv = parseMoney(amount, currency);
        if (gmv.minor < 0) throw new MoneyError('negative');
      } catch (e) {
        problems.push(`session ${id}: gmv not kept (${e instanceof Error ? e.message : String(e)})`);
        gmv = null;
      }
    }
    const orders = toCount(sales.sku_orders ?? sales.orders) ?? null;
    sessions.push({ id, startMs: start * 1000, endMs: end === undefined || end === 0 ? null : end * 1000, gmv, orders });
  }
  return { sessions, nextPageToken: token, problems };
}

/** The session that overlaps the window most (ties: the bigger GMV); null when none overlaps. */
export function bestSession(sessions: readonly LiveSession[], window: { startedAt: number; endedAt: number | null }, now: number): LiveSession | null {
  let best: LiveSession | null = null;
  let bestOverlap = 0;
  const wEnd = window.endedAt ?? now;
  for (const s of sessions) {
    const overlap = Math.min(wEnd, s.endMs ?? now) - Math.max(window.startedAt, s.startMs);
    if (overlap <= 0) continue;
    if (overlap > bestOverlap || (overlap === bestOverlap && (s.gmv?.minor ?? 0) > (best?.gmv?.minor ?? 0))) {
      best = s;
      bestOverlap = overlap;
    }
  }
  return best;
}
