/**
 * The room's paid traffic (千川-style ad plans): budgets the app can change, spend delivered with
 * a lag and diminishing returns, the viewers it brings and the orders attributed to each plan.
 * Draws from the ads stream only (the viewers it admits draw from the traffic stream).
 */
import type { CommandAck, FeedCommand } from '../../../shared/protocol.ts';
import type { Audience } from './audience.ts';
import type { Buffer } from './params.ts';
import type { Rng } from './rng.ts';
import type { Scenario } from './scenario.ts';

interface AdPlanState {
  planId: string;
  budgetFenPerMin: number;
  paused: boolean;
  cpmFen: number;
  enterRate: number;
  /** delivered spend rate, fen/min: follows the budget with a lag */
  rateFenPerMin: number;
  spendFen: number;
  impressions: number;
  clicks: number;
  views: number;
  orders: number;
  gmvFen: number;
  dirty: boolean;
}

type AdCommand = Extract<FeedCommand, { type: 'adBudget' | 'adPause' | 'adResume' }>;

export class AdPlans {
  private readonly scenario: Scenario;
  private readonly rAds: Rng;
  private readonly plans: AdPlanState[];

  constructor(scenario: Scenario, rAds: Rng) {
    this.scenario = scenario;
    this.rAds = rAds;
    const t = scenario.traffic;
    this.plans = scenario.ads.map((a) => ({
      planId: a.planId,
      budgetFenPerMin: a.budgetFenPerMin,
      paused: a.paused ?? false,
      cpmFen: a.cpmFen ?? t.cpmFen,
      enterRate: a.paidEnterRate ?? t.paidEnterRate,
      rateFenPerMin: 0,
      spendFen: 0,
      impressions: 0,
      clicks: 0,
      views: 0,
      orders: 0,
      gmvFen: 0,
      dirty: false,
    }));
  }

  command(cmd: AdCommand): CommandAck {
    const plan = this.plans.find((a) => a.planId === cmd.planId);
    if (!plan) return { ok: false, error: `unknown ad plan "${cmd.planId}"` };
    if (cmd.type === 'adBudget') {
      plan.budgetFenPerMin = cmd.budgetFenPerMin;
    } else {
      plan.paused = cmd.type === 'adPause';
      // Pausing stops delivery at once; resuming ramps up again from zero (the lag).
      if (plan.paused) plan.rateFenPerMin = 0;
    }
    plan.dirty = true;
    return { ok: true };
  }

  /** Each plan's spend this second and the viewers it brings into `audience`. Returns the entries. */
  deliver(audience: Audience): number {
    const tr = this.scenario.traffic;
    const lagAlpha = 1 - Math.exp(-1 / (tr.adLagSec ?? 60));
    const saturation = tr.adSaturationFenPerMin ?? 30_000;
    let entries = 0;
    this.plans.forEach((plan, idx) => {
      if (plan.paused) plan.rateFenPerMin = 0;
      else plan.rateFenPerMin += (plan.budgetFenPerMin - plan.rateFenPerMin) * lagAlpha;
      if (plan.rateFenPerMin < 0.5 && (plan.paused || plan.budgetFenPerMin === 0)) plan.rateFenPerMin = 0;
      const spend = plan.rateFenPerMin / 60;
      if (spend <= 0) return;
      plan.spendFen += spend;
      // Diminishing returns: the more a plan spends, the dearer each extra impression.
      const imp = this.rAds.poisson(((spend / plan.cpmFen) * 1000) / Math.sqrt(1 + plan.rateFenPerMin / saturation));
      const views = this.rAds.binomial(imp, plan.enterRate);
      plan.impressions += imp;
      plan.views += views;
      plan.clicks += views + this.rAds.binomial(imp, plan.enterRate * 0.25);
      if (views > 0) {
        audience.admit(views, 'paid', idx);
        entries += views;
      }
    });
    return entries;
  }

  /** An order by a viewer the plan at `planIdx` brought. */
  creditOrder(planIdx: number, amountFen: number): void {
    const plan = this.plans[planIdx];
    if (plan) {
      plan.orders++;
      plan.gmvFen += amountFen;
    }
  }

  /** `dirtyOnly`: between the 10-second reports, only plans a command just changed report. */
  flush(buf: Buffer, ts: number, dirtyOnly: boolean): void {
    for (const plan of this.plans) {
      if (dirtyOnly && !plan.dirty) continue;
      plan.dirty = false;
      buf.push({
        type: 'ad',
        ts,
        planId: plan.planId,
        spendFen: Math.floor(plan.spendFen),
        impressions: plan.impressions,
        clicks: plan.clicks,
        views: plan.views,
        orders: plan.orders,
        gmvFen: plan.gmvFen,
        budgetFenPerMin: plan.budgetFenPerMin,
      });
    }
  }
}
