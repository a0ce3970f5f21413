/**
 * An ad action in words, for the chart marks' tooltips and the action log: what changed,
 * by whom and why — "改预算 ¥50→¥80/分钟 · 阿杰（投手） · 采纳建议 · 转化好，放量". Pure.
 */
import { formatMoneyFen, type Locale } from '../../../../shared/format.ts';
import { translate, type MessageKey } from '../../../../shared/i18n/messages.ts';
import { whoText } from '../../../../shared/who.ts';
import type { AdActionRecord } from '../../../../shared/ads/console.ts';
import { economicsEdits, type EconomicsChange } from '../../../../shared/ads/economics.ts';
import { formatRate } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';

export type AdActionFacts = Pick<AdActionRecord, 'planId' | 'type' | 'before' | 'after' | 'byName' | 'byRole' | 'reason' | 'source'>;

/** The change alone: "¥50→¥80/分钟", "暂停", "恢复". */
export function adChange(a: Pick<AdActionFacts, 'type' | 'before' | 'after'>, locale: Locale): string {
  if (a.type === 'adBudget') return `${formatMoneyFen(a.before, locale)}→${formatMoneyFen(a.after, locale)}${translate(locale, 'ads.perMin')}`;
  return adTag(a, locale);
}

/** A short tag for a chart mark: "¥50→¥80", "暂停". */
export function adTag(a: Pick<AdActionFacts, 'type' | 'before' | 'after'>, locale: Locale): string {
  if (a.type === 'adRoiGoal') return `ROI ${a.before?.toFixed(2) ?? '—'}→${a.after?.toFixed(2) ?? '—'}`;
  if (a.type !== 'adBudget' && a.type !== 'adDailyBudget' && a.type !== 'adBid') return translate(locale, `ads.action.${a.type}`);
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

/**
 * A change of the economics in one line: "服务费 5.0%→6.0% · 面膜 成本 目录→¥45 · 保本ROI 2.22→2.35".
 * `titles`: product titles by id (an unknown id is shown as it is).
 */
export function economicsChangeText(c: Pick<EconomicsChange, 'before' | 'after' | 'breakEvenBefore' | 'breakEvenAfter'>, titles: ReadonlyMap<string, string>, locale: Locale): string {
  const t = (key: MessageKey, vars: Record<string, string | number>) => fill(translate(locale, key), vars);
  const parts = economicsEdits(c.before, c.after).map((e) => {
    switch (e.field) {
      case 'fee':
        return t('ads.econ.edit.fee', { from: formatRate(e.from), to: formatRate(e.to) });
      case 'refund': {
        const word = (r: number | null) => (r === null ? translate(locale, 'ads.econ.edit.learn') : formatRate(r));
        return t('ads.econ.edit.refund', { from: word(e.from), to: word(e.to) });
      }
      case 'cost': {
        const word = (fen: number | null) => (fen === null ? translate(locale, 'ads.econ.edit.catalog') : formatMoneyFen(fen, locale, { precise: true }));
        return t('ads.econ.edit.cost', { title: titles.get(e.productId) ?? e.productId, from: word(e.from), to: word(e.to) });
      }
    }
  });
  const be = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  if (c.breakEvenBefore !== c.breakEvenAfter) parts.push(t('ads.econ.edit.breakEven', { from: be(c.breakEvenBefore), to: be(c.breakEvenAfter) }));
  return parts.join(' · ');
}
