import type { Alert } from './types.ts';
import { formatCount, formatRate, type Locale } from '../format.ts';
import { translate, type MessageKey } from '../i18n/messages.ts';

/** An alert in words, from its kind and figures, in the current language: the dashboard, notifications and the report's exports say it alike. */
export function alertText(a: Alert, locale: Locale): string {
  const p = a.params;
  const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : null);
  let key: MessageKey = `alerts.${a.kind}`;
  const values: Record<string, string> = {};
  switch (a.kind) {
    case 'ctr':
    case 'clickToOrder':
      values.value = formatRate(num('value'));
      values.target = formatRate(num('target'));
      break;
    case 'roi':
      values.value = (num('value') ?? 0).toFixed(2);
      values.target = (num('target') ?? 0).toFixed(2);
      break;
    case 'roiBelowBreakEven':
      values.value = (num('value') ?? 0).toFixed(2);
      values.breakEven = (num('breakEven') ?? 0).toFixed(2);
      break;
    case 'onlineDrop':
      values.from = formatCount(num('from'), locale);
      values.to = formatCount(num('to'), locale);
      values.windowMin = String(num('windowMin') ?? '');
      break;
    case 'lowStock':
      values.title = String(p.title ?? p.productId ?? '');
      values.stock = formatCount(num('stock'), locale);
      values.startStock = formatCount(num('startStock'), locale);
      if (num('stock') === 0) key = 'alerts.soldOut';
      break;
  }
  return translate(locale, key).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

/**
 * Which room an alert is of, as people know it: the room's title in this run, else the title of
 * the show it was raised in (a room not followed now) — never the raw room id.
 */
export function alertRoomName(a: Pick<Alert, 'roomId' | 'showTitle'>, rooms: ReadonlyArray<{ roomId: string; title: string }>, locale: Locale): string {
  return rooms.find((r) => r.roomId === a.roomId)?.title ?? a.showTitle ?? translate(locale, 'alerts.otherShow');
}
