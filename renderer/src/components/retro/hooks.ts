import { useStore } from 'zustand';
import { retroStore, type RetroState } from '../../lib/retro.ts';

export function useRetro<T>(selector: (s: RetroState) => T): T {
  return useStore(retroStore, selector);
}
