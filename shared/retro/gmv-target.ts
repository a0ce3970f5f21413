/**
 * A GMV target as a person types it — yuan, with ¥, thousands separators or 万 (“8万”,
 * “¥80,000”, “80000”) — and back for the input box. One reading for the settings screen (the room's
 * target) and the report (the show's own).
 */

/** Fen, null for an empty box (no target), or undefined when the text is not an amount. */
export function parseGmvTarget(text: string): number | null | undefined {
  const s = text.trim().replace(/[¥￥,，\s]/g, '').replace(/元$/, '');
  if (s === '') return null;
  const m = /^(\d+(?:\.\d+)?)(万)?$/.exec(s);
  if (!m) return undefined;
  const fen = Math.round(Number(m[1]) * (m[2] ? 10_000 : 1) * 100);
  return fen > 0 && fen <= 1e13 ? fen : undefined;
}

/** The input box's text for a target in fen: plain yuan, no separators (“80000”, “1234.5”). */
export function gmvTargetInput(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : String(fen / 100);
}
