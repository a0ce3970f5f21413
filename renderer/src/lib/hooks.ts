import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { appStore, type AppState } from './store.ts';
import { localiser, type Localiser } from '../../../shared/i18n/localiser.ts';
import { mayRequest } from '../../../shared/team/roles.ts';
import type { RequestName } from '../../../shared/contract.ts';

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

export function useAppShallow<T extends object>(selector: (s: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}

/**
 * Whether this page's role may make a request, so the page does not offer what the server would
 * refuse (the server decides: shared/team/roles.ts). The desktop window and a page that has not
 * heard its role yet offer everything.
 */
export function useCan(name: RequestName): boolean {
  return useApp((s) => !s.me || mayRequest(s.me.role, name));
}

/**
 * The localiser of the current language, the same one an export in that language is given. One
 * per language, never a new function per render: effects that depend on it (the chart's setup)
 * must not re-run on every render — bench:ui caught the chart being torn down and rebuilt on every
 * push when this returned a new function each time.
 */
export function useT(): Localiser {
  return localiser(useApp((s) => s.locale));
}
