import { useSyncExternalStore } from 'react';
import { liveness, type Liveness } from '../../../shared/live/staleness.ts';
import type { RoomView } from '../../../shared/contract.ts';
import { useAppShallow } from './hooks.ts';

/**
 * The page's one clock, ticking once a second while anything on the page reads it: what turns
 * stale without any push must be noticed by the page itself, and every part of the page must
 * notice it on the same tick — a clock per component let the banner say "the core is not
 * responding" while the header still said 实时 for up to a second.
 */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: null as ReturnType<typeof setInterval> | null,
};

function subscribeClock(listener: () => void): () => void {
  clock.listeners.add(listener);
  if (!clock.timer) {
    // Nothing read the clock for a while: the first reader gets the time now, not when the last one left.
    clock.now = Date.now();
    queueMicrotask(listener);
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, 1000);
  }
  return () => {
    clock.listeners.delete(listener);
    if (!clock.listeners.size && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = null;
    }
  };
}

/** The page's clock (wall ms), the same value everywhere on the page within a render. */
export function useNow(): number {
  // Rendered outside a page (the exports' and the tests' static markup): the time of rendering.
  return useSyncExternalStore(subscribeClock, () => clock.now, () => Date.now());
}

/** Whether a room's numbers (or, without a room, the whole page's) are live right now, and if not why and since when. */
export function useLiveness(room?: Pick<RoomView, 'status' | 'lastEventAt'> | null): Liveness {
  const now = useNow();
  const st = useAppShallow((s) => ({ transport: s.transport, heartbeatAt: s.heartbeatAt, coreOffsetMs: s.coreOffsetMs, channelClosedAt: s.channelClosedAt, connection: s.connection }));
  return liveness({ now, channelOpen: st.transport === 'open', channelClosedAt: st.channelClosedAt, heartbeatAt: st.heartbeatAt, coreOffsetMs: st.coreOffsetMs, connection: st.connection, room });
}
