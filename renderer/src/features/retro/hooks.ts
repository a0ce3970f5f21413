import { useStore } from 'zustand';
import { retroStore, type RetroState } from './retro-store.ts';

export function useRetro<T>(selector: (s: RetroState) => T): T {
  return useStore(retroStore, selector);
}
