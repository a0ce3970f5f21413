/**
 * The platform's three rate-limit layers as token buckets a test configures per endpoint, plus
 * forced answers ("the next 3 calls of ad/get answer 40100"). No QPS is published, so nothing is
 * limited unless a test asks. Buckets refill on the emulator's clock, so a test that never advances
 * time sees a tripped limit stay tripped: deterministic, no sleeps.
 */
import type { RateLayer } from './codes.ts';

export interface BucketSpec {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added per second of emulator time. */
  refillPerSec: number;
}

export interface ForcedAnswer {
  /** Envelope code; ignored when `httpStatus` is set. */
  code?: number;
  message?: string;
  /** Answer with this HTTP status and a non-JSON body instead (a gateway failure). */
  httpStatus?: number;
  /** `X-RateLimit-Dimension` value; defaults to the layer of a rate-limit code. */
  dimension?: string;
}

interface Bucket {
  spec: BucketSpec;
  byKey: Map<string, { tokens: number; at: number }>;
}

export const LAYERS: readonly RateLayer[] = ['global', 'developer', 'advertiser'];

export class Limits {
  private buckets = new Map<string, Bucket>();
  private forced = new Map<string, ForcedAnswer[]>();

  set(path: string, layer: RateLayer, spec: BucketSpec): void {
    this.buckets.set(`${layer} ${path}`, { spec, byKey: new Map() });
  }

  clear(): void {
    this.buckets.clear();
    this.forced.clear();
  }

  /** Takes one token from `layer`'s bucket for `key`; false when it is empty. */
  take(path: string, layer: RateLayer, key: string, now: number): boolean {
    const b = this.buckets.get(`${layer} ${path}`);
    if (!b) return true;
    const s = b.byKey.get(key) ?? { tokens: b.spec.capacity, at: now };
    s.tokens = Math.min(b.spec.capacity, s.tokens + ((now - s.at) / 1000) * b.spec.refillPerSec);
    s.at = now;
    b.byKey.set(key, s);
    if (s.tokens < 1) return false;
    s.tokens -= 1;
    return true;
  }

  force(path: string, answer: ForcedAnswer, times: number): void {
    const q = this.forced.get(path) ?? [];
    for (let i = 0; i < times; i++) q.push(answer);
    this.forced.set(path, q);
  }

  nextForced(path: string): ForcedAnswer | undefined {
    return this.forced.get(path)?.shift();
  }
}
