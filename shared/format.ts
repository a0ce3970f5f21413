/**
 * How figures are written for people: ¥ and 万 for Chinese readers (¥12.3万, not ¥123,456),
 * thousands separators and K/M in English. A null figure (METRICS.md: undefined rate) is "—".
 *
 * Money is in the currency of the show it belongs to (shared/currency.ts): a TikTok Shop room's
 * figures read "$1,234.50" or "£12.3万", never ¥. The screen showing one show sets that show's
 * currency with `setDisplayCurrency` (the renderer's store does, as the room or report changes);
 * a view of several shows at once passes each figure's `currency`.
 */
import { currencyMark, minorPerMajor } from './currency.ts';

export type Locale = 'zh-CN' | 'en';

export const DASH = '—';

let displayCurrency = 'CNY';

/** The currency money is written in when a call names none: the show on screen's. */
export function setDisplayCurrency(code: string | null | undefined): void {
  displayCurrency = code || 'CNY';
}

export function getDisplayCurrency(): string {
  return displayCurrency;
}

/**
 * Money in minor units (fen for CNY) → "¥1,234.50", "¥12.35万", "¥1.2亿" (zh) or "¥12.3K" (en);
 * "$12.35万" in a USD show. A loss reads "−¥30" (the sign before the currency, a true minus),
 * never "¥-30".
 */
export function formatMoneyFen(fen: number | null | undefined, locale: Locale, opts: { precise?: boolean; currency?: string } = {}): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return DASH;
  const code = opts.currency ?? displayCurrency;
  const mark = currencyMark(code);
  return withSign(fen / minorPerMajor(code), (a) => mark + formatYuanNumber(a, locale, opts.precise ?? false));
}

/** Major units (GPM, UV value: yuan in a CNY show) → "¥1,234.5" with one decimal under 10k; negative as "−¥…". */
export function formatYuan(yuan: number | null | undefined, locale: Locale, currency?: string): string {
  if (yuan === null || yuan === undefined || !Number.isFinite(yuan)) return DASH;
  const mark = currencyMark(currency ?? displayCurrency);
  return withSign(yuan, (a) => mark + formatYuanNumber(a, locale, false));
}

/** Formats |y| and puts a minus in front when y is negative and does not round to zero. */
function withSign(y: number, format: (a: number) => string): string {
  const text = format(Math.abs(y));
  return y < 0 && /[1-9]/.test(text) ? MINUS + text : text;
}

/** U+2212: the minus sign, the width of "+", not a hyphen. */
export const MINUS = '−';

function formatYuanNumber(y: number, locale: Locale, precise: boolean): string {
  const a = Math.abs(y);
  if (locale === 'zh-CN') {
    if (a >= 1e8) return trim(y / 1e8, 2) + '亿';
    if (a >= 1e4) return trim(y / 1e4, 2) + '万';
  } else {
    if (a >= 1e6) return trim(y / 1e6, 2) + 'M';
    if (a >= 1e4) return trim(y / 1e3, 1) + 'K';
  }
  return (precise ? YUAN_PRECISE : a < 100 ? YUAN_SMALL : YUAN_WHOLE).format(y);
}

// Number#toLocaleString with options builds a new Intl.NumberFormat on every call: the
// dashboard formats hundreds of figures a push, so the three formats are built once.
const YUAN_PRECISE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const YUAN_SMALL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const YUAN_WHOLE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
const COUNT = new Intl.NumberFormat('en-US');

/** Counts → "8,532", "12.3万" (zh) or "12.3K" (en). */
export function formatCount(n: number | null | undefined, locale: Locale): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  const a = Math.abs(n);
  if (locale === 'zh-CN') {
    if (a >= 1e8) return trim(n / 1e8, 2) + '亿';
    if (a >= 1e5) return trim(n / 1e4, 1) + '万';
  } else if (a >= 1e5) {
    return a >= 1e6 ? trim(n / 1e6, 2) + 'M' : trim(n / 1e3, 1) + 'K';
  }
  return COUNT.format(Math.round(n));
}

/** Fractions → "4.2%". */
/** ROI as the platforms show it: a ratio with two decimals ("2.55"); "—" when unknown. */
export function formatRoi(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : x.toFixed(2);
}

export function formatRate(r: number | null | undefined, digits = 1): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return DASH;
  return (r * 100).toFixed(digits) + '%';
}

/** Seconds → "1:02:03" / "12:03". */
export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return DASH;
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return (h ? `${h}:` : '') + `${mm}:${String(ss).padStart(2, '0')}`;
}

/** How long ago, in the words a glance reads: "45 秒前", "3 分钟前", "2 小时前" (en: "45 s ago"). */
export function formatAgo(ms: number, locale: Locale): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const zh = locale === 'zh-CN';
  if (s < 60) return zh ? `${s} 秒前` : `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return zh ? `${m} 分钟前` : `${m} min ago`;
  const h = Math.floor(m / 60);
  return zh ? `${h} 小时前` : `${h} h ago`;
}

function trim(x: number, digits: number): string {
  return String(Number(x.toFixed(digits)));
}

/**
 * Whether epoch ms `ts` is a time a JS Date can hold (±8.64e15 ms). A stored start or an
 * imported time may be any number a relay or a file sent; Date#toISOString and
 * Intl.DateTimeFormat#format throw a RangeError on anything else.
 */
export function isDateTs(ts: unknown): ts is number {
  return typeof ts === 'number' && Number.isFinite(ts) && Math.abs(ts) <= 8.64e15;
}

/** `ts` through a date format, or "—" when no date can hold it: every date of a stored value is written through here. */
export function formatDate(ts: number | null | undefined, fmt: Intl.DateTimeFormat): string {
  return isDateTs(ts) ? fmt.format(ts) : DASH;
}

/** The language tag dates are written in: English dates day first, as the team's other tools do. */
export function intlLocale(locale: Locale): string {
  return locale === 'zh-CN' ? 'zh-CN' : 'en-GB';
}

/** `ts` as a local date-time in `locale` (toLocaleString's options), or "—". */
export function formatDateTime(ts: number | null | undefined, locale: Locale, opts?: Intl.DateTimeFormatOptions): string {
  return isDateTs(ts) ? new Date(ts).toLocaleString(intlLocale(locale), opts) : DASH;
}

/** `ts` as "2024-11-11 12:00" (UTC, to the minute), or "—". */
export function isoMinute(ts: number | null | undefined): string {
  return isDateTs(ts) ? new Date(ts).toISOString().replace('T', ' ').slice(0, 16) : DASH;
}

/** At most `max` characters, the cut marked with an ellipsis (a chart label, a stored marker text, an echoed name). */
export function clipText(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
