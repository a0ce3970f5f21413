/**
 * 巨量千川 as a room's source: polls the 抖音号's live room, its products, traffic channels and ad
 * plans every `pollMs`, and hands the mapper's events to the room.
 *
 * Cost per poll: rooms 1, products 1, channels 1 (only when 千川 owns the traffic), plans 1, plan
 * report 1, 全域 plans 1 — six calls, each page of 100 rows one more. At the default 30 s that is
 * 12 calls a minute per room, far below what peers run (1-minute crons over several endpoints).
 * The platform publishes no QPS: on 40100/40110/40130 the poll backs off (doubling to 10 minutes,
 * jittered) and says which layer tripped; a part that failed leaves its figures as last read, and
 * the panel shows how old each is.
 */
import { SourceConnector, type ConnectorOptions } from '../../sources/connector.ts';
import { isPlatformError, type PlatformError } from '../common/errors.ts';
import { Backoff } from '../../sources/common.ts';
import type { QianchuanClient } from './client.ts';
import { QianchuanMapper, type QianchuanNotes, type QianchuanRoles, type Snapshot } from './mapper.ts';
import { newTally, readFlow, readPlanStats, readPlans, readProducts, readRooms, readUniPlans, type ReadTally, type RoomRow } from './read.ts';
import { yuanToFen, type UniCostUnit } from './units.ts';

export const QIANCHUAN_SOURCE = 'qianchuan';
/** Default poll cadence: inside the 30–60 s peers use, and twice a minute for the minute figures. */
export const DEFAULT_POLL_MS = 30_000;

export interface QianchuanSourceOptions extends ConnectorOptions {
  client: QianchuanClient;
  /** The 抖音号 whose live room is followed. */
  awemeId: string;
  roles: QianchuanRoles;
  pollMs?: number;
  uniCostUnit?: UniCostUnit;
}

/** When each part of the room was last read (epoch ms), for the freshness shown beside its figures. */
export interface QianchuanFreshness {
  room: number | null;
  products: number | null;
  flow: number | null;
  plans: number | null;
  uniPlans: number | null;
}

export class QianchuanSource extends SourceConnector {
  private readonly mapper: QianchuanMapper;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Waits after a rate limit: a minute doubling to ten (the connector's `problemBackoff`; tests shorten it). */
  private readonly rateBackoff: Backoff;
  readonly tally: ReadTally = newTally();
  readonly freshness: QianchuanFreshness = { room: null, products: null, flow: null, plans: null, uniPlans: null };
  /** Each plan's spend today (fen) as last read, for how long a new budget lasts. */
  readonly todayCost = new Map<string, number>();
  /** The show's start, for the 全域 window. */
  private showStart: number | null = null;

  get client(): QianchuanClient {
    return this.opts.client;
  }

  get awemeId(): string {
    return this.opts.awemeId;
  }

  constructor(private readonly opts: QianchuanSourceOptions) {
    super(QIANCHUAN_SOURCE, `千川 抖音号 ${opts.awemeId} · advertiser ${opts.client.account.advertiserId}`, opts);
    this.mapper = new QianchuanMapper(opts.roles, opts.uniCostUnit);
    this.rateBackoff = new Backoff(opts.problemBackoff?.initialMs ?? 60_000, opts.problemBackoff?.maxMs ?? 600_000);
  }

  /** The live room id 千川 reports for the 抖音号 now (抖店 keeps that room's orders). */
  get liveRoomId(): string | null {
    return this.mapper.liveRoomId;
  }

  get notes(): QianchuanNotes {
    return this.mapper.notes;
  }

  get pollMs(): number {
    return this.opts.pollMs ?? DEFAULT_POLL_MS;
  }

  start(): void {
    this.st.connects = 1;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    this.markStopped();
  }

  /** One poll now (tests and the ad console's read-back after a change). */
  pollNow(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollNow().catch(() => undefined).finally(() => this.schedule(this.nextDelay));
    }, ms);
    this.timer.unref?.();
  }

  private nextDelay = DEFAULT_POLL_MS;

  private async poll(): Promise<void> {
    const c = this.opts.client;
    const at = this.now();
    let rateLimited: PlatformError | null = null;
    /** A part of the poll: its failure is noted and the rest goes on; a rate limit stops the remaining calls. */
    const part = async <T>(name: keyof QianchuanFreshness, fn: () => Promise<T>): Promise<T | null> => {
      if (rateLimited) return null;
      try {
        const v = await fn();
        this.freshness[name] = this.now();
        return v;
      } catch (e) {
        if (isPlatformError(e) && e.kind === 'rateLimited') rateLimited = e;
        else this.noteFailure(e);
        if (isPlatformError(e) && e.kind === 'auth') throw e;
        return null;
      }
    };
    try {
      const rooms = await part('room', () => readRooms(c, this.opts.awemeId, at, this.tally));
      if (rooms === null) {
        this.afterPoll(rateLimited);
        return;
      }
      this.st.received++;
      this.st.lastMessageAt = this.now();
      const room = this.pickRoom(rooms);
      const snap: Snapshot = { at, room, products: null, flow: null, plans: null, planStats: null, uniPlans: null };
      if (room && room.status !== 'FINISH') {
        this.showStart ??= room.startedAt ?? at;
        snap.products = await part('products', () => readProducts(c, room.roomId, this.tally));
        if (this.opts.roles.traffic) snap.flow = await part('flow', () => readFlow(c, room.roomId));
        const plans = await part('plans', () => readPlans(c, this.opts.awemeId, this.tally));
        if (plans) {
          snap.plans = plans;
          snap.planStats = await part('plans', () => readPlanStats(c, plans.map((p) => p.planId), at, this.tally));
          for (const st of snap.planStats ?? []) this.todayCost.set(st.planId, yuanToFen(st.cost) ?? 0);
        }
        snap.uniPlans = await part('uniPlans', () => readUniPlans(c, this.opts.awemeId, this.showStart ?? at, at, this.tally));
      }
      const merged = this.mapper.notes.mergedOrders;
      this.deliver(this.mapper.map(snap));
      if (this.mapper.notes.mergedOrders > merged) this.quarantineOne('qianchuan: a product\'s order count jumped beyond what one poll can hold; the rest was merged into one order line', { orders: this.mapper.notes.mergedOrders - merged });
      if (!room || room.status === 'FINISH') this.showStart = null;
      this.afterPoll(rateLimited);
    } catch (e) {
      // Only a refused authorisation gets here: the operator must act; polls keep trying slowly.
      const msg = e instanceof Error ? e.message : String(e);
      this.setStatus('failed', msg, 'refused');
      // Asked again each minute: an account connected in 设置 meanwhile is picked up without a restart.
      this.nextDelay = Math.max(this.pollMs, 60_000);
    }
  }

  private afterPoll(rateLimited: PlatformError | null): void {
    if (rateLimited) {
      const wait = this.rateBackoff.next();
      const layer = rateLimited.info.dimension ? ` (${rateLimited.info.dimension})` : '';
      this.setStatus('reconnecting', `千川 rate limit ${String(rateLimited.info.code ?? '')}${layer} on ${rateLimited.info.endpoint}: polling again in ${Math.round(wait / 1000)} s`, 'rateLimited', this.now() + wait);
      this.nextDelay = Math.max(this.pollMs, wait);
      return;
    }
    this.rateBackoff.reset();
    if (this.st.status !== 'live' || this.st.problem) this.setStatus('live', null);
    this.nextDelay = this.pollMs;
  }

  private noteFailure(e: unknown): void {
    const reason = isPlatformError(e) ? `${e.info.endpoint}: ${e.info.kind}${e.info.code !== undefined ? ` ${String(e.info.code)}` : ''}` : 'unexpected error';
    this.quarantineOne(`qianchuan: ${reason}`, e instanceof Error ? e.message : String(e));
  }

  /** The room to follow: the one on air (latest start first), else the show we were following (to see it end). */
  private pickRoom(rooms: RoomRow[]): RoomRow | null {
    const onAir = rooms.filter((r) => r.status === 'LIVING' || r.status === 'PAUSE').sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    if (onAir[0]) return onAir[0];
    const current = this.mapper.liveRoomId;
    return (current && rooms.find((r) => r.roomId === current)) || null;
  }
}
