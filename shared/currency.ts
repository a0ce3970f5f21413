/**
 * The currencies a room's money can be in (protocol.ts `currencyCode`): how many minor units make
 * one major unit (ISO 4217), and the mark written before an amount. CNY is FEED-PROTOCOL's own
 * (fen); the rest are those TikTok Shop and TikTok's ad accounts sell and bill in. A currency not
 * listed is refused where money is read, never guessed.
 */
export const CURRENCY_EXPONENT: Readonly<Record<string, number>> = {
  CNY: 2,
  USD: 2,
  GBP: 2,
  EUR: 2,
  SGD: 2,
  MYR: 2,
  THB: 2,
  PHP: 2,
  IDR: 2,
  MXN: 2,
  BRL: 2,
  SAR: 2,
  AED: 2,
  VND: 0,
  JPY: 0,
  KRW: 0,
};

/** The mark before an amount; JP¥ so a yen amount is never read as yuan. Unlisted: the code and a space. */
const MARK: Readonly<Record<string, string>> = {
  CNY: '¥',
  USD: '$',
  GBP: '£',
  EUR: '€',
  SGD: 'S$',
  MYR: 'RM',
  THB: '฿',
  PHP: '₱',
  IDR: 'Rp',
  MXN: 'MX$',
  BRL: 'R$',
  VND: '₫',
  JPY: 'JP¥',
  KRW: '₩',
};

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENT, code);
}

export function currencyMark(code: string): string {
  return MARK[code] ?? `${code} `;
}

/** Minor units per major unit (100 for cents, 1 for đồng); 100 for a code not listed. */
export function minorPerMajor(code: string): number {
  return 10 ** (CURRENCY_EXPONENT[code] ?? 2);
}
