/**
 * The property suites' harness: every door of the app (docs/doors.md) is tried with generated
 * hostile input through `checkDoor`. `npm test` runs each property briefly (LCR_FUZZ_RUNS,
 * default 40); `npm run fuzz` runs them long, collects what each door tried into LCR_FUZZ_REPORT
 * and prints the table. A failure names the seed and path that replay it exactly.
 */
import fc from 'fast-check';
import { appendFileSync } from 'node:fs';

export { fc };

/** Inputs per property in this run. */
export function fuzzRuns(scale = 1): number {
  const base = Number(process.env.LCR_FUZZ_RUNS) || 40;
  return Math.max(1, Math.round(base * scale));
}

/** A property test's time limit, stretched with the inputs asked for (`npm run fuzz -- --runs 2000` tries 50× as many). */
export function fuzzTimeout(ms: number): number {
  return Math.round(ms * Math.max(1, fuzzRuns() / 40));
}

function replayParams(): { seed?: number; path?: string } {
  const seed = process.env.LCR_FUZZ_SEED;
  return seed ? { seed: Number(seed), path: process.env.LCR_FUZZ_PATH || undefined } : {};
}

export interface DoorRecord {
  door: string;
  property: string;
  runs: number;
  failures: number;
  seed: number;
  path?: string;
}

function record(r: DoorRecord): void {
  const file = process.env.LCR_FUZZ_REPORT;
  if (file) appendFileSync(file, JSON.stringify(r) + '\n');
}

function fail<Ts>(door: string, property: string, d: fc.RunDetails<Ts>): never {
  const replay = `LCR_FUZZ_SEED=${d.seed}${d.counterexamplePath ? ` LCR_FUZZ_PATH=${d.counterexamplePath}` : ''}`;
  const cause = d.errorInstance instanceof Error ? `\nGot: ${d.errorInstance.message.slice(0, 2000)}` : '';
  const detail = (fc.defaultReportMessage(d) ?? 'property failed') + cause;
  throw new Error(`${door} / ${property}: failed after ${d.numRuns} inputs — replay with ${replay}\n${detail}`);
}

/**
 * Runs a property against a door `scale × LCR_FUZZ_RUNS` times. Records the count (and any
 * failure with its seed) for `npm run fuzz`, and fails the test with the replay line.
 */
export function checkDoor<Ts extends [unknown, ...unknown[]]>(door: string, property: string, prop: fc.IProperty<Ts>, opts: { scale?: number } = {}): void {
  const d = fc.check(prop, { numRuns: fuzzRuns(opts.scale), ...replayParams() });
  record({ door, property, runs: d.numRuns, failures: d.failed ? 1 : 0, seed: d.seed, path: d.counterexamplePath ?? undefined });
  if (d.failed) fail(door, property, d);
}

export async function checkDoorAsync<Ts extends [unknown, ...unknown[]]>(
  door: string,
  property: string,
  prop: fc.IAsyncProperty<Ts>,
  opts: { scale?: number } = {},
): Promise<void> {
  const d = await fc.check(prop, { numRuns: fuzzRuns(opts.scale), ...replayParams() });
  record({ door, property, runs: d.numRuns, failures: d.failed ? 1 : 0, seed: d.seed, path: d.counterexamplePath ?? undefined });
  if (d.failed) fail(door, property, d);
}

/**
 * Lets the event loop run (timers, I/O, vitest's own messages) between a property's inputs. A
 * long run of inputs that only await promises never does: vitest's worker then misses its
 * heartbeat ("Timeout calling onTaskUpdate") in a long `npm run fuzz`.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
