/**
 * The one way code says a word: a Localiser, `i18n(key, vars?)`, bound to one language. The screen
 * gets it from useT(), an export from the language it was asked in; both hand the same function
 * down, so a heading reads the same on screen, on paper, in the workbook and in the terminal.
 * Every word lives in the message dictionaries (messages.ts and its *-messages.ts); a new string
 * is a key there in both languages, never a literal or a locale test where it is used.
 */
import type { Locale } from '../format.ts';
import { messages, type MessageKey } from './messages.ts';

export type Vars = Readonly<Record<string, string | number>>;

export interface Localiser {
  (key: MessageKey, vars?: Vars): string;
  readonly locale: Locale;
}

/** `{name}` placeholders filled from `vars`; one without a value stays as written, so a missing one shows. */
export function fill(text: string, vars: Vars): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

const made = new Map<Locale, Localiser>();

/** The localiser of `locale`: one per language, so a screen memoised on it does not redraw for nothing. */
export function localiser(locale: Locale): Localiser {
  const had = made.get(locale);
  if (had) return had;
  const words = messages[locale];
  const say = ((key: MessageKey, vars?: Vars) => (vars ? fill(words[key], vars) : words[key])) as Localiser;
  Object.defineProperty(say, 'locale', { value: locale, enumerable: true });
  made.set(locale, say);
  return say;
}

/** Whether `key` is a message: for words built from data (a role, an operator's desk) that may have none. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages['zh-CN'], key);
}

/** Prose the core wrote once in both languages (key points, moments, funnel steps), in the reader's. */
export function said(text: { readonly zh: string; readonly en: string }, i18n: Localiser): string {
  return i18n.locale === 'en' ? text.en : text.zh;
}

/** A sentence in both languages, for a report the core builds once and every reader reads in theirs. */
export function inBoth(say: (i18n: Localiser) => string): { zh: string; en: string } {
  return { zh: say(localiser('zh-CN')), en: say(localiser('en')) };
}
