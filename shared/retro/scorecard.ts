/**
 * R4: the segment scorecard — each 讲解 segment against the room baseline and the product's other
 * segments — and what the report finds on its own: dead air and the biggest drops and gains, each
 * with what happened around it. Pure.
 *
 * Definitions (keep them current; the README and the exports repeat them):
 * - Baseline: the room while a product was explained — Σ segment GMV ÷ Σ segment minutes (¥/min),
 *   Σ GMV ÷ Σ entries × 1000 (GPM, METRICS.md's segment GPM is per entry), Σ clicks ÷ Σ exposures,
 *   Σ orders ÷ Σ clicks over every segment.
 * - A segment's `vsRoom` / `vsProduct` are value ÷ yardstick − 1; the product yardstick pools the
 *   product's other segments. `verdict`: strong / weak when ¥/min is 25 % above / below the
 *   baseline (segments of at least a minute).
 * - `advice`: `followed` when an accepted suggestion's command pinned this product within 3 minutes
 *   before the segment began; `against` when a "next up" for another product was on screen then
 *   and this product was chosen instead; else null.
 * - Dead air: a run of whole minutes with no product explained during which online fell 5 % or
 *   more (from the minute before the run to the end of its last minute).
 * - Drops and gains: online over 3-minute windows (end of minute m−3 → end of minute m, at least
 *   10 % and 20 people), GMV over 3 minutes against the 3 before (at least 30 %); the three
 *   largest of each, not overlapping, with causes found in the window and the minute before it:
 *   a product switch, no product explained, platform markers, alerts, ad actions, paid or
 *   recommended traffic moving by 30 % or more, a product selling out.
 */
import type { MinuteRow, ProductRow, SegmentRow } from '../metrics/types.ts';
import type { Alert, SessionMarker } from '../contract.ts';
import type { Decision } from '../suggest/live.ts';
import type { TrafficMinute } from './extras.ts';
import type { DeadAir, Moment, Scorecard, SegmentScore } from './types.ts';
import { SOURCE_LABELS } from './labels.ts';
import { formatChange } from './labels.ts';
import { formatCount, formatMoneyFen } from '../format.ts';
import { minuteRangeLabel } from '../minutes.ts';

/** An ad console action as the report reads it (ad_actions, A4). */
export interface RetroAdAction {
  id: string;
  ts: number;
  planId: string;
  /** 'budget' | 'pause' | 'resume' (the ad console's words) */
  type: string;
  before: number | null;
  after: number | null;
  byName: string | null;
  reason: string | null;
  source: string;
}

export interface ScorecardInput {
  startedAt: number;
  minutes: readonly MinuteRow[];
  segments: readonly SegmentRow[];
  products: readonly ProductRow[];
  decisions: readonly Decision[];
  alerts: readonly Alert[];
  markers: readonly SessionMarker[];
  adActions: readonly RetroAdAction[];
  traffic: readonly TrafficMinute[];
}

const ADVICE_WINDOW_MS = 3 * 60_000;
const DEAD_AIR_FALL = 0.05;
const ONLINE_WINDOW = 3;
const ONLINE_MIN_CHANGE = 0.1;
const ONLINE_MIN_PEOPLE = 20;
const GMV_WINDOW = 3;
const GMV_MIN_CHANGE = 0.3;
const TRAFFIC_MOVE = 0.3;
const TOP = 3;
const VERDICT = 0.25;

function rate(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}
function rel(v: number | null, base: number | null): number | null {
  return v === null || base === null || !(base > 0) ? null : v / base - 1;
}

export function buildScorecard(inp: ScorecardInput): Scorecard {
  const titles = new Map(inp.products.map((p) => [p.productId, p]));
  const segs = inp.segments;
  const tot = segs.reduce(
    (a, s) => ({ gmv: a.gmv + s.gmvFen, sec: a.sec + s.durationSec, enters: a.enters + s.enters, exp: a.exp + s.exposures, clicks: a.clicks + s.clicks, orders: a.orders + s.orders }),
    { gmv: 0, sec: 0, enters: 0, exp: 0, clicks: 0, orders: 0 },
  );
  const baseline = {
    gmvPerMin: tot.sec > 0 ? tot.gmv / 100 / (tot.sec / 60) : null,
    gpm: tot.enters > 0 ? (tot.gmv / 100 / tot.enters) * 1000 : null,
    ctr: rate(tot.clicks, tot.exp),
    clickToOrder: rate(tot.orders, tot.clicks),
  };
  const accepted = inp.decisions.filter((d) => d.action === 'accepted');
  const shownNext = inp.decisions.filter((d) => d.action === 'shown' && d.kind === 'next-up');
  const segments: SegmentScore[] = segs.map((s, index) => {
    const gmvPerMin = s.durationSec > 0 ? s.gmvFen / 100 / (s.durationSec / 60) : null;
    const others = segs.filter((o) => o !== s && o.productId === s.productId);
    let vsProduct: SegmentScore['vsProduct'] = null;
    if (others.length) {
      const o = others.reduce((a, x) => ({ gmv: a.gmv + x.gmvFen, sec: a.sec + x.durationSec, exp: a.exp + x.exposures, clicks: a.clicks + x.clicks, orders: a.orders + x.orders }), { gmv: 0, sec: 0, exp: 0, clicks: 0, orders: 0 });
      vsProduct = {
        others: others.length,
        gmvPerMin: rel(gmvPerMin, o.sec > 0 ? o.gmv / 100 / (o.sec / 60) : null),
        ctr: rel(s.ctr, rate(o.clicks, o.exp)),
        clickToOrder: rel(s.clickToOrder, rate(o.orders, o.clicks)),
      };
    }
    const vsRoom = { gmvPerMin: rel(gmvPerMin, baseline.gmvPerMin), gpm: rel(s.gpm, baseline.gpm), ctr: rel(s.ctr, baseline.ctr), clickToOrder: rel(s.clickToOrder, baseline.clickToOrder) };
    const p = titles.get(s.productId);
    return {
      index,
      productId: s.productId,
      title: p?.title ?? s.productId,
      role: p?.role ?? null,
      startTs: s.startTs,
      endTs: s.endTs,
      startMinute: Math.max(0, Math.floor((s.startTs - inp.startedAt) / 60_000)),
      durationSec: s.durationSec,
      gmvFen: s.gmvFen,
      gmvPerMin,
      gpm: s.gpm,
      ctr: s.ctr,
      clickToOrder: s.clickToOrder,
      orders: s.orders,
      exposures: s.exposures,
      clicks: s.clicks,
      enters: s.enters,
      onlineStart: s.onlineStart,
      onlineEnd: s.onlineEnd,
      onlineChange: s.onlineStart !== null && s.onlineEnd !== null ? rel(s.onlineEnd, s.onlineStart) : null,
      vsRoom,
      vsProduct,
      advice: adviceOf(s, accepted, shownNext),
      verdict: s.durationSec >= 60 && vsRoom.gmvPerMin !== null ? (vsRoom.gmvPerMin >= VERDICT ? 'strong' : vsRoom.gmvPerMin <= -VERDICT ? 'weak' : 'normal') : 'normal',
    };
  });
  const ctx = new Context(inp, titles);
  return { segments, baseline, deadAir: deadAir(inp.minutes), drops: moments(inp.minutes, ctx, 'drop'), gains: moments(inp.minutes, ctx, 'gain') };
}

function commandProduct(d: Decision): string | null {
  const c = d.command;
  if (c && (c.type === 'pin' || c.type === 'flash')) return c.productId;
  return d.kind === 'switch-now' ? (typeof d.figures.toProductId === 'string' ? d.figures.toProductId : null) : d.productId;
}

function adviceOf(s: SegmentRow, accepted: readonly Decision[], shownNext: readonly Decision[]): SegmentScore['advice'] {
  const near = (d: Decision) => d.ts <= s.startTs + 5_000 && d.ts >= s.startTs - ADVICE_WINDOW_MS;
  if (accepted.some((d) => near(d) && commandProduct(d) === s.productId)) return 'followed';
  // A "next up" on screen for another product when this one was chosen (and not this product's own card).
  const onScreen = shownNext.filter(near);
  if (onScreen.length && !onScreen.some((d) => d.productId === s.productId)) return 'against';
  return null;
}

function deadAir(minutes: readonly MinuteRow[]): DeadAir[] {
  const out: DeadAir[] = [];
  let i = 0;
  while (i < minutes.length) {
    if (minutes[i]!.pinnedProductId !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < minutes.length && minutes[j + 1]!.pinnedProductId === null) j++;
    const before = i > 0 ? minutes[i - 1]!.onlineEnd : minutes[i]!.onlineAvg;
    const after = minutes[j]!.onlineEnd;
    if (before !== null && after !== null && before > 0) {
      const change = after / before - 1;
      if (change <= -DEAD_AIR_FALL) {
        const a = minutes[i]!.minute;
        const b = minutes[j]!.minute;
        out.push({
          startMinute: a,
          endMinute: b,
          minutes: b - a + 1,
          onlineFrom: before,
          onlineTo: after,
          change,
          zh: `${minuteRangeLabel(a, b, 'zh-CN')}没有讲解商品，在线从 ${formatCount(before, 'zh-CN')} 降到 ${formatCount(after, 'zh-CN')}（${formatChange(change)}）`,
          en: `${capitalise(minuteRangeLabel(a, b, 'en'))}: no product explained while online fell from ${formatCount(before, 'en')} to ${formatCount(after, 'en')} (${formatChange(change)})`,
        });
      }
    }
    i = j + 1;
  }
  return out;
}

/** What the report knows happened in a window: the causes of a move. */
class Context {
  private readonly byMinute: Map<number, MinuteRow>;
  private readonly traffic: Map<number, TrafficMinute['bySource']>;
  constructor(
    private readonly inp: ScorecardInput,
    private readonly products: Map<string, ProductRow>,
  ) {
    this.byMinute = new Map(inp.minutes.map((m) => [m.minute, m]));
    this.traffic = new Map(inp.traffic.map((t) => [t.minute, t.bySource]));
  }

  private title(id: string | null): string {
    return id === null ? '—' : (this.products.get(id)?.title ?? id);
  }

  private minuteOf(ts: number): number {
    return Math.floor((ts - this.inp.startedAt) / 60_000);
  }

  private sourceSum(from: number, to: number, src: 'paid' | 'recommend'): number {
    let s = 0;
    for (let m = from; m <= to; m++) s += this.traffic.get(m)?.[src] ?? 0;
    return s;
  }

  explain(a: number, b: number): { causes: Moment['causes']; zh: string[]; en: string[] } {
    const causes: Moment['causes'] = [];
    const zh: string[] = [];
    const en: string[] = [];
    const from = a - 1;
    const pins: Array<string | null> = [];
    for (let m = from; m <= b; m++) {
      const row = this.byMinute.get(m);
      if (!row) continue;
      if (!pins.length || pins[pins.length - 1] !== row.pinnedProductId) pins.push(row.pinnedProductId);
    }
    if (pins.length > 1) {
      causes.push('switch');
      zh.push(`换品：${pins.map((p) => this.title(p)).join(' → ')}`);
      en.push(`switch: ${pins.map((p) => this.title(p)).join(' → ')}`);
    }
    if (pins.includes(null)) {
      causes.push('unpinned');
      zh.push('有分钟没有讲解商品');
      en.push('minutes with no product explained');
    }
    const marks = this.inp.markers.filter((k) => k.minute >= from && k.minute <= b);
    if (marks.length) {
      causes.push('marker');
      const names: Record<string, [string, string]> = { flash: ['秒杀', 'flash deal'], giveaway: ['福袋', 'giveaway'], warning: ['违规提醒', 'platform warning'], note: ['备注', 'note'] };
      const kinds = [...new Set(marks.map((k) => k.kind))];
      zh.push(kinds.map((k) => names[k]?.[0] ?? k).join('、'));
      en.push(kinds.map((k) => names[k]?.[1] ?? k).join(', '));
    }
    const alerts = this.inp.alerts.filter((x) => x.minute >= from && x.minute <= b);
    const soldOut = alerts.filter((x) => x.kind === 'lowStock' && Number(x.params.stock) === 0);
    if (soldOut.length) {
      causes.push('sold-out');
      zh.push(`售罄：${soldOut.map((x) => String(x.params.title ?? x.params.productId)).join('、')}`);
      en.push(`sold out: ${soldOut.map((x) => String(x.params.title ?? x.params.productId)).join(', ')}`);
    }
    if (alerts.length > soldOut.length) {
      causes.push('alert');
      zh.push(`预警 ${alerts.length - soldOut.length} 条`);
      en.push(`${alerts.length - soldOut.length} alert(s)`);
    }
    const ads = this.inp.adActions.filter((x) => this.minuteOf(x.ts) >= from && this.minuteOf(x.ts) <= b);
    if (ads.length) {
      causes.push('ad');
      zh.push(`投放调整：${ads.map((x) => adActionText(x, 'zh-CN')).join('、')}`);
      en.push(`ad changes: ${ads.map((x) => adActionText(x, 'en')).join(', ')}`);
    }
    const len = b - a + 1;
    for (const src of ['paid', 'recommend'] as const) {
      const now = this.sourceSum(a, b, src);
      const before = this.sourceSum(a - len, a - 1, src);
      const change = before > 0 ? now / before - 1 : null;
      if (change !== null && Math.abs(change) >= TRAFFIC_MOVE && Math.max(now, before) >= 20) {
        causes.push(src === 'paid' ? 'paid-traffic' : 'recommend-traffic');
        zh.push(`${SOURCE_LABELS[src].zh}进入 ${formatChange(change)}`);
        en.push(`${SOURCE_LABELS[src].en.toLowerCase()} entries ${formatChange(change)}`);
      }
    }
    return { causes, zh, en };
  }
}

/** "qc-main 预算 ¥200→¥300/分钟", "qc-main 暂停" — the ad console's action types (adBudget, adPause, adResume). */
export function adActionText(a: RetroAdAction, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  if (a.type === 'adPause') return `${a.planId} ${zh ? '暂停' : 'paused'}`;
  if (a.type === 'adResume') return `${a.planId} ${zh ? '恢复' : 'resumed'}`;
  const money = (f: number | null) => (f === null ? '—' : formatMoneyFen(f, locale));
  return `${a.planId} ${zh ? '预算' : 'budget'} ${money(a.before)}→${money(a.after)}${zh ? '/分钟' : '/min'}`;
}

function moments(minutes: readonly MinuteRow[], ctx: Context, direction: 'drop' | 'gain'): Moment[] {
  const sign = direction === 'drop' ? -1 : 1;
  const cands: Array<{ metric: Moment['metric']; a: number; b: number; from: number; to: number; size: number }> = [];
  const byMinute = new Map(minutes.map((m) => [m.minute, m]));
  const last = minutes.length ? minutes[minutes.length - 1]!.minute : -1;
  for (let m = ONLINE_WINDOW; m <= last; m++) {
    const from = byMinute.get(m - ONLINE_WINDOW)?.onlineEnd ?? null;
    const to = byMinute.get(m)?.onlineEnd ?? null;
    if (from === null || to === null || !(from > 0)) continue;
    const d = (to - from) * sign;
    if (d >= ONLINE_MIN_PEOPLE && d / from >= ONLINE_MIN_CHANGE) cands.push({ metric: 'online', a: m - ONLINE_WINDOW + 1, b: m, from, to, size: d / from });
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
    if (d > 0 && d / from >= GMV_MIN_CHANGE) cands.push({ metric: 'gmv', a: m - GMV_WINDOW + 1, b: m, from, to, size: d / from });
  }
  const picked: typeof cands = [];
  for (const metric of ['online', 'gmv'] as const) {
    const list = cands.filter((c) => c.metric === metric).sort((x, y) => y.size - x.size || x.a - y.a);
    const mine: typeof cands = [];
    for (const c of list) {
      if (mine.length >= TOP) break;
      if (mine.some((p) => c.a <= p.b && p.a <= c.b)) continue;
      mine.push(c);
    }
    picked.push(...mine);
  }
  return picked
    .sort((x, y) => y.size - x.size)
    .map((c) => {
      const why = ctx.explain(c.a, c.b);
      const change = c.to / c.from - 1;
      const what =
        c.metric === 'online'
          ? { zh: `在线 ${formatCount(c.from, 'zh-CN')} → ${formatCount(c.to, 'zh-CN')}`, en: `online ${formatCount(c.from, 'en')} → ${formatCount(c.to, 'en')}` }
          : { zh: `3分钟成交 ${formatMoneyFen(c.from, 'zh-CN')} → ${formatMoneyFen(c.to, 'zh-CN')}`, en: `3-minute GMV ${formatMoneyFen(c.from, 'en')} → ${formatMoneyFen(c.to, 'en')}` };
      return {
        metric: c.metric,
        direction,
        startMinute: c.a,
        endMinute: c.b,
        from: c.from,
        to: c.to,
        change,
        causes: why.causes,
        zh: `${minuteRangeLabel(c.a, c.b, 'zh-CN')} ${what.zh}（${formatChange(change)}）：${why.zh.length ? why.zh.join('；') : '日志中没有找到明显原因'}`,
        en: `${capitalise(minuteRangeLabel(c.a, c.b, 'en'))}: ${what.en} (${formatChange(change)}): ${why.en.length ? why.en.join('; ') : 'no cause found in the log'}`,
      };
    });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
