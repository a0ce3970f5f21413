/**
 * Every KPI of METRICS.md against the room's targets and its previous sessions (change and
 * rank among the last N), with the few that matter most called out. Pure.
 *
 * - Targets: 商品点击率, 点击成交转化率 and ROI from the room's targets (the alert thresholds), and
 *   成交金额 when the team set a GMV target. `met` at or above target, `near` within the room's
 *   tolerance below it, `below` further down (the dashboard's green / amber / red).
 * - Previous sessions: the room's N shows before this one (newest first). `rank` 1 is the best of
 *   this show and those that have the figure; `changeVsMean` is against their mean.
 * - Callouts: a missed target first (the bigger the gap, the higher), then a record (best or worst
 *   of at least 3 shows), then big moves (±15 % or more vs the mean) of the figures a host is
 *   judged on — GMV, GPM, ROI, click-through, click→order, viewers, watch time, followers.
 */
import type { Kpis } from '../metrics/types.ts';
import type { RoomTargets } from '../alerts/types.ts';
import type { Callout, Headline, HeadlineItem, KpiKey } from './types.ts';
import { KPI_META, formatChange, formatValue } from './labels.ts';
import { inBoth, type Vars } from '../i18n/localiser.ts';
import type { MessageKey } from '../i18n/messages.ts';

export interface PreviousSession {
  sessionId: string;
  startedAt: number;
  title: string;
  kpis: Kpis;
}

/** How much a figure matters to the people reading the report; only these are called out. */
const IMPORTANCE: Partial<Record<KpiKey, number>> = {
  gmvFen: 3,
  gpm: 2.5,
  roi: 2,
  ctr: 2,
  clickToOrder: 2,
  uv: 1.5,
  peakOnline: 1.5,
  avgWatchSec: 1.2,
  newFollowers: 1.2,
  orderValue: 1,
  fansclubJoins: 1,
};
const BIG_MOVE = 0.15;
const MAX_CALLOUTS = 5;

export function targetOf(key: KpiKey, targets: RoomTargets): number | null {
  switch (key) {
    case 'ctr':
      return targets.ctr;
    case 'clickToOrder':
      return targets.clickToOrder;
    case 'roi':
      return targets.roi;
    case 'gmvFen':
      return targets.gmvFen ?? null;
    default:
      return null;
  }
}

export function targetStatus(value: number | null, target: number | null, tolerance: number): HeadlineItem['targetStatus'] {
  if (value === null || target === null || !(target > 0)) return null;
  if (value >= target) return 'met';
  return value >= target * (1 - tolerance) ? 'near' : 'below';
}

function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return a / b - 1;
}

export function buildHeadline(kpis: Kpis, targets: RoomTargets, previous: readonly PreviousSession[]): Headline {
  const items: HeadlineItem[] = KPI_META.map((m) => {
    const value = kpis[m.key];
    const target = targetOf(m.key, targets);
    const prev = previous.map((p) => p.kpis[m.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const mean = prev.length ? prev.reduce((s, v) => s + v, 0) / prev.length : null;
    const lastRaw = previous[0]?.kpis[m.key];
    const last = typeof lastRaw === 'number' ? lastRaw : null;
    let rank: number | null = null;
    if (value !== null && m.better) rank = 1 + prev.filter((v) => (m.better === 'higher' ? v > value : v < value)).length;
    return {
      key: m.key,
      value,
      unit: m.unit,
      better: m.better,
      target,
      vsTarget: ratio(value, target),
      targetStatus: targetStatus(value, target, targets.tolerance),
      previous: {
        n: prev.length,
        mean,
        last,
        changeVsMean: ratio(value, mean),
        changeVsLast: ratio(value, last),
        rank,
        of: prev.length + (value !== null ? 1 : 0),
      },
    };
  });
  return {
    items,
    callouts: callouts(items, previous.length),
    previousSessions: previous.map((p) => ({ sessionId: p.sessionId, startedAt: p.startedAt, title: p.title })),
  };
}

function callouts(items: readonly HeadlineItem[], nPrev: number): Callout[] {
  const out: Callout[] = [];
  for (const it of items) {
    const imp = IMPORTANCE[it.key];
    if (!imp) continue;
    // The figure, its name and its target in the reader's words, for a sentence in either language.
    const say = (key: MessageKey, vars: Vars = {}) =>
      inBoth((t) => t(key, { kpi: t(`kpi.${it.key}`), value: formatValue(it.value, it.unit, t.locale), target: formatValue(it.target, it.unit, t.locale), ...vars }));
    const candidates: Callout[] = [];
    if (it.targetStatus === 'below' || it.targetStatus === 'near') {
      const gap = -(it.vsTarget ?? 0);
      candidates.push({ key: it.key, kind: 'target-missed', weight: 100 + gap * 100 * imp, ...say('callout.targetMissed', { gap: formatChange(gap).replace('+', '') }) });
    } else if (it.targetStatus === 'met' && it.key === 'gmvFen') {
      candidates.push({ key: it.key, kind: 'target-met', weight: 90, ...say('callout.targetMet', { change: formatChange(it.vsTarget) }) });
    }
    const p = it.previous;
    if (p.rank !== null && p.of >= 3 && (p.rank === 1 || p.rank === p.of)) {
      const best = p.rank === 1;
      candidates.push({ key: it.key, kind: best ? 'best' : 'worst', weight: (best ? 50 : 60) + imp * 5, ...say(best ? 'callout.best' : 'callout.worst', { n: p.of }) });
    }
    if (p.changeVsMean !== null && Math.abs(p.changeVsMean) >= BIG_MOVE && nPrev > 0) {
      const good = (p.changeVsMean > 0) === (it.better !== 'lower');
      candidates.push({
        key: it.key,
        kind: p.changeVsMean > 0 ? 'up' : 'down',
        weight: 30 + Math.min(1, Math.abs(p.changeVsMean)) * 20 * imp + (good ? 0 : 5),
        ...say('callout.vsMean', { n: p.n, change: formatChange(p.changeVsMean) }),
      });
    }
    candidates.sort((a, b) => b.weight - a.weight);
    if (candidates[0]) out.push(candidates[0]);
  }
  return out.sort((a, b) => b.weight - a.weight).slice(0, MAX_CALLOUTS);
}
