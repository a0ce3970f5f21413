/**
 * TikTok GMV Max as the ad console's platform: its LIVE campaigns' budget, ROAS target and on/off,
 * and its LIVE sessions' budget, changed through the same preview, confirmation, guard rails, log
 * and revert as 千川 plans (ads/plan-changes.ts). Settings are read fresh from the platform for every
 * preview and read back after every change; money is in the advertiser's currency (minor units).
 * GMV Max has no operation-log endpoint in the SDK: `log` is empty and the app's own log is the audit.
 */
import { isPlatformError, type PlatformError } from '../common/errors.ts';
import type { PlanChangeField, PlanSettings } from '../../../../shared/ads/plan-changes.ts';
import type { ItemAnswer, LogEntry, PlanTarget, PlatformPlanPort } from '../plan-port.ts';
import type { SourceConnector } from '../../sources/connector.ts';
import type { GmvMaxClient } from './client.ts';
import { campaignStatus } from './mapper.ts';
import { readCampaignInfo, readSessionsById, type AdvertiserInfo, type CampaignRow, type SessionRow } from './read.ts';
import { GmvMaxSource, type KnownPlan } from './source.ts';
import { readMinor } from './units.ts';
import { sendGmvMaxChange } from './writes.ts';

/** What the port needs of the room: the running source (or `lcr ad`'s one-off, never started, copy). */
export interface GmvMaxPlanRoom {
  readonly client: GmvMaxClient;
  readonly storeId: string;
  /** Plan ids seen by the polls, with their kind and campaign. */
  readonly plans: ReadonlyMap<string, KnownPlan>;
  /** Each campaign's spend today (minor units), as last polled. */
  readonly todayCost: ReadonlyMap<string, number>;
  ensureAdvertiser(): Promise<AdvertiserInfo>;
  pollNow?(): Promise<void>;
}

/** Codes the platform answers for an id it does not know as a campaign (emulator and portal: param error / not exist). */
const NOT_A_CAMPAIGN = new Set<number | string>([40002, 40007]);

function minorOrNull(v: unknown, currency: string): number | null {
  const r = readMinor(v, currency);
  return r && 'minor' in r ? r.minor : null;
}

export class GmvMaxPlanPort implements PlatformPlanPort {
  readonly platform = 'gmv-max';
  /** Sessions' campaigns learnt by this port's reads (besides the polls'). */
  private readonly sessionCampaign = new Map<string, string>();

  constructor(
    private readonly room: GmvMaxPlanRoom,
    private readonly now: () => number = Date.now,
  ) {}

  private async currency(): Promise<string> {
    const adv = await this.room.ensureAdvertiser();
    if (!adv.currency) throw new Error(`GMV Max: the advertiser's currency ${adv.rawCurrency ? `"${adv.rawCurrency}" is not one the app keeps` : 'is not stated'}: its money cannot be changed safely`);
    return adv.currency;
  }

  async read(planIds: readonly string[]): Promise<PlanSettings[]> {
    const currency = await this.currency();
    const readAt = this.now();
    const out = new Map<string, PlanSettings>();
    const campaigns = new Map<string, CampaignRow>();
    const maybeSessions: string[] = [];
    let firstRefusal: PlatformError | null = null;
    for (const id of planIds) {
      if (this.room.plans.get(id)?.kind === 'gmvMaxSession' || this.sessionCampaign.has(id)) {
        maybeSessions.push(id);
        continue;
      }
      try {
        const c = await readCampaignInfo(this.room.client, id);
        campaigns.set(id, c);
        out.set(id, this.campaignSettings(c, currency, readAt));
      } catch (e) {
        if (isPlatformError(e) && e.kind === 'refused') {
          if (!NOT_A_CAMPAIGN.has(e.info.code ?? '')) firstRefusal ??= e;
          maybeSessions.push(id);
        } else throw e;
      }
    }
    if (maybeSessions.length) {
      const sessions: SessionRow[] = await readSessionsById(this.room.client, maybeSessions);
      for (const s of sessions) {
        this.sessionCampaign.set(s.sessionId, s.campaignId);
        let c = campaigns.get(s.campaignId);
        if (!c) {
          try {
            c = await readCampaignInfo(this.room.client, s.campaignId);
            campaigns.set(s.campaignId, c);
          } catch {
            c = undefined;
          }
        }
        out.set(s.sessionId, {
          planId: s.sessionId,
          name: `${c?.name ?? s.campaignId} · LIVE${s.scheduleStartTime ? ` ${s.scheduleStartTime.slice(0, 16)}` : ''}`.slice(0, 200),
          kind: 'gmvMaxSession',
          currency,
          status: !c ? 'other' : c.operationStatus === 'DISABLE' ? 'paused' : c.operationStatus === 'ENABLE' ? 'delivering' : 'other',
          dailyBudgetFen: minorOrNull(s.budget, currency),
          bidFen: null,
          roiGoal: null,
          spendTodayFen: null,
          spendPerMinFen: null,
          readAt,
        });
      }
    }
    // A refusal that was not "no such campaign" (a permission, a parameter) is said as is, not hidden as an unknown plan.
    if (firstRefusal && planIds.some((id) => !out.has(id))) throw firstRefusal;
    return planIds.flatMap((id) => (out.has(id) ? [out.get(id)!] : []));
  }

  private campaignSettings(c: CampaignRow, currency: string, readAt: number): PlanSettings {
    const budget = minorOrNull(c.budget, currency);
    const spent = this.room.todayCost.get(c.campaignId) ?? null;
    return {
      planId: c.campaignId,
      name: c.name,
      kind: 'gmvMax',
      currency,
      status: campaignStatus(c, spent, budget),
      dailyBudgetFen: budget !== null && budget > 0 ? budget : null,
      bidFen: null,
      roiGoal: c.roasBid ?? null,
      spendTodayFen: spent,
      spendPerMinFen: null,
      readAt,
    };
  }

  async send(targets: readonly PlanTarget[], field: PlanChangeField, value: number | null): Promise<ItemAnswer[]> {
    let currency: string;
    try {
      currency = await this.currency();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return targets.map((t) => ({ planId: t.planId, answer: 'refused', message, requestId: null }));
    }
    return sendGmvMaxChange(this.room.client, targets, field, value, {
      storeId: this.room.storeId,
      currency,
      campaignOf: (id) => this.sessionCampaign.get(id) ?? this.room.plans.get(id)?.campaignId ?? null,
    });
  }

  async log(): Promise<LogEntry[]> {
    return [];
  }

  refresh(): void {
    void this.room.pollNow?.().catch(() => undefined);
  }
}

/** The plan port of a room's GMV Max source, or null when the room has none (for `planPortOf` in registry.ts). */
export function planPortOfGmvMax(sources: readonly SourceConnector[]): GmvMaxPlanPort | null {
  const s = sources.find((x): x is GmvMaxSource => x instanceof GmvMaxSource);
  return s ? new GmvMaxPlanPort(s) : null;
}
