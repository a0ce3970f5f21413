/**
 * The properties every source adapter's door must hold (issue 13), for tests/property/sources-*:
 * - nothing a source sends throws out of the mapper, and every event it produces passes
 *   `validateEvent` once the relay numbers it;
 * - valid frames beside garbage are mapped exactly as without the garbage, and a refused
 *   (quarantined) frame changes no mapper state: two mappers, one fed the valid frames and the
 *   garbage it accepted, the other fed everything, produce the same events;
 * - valid frames sent again (a reconnect's replay) are recognised by their ids where they have
 *   them (`replayed`: what they still produced).
 */
import { expect } from 'vitest';
import { fuzzRuns } from './fuzz.ts';
import type { MapResult, SourceEvent } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';

export interface DoorMapper<F> {
  map(frame: F, receivedAt: number): MapResult;
  tick(now: number): MapResult;
}

export const T0 = 1_720_000_000_000;

/**
 * Lets the test worker answer its runner between generated inputs: a long fuzz run of a
 * synchronous property would block it for minutes, and vitest reports that as an error.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A door test's time limit: a long `npm run fuzz` tries thousands of frame sequences. */
export function doorTimeout(scale = 1): number {
  return Math.max(60_000, fuzzRuns(scale) * 150);
}

/** Every produced event is a FEED-PROTOCOL event. */
export function expectValidEvents(events: readonly SourceEvent[]): void {
  for (const e of events) {
    const v = validateEvent({ ...e, seq: 1 });
    if (!v.ok) throw new Error(`invalid event ${JSON.stringify(e)}: ${v.reason}`);
  }
}

/** Feeds frames one by one (receipt times 137 ms apart), then a late tick; never throws, all events valid. */
export function feedAll<F>(mapper: DoorMapper<F>, frames: readonly F[]): SourceEvent[] {
  const out: SourceEvent[] = [];
  let t = T0;
  for (const f of frames) {
    const r = mapper.map(f, (t += 137));
    expect(Array.isArray(r.quarantined)).toBe(true);
    for (const q of r.quarantined) expect(typeof q.reason).toBe('string');
    out.push(...r.events);
  }
  out.push(...mapper.tick(t + 3_600_000).events);
  expectValidEvents(out);
  return out;
}

/** A frame the mapper refused outright: quarantined, and nothing else happened. */
function refused(r: MapResult): boolean {
  return r.quarantined.length > 0 && r.events.length === 0 && r.ignored === 0 && r.duplicates === 0 && r.problem === undefined;
}

/**
 * `steps`: valid frames, each preceded by some garbage. Returns the events of the mapper that saw
 * only what was accepted (`clean`), of the one that saw everything (`mixed`), and how many
 * garbage frames were refused.
 */
export function withAndWithoutGarbage<F>(
  make: () => DoorMapper<F>,
  steps: ReadonlyArray<{ valid: F; garbage: readonly F[]; replay?: boolean }>,
): { clean: SourceEvent[]; mixed: SourceEvent[]; refusedFrames: number; replayed: SourceEvent[] } {
  const clean = make();
  const mixed = make();
  const a: SourceEvent[] = [];
  const b: SourceEvent[] = [];
  let refusedFrames = 0;
  let t = T0;
  for (const step of steps) {
    for (const g of step.garbage) {
      t += 50;
      const r = mixed.map(g, t);
      b.push(...r.events);
      if (refused(r)) refusedFrames++;
      else a.push(...clean.map(g, t).events);
    }
    t += 50;
    a.push(...clean.map(step.valid, t).events);
    b.push(...mixed.map(step.valid, t).events);
  }
  a.push(...clean.tick(t + 3_600_000).events);
  b.push(...mixed.tick(t + 3_600_000).events);
  expectValidEvents(b);
  // The valid frames again (a reconnect replaying them): what they still produce.
  const replayed: SourceEvent[] = [];
  for (const step of steps) if (step.replay !== false) replayed.push(...mixed.map(step.valid, (t += 50) + 3_600_000).events);
  return { clean: a, mixed: b, refusedFrames, replayed };
}
