/**
 * Generated garbage for the property suites: what a broken relay, a hostile page or a bad export
 * can send. Each arbitrary aims at a class of bug seen in the wild — wrong types, numbers that are
 * NaN / negative / fractional / beyond 2^53, timestamps centuries away, prototype keys, deep
 * nesting, huge strings, lone surrogates and broken encodings.
 */
import { fc } from './fuzz.ts';

/** Numbers that break arithmetic, array sizes and dates. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0.5, 1e-300, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 63, 9e15, 1.17e13, 8.64e15 + 1, -8.64e15, 1e308, Number.MAX_VALUE),
  fc.double({ noNaN: false }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => Number(b)),
);

/** Epoch ms far in the past or future, or not epoch ms at all (seconds, garbage). */
export const hostileTs: fc.Arbitrary<number> = fc.oneof(
  hostileNumber,
  fc.constantFrom(0, 1, 1_700_000_000, 9e15, 1.17e13, 8.64e15, 253402300800000),
  fc.integer({ min: 0, max: 2 ** 48 }),
);

/** Strings that break parsers, encoders and HTML. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '%E0%A4%A',
    '%',
    '\uD800',
    '\uDFFF\uD800',
    '\u0000',
    '<img src=x onerror=alert(1)>',
    '"><script>alert(1)</script>',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '\t=1+1',
    '@SUM(1)',
    '../../etc/passwd',
    'http://127.0.0.1:99999/',
    '9'.repeat(400),
  ),
  fc.integer({ min: 1, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** `depth` arrays or objects nested inside one another (JSON.stringify recursion). */
export function deepNest(depth: number, asObject = false): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

export const deepValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 500, max: 20_000 }).map((d) => deepNest(d)),
  fc.integer({ min: 500, max: 20_000 }).map((d) => deepNest(d, true)),
);

/** An object whose own keys are the prototype's names. */
export const prototypeKeys: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(
  JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as Record<string, unknown>,
  JSON.parse('{"__proto__":null}') as Record<string, unknown>,
  { toString: 1, valueOf: 'x', hasOwnProperty: null },
);

/** Anything at all, weighted toward the classes above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3, withBigInt: false, withMap: false, withSet: false }) },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: prototypeKeys },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, [], {}, [[]], [null]) },
);

/**
 * A valid object with one to three of its fields replaced by hostile values, one removed, or an
 * extra (possibly deep) field added: "valid but for one thing" is where validators leak.
 */
export function mutated<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), hostileValue, fc.constantFrom('replace', 'delete', 'extra')), { minLength: 1, maxLength: 3 }))
    .map(([obj, edits]) => {
      const out: Record<string, unknown> = { ...obj };
      const keys = Object.keys(obj);
      for (const [i, value, how] of edits) {
        const key = keys.length ? keys[i % keys.length]! : 'x';
        if (how === 'delete') delete out[key];
        else if (how === 'extra') out[`extra${i % 5}`] = value;
        else out[key] = value;
      }
      return out;
    });
}
