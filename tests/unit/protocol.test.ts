import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../shared/protocol.ts';

const base = { seq: 7, ts: 1_700_000_000_000 };

describe('validateEvent', () => {
  it('passes a valid event through as sent, extension fields kept', () => {
    const raw = { ...base, type: 'click', productId: 'p1', n: 3, experiment: 'b' };
    const v = validateEvent(raw);
    expect(v).toEqual({ ok: true, event: raw });
  });

  it('names the field and keeps the seq when a known event is malformed', () => {
    expect(validateEvent({ ...base, type: 'order', orderId: 'o', productId: 'p', qty: 0, amountFen: 100, status: 'paid' })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^order: qty/),
      seq: 7,
    });
    expect(validateEvent({ ...base, type: 'viewers', online: 1.5 })).toMatchObject({ ok: false, seq: 7 });
    expect(validateEvent({ ...base, type: 'like' })).toMatchObject({ ok: false, reason: expect.stringMatching(/n or total/) });
    expect(validateEvent({ ...base, type: 'gift', n: 1, valueFen: -100 })).toMatchObject({ ok: false });
  });

  it('reports an envelope problem, with the seq only when it is usable', () => {
    expect(validateEvent({ ts: 1, type: 'enter', n: 1 })).toMatchObject({ ok: false, seq: null, reason: expect.stringMatching(/seq/) });
    expect(validateEvent({ seq: 3, type: 'enter', n: 1 })).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/ts/) });
    expect(validateEvent({ seq: -1, ts: 1, type: 'enter', n: 1 })).toMatchObject({ ok: false, seq: null });
    for (const junk of [null, 42, 'text', [], undefined]) expect(validateEvent(junk)).toMatchObject({ ok: false, seq: null });
  });

  it('keeps an unknown type with a valid envelope, marked unknown', () => {
    expect(validateEvent({ ...base, type: 'sparkle', glitter: true })).toEqual({ ok: true, event: { ...base, type: 'sparkle', glitter: true, unknown: true } });
  });

  it('is not fooled by types that are Object property names', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const v = validateEvent({ ...base, type });
      expect(v.ok).toBe(true);
      if (v.ok) expect(v.event).toMatchObject({ unknown: true, type });
    }
  });
});

describe('viewers: a snapshot of cumulative figures only (project extension)', () => {
  it('accepts uv or pv without online, refuses a snapshot with no figure', () => {
    expect(validateEvent({ seq: 1, ts: 1_700_000_000_000, type: 'viewers', uv: 12_000 })).toMatchObject({ ok: true });
    expect(validateEvent({ seq: 1, ts: 1_700_000_000_000, type: 'viewers', online: 5 })).toMatchObject({ ok: true });
    expect(validateEvent({ seq: 1, ts: 1_700_000_000_000, type: 'viewers' })).toMatchObject({ ok: false });
  });
});
