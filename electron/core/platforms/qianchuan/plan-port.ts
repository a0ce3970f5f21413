/**
 * 千川 as the ad console's platform: the plan changes a room's 千川 source can make, through its
 * client. Settings are read fresh from the platform for every preview (a poll's copy can be half a
 * minute old while another buyer edits the same plan), and read back after every change.
 */
import type { PlanChangeField, PlanSettings } from '../../../../shared/ads/plan-changes.ts';
import type { QianchuanClient } from './client.ts';
import { planStatus } from './mapper.ts';
import { readPlansNow, searchLog, sendChange, type ItemAnswer, type LogEntry, type PlanTarget } from './writes.ts';
import type { PlatformPlanPort } from '../plan-port.ts';
import type { PlanRow } from './read.ts';
import { yuanToFen } from './units.ts';

/** The port's interface moved to a platform-neutral home; re-exported for the callers that import it from here. */
export type { PlatformPlanPort } from '../plan-port.ts';

export function settingsOf(p: PlanRow, readAt: number, spendTodayFen: number | null): PlanSettings {
  return {
    planId: p.planId,
    name: p.name,
    kind: p.kind,
    status: planStatus(p),
    dailyBudgetFen: p.budgetMode === 'BUDGET_MODE_INFINITE' ? null : (yuanToFen(p.budget) ?? null),
    bidFen: yuanToFen(p.bid) ?? null,
    roiGoal: p.roiGoal ?? null,
    spendTodayFen,
    spendPerMinFen: null,
    readAt,
  };
}

/** What a plan port needs of the room: the running source, or `lcr ad`'s one-off view of the account. */
export interface PlanRoom {
  readonly client: QianchuanClient;
  readonly awemeId: string;
  /** Today's spend per plan as last polled (fen); empty when nothing polls. */
  readonly todayCost: ReadonlyMap<string, number>;
  pollNow?(): Promise<void>;
}

export class QianchuanPlanPort implements PlatformPlanPort {
  readonly platform = 'qianchuan';
  constructor(
    private readonly source: PlanRoom,
    private readonly now: () => number = Date.now,
  ) {}

  async read(planIds: readonly string[]): Promise<PlanSettings[]> {
    const now = this.now();
    const rows = await readPlansNow(this.source.client, planIds, this.source.awemeId, now);
    return planIds.flatMap((id) => {
      const r = rows.get(id);
      return r ? [settingsOf(r, now, this.source.todayCost.get(id) ?? null)] : [];
    });
  }

  send(targets: readonly PlanTarget[], field: PlanChangeField, value: number | null): Promise<ItemAnswer[]> {
    return sendChange(this.source.client, targets, { field, value });
  }

  log(planId: string, since: number): Promise<LogEntry[]> {
    return searchLog(this.source.client, planId, since, this.now());
  }

  refresh(): void {
    void this.source.pollNow?.().catch(() => undefined);
  }
}
