/**
 * How the emulators write JSON the way the platforms do: 64-bit ids as bare numbers beyond 2^53
 * (`7312345678901234567`, which JSON.stringify of a number would round). Test parts only, and
 * independent of the product's lossless reader, so a mistake there is not mirrored here.
 */

/** A 64-bit integer written as a bare JSON number. */
export class Int64 {
  constructor(readonly digits: string) {}
}

/** JSON text in which `Int64` values are bare numbers; other values as JSON.stringify writes them. */
export function writeJson(v: unknown): string {
  if (v instanceof Int64) return v.digits;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
