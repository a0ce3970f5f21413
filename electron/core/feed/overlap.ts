/**
 * A relay whose numbering restarted (a new epoch) sends its whole history again under new seqs.
 * What the store already holds of the live session is recognised by content — the event without
 * its seq — and skipped, so nothing is counted twice; what it does not hold is new and kept. A
 * multiset: two identical events (two `enter n: 1` in the same millisecond) are two.
 *
 * Only stored events from shortly before the re-sent history's first `ts` are loaded, so a relay
 * that restarted without history (the usual case) costs a few rows, and the filter goes away once
 * the new epoch is past everything stored.
 */
import { createHash } from 'node:crypto';

/** Events of one room may arrive slightly out of `ts` order (FEED-PROTOCOL): match this far around. */
export const OVERLAP_SKEW_MS = 5 * 60_000;

export class EpochOverlap {
  private readonly counts = new Map<string, number>();
  private remaining = 0;
  private newestStoredTs = Number.NEGATIVE_INFINITY;

  /** `stored`: bodies of the session's stored events, as written (JSON with their old seq). */
  constructor(stored: Iterable<{ ts: number; body: string }>) {
    for (const { ts, body } of stored) {
      let e: unknown;
      try {
        e = JSON.parse(body);
      } catch {
        continue;
      }
      const key = fingerprint(e);
      if (key === null) continue;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.remaining++;
      if (ts > this.newestStoredTs) this.newestStoredTs = ts;
    }
  }

  get size(): number {
    return this.remaining;
  }

  /** True when this event is already stored (it is then consumed: an identical twin counts again). */
  seen(e: { ts: number }): boolean {
    if (this.remaining === 0) return false;
    const key = fingerprint(e);
    if (key === null) return false;
    const n = this.counts.get(key);
    if (!n) return false;
    if (n === 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
    this.remaining--;
    return true;
  }

  /** Nothing stored is left to match, or the new epoch has moved well past it. */
  done(ts: number): boolean {
    return this.remaining === 0 || ts > this.newestStoredTs + OVERLAP_SKEW_MS;
  }
}

/** The event's content without its seq, order-independent, as a short hash; null for what is not an object. */
export function fingerprint(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null;
  try {
    return createHash('sha1').update(canonical(e, 'seq')).digest('base64');
  } catch {
    return null; // too deep to canonicalise (validateEvent bounds new events; an old store may hold one)
  }
}

function canonical(v: unknown, skipKey?: string): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x)).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v)
      .filter((k) => k !== skipKey && k !== 'unknown')
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
