/**
 * 抖店 orders → one live room's `order` events: the order truth of the room's GMV (SOURCES.md §6).
 *
 * Two paths feed one mapper (orders.ts), whose de-duplication makes them safe to overlap:
 * - Reconciliation, the backbone: `order.searchList` by `update_time` windows, ascending, pages of
 *   100 from page 0 until the window's `total` is read. Each window starts `overlapMs` before the
 *   end of the last one read whole, because an order updated while its window is being paged moves
 *   to a later `update_time` and shifts the pages under the reader; the overlap reads it again next
 *   time. A window that failed half-way is read again from its start. Long gaps are read in
 *   windows of at most `maxWindowMs`.
 * - Pushes (optional): a paid / cancelled / after-sale message names only the parent order, so
 *   its `order.orderDetail` is fetched and mapped — the room attribution is on the SKU orders.
 *   A push that cannot be followed (no room yet, a rate limit) is left to reconciliation.
 *
 * The room whose orders are kept comes from `liveRoomId()` and may change (learned later from 千川,
 * or a new broadcast): until it is known nothing is read; when it changes, the next poll reads
 * again from `since`, so the new room's earlier orders are not lost to windows read for the old one.
 *
 * Failures: a rate limit waits with `problemBackoff` and asks again (never `failed`); no answer or an
 * unreadable one retries with `backoff`; an authorization that cannot be refreshed, or a refusal
 * that retrying cannot change (permission, IP allow-list, a parameter), stops the source with the
 * platform's words and what to do.
 */
import { isPlatformError } from '../common/errors.ts';
import { idOf } from '../common/json.ts';
import type { SecretVault } from '../../secrets/types.ts';
import { SourceConnector, redactUrl, type ConnectorOptions } from '../../sources/connector.ts';
import type { SourceEvent } from '../../sources/common.ts';
import { DoudianClient, MAX_PAGE_SIZE, doudianApiBase } from './client.ts';
import { DoudianOrderMapper } from './orders.ts';
import { DoudianPushReceiver, type PushMessage, type PushStats } from './push.ts';

export const DOUDIAN_SOURCE = 'doudian';

/** The room's paid orders and refunds as 抖店 gave them (each order id once), as a `totals` event when they change. */
class OrderTotals {
  private room: string | null = null;
  private readonly paid = new Map<string, number>();
  private readonly refunded = new Map<string, number>();

  add(events: readonly SourceEvent[], room: string | null, at: number): SourceEvent | null {
    if (room !== this.room) {
      this.room = room;
      this.paid.clear();
      this.refunded.clear();
    }
    let changed = false;
    for (const e of events) {
      if (e.type !== 'order') continue;
      const into = e.status === 'paid' ? this.paid : this.refunded;
      if (into.has(e.orderId)) continue;
      into.set(e.orderId, e.amountFen);
      changed = true;
    }
    if (!changed) return null;
    let gmvFen = 0;
    for (const v of this.paid.values()) gmvFen += v;
    let refundFen = 0;
    for (const v of this.refunded.values()) refundFen += v;
    return { type: 'totals', origin: DOUDIAN_SOURCE, gmvFen, orders: this.paid.size, refundFen, ts: at };
  }
}
/** Refusals that asking again cannot change: permission (30001), IP allow-list (30002), parameters (400xx), API offline, security. */
const PERMANENT_CODES = new Set([30001, 30002, 40001, 40002, 40003, 40004, 70000, 80000]);
const MAX_PAGES_PER_WINDOW = 100;
const MAX_QUEUED_DETAILS = 1000;

export interface DoudianOrderSourceOptions extends ConnectorOptions {
  api: {
    /** Default `doudianApiBase()` (`LCR_DOUDIAN_API` or the public gateway). */
    base?: string;
    appKey: string;
    shopId: string;
  };
  vault: SecretVault;
  /** The live room whose orders to keep; null while unknown. */
  liveRoomId: () => string | null;
  /** Reconciliation cadence (ms; default 60 s). */
  pollMs?: number;
  /** How far back each window reaches into the previous one (ms; default 5 min). */
  overlapMs?: number;
  /** Longest window read at once (ms; default 1 h). */
  maxWindowMs?: number;
  /** Page size (1–100; default 100). */
  pageSize?: number;
  /** Listen for the platform's pushes (default host 127.0.0.1, path `/doudian/push`). */
  push?: { host?: string; port: number; path?: string; maxBodyBytes?: number };
  /** This source is the room's only one: it announces `session live` at start. */
  opensSession?: boolean;
  /** Start of the first window (epoch ms; default the start time minus 10 min). */
  since?: number;
  /** Order details fetched at once for pushes (default 2). */
  detailConcurrency?: number;
  /** Refresh an access token that expires sooner than this (ms; default 10 min). */
  refreshWithinMs?: number;
}

type PollOutcome = 'again' | 'scheduled' | 'stopped';

export class DoudianOrderSource extends SourceConnector {
  readonly client: DoudianClient;
  private readonly mapper = new DoudianOrderMapper();
  private readonly receiver: DoudianPushReceiver | null;
  private listening: Promise<string | null> = Promise.resolve(null);
  private since = 0;
  /** End (epoch ms) of the last window read whole. */
  private cursor = 0;
  private room: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Parent order ids whose detail is queued or being fetched; true: fetch once more when done. */
  private readonly details = new Map<string, boolean>();
  private readonly detailQueue: string[] = [];
  private activeDetails = 0;
  /** Detail fetches that failed (the order is left to reconciliation). */
  detailFailures = 0;
  /** Why the push receiver is not listening (the state's error is overwritten by later status changes). */
  pushError: string | null = null;

  constructor(private readonly opts: DoudianOrderSourceOptions) {
    const base = opts.api.base ?? doudianApiBase();
    super(DOUDIAN_SOURCE, `抖店 shop ${opts.api.shopId} via ${redactUrl(base)}`, opts);
    this.client = new DoudianClient({ base, appKey: opts.api.appKey, shopId: opts.api.shopId, vault: opts.vault, refreshWithinMs: opts.refreshWithinMs });
    const push = opts.push;
    this.receiver = push
      ? new DoudianPushReceiver({
          appKey: opts.api.appKey,
          appSecret: () => this.client.appSecret(),
          onMessage: (m) => this.onPush(m),
          onQuarantine: (reason, raw) => this.quarantineOne(reason, raw),
          host: push.host,
          port: push.port,
          path: push.path,
          maxBodyBytes: push.maxBodyBytes,
        })
      : null;
  }

  /** The push receiver's counters (null without a receiver). */
  get pushStats(): PushStats | null {
    return this.receiver ? { ...this.receiver.stats } : null;
  }

  /** Does the platform push orders here (a receiver is configured)? Reconciliation polls run either way. */
  get pushes(): boolean {
    return this.receiver !== null && this.receiver !== undefined && !this.pushError;
  }

  /** How often orders are reconciled by polling (ms). */
  get reconcileMs(): number {
    return this.opts.pollMs ?? 60_000;
  }

  /** The push URL once listening; null without a receiver or when it could not listen. */
  pushUrl(): Promise<string | null> {
    return this.listening;
  }

  start(): void {
    const startedAt = this.now();
    this.since = this.opts.since ?? startedAt - 10 * 60_000;
    this.cursor = this.since;
    this.st.connects = 0;
    if (this.opts.opensSession) {
      this.st.events++;
      this.opts.sink.push([{ ts: startedAt, type: 'session', status: 'live', startedAt }]);
    }
    if (this.receiver) {
      const push = this.opts.push!;
      this.listening = this.receiver.start().catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code ?? String(e);
        this.pushError = `抖店 push receiver could not listen on ${push.host ?? '127.0.0.1'}:${push.port} (${code}); orders still come by polling`;
        this.setStatus(this.st.status, this.pushError);
        return null;
      });
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await this.listening;
    await this.receiver?.stop();
    this.markStopped();
  }

  // ---- Reconciliation ----------------------------------------------------------------------------

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runPoll();
    }, ms);
  }

  private runPoll(): void {
    if (this.polling || this.stopped) return;
    this.polling = this.pollOnce()
      .then((next) => {
        if (next === 'again') this.schedule(this.reconcileMs);
      })
      // A bug here must not become an unhandled rejection nor end the polling.
      .catch((e: unknown) => this.retryLater(`抖店: ${e instanceof Error ? e.message : String(e)}`, () => this.runPoll()))
      .finally(() => {
        this.polling = null;
      });
  }

  private currentRoom(): string | null {
    try {
      const r = this.opts.liveRoomId();
      return r === null ? null : idOf(r);
    } catch {
      return null;
    }
  }

  private async pollOnce(): Promise<PollOutcome> {
    const room = this.currentRoom();
    if (room === null) {
      this.setStatus('connecting', 'waiting for the live room id (from 千川 or the settings)', 'waitingForRoom');
      return 'again';
    }
    if (this.room !== null && room !== this.room) this.cursor = this.since;
    this.room = room;
    try {
      const end = this.now();
      let start = Math.max(this.since, this.cursor - (this.opts.overlapMs ?? 5 * 60_000));
      while (start < end) {
        const windowEnd = Math.min(end, start + (this.opts.maxWindowMs ?? 3_600_000));
        await this.readWindow(start, windowEnd, room);
        if (this.stopped) return 'stopped';
        this.cursor = Math.max(this.cursor, windowEnd);
        start = windowEnd;
      }
      if (this.st.status !== 'live') this.markLive();
      this.markProven();
      return 'again';
    } catch (e) {
      return this.pollFailed(e);
    }
  }

  private async readWindow(startMs: number, endMs: number, room: string): Promise<void> {
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, this.opts.pageSize ?? MAX_PAGE_SIZE));
    for (let page = 0; page < MAX_PAGES_PER_WINDOW; page++) {
      if (this.stopped) return;
      const res = await this.client.searchList({ updateTimeStart: Math.floor(startMs / 1000), updateTimeEnd: Math.ceil(endMs / 1000), page, size, orderBy: 'update_time', asc: true });
      this.ingest(res.shopOrders, room);
      const more = res.total !== null ? (page + 1) * size < res.total : res.shopOrders.length >= size;
      if (!more || res.shopOrders.length === 0) return;
    }
    this.setStatus(this.st.status, `抖店: more than ${MAX_PAGES_PER_WINDOW * size} orders updated in one window; the rest are read by later polls`);
  }

  private ingest(shopOrders: unknown[], room: string | null): void {
    const at = this.now();
    for (let i = 0; i < shopOrders.length; i++) this.noteReceived(at);
    const result = this.mapper.map(shopOrders, room, at);
    const totals = this.totals.add(result.events, room, at);
    if (totals) result.events.push(totals);
    this.deliver(result);
  }

  /** What this room's orders from 抖店 add up to, for the report's 抖店 vs 千川 comparison. */
  private readonly totals = new OrderTotals();

  private pollFailed(e: unknown): PollOutcome {
    if (this.stopped) return 'stopped';
    const again = (): void => this.runPoll();
    if (!isPlatformError(e)) {
      this.retryLater(`抖店: ${e instanceof Error ? e.message : String(e)}`, again);
      return 'scheduled';
    }
    switch (e.kind) {
      case 'rateLimited':
        this.cannotServe({ problem: 'rateLimited', detail: e.message }, again);
        return 'scheduled';
      case 'auth':
        this.fail(e.message, 'refused');
        return 'stopped';
      case 'refused':
        if (typeof e.info.code === 'number' && PERMANENT_CODES.has(e.info.code)) {
          this.fail(e.message, 'refused');
          return 'stopped';
        }
        this.retryLater(e.message, again);
        return 'scheduled';
      case 'malformed':
        this.quarantineOne(`抖店: an unreadable answer from ${e.info.endpoint}`, { message: e.message, status: e.info.status ?? null });
        this.retryLater(e.message, again);
        return 'scheduled';
      case 'network':
        this.retryLater(e.message, again);
        return 'scheduled';
    }
  }

  // ---- Pushes ------------------------------------------------------------------------------------

  private onPush(m: PushMessage): void {
    // A failed source (authorization, permission) would only fail again per push.
    if (this.stopped || this.st.status === 'failed') return;
    this.noteReceived(this.now());
    if (this.currentRoom() === null) {
      this.st.ignored++;
      return;
    }
    if (this.details.has(m.pId)) {
      // Being fetched: its state may predate this message, so fetch once more afterwards.
      this.details.set(m.pId, true);
      return;
    }
    if (this.detailQueue.length >= MAX_QUEUED_DETAILS) {
      this.st.ignored++;
      return;
    }
    this.details.set(m.pId, false);
    this.detailQueue.push(m.pId);
    this.pumpDetails();
  }

  private pumpDetails(): void {
    while (!this.stopped && this.activeDetails < (this.opts.detailConcurrency ?? 2) && this.detailQueue.length) {
      const pId = this.detailQueue.shift()!;
      this.activeDetails++;
      void this.fetchDetail(pId).finally(() => {
        this.activeDetails--;
        if (this.details.get(pId) === true && !this.stopped) {
          this.details.set(pId, false);
          this.detailQueue.push(pId);
        } else this.details.delete(pId);
        this.pumpDetails();
      });
    }
  }

  private async fetchDetail(pId: string): Promise<void> {
    try {
      const detail = await this.client.orderDetail(pId);
      if (this.stopped) return;
      this.ingest([detail], this.currentRoom());
    } catch {
      this.detailFailures++;
    }
  }
}
