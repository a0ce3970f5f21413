/**
 * Who is in the room. Viewer ids are 1..uv; online viewers are held in two arrays (organic /
 * paid) so a buyer can be drawn with paid viewers weighted by paidCvrFactor and attributed to a
 * plan. Draws from the traffic stream only.
 */
import type { TrafficSource } from '../../../shared/protocol.ts';
import type { Buffer } from './params.ts';
import type { Rng } from './rng.ts';

export const ORGANIC_SOURCES = ['recommend', 'follow', 'search', 'shortVideo', 'other'] as const;
export type OrganicSource = (typeof ORGANIC_SOURCES)[number];

/** Probability that an entry is a viewer coming back, by source (before saturation by the pool of leavers). */
const RETURN_SHARE: Record<TrafficSource, number> = { recommend: 0.15, follow: 0.5, search: 0.3, shortVideo: 0.1, paid: 0.06, other: 0.25 };

/** Leavers kept as possible returners: far more than any room's returning audience, bounded for an eight-hour show. */
const DEPARTED_POOL = 100_000;

export class Audience {
  readonly onlineOrganic: number[] = [];
  readonly onlinePaid: number[] = [];
  /** Viewers who left and may come back (bounded by DEPARTED_POOL). */
  private readonly departed: number[] = [];
  private readonly viewerPlan = new Map<number, number>();
  uv = 0;
  pv = 0;
  watchSeconds = 0;
  /** Entries by source since the last `enter` report. */
  private readonly enterAcc: Record<TrafficSource, number> = { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 };

  private readonly rTraffic: Rng;

  constructor(rTraffic: Rng) {
    this.rTraffic = rTraffic;
  }

  online(): number {
    return this.onlineOrganic.length + this.onlinePaid.length;
  }

  /** Organic entries by source at these per-second rates. Returns the entries. */
  arrive(rates: Record<OrganicSource, number>): number {
    let entries = 0;
    for (const src of ORGANIC_SOURCES) {
      const n = this.rTraffic.poisson(rates[src]);
      if (n > 0) {
        this.admit(n, src, -1);
        entries += n;
      }
    }
    return entries;
  }

  /** `planIdx`: the ad plan that brought them (-1 for organic entries). */
  admit(n: number, source: TrafficSource, planIdx: number): void {
    this.enterAcc[source] += n;
    this.pv += n;
    const pool = this.departed;
    const back = Math.min(pool.length, this.rTraffic.binomial(n, RETURN_SHARE[source] * (pool.length / (pool.length + 300))));
    for (let i = 0; i < n; i++) {
      let id: number;
      if (i < back) {
        const j = this.rTraffic.int(0, pool.length - 1);
        id = pool[j] as number;
        pool[j] = pool[pool.length - 1] as number;
        pool.pop();
      } else {
        id = ++this.uv;
      }
      // A viewer first brought by an ad stays attributed to that plan (the ad's 成交归因).
      if (planIdx >= 0 && !this.viewerPlan.has(id)) this.viewerPlan.set(id, planIdx);
      if (this.viewerPlan.has(id)) this.onlinePaid.push(id);
      else this.onlineOrganic.push(id);
    }
  }

  /** Viewers leave at the rate their stay implies (paid ones a little sooner). Returns who is still online. */
  departures(stay: number, paidStayFactor: number): number {
    this.leave(this.onlineOrganic, this.rTraffic.poisson(this.onlineOrganic.length / stay));
    this.leave(this.onlinePaid, this.rTraffic.poisson(this.onlinePaid.length / (stay * paidStayFactor)));
    const online = this.online();
    this.watchSeconds += online;
    return online;
  }

  /** The ad plan (index) a viewer is attributed to, if any. */
  planOf(viewer: number): number | undefined {
    return this.viewerPlan.get(viewer);
  }

  /** The online viewer at `idx`, organic ones first (0 ≤ idx < online()). */
  viewerAt(idx: number): number {
    return (idx < this.onlineOrganic.length ? this.onlineOrganic[idx] : this.onlinePaid[idx - this.onlineOrganic.length]) as number;
  }

  flushEnters(buf: Buffer, ts: number): void {
    for (const src of ['recommend', 'follow', 'paid', 'search', 'shortVideo', 'other'] as const) {
      const n = this.enterAcc[src];
      if (n > 0) buf.push({ type: 'enter', ts, n, source: src });
      this.enterAcc[src] = 0;
    }
  }

  private leave(arr: number[], n: number): void {
    const m = Math.min(n, arr.length);
    for (let i = 0; i < m; i++) {
      const j = this.rTraffic.int(0, arr.length - 1);
      const id = arr[j] as number;
      arr[j] = arr[arr.length - 1] as number;
      arr.pop();
      this.departed.push(id);
      if (this.departed.length > DEPARTED_POOL) this.forgetDeparted();
    }
  }

  /**
   * A long show's leavers would pile up without end; the pool of viewers who may come back is
   * bounded, and one forgotten (deterministically: the pool's first slot, no random draw) is gone
   * for good — as is what ad plan brought them.
   */
  private forgetDeparted(): void {
    const pool = this.departed;
    const gone = pool[0] as number;
    pool[0] = pool[pool.length - 1] as number;
    pool.pop();
    this.viewerPlan.delete(gone);
  }
}
