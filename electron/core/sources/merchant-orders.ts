/**
 * SOURCES.md §4: the merchant-side order stream (Compass 罗盘 / 百应 automation) → `order` and
 * `click` events in the same room and session as the viewer-side source (see room-mux.ts).
 *
 * Transport: a JSON-lines file that the team's Compass tool appends to, one object per line —
 * the lowest common denominator every scraper or export script can write, that survives either
 * side restarting, and that leaves an audit trail. The file is polled (fs.watch is unreliable on
 * network drives and in containers); a truncated or replaced file is read again from the start,
 * which is safe because orders are de-duplicated. Other transports can call `ingestLine`.
 *
 * Line shapes:
 * - an order: `{ order_id, order_status, order_ts, product_id, product_title, item_num,
 *   nick_name }`, optionally `pay_amt` (fen, the order's paid amount) and `buyer_id`;
 * - Compass's `live_order_stream` response as captured whole, `{ data: [order, …], msg }` — what
 *   the one public tool that automates it (oba-live-tool) reads: each order of `data` as above;
 * - product clicks: `{ product_id, product_click_cnt, ts? }` with the product's cumulative
 *   click count this session (as Compass shows it).
 * Order ids may be bare 19-digit numbers: lines are parsed losslessly (common.ts).
 *
 * Mapping decisions:
 * - `order_status`: 0 and 1 are placed (oba-live-tool reads 1 as placed: 已下单), 3 is paid; the
 *   words 已下单 / 已付款 (that tool's own output) are read the same way. FEED-PROTOCOL's `order`
 *   has no "placed" status and GMV counts paid orders, so a placed order produces no event: it is
 *   counted in the source state (`placedOrders`) and remembered (bounded) so that its paid line
 *   may omit fields the placed line had. A paid order → `order { status: "paid" }`, once per
 *   `order_id` (a repeat, or a re-read file, is a duplicate). Other statuses are quarantined with
 *   the reason — this stream has no refund status to map to `refunded`.
 * - `amountFen` = `pay_amt` when the line has it. Compass's stream has no amount: the order is
 *   then priced from the room's catalog (the product's latest unit price × `item_num`) and says
 *   so (`amountFrom: "catalog"`, counted as `pricedFromCatalog`); no known price → quarantined,
 *   never a made-up amount.
 * - `buyerId` only from a real id (`buyer_id`/`user_id`): `nick_name` is masked in Compass
 *   ("张**") and would merge different buyers.
 * - `ts` = `order_ts` (ms or seconds epoch, or "YYYY-MM-DD HH:mm:ss" Beijing time) by the shared
 *   rule, but accepting up to 24 h back: a tool may list a long show's earlier orders late.
 * - Clicks: deltas of `product_click_cnt` per product; the first value counts whole, because
 *   Compass counts from the broadcast start, which is where the session starts too.
 */
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import {
  CumulativeCounter,
  BoundedSet,
  emptyResult,
  field,
  firstField,
  isObj,
  parseJsonLossless,
  quarantine,
  sourceTs,
  toCount,
  toId,
  toNumber,
  type MapResult,
  type Obj,
} from './common.ts';
import { SourceConnector, type ConnectorOptions } from './connector.ts';
import { LineSplitter } from './lines.ts';

const SRC = 'merchant';
const ORDER_MAX_BEHIND_MS = 24 * 3600_000;
const MAX_PLACED = 20_000;
const MAX_ORDERS_PER_LINE = 1000;

/** Compass's order_status and oba-live-tool's words for it. */
function orderStatus(v: unknown): 'placed' | 'paid' | undefined {
  if (v === '已下单') return 'placed';
  if (v === '已付款' || v === '已支付') return 'paid';
  const n = toNumber(v);
  if (n === 0 || n === 1) return 'placed';
  if (n === 3) return 'paid';
  return undefined;
}

export interface MerchantMapperOptions {
  /** Unit price (fen) of a product when an order line has no `pay_amt`; the room mux's `priceOf`. */
  priceOf?: (productId: string) => number | undefined;
}

export class MerchantOrderMapper {
  private readonly paid = new BoundedSet(200_000);
  private readonly placed = new Map<string, Obj>();
  private readonly clicks = new Map<string, CumulativeCounter>();
  /** Orders placed and not (yet) seen paid: not events, since GMV counts paid orders only. */
  placedCount = 0;
  /** Paid orders without an amount, priced from the room's catalog. */
  pricedFromCatalog = 0;

  constructor(private readonly opts: MerchantMapperOptions = {}) {}

  /** One parsed line → events. Never throws. */
  map(line: unknown, receivedAt: number): MapResult {
    const out = emptyResult();
    try {
      this.mapInto(out, line, receivedAt);
    } catch (e) {
      out.quarantined.push(quarantine(`${SRC}: line could not be mapped (${e instanceof Error ? e.message : String(e)})`, line));
    }
    return out;
  }

  private mapInto(out: MapResult, line: unknown, receivedAt: number): void {
    if (!isObj(line)) {
      out.quarantined.push(quarantine(`${SRC}: line is not a JSON object`, line));
      return;
    }
    const orders = field(line, 'data');
    if (Array.isArray(orders) && field(line, 'order_id') === undefined) {
      // A captured live_order_stream response: its orders, each on its own.
      if (orders.length > MAX_ORDERS_PER_LINE) {
        out.quarantined.push(quarantine(`${SRC}: a response of ${orders.length} orders (more than ${MAX_ORDERS_PER_LINE})`, line));
        return;
      }
      if (!orders.length) out.ignored++;
      for (const o of orders) {
        if (isObj(o) && field(o, 'order_id') !== undefined) this.order(out, o, receivedAt);
        else out.quarantined.push(quarantine(`${SRC}: an entry of data[] is not an order`, o));
      }
      return;
    }
    if (field(line, 'order_id') !== undefined) return this.order(out, line, receivedAt);
    if (field(line, 'product_click_cnt') !== undefined) return this.click(out, line, receivedAt);
    out.quarantined.push(quarantine(`${SRC}: line is neither an order (order_id) nor product clicks (product_click_cnt)`, line));
  }

  private order(out: MapResult, line: Obj, receivedAt: number): void {
    const orderId = toId(field(line, 'order_id'));
    if (orderId === undefined) {
      out.quarantined.push(quarantine(`${SRC}: order_id is not an id`, line));
      return;
    }
    const status = orderStatus(field(line, 'order_status'));
    if (status === 'placed') {
      if (this.paid.has(orderId)) {
        // Its paid line came first (a re-read file, an out-of-order capture).
        out.duplicates++;
        return;
      }
      if (!this.placed.has(orderId)) this.placedCount++;
      this.placed.delete(orderId);
      this.placed.set(orderId, line);
      if (this.placed.size > MAX_PLACED) {
        const oldest = this.placed.keys().next().value;
        if (oldest !== undefined) this.placed.delete(oldest);
      }
      out.ignored++;
      return;
    }
    if (status !== 'paid') {
      out.quarantined.push(quarantine(`${SRC}: order_status ${String(field(line, 'order_status')).slice(0, 50)} is neither 0/1 (placed) nor 3 (paid)`, line));
      return;
    }
    if (this.paid.has(orderId)) {
      out.duplicates++;
      return;
    }
    // The paid line wins; what it lacks comes from the placed line.
    const placed = this.placed.get(orderId);
    const get = (key: string): unknown => field(line, key) ?? (placed ? field(placed, key) : undefined);
    const productId = toId(get('product_id'));
    if (productId === undefined) {
      out.quarantined.push(quarantine(`${SRC}: paid order without product_id`, line));
      return;
    }
    const qty = toCount(get('item_num'));
    if (qty === undefined || qty < 1) {
      out.quarantined.push(quarantine(`${SRC}: paid order item_num is not a positive integer`, line));
      return;
    }
    const payAmt = get('pay_amt');
    let amountFen = toCount(payAmt);
    if (payAmt !== undefined && amountFen === undefined) {
      out.quarantined.push(quarantine(`${SRC}: paid order pay_amt is not an amount in fen`, line));
      return;
    }
    const fromCatalog = amountFen === undefined;
    if (amountFen === undefined) {
      const price = this.opts.priceOf?.(productId);
      if (price === undefined) {
        out.quarantined.push(quarantine(`${SRC}: paid order without pay_amt, and product ${productId} has no known price`, line));
        return;
      }
      amountFen = price * qty;
      if (!Number.isSafeInteger(amountFen)) {
        out.quarantined.push(quarantine(`${SRC}: paid order amount (price × item_num) is not a plausible amount`, line));
        return;
      }
    }
    const buyerId = toId(firstField(line, 'buyer_id', 'user_id') ?? (placed ? firstField(placed, 'buyer_id', 'user_id') : undefined));
    const ts = sourceTs(orderTs(get('order_ts')), receivedAt, ORDER_MAX_BEHIND_MS);
    this.paid.add(orderId);
    if (placed) this.placedCount--;
    this.placed.delete(orderId);
    if (fromCatalog) this.pricedFromCatalog++;
    out.events.push({ ts, type: 'order', orderId, productId, qty, amountFen, status: 'paid', ...(buyerId !== undefined && { buyerId }), ...(fromCatalog && { amountFrom: 'catalog' as const }) });
  }

  private click(out: MapResult, line: Obj, receivedAt: number): void {
    const productId = toId(field(line, 'product_id'));
    const total = toCount(field(line, 'product_click_cnt'));
    if (productId === undefined || total === undefined) {
      out.quarantined.push(quarantine(`${SRC}: product clicks without product_id or a count`, line));
      return;
    }
    let counter = this.clicks.get(productId);
    if (!counter) {
      if (this.clicks.size >= 10_000) {
        out.quarantined.push(quarantine(`${SRC}: more than 10000 products with clicks`, line));
        return;
      }
      counter = new CumulativeCounter();
      this.clicks.set(productId, counter);
    }
    const n = counter.next(total, total);
    if (n === 0) {
      out.ignored++;
      return;
    }
    const ts = sourceTs(orderTs(firstField(line, 'ts', 'stat_ts')), receivedAt, ORDER_MAX_BEHIND_MS);
    out.events.push({ ts, type: 'click', productId, n });
  }
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Epoch numbers pass through (sourceTs scales seconds); "2024-07-06 20:15:03" is Beijing time. */
function orderTs(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = DATETIME.exec(v.trim());
  if (!m) return v;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
}

// ---- Connector: JSON-lines file tail -----------------------------------------------------------------

export interface MerchantOrderFileOptions extends ConnectorOptions, MerchantMapperOptions {
  /** The JSON-lines file the Compass tool appends to. */
  path: string;
  /** How often the file is checked for new lines. */
  pollMs?: number;
  /** Longer lines are quarantined (a corrupt file must not be held in memory). */
  maxLineChars?: number;
  /** Bytes read per poll at most (a huge backlog is read over several polls). */
  maxReadBytes?: number;
}

export class MerchantOrderFileSource extends SourceConnector {
  private readonly mapper: MerchantOrderMapper;
  private timer: NodeJS.Timeout | null = null;
  private offset = 0;
  private ino: number | null = null;
  private decoder = new StringDecoder('utf8');
  private lines: LineSplitter;
  private polling: Promise<void> | null = null;

  private get maxLineChars(): number {
    return this.opts.maxLineChars ?? 64 * 1024;
  }

  constructor(private readonly opts: MerchantOrderFileOptions) {
    super('merchant-orders', opts.path, opts);
    this.lines = new LineSplitter(this.maxLineChars);
    this.mapper = new MerchantOrderMapper({ priceOf: opts.priceOf ?? ((id) => opts.sink.priceOf(id)) });
  }

  /** Placed (not yet paid) orders seen. */
  get placedOrders(): number {
    return this.mapper.placedCount;
  }

  start(): void {
    this.st.connects = 0;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    this.markStopped();
  }

  /** One line from any transport. */
  ingestLine(text: string): void {
    const receivedAt = this.now();
    this.noteReceived(receivedAt);
    if (text.length > this.maxLineChars) {
      this.quarantineOne(`${SRC}: line over ${this.maxLineChars} characters`, text);
      return;
    }
    let line: unknown;
    try {
      line = parseJsonLossless(text);
    } catch {
      this.quarantineOne(`${SRC}: line is not JSON`, text);
      return;
    }
    this.deliver(this.mapper.map(line, receivedAt));
    this.st.placedOrders = this.mapper.placedCount;
    this.st.pricedFromCatalog = this.mapper.pricedFromCatalog;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = null;
        this.schedule(this.opts.pollMs ?? 500);
      });
    }, ms);
  }

  private async poll(): Promise<void> {
    let info;
    try {
      info = await stat(this.opts.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.setStatus('reconnecting', code === 'ENOENT' ? `waiting for ${this.opts.path} to appear` : `cannot read ${this.opts.path}: ${String(e)}`);
      return;
    }
    if (this.ino !== null && (info.ino !== this.ino || info.size < this.offset)) {
      // Replaced or truncated (the tool restarted): read it again; de-duplication keeps orders once.
      this.offset = 0;
      this.lines = new LineSplitter(this.maxLineChars);
      this.decoder = new StringDecoder('utf8');
    }
    if (this.ino !== info.ino) this.st.connects++;
    this.ino = info.ino;
    if (this.st.status !== 'live') this.markLive();
    if (info.size <= this.offset) return;
    const want = Math.min(info.size - this.offset, this.opts.maxReadBytes ?? 1024 * 1024);
    const fh = await open(this.opts.path, 'r');
    try {
      const buf = Buffer.alloc(want);
      const { bytesRead } = await fh.read(buf, 0, want, this.offset);
      this.offset += bytesRead;
      this.consume(this.decoder.write(buf.subarray(0, bytesRead)));
    } finally {
      await fh.close();
    }
  }

  private consume(text: string): void {
    for (const p of this.lines.push(text)) {
      if (p.kind === 'line') {
        const line = p.text.trim();
        if (line) this.ingestLine(line);
      } else if (p.kind === 'overflow') {
        this.quarantineOne(`${SRC}: line over ${this.maxLineChars} characters`, p.text);
      }
    }
  }
}
