/**
 * METRICS.md, computed incrementally for one session.
 *
 * `ingest` is on the feed's hot path, so it only does O(1) bookkeeping plus an append to a
 * time-sorted array (binary insertion for the rare out-of-order event). Everything that depends
 * on the order of events in time — the online step function, pin segments, per-minute ad spend,
 * like totals — is kept in `ts` order (ties broken by `seq`), so the result never depends on
 * arrival order. Reads (`snapshot`, `live`) derive the rest on demand.
 *
 * Where it lives: the state in tally.ts, the per-event handlers in ingest.ts, and here the reads,
 * with the minute rows' pieces in minute-rows.ts and segments and product rows in segments.ts.
 *
 * Interpretations of METRICS.md where it leaves a choice (keep this list current):
 * - Events with `ts` before `startedAt` count as if at `startedAt` (minute 0, first segment).
 * - Events after the window end (late orders after `ended`, or a source clock ahead of `nowTs`)
 *   still count in the KPIs and in their own minute rows, so the minute rows always add up to the
 *   KPIs. Events more than MAX_SESSION_MINUTES after the start are dropped as corrupt.
 * - Minute rows run from 0 to the minute containing the window end (end exclusive; minute 0 is
 *   always present) or to the last minute with a counted event, whichever is later. A minute
 *   row outside the window has null online figures and no pinned product.
 * - "Value at an end" of the step function (minute `onlineEnd`, segment `onlineEnd`) is the last
 *   snapshot before that instant — a snapshot exactly on a minute boundary belongs to the next
 *   minute — except at the window end, where a snapshot exactly at the end counts (so the last
 *   row's `onlineEnd` equals `kpis.onlineNow`).
 * - "First paid event wins" means the earliest by (ts, seq), so replays in any order agree; the
 *   same for refunds.
 * - Pins: a pin of the product already pinned continues its segment. The segment still open at
 *   the window end includes events at exactly the end; closed ones are [startTs, endTs).
 *   pinnedProductId ties: a product beats "none"; between products, the one first pinned later in
 *   the minute wins.
 *   A pin and the next pin at the same ms leave a zero-length segment; it is kept (it counts in
 *   `pins`) because the pin did happen.
 * - Products: the latest catalog by (ts, seq) in its own order, then every other product seen in
 *   events sorted by id. A product off the latest catalog keeps the title/price/role of the
 *   newest catalog that listed it (else title = id, price 0, role null). price and stock are the
 *   newest of catalog and `product` event values; soldOut is the newest explicit flag, else
 *   stock === 0.
 * - `ended`: the latest end wins (max), so duplicated or replayed `ended` events agree.
 * - Durations (durationSec, pinnedSec) are exact milliseconds / 1000, not rounded.
 * - Memory: the per-event series behind segment figures are compacted once their events are more
 *   than COMPACT_HORIZON_MS (source time) behind the newest one — events between the same two
 *   boundaries (pins, the start, the end) merge into one entry, so segment sums stay exact and an
 *   eight-hour show does not hold every event. A pin (or an end) that arrives later than that
 *   horizon, far beyond FEED-PROTOCOL's "slightly out of order", splits an already merged stretch
 *   where its first event was: that segment's product counts may then be off by the events of the
 *   stretch; minute rows and KPIs stay exact, and a report recomputed from the stored events in
 *   their numbered order gives the same figures.
 * - Likes with totals: the KPI is the highest `like.total` (the room's count from the broadcast
 *   start, as the platform shows it); minute rows are the increases seen, counted from the
 *   earliest total minus that event's own `n`, so a room joined mid-show does not put the whole
 *   pre-join total into the first minute it was seen in. Minute rows then add up to the KPI only
 *   when the source was there from the start.
 */
import { gpm, rate, yuanPer } from './formulas.ts';
import { SessionIngest } from './ingest.ts';
import { countsRow, fillOnline, likesBefore, MinutePins } from './minute-rows.ts';
import { pinSpans, productRows, segmentRows, type PinSpan } from './segments.ts';
import { MinuteAgg } from './tally.ts';
import type { Kpis, MinuteRow, SessionMetrics } from './types.ts';
import { MAX_SESSION_MINUTES, MINUTE_MS } from './window.ts';

export { COMPACT_HORIZON_MS, type AggregatorOptions } from './tally.ts';

export class SessionAggregator extends SessionIngest {
  /**
   * Lowest minute index whose row may have changed since the previous call (null: none), then
   * resets. The row of the minute containing "now" also changes as time passes (online average,
   * pinned product) without any event, so a live caller should always resend it too.
   */
  takeDirtyFrom(): number | null {
    const d = this.dirtyFrom;
    this.dirtyFrom = null;
    return d;
  }

  private windowEnd(nowTs: number): number {
    if (this.ended !== null) return this.ended;
    const s = this.startedAt;
    if (!Number.isFinite(nowTs) || nowTs < s) return s;
    return Math.min(nowTs, s + MAX_SESSION_MINUTES * MINUTE_MS);
  }

  private minuteCount(w: number): number {
    const s = this.startedAt;
    const lastInWindow = w > s ? Math.ceil((w - s) / MINUTE_MS) - 1 : 0;
    return Math.max(lastInWindow, this.mins.length - 1) + 1;
  }

  snapshot(nowTs: number): SessionMetrics {
    const w = this.windowEnd(nowTs);
    const spans = this.pinSpans(w);
    const kpis = this.kpis(w);
    const minutes = this.minuteRows(0, w, spans);
    const segments = segmentRows(spans, this.products, this.enterSeries, this.online, w);
    const products = productRows({ products: this.products, catalog: this.catalog, known: this.known }, segments, kpis.pv);
    return { kpis, minutes, products, segments };
  }

  live(nowTs: number, fromMinute: number): { kpis: Kpis; minutes: MinuteRow[] } {
    const w = this.windowEnd(nowTs);
    const from = Number.isFinite(fromMinute) ? Math.max(0, Math.floor(fromMinute)) : 0;
    return { kpis: this.kpis(w), minutes: this.minuteRows(from, w, this.pinSpans(w)) };
  }

  /**
   * The product being explained at `nowTs`: the last pin at or before it (null: none). Not a
   * minute row's `pinnedProductId` (the product pinned for the largest part of that minute), which
   * lags a switch by up to half a minute.
   */
  pinnedAt(nowTs: number): string | null {
    const w = this.windowEnd(nowTs);
    let id: string | null = null;
    for (let i = 0; i < this.pinTs.length && this.pinTs[i]! <= w; i++) id = this.pinProduct[i]!;
    return id;
  }

  // ---- reads ----------------------------------------------------------------------------------

  private kpis(w: number): Kpis {
    const s = this.startedAt;
    const online = this.online;
    let peakOnline: number | null = null;
    let avgOnline: number | null = null;
    let onlineNow: number | null = null;
    const first = online.firstTime();
    if (first !== null && first <= w) {
      onlineNow = online.valueAt(w, false);
      peakOnline = online.peakTo(w);
      avgOnline = w > first ? online.integralTo(w) / (w - first) : onlineNow;
    }
    const uv = this.uv?.value ?? null;
    const pv = this.pv?.value ?? this.enters;
    const watchSeconds = this.watchSeconds?.value ?? null;
    const orders = this.paid.size;
    const buyers = this.paid.buyers > 0 ? this.paid.buyers : null;
    const gmvFen = this.gmvFen;
    return {
      durationSec: (w - s) / 1000,
      peakOnline,
      avgOnline,
      uv,
      pv,
      avgWatchSec: rate(watchSeconds, uv),
      gmvFen,
      refundFen: this.refundFen,
      orders,
      items: this.items,
      buyers,
      gpm: gpm(gmvFen, pv),
      uvValue: yuanPer(gmvFen, uv),
      itemPrice: yuanPer(gmvFen, this.items),
      orderValue: yuanPer(gmvFen, buyers ?? orders),
      exposures: this.exposures,
      clicks: this.clicks,
      ctr: rate(this.clicks, this.exposures),
      clickToOrder: rate(orders, this.clicks),
      viewToOrder: rate(orders, pv),
      viewToBuyer: rate(buyers, uv),
      newFollowers: this.follows,
      followRate: rate(this.follows, uv),
      fansclubJoins: this.fansclub,
      comments: this.comments,
      likes: this.likesMaxTotal >= 0 ? this.likesMaxTotal : this.likesN,
      shares: this.shares,
      giftFen: this.giftFen,
      adSpendFen: this.adSpendFen,
      adGmvFen: this.adGmvFen,
      roi: rate(gmvFen, this.adSpendFen),
      adRoi: rate(this.adGmvFen, this.adSpendFen),
      breakEvenRoi: this.breakEvenRoi,
      entersBySource: { ...this.entersBySource },
      onlineNow,
    };
  }

  private pinSpans(w: number): PinSpan[] {
    return pinSpans(this.pinTs, this.pinProduct, this.startedAt, w);
  }

  private minuteRows(from: number, w: number, spans: PinSpan[]): MinuteRow[] {
    const s = this.startedAt;
    const count = this.minuteCount(w);
    const rows: MinuteRow[] = [];
    const likeTotals = this.likesMaxTotal >= 0;
    // With totals, a minute's likes are the increase of the running max over the first total's
    // own starting point (what the room had before that message): the increases seen.
    let likesRunning = likeTotals ? likesBefore(this.mins, from, this.likesFirst) : 0;
    const empty = new MinuteAgg();
    const pins = new MinutePins(spans);
    for (let m = from; m < count; m++) {
      const c = this.mins[m] ?? empty;
      const a = s + m * MINUTE_MS;
      const e = Math.min(a + MINUTE_MS, w);

      let likes = c.likesN;
      if (likeTotals) {
        const before = likesRunning;
        if (c.likesMaxTotal > likesRunning) likesRunning = c.likesMaxTotal;
        likes = likesRunning - before;
      }

      const row = countsRow(m, a, c, likes);
      fillOnline(row, this.online, a, e, w, s);
      if (e > a) row.pinnedProductId = pins.pinnedIn(a, e);
      rows.push(row);
    }
    return rows;
  }
}
