import { useEffect, useState } from 'react';
import { liveness, type Liveness } from '../../../shared/live/staleness.ts';
import type { RoomView } from '../../../shared/contract.ts';
import { useAppShallow } from './hooks.ts';

/** The page's clock, ticking: what turns stale without any push must be noticed by the page itself. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** Whether a room's numbers (or, without a room, the whole page's) are live right now, and if not why and since when. */
export function useLiveness(room?: Pick<RoomView, 'status' | 'lastEventAt'> | null): Liveness {
  const now = useNow();
  const st = useAppShallow((s) => ({ transport: s.transport, heartbeatAt: s.heartbeatAt, coreOffsetMs: s.coreOffsetMs, channelClosedAt: s.channelClosedAt, connection: s.connection }));
  return liveness({ now, channelOpen: st.transport === 'open', channelClosedAt: st.channelClosedAt, heartbeatAt: st.heartbeatAt, coreOffsetMs: st.coreOffsetMs, connection: st.connection, room });
}
