/**
 * The one HTML escaper for every string that reaches markup: the HTML export, chart tooltips
 * (ECharts formatters return HTML) and the minute chart's tooltip (innerHTML). Titles, notes,
 * comments, marker texts and reasons come from relays, imports and people: never markup.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
