import { describe, expect, it } from 'vitest';
import { liveness, CORE_SILENT_MS, ROOM_QUIET_MS, type LivenessInput } from '../../shared/live/staleness.ts';
import type { ConnectionState } from '../../shared/contract.ts';

const NOW = 1_800_000_000_000;
const conn = (over: Partial<ConnectionState> = {}): ConnectionState => ({
  status: 'live', url: 'x', error: null, lastEventAt: NOW - 1000, lagMs: 0, quarantined: 0, duplicates: 0, resyncs: 0, reconnects: 0, gapsAccepted: 0, ...over,
});
const base = (over: Partial<LivenessInput> = {}): LivenessInput => ({
  now: NOW, channelOpen: true, channelClosedAt: null, heartbeatAt: NOW - 500, coreOffsetMs: 0, connection: conn(), room: { status: 'live', lastEventAt: NOW - 1000 }, ...over,
});

describe('liveness: whether the numbers on screen are live', () => {
  it('is live when the core beats, the feed is live and the room has news', () => {
    expect(liveness(base())).toEqual({ stale: false, reason: null, since: null });
  });

  it('says the core is gone the moment the channel closes, from the last heartbeat on', () => {
    expect(liveness(base({ channelOpen: false, channelClosedAt: NOW - 100 }))).toEqual({ stale: true, reason: 'core-closed', since: NOW - 500 });
  });

  it('says the core is silent when its heartbeat stops with the channel open (a hung core)', () => {
    expect(liveness(base({ heartbeatAt: NOW - CORE_SILENT_MS - 1 }))).toMatchObject({ stale: true, reason: 'core-silent', since: NOW - CORE_SILENT_MS - 1 });
    expect(liveness(base({ heartbeatAt: NOW - CORE_SILENT_MS + 100 })).stale).toBe(false);
  });

  it('tells a feed down from a source down, with the time of the room’s last event on the page’s clock', () => {
    expect(liveness(base({ coreOffsetMs: 2000, connection: conn({ status: 'reconnecting' }), room: { status: 'live', lastEventAt: NOW + 2000 - 30_000 } }))).toEqual({ stale: true, reason: 'feed-down', since: NOW - 30_000 });
    const sources = [{ source: 'tiktok-chat-reader', status: 'reconnecting' as const, target: 't', error: 'x', connects: 1, events: 1, quarantined: 0, lastMessageAt: null, problem: null, retryAt: null }];
    expect(liveness(base({ connection: conn({ status: 'reconnecting', sources }) })).reason).toBe('source-down');
    expect(liveness(base({ connection: conn({ store: { ok: false, code: 'SQLITE_FULL', since: NOW, pendingRows: 1, feedPaused: true } }) })).reason).toBe('feed-down');
  });

  it('calls a live room quiet after ROOM_QUIET_MS without an event, never one that is not live', () => {
    expect(liveness(base({ room: { status: 'live', lastEventAt: NOW - ROOM_QUIET_MS - 1 } }))).toEqual({ stale: true, reason: 'room-quiet', since: NOW - ROOM_QUIET_MS - 1 });
    expect(liveness(base({ room: { status: 'ended', lastEventAt: NOW - 3_600_000 } })).stale).toBe(false);
    expect(liveness(base({ room: { status: 'live', lastEventAt: NOW - ROOM_QUIET_MS + 1 } })).stale).toBe(false);
  });
});
