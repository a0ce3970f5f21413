/**
 * The pin being explained is the feed's last pin, not the minute row's majority; an accidental pin
 * from this app can be undone — only the newest, only while it is still explained — and the undo
 * is a decision-log row of its own, which leaves the suggestion's outcome as accepted and marked.
 */
import { describe, expect, it } from 'vitest';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import { AppPins } from '../../electron/core/suggest/pin-undo.ts';
import { outcomeCounts, suggestionOutcomes } from '../../shared/suggest/decisions.ts';
import type { Decision } from '../../shared/suggest/live.ts';

describe('the pinned product now', () => {
  it('is the last pin at or before now, at once after a switch', () => {
    const agg = new SessionAggregator(0);
    agg.ingest({ seq: 1, type: 'pin', ts: 1_000, productId: 'x' });
    agg.ingest({ seq: 2, type: 'pin', ts: 50_000, productId: 'y' });
    expect(agg.pinnedAt(49_999)).toBe('x');
    // 10 s into y's explaining, x still has most of the minute: the minute row says x, the screen y.
    expect(agg.snapshot(60_000).minutes[0]!.pinnedProductId).toBe('x');
    expect(agg.pinnedAt(60_000)).toBe('y');
    agg.ingest({ seq: 3, type: 'pin', ts: 70_000, productId: null });
    expect(agg.pinnedAt(80_000)).toBeNull();
  });
});

describe('undoing a pin sent from here', () => {
  const who = { byName: '小王', byRole: 'controller' };

  it('pins back what was explained before, and logs it under the pin it takes back', () => {
    const pins = new AppPins('r', 'r@1');
    pins.sent({ kind: 'next-up', suggestionId: 'r@1|next-up:y:9', productId: 'y', previousProductId: 'x', ts: 100 });
    const pin = pins.undoable('y', 'y');
    const d = pins.undone(pin, 200, 5_000, { type: 'pin', productId: 'x' }, who);
    expect(d).toMatchObject({ suggestionId: 'r@1|next-up:y:9', kind: 'next-up', action: 'undone', productId: 'x', figures: { undoneProductId: 'y', restoredProductId: 'x' }, command: { type: 'pin', productId: 'x' }, byName: '小王' });
    expect(pins.current).toBeNull();
  });

  it('refuses a stale undo: another product named, or the room explaining something else since', () => {
    const pins = new AppPins('r', 'r@1');
    pins.sent({ kind: 'pin', suggestionId: null, productId: 'y', previousProductId: null, ts: 100 });
    expect(pins.current?.id).toBe('r@1|pin:y:100');
    expect(() => pins.undoable('z', 'y')).toThrow(/not the last pin/);
    expect(() => pins.undoable('y', 'z')).toThrow(/another product/);
    expect(pins.undoable('y', 'y').previousProductId).toBeNull();
  });

  it('leaves the suggestion accepted in the outcomes, marked undone; hand pins are no suggestions', () => {
    const row = (over: Partial<Decision>): Decision => ({ suggestionId: 's1', sessionId: 'r@1', roomId: 'r', ts: 1, at: 1, kind: 'next-up', productId: 'y', action: 'shown', figures: {}, reasons: [], byName: null, byRole: null, reason: null, command: null, ...over });
    const outcomes = suggestionOutcomes([row({}), row({ action: 'accepted', ts: 2 }), row({ action: 'undone', ts: 3, productId: 'x' }), row({ suggestionId: 'r@1|pin:z:4', kind: 'pin', action: 'undone', ts: 5 })]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ outcome: 'accepted', undone: true, decidedTs: 2 });
    expect(outcomeCounts(outcomes)['next-up']).toEqual({ shown: 1, accepted: 1, dismissed: 0, ignored: 0 });
  });
});
