/**
 * One minute numbering for every screen, sheet and export (docs/alerts.md "Minutes").
 *
 * A minute's identity is METRICS.md's index m = floor((ts − startedAt) / 60000), 0-based: the
 * `minute` of every minute row, alert, note and marker in the store, `lcr report --json` and the
 * CSV columns (which are the JSON keys). People count minutes from 1 — 第1分钟 is m = 0, as
 * Compass, `lcr note --minute` and the note field do — so wherever a person reads a minute it is
 * named by this module: minuteLabel(m) = 第{m+1}分钟 / "minute {m+1}", and a spreadsheet column for
 * people holds minuteNumber(m) = m + 1 under the header 第几分钟. A bare m is never shown to people.
 */
import type { Locale } from './format.ts';
import { translate } from './i18n/messages.ts';

/** The number people use for minute index m. */
export function minuteNumber(m: number): number {
  return m + 1;
}

/** The index of the minute people call number n (第n分钟, `lcr note --minute n`). */
export function minuteFromNumber(n: number): number {
  return n - 1;
}

/** "第11分钟" / "minute 11" for index 10. */
export function minuteLabel(m: number, locale: Locale): string {
  return translate(locale, 'minute.label').replace('{n}', String(minuteNumber(m)));
}

/** "第11–13分钟" / "minutes 11–13" for indexes 10…12 (one minute: its label). */
export function minuteRangeLabel(a: number, b: number, locale: Locale): string {
  if (a === b) return minuteLabel(a, locale);
  return translate(locale, 'minute.range').replace('{a}', String(minuteNumber(a))).replace('{b}', String(minuteNumber(b)));
}

/** The header of a column holding minuteNumber(m). */
export function minuteColumn(locale: Locale): string {
  return translate(locale, 'minute.column');
}

