/**
 * The store's SQL as PostgreSQL reads it (electron/core/store/pg/dialect.ts), on generated
 * statements: placeholders become $1…$n in order outside string literals and quoted names, whatever
 * the literals hold (?, @name, max(, doubled quotes); named arguments are bound by name; SQLite's
 * two-argument max/min and instr become GREATEST/LEAST and strpos, the one-argument aggregates stay.
 */
import { describe, expect, it } from 'vitest';
import { fc, fuzzRuns } from '../helpers/fuzz.ts';
import { argsFor, pgFunctions, toPostgres } from '../../electron/core/store/pg/dialect.ts';

type Part = { kind: 'sql'; text: string } | { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'named'; name: string };

const literalBody = fc.stringMatching(/^[a-z ?@$()'max,]{0,12}$/).map((s) => s.replace(/'/g, "''"));
const part: fc.Arbitrary<Part> = fc.oneof(
  fc.constantFrom('SELECT a FROM t WHERE b = ', ' AND c IN (', ', ', ') ', ' OR d > ', ' max(x) ', ' count(*) ').map((text) => ({ kind: 'sql' as const, text })),
  literalBody.map((b) => ({ kind: 'literal' as const, text: `'${b}'` })),
  fc.constant({ kind: 'param' as const }),
  fc.constantFrom('id', 'roomId', 'ts', 'n_2').map((name) => ({ kind: 'named' as const, name })),
);

describe('toPostgres', () => {
  it('numbers the placeholders outside literals and leaves every literal as it was', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 14 }), fc.boolean(), (parts, named) => {
        // A statement uses one kind of placeholder, as better-sqlite3 requires.
        const ps = parts.filter((p) => (named ? p.kind !== 'param' : p.kind !== 'named'));
        // Parts apart, as in real SQL: a name ends where a word does (`@id` then `SELECT` is not `@idSELECT`).
        const sql = ps.map((p) => (p.kind === 'param' ? '?' : p.kind === 'named' ? `@${p.name}` : p.text)).join(' ');
        const out = toPostgres(sql);
        const literals = ps.filter((p) => p.kind === 'literal').map((p) => p.text);
        // The literals, in order, unchanged.
        let at = 0;
        for (const l of literals) {
          const i = out.text.indexOf(l, at);
          expect(i, `${l} in ${out.text}`).toBeGreaterThanOrEqual(0);
          at = i + l.length;
        }
        if (named) {
          const names = [...new Set(ps.flatMap((p) => (p.kind === 'named' ? [p.name] : [])))];
          expect(out.names ?? []).toEqual(names);
          const bag = Object.fromEntries(names.map((n, i) => [n, i * 10]));
          expect(names.length ? argsFor(out, [bag]) : []).toEqual(names.map((_n, i) => i * 10));
        } else {
          const count = ps.filter((p) => p.kind === 'param').length;
          expect(out.count).toBe(count);
          expect(argsFor(out, Array.from({ length: count }, (_v, i) => i))).toEqual(Array.from({ length: count }, (_v, i) => i));
        }
        // Every $n that appears outside the literals is one of 1…count, each once per placeholder.
        const outside = literals.reduce((t, l) => t.replace(l, "''"), out.text);
        const marks = [...outside.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
        expect(marks.every((m) => m >= 1 && m <= out.count)).toBe(true);
      }),
      { numRuns: fuzzRuns(5) },
    );
  });

  it('refuses a statement that mixes ? and @name, and arguments that do not fit', () => {
    expect(() => toPostgres('SELECT ? , @a')).toThrow(/mixes/);
    expect(() => argsFor(toPostgres('SELECT ?, ?'), [1])).toThrow(RangeError);
    expect(() => argsFor(toPostgres('SELECT @a'), [{ b: 1 }])).toThrow(/missing named parameter "a"/);
    expect(argsFor(toPostgres('SELECT ?, ?'), [true, 10n])).toEqual([1, '10']);
  });
});

describe('pgFunctions', () => {
  it('turns two-argument max/min into GREATEST/LEAST, nested too, and leaves aggregates and literals', () => {
    expect(pgFunctions('SELECT max(a, b), min(max(c, d), 3), max(e) FROM t')).toBe('SELECT GREATEST(a, b), LEAST(GREATEST(c, d), 3), max(e) FROM t');
    expect(pgFunctions("SELECT 'max(a, b)', coalesce(max(x), 0)")).toBe("SELECT 'max(a, b)', coalesce(max(x), 0)");
    expect(pgFunctions('SELECT idmax(a, b)')).toBe('SELECT idmax(a, b)');
    expect(toPostgres('SELECT instr(lower(title), ?) > 0').text).toBe('SELECT strpos(lower(title), $1) > 0');
  });
});
