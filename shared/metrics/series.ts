/**
 * Time-sorted storage for the aggregator. Feed events arrive nearly in `ts` order, so every
 * structure appends in O(1) and only falls back to binary search + splice for the stragglers.
 * Prefix sums are rebuilt lazily from the lowest index touched since the last read, which keeps
 * ingest cheap and makes a read after an append cost O(new elements).
 */

/** First index in [lo, hi) with a[i] >= x. */
export function lowerBound(a: readonly number[], x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) with a[i] > x. */
export function upperBound(a: readonly number[], x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Insertion point after every element whose (ts, seq) is <= (t, s). Ties on ts are broken by
 * seq so the order — and therefore every "latest" value — does not depend on arrival order.
 */
export function upperBoundKey(ts: readonly number[], seq: readonly number[], t: number, s: number): number {
  const n = ts.length;
  if (n === 0) return 0;
  const lastTs = ts[n - 1]!;
  if (lastTs < t || (lastTs === t && seq[n - 1]! <= s)) return n;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const tm = ts[mid]!;
    if (tm < t || (tm === t && seq[mid]! <= s)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** (t1, s1) strictly before (t2, s2). */
export function keyBefore(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 < s2);
}

/**
 * Values at times, summable over any [a, b) or [a, b] in O(log n) after a lazy prefix rebuild.
 *
 * Old entries can be compacted: every entry before a horizon that lies between the same two
 * boundaries (the session's pins, start and end: the only times sums are asked between) is
 * merged into one, its value the sum and its count the number merged. Sums and counts between
 * boundaries stay exact; memory stays bounded by the number of boundaries instead of growing with
 * every event of an eight-hour show.
 */
export class SumSeries {
  private readonly ts: number[] = [];
  private readonly v: number[] = [];
  /** How many events each entry stands for (1 until compacted). */
  private readonly c: number[] = [];
  private readonly prefix: number[] = [0];
  private readonly prefixCount: number[] = [0];
  /** prefix[0..validTo] are correct. */
  private validTo = 0;

  get length(): number {
    return this.ts.length;
  }

  add(t: number, value: number): void {
    const n = this.ts.length;
    if (n === 0 || this.ts[n - 1]! <= t) {
      this.ts.push(t);
      this.v.push(value);
      this.c.push(1);
      return;
    }
    const i = upperBound(this.ts, t);
    this.ts.splice(i, 0, t);
    this.v.splice(i, 0, value);
    this.c.splice(i, 0, 1);
    if (this.validTo > i) this.validTo = i;
  }

  /**
   * Removes one event of (t, value); false when there is none. An event already merged into a
   * compacted entry is taken out of it (the entry at or before t holds it).
   */
  remove(t: number, value: number): boolean {
    const hi = upperBound(this.ts, t);
    for (let i = lowerBound(this.ts, t, 0, hi); i < hi; i++) {
      if (this.c[i] === 1 && this.v[i] === value) {
        this.ts.splice(i, 1);
        this.v.splice(i, 1);
        this.c.splice(i, 1);
        if (this.validTo > i) this.validTo = i;
        return true;
      }
    }
    const k = hi - 1;
    if (k < 0 || this.c[k]! < 2) return false;
    this.v[k] = this.v[k]! - value;
    this.c[k] = this.c[k]! - 1;
    if (this.validTo > k) this.validTo = k;
    return true;
  }

  /**
   * Merges the entries before `horizon` that share a cell between consecutive `boundaries`
   * (sorted ascending; an entry exactly at a boundary starts the cell after it).
   */
  compactBefore(horizon: number, boundaries: readonly number[]): void {
    const { ts, v, c } = this;
    const n = upperBound(ts, horizon - 1);
    if (n < 2) return;
    let out = 0;
    let b = 0;
    let cellEnd = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const t = ts[i]!;
      if (out > 0 && t < cellEnd) {
        v[out - 1] = v[out - 1]! + v[i]!;
        c[out - 1] = c[out - 1]! + c[i]!;
        continue;
      }
      // A new cell: it ends at the first boundary after t.
      while (b < boundaries.length && boundaries[b]! <= t) b++;
      cellEnd = b < boundaries.length ? boundaries[b]! : Number.POSITIVE_INFINITY;
      ts[out] = t;
      v[out] = v[i]!;
      c[out] = c[i]!;
      out++;
    }
    if (out === n) return;
    ts.splice(out, n - out);
    v.splice(out, n - out);
    c.splice(out, n - out);
    this.validTo = 0;
  }

  private ensurePrefix(): void {
    const n = this.ts.length;
    const p = this.prefix;
    const pc = this.prefixCount;
    if (p.length > n + 1) p.length = n + 1;
    if (pc.length > n + 1) pc.length = n + 1;
    for (let i = this.validTo; i < n; i++) {
      p[i + 1] = p[i]! + this.v[i]!;
      pc[i + 1] = pc[i]! + this.c[i]!;
    }
    this.validTo = n;
  }

  /** Sum and count of the events with a <= t < b (a <= t <= b when includeEnd). */
  range(a: number, b: number, includeEnd: boolean): { sum: number; count: number } {
    this.ensurePrefix();
    const lo = lowerBound(this.ts, a);
    const hi = includeEnd ? upperBound(this.ts, b, lo) : lowerBound(this.ts, b, lo);
    if (hi <= lo) return { sum: 0, count: 0 };
    return { sum: this.prefix[hi]! - this.prefix[lo]!, count: this.prefixCount[hi]! - this.prefixCount[lo]! };
  }
}

/**
 * A step function of time: each sample holds until the next one (the `online` figure). Time
 * before `origin` (the session start) carries no weight, so a sample taken before the broadcast
 * only counts from the start on.
 */
export class StepSeries {
  readonly ts: number[] = [];
  readonly seq: number[] = [];
  readonly val: number[] = [];
  /** integral[i] = ∫ from the first sample (clamped to origin) to sample i (clamped). */
  private readonly integral: number[] = [];
  /** peakBefore[i] = max over samples j < i that hold in the window at all (−∞ when none). */
  private readonly peakBefore: number[] = [];
  private validTo = 0;

  constructor(private readonly origin: number) {}

  get length(): number {
    return this.ts.length;
  }

  add(t: number, seq: number, value: number): void {
    const i = upperBoundKey(this.ts, this.seq, t, seq);
    if (i === this.ts.length) {
      this.ts.push(t);
      this.seq.push(seq);
      this.val.push(value);
    } else {
      this.ts.splice(i, 0, t);
      this.seq.splice(i, 0, seq);
      this.val.splice(i, 0, value);
    }
    // integral[i] and peakBefore[i] depend on sample i−1 and on the new sample i.
    const keep = i > 0 ? i - 1 : 0;
    if (this.validTo > keep) this.validTo = keep;
  }

  private ensurePrefix(): void {
    const n = this.ts.length;
    if (n === 0) return;
    const { ts, val, integral, peakBefore, origin } = this;
    if (integral.length > n) integral.length = n;
    if (peakBefore.length > n) peakBefore.length = n;
    let i = this.validTo;
    if (i === 0) {
      integral[0] = 0;
      peakBefore[0] = -Infinity;
    }
    for (; i < n - 1; i++) {
      const e0 = Math.max(ts[i]!, origin);
      const e1 = Math.max(ts[i + 1]!, origin);
      integral[i + 1] = integral[i]! + val[i]! * (e1 - e0);
      // A pre-start sample superseded at or before the start never shows in the window.
      const holds = ts[i]! >= origin || e1 > origin;
      peakBefore[i + 1] = holds ? Math.max(peakBefore[i]!, val[i]!) : peakBefore[i]!;
    }
    this.validTo = n - 1;
  }

  /** Index of the last sample with ts <= t (ts < t when strict); −1 when none. */
  indexAt(t: number, strict: boolean): number {
    return (strict ? lowerBound(this.ts, t) : upperBound(this.ts, t)) - 1;
  }

  valueAt(t: number, strict: boolean): number | null {
    const k = this.indexAt(t, strict);
    return k < 0 ? null : this.val[k]!;
  }

  /** The first moment the function has a value inside the window (origin at the earliest). */
  firstTime(): number | null {
    return this.ts.length === 0 ? null : Math.max(this.ts[0]!, this.origin);
  }

  /** ∫ from firstTime() to t; t must be >= origin. */
  integralTo(t: number): number {
    const k = this.indexAt(t, false);
    if (k < 0) return 0;
    this.ensurePrefix();
    return this.integral[k]! + this.val[k]! * (t - Math.max(this.ts[k]!, this.origin));
  }

  /** Max over [origin, t] (t >= origin), counting a sample exactly at t; null when none yet. */
  peakTo(t: number): number | null {
    const k = this.indexAt(t, false);
    if (k < 0) return null;
    this.ensurePrefix();
    return Math.max(this.peakBefore[k]!, this.val[k]!);
  }
}
