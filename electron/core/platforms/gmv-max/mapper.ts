/**
 * One GMV Max poll → FEED-PROTOCOL `ad` events, one per LIVE campaign and one per LIVE session:
 * - campaign: `planId` = campaign_id (64-bit, exact, as a string), `planKind: "gmvMax"`, name,
 *   status, `dailyBudgetFen` = budget, `roiGoal` = roas_bid, `spendFen` = cost, `gmvFen` =
 *   gross_revenue, `orders`, `views` = live_views;
 * - session: `planId` = session_id, `planKind: "gmvMaxSession"`, its budget; its spend is part of its
 *   campaign's (the report has no session dimension), so a session says `spendFen: 0`.
 * Every `ad` event carries `currency` (the advertiser's): its `…Fen` amounts are minor units of it.
 *
 * The report is per day (the advertiser's day). The figures sent are cumulative since the source
 * began: when the day turns, the last day's totals are carried, so spend never runs backwards
 * (the ad console counts growth of cumulative figures).
 *
 * Status (FEED-PROTOCOL `ad.status`) from `operation_status` (confirmed: ENABLE / DISABLE):
 * DISABLE → paused; DELETE or anything else → other; ENABLE → budgetExhausted when a fixed budget
 * (no auto budget) is spent today, else delivering. The platform's secondary statuses are not in
 * the SDK's GMV Max models, so "delivering" means "switched on, budget left".
 *
 * Plain class: no I/O, no clock. Never throws on odd input: a figure it cannot keep exactly is
 * left out and quarantined with the reason.
 */
import type { AdPlanStatus } from '../../../../shared/protocol.ts';
import { emptyResult, type MapResult, type SourceEvent } from '../../sources/common.ts';
import type { CampaignRow, ReportRow, SessionRow } from './read.ts';
import { readMinor } from './units.ts';

export type GmvMaxPlanKind = 'gmvMax' | 'gmvMaxSession';

export interface GmvMaxSnapshot {
  at: number;
  /** The advertiser's day the report covers (YYYY-MM-DD). */
  day: string;
  currency: string;
  /** Campaign settings read this poll (a campaign whose info failed is left out). */
  campaigns: CampaignRow[];
  /** Today's report rows, or null when the report could not be read. */
  report: ReportRow[] | null;
  /** The campaigns' sessions, or null when not read this poll. */
  sessions: SessionRow[] | null;
}

interface Totals {
  cost: number;
  gmv: number;
  orders: number;
  views: number;
}

const ZERO: Totals = { cost: 0, gmv: 0, orders: 0, views: 0 };

function plus(a: Totals, b: Totals): Totals {
  return { cost: a.cost + b.cost, gmv: a.gmv + b.gmv, orders: a.orders + b.orders, views: a.views + b.views };
}

export function campaignStatus(c: Pick<CampaignRow, 'operationStatus' | 'autoBudget'>, spentTodayMinor: number | null, budgetMinor: number | null): AdPlanStatus {
  if (c.operationStatus === 'DISABLE') return 'paused';
  if (c.operationStatus !== 'ENABLE') return 'other';
  if (c.autoBudget !== true && budgetMinor !== null && budgetMinor > 0 && spentTodayMinor !== null && spentTodayMinor >= budgetMinor) return 'budgetExhausted';
  return 'delivering';
}

export class GmvMaxMapper {
  /** Per campaign: totals of the days before `day`, and the last read of `day`. */
  private readonly carried = new Map<string, { day: string; base: Totals; today: Totals }>();
  /** Per campaign: its last known settings (a poll whose info failed keeps them). */
  private readonly settings = new Map<string, CampaignRow>();
  /** Each campaign's spend today (minor units), as last read. */
  readonly spentToday = new Map<string, number>();

  map(s: GmvMaxSnapshot): MapResult {
    const out = emptyResult();
    out.answered = true;
    const problems = new Set<string>();
    const money = (what: string, v: unknown): number | undefined => {
      const r = readMinor(v, s.currency);
      if (r === null) return undefined;
      if ('problem' in r) {
        const reason = `gmv-max: ${what}: ${r.problem}`;
        if (!problems.has(reason)) {
          problems.add(reason);
          out.quarantined.push({ reason: `gmv-max: an amount not kept (${r.problem.replace(/[\d.]+/g, 'N').slice(0, 80)})`, raw: { what, value: v } });
        }
        return undefined;
      }
      return r.minor;
    };
    for (const c of s.campaigns) this.settings.set(c.campaignId, c);
    const rows = new Map((s.report ?? []).map((r) => [r.campaignId, r]));
    const ids = new Set<string>([...rows.keys(), ...s.campaigns.map((c) => c.campaignId)]);
    for (const id of ids) {
      const row = rows.get(id);
      const totals = this.totals(id, s.day, row, money);
      const c = this.settings.get(id);
      const e: Record<string, unknown> = { type: 'ad', planId: id, planKind: 'gmvMax', spendFen: totals?.cost ?? this.lastCost(id), currency: s.currency, ts: s.at };
      if (totals) {
        e.gmvFen = totals.gmv;
        e.orders = totals.orders;
        e.views = totals.views;
      }
      if (c) {
        const budget = money(`campaign ${id} budget`, c.budget) ?? null;
        e.name = c.name.slice(0, 200);
        e.status = campaignStatus(c, this.spentToday.get(id) ?? null, budget);
        if (budget !== null && budget > 0) e.dailyBudgetFen = budget;
        if (c.roasBid !== undefined && c.roasBid > 0 && c.roasBid <= 1000) e.roiGoal = c.roasBid;
      }
      out.events.push(e as SourceEvent);
    }
    for (const ses of s.sessions ?? []) {
      const c = this.settings.get(ses.campaignId);
      const budget = money(`session ${ses.sessionId} budget`, ses.budget) ?? null;
      const status: AdPlanStatus = !c ? 'other' : c.operationStatus === 'DISABLE' ? 'paused' : c.operationStatus === 'ENABLE' ? 'delivering' : 'other';
      const when = ses.scheduleStartTime ? ` ${ses.scheduleStartTime.slice(0, 16)}` : '';
      const e: Record<string, unknown> = {
        type: 'ad',
        planId: ses.sessionId,
        planKind: 'gmvMaxSession',
        campaignId: ses.campaignId,
        spendFen: 0,
        name: `${c?.name ?? ses.campaignId} · LIVE${when}`.slice(0, 200),
        status,
        currency: s.currency,
        ts: s.at,
      };
      if (budget !== null && budget > 0) e.dailyBudgetFen = budget;
      out.events.push(e as SourceEvent);
    }
    return out;
  }

  private lastCost(id: string): number {
    const k = this.carried.get(id);
    return k ? k.base.cost + k.today.cost : 0;
  }

  /** The campaign's cumulative totals since the source began, or null when this poll has none for it. */
  private totals(id: string, day: string, row: ReportRow | undefined, money: (what: string, v: unknown) => number | undefined): Totals | null {
    let k = this.carried.get(id);
    if (!k) {
      k = { day, base: ZERO, today: ZERO };
      this.carried.set(id, k);
    }
    if (day !== k.day) {
      // A new day: yesterday's last read is carried; a report of an older day (late answer) adds nothing.
      if (day < k.day) return null;
      k.base = plus(k.base, k.today);
      k.today = ZERO;
      k.day = day;
      this.spentToday.set(id, 0);
    }
    if (!row) return null;
    const cost = money(`campaign ${id} cost`, row.cost);
    const gmv = money(`campaign ${id} gross_revenue`, row.grossRevenue);
    // A figure revised down (the platform's figures move for days) keeps the high mark of the day.
    k.today = {
      cost: Math.max(k.today.cost, cost ?? 0),
      gmv: Math.max(k.today.gmv, gmv ?? 0),
      orders: Math.max(k.today.orders, row.orders ?? 0),
      views: Math.max(k.today.views, row.liveViews ?? 0),
    };
    this.spentToday.set(id, k.today.cost);
    return plus(k.base, k.today);
  }
}
