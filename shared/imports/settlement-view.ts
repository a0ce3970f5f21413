/**
 * R9 as people read it, one wording for `lcr report`, the HTML/PDF report, the XLSX sheet and the
 * app: "结算更新 / Settled vs live" — each KPI the settled tables moved, live → settled and by how much.
 */
import { KPI_BY_KEY, formatChange, formatValue } from '../retro/labels.ts';
import type { KpiKey, Unit } from '../retro/types.ts';
import { formatDateTime, type Locale } from '../format.ts';
import type { Settlement } from './types.ts';

export const SETTLEMENT_TITLE = { zh: '结算更新', en: 'Settled vs live' } as const;

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
export function settlementNote(s: Settlement, locale: Locale): string {
  const when = formatDateTime(s.importedAt, locale, { hour12: false });
  return locale === 'zh-CN'
    ? `报告中的指标已按平台结算数据更新（${s.file}，导入于 ${when}）；直播时记录的数据保留不变。`
    : `The report's figures are the platform's settled ones (${s.file}, imported ${when}); the figures recorded live are kept.`;
}

export function settlementLines(s: Settlement, locale: Locale): SettlementLine[] {
  return s.changes.map((c) => {
    const meta = KPI_BY_KEY.get(c.key as KpiKey);
    const unit: Unit = meta?.unit ?? 'count';
    const sign = c.change === null || c.change === 0 ? '' : c.change > 0 ? '+' : '−';
    return {
      key: c.key,
      label: meta ? (locale === 'zh-CN' ? meta.zh : meta.en) : c.key,
      unit,
      live: formatValue(c.live, unit, locale),
      settled: formatValue(c.settled, unit, locale),
      change: c.change === null ? formatValue(null, unit, locale) : sign + formatValue(Math.abs(c.change), unit, locale),
      changePct: formatChange(c.changePct),
    };
  });
}
