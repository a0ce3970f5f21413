/**
 * Settled figures as people read it, one wording for `lcr report` and the HTML/PDF report (report.settlement,
 * "结算更新 / Settled vs live"): each KPI the settled tables moved, live → settled and by how much.
 */
import { KPI_BY_KEY, formatChange, formatValue } from '../retro/labels.ts';
import type { KpiKey, Unit } from '../retro/types.ts';
import { formatDateTime } from '../format.ts';
import type { Localiser } from '../i18n/localiser.ts';
import type { Settlement } from './types.ts';

export interface SettlementLine {
  key: string;
  label: string;
  unit: Unit;
  live: string;
  settled: string;
  /** the difference in the KPI's unit, signed ("+¥1,200", "−3") */
  change: string;
  /** relative to the live figure ("+4.2%") */
  changePct: string;
}

/** The line under the title: which file, when, and what the report's figures now are. */
export function settlementNote(s: Settlement, i18n: Localiser): string {
  return i18n('report.settlementNote', { file: s.file, when: formatDateTime(s.importedAt, i18n.locale, { hour12: false }) });
}

export function settlementLines(s: Settlement, i18n: Localiser): SettlementLine[] {
  const { locale } = i18n;
  return s.changes.map((c) => {
    const meta = KPI_BY_KEY.get(c.key as KpiKey);
    const unit: Unit = meta?.unit ?? 'count';
    const sign = c.change === null || c.change === 0 ? '' : c.change > 0 ? '+' : '−';
    return {
      key: c.key,
      label: meta ? i18n(`kpi.${meta.key}`) : c.key,
      unit,
      live: formatValue(c.live, unit, locale),
      settled: formatValue(c.settled, unit, locale),
      change: c.change === null ? formatValue(null, unit, locale) : sign + formatValue(Math.abs(c.change), unit, locale),
      changePct: formatChange(c.changePct),
    };
  });
}
