/**
 * The ad advisor's structured reasons (advisor.ts AdReason) in plain words, either language:
 * "近期边际ROI 1.20（成交滞后约 2 分钟），低于保本ROI 1.85：多花的钱在亏". Worded only here, so the
 * action log and the retrospective can count reasons by code.
 */
import { formatMoneyFen, type Locale } from '../format.ts';
import { translate, type MessageKey } from '../i18n/messages.ts';
import { fill } from '../suggest/reasons.ts';
import type { AdReason } from './advisor.ts';

export function renderAdReason(r: AdReason, locale: Locale): string {
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) => fill(translate(locale, key), vars);
  switch (r.code) {
    case 'marginalRoi':
      return t('adReason.marginalRoi', { value: r.value.toFixed(2), lag: r.lagMin });
    case 'averageRoiOnly':
      return t('adReason.averageRoiOnly', { value: r.value.toFixed(2) });
    case 'belowBreakEven':
      return t('adReason.belowBreakEven', { breakEven: r.breakEven.toFixed(2) });
    case 'belowTarget':
      return t('adReason.belowTarget', { target: r.target.toFixed(2) });
    case 'aboveTargetAndBreakEven':
      return r.breakEven === null ? t('adReason.aboveTarget', { target: r.target.toFixed(2) }) : t('adReason.aboveTargetAndBreakEven', { target: r.target.toFixed(2), breakEven: r.breakEven.toFixed(2) });
    case 'organicRising':
      return t('adReason.organicRising', { pct: Math.abs(r.pct) });
    case 'organicFalling':
      return t('adReason.organicFalling', { pct: Math.abs(r.pct) });
    case 'settling':
      return t('adReason.settling', { min: r.minutesLeft });
    case 'withinBand':
      return r.breakEven === null ? t('adReason.withinBand.noBreakEven', { raiseAt: r.raiseAt.toFixed(2) }) : t('adReason.withinBand', { breakEven: r.breakEven.toFixed(2), raiseAt: r.raiseAt.toFixed(2) });
    case 'paused':
      return t('adReason.paused');
    case 'atMinimum':
      return t('adReason.atMinimum', { budget: formatMoneyFen(r.budgetFenPerMin, locale) });
    case 'fewData':
      return t('adReason.fewData', { min: r.minutes });
    default:
      return assertNever(r);
  }
}

/** All reasons as one sentence ("，" in Chinese, "; " in English). */
export function renderAdReasons(reasons: readonly AdReason[], locale: Locale): string {
  return reasons.map((r) => renderAdReason(r, locale)).join(locale === 'zh-CN' ? '，' : '; ');
}

/**
 * The verdict of an action not shown yet (advisor.ts `pending`): the figure it rests on without the
 * consequence a shown action states — "低于保本ROI 1.83", not "…：多花的钱在亏" under a 建议维持.
 */
export function renderSignalReasons(reasons: readonly AdReason[], locale: Locale): string {
  return reasons
    .map((r) => (r.code === 'belowBreakEven' ? fill(translate(locale, 'adReason.belowBreakEven.signal'), { breakEven: r.breakEven.toFixed(2) }) : renderAdReason(r, locale)))
    .join(locale === 'zh-CN' ? '，' : '; ');
}

function assertNever(x: never): never {
  throw new Error(`unknown ad reason ${JSON.stringify(x)}`);
}
