/**
 * GMV Max money: the Business API writes amounts (budget, cost, gross revenue) as JSON numbers in
 * the MAJOR units of the advertiser's currency (the SDK types `budget` as `double`). Kept exactly as
 * integer minor units of that currency: a number is read through its shortest decimal text
 * (`String(12.3)` is "12.3", the digits the platform wrote), never multiplied as a float; text with
 * more decimals than the currency has is refused, not rounded. Dates are the advertiser's days.
 */
import { CURRENCY_EXPONENT, MoneyError, formatMinor, parseMoney } from '../tiktok-shop/money.ts';

export { CURRENCY_EXPONENT };

export type MinorRead = { minor: number } | { problem: string } | null;

/** An amount as the platform wrote it → minor units; null when absent; a problem when it cannot be kept exactly. */
export function readMinor(v: unknown, currency: string): MinorRead {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'number' && typeof v !== 'string') return { problem: `an amount of type ${typeof v}` };
  if (typeof v === 'number' && !Number.isFinite(v)) return { problem: 'an amount that is not finite' };
  try {
    const m = parseMoney(v, currency);
    if (m.minor < 0) return { problem: `a negative amount (${String(v).slice(0, 30)})` };
    return { minor: m.minor };
  } catch (e) {
    return { problem: e instanceof MoneyError ? e.message : 'an unreadable amount' };
  }
}

/** Minor units → the major-unit number the write endpoints take (1290 USD → 12.9, written as 12.9). */
export function majorOf(minor: number, currency: string): number {
  return Number(formatMinor({ minor: Math.round(minor), currency }));
}

export function knownCurrency(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const c = v.trim().toUpperCase();
  return Object.hasOwn(CURRENCY_EXPONENT, c) ? c : null;
}

/** The calendar date (YYYY-MM-DD) in a time zone; UTC when the zone is unknown or invalid. */
export function dateIn(timeZone: string | null, ms: number): string {
  if (timeZone) {
    try {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
      const d = `${get('year')}-${get('month')}-${get('day')}`;
      if (/^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
    } catch {
      // an unknown zone: fall through to UTC
    }
  }
  return new Date(ms).toISOString().slice(0, 10);
}
