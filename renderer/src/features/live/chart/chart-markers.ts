/**
 * Platform markers (秒杀, 福袋, 违规提醒, notes) as minute-chart marks: pure functions, so what the
 * chart draws and what its tooltip says can be tested without a canvas.
 *
 * A marker is a dotted vertical line at its source time in the kind's colour with a small tag
 * above the plot (the marker lane), unlike pins (thin solid lines in the product's colour) and
 * alerts (red dashed lines with ⚠ inside the plot); the marks layer (marks-layer.ts) draws them.
 * Its text is in the chart's tooltip for its minute and in the tag's own (title) tooltip.
 * Ad console actions (kind 'ad') are marks the same way; their text is the action in words
 * (before → after, who, why: ad-marks.ts).
 */
import { minuteLabel } from '../../../../../shared/minutes.ts';
import type { SessionMarker } from '../../../../../shared/contract.ts';
import { translate } from '../../../../../shared/i18n/messages.ts';
import type { Locale } from '../../../../../shared/format.ts';
import { adActionText } from '../../ads/ad-marks.ts';
import { escapeHtml } from '../../../../../shared/html.ts';

export const MARKER_COLORS: Record<SessionMarker['kind'], string> = {
  flash: '#ff9800',
  giveaway: '#ce93d8',
  warning: '#ffee58',
  note: '#90a4ae',
  ad: '#ba68c8',
};

/** A marker's text: the platform's, or an ad action in words. */
function textOf(m: SessionMarker, locale: Locale): string | null {
  return m.kind === 'ad' && m.ad ? adActionText(m.ad, locale) : m.text;
}

/** The markers of a session that started at `startedAt` as marks for the marks layer. */
export function markerMarks(markers: readonly SessionMarker[], startedAt: number, locale: Locale) {
  return markers.map((m) => ({
    // At its time within the minute (a 秒杀 lands on its pin's band edge), never before the start.
    at: Math.max(0, (m.ts - startedAt) / 60_000),
    color: MARKER_COLORS[m.kind],
    tag: translate(locale, `marker.${m.kind}.tag`),
    title: `${translate(locale, `marker.${m.kind}`)} ${minuteLabel(m.minute, locale)}${textOf(m, locale) ? ` — ${textOf(m, locale)}` : ''}`,
  }));
}

/** One line per marker: "福袋 第32分钟 — 福袋：评论“…”参与…" (HTML-escaped). */
export function markerLine(m: SessionMarker, locale: Locale): string {
  const kind = translate(locale, `marker.${m.kind}`);
  const t = textOf(m, locale);
  const text = t ? ` — ${escapeHtml(t)}` : '';
  return `<span style="color:${MARKER_COLORS[m.kind]}">■</span> <b>${kind}</b> ${minuteLabel(m.minute, locale)}${text}`;
}

/** The markers of minute `minute` as tooltip HTML lines (empty when there are none). */
export function markerTooltipLines(markers: readonly SessionMarker[], minute: number, locale: Locale): string[] {
  return markers.filter((m) => m.minute === minute).map((m) => `<div style="max-width:360px;white-space:normal;margin-top:4px">${markerLine(m, locale)}</div>`);
}
