/**
 * TikTok Shop money (tiktok-api.md §2): amounts are decimal strings in the currency's major units
 * ("12.90" USD), next to the currency code. Kept exactly as integer minor units of that currency —
 * never through a float, never assuming ¥ — with the currency carried beside it.
 */

import { CURRENCY_EXPONENT } from '../../../../shared/currency.ts';

export { CURRENCY_EXPONENT };

export interface Money {
  /** Integer minor units (cents, sen, satang …; đồng and yen are their own minor unit). */
  minor: number;
  currency: string;
}

export class MoneyError extends Error {}

/**
 * "12.90" + "USD" → { minor: 1290, currency: "USD" }. Refused, with the reason: an unknown
 * currency, text that is not a plain decimal, more decimals than the currency has (it would have
 * to be rounded), and an amount beyond what a JavaScript number holds exactly.
 */
export function parseMoney(amount: unknown, currency: unknown): Money {
  if (typeof currency !== 'string' || !Object.hasOwn(CURRENCY_EXPONENT, currency.toUpperCase())) throw new MoneyError(`unknown currency ${JSON.stringify(String(currency)).slice(0, 20)}`);
  const code = currency.toUpperCase();
  const exp = CURRENCY_EXPONENT[code]!;
  const text = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : amount;
  if (typeof text !== 'string') throw new MoneyError(`an amount that is not a decimal string (${typeof amount})`);
  const m = /^(-)?(\d{1,20})(?:\.(\d{1,30}))?$/.exec(text.trim());
  if (!m) throw new MoneyError(`an amount that is not a plain decimal: ${JSON.stringify(text.slice(0, 30))}`);
  const [, sign, whole, frac = ''] = m;
  const extra = frac.slice(exp);
  if (/[1-9]/.test(extra)) throw new MoneyError(`${text} ${code} has more decimals than ${code}'s ${exp}: not rounded`);
  const minor = BigInt(whole!) * 10n ** BigInt(exp) + BigInt((frac.slice(0, exp) || '0').padEnd(exp, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError(`${text} ${code} is beyond what is kept exactly`);
  const n = Number(minor);
  return { minor: sign && n !== 0 ? -n : n, currency: code };
}

/** Minor units back to the decimal string the platform writes: 1290 USD → "12.90". */
export function formatMinor(m: Money): string {
  const exp = CURRENCY_EXPONENT[m.currency];
  if (exp === undefined) throw new MoneyError(`unknown currency ${m.currency}`);
  const abs = Math.abs(m.minor).toString().padStart(exp + 1, '0');
  const text = exp ? `${abs.slice(0, -exp)}.${abs.slice(-exp)}` : abs;
  return m.minor < 0 ? `-${text}` : text;
}
