/**
 * METRICS.md's KPIs as the retrospective prints them: the unit and which way is good, in the order
 * the headline, the exports and `lcr report` list them. Their names are messages, `kpi.<key>`
 * (shared/i18n/kpi-messages.ts: the platforms' Chinese names, 罗盘/Compass, and English).
 */
import type { KpiKey, Unit } from './types.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../format.ts';
import { isMessageKey, type Localiser } from '../i18n/localiser.ts';

export interface KpiMeta {
  key: KpiKey;
  unit: Unit;
  better: 'higher' | 'lower' | null;
}

export const KPI_META: readonly KpiMeta[] = [
  { key: 'gmvFen', unit: 'fen', better: 'higher' },
  { key: 'orders', unit: 'count', better: 'higher' },
  { key: 'items', unit: 'count', better: 'higher' },
  { key: 'buyers', unit: 'count', better: 'higher' },
  { key: 'gpm', unit: 'yuan', better: 'higher' },
  { key: 'uvValue', unit: 'yuan', better: 'higher' },
  { key: 'orderValue', unit: 'yuan', better: 'higher' },
  { key: 'itemPrice', unit: 'yuan', better: null },
  { key: 'refundFen', unit: 'fen', better: 'lower' },
  { key: 'peakOnline', unit: 'count', better: 'higher' },
  { key: 'avgOnline', unit: 'count', better: 'higher' },
  { key: 'uv', unit: 'count', better: 'higher' },
  { key: 'pv', unit: 'count', better: 'higher' },
  { key: 'avgWatchSec', unit: 'sec', better: 'higher' },
  { key: 'exposures', unit: 'count', better: 'higher' },
  { key: 'clicks', unit: 'count', better: 'higher' },
  { key: 'ctr', unit: 'rate', better: 'higher' },
  { key: 'clickToOrder', unit: 'rate', better: 'higher' },
  { key: 'viewToOrder', unit: 'rate', better: 'higher' },
  { key: 'viewToBuyer', unit: 'rate', better: 'higher' },
  { key: 'newFollowers', unit: 'count', better: 'higher' },
  { key: 'followRate', unit: 'rate', better: 'higher' },
  { key: 'fansclubJoins', unit: 'count', better: 'higher' },
  { key: 'comments', unit: 'count', better: 'higher' },
  { key: 'likes', unit: 'count', better: 'higher' },
  { key: 'shares', unit: 'count', better: 'higher' },
  { key: 'giftFen', unit: 'cnyFen', better: 'higher' },
  { key: 'adSpendFen', unit: 'fen', better: null },
  { key: 'adGmvFen', unit: 'fen', better: 'higher' },
  { key: 'roi', unit: 'ratio', better: 'higher' },
  { key: 'adRoi', unit: 'ratio', better: 'higher' },
  { key: 'breakEvenRoi', unit: 'ratio', better: null },
  { key: 'durationSec', unit: 'sec', better: null },
];

export const KPI_BY_KEY: ReadonlyMap<KpiKey, KpiMeta> = new Map(KPI_META.map((m) => [m.key, m]));

/** A product's role (引流款 …) as people say it; a role the app has no word for, as the data has it. */
export function roleName(role: string, i18n: Localiser): string {
  const key = `role.${role}`;
  return isMessageKey(key) ? i18n(key) : role;
}

/** A KPI's value for people: ¥ for money, % for rates, 1:02:03 for durations, 3.2 for ratios. */
export function formatValue(value: number | null | undefined, unit: Unit, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  switch (unit) {
    case 'fen':
      return formatMoneyFen(value, locale);
    case 'cnyFen':
      return formatMoneyFen(value, locale, { currency: 'CNY' });
    case 'yuan':
      return formatYuan(value, locale);
    case 'rate':
      return formatRate(value, value < 0.1 ? 2 : 1);
    case 'count':
      return formatCount(value, locale);
    case 'sec':
      return formatDuration(value);
    case 'ratio':
      return value.toFixed(2);
  }
}

/** A change as "+12.3%" / "−4.0%" (a true minus sign). */
export function formatChange(change: number | null | undefined, digits = 1): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return DASH;
  const s = (Math.abs(change) * 100).toFixed(digits) + '%';
  return change > 0 ? `+${s}` : change < 0 ? `−${s}` : s;
}

/** "前3场均值" — or, on a room's first show, "首场" (never "前0场"). */
export function previousLabel(n: number, i18n: Localiser): string {
  return n > 0 ? i18n('report.prevMean', { n }) : i18n('report.firstShowShort');
}
