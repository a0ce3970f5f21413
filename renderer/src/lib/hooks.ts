import { useCallback } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from './store.ts';
import { translate, type MessageKey } from '../../../shared/i18n/messages.ts';

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

export function useAppShallow<T extends object>(selector: (s: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}

/**
 * The translator for the current language. Memoised on the locale: effects that depend on it
 * (the chart's setup) must not re-run on every render — bench:ui caught the chart being torn down
 * and rebuilt on every push when this returned a new function each time.
 */
export function useT(): (key: MessageKey) => string {
  const locale = useApp((s) => s.locale);
  return useCallback((key: MessageKey) => translate(locale, key), [locale]);
}
