/** The ad console's action log as the retrospective reads it, and how it words an action. */
import { DASH, formatMoneyFen, type Locale } from '../format.ts';
import { localiser } from '../i18n/localiser.ts';
import type { AdActionRecord } from '../ads/console.ts';

/** An ad console action as the report reads it: the ad console's own record, the fields a report shows. */
export type RetroAdAction = Pick<AdActionRecord, 'id' | 'ts' | 'planId' | 'type' | 'before' | 'after' | 'byName' | 'reason' | 'source'>;

/** "qc-main 预算 ¥200→¥300/分钟", "qc-main 暂停", "计划A ROI目标 2.50→2.80" — every ad action type. */
export function adActionText(a: RetroAdAction, locale: Locale): string {
  const money = (f: number | null) => (f === null ? DASH : a.type === 'adRoiGoal' ? f.toFixed(2) : formatMoneyFen(f, locale));
  return localiser(locale)(`ads.done.${a.type}`, { plan: a.planId, before: money(a.before), after: money(a.after) });
}

/** Which way an action moves paid traffic: +1 more (a raise, a resume), −1 less (a cut, a pause), 0 unknown. */
export function adActionDirection(a: RetroAdAction): -1 | 0 | 1 {
  if (a.type === 'adResume') return 1;
  if (a.type === 'adPause') return -1;
  if ((a.type === 'adBudget' || a.type === 'adDailyBudget') && a.before !== null && a.after !== null && a.after !== a.before) return a.after > a.before ? 1 : -1;
  return 0;
}
