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

export function useT(): (key: MessageKey) => string {
  const locale = useApp((s) => s.locale);
  return (key) => translate(locale, key);
}
