/**
 * The scenario files door (docs/doors.md): a simulator scenario (SCENARIO.md) named by LCR_SCENARIO,
 * the settings screen or `lcr simulate|evaluate --scenario`, read by electron/core/sim/scenario.ts.
 * Whatever the file holds — bytes, broken encodings, JSON nested 50,000 deep, a valid scenario
 * with fields broken or numbers NaN / negative / beyond 2^53 — it is a scenario the schema accepts
 * or an error naming the file, in one bounded line; unknown extra fields beside a valid scenario
 * change nothing in what is read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioSchema, loadScenario, readScenarioFile } from '../../electron/core/sim/scenario.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileNumber, hostileString, hostileValue, prototypeKeys } from '../helpers/hostile.ts';
import { tempDir } from '../helpers/util.ts';

const tinyPath = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const tiny = JSON.parse(readFileSync(tinyPath, 'utf8')) as Record<string, unknown>;
const { dir, cleanup } = tempDir();
afterAll(() => cleanup());
const file = join(dir, 'scenario.json');

/** Sets `value` at a path of keys/indexes into a deep copy of the valid scenario. */
function withAt(path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(tiny) as Record<string, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = at[k];
    if (typeof next !== 'object' || next === null) return copy;
    at = next as Record<string | number, unknown>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

const paths: Array<Array<string | number>> = [
  ['durationMin'], ['room', 'roomId'], ['room', 'title'], ['traffic', 'recommendPerMin'], ['traffic', 'staySec'], ['traffic', 'curve'], ['ads'], ['ads', 0, 'budgetFenPerMin'],
  ['products'], ['products', 0, 'priceFen'], ['products', 0, 'id'], ['products', 0, 'truth', 'ctr'], ['products', 0, 'stock'], ['plan'], ['waves'], ['refundRate'], ['room'],
];
const broken = fc.tuple(fc.constantFrom(...paths), fc.oneof(hostileValue, hostileNumber, hostileString, prototypeKeys)).map(([p, v]) => withAt(p, v));

/** A JSON text (written without JSON.stringify where it would overflow). */
function text(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return '['.repeat(50_000) + ']'.repeat(50_000);
  }
}

const content = fc.oneof(
  { weight: 3, arbitrary: broken.map((v) => Buffer.from(text(v))) },
  { weight: 1, arbitrary: hostileValue.map((v) => Buffer.from(text(v))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((u) => Buffer.from(u)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(tiny))]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(tiny), 'utf16le')]),
      Buffer.from(JSON.stringify(tiny).slice(0, 500)),
      Buffer.from('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)),
      Buffer.from(JSON.stringify(tiny).replace('"test-tiny"', '"__proto__"')),
    ),
  },
);

describe('scenario files door', () => {
  it('any file is a valid scenario or an error naming the file, in one bounded line', async () => {
    await checkDoorAsync(
      'scenario files',
      'readScenarioFile total',
      fc.asyncProperty(content, async (bytes) => {
        await yieldToLoop();
        writeFileSync(file, bytes);
        try {
          const s = readScenarioFile(file);
          expect(ScenarioSchema.safeParse(s).success).toBe(true);
        } catch (e) {
          const m = (e as Error).message;
          expect(m).toContain(file);
          expect(m.length).toBeLessThan(2000);
          expect(m).not.toMatch(/\n/);
        }
      }),
      { scale: 3 },
    );
  }, fuzzTimeout(300_000));

  it('unknown fields beside a valid scenario change nothing in what is read', async () => {
    const extra = fc.dictionary(hostileString.filter((k) => !(k in tiny)), hostileValue, { maxKeys: 4 });
    await checkDoorAsync(
      'scenario files',
      'valid beside extra fields',
      fc.asyncProperty(extra, extra, async (top, product) => {
        await yieldToLoop();
        const withExtras = structuredClone(tiny) as Record<string, unknown> & { products: Array<Record<string, unknown>> };
        Object.assign(withExtras, top);
        Object.assign(withExtras.products[0]!, Object.fromEntries(Object.entries(product).filter(([k]) => !(k in withExtras.products[0]!))));
        writeFileSync(file, text(withExtras));
        let read;
        try {
          read = readScenarioFile(file);
        } catch (e) {
          // An extra value nested past what JSON can hold in this test is refused as a whole, clearly.
          expect((e as Error).message).toContain(file);
          return;
        }
        expect(read).toEqual(loadScenario(tiny));
      }),
      { scale: 2 },
    );
  }, fuzzTimeout(300_000));
});
