/**
 * Plan writes (POST JSON). A malformed request (too many items, a goal out of range, more than two
 * decimals) is refused whole with a parameter code; a well-formed batch answers code 0 and reports
 * each plan it could not change — a plan that does not exist, a deleted plan, a budget below the
 * minimum — per item. Response shapes follow the SDK models, which differ by endpoint:
 * - `ad/budget|bid|status/update/`: `data.ad_ids[]` (changed) + `data.errors[]{ad_id, error_message}`;
 * - `roi/goal/update/`: `data.results[]{ad_id, flag, error_message}`;
 * - `uni_promotion/ad/budget|roi2_goal/update/`: `data.results[]{ad_id, status SUCCESS|FAILED, error_message}`;
 * - `uni_promotion/ad/status/update/`: `data.results[]{ad_id, flag, error{error_code, error_message}}`.
 * Emulator choices (documented, not from the docs): a daily budget of at least `minBudgetYuan`
 * (default 300 元) and not below today's spend; a bid from 0.1 to 10000 元; ROI goals 0.01–100.
 * Every change appends to the operation log with its before/after and is visible to the next read.
 */
import { invalid } from './codes.ts';
import { type Ctx, advertiserOf } from './context.ts';
import { int64 } from './json.ts';
import { money } from './metrics.ts';
import { type Json, idIn, moneyIn } from './params.ts';
import { type Advertiser, type OptStatus, type Plan, type PlanKind, type World, toFen } from './state.ts';

const MAX_BUDGET_YUAN = 9_999_999.99;
const OPT_LABEL: Record<OptStatus, string> = { ENABLE: '启用', DISABLE: '暂停', DELETE: '删除' };

/** A batch's items: an array of 1..max objects, else the whole request is refused. */
function items(ctx: Ctx, name: string, max: number): Json[] {
  const arr = ctx.p.array(name);
  if (arr.length < 1 || arr.length > max) throw invalid(`${name}: ${max === 1 ? 'exactly 1 item' : `1 to ${max} items`}`);
  return arr.map((x, i) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) throw invalid(`${name}[${i}]: must be an object`);
    return x as Json;
  });
}

function ids(ctx: Ctx, name: string, max: number): string[] {
  const arr = ctx.p.array(name);
  if (arr.length < 1 || arr.length > max) throw invalid(`${name}: ${max === 1 ? 'exactly 1 id' : `1 to ${max} ids`}`);
  return arr.map((x) => idIn(x, name));
}

/** The plan, or the per-item message the platform would give. */
function findPlan(ctx: Ctx, adv: Advertiser, adId: string, kind: PlanKind): Plan | string {
  const plan = ctx.w.plan(adId);
  if (!plan || plan.advertiserId !== adv.advertiserId || plan.kind !== kind) return '计划不存在';
  if (plan.optStatus === 'DELETE') return '计划已删除，不能修改';
  return plan;
}

export function budgetProblem(w: World, minBudgetYuan: number, plan: Plan, yuan: number): string | null {
  if (plan.budgetMode !== 'BUDGET_MODE_DAY') return '不限预算的计划不能修改日预算';
  if (yuan < minBudgetYuan) return `预算不能低于${minBudgetYuan}元`;
  if (yuan > MAX_BUDGET_YUAN) return `预算不能高于${MAX_BUDGET_YUAN}元`;
  if (toFen(yuan) < w.todayCostFen(plan)) return '预算不能低于当日已消耗';
  return null;
}

/** Who a change is logged under: the app through the API, or a person in the 千川 console. */
export interface Operator {
  name: string;
  id: string;
  ip: string;
}

const apiOperator = (ctx: Ctx): Operator => ({ name: ctx.apiOperatorName, id: ctx.appId, ip: '127.0.0.1' });

/**
 * The operation log's wording is the emulator's choice (the SDK only says "操作前后内容"):
 * `content_log` is `["修改前：<label> <value>", "修改后：<label> <value>"]`.
 */
function logChange(w: World, op: Operator, plan: Plan, title: string, label: string, before: string, after: string): void {
  plan.modifiedAt = w.simTime;
  w.addLog({
    advertiserId: plan.advertiserId, objectId: plan.adId, objectName: plan.name, contentTitle: title,
    contentLog: [`修改前：${label} ${before}`, `修改后：${label} ${after}`],
    operatorName: op.name, operatorId: op.id, optIp: op.ip,
  });
}

const yuanText = (fen: number): string => money(fen).toFixed(2);

export function setBudget(w: World, op: Operator, plan: Plan, yuan: number): void {
  const before = plan.budgetFen;
  plan.budgetFen = toFen(yuan);
  if (before !== plan.budgetFen) logChange(w, op, plan, '修改预算', '日预算', `${yuanText(before)}元`, `${yuanText(plan.budgetFen)}元`);
}

export function setBid(w: World, op: Operator, plan: Plan, yuan: number): void {
  const before = plan.bidFen;
  plan.bidFen = toFen(yuan);
  if (before !== plan.bidFen) logChange(w, op, plan, '修改出价', '出价', `${yuanText(before ?? 0)}元`, `${yuanText(plan.bidFen)}元`);
}

export function setOpt(w: World, op: Operator, plan: Plan, opt: OptStatus): void {
  const before = plan.optStatus;
  plan.optStatus = opt;
  if (before !== opt) logChange(w, op, plan, '修改计划状态', '计划状态', OPT_LABEL[before], OPT_LABEL[opt]);
}

export function setRoi(w: World, op: Operator, plan: Plan, goal: number): void {
  const before = plan.roiGoal;
  plan.roiGoal = goal;
  if (before !== goal) logChange(w, op, plan, '修改ROI目标', '支付ROI目标', (before ?? 0).toFixed(2), goal.toFixed(2));
}

/** Runs a batch: `apply` returns null when it changed the plan, else the refusal message. */
function batch(ctx: Ctx, adIds: string[], kind: PlanKind, apply: (plan: Plan, index: number) => string | null): { ok: string[]; failed: { adId: string; message: string }[] } {
  const adv = advertiserOf(ctx);
  const ok: string[] = [];
  const failed: { adId: string; message: string }[] = [];
  adIds.forEach((adId, i) => {
    const found = findPlan(ctx, adv, adId, kind);
    const problem = typeof found === 'string' ? found : apply(found, i);
    if (problem === null) ok.push(adId);
    else failed.push({ adId, message: problem });
  });
  ctx.record = { succeeded: ok, failed };
  return { ok, failed };
}

function adIdsAndErrors(r: { ok: string[]; failed: { adId: string; message: string }[] }): Json {
  return { ad_ids: r.ok.map(int64), errors: r.failed.map((f) => ({ ad_id: int64(f.adId), error_message: f.message })) };
}

export function adBudgetUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const data = items(ctx, 'data', 10);
  const adIds = data.map((d, i) => idIn(d.ad_id, `data[${i}].ad_id`));
  const budgets = data.map((d, i) => moneyIn(d.budget, `data[${i}].budget`));
  return adIdsAndErrors(
    batch(ctx, adIds, 'standard', (plan, i) => {
      const problem = budgetProblem(ctx.w, ctx.minBudgetYuan, plan, budgets[i]!);
      if (problem === null) setBudget(ctx.w, apiOperator(ctx), plan, budgets[i]!);
      return problem;
    }),
  );
}

export function adBidUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const data = items(ctx, 'data', 10);
  const adIds = data.map((d, i) => idIn(d.ad_id, `data[${i}].ad_id`));
  const bids = data.map((d, i) => moneyIn(d.bid, `data[${i}].bid`));
  return adIdsAndErrors(
    batch(ctx, adIds, 'standard', (plan, i) => {
      const bid = bids[i]!;
      if (plan.bidFen === null) return '该计划不是出价计划，不能修改出价';
      if (bid < 0.1 || bid > 10_000) return '出价需在0.1到10000元之间';
      setBid(ctx.w, apiOperator(ctx), plan, bid);
      return null;
    }),
  );
}

export function adStatusUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const adIds = ids(ctx, 'ad_ids', 10);
  const opt = ctx.p.enumOf('opt_status', ['DISABLE', 'ENABLE', 'DELETE', 'REVIVE']);
  const revive = ctx.p.has('revive_budget') ? moneyIn(ctx.p.json('revive_budget', false), 'revive_budget') : 0;
  return adIdsAndErrors(
    batch(ctx, adIds, 'standard', (plan) => {
      if (opt !== 'REVIVE') {
        setOpt(ctx.w, apiOperator(ctx), plan, opt);
        return null;
      }
      if (ctx.w.planStatus(plan) !== 'OFFLINE_BUDGET') return '计划不满足复活条件';
      setBudget(ctx.w, apiOperator(ctx), plan, money(plan.budgetFen) + revive);
      return null;
    }),
  );
}

function roiGoalIn(v: unknown, what: string): number {
  const goal = moneyIn(v, what);
  if (goal < 0.01 || goal > 100) throw invalid(`${what}: from 0.01 to 100`);
  return goal;
}

/** Exactly one plan per call, goal 0.01–100 with two decimals. */
export function roiGoalUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const [item] = items(ctx, 'roi_goal_updates', 1);
  const adId = idIn(item!.ad_id, 'roi_goal_updates[0].ad_id');
  const goal = roiGoalIn(item!.roi_goal, 'roi_goal_updates[0].roi_goal');
  const r = batch(ctx, [adId], 'standard', (plan) => {
    if (plan.roiGoal === null) return '该计划不是ROI计划，不能修改支付ROI目标';
    setRoi(ctx.w, apiOperator(ctx), plan, goal);
    return null;
  });
  return { results: [{ ad_id: int64(adId), flag: r.ok.length === 1, error_message: r.failed[0]?.message ?? '' }] };
}

function uniResults(r: { ok: string[]; failed: { adId: string; message: string }[] }, order: string[]): Json {
  return {
    results: order.map((adId) => {
      const f = r.failed.find((x) => x.adId === adId);
      return { ad_id: int64(adId), status: f ? 'FAILED' : 'SUCCESS', error_message: f?.message ?? '' };
    }),
  };
}

export function uniBudgetUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const infos = items(ctx, 'update_budget_infos', 10);
  const adIds = infos.map((d, i) => idIn(d.ad_id, `update_budget_infos[${i}].ad_id`));
  const budgets = infos.map((d, i) => moneyIn(d.budget, `update_budget_infos[${i}].budget`));
  const r = batch(ctx, adIds, 'uni', (plan, i) => {
    const problem = budgetProblem(ctx.w, ctx.minBudgetYuan, plan, budgets[i]!);
    if (problem === null) setBudget(ctx.w, apiOperator(ctx), plan, budgets[i]!);
    return problem;
  });
  return uniResults(r, adIds);
}

export function uniRoi2GoalUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const infos = items(ctx, 'update_roi2_infos', 10);
  const adIds = infos.map((d, i) => idIn(d.ad_id, `update_roi2_infos[${i}].ad_id`));
  const goals = infos.map((d, i) => roiGoalIn(d.roi2_goal, `update_roi2_infos[${i}].roi2_goal`));
  const r = batch(ctx, adIds, 'uni', (plan, i) => {
    // Only 控成本 (SMART_BID_CUSTOM) 全域 plans have a ROI target to change.
    if (plan.smartBidType !== 'SMART_BID_CUSTOM') return '放量投放计划不支持修改ROI目标';
    setRoi(ctx.w, apiOperator(ctx), plan, goals[i]!);
    return null;
  });
  return uniResults(r, adIds);
}

/** 全域 status: one ad_id per call. */
export function uniStatusUpdate(ctx: Ctx): Json {
  advertiserOf(ctx);
  const adIds = ids(ctx, 'ad_ids', 1);
  const opt = ctx.p.enumOf('opt_status', ['DISABLE', 'ENABLE', 'DELETE']);
  const r = batch(ctx, adIds, 'uni', (plan) => {
    setOpt(ctx.w, apiOperator(ctx), plan, opt);
    return null;
  });
  return {
    results: adIds.map((adId) => {
      const f = r.failed.find((x) => x.adId === adId);
      return f ? { ad_id: int64(adId), flag: false, error: { error_code: 40001, error_message: f.message, extra: {} } } : { ad_id: int64(adId), flag: true };
    }),
  };
}
