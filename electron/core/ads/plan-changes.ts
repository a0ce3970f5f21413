/**
 * Changes to a plan on the platform itself, as the ad console and `lcr ad` make them: a preview
 * (the plan's settings read fresh from the platform, the platform's limits and the team's guard
 * rails checked, how long a new budget lasts), a confirmation, the platform's answer per plan as
 * is, a read-back that decides what is logged as done — and nothing else is. A change the platform
 * accepted but that cannot be read back as sent is "unconfirmed", never "confirmed".
 *
 * Every attempt goes into the action log (refused ones too): who, why, before, after, the
 * platform's words and request id. A revert is a preview of the opposite change.
 */
import { randomBytes } from 'node:crypto';
import {
  GMV_MAX_LIMITS,
  budgetLastsUntil,
  chinaDay,
  guardProblems,
  platformProblems,
  stepPct,
  type ChangeProblem,
  type GuardRails,
  type PlanChangeField,
  type PlanChangeItem,
  type PlanChangeOutcome,
  type PlanChangePreview,
  type PlanChangeResult,
  type PlanSettings,
} from '../../../shared/ads/plan-changes.ts';
import type { AdActionRecord, AdActionType } from '../../../shared/ads/console.ts';
import type { PlatformPlanPort } from '../platforms/plan-port.ts';
import type { Operator } from '../live/desk.ts';

/** How long a preview can be confirmed: settings move under a live plan. */
export const PREVIEW_TTL_MS = 2 * 60_000;

export interface PlanChangeContext {
  /** The room's platform (null: its plans are the simulator's or a relay's). */
  port(roomId: string): PlatformPlanPort | null;
  /** The plan's earlier actions (any session), for the cooldown and the day's count. */
  history(roomId: string, planId: string): AdActionRecord[];
  /** One logged action by id. */
  action(actionId: string): AdActionRecord | undefined;
  rails(roomId: string): GuardRails;
  /** The show the action is logged in. */
  show(roomId: string): { sessionId: string; ts: number } | null;
  /** The plan's spend per minute over the last minutes (fen), for how long a budget lasts. */
  spendPerMin(roomId: string, planId: string): number | null;
  operator(): Operator;
  /** Into the store (and the live show's console and chart marks). */
  record(actions: AdActionRecord[]): void;
  now?: () => number;
}

export interface PreviewArgs {
  roomId: string;
  planIds: string[];
  field: PlanChangeField;
  /** fen for dailyBudget and bid, the ratio for roiGoal; absent for pause / resume */
  value?: number;
  reason?: string;
  revertOf?: string;
}

const TYPE_OF: Record<PlanChangeField, AdActionType> = {
  dailyBudget: 'adDailyBudget',
  bid: 'adBid',
  roiGoal: 'adRoiGoal',
  pause: 'adPause',
  resume: 'adResume',
};

function valueOf(s: PlanSettings, field: PlanChangeField): number | null {
  if (field === 'dailyBudget') return s.dailyBudgetFen;
  if (field === 'bid') return s.bidFen;
  if (field === 'roiGoal') return s.roiGoal;
  return null;
}

/** Does what was read back show the change as sent? */
function readBackMatches(s: PlanSettings, field: PlanChangeField, after: number | null): boolean {
  if (field === 'pause') return s.status === 'paused';
  if (field === 'resume') return s.status !== 'paused';
  const v = valueOf(s, field);
  if (v === null || after === null) return false;
  return field === 'roiGoal' ? Math.abs(v - after) < 0.005 : v === after;
}

function readBackValue(s: PlanSettings, field: PlanChangeField): number | string | null {
  return field === 'pause' || field === 'resume' ? s.status : valueOf(s, field);
}

export class PlanChanges {
  private readonly previews = new Map<string, PlanChangePreview>();
  /** Rooms with a change on its way: one at a time per room, so two clicks never send twice. */
  private readonly sending = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly ctx: PlanChangeContext) {
    this.now = ctx.now ?? Date.now;
  }

  async preview(a: PreviewArgs): Promise<PlanChangePreview> {
    const port = this.ctx.port(a.roomId);
    if (!port) throw new Error(`${a.roomId} has no platform account: its plans can only be changed where they run`);
    const planIds = [...new Set(a.planIds)];
    if (!planIds.length) throw new Error('no plan named');
    if (planIds.length > 50) throw new Error('at most 50 plans in one change');
    const needsValue = a.field === 'dailyBudget' || a.field === 'bid' || a.field === 'roiGoal';
    if (needsValue && (a.value === undefined || !Number.isFinite(a.value))) throw new Error(`${a.field} needs a value`);
    const settings = await port.read(planIds);
    const now = this.now();
    const day = chinaDay(now);
    const rails = this.ctx.rails(a.roomId);
    const items: PlanChangeItem[] = planIds.map((planId) => {
      const s = settings.find((x) => x.planId === planId);
      if (!s) return { planId, name: planId, kind: 'standard', before: null, after: null, stepPct: null, lastsUntil: null, problems: [{ code: 'limit.unknownPlan', params: { plan: planId } }], warnings: [] };
      const before = valueOf(s, a.field);
      const after = needsValue ? (a.field === 'roiGoal' ? a.value! : Math.round(a.value!)) : null;
      const problems = [...platformProblems(a.field, s.kind, after), ...guardProblems(rails, a.field, before, after, this.ctx.history(a.roomId, planId), now, day.start, a.revertOf !== undefined)];
      const warnings: ChangeProblem[] = [];
      if (a.field === 'pause' && s.status === 'paused') warnings.push({ code: 'warn.alreadyPaused', params: {} });
      if (a.field === 'resume' && s.status !== 'paused') warnings.push({ code: 'warn.notPaused', params: {} });
      if (needsValue && before === after) warnings.push({ code: 'warn.noChange', params: {} });
      if (a.field === 'roiGoal') warnings.push({ code: 'warn.roiRelearn', params: {} });
      const spendPerMin = this.ctx.spendPerMin(a.roomId, planId);
      const lastsUntil = a.field === 'dailyBudget' && after !== null ? budgetLastsUntil(after, s.spendTodayFen, spendPerMin, now, day.end) : null;
      if (a.field === 'dailyBudget' && after !== null && s.spendTodayFen !== null && after <= s.spendTodayFen) warnings.push({ code: 'warn.belowSpent', params: { spentFen: s.spendTodayFen } });
      return { planId, name: s.name, kind: s.kind, ...(s.currency ? { currency: s.currency } : {}), before, after, stepPct: stepPct(before, after), lastsUntil, problems, warnings };
    });
    const calls = this.callCount(a.field, items);
    const preview: PlanChangePreview = {
      id: `pv-${randomBytes(6).toString('hex')}`,
      roomId: a.roomId,
      field: a.field,
      items,
      calls,
      blocked: items.some((i) => i.problems.length > 0),
      expiresAt: now + PREVIEW_TTL_MS,
      reason: a.reason?.trim() || null,
      revertOf: a.revertOf ?? null,
    };
    this.forgetExpired(now);
    this.previews.set(preview.id, preview);
    return preview;
  }

  /** The opposite of a logged platform change, as a preview to confirm. */
  revert(a: { roomId: string; actionId: string; reason?: string }): Promise<PlanChangePreview> {
    const rec = this.ctx.action(a.actionId);
    if (!rec || rec.roomId !== a.roomId) throw new Error(`no action ${a.actionId} in ${a.roomId}`);
    if (rec.result !== 'confirmed' && rec.result !== 'unconfirmed') throw new Error('only a change the platform accepted can be reverted');
    const field: PlanChangeField | null =
      rec.type === 'adDailyBudget' ? 'dailyBudget' : rec.type === 'adBid' ? 'bid' : rec.type === 'adRoiGoal' ? 'roiGoal' : rec.type === 'adPause' ? 'resume' : rec.type === 'adResume' ? 'pause' : null;
    if (!field) throw new Error('this action was not a platform change');
    if ((field === 'dailyBudget' || field === 'bid' || field === 'roiGoal') && rec.before === null) throw new Error('the value before this change is not known');
    return this.preview({ roomId: a.roomId, planIds: [rec.planId], field, value: rec.before ?? undefined, reason: a.reason ?? `撤销 ${rec.id}`, revertOf: rec.id });
  }

  async apply(a: { roomId: string; previewId: string; followedAdvice?: boolean }): Promise<PlanChangeOutcome> {
    const p = this.previews.get(a.previewId);
    if (!p || p.roomId !== a.roomId) throw new Error('this preview is unknown or was already used: preview the change again');
    if (p.expiresAt < this.now()) {
      this.previews.delete(p.id);
      throw new Error('this preview has expired: the plan may have changed since — preview the change again');
    }
    if (p.blocked) throw new Error('this change is blocked by a limit or a guard rail (see the preview)');
    const port = this.ctx.port(a.roomId);
    if (!port) throw new Error(`${a.roomId} has no platform account`);
    const show = this.ctx.show(a.roomId);
    if (!show) throw new Error(`no show in ${a.roomId} to log the change in`);
    if (this.sending.has(a.roomId)) throw new Error('a change for this room is already on its way');
    this.previews.delete(p.id);
    this.sending.add(a.roomId);
    try {
      const answers = await port.send(
        p.items.map((i) => ({ planId: i.planId, kind: i.kind })),
        p.field,
        p.items[0]?.after ?? null,
      );
      const asked = answers.filter((x) => x.answer !== 'refused').map((x) => x.planId);
      let back: PlanSettings[] | null = null;
      if (asked.length) {
        try {
          back = await port.read(asked);
        } catch {
          back = null;
        }
      }
      const results: PlanChangeResult[] = p.items.map((item) => {
        const ans = answers.find((x) => x.planId === item.planId);
        const rb = back?.find((x) => x.planId === item.planId) ?? null;
        if (!ans || ans.answer === 'refused') return { planId: item.planId, outcome: 'refused', platformMessage: ans?.message ?? null, requestId: ans?.requestId ?? null, readBack: null };
        const ok = rb !== null && readBackMatches(rb, p.field, item.after);
        return { planId: item.planId, outcome: ok ? 'confirmed' : 'unconfirmed', platformMessage: ans.message, requestId: ans.requestId, readBack: rb ? readBackValue(rb, p.field) : null };
      });
      const at = this.now();
      const actions: AdActionRecord[] = results.map((r) => {
        const item = p.items.find((i) => i.planId === r.planId)!;
        return {
          id: `${show.sessionId}|pc|${r.planId}|${at}|${randomBytes(3).toString('hex')}`,
          roomId: a.roomId,
          sessionId: show.sessionId,
          ts: show.ts,
          at,
          planId: r.planId,
          type: TYPE_OF[p.field],
          before: item.before,
          after: item.after,
          ...this.ctx.operator(),
          reason: p.reason,
          source: a.followedAdvice ? 'advice' : 'manual',
          result: r.outcome,
          answer: answerText(r),
          requestId: r.requestId,
          revertOf: p.revertOf,
        };
      });
      this.ctx.record(actions);
      port.refresh();
      return { previewId: p.id, results, actions };
    } finally {
      this.sending.delete(a.roomId);
    }
  }

  private callCount(field: PlanChangeField, items: PlanChangeItem[]): number {
    const per = (n: number, k: number) => Math.ceil(n / k);
    // GMV Max: one campaign (or LIVE session) per update call; status in batches.
    const gmv = items.filter((i) => i.kind === 'gmvMax').length;
    const sessions = items.filter((i) => i.kind === 'gmvMaxSession').length;
    const gmvCalls = field === 'pause' || field === 'resume' ? per(gmv, GMV_MAX_LIMITS.statusCampaignsPerCall) : gmv + sessions;
    return gmvCalls + this.qianchuanCalls(field, items);
  }

  private qianchuanCalls(field: PlanChangeField, items: PlanChangeItem[]): number {
    const std = items.filter((i) => i.kind === 'standard').length;
    const uni = items.filter((i) => i.kind === 'uni').length;
    const per = (n: number, k: number) => Math.ceil(n / k);
    if (field === 'roiGoal') return std + per(uni, 10);
    if (field === 'pause' || field === 'resume') return per(std, 10) + uni;
    return per(std, 10) + per(uni, 10);
  }

  private forgetExpired(now: number): void {
    for (const [id, p] of this.previews) if (p.expiresAt < now) this.previews.delete(id);
  }
}

function answerText(r: PlanChangeResult): string | null {
  const parts: string[] = [];
  if (r.platformMessage) parts.push(r.platformMessage);
  if (r.readBack !== null) parts.push(`read back: ${String(r.readBack)}`);
  else if (r.outcome !== 'refused') parts.push('not read back');
  return parts.join(' · ').slice(0, 600) || null;
}
