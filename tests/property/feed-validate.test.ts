/**
 * The feed's first gate: `validateEvent` takes anything a relay sends and answers a trusted event
 * or a reason, never throws, and never lets a prototype key or an absurd number through as valid.
 */
import { describe, it, expect } from 'vitest';
import { validateEvent, isKnown } from '../../shared/protocol.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';
import { hostileValue, mutated } from '../helpers/hostile.ts';

const validEnter = fc.record({ seq: fc.integer({ min: 1, max: 1e9 }), ts: fc.integer({ min: 1.6e12, max: 1.9e12 }), type: fc.constant('enter'), n: fc.nat(1000) });

describe('feed events door: validateEvent', () => {
  it('answers anything with an event or a reason, never a throw', () => {
    checkDoor('feed events', 'validateEvent total', fc.property(hostileValue, (raw) => {
      const v = validateEvent(raw);
      if (!v.ok) expect(typeof v.reason).toBe('string');
    }), { scale: 5 });
  });

  it('a valid event with one field broken is refused, or still has integer seq and ts ≥ 0', () => {
    checkDoor('feed events', 'mutated enter', fc.property(mutated(validEnter), (raw) => {
      const v = validateEvent(raw);
      if (v.ok) {
        expect(Number.isSafeInteger(v.event.seq) && v.event.seq >= 1).toBe(true);
        expect(Number.isSafeInteger(v.event.ts) && v.event.ts >= 0).toBe(true);
        if (isKnown(v.event) && v.event.type === 'enter') expect(Number.isSafeInteger(v.event.n)).toBe(true);
      }
    }), { scale: 5 });
  });
});
