/**
 * What the ad console and `lcr ad` need of an ad platform to change its plans (巨量千川 plans,
 * TikTok GMV Max campaigns and LIVE sessions): read the settings fresh, send one change, show the
 * platform's own log, read the room again. Each platform's folder has its implementation
 * (qianchuan/plan-port.ts, gmv-max/plan-port.ts); the checks, confirmation, log and revert are
 * the platform-neutral ads/plan-changes.ts.
 */
import type { PlanChangeField, PlanKind, PlanSettings } from '../../../shared/ads/plan-changes.ts';

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

/** What the platform's operation log says of a plan: before/after lines, who, when. */
export interface LogEntry {
  planId: string;
  title: string;
  lines: string[];
  operator: string;
  at: string;
}

export interface PlatformPlanPort {
  readonly platform: string;
  /** The plans' settings now, from the platform; a plan it does not know is left out. */
  read(planIds: readonly string[]): Promise<PlanSettings[]>;
  /** `value`: minor units of the plan's currency for budget and bid; the ratio for the ROI goal; null for pause / resume. */
  send(targets: readonly PlanTarget[], field: PlanChangeField, value: number | null): Promise<ItemAnswer[]>;
  /** The operation log's lines for a plan since `since` (audit beside the app's own log); [] where the platform has none. */
  log(planId: string, since: number): Promise<LogEntry[]>;
  /** Read the room again now, so the console shows what the platform holds. */
  refresh(): void;
}
