/**
 * Reading a request the way the platform does: GET parameters are strings, arrays and objects
 * (`fields`, `filtering`) are JSON text in the query (the SDK's `parameterAddToHeaderOrQuery`
 * JSON-encodes them), POST bodies are JSON. Both are parsed losslessly so a 19-digit id sent as a
 * bare number keeps every digit. Bad input becomes a refusal with a code, never a thrown crash.
 */
import { idOf, parseApiJson } from '../../../electron/core/platforms/common/json.ts';
import { invalid, missing } from './codes.ts';

export type Json = Record<string, unknown>;

/** Deeper than any real request: refused, so no later step (cloning, recording) can overflow the stack. */
export const MAX_JSON_DEPTH = 32;

/** Parses request JSON losslessly; refuses text that is not JSON or is nested absurdly deep. */
export function parseRequestJson(text: string, what: string): unknown {
  let v: unknown;
  try {
    v = parseApiJson(text);
  } catch {
    throw invalid(`${what}: not valid JSON`);
  }
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw invalid(`${what}: nested too deeply`);
    for (const child of Object.values(x)) stack.push([child, depth + 1]);
  }
  return v;
}

export class Params {
  constructor(
    private readonly query: URLSearchParams,
    private readonly body: Json,
  ) {}

  private raw(name: string): unknown {
    if (this.body[name] !== undefined) return this.body[name];
    const q = this.query.get(name);
    return q === null ? undefined : q;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined && this.raw(name) !== '';
  }

  id(name: string): string {
    const v = this.raw(name);
    if (v === undefined || v === '') throw missing(name);
    const id = idOf(v);
    if (id === null || id === '0') throw invalid(`${name}: must be a positive integer id`);
    return id;
  }

  optId(name: string): string | null {
    return this.has(name) ? this.id(name) : null;
  }

  str(name: string): string {
    const v = this.raw(name);
    if (v === undefined || v === '') throw missing(name);
    if (typeof v !== 'string') throw invalid(`${name}: must be a string`);
    return v;
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    if (!this.has(name)) {
      if (fallback === undefined) throw missing(name);
      return fallback;
    }
    const v = this.raw(name);
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw invalid(`${name}: must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    if (!this.has(name)) return fallback;
    const v = this.raw(name);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name}: must be an integer from ${min} to ${max}`);
    return n;
  }

  /** A JSON value sent as query text (or as-is in a body). */
  json(name: string, required: boolean): unknown {
    const v = this.raw(name);
    if (v === undefined || v === '') {
      if (required) throw missing(name);
      return undefined;
    }
    if (typeof v !== 'string' || this.body[name] !== undefined) return v;
    return parseRequestJson(v, name);
  }

  /** `fields`: a JSON array of names, each in the endpoint's vocabulary. */
  fields(allowed: ReadonlySet<string>, required = true): string[] {
    const v = this.json('fields', required);
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((f): f is string => typeof f === 'string')) throw invalid('fields: must be a JSON array of field names');
    if (required && v.length === 0) throw missing('fields');
    const bad = v.filter((f) => !allowed.has(f));
    if (bad.length) throw invalid(`fields: unknown field ${bad.slice(0, 3).join(', ')}`);
    return [...new Set(v)];
  }

  object(name: string, required: boolean): Json | undefined {
    const v = this.json(name, required);
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(`${name}: must be a JSON object`);
    return v as Json;
  }

  array(name: string): unknown[] {
    const v = this.json(name, true);
    if (!Array.isArray(v)) throw invalid(`${name}: must be an array`);
    return v;
  }
}

/** An id inside a JSON object or array (filtering ids, body items). */
export function idIn(v: unknown, what: string): string {
  const id = idOf(v);
  if (id === null || id === '0') throw invalid(`${what}: must be a positive integer id`);
  return id;
}

/** Money as the write endpoints take it: a number with at most two decimals. */
export function moneyIn(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${what}: must be a number`);
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) throw invalid(`${what}: at most two decimal places`);
  return v;
}

export interface ListChaos {
  /** The last item of each full page comes again first on the next page (as offset paging does when an item moves up between requests). */
  duplicateAcrossPages: boolean;
  /** Each poll (a request for page 1) sees the list in a different order. */
  reorderBetweenPolls: boolean;
}

/** FNV-1a: a stable hash for reordering, separate from the figures' random stream. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class Pager {
  private epochs = new Map<string, number>();
  chaos: ListChaos = { duplicateAcrossPages: false, reorderBetweenPolls: false };

  /**
   * One page of `items`. `total` is the true count; with duplicates on, `totalPage` counts the pages
   * the client must read to see every item once (one more item per page boundary).
   */
  page<T>(key: string, items: T[], idOfItem: (t: T) => string, page: number, pageSize: number): { items: T[]; total: number; totalPage: number } {
    let list = items;
    if (this.chaos.reorderBetweenPolls) {
      if (page === 1) this.epochs.set(key, (this.epochs.get(key) ?? 0) + 1);
      const epoch = this.epochs.get(key) ?? 0;
      list = [...items].sort((a, b) => hash(`${epoch}:${idOfItem(a)}`) - hash(`${epoch}:${idOfItem(b)}`));
    }
    if (this.chaos.duplicateAcrossPages) {
      const out: T[] = [];
      for (let i = 0; i < list.length; i++) {
        out.push(list[i]!);
        if (out.length % pageSize === 0 && i < list.length - 1) out.push(list[i]!);
      }
      list = out;
    }
    const start = (page - 1) * pageSize;
    return { items: list.slice(start, start + pageSize), total: items.length, totalPage: Math.ceil(list.length / pageSize) };
  }
}
