/**
 * Changing GMV Max on the platform (SDK models `GmvMaxUpdateBody`, `CampaigngmvMaxsessionupdateSession`,
 * `CampaignStatusUpdateBody`):
 * - a campaign's daily budget: `POST campaign/gmv_max/update/` `{ advertiser_id, campaign_id, budget }`
 *   (major units of the advertiser's currency);
 * - its ROAS target: the same call with `roas_bid`;
 * - a LIVE session's budget: `POST campaign/gmv_max/session/update/` `{ advertiser_id, campaign_id,
 *   store_id, session_id, session: { budget } }`;
 * - pause / resume: `POST campaign/status/update/` `{ advertiser_id, campaign_ids[], operation_status:
 *   DISABLE | ENABLE }` (≤ GMV_MAX_LIMITS.statusCampaignsPerCall a call; answer `campaign_ids[]` of
 *   those changed — the portal's shape, unconfirmed in the SDK; code 20001 = partial).
 *
 * A write is never retried blindly: an answer that did not come back (timeout, connection cut,
 * the platform's own 5xxxx failure) makes the item "unknown", and only a read-back decides it.
 */
import { isPlatformError } from '../common/errors.ts';
import { idOf } from '../common/json.ts';
import { isObj } from '../../sources/common.ts';
import { GMV_MAX_LIMITS, type PlanChangeField } from '../../../../shared/ads/plan-changes.ts';
import type { ItemAnswer, PlanTarget } from '../plan-port.ts';
import { PARTIAL_OK, type Envelope, type GmvMaxClient } from './client.ts';
import { majorOf } from './units.ts';

export interface WriteContext {
  storeId: string;
  currency: string;
  /** A LIVE session's campaign, as last read (null: not known). */
  campaignOf(sessionId: string): string | null;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function failed(e: unknown, planIds: readonly string[]): ItemAnswer[] {
  // The platform answered no: nothing was applied. No answer (network, malformed, its own failure): it may have been.
  const refused = isPlatformError(e) && (e.kind === 'refused' || e.kind === 'rateLimited' || e.kind === 'auth');
  const message = e instanceof Error ? e.message.slice(0, 500) : String(e).slice(0, 500);
  const requestId = isPlatformError(e) ? (e.info.requestId ?? null) : null;
  return planIds.map((planId) => ({ planId, answer: refused ? 'refused' : 'unknown', message, requestId }));
}

const refusedItem = (planId: string, message: string): ItemAnswer => ({ planId, answer: 'refused', message, requestId: null });

/** Sends one change to each target, call by call. Never throws: a failed call makes its items refused or unknown. */
export async function sendGmvMaxChange(client: GmvMaxClient, targets: readonly PlanTarget[], field: PlanChangeField, value: number | null, ctx: WriteContext): Promise<ItemAnswer[]> {
  const out: ItemAnswer[] = [];
  const campaigns = targets.filter((t) => t.kind === 'gmvMax').map((t) => t.planId);
  const sessions = targets.filter((t) => t.kind === 'gmvMaxSession').map((t) => t.planId);
  for (const t of targets) if (t.kind !== 'gmvMax' && t.kind !== 'gmvMaxSession') out.push(refusedItem(t.planId, 'not a GMV Max campaign or LIVE session'));
  if (field === 'bid') return [...out, ...[...campaigns, ...sessions].map((id) => refusedItem(id, 'GMV Max has no bid'))];
  if (field === 'pause' || field === 'resume') {
    out.push(...sessions.map((id) => refusedItem(id, 'a GMV Max LIVE session has no status of its own: pause its campaign')));
    for (const ids of chunks(campaigns, GMV_MAX_LIMITS.statusCampaignsPerCall)) {
      try {
        const env = await client.post('campaign/status/update/', { campaign_ids: ids, operation_status: field === 'pause' ? 'DISABLE' : 'ENABLE' });
        out.push(...statusAnswers(env, ids));
      } catch (e) {
        out.push(...failed(e, ids));
      }
    }
    return out;
  }
  if (value === null || !Number.isFinite(value)) return [...out, ...[...campaigns, ...sessions].map((id) => refusedItem(id, `${field} needs a value`))];
  if (field === 'roiGoal') out.push(...sessions.map((id) => refusedItem(id, 'a GMV Max LIVE session has no ROAS target of its own')));
  for (const id of campaigns) {
    const body = field === 'dailyBudget' ? { campaign_id: id, budget: majorOf(value, ctx.currency) } : { campaign_id: id, roas_bid: value };
    try {
      const env = await client.post('campaign/gmv_max/update/', body);
      out.push({ planId: id, answer: 'accepted', message: env.code === PARTIAL_OK ? env.message : null, requestId: env.requestId || null });
    } catch (e) {
      out.push(...failed(e, [id]));
    }
  }
  if (field === 'dailyBudget') {
    for (const id of sessions) {
      const campaignId = ctx.campaignOf(id);
      if (!campaignId) {
        out.push(refusedItem(id, 'this LIVE session\'s campaign is not known: preview the change again'));
        continue;
      }
      try {
        const env = await client.post('campaign/gmv_max/session/update/', { campaign_id: campaignId, store_id: ctx.storeId, session_id: id, session: { budget: majorOf(value, ctx.currency) } });
        out.push({ planId: id, answer: 'accepted', message: env.code === PARTIAL_OK ? env.message : null, requestId: env.requestId || null });
      } catch (e) {
        out.push(...failed(e, [id]));
      }
    }
  }
  return out;
}

/** Per campaign from a status update's answer: listed → accepted; left out of a partial answer → refused (its message); otherwise unknown. */
export function statusAnswers(env: Envelope, ids: readonly string[]): ItemAnswer[] {
  const d = isObj(env.data) ? env.data : {};
  const listed = Array.isArray(d.campaign_ids) ? new Set(d.campaign_ids.map(idOf).filter((x): x is string => x !== null)) : null;
  const requestId = env.requestId || null;
  return ids.map((planId) => {
    if (listed === null) return { planId, answer: env.code === 0 ? 'accepted' : 'unknown', message: env.code === 0 ? null : env.message, requestId };
    if (listed.has(planId)) return { planId, answer: 'accepted', message: null, requestId };
    if (env.code === PARTIAL_OK) return { planId, answer: 'refused', message: env.message || 'not applied (partial answer)', requestId };
    return { planId, answer: 'unknown', message: env.message || null, requestId };
  });
}
