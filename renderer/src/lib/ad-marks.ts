/**
 * An ad action (A4) in words, for the chart marks' tooltips and the action log: what changed,
 * by whom and why — "改预算 ¥50→¥80/分钟 · 阿杰（投手） · 采纳建议 · 转化好，放量". Pure.
 */
import { formatMoneyFen, type Locale } from '../../../shared/format.ts';
import { translate } from '../../../shared/i18n/messages.ts';
import { whoText } from '../../../shared/who.ts';
import type { AdActionRecord } from '../../../shared/ads/console.ts';

export type AdActionFacts = Pick<AdActionRecord, 'planId' | 'type' | 'before' | 'after' | 'byName' | 'byRole' | 'reason' | 'source'>;

/** The change alone: "¥50→¥80/分钟", "暂停", "恢复". */
export function adChange(a: Pick<AdActionFacts, 'type' | 'before' | 'after'>, locale: Locale): string {
  if (a.type !== 'adBudget') return translate(locale, `ads.action.${a.type}`);
  return `${formatMoneyFen(a.before, locale)}→${formatMoneyFen(a.after, locale)}${translate(locale, 'ads.perMin')}`;
}

/** A short tag for a chart mark: "¥50→¥80", "暂停". */
export function adTag(a: Pick<AdActionFacts, 'type' | 'before' | 'after'>, locale: Locale): string {
  if (a.type !== 'adBudget') return translate(locale, `ads.action.${a.type}`);
  return `${formatMoneyFen(a.before, locale)}→${formatMoneyFen(a.after, locale)}`;
}

/** Who: "阿杰（投手）", or that nobody set their name. */
export function adWho(a: Pick<AdActionFacts, 'byName' | 'byRole'>, locale: Locale): string {
  return whoText(a.byName, a.byRole, locale);
}

/** The whole action in one line (plain text; escape it for HTML). */
export function adActionText(a: AdActionFacts, locale: Locale): string {
  const parts = [`${translate(locale, `ads.action.${a.type}`)}${a.type === 'adBudget' ? ' ' + adChange(a, locale) : ''}`, a.planId, adWho(a, locale), translate(locale, `ads.source.${a.source}`)];
  if (a.reason) parts.push(a.reason);
  return parts.join(' · ');
}
