/**
 * The show's biggest drops and gains of online and GMV, each explained by what the log shows
 * happened in the minutes before it — ranked by how much of the move that can account for. Pure.
 *
 * Finding the moves (keep current; docs/retrospective-explains.md repeats it):
 * - online over 3-minute windows (end of minute m−3 → end of minute m), at least 10 % and 20 people;
 * - GMV over 3 minutes against the 3 before, at least 30 %;
 * - the three largest of each, not overlapping.
 *
 * Explaining them: causes are looked for from 3 minutes before the window to its end (a switch
 * made in the 3 minutes GMV is compared against shows in the window after it). Each cause gets
 * an evidence weight in 0…1, and one that would have moved the figure the other way is dropped:
 * - switch: the product explained before and after, each with its segment's ¥/min. For GMV, the
 *   weight is the gap between the two (|to − from| ÷ the larger); for online, 0.35 when the room
 *   moved the same way while the new product was explained.
 * - sold-out: a product that ran out (the feed's stock, else a low-stock alert at 0): 0.8 when it
 *   was explained in the window, else its share of the show's GMV (at least 0.15). Drops only.
 * - unpinned: the share of the window's minutes with no product explained. Drops only.
 * - traffic: a source whose entries moved by 30 % or more (and 20 people) against the window
 *   before: its change in entries ÷ all entries before, ×1.5 (at most 1).
 * - ad: an ad console action (budget up or resume for a gain, cut or pause for a drop): 0.5,
 *   0.8 when paid entries moved the same way. Without a logged action, spend per minute moving
 *   by 30 % or more (a change made on the platform): 0.4 × the change (at most 0.4).
 * - marker: a flash deal or giveaway for a gain (0.4), a platform warning for a drop (0.6).
 * - fatigue: one product explained all along, for 5 minutes or more by the window's end, while
 *   its click-through or click→order fell by 20 % or more against the 3 minutes before (rates of at
 *   least 200 exposures, or 50 clicks and 5 orders): 0.8 × the fall (at most 0.8). Drops only — a
 *   product worn out by explaining it too long.
 * Causes under 0.1 are left out; the text names the three strongest. "No cause found" is said
 * only when nothing is left.
 */
import type { MinuteRow, ProductRow } from '../metrics/types.ts';
import type { Alert } from '../alerts/types.ts';
import type { SessionMarker } from '../sessions.ts';
import { TrafficSources, type TrafficSource } from '../protocol.ts';
import type { TrafficMinute, StockOut } from './extras.ts';
import type { Cause, Moment, SegmentScore } from './types.ts';
import { adActionDirection, adActionText, type RetroAdAction } from './ad-actions.ts';
import { formatChange } from './labels.ts';
import { inBoth, isMessageKey, said, type Localiser } from '../i18n/localiser.ts';
import { minuteLabel, minuteRangeLabel } from '../minutes.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan } from '../format.ts';
import { minuteIndex } from '../metrics/window.ts';

export interface MomentsInput {
  startedAt: number;
  minutes: readonly MinuteRow[];
  /** the scorecard's segments (with their ¥/min and titles) */
  segments: readonly SegmentScore[];
  products: readonly ProductRow[];
  alerts: readonly Alert[];
  markers: readonly SessionMarker[];
  adActions: readonly RetroAdAction[];
  traffic: readonly TrafficMinute[];
  stockOuts: readonly StockOut[];
}

const ONLINE_WINDOW = 3;
const ONLINE_MIN_CHANGE = 0.1;
const ONLINE_MIN_PEOPLE = 20;
const GMV_WINDOW = 3;
const GMV_MIN_CHANGE = 0.3;
const LOOKBACK = 3;
const MOVE = 0.3;
const MOVE_MIN_PEOPLE = 20;
const MIN_WEIGHT = 0.1;
const FATIGUE_MINUTES = 5;
const FATIGUE_FALL = 0.2;
const NAMED = 3;
const TOP = 3;

type Direction = Moment['direction'];
interface Window {
  metric: Moment['metric'];
  direction: Direction;
  /** first and last minute of the move */
  a: number;
  b: number;
}


/** A cause said in both languages: `say` words it for one reader. */
function cause(kind: Cause['kind'], minute: number, weight: number, say: (t: Localiser) => string, extra: Partial<Cause> = {}): Cause {
  return { kind, minute, weight: Math.min(1, Math.max(0, weight)), ...inBoth(say), ...extra };
}

/** What the log knows happened around a window: the causes of a move, strongest first. */
export class Attribution {
  private readonly byMinute: Map<number, MinuteRow>;
  private readonly traffic: Map<number, TrafficMinute['bySource']>;
  private readonly titles: Map<string, string>;
  private readonly gmvShare: Map<string, number>;

  constructor(private readonly inp: MomentsInput) {
    this.byMinute = new Map(inp.minutes.map((m) => [m.minute, m]));
    this.traffic = new Map(inp.traffic.map((t) => [t.minute, t.bySource]));
    this.titles = new Map(inp.products.map((p) => [p.productId, p.title]));
    const total = inp.products.reduce((s, p) => s + p.gmvFen, 0);
    this.gmvShare = new Map(inp.products.map((p) => [p.productId, total > 0 ? p.gmvFen / total : 0]));
  }

  private title(id: string): string {
    return this.titles.get(id) ?? id;
  }

  private minuteOf(ts: number): number {
    return minuteIndex(ts, this.inp.startedAt);
  }

  explain(w: Window): Cause[] {
    const from = w.a - LOOKBACK;
    const all = [...this.switches(w, from), ...this.unpinned(w), ...this.soldOut(w, from), ...this.trafficShift(w), ...this.ads(w, from), ...this.markers(w, from), ...this.fatigue(w, from)];
    return all.filter((c) => c.weight >= MIN_WEIGHT).sort((x, y) => y.weight - x.weight || x.minute - y.minute);
  }

  private switches(w: Window, from: number): Cause[] {
    const out: Cause[] = [];
    const segs = this.inp.segments;
    for (let i = 1; i < segs.length; i++) {
      const prev = segs[i - 1]!;
      const next = segs[i]!;
      const m = this.minuteOf(next.startTs);
      if (m < from || m > w.b || prev.productId === next.productId) continue;
      let weight: number;
      if (w.metric === 'gmv') {
        const a = prev.gmvPerMin;
        const b = next.gmvPerMin;
        if (a === null || b === null || Math.max(a, b) <= 0) continue;
        const gap = (b - a) / Math.max(a, b);
        weight = (gap < 0) === (w.direction === 'drop') ? Math.abs(gap) : 0;
      } else {
        const c = next.onlineChange;
        weight = c !== null && c !== 0 && (c < 0) === (w.direction === 'drop') ? 0.35 : 0;
      }
      const rate = (y: number | null, t: Localiser) => t('moment.perMin', { yuan: formatYuan(y, t.locale) });
      out.push(
        cause(
          'switch',
          m,
          weight,
          (t) => t('moment.switch', { at: minuteLabel(m, t.locale), from: prev.title, fromRate: rate(prev.gmvPerMin, t), to: next.title, toRate: rate(next.gmvPerMin, t) }),
          { fromProductId: prev.productId, toProductId: next.productId, fromPerMin: prev.gmvPerMin, toPerMin: next.gmvPerMin },
        ),
      );
    }
    return out;
  }

  private unpinned(w: Window): Cause[] {
    if (w.direction !== 'drop') return [];
    const idle: number[] = [];
    for (let m = w.a; m <= w.b; m++) if (this.byMinute.has(m) && this.byMinute.get(m)!.pinnedProductId === null) idle.push(m);
    if (!idle.length) return [];
    const a = idle[0]!;
    const b = idle[idle.length - 1]!;
    return [cause('unpinned', a, idle.length / (w.b - w.a + 1), (t) => t('moment.unpinned', { span: minuteRangeLabel(a, b, t.locale) }))];
  }

  private soldOut(w: Window, from: number): Cause[] {
    if (w.direction !== 'drop') return [];
    const seen = new Map<string, number>();
    for (const s of this.inp.stockOuts) if (s.minute >= from && s.minute <= w.b && !seen.has(s.productId)) seen.set(s.productId, s.minute);
    // A rollup stored before stock-outs were collected: the low-stock alert at 0 says when.
    if (!this.inp.stockOuts.length)
      for (const x of this.inp.alerts)
        if (x.kind === 'lowStock' && Number(x.params.stock) === 0 && typeof x.params.productId === 'string' && x.minute >= from && x.minute <= w.b && !seen.has(x.params.productId)) seen.set(x.params.productId, x.minute);
    const out: Cause[] = [];
    for (const [productId, m] of seen) {
      let explained = false;
      for (let k = from; k <= w.b; k++) if (this.byMinute.get(k)?.pinnedProductId === productId) explained = true;
      const weight = explained ? 0.8 : Math.max(0.15, this.gmvShare.get(productId) ?? 0);
      out.push(cause('sold-out', m, weight, (t) => t('moment.soldOut', { at: minuteLabel(m, t.locale), title: this.title(productId) }), { productId }));
    }
    return out;
  }

  private entries(a: number, b: number, src: TrafficSource): number {
    let s = 0;
    for (let m = a; m <= b; m++) s += this.traffic.get(m)?.[src] ?? 0;
    return s;
  }

  private trafficShift(w: Window): Cause[] {
    const len = w.b - w.a + 1;
    const before = (src: TrafficSource) => this.entries(w.a - len, w.a - 1, src);
    const totalBefore = TrafficSources.reduce((s, src) => s + before(src), 0);
    const out: Cause[] = [];
    for (const src of TrafficSources) {
      const was = before(src);
      const now = this.entries(w.a, w.b, src);
      if (!(was > 0) || Math.max(was, now) < MOVE_MIN_PEOPLE) continue;
      const change = now / was - 1;
      if (Math.abs(change) < MOVE || (change < 0) !== (w.direction === 'drop')) continue;
      const weight = (1.5 * Math.abs(now - was)) / Math.max(1, totalBefore);
      out.push(
        cause(
          'traffic',
          w.a,
          weight,
          // Mid-sentence, so lower case ("paid entries"); the Chinese names have no case.
          (t) => t('moment.traffic', { source: t(`traffic.${src}`).toLowerCase(), was: formatCount(was, t.locale), now: formatCount(now, t.locale), change: formatChange(change) }),
          { source: src },
        ),
      );
    }
    return out;
  }

  private ads(w: Window, from: number): Cause[] {
    const len = w.b - w.a + 1;
    const paid = this.entries(w.a, w.b, 'paid') - this.entries(w.a - len, w.a - 1, 'paid');
    const out: Cause[] = [];
    for (const x of this.inp.adActions) {
      const m = this.minuteOf(x.ts);
      if (m < from || m > w.b) continue;
      const dir = adActionDirection(x);
      if (dir !== (w.direction === 'gain' ? 1 : -1)) continue;
      const weight = paid !== 0 && Math.sign(paid) === dir ? 0.8 : 0.5;
      out.push(cause('ad', m, weight, (t) => t('moment.ad', { at: minuteLabel(m, t.locale), action: adActionText(x, t.locale) }), { planId: x.planId }));
    }
    if (out.length) return out;
    // No logged action: spend itself moving says a budget or a pause changed on the platform.
    let was = 0;
    let now = 0;
    for (let m = w.a - len; m < w.a; m++) was += this.byMinute.get(m)?.adSpendFen ?? 0;
    for (let m = w.a; m <= w.b; m++) now += this.byMinute.get(m)?.adSpendFen ?? 0;
    if (!(was > 0)) return out;
    const change = now / was - 1;
    if (Math.abs(change) < MOVE || (change < 0) !== (w.direction === 'drop')) return out;
    out.push(
      cause(
        'ad-spend',
        w.a,
        0.4 * Math.min(1, Math.abs(change)),
        (t) => t('moment.adSpend', { was: formatMoneyFen(was, t.locale), now: formatMoneyFen(now, t.locale), change: formatChange(change) }),
      ),
    );
    return out;
  }

  private markers(w: Window, from: number): Cause[] {
    const out: Cause[] = [];
    for (const k of this.inp.markers) {
      if (k.minute < from || k.minute > w.b) continue;
      const weight = w.direction === 'gain' ? (k.kind === 'flash' || k.kind === 'giveaway' ? 0.4 : 0) : k.kind === 'warning' ? 0.6 : 0;
      const name = `moment.marker.${k.kind}`;
      if (!isMessageKey(name) || weight === 0) continue;
      const text = k.text;
      out.push(cause('marker', k.minute, weight, (t) => t(text ? 'moment.markerText' : 'moment.marker', { at: minuteLabel(k.minute, t.locale), name: t(name), text: text ?? '' })));
    }
    return out;
  }

  private fatigue(w: Window, from: number): Cause[] {
    if (w.direction !== 'drop') return [];
    const pinned = this.byMinute.get(w.b)?.pinnedProductId ?? null;
    if (pinned === null) return [];
    for (let m = from; m <= w.b; m++) if (this.byMinute.get(m)?.pinnedProductId !== pinned) return [];
    const seg = this.inp.segments.findLast((s) => s.productId === pinned && this.minuteOf(s.startTs) <= from);
    if (!seg) return [];
    const explained = w.b + 1 - this.minuteOf(seg.startTs);
    if (explained < FATIGUE_MINUTES) return [];
    const sum = (a: number, b: number) => {
      const t = { exposures: 0, clicks: 0, orders: 0 };
      for (let m = a; m <= b; m++) {
        const row = this.byMinute.get(m);
        if (row) [t.exposures, t.clicks, t.orders] = [t.exposures + row.exposures, t.clicks + row.clicks, t.orders + row.orders];
      }
      // Too few events say nothing of a rate: at least 200 exposures, 50 clicks.
      return { orders: t.orders, ctr: t.exposures >= 200 ? t.clicks / t.exposures : null, c2o: t.clicks >= 50 ? t.orders / t.clicks : null };
    };
    const was = sum(from, w.a - 1);
    const now = sum(w.a, w.b);
    const fall = (a: number | null, b: number | null) => (a !== null && b !== null && a > 0 ? 1 - b / a : 0);
    const ctrFall = fall(was.ctr, now.ctr);
    const c2oFall = was.orders >= 5 ? fall(was.c2o, now.c2o) : 0;
    if (Math.max(ctrFall, c2oFall) < FATIGUE_FALL) return [];
    const [rate, a, b] = ctrFall >= c2oFall ? (['moment.fatigue.ctr', was.ctr, now.ctr] as const) : (['moment.fatigue.c2o', was.c2o, now.c2o] as const);
    const title = this.title(pinned);
    return [
      cause(
        'fatigue',
        w.a,
        Math.min(0.8, 0.8 * Math.max(ctrFall, c2oFall)),
        (t) => t('moment.fatigue', { title, n: explained, rate: t(rate), was: formatRate(a, 1), now: formatRate(b, 1) }),
        { productId: pinned },
      ),
    ];
  }
}

interface Candidate extends Window {
  from: number;
  to: number;
  size: number;
}

function candidates(minutes: readonly MinuteRow[], direction: Direction): Candidate[] {
  const sign = direction === 'drop' ? -1 : 1;
  const out: Candidate[] = [];
  const byMinute = new Map(minutes.map((m) => [m.minute, m]));
  const last = minutes.length ? minutes[minutes.length - 1]!.minute : -1;
  for (let m = ONLINE_WINDOW; m <= last; m++) {
    const from = byMinute.get(m - ONLINE_WINDOW)?.onlineEnd ?? null;
    const to = byMinute.get(m)?.onlineEnd ?? null;
    if (from === null || to === null || !(from > 0)) continue;
    const d = (to - from) * sign;
    if (d >= ONLINE_MIN_PEOPLE && d / from >= ONLINE_MIN_CHANGE) out.push({ metric: 'online', direction, a: m - ONLINE_WINDOW + 1, b: m, from, to, size: d / from });
  }
  const gmv = (a: number, b: number) => {
    let s = 0;
    for (let m = a; m <= b; m++) s += byMinute.get(m)?.gmvFen ?? 0;
    return s;
  };
  for (let m = 2 * GMV_WINDOW - 1; m <= last; m++) {
    const to = gmv(m - GMV_WINDOW + 1, m);
    const from = gmv(m - 2 * GMV_WINDOW + 1, m - GMV_WINDOW);
    if (!(from > 0)) continue;
    const d = (to - from) * sign;
    if (d > 0 && d / from >= GMV_MIN_CHANGE) out.push({ metric: 'gmv', direction, a: m - GMV_WINDOW + 1, b: m, from, to, size: d / from });
  }
  return out;
}

/** The three largest non-overlapping moves of each metric, largest first, each with its causes. */
export function findMoments(inp: MomentsInput, direction: Direction, why = new Attribution(inp)): Moment[] {
  const cands = candidates(inp.minutes, direction);
  const picked: Candidate[] = [];
  for (const metric of ['online', 'gmv'] as const) {
    const list = cands.filter((c) => c.metric === metric).sort((x, y) => y.size - x.size || x.a - y.a);
    const mine: Candidate[] = [];
    for (const c of list) {
      if (mine.length >= TOP) break;
      if (mine.some((p) => c.a <= p.b && p.a <= c.b)) continue;
      mine.push(c);
    }
    picked.push(...mine);
  }
  return picked.sort((x, y) => y.size - x.size).map((c) => momentOf(c, why.explain(c)));
}

function momentOf(c: Candidate, causes: Cause[]): Moment {
  const change = c.to / c.from - 1;
  const what = (t: Localiser) =>
    c.metric === 'online'
      ? t('moment.online', { from: formatCount(c.from, t.locale), to: formatCount(c.to, t.locale) })
      : t('moment.gmv', { from: formatMoneyFen(c.from, t.locale), to: formatMoneyFen(c.to, t.locale) });
  const named = causes.slice(0, NAMED);
  // At the start of a sentence: "Minutes 11–13" (the Chinese label has no case).
  const line = inBoth((t) =>
    t('moment.line', {
      span: capitalise(minuteRangeLabel(c.a, c.b, t.locale)),
      what: what(t),
      change: formatChange(change),
      causes: named.length ? named.map((x) => said(x, t)).join(t('report.listSep')) : t('moment.noCause'),
    }),
  );
  return {
    metric: c.metric,
    direction: c.direction,
    startMinute: c.a,
    endMinute: c.b,
    from: c.from,
    to: c.to,
    change,
    causes,
    ...line,
  };
}

/** "minutes 11–13" at the start of a sentence. */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
