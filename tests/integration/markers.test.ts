/**
 * Platform markers through the real core: a scripted relay → core → room pushes and getRoom,
 * in source-time order, and back after a restart (rebuilt from the stored events, as the UI
 * reloads them on reconnect). Waits on what the core did, never sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import type { Push, RoomDetail, SessionMarker } from '../../shared/contract.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startCore(dir: string, url: string): Promise<{ core: Core; pushes: Push[] }> {
  const core = await Core.start({ dataDir: dir, feedUrl: url, noBackup: true, pushIntervalMs: 50 });
  cleanups.push(() => core.stop());
  const pushes: Push[] = [];
  core.onPush((p) => pushes.push(p));
  return { core, pushes };
}

function lastMarkers(pushes: Push[]): SessionMarker[] | undefined {
  return pushes.findLast((p): p is Extract<Push, { topic: 'room' }> => p.topic === 'room' && p.payload.markers !== undefined)?.payload.markers;
}

describe('platform markers in the core', () => {
  it('pushes the session’s markers when one arrives, lists them with the room, and keeps them across a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    cleanups.push(() => relay.close());

    const first = await startCore(dir, relay.url);
    await waitFor(() => relay.subscribes.length === 1, 'subscribed');
    relay.send('r1', [
      { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: '测试专场' },
      { seq: 2, ts: T0 + 1000, type: 'viewers', online: 1000 },
      { seq: 3, ts: T0 + 7 * 60_000 + 30_000, type: 'marker', kind: 'giveaway', text: '福袋：评论“想要”参与' },
    ]);
    const giveaway = { seq: 3, ts: T0 + 7 * 60_000 + 30_000, minute: 7, kind: 'giveaway', text: '福袋：评论“想要”参与' };
    await waitFor(() => lastMarkers(first.pushes)?.length === 1, 'a push with the giveaway');
    expect(lastMarkers(first.pushes)).toEqual([giveaway]);

    // Pushes in between carry no markers (nothing changed) …
    const n = first.pushes.length;
    relay.send('r1', [{ seq: 4, ts: T0 + 8 * 60_000, type: 'viewers', online: 1100 }]);
    await waitFor(() => first.pushes.slice(n).some((p) => p.topic === 'room' && (p.payload.view.windowEnd ?? 0) >= T0 + 8 * 60_000), 'the next push');
    expect(first.pushes.slice(n).some((p) => p.topic === 'room' && p.payload.markers !== undefined)).toBe(false);

    // … a new one (a 秒杀 without text, one a relay sent late) is pushed with all of them, in time order.
    relay.send('r1', [
      { seq: 5, ts: T0 + 9 * 60_000, type: 'marker', kind: 'flash' },
      { seq: 6, ts: T0 + 2 * 60_000, type: 'marker', kind: 'warning', text: '违规提醒' },
    ]);
    const flash = { seq: 5, ts: T0 + 9 * 60_000, minute: 9, kind: 'flash', text: null };
    const warning = { seq: 6, ts: T0 + 2 * 60_000, minute: 2, kind: 'warning', text: '违规提醒' };
    await waitFor(() => lastMarkers(first.pushes)?.length === 3, 'a push with three markers');
    expect(lastMarkers(first.pushes)).toEqual([warning, giveaway, flash]);
    expect(first.core.roomDetail('r1').markers).toEqual([warning, giveaway, flash]);
    await waitFor(() => first.core.diagnostics().store.eventsStored === 6, 'every event stored');

    // Restart on the same data folder: the live session and its markers come back from the store.
    await first.core.stop();
    relay.rooms = [room('r1', 6)];
    const second = await startCore(dir, relay.url);
    await waitFor(() => relay.subscribes.length === 2, 'subscribed again');
    const detail = await second.core.request('getRoom', { roomId: 'r1' });
    expect(detail.ok ? (detail.value as RoomDetail).markers : detail.error).toEqual([warning, giveaway, flash]);
    // The first push of the resumed session carries them too (it replaces the UI's series).
    relay.send('r1', [{ seq: 7, ts: T0 + 10 * 60_000, type: 'viewers', online: 1200 }]);
    await waitFor(() => lastMarkers(second.pushes), 'a push with the markers');
    expect(lastMarkers(second.pushes)).toEqual([warning, giveaway, flash]);
  });
});
