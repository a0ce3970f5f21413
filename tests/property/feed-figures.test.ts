/**
 * Valid but strange: sequences of events that pass FEED-PROTOCOL's validation — refunds before
 * payments, pins of products no catalog listed, ad spend that goes backwards, catalogs that
 * replace each other, times out of order within the session's window, snapshots without `online`
 * — through every figure the core computes live (the aggregator, the alert rules, the ad console,
 * suggestions, demand words, the retrospective's collector). None may throw; every number is
 * finite or null; the minute rows add up to the KPIs; the same events in another arrival order
 * give the same figures.
 */
import { describe, it, expect } from 'vitest';
import { validateEvent, type KnownFeedEvent } from '../../shared/protocol.ts';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { DemandCounter } from '../../shared/comments/demand.ts';
import { RetroCollector } from '../../shared/retro/extras.ts';
import { minuteIndex } from '../../shared/metrics/window.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';
import { DEFAULT_ECONOMICS } from '../../shared/ads/economics.ts';
import { SuggestService } from '../../electron/core/suggest/service.ts';
import { AdService } from '../../electron/core/ads/service.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';

const START = 1_700_000_000_000;
const products = ['p1', 'p2', 'p3', 'ghost'];
const pid = fc.constantFrom(...products);
const n = fc.oneof(fc.nat(5), fc.nat(100_000));
const fen = fc.oneof(fc.nat(10_000), fc.nat(2 ** 40));
const ts = fc.oneof(fc.integer({ min: START - 3_600_000, max: START + 3 * 3_600_000 }), fc.integer({ min: START, max: START + 20 * 60_000 }));

const body: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('session'), status: fc.constantFrom('live', 'ended'), startedAt: fc.constant(START), title: fc.option(fc.string(), { nil: undefined }) }, { requiredKeys: ['type', 'status', 'startedAt'] }),
  fc.record({ type: fc.constant('catalog'), products: fc.array(fc.record({ id: pid, title: fc.string({ maxLength: 20 }), priceFen: fen, stock: fc.option(n, { nil: undefined }), role: fc.option(fc.constantFrom('traffic', 'hero', 'profit', 'new'), { nil: undefined }), costFen: fc.option(fen, { nil: undefined }) }, { requiredKeys: ['id', 'title', 'priceFen'] }), { maxLength: 5 }) }),
  fc.record({ type: fc.constant('product'), productId: pid, priceFen: fc.option(fen, { nil: undefined }), stock: fc.option(n, { nil: undefined }), soldOut: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['type', 'productId'] }),
  fc.record({ type: fc.constant('viewers'), online: fc.option(n, { nil: undefined }), uv: fc.option(n, { nil: undefined }), pv: fc.option(n, { nil: undefined }), watchSeconds: fc.option(n, { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('enter'), n, source: fc.option(fc.constantFrom('recommend', 'paid', 'follow', 'search', 'shortVideo', 'other'), { nil: undefined }) }, { requiredKeys: ['type', 'n'] }),
  fc.record({ type: fc.constant('like'), n: fc.option(n, { nil: undefined }), total: fc.option(n, { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('comment'), text: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('链接', '多少钱', '尺码', 'p1 还有吗', '库存')), nickname: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }) }, { requiredKeys: ['type', 'text'] }),
  fc.record({ type: fc.constantFrom('follow', 'share', 'fansclub'), n }),
  fc.record({ type: fc.constant('gift'), n, valueFen: fen }),
  fc.record({ type: fc.constant('pin'), productId: fc.option(pid, { nil: null }) }),
  fc.record({ type: fc.constantFrom('exposure', 'click'), productId: pid, n, users: fc.option(n, { nil: undefined }) }, { requiredKeys: ['type', 'productId', 'n'] }),
  fc.record({ type: fc.constant('order'), orderId: fc.constantFrom('o1', 'o2', 'o3', 'o4'), productId: pid, qty: fc.integer({ min: 1, max: 5 }), amountFen: fen, status: fc.constantFrom('paid', 'refunded'), buyerId: fc.option(fc.constantFrom('b1', 'b2'), { nil: undefined }) }, { requiredKeys: ['type', 'orderId', 'productId', 'qty', 'amountFen', 'status'] }),
  fc.record({ type: fc.constant('ad'), planId: fc.constantFrom('a', 'b'), spendFen: fen, impressions: fc.option(n, { nil: undefined }), gmvFen: fc.option(fen, { nil: undefined }), budgetFenPerMin: fc.option(fen, { nil: undefined }) }, { requiredKeys: ['type', 'planId', 'spendFen'] }),
  fc.record({ type: fc.constant('marker'), kind: fc.constantFrom('flash', 'giveaway', 'warning', 'note'), text: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) }, { requiredKeys: ['type', 'kind'] }),
);

/** A session's events: its start first, then anything, numbered in arrival order. */
const stream = fc.array(fc.tuple(body, ts), { minLength: 1, maxLength: 120 }).map((list) => {
  const events: KnownFeedEvent[] = [{ seq: 1, ts: START, type: 'session', status: 'live', startedAt: START }];
  list.forEach(([b, t], i) => {
    const e = { ...b, seq: i + 2, ts: b.type === 'session' ? Math.max(t, START) : t };
    for (const k of Object.keys(e)) if ((e as Record<string, unknown>)[k] === undefined) delete (e as Record<string, unknown>)[k];
    const v = validateEvent(e);
    if (v.ok) events.push(v.event as KnownFeedEvent);
  });
  return events;
});

function figures(events: readonly KnownFeedEvent[]) {
  const agg = new SessionAggregator(START);
  const alerts = new AlertEvaluator('r', 's', DEFAULT_TARGETS);
  const demand = new DemandCounter();
  const retro = new RetroCollector(START);
  const suggest = new SuggestService({ roomId: 'r', sessionId: 's', priors: null, minIntervalMs: 0 });
  const ads = new AdService({ roomId: 'r', sessionId: 's', startedAt: START, economics: { ...DEFAULT_ECONOMICS, costOverrides: {} }, learned: null, targetRoi: 3, commandsSupported: false, minIntervalMs: 0 });
  let pinned: string | null = null;
  let end = START;
  for (const e of events) {
    agg.ingest(e);
    retro.ingest(e);
    suggest.observe(e);
    ads.observe(e);
    if (e.type === 'catalog') demand.setCatalog(e.products);
    if (e.type === 'pin') pinned = e.productId;
    if (e.type === 'comment') demand.add({ ts: e.ts, text: e.text, nickname: e.nickname ?? null }, minuteIndex(e.ts, START), pinned);
    if (e.type === 'product' && e.stock !== undefined) alerts.observeStock(e.productId, e.stock);
    if (e.ts > end) end = e.ts;
  }
  const snap = agg.snapshot(end);
  const live = agg.live(end, 0);
  alerts.evaluate({ ts: end, minutes: live.minutes, kpis: live.kpis, products: snap.products });
  suggest.tick(end, Date.now(), true);
  ads.tick(end, Date.now(), { minutes: () => snap.minutes, products: () => snap.products }, true);
  retro.snapshot(demand.summary(minuteIndex(end, START)));
  return snap;
}

function finiteOrNull(v: unknown, path: string): void {
  if (typeof v === 'number') expect(Number.isFinite(v), `${path} = ${v}`).toBe(true);
  else if (Array.isArray(v)) v.forEach((x, i) => finiteOrNull(x, `${path}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) finiteOrNull(x, `${path}.${k}`);
}

describe('feed events door: every live figure takes any valid sequence', () => {
  it('never throws; numbers are finite or null; minute rows add up to the KPIs', () => {
    checkDoor('feed events', 'live figures total', fc.property(stream, (events) => {
      const snap = figures(events);
      finiteOrNull(snap, 'snapshot');
      const sum = (k: 'enters' | 'comments' | 'follows' | 'gmvFen' | 'orders' | 'clicks' | 'exposures') => snap.minutes.reduce((a, m) => a + m[k], 0);
      expect(sum('enters')).toBe(snap.kpis.entersBySource.recommend + snap.kpis.entersBySource.paid + snap.kpis.entersBySource.follow + snap.kpis.entersBySource.search + snap.kpis.entersBySource.shortVideo + snap.kpis.entersBySource.other);
      expect(sum('comments')).toBe(snap.kpis.comments);
      expect(sum('gmvFen')).toBe(snap.kpis.gmvFen);
      expect(sum('orders')).toBe(snap.kpis.orders);
      expect(sum('clicks')).toBe(snap.kpis.clicks);
      expect(sum('exposures')).toBe(snap.kpis.exposures);
    }), { scale: 2 });
  });

  it('the figures do not depend on the order the events arrived in', () => {
    checkDoor('feed events', 'arrival order', fc.property(stream, fc.nat(), (events, seed) => {
      const shuffled = [events[0]!, ...events.slice(1).sort((a, b) => ((a.seq * 2654435761 + seed) % 997) - ((b.seq * 2654435761 + seed) % 997))];
      expect(figures(shuffled).kpis).toEqual(figures(events).kpis);
    }));
  });
});
