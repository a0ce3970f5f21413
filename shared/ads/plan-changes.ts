/**
 * Changes to an ad plan on the platform itself (千川 daily budget, bid, ROI goal, pause, resume;
 * TikTok GMV Max campaign budget, ROAS target, pause, resume, and LIVE session budget):
 * what a change is, the guard rails a team sets, and the preview a buyer confirms. Pure: the core
 * checks with these before it sends anything, the screen shows the same words.
 *
 * Guard rails are the team's own limits on top of the platform's: peers all keep one (a step, a
 * cooldown, a daily cap) because a fat-fingered 10× budget on a hot night costs real money. They
 * are on by default; a team can widen or switch each off (null) per room.
 */
import { z } from 'zod';
import type { AdActionRecord } from './console.ts';

export const PlanChangeFields = ['dailyBudget', 'bid', 'roiGoal', 'pause', 'resume'] as const;
export type PlanChangeField = (typeof PlanChangeFields)[number];

export const GuardRailsSchema = z
  .object({
    /** Largest change of a daily budget in one step, percent of the current value (up or down). */
    maxBudgetStepPct: z.number().min(1).max(10_000).nullable(),
    maxBidStepPct: z.number().min(1).max(10_000).nullable(),
    maxRoiStepPct: z.number().min(1).max(10_000).nullable(),
    /** Minutes between two changes of the same plan (pause beats everything: never held back). */
    cooldownMin: z.number().min(0).max(24 * 60).nullable(),
    /** Changes per plan per day (China's day). */
    maxChangesPerPlanPerDay: z.number().int().min(1).max(1000).nullable(),
    /** The highest daily budget the team lets one plan have, fen. */
    maxDailyBudgetFen: z.number().int().min(100).max(1e12).nullable(),
  })
  .strict();
export type GuardRails = z.infer<typeof GuardRailsSchema>;

/** Peers' own defaults: a 50 % budget step, bids 20 %, ROI goals 10 % with a 30-minute cooldown; 20 edits a plan a day. */
export const DEFAULT_GUARD_RAILS: GuardRails = {
  maxBudgetStepPct: 50,
  maxBidStepPct: 20,
  maxRoiStepPct: 10,
  cooldownMin: 10,
  maxChangesPerPlanPerDay: 20,
  maxDailyBudgetFen: null,
};

/** ROI goals get a longer cooldown: changing one can void the platform's 成本保障 and the plan relearns. */
export const ROI_COOLDOWN_MIN = 30;

/**
 * What a plan is on its platform: 千川 standard (直播带货) and 全域推广 plans; TikTok GMV Max (LIVE)
 * campaigns and their LIVE sessions.
 */
export const PlanKinds = ['standard', 'uni', 'gmvMax', 'gmvMaxSession'] as const;
export type PlanKind = (typeof PlanKinds)[number];

export function isGmvMaxKind(kind: PlanKind): kind is 'gmvMax' | 'gmvMaxSession' {
  return kind === 'gmvMax' || kind === 'gmvMaxSession';
}

/** A plan's settings as last read from the platform. */
export interface PlanSettings {
  planId: string;
  name: string;
  kind: PlanKind;
  /**
   * The currency of the plan's money (ISO 4217); absent: CNY (千川). Budget, bid and spend are
   * minor units of it (fen, cents, …; đồng and yen are their own minor unit).
   */
  currency?: string;
  status: 'delivering' | 'paused' | 'budgetExhausted' | 'other';
  dailyBudgetFen: number | null;
  bidFen: number | null;
  roiGoal: number | null;
  /** Spend so far today (fen) and the recent rate (fen a minute), for "lasts until". */
  spendTodayFen: number | null;
  spendPerMinFen: number | null;
  /** When these were read (epoch ms). */
  readAt: number;
}

/** One blocking problem or a warning, as a code the screen words with its params. */
export interface ChangeProblem {
  code: string;
  params: Record<string, string | number>;
}

export interface PlanChangeItem {
  planId: string;
  name: string;
  kind: PlanKind;
  /** The plan's currency (absent: CNY): before/after of a budget or bid are its minor units. */
  currency?: string;
  /** In the field's unit: fen for budget and bid, the ratio for ROI goals; null for pause / resume. */
  before: number | null;
  after: number | null;
  /** Percent step (after vs before), when both are numbers. */
  stepPct: number | null;
  /** Budget: when the new budget runs out at the current spend rate (epoch ms), null when it does not today. */
  lastsUntil: number | null;
  problems: ChangeProblem[];
  warnings: ChangeProblem[];
}

export interface PlanChangePreview {
  id: string;
  roomId: string;
  field: PlanChangeField;
  items: PlanChangeItem[];
  /** Platform calls the change takes (its per-call limits split a batch). */
  calls: number;
  /** Blocked when any item has a problem: the buyer fixes the value or the team's rails. */
  blocked: boolean;
  /** A preview is confirmed within this time or made again: settings move under a live plan. */
  expiresAt: number;
  reason: string | null;
  revertOf: string | null;
}

export type PlanChangeOutcomeKind = 'confirmed' | 'refused' | 'unconfirmed';

export interface PlanChangeResult {
  planId: string;
  outcome: PlanChangeOutcomeKind;
  /** The platform's own words for this item (its error_message, or the call's message), as is. */
  platformMessage: string | null;
  requestId: string | null;
  /** The value read back from the platform after the change (null: not readable). */
  readBack: number | string | null;
}

export interface PlanChangeOutcome {
  previewId: string;
  results: PlanChangeResult[];
  actions: AdActionRecord[];
}

/** Platform limits (巨量千川): checked before sending, so a refusal is never the first the buyer hears. */
export const QIANCHUAN_LIMITS = {
  plansPerCall: 10,
  roiGoalPlansPerCall: 1,
  uniStatusPlansPerCall: 1,
  roiGoalMin: 0.01,
  roiGoalMax: 100,
} as const;

/**
 * TikTok GMV Max limits. CONFIRMED from the official SDK's models: a campaign's budget and ROAS
 * target are changed one campaign a call (`campaign/gmv_max/update/` takes one `campaign_id`), a
 * LIVE session's budget one session a call (`campaign/gmv_max/session/update/`), and GMV Max has
 * no bid. UNCONFIRMED (not in the SDK): the number of campaigns `campaign/status/update/` takes a
 * call (the portal's 20 is used), the ROAS target's range (only > 0 and two decimals are checked,
 * up to FEED-PROTOCOL's roiGoal ceiling), and any minimum budget (none is checked: the platform's
 * refusal is shown as is).
 */
export const GMV_MAX_LIMITS = {
  campaignsPerUpdate: 1,
  sessionsPerUpdate: 1,
  statusCampaignsPerCall: 20,
  roasBidMin: 0.01,
  roasBidMax: 1000,
  /** Minimum daily budget in minor units: unknown (null: not checked). */
  budgetMinMinor: null as number | null,
} as const;

export function twoDecimals(v: number): boolean {
  return Math.abs(Math.round(v * 100) - v * 100) < 1e-6;
}

/** The platform's own limits on one item. */
export function platformProblems(field: PlanChangeField, kind: PlanKind, after: number | null): ChangeProblem[] {
  if (isGmvMaxKind(kind)) return gmvMaxProblems(field, kind, after);
  const out: ChangeProblem[] = [];
  if (field === 'bid' && kind === 'uni') out.push({ code: 'limit.uniNoBid', params: {} });
  if (field === 'dailyBudget' || field === 'bid') {
    if (after === null || !Number.isInteger(after) || after <= 0) out.push({ code: 'limit.positive', params: {} });
  }
  if (field === 'roiGoal') {
    if (after === null || !(after >= QIANCHUAN_LIMITS.roiGoalMin && after <= QIANCHUAN_LIMITS.roiGoalMax)) out.push({ code: 'limit.roiRange', params: { min: QIANCHUAN_LIMITS.roiGoalMin, max: QIANCHUAN_LIMITS.roiGoalMax } });
    else if (!twoDecimals(after)) out.push({ code: 'limit.twoDecimals', params: {} });
  }
  return out;
}

/** GMV Max: budget, ROAS target (campaigns) and pause / resume (campaigns); a LIVE session has only its budget. */
function gmvMaxProblems(field: PlanChangeField, kind: 'gmvMax' | 'gmvMaxSession', after: number | null): ChangeProblem[] {
  const out: ChangeProblem[] = [];
  if (field === 'bid') return [{ code: 'limit.gmvMaxNoBid', params: {} }];
  if (kind === 'gmvMaxSession' && field !== 'dailyBudget') return [{ code: 'limit.gmvMaxSessionBudgetOnly', params: {} }];
  if (field === 'dailyBudget') {
    if (after === null || !Number.isInteger(after) || after <= 0) out.push({ code: 'limit.positive', params: {} });
    else if (GMV_MAX_LIMITS.budgetMinMinor !== null && after < GMV_MAX_LIMITS.budgetMinMinor) out.push({ code: 'limit.budgetMin', params: { minFen: GMV_MAX_LIMITS.budgetMinMinor } });
  }
  if (field === 'roiGoal') {
    if (after === null || !(after >= GMV_MAX_LIMITS.roasBidMin && after <= GMV_MAX_LIMITS.roasBidMax)) out.push({ code: 'limit.roiRange', params: { min: GMV_MAX_LIMITS.roasBidMin, max: GMV_MAX_LIMITS.roasBidMax } });
    else if (!twoDecimals(after)) out.push({ code: 'limit.twoDecimals', params: {} });
  }
  return out;
}

/** The team's rails on one item, given the plan's earlier changes (any outcome but refused counts). */
export function guardProblems(
  rails: GuardRails,
  field: PlanChangeField,
  before: number | null,
  after: number | null,
  history: readonly Pick<AdActionRecord, 'at' | 'type' | 'result'>[],
  now: number,
  dayStart: number,
  /** Undoing a change is never held back by the cooldown: a mistake is put right at once. */
  revert = false,
): ChangeProblem[] {
  const out: ChangeProblem[] = [];
  if (field === 'pause') return out;
  const step = field === 'dailyBudget' ? rails.maxBudgetStepPct : field === 'bid' ? rails.maxBidStepPct : field === 'roiGoal' ? rails.maxRoiStepPct : null;
  const pct = stepPct(before, after);
  if (step !== null && pct !== null && Math.abs(pct) > step) out.push({ code: 'guard.step', params: { pct: Math.round(Math.abs(pct)), max: step } });
  if (field === 'dailyBudget' && rails.maxDailyBudgetFen !== null && after !== null && after > rails.maxDailyBudgetFen) out.push({ code: 'guard.dailyCap', params: { capFen: rails.maxDailyBudgetFen } });
  const counted = history.filter((h) => h.result !== 'refused');
  const cooldown = field === 'roiGoal' ? Math.max(rails.cooldownMin ?? 0, ROI_COOLDOWN_MIN) : rails.cooldownMin;
  const last = counted.reduce((m, h) => Math.max(m, h.at), -Infinity);
  if (!revert && cooldown !== null && cooldown > 0 && now - last < cooldown * 60_000) out.push({ code: 'guard.cooldown', params: { minutes: cooldown, waitMin: Math.ceil((last + cooldown * 60_000 - now) / 60_000) } });
  const today = counted.filter((h) => h.at >= dayStart).length;
  if (rails.maxChangesPerPlanPerDay !== null && today >= rails.maxChangesPerPlanPerDay) out.push({ code: 'guard.dailyChanges', params: { max: rails.maxChangesPerPlanPerDay } });
  return out;
}

export function stepPct(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before <= 0) return null;
  return ((after - before) / before) * 100;
}

/**
 * When a daily budget runs out at the current spend rate: the rest of the budget over the rate.
 * Null when the rate is unknown or zero, or the budget outlasts China's day (it resets at midnight).
 */
export function budgetLastsUntil(budgetFen: number, spendTodayFen: number | null, spendPerMinFen: number | null, now: number, dayEnd: number): number | null {
  if (spendPerMinFen === null || spendPerMinFen <= 0 || spendTodayFen === null) return null;
  const left = budgetFen - spendTodayFen;
  if (left <= 0) return now;
  const at = now + (left / spendPerMinFen) * 60_000;
  return at >= dayEnd ? null : Math.round(at);
}

/** China's day (UTC+8) around `now`: [start, end) in epoch ms. */
export function chinaDay(now: number): { start: number; end: number } {
  const shifted = now + 8 * 3600_000;
  const start = shifted - (shifted % 86_400_000) - 8 * 3600_000;
  return { start, end: start + 86_400_000 };
}
