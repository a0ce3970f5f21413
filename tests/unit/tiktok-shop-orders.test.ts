/**
 * TikTok Shop orders (the 202309 model, every field the mapping reads, zeros included) → `order`
 * events for one LIVE under the source's attribution rule; ids beyond 2^53 as the lossless reader
 * hands them over; money exact in the order's currency. Generated inputs: never a throw, bad money
 * quarantined (never rounded), amounts exact.
 */
import { describe, expect, it } from 'vitest';
import { TikTokShopOrderMapper, type AttributionRule } from '../../electron/core/platforms/tiktok-shop/orders.ts';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import type { MapResult, SourceEvent } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';
import { hostileValue } from '../helpers/hostile.ts';

const T = 1_760_000_000_000;
const PAID = T / 1000 - 120;
const ORDER = '576461413038785752';
const PRODUCT = '1729582718312380123';
const OTHER_PRODUCT = '1729582718312380124';

type Order = Extract<SourceEvent, { type: 'order' }>;

function item(o: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: '577086512123755123', product_id: PRODUCT, sku_id: '2729382476852921560', sale_price: '12.90', original_price: '14.90', platform_discount: '0', seller_discount: '2.00', currency: 'USD', display_status: 'AWAITING_SHIPMENT', is_gift: false, ...o };
}

function order(items: unknown[], o: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: ORDER, status: 'AWAITING_SHIPMENT', create_time: PAID - 30, paid_time: PAID, update_time: PAID, user_id: '7494049642642441621', payment: { currency: 'USD', sub_total: '12.90', total_amount: '12.90' }, line_items: items, ...o };
}

const always: AttributionRule = { paidInWindow: () => true, products: null };

function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

const orders = (r: MapResult): Order[] => r.events.filter((e): e is Order => e.type === 'order');

describe('TikTok Shop order mapper', () => {
  it('a paid order → one order event per SKU: qty = its line items, amount = their sale_price in cents, currency, ts = paid_time', () => {
    const r = valid(new TikTokShopOrderMapper().map([order([item(), item({ id: '2' }), item({ id: '3', sku_id: '2729382476852921561', sale_price: '5.05' })])], always, T));
    expect(r.events).toEqual([
      { ts: PAID * 1000, type: 'order', orderId: `${ORDER}:2729382476852921560`, productId: PRODUCT, qty: 2, amountFen: 2580, status: 'paid', currency: 'USD', buyerId: '7494049642642441621' },
      { ts: PAID * 1000, type: 'order', orderId: `${ORDER}:2729382476852921561`, productId: PRODUCT, qty: 1, amountFen: 505, status: 'paid', currency: 'USD', buyerId: '7494049642642441621' },
    ]);
    expect(r).toMatchObject({ quarantined: [], ignored: 0, duplicates: 0 });
  });

  it('currencies with exponent 0 (VND) and 2 (GBP) are exact minor units', () => {
    const vnd = new TikTokShopOrderMapper().map([order([item({ sale_price: '259000', currency: 'VND' })], { payment: { currency: 'VND' } })], always, T);
    expect(orders(vnd)).toMatchObject([{ amountFen: 259_000, currency: 'VND' }]);
    // 0.1 + 0.2 in floats is not 0.3: sums here are integers.
    const gbp = new TikTokShopOrderMapper().map([order([item({ sale_price: '0.10', currency: 'GBP' }), item({ id: '2', sale_price: '0.20', currency: 'GBP' })], { payment: { currency: 'GBP' } })], always, T);
    expect(orders(gbp)).toMatchObject([{ amountFen: 30, qty: 2, currency: 'GBP' }]);
    const vndFraction = new TikTokShopOrderMapper().map([order([item({ sale_price: '259000.5', currency: 'VND' })], { payment: { currency: 'VND' } })], always, T);
    expect(vndFraction.events).toEqual([]);
    expect(vndFraction.quarantined.map((q) => q.reason)).toEqual(["tiktok-shop: order sale_price not kept: 259000.5 VND has more decimals than VND's 0: not rounded"]);
  });

  it('64-bit ids read exactly from bare JSON numbers; one apart stay apart', () => {
    const text = `[{"id":576461413038785752,"status":"COMPLETED","paid_time":${PAID},"update_time":${PAID},"user_id":7494049642642441621,"payment":{"currency":"USD"},"line_items":[{"id":577086512123755123,"product_id":1729582718312380123,"sku_id":2729382476852921560,"sale_price":"1.00"},{"id":577086512123755124,"product_id":1729582718312380124,"sku_id":2729382476852921561,"sale_price":"2.00"}]}]`;
    const r = valid(new TikTokShopOrderMapper().map(parseApiJson(text), always, T));
    expect(orders(r).map((o) => [o.orderId, o.productId, o.buyerId])).toEqual([
      [`${ORDER}:2729382476852921560`, PRODUCT, '7494049642642441621'],
      [`${ORDER}:2729382476852921561`, OTHER_PRODUCT, '7494049642642441621'],
    ]);
    // Rounded by a plain JSON.parse, an id is no id: quarantined, not merged.
    const rounded = new TikTokShopOrderMapper().map(JSON.parse(text), always, T);
    expect(rounded.events).toEqual([]);
    expect(rounded.quarantined).toHaveLength(1);
  });

  it('the attribution rule: outside the window ignored; with products, only their line items count', () => {
    const inWindow: AttributionRule = { paidInWindow: (ms) => ms >= (PAID - 10) * 1000 && ms <= (PAID + 10) * 1000, products: null };
    const m = new TikTokShopOrderMapper();
    expect(m.map([order([item()], { id: '1', paid_time: PAID - 60 })], inWindow, T)).toMatchObject({ events: [], ignored: 1 });
    expect(orders(m.map([order([item()], { id: '2' })], inWindow, T))).toHaveLength(1);
    const shown: AttributionRule = { paidInWindow: () => true, products: new Set([OTHER_PRODUCT]) };
    const r = m.map([order([item(), item({ id: '9', product_id: OTHER_PRODUCT, sku_id: '55', sale_price: '3.00' })], { id: '3' })], shown, T);
    expect(orders(r)).toMatchObject([{ orderId: '3:55', productId: OTHER_PRODUCT, amountFen: 300, qty: 1 }]);
    expect(m.map([order([item()], { id: '4' })], shown, T)).toMatchObject({ events: [], ignored: 1 });
    // No window yet: nothing counts.
    expect(m.map([order([item()], { id: '5' })], null, T)).toMatchObject({ events: [], ignored: 1 });
  });

  it('unpaid and cancelled-before-payment orders are not GMV; ON_HOLD after payment is paid', () => {
    const m = new TikTokShopOrderMapper();
    expect(m.map([order([item()], { status: 'UNPAID', paid_time: 0 })], always, T)).toMatchObject({ events: [], ignored: 1 });
    expect(m.map([order([item()], { status: 'CANCELLED', paid_time: 0 })], always, T)).toMatchObject({ events: [], ignored: 1 });
    expect(m.map([order([item()], { status: 'CANCELLED' })], always, T).events.length).toBe(2);
    expect(orders(new TikTokShopOrderMapper().map([order([item()], { status: 'ON_HOLD' })], always, T)).map((o) => o.status)).toEqual(['paid']);
  });

  it('refunds: a paid order cancelled refunds every SKU whole; cancelled line items refund their own amount', () => {
    const whole = valid(new TikTokShopOrderMapper().map([order([item(), item({ id: '2', sku_id: '7', sale_price: '1.00' })], { status: 'CANCELLED', update_time: PAID + 60 })], always, T));
    expect(orders(whole).map((o) => [o.orderId.split(':')[1], o.status, o.amountFen, o.ts])).toEqual([
      ['2729382476852921560', 'paid', 1290, PAID * 1000],
      ['2729382476852921560', 'refunded', 1290, (PAID + 60) * 1000],
      ['7', 'paid', 100, PAID * 1000],
      ['7', 'refunded', 100, (PAID + 60) * 1000],
    ]);
    const m = new TikTokShopOrderMapper();
    expect(orders(m.map([order([item(), item({ id: '2' })])], always, T))).toMatchObject([{ status: 'paid', qty: 2, amountFen: 2580 }]);
    const later = m.map([order([item({ display_status: 'CANCELLED' }), item({ id: '2' })], { update_time: PAID + 90 })], always, T);
    expect(orders(later)).toMatchObject([{ status: 'refunded', qty: 1, amountFen: 1290, ts: (PAID + 90) * 1000 }]);
    expect(later.duplicates).toBe(1);
  });

  it('bad money and bad fields quarantine the whole order with the reason, and change no state', () => {
    const m = new TikTokShopOrderMapper();
    const reasons = (o: Record<string, unknown>, it: Record<string, unknown> = {}): string[] => m.map([order([item(it)], o)], always, T).quarantined.map((q) => q.reason);
    expect(reasons({}, { sale_price: '12.905' })).toEqual(["tiktok-shop: order sale_price not kept: 12.905 USD has more decimals than USD's 2: not rounded"]);
    expect(reasons({}, { sale_price: '1e3' })).toHaveLength(1);
    expect(reasons({}, { sale_price: '-1.00' })).toEqual(['tiktok-shop: order with a negative sale_price']);
    expect(reasons({}, { sale_price: null })).toHaveLength(1);
    expect(reasons({ payment: { currency: 'XYZ' } }, { currency: 'XYZ' })).toEqual(['tiktok-shop: order sale_price not kept: unknown currency "XYZ"']);
    expect(reasons({}, { currency: 'EUR' })).toEqual(["tiktok-shop: order with a line item in EUR, not the order's USD"]);
    expect(reasons({ status: 'SHIPPED_SOMEHOW' })).toEqual(['tiktok-shop: order status is not one of the 202309 order statuses']);
    expect(reasons({ id: 'abc' })).toEqual(['tiktok-shop: order id is not an id']);
    expect(reasons({ paid_time: -5 })).toEqual(['tiktok-shop: order paid_time is not a Unix time']);
    expect(reasons({ line_items: 'x' })).toEqual(['tiktok-shop: order without line_items']);
    expect(reasons({}, { product_id: null })).toEqual(['tiktok-shop: order with a line item without product_id']);
    expect(m.currency).toBeNull();
    expect(valid(m.map([order([item()])], always, T)).events).toHaveLength(1);
    expect(m.currency).toBe('USD');
    // The room's money is in one currency: a later GBP order is quarantined, not converted.
    expect(reasons({ id: '99', payment: { currency: 'GBP' } }, { currency: 'GBP' })).toEqual(["tiktok-shop: order in GBP, not the room's USD: a room's money is in one currency"]);
  });

  it('broken lists: each entry on its own; an implausible paid_time is stamped on receipt', () => {
    const r = new TikTokShopOrderMapper().map([null, 7, order([null]), order([item()])], always, T);
    expect(r.quarantined.map((q) => q.reason)).toEqual(['tiktok-shop: an order is not an object', 'tiktok-shop: an order is not an object', 'tiktok-shop: order with a line item that is not an object']);
    expect(r.events).toHaveLength(1);
    expect(orders(new TikTokShopOrderMapper().map([order([item()], { paid_time: T / 1000 + 86_400 })], always, T))).toMatchObject([{ ts: T }]);
  });

  it('generated orders: never a throw; every event valid and its amount the exact sum of its sale prices; bad money quarantined', () => {
    const money = fc.oneof(
      fc.tuple(fc.nat(999_999), fc.nat(99)).map(([a, b]) => ({ text: `${a}.${String(b).padStart(2, '0')}`, cents: a * 100 + b, ok: true })),
      fc.nat(999_999).map((a) => ({ text: String(a), cents: a * 100, ok: true })),
      fc.constantFrom('1.005', '-3.00', '1e2', ' ', 'NaN', '0x10', '12,90', '１２', '9'.repeat(25)).map((t) => ({ text: t, cents: 0, ok: false })),
    );
    const lineItem = fc.record({ sku: fc.constantFrom('11', '12', '2729382476852921560'), money, cancelled: fc.boolean() });
    const anOrder = fc.oneof(
      { weight: 4, arbitrary: fc.record({ id: fc.bigInt({ min: 2n ** 60n, max: 2n ** 63n - 1n }), items: fc.array(lineItem, { minLength: 1, maxLength: 6 }), status: fc.constantFrom('AWAITING_SHIPMENT', 'COMPLETED', 'CANCELLED', 'ON_HOLD', 'UNPAID') }) },
      { weight: 1, arbitrary: hostileValue.map((h) => ({ hostile: h })) },
    );
    checkDoor('source: tiktok-shop orders', 'generated orders', fc.property(fc.array(anOrder, { maxLength: 8 }), (list) => {
      const m = new TikTokShopOrderMapper();
      const input = list.map((o) =>
        'hostile' in o
          ? o.hostile
          : order(
              o.items.map((it, i) => item({ id: String(i + 1), sku_id: it.sku, sale_price: it.money.text, display_status: it.cancelled ? 'CANCELLED' : 'AWAITING_SHIPMENT' })),
              { id: o.id.toString(), status: o.status, paid_time: o.status === 'UNPAID' ? 0 : PAID },
            ),
      );
      const r = m.map(input, always, T);
      for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
      for (const [i, o] of list.entries()) {
        if ('hostile' in o) continue;
        const mine = orders(r).filter((e) => e.orderId.startsWith(`${o.id}:`));
        if (o.status === 'UNPAID') {
          // Never paid: its money is not even read.
          expect(mine).toEqual([]);
          continue;
        }
        if (o.items.some((it) => !it.money.ok)) {
          expect(mine).toEqual([]);
          expect(r.quarantined.some((q) => /sale_price/.test(q.reason) && String(JSON.stringify(q.raw)).includes(o.id.toString()))).toBe(true);
          continue;
        }
        for (const sku of new Set(o.items.map((it) => it.sku))) {
          const paid = mine.find((e) => e.orderId === `${o.id}:${sku}` && e.status === 'paid');
          const want = o.items.filter((it) => it.sku === sku).reduce((s, it) => s + it.money.cents, 0);
          expect(paid?.amountFen, `order ${i} sku ${sku}`).toBe(want);
        }
      }
    }));
  });
});

describe('the products a LIVE’s orders name', () => {
  it('are handed on once each, with the line item’s name and price, only for orders the rule takes', () => {
    const m = new TikTokShopOrderMapper();
    const onlyFirst: AttributionRule = { paidInWindow: () => true, products: new Set([PRODUCT]) };
    m.map([order([item({ product_name: 'Silk Serum 30ml' }), item({ id: '2', product_id: OTHER_PRODUCT, product_name: 'Not shown' })])], onlyFirst, T);
    expect(m.takeSoldProducts()).toEqual([{ id: PRODUCT, title: 'Silk Serum 30ml', priceMinor: 1290 }]);
    expect(m.takeSoldProducts()).toBeNull();
    // Again the same product: nothing new. An order outside the window names nothing.
    m.map([order([item({ product_name: 'Silk Serum 30ml' })], { id: '576461413038785753' })], always, T);
    m.map([order([item({ product_id: OTHER_PRODUCT, product_name: 'Too early' })], { id: '576461413038785754' })], { paidInWindow: () => false, products: null }, T);
    expect(m.takeSoldProducts()).toBeNull();
    // A nameless line item is named by its product id; a new broadcast starts its own list.
    m.map([order([item({ product_id: OTHER_PRODUCT, product_name: '' })], { id: '576461413038785755' })], always, T);
    expect(m.takeSoldProducts()!.map((p) => p.title)).toEqual(['Silk Serum 30ml', OTHER_PRODUCT]);
    m.forgetSoldProducts();
    expect(m.takeSoldProducts()).toBeNull();
  });
});
