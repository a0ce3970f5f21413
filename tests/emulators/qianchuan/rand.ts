/**
 * Seeded randomness so a test that gives the same seed sees the same show: mulberry32 (small,
 * well-distributed, fast) plus the helpers the simulation needs.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** A decimal id of `digits` digits starting with `prefix`: 19 digits by default, so above 2^53 and below 2^63. */
  id(prefix: string, digits = 19): string {
    let s = prefix;
    while (s.length < digits) s += String(Math.floor(this.next() * 10));
    return s;
  }
  /** Index drawn with the given non-negative weights; -1 when they sum to zero. */
  pick(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) return -1;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

/**
 * Turns a stream of fractional expectations into whole counts without losing the fractions:
 * each key keeps its remainder, so 0.3 a second becomes 3 in 10 seconds, exactly.
 */
export class Carry {
  private rest = new Map<string, number>();
  take(key: string, expected: number): number {
    if (!(expected > 0)) return 0;
    const total = (this.rest.get(key) ?? 0) + expected;
    const whole = Math.floor(total);
    this.rest.set(key, total - whole);
    return whole;
  }
}
