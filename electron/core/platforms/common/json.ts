/**
 * The official APIs send 64-bit ids (`room_id`, `ad_id`, `advertiser_id`, 抖店 `order_id`) as bare
 * JSON numbers; `JSON.parse` rounds any above 2^53 and two plans would share one id. Every
 * platform response is read with the sources' lossless reader: integers beyond the safe range stay
 * exact as decimal strings. Ids are then compared and stored as strings.
 */
import { parseJsonLossless } from '../../sources/common.ts';

/** Parses a platform response; throws SyntaxError like JSON.parse. */
export const parseApiJson: (text: string) => unknown = parseJsonLossless;

/** An id as the platform sent it (a safe integer, a big integer kept as text, or a numeric string), as a decimal string. */
export function idOf(v: unknown): string | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? String(v) : null;
  if (typeof v === 'string' && /^\d{1,30}$/.test(v)) return v.replace(/^0+(?=\d)/, '');
  return null;
}
