/**
 * Changing a plan on 巨量千川: the write endpoints per plan kind (standard 直播带货, 全域推广), their
 * per-call limits (≤10 plans; ROI goals one plan a call; 全域 status one plan a call), and reading
 * the answer item by item — a call can answer code 0 and still refuse some plans. Shapes follow the
 * SDK's models: budget/bid/status answer `ad_ids[]` + `errors[]`; ROI goal and the 全域 writes
 * answer `results[]` (with `flag`, `status` SUCCESS/FAILED or an `error`).
 *
 * A write is never retried blindly: when no answer came back (a timeout after sending), the item is
 * "unknown" and only a read-back of the plan decides it (peers' rule: 结果不确定时只做对账).
 */
import { idOf } from '../common/json.ts';
import { isPlatformError } from '../common/errors.ts';
import { isObj } from '../../sources/common.ts';
import { QIANCHUAN_LIMITS, type PlanChangeField } from '../../../../shared/ads/plan-changes.ts';
import { numericId, type QianchuanClient } from './client.ts';
import { readPlan, readUniPlan, type PlanKind, type PlanRow } from './read.ts';
import { msToChinaTime } from './units.ts';

export interface PlanTarget {
  planId: string;
  kind: PlanKind;
}

export interface ItemAnswer {
  planId: string;
  /** accepted: the platform said it applied; refused: it said no; unknown: no readable answer. */
  answer: 'accepted' | 'refused' | 'unknown';
  message: string | null;
  requestId: string | null;
}

/** The value to send: 元 for budgets and bids (2 decimals), the ratio for ROI goals. */
export interface ChangeValue {
  field: PlanChangeField;
  /** fen for budget and bid; the ratio for the ROI goal; unused for pause / resume. */
  value: number | null;
}

interface Call {
  path: string;
  body: Record<string, unknown>;
  planIds: string[];
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const yuan = (fen: number) => Math.round(fen) / 100;

/** The calls a change takes, split by the platform's per-call limits. */
export function planCalls(targets: readonly PlanTarget[], change: ChangeValue): Call[] {
  const calls: Call[] = [];
  for (const kind of ['standard', 'uni'] as const) {
    const ids = targets.filter((t) => t.kind === kind).map((t) => t.planId);
    if (!ids.length) continue;
    const v = change.value;
    switch (change.field) {
      case 'dailyBudget':
        for (const c of chunks(ids, QIANCHUAN_LIMITS.plansPerCall)) {
          calls.push(
            kind === 'standard'
              ? { path: 'ad/budget/update/', body: { data: c.map((id) => ({ ad_id: numericId(id), budget: yuan(v!) })) }, planIds: c }
              : { path: 'uni_promotion/ad/budget/update/', body: { update_budget_infos: c.map((id) => ({ ad_id: numericId(id), budget: yuan(v!) })) }, planIds: c },
          );
        }
        break;
      case 'bid':
        if (kind === 'standard') for (const c of chunks(ids, QIANCHUAN_LIMITS.plansPerCall)) calls.push({ path: 'ad/bid/update/', body: { data: c.map((id) => ({ ad_id: numericId(id), bid: yuan(v!) })) }, planIds: c });
        break;
      case 'roiGoal':
        if (kind === 'standard') for (const c of chunks(ids, QIANCHUAN_LIMITS.roiGoalPlansPerCall)) calls.push({ path: 'roi/goal/update/', body: { roi_goal_updates: c.map((id) => ({ ad_id: numericId(id), roi_goal: v })) }, planIds: c });
        else for (const c of chunks(ids, QIANCHUAN_LIMITS.plansPerCall)) calls.push({ path: 'uni_promotion/ad/roi2_goal/update/', body: { update_roi2_infos: c.map((id) => ({ ad_id: numericId(id), roi2_goal: v })) }, planIds: c });
        break;
      case 'pause':
      case 'resume': {
        const opt = change.field === 'pause' ? 'DISABLE' : 'ENABLE';
        if (kind === 'standard') for (const c of chunks(ids, QIANCHUAN_LIMITS.plansPerCall)) calls.push({ path: 'ad/status/update/', body: { ad_ids: c.map(numericId), opt_status: opt }, planIds: c });
        else for (const c of chunks(ids, QIANCHUAN_LIMITS.uniStatusPlansPerCall)) calls.push({ path: 'uni_promotion/ad/status/update/', body: { ad_ids: c.map(numericId), opt_status: opt }, planIds: c });
        break;
      }
    }
  }
  return calls;
}

/** Sends the change, call by call, and reads each item's answer. Never throws: a failed call makes its items refused or unknown. */
export async function sendChange(client: QianchuanClient, targets: readonly PlanTarget[], change: ChangeValue): Promise<ItemAnswer[]> {
  const out: ItemAnswer[] = [];
  for (const call of planCalls(targets, change)) {
    try {
      const data = await client.post(call.path, call.body);
      out.push(...itemAnswers(data, call.planIds));
    } catch (e) {
      // The platform answered with an error envelope: nothing in the call was applied. No answer at
      // all (network, malformed): it may have been, and only a read-back can tell.
      const refused = isPlatformError(e) && (e.kind === 'refused' || e.kind === 'rateLimited' || e.kind === 'auth');
      const message = e instanceof Error ? e.message : String(e);
      const requestId = isPlatformError(e) ? (e.info.requestId ?? null) : null;
      for (const planId of call.planIds) out.push({ planId, answer: refused ? 'refused' : 'unknown', message, requestId });
    }
  }
  return out;
}

/** Per-item outcomes from either answer shape of the SDK's write models. */
export function itemAnswers(data: unknown, planIds: readonly string[]): ItemAnswer[] {
  const d = isObj(data) ? data : {};
  const byId = new Map<string, ItemAnswer>();
  const set = (planId: string | null, answer: ItemAnswer['answer'], message: string | null) => {
    if (planId && planIds.includes(planId)) byId.set(planId, { planId, answer, message: message?.slice(0, 500) ?? null, requestId: null });
  };
  if (Array.isArray(d.ad_ids)) for (const x of d.ad_ids) set(idOf(x), 'accepted', null);
  if (Array.isArray(d.errors)) for (const x of d.errors) if (isObj(x)) set(idOf(x.ad_id), 'refused', typeof x.error_message === 'string' ? x.error_message : null);
  if (Array.isArray(d.results)) {
    for (const x of d.results) {
      if (!isObj(x)) continue;
      const err = isObj(x.error) ? x.error : null;
      const message = typeof x.error_message === 'string' ? x.error_message : err && typeof err.error_message === 'string' ? err.error_message : null;
      const ok = x.flag === true || x.status === 'SUCCESS' || (x.flag === undefined && x.status === undefined && !message && !err);
      set(idOf(x.ad_id), ok ? 'accepted' : 'refused', message);
    }
  }
  // A plan the answer does not mention was not confirmed either way.
  return planIds.map((id) => byId.get(id) ?? { planId: id, answer: 'unknown', message: null, requestId: null });
}

/**
 * The plans' settings as the platform holds them now (the preview's "before", the read-back after
 * a change). A plan not known as standard is looked for among the 全域 plans: the kind is what the
 * platform says, not a guess.
 */
export async function readPlansNow(client: QianchuanClient, planIds: readonly string[], awemeId: string, now: number): Promise<Map<string, PlanRow>> {
  const out = new Map<string, PlanRow>();
  const std = [...planIds];
  for (const c of chunks(std, 100)) {
    const data = await client.get('ad/get/', { filtering: { marketing_goal: 'LIVE_PROM_GOODS', ids: c.map(numericId) }, page: 1, page_size: 100 });
    for (const raw of isObj(data) && Array.isArray(data.list) ? data.list : []) {
      const p = readPlan(raw);
      if (typeof p !== 'string') out.set(p.planId, p);
    }
  }
  const rest = planIds.filter((id) => !out.has(id));
  if (rest.length) {
    // The 全域 list filters by one keyword (a plan's name or id), so each plan is one read.
    for (const id of rest) {
      const data = await client.get('uni_promotion/list/', {
        start_time: msToChinaTime(now - 3600_000),
        end_time: msToChinaTime(now),
        marketing_goal: 'LIVE_PROM_GOODS',
        fields: ['stat_cost'],
        filtering: { search_keyword: id, search_keyword_type: 'AD' },
        page: 1,
        page_size: 10,
      });
      for (const raw of isObj(data) && Array.isArray(data.ad_list) ? data.ad_list : []) {
        const p = readUniPlan(raw, awemeId);
        if (typeof p !== 'string' && p.planId === id) out.set(p.planId, p);
      }
    }
  }
  return out;
}

/** What the platform's operation log says of a plan since `since`: before/after lines, who, when. */
export interface LogEntry {
  planId: string;
  title: string;
  lines: string[];
  operator: string;
  at: string;
}

export async function searchLog(client: QianchuanClient, planId: string, since: number, now: number): Promise<LogEntry[]> {
  const data = await client.get('tools/log_search/', { object_type: 'AD', object_id: numericId(planId), start_time: msToChinaTime(since), end_time: msToChinaTime(now), page: 1, page_size: 20 });
  const logs = isObj(data) && Array.isArray(data.logs) ? data.logs : [];
  return logs.filter(isObj).map((l) => ({
    planId: idOf(l.object_id) ?? planId,
    title: typeof l.content_title === 'string' ? l.content_title.slice(0, 200) : '',
    lines: Array.isArray(l.content_log) ? l.content_log.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 300)).slice(0, 20) : [],
    operator: typeof l.operator_name === 'string' ? l.operator_name.slice(0, 100) : '',
    at: typeof l.create_time === 'string' ? l.create_time.slice(0, 30) : '',
  }));
}
