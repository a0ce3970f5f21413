/**
 * Seeded pseudo-random numbers for the simulator.
 *
 * The simulator must replay the same show for the same seed (SCENARIO.md), on any machine and
 * any Node version, so it never touches Math.random: sfc32 (a small, fast, well-tested 128-bit
 * generator) seeded by cyrb128 string hashing. `fork(label)` derives independent streams so one
 * part of the model (say, comments) drawing more or fewer numbers does not shift the draws of
 * another (say, traffic) — which also keeps policy comparisons on one seed closer to each other.
 */

/** cyrb128: hashes any string to four 32-bit words, well mixed even for near-identical inputs. */
export function hashSeed(seed: number | string): [number, number, number, number] {
  const str = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Small stable 32-bit hash of a string (for per-id choices such as a viewer's nickname). */
export function hash32(str: string): number {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seedText: string;
  /** Box–Muller yields pairs; keeping the spare halves the cost of normal draws. */
  private spare: number | null = null;

  constructor(seed: number | string) {
    this.seedText = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
    [this.a, this.b, this.c, this.d] = hashSeed(seed);
    // The first outputs of sfc32 still carry the seed's structure; discard them.
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  /** An independent stream derived from this generator's seed and a label. */
  fork(label: string): Rng {
    return new Rng(`${this.seedText}/${label}`);
  }

  nextU32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u <= Number.MIN_VALUE) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Poisson count. Exact (Knuth's product method) for λ < 30, where counts are small and their
   * shape matters (a minute with 0 orders vs 2); normal approximation above, where it does not.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
  }

  /** Binomial count: exact for small n, Poisson for rare events, normal otherwise. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) k++;
      return k;
    }
    const mean = n * p;
    if (mean < 20 || p < 0.05) return Math.min(n, this.poisson(mean));
    const k = Math.round(this.normal(mean, Math.sqrt(mean * (1 - p))));
    return Math.min(n, Math.max(0, k));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks items[i] with probability weights[i] / Σweights (non-positive weights never win). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length === 0 || items.length !== weights.length) throw new Error('weighted pick needs one weight per item');
    let total = 0;
    for (const w of weights) if (w > 0) total += w;
    if (!(total > 0)) return this.pick(items);
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      const w = weights[i] ?? 0;
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return items[i] as T;
    }
    // Floating-point leftovers land on the last positive weight.
    for (let i = items.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return items[i] as T;
    return items[items.length - 1] as T;
  }
}
