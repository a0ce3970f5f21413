/**
 * The funnel (views → product exposures → clicks → orders, with the rate at each step), the
 * traffic-source mix over time and the comment demand words. Pure.
 */
import type { Kpis } from '../metrics/types.ts';
import { TrafficSources, type TrafficSource } from '../protocol.ts';
import type { RetroExtras } from './extras.ts';
import type { DemandReport, Funnel, FunnelStep, TrafficMix } from './types.ts';
import { inBoth } from '../i18n/localiser.ts';

function rate(num: number | null, den: number | null): number | null {
  return num === null || den === null || !(den > 0) ? null : num / den;
}

/**
 * Counted by events (次数), as METRICS.md's ctr / clickToOrder / viewToOrder are: exposures ÷ views
 * (商品曝光率, above 1 when a view sees several products), clicks ÷ exposures (商品点击率), orders ÷
 * clicks (点击成交转化率); overall orders ÷ views (看播成交转化率).
 */
/** A step and the rate that leads to it, named in both languages. */
function step(key: FunnelStep['key'], value: number, r: { key: Exclude<FunnelStep['key'], 'pv'>; value: number | null } | null): FunnelStep {
  const name = inBoth((t) => t(`funnel.${key}`));
  const rateName = r ? inBoth((t) => t(`funnel.rate.${r.key}`)) : null;
  return { key, zh: name.zh, en: name.en, value, rate: r?.value ?? null, rateZh: rateName?.zh ?? null, rateEn: rateName?.en ?? null };
}

export function buildFunnel(k: Kpis): Funnel {
  return {
    steps: [
      step('pv', k.pv, null),
      step('exposures', k.exposures, { key: 'exposures', value: rate(k.exposures, k.pv) }),
      step('clicks', k.clicks, { key: 'clicks', value: rate(k.clicks, k.exposures) }),
      step('orders', k.orders, { key: 'orders', value: rate(k.orders, k.clicks) }),
    ],
    overall: rate(k.orders, k.pv),
    people: { uv: k.uv, buyers: k.buyers, viewToBuyer: k.viewToBuyer },
  };
}

function zero(): Record<TrafficSource, number> {
  return { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };
}

function shares(t: Record<TrafficSource, number>): Record<TrafficSource, number | null> {
  const sum = TrafficSources.reduce((s, k) => s + t[k], 0);
  const out = {} as Record<TrafficSource, number | null>;
  for (const k of TrafficSources) out[k] = sum > 0 ? t[k] / sum : null;
  return out;
}

/** `minuteCount`: the show's minutes (every minute gets a row, 0 where nobody entered). */
export function buildTrafficMix(extras: Pick<RetroExtras, 'traffic'>, minuteCount: number, phasesWanted = 8): TrafficMix {
  const last = Math.max(minuteCount - 1, extras.traffic.length ? extras.traffic[extras.traffic.length - 1]!.minute : -1);
  const byMinute = new Map(extras.traffic.map((t) => [t.minute, t.bySource]));
  const perMinute: TrafficMix['perMinute'] = [];
  const totals = zero();
  for (let m = 0; m <= last; m++) {
    const row = { ...zero(), ...(byMinute.get(m) ?? {}) };
    for (const k of TrafficSources) totals[k] += row[k];
    perMinute.push({ minute: m, bySource: row });
  }
  const phases: TrafficMix['phases'] = [];
  const n = perMinute.length;
  const count = Math.min(phasesWanted, n);
  for (let i = 0; i < count; i++) {
    const a = Math.floor((i * n) / count);
    const b = Math.floor(((i + 1) * n) / count) - 1;
    const t = zero();
    for (let m = a; m <= b; m++) for (const k of TrafficSources) t[k] += perMinute[m]!.bySource[k];
    phases.push({ fromMinute: a, toMinute: b, enters: TrafficSources.reduce((s, k) => s + t[k], 0), shares: shares(t) });
  }
  const all = TrafficSources.reduce((s, k) => s + totals[k], 0);
  return { sources: TrafficSources, totals, shares: shares(totals), perMinute, phases, naturalShare: all > 0 ? (all - totals.paid) / all : null };
}

export function buildDemand(extras: Pick<RetroExtras, 'demand' | 'comments'>, top = 20): DemandReport {
  const demandComments = extras.demand.perMinute.reduce((s, n) => s + n, 0);
  return {
    words: extras.demand.words.slice(0, top).map((w) => ({ word: w.word, count: w.count })),
    products: extras.demand.products.slice(0, top).map((p) => ({ productId: p.productId, title: p.title, count: p.count })),
    perMinute: extras.demand.perMinute.slice(),
    demandShare: extras.comments > 0 ? demandComments / extras.comments : null,
    comments: extras.comments,
  };
}
