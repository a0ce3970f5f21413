/**
 * JSON text as the platform writes it: 64-bit ids (`room_id`, `ad_id`, `advertiser_id`,
 * `aweme_id`, `productId`) are bare JSON numbers, often above 2^53. `JSON.stringify` cannot emit
 * such a number from a JS `number` without rounding it, so the emulator keeps every id as a
 * `bigint` in the answer tree and this writer prints bigints as their exact decimal digits.
 */
export function toJsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${toJsonText(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}

/** An id kept as decimal text in the emulator's state, as the bare JSON number the platform sends. */
export function int64(id: string): bigint {
  return BigInt(id);
}
