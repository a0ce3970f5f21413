/**
 * The store's SQL as PostgreSQL reads it. The statements are written once, in the SQL both
 * engines share (ON CONFLICT upserts, IS NOT DISTINCT FROM, no rowid, no sqlite_master); what
 * still differs is placeholders: SQLite's `?` and `@name` become `$1…` with the arguments in
 * that order; two-argument max/min and instr become PostgreSQL's functions. Both passes step over
 * string literals and quoted names the same way (`quotedEnd`).
 */

export interface PgStatement {
  text: string;
  /** How to order a call's arguments: positional, or by name for `@name` statements. */
  names: string[] | null;
  count: number;
}

/** Rewrites placeholders outside string literals and quoted names. */
export function toPostgres(sql: string): PgStatement {
  let out = '';
  let n = 0;
  const names: string[] = [];
  let named = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = quotedEnd(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === '?') {
      out += `$${++n}`;
      continue;
    }
    if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      named = true;
      let k = names.indexOf(name);
      if (k < 0) k = names.push(name) - 1;
      out += `$${k + 1}`;
      i = j - 1;
      continue;
    }
    out += c;
  }
  if (named && n) throw new Error('a statement mixes ? and @name placeholders');
  return { text: pgFunctions(out), names: named ? names : null, count: named ? names.length : n };
}

/**
 * SQLite's scalar functions as PostgreSQL names them: two-argument `max(a, b)` / `min(a, b)` are
 * GREATEST / LEAST (its max/min are only aggregates; one argument: the aggregate, left alone), and
 * `instr(haystack, needle)` is `strpos(haystack, needle)`.
 */
export function pgFunctions(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = quotedEnd(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    if (/^instr\s*\(/i.test(sql.slice(i, i + 6)) && !/\w/.test(sql[i - 1] ?? '')) {
      out += 'strpos';
      i += 4;
      continue;
    }
    const m = /^(max|min)\s*\(/i.exec(sql.slice(i, i + 5));
    if (m && !/\w/.test(sql[i - 1] ?? '')) {
      const open = i + m[0].length - 1;
      const close = matching(sql, open);
      const inner = sql.slice(open + 1, close);
      if (close > open && hasTopLevelComma(inner)) {
        out += `${m[1]!.toLowerCase() === 'max' ? 'GREATEST' : 'LEAST'}(${pgFunctions(inner)})`;
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function matching(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') i = quotedEnd(sql, i, c);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function hasTopLevelComma(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') i = quotedEnd(s, i, c);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return true;
  }
  return false;
}

/** Where the string literal or quoted name opened at `start` ends (a doubled quote is part of it). */
function quotedEnd(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i++;
      else return i;
    }
  }
  return sql.length - 1;
}

/** A call's arguments in `$n` order. */
export function argsFor(stmt: PgStatement, args: unknown[]): unknown[] {
  if (!stmt.names) {
    if (args.length !== stmt.count) throw new RangeError(`expected ${stmt.count} arguments, got ${args.length}`);
    return args.map(toParam);
  }
  const bag = (args[0] ?? {}) as Record<string, unknown>;
  return stmt.names.map((k) => {
    if (!(k in bag)) throw new RangeError(`missing named parameter "${k}"`);
    return toParam(bag[k]);
  });
}

/** better-sqlite3 takes booleans as 0/1 and undefined as an error; the store's columns are integers. */
function toParam(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}
