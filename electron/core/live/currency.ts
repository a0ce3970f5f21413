/**
 * One currency per show (protocol.ts `currencyCode`). FEED-PROTOCOL's money is CNY fen; a money
 * event may name another currency, its amounts then minor units of that one. The first currency
 * named holds for the show; money in another — or unnamed money (fen) in a show that named a
 * foreign currency — is refused with the reason, never converted: a figure that adds dollars to
 * pounds is worse than a missing one.
 *
 * Gifts are not money here: their value is the adapter's valuation of the platform's coins
 * (docs/sources.md), not the shop's takings, and never enters GMV.
 */
import { DEFAULT_CURRENCY, isKnown, type FeedEvent } from '../../../shared/protocol.ts';
import type { SessionRow } from '../store/writer.ts';

const MONEY_TYPES: ReadonlySet<string> = new Set(['order', 'ad', 'totals', 'session']);

/** Takes the event's currency for the show (the first named), or says why the event cannot be counted. */
export function admitCurrency(row: SessionRow, e: FeedEvent): string | null {
  if (!isKnown(e) || !MONEY_TYPES.has(e.type)) return null;
  const named = 'currency' in e && typeof e.currency === 'string' ? e.currency : undefined;
  if (named !== undefined) {
    if (!row.currency) {
      row.currency = named;
      return null;
    }
    return named === row.currency ? null : `money in ${named} in a show whose money is ${row.currency}: not converted`;
  }
  if (e.type === 'session') return null;
  return row.currency && row.currency !== DEFAULT_CURRENCY ? `money without a currency (fen, CNY) in a show whose money is ${row.currency}: not converted` : null;
}
