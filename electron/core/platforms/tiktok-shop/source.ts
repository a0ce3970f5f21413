/**
 * TikTok Shop orders → one LIVE's `order` events, and the platform's own LIVE totals beside them
 * (SOURCES.md §7, tiktok-api.md §2–4).
 *
 * Orders carry no LIVE-room field, so which orders are the LIVE's is a rule, stated with every
 * totals event (`rule`):
 * - `window`: paid (`paid_time`) inside the broadcast window [startedAt, endedAt + afterEndMs] (or
 *   still open), the window as the room's first source reports it (`liveWindow()`);
 * - `window+products`: the same, and only line items of the products shown in this LIVE (the room's
 *   catalog and pins, `shownProducts()`); an order with none of them does not count.
 * `afterEndMs` (default 10 min): TikTok's per-LIVE `gmv` counts the session's own orders and its
 * `24h_live_gmv` the day after ([PV]); a short grace keeps a checkout that was open when the LIVE
 * ended without taking the next day's shop orders as the LIVE's. The platform's figure is read
 * beside ours (below), so the difference stays visible rather than guessed away.
 *
 * Paths feeding one mapper (orders.ts), whose de-duplication makes them safe to overlap:
 * - Reconciliation, the backbone: `orders/search` by `update_time` windows, oldest update first,
 *   paged with `next_page_token` until it is empty. Each window starts `overlapMs` before the end of
 *   the last one read whole (an order updated while being paged moves to a later `update_time`); a
 *   window that failed half-way is read again from its start; long gaps in windows of `maxWindowMs`.
 *   Reading starts at `since` (default: the LIVE's start — an order paid in it is updated no earlier),
 *   and again from there when a new broadcast starts.
 * - Webhooks (optional): an order, return or cancellation notice names only the order: its detail is
 *   fetched (≤ 50 ids a call) and mapped. A notice that cannot be followed is left to reconciliation.
 *   A deauthorization stops the source with what to do; an upcoming expiry is shown as a note.
 * - LIVE analytics (unverified community paths, [PV]): `shop_lives/performance` for the window's
 *   dates, the session that overlaps the window best, as a `totals` event origin `tiktok-shop-live`
 *   (`rule: live:<id>`): read every 5 minutes while live and at once when the window ends. A failing
 *   or unreadable answer (HTTP 500 with 98001001 is reported for some analytics paths) is a note on
 *   the state and a quarantine entry; it never stops the orders.
 *
 * Failures of the orders path: a rate limit waits with `problemBackoff` (never `failed`); no answer or
 * an unreadable one retries with `backoff`; an authorization that cannot be refreshed stops the
 * source with the platform's words and `lcr auth tiktok-shop`; an HTTP 401/403 refusal stops it too.
 */
import { isPlatformError } from '../common/errors.ts';
import type { SecretVault } from '../../secrets/types.ts';
import { SourceConnector, redactUrl, type ConnectorOptions } from '../../sources/connector.ts';
import { isObj, type SourceEvent } from '../../sources/common.ts';
import { MAX_DETAIL_IDS, MAX_PAGE_SIZE, TikTokShopClient, tiktokShopApiBase } from './client.ts';
import { TikTokShopOrderMapper, bestSession, readLiveSessions, type AttributionRule, type LiveSession } from './orders.ts';
import { TikTokShopWebhookReceiver, type WebhookNotice, type WebhookStats } from './webhook.ts';

export { bestSession, readLiveSessions, type LiveSession };

export const TIKTOK_SHOP_SOURCE = 'tiktok-shop';
/** The origin of the platform's own LIVE totals. */
export const TIKTOK_SHOP_LIVE_ORIGIN = 'tiktok-shop-live';
export const DEFAULT_AFTER_END_MS = 10 * 60_000;
/** How often LIVE analytics are read while the window is open. */
export const ANALYTICS_EVERY_MS = 5 * 60_000;
const MAX_PAGES_PER_WINDOW = 100;
const MAX_ANALYTICS_PAGES = 10;
const MAX_QUEUED_DETAILS = 1000;

export type LiveRule = 'window' | 'window+products';

export interface TikTokShopSourceOptions extends ConnectorOptions {
  api: { base?: string; authBase?: string; appKey: string; shopId: string; shopCipher?: string };
  vault: SecretVault;
  /** The room's broadcast window (epoch ms) as the room's first source reports it; null until known. */
  liveWindow: () => { startedAt: number; endedAt: number | null } | null;
  /** Product ids shown in this LIVE (the room's catalog and pins); null when the room names none. */
  shownProducts: () => ReadonlySet<string> | null;
  pollMs?: number;
  overlapMs?: number;
  maxWindowMs?: number;
  pageSize?: number;
  webhook?: { host?: string; port: number; path?: string; maxBodyBytes?: number };
  opensSession?: boolean;
  since?: number;
  refreshWithinMs?: number;
  /** Grace after the LIVE ends in which a paid order still counts (ms; default 10 min: see the header). */
  afterEndMs?: number;
}

/** The LIVE's paid orders and refunds as the rule takes them (each order id once), as a `totals` event when they change. */
class OrderTotals {
  private window: number | null = null;
  private readonly paid = new Map<string, number>();
  private readonly refunded = new Map<string, number>();

  add(events: readonly SourceEvent[], window: number, rule: LiveRule, currency: string | null, at: number): SourceEvent | null {
    if (window !== this.window) {
      this.window = window;
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
    return { type: 'totals', origin: TIKTOK_SHOP_SOURCE, gmvFen, orders: this.paid.size, refundFen, ...(currency && { currency }), rule, ts: at };
  }
}

type PollOutcome = 'again' | 'scheduled' | 'stopped';
type Window = { startedAt: number; endedAt: number | null };

export class TikTokShopOrderSource extends SourceConnector {
  readonly client: TikTokShopClient;
  private readonly mapper = new TikTokShopOrderMapper();
  /** The broadcast (its start) whose sold products the mapper holds. */
  private soldFor: number | null = null;
  private readonly receiver: TikTokShopWebhookReceiver | null;
  private listening: Promise<string | null> = Promise.resolve(null);
  /** Start (epoch ms) of the broadcast whose orders are being read; null until known. */
  private windowStart: number | null = null;
  /** End (epoch ms) of the last update window read whole. */
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly details = new Set<string>();
  private readonly again = new Set<string>();
  private readonly detailQueue: string[] = [];
  private detailActive = false;
  private readonly totals = new OrderTotals();
  private lastAnalyticsAt = 0;
  private analyticsEndedFor: string | null = null;
  private lastLiveTotals: string | null = null;
  /** Detail fetches that failed (the orders are left to reconciliation). */
  detailFailures = 0;
  /** Why the webhook receiver is not listening. */
  webhookError: string | null = null;
  /** Why the LIVE analytics figure is missing or stale (null: read fine, or not read yet). */
  analyticsNote: string | null = null;
  /** The platform's LIVE session last matched to the window, and its totals. */
  liveSession: LiveSession | null = null;

  constructor(private readonly opts: TikTokShopSourceOptions) {
    const base = opts.api.base ?? tiktokShopApiBase();
    super(TIKTOK_SHOP_SOURCE, `TikTok Shop shop ${opts.api.shopId} via ${redactUrl(base)}`, opts);
    this.client = new TikTokShopClient({ base, authBase: opts.api.authBase, appKey: opts.api.appKey, shopId: opts.api.shopId, shopCipher: opts.api.shopCipher, vault: opts.vault, refreshWithinMs: opts.refreshWithinMs });
    const hook = opts.webhook;
    this.receiver = hook
      ? new TikTokShopWebhookReceiver({
          appKey: opts.api.appKey,
          appSecret: () => this.client.appSecret(),
          shopId: opts.api.shopId,
          onNotice: (n) => this.onNotice(n),
          onQuarantine: (reason, raw) => this.quarantineOne(reason, raw),
          host: hook.host,
          port: hook.port,
          path: hook.path,
          maxBodyBytes: hook.maxBodyBytes,
        })
      : null;
  }

  /** The rule orders are taken by now. */
  get rule(): LiveRule {
    return this.products() === null ? 'window' : 'window+products';
  }

  /** The shop's currency as its orders name it (null until an order was mapped). */
  get currency(): string | null {
    return this.mapper.currency;
  }

  /** The webhook receiver's counters (null without a receiver). */
  get pushStats(): WebhookStats | null {
    return this.receiver ? { ...this.receiver.stats } : null;
  }

  /** Does the platform push orders here (a webhook receiver is listening)? Reconciliation polls run either way. */
  get pushes(): boolean {
    return this.receiver !== null && !this.webhookError;
  }

  /** How often orders are reconciled by polling (ms). */
  get reconcileMs(): number {
    return this.opts.pollMs ?? 60_000;
  }

  /** The webhook URL once listening; null without a receiver or when it could not listen. */
  webhookUrl(): Promise<string | null> {
    return this.listening;
  }

  start(): void {
    const startedAt = this.now();
    this.st.connects = 0;
    if (this.opts.opensSession) {
      this.st.events++;
      this.opts.sink.push([{ ts: startedAt, type: 'session', status: 'live', startedAt }]);
    }
    if (this.receiver) {
      const hook = this.opts.webhook!;
      this.listening = this.receiver.start().catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code ?? String(e);
        this.webhookError = `TikTok Shop webhook receiver could not listen on ${hook.host ?? '127.0.0.1'}:${hook.port} (${code}); orders still come by polling`;
        this.setStatus(this.st.status, this.webhookError);
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

  // ---- The rule ----------------------------------------------------------------------------------

  private currentWindow(): Window | null {
    try {
      const w = this.opts.liveWindow();
      if (!w || !Number.isSafeInteger(w.startedAt) || w.startedAt <= 0) return null;
      if (w.endedAt !== null && (!Number.isSafeInteger(w.endedAt) || w.endedAt < w.startedAt)) return { startedAt: w.startedAt, endedAt: null };
      return { startedAt: w.startedAt, endedAt: w.endedAt };
    } catch {
      return null;
    }
  }

  private products(): ReadonlySet<string> | null {
    try {
      return this.opts.shownProducts();
    } catch {
      return null;
    }
  }

  private attribution(w: Window): AttributionRule {
    const grace = Math.max(0, this.opts.afterEndMs ?? DEFAULT_AFTER_END_MS);
    return { paidInWindow: (ms) => ms >= w.startedAt && (w.endedAt === null || ms <= w.endedAt + grace), products: this.products() };
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
      .catch((e: unknown) => this.retryLater(`TikTok Shop: ${e instanceof Error ? e.message : String(e)}`, () => this.runPoll()))
      .finally(() => {
        this.polling = null;
      });
  }

  private async pollOnce(): Promise<PollOutcome> {
    const w = this.currentWindow();
    if (w === null) {
      this.setStatus('connecting', "waiting for the LIVE's start (from the room's first source)", 'waitingForRoom');
      return 'again';
    }
    if (w.startedAt !== this.windowStart) {
      this.windowStart = w.startedAt;
      this.cursor = this.opts.since ?? w.startedAt;
    }
    try {
      const end = this.now();
      let start = Math.max(this.opts.since ?? w.startedAt, this.cursor - (this.opts.overlapMs ?? 5 * 60_000));
      while (start < end) {
        const windowEnd = Math.min(end, start + (this.opts.maxWindowMs ?? 3_600_000));
        await this.readWindow(start, windowEnd, w);
        if (this.stopped) return 'stopped';
        this.cursor = Math.max(this.cursor, windowEnd);
        start = windowEnd;
      }
      if (this.st.status !== 'live') this.markLive();
      this.markProven();
    } catch (e) {
      return this.pollFailed(e);
    }
    await this.readAnalytics(w);
    return 'again';
  }

  private async readWindow(startMs: number, endMs: number, w: Window): Promise<void> {
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, this.opts.pageSize ?? MAX_PAGE_SIZE));
    const ge = Math.floor(startMs / 1000);
    const lt = Math.max(ge + 1, Math.ceil(endMs / 1000));
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_WINDOW; page++) {
      if (this.stopped) return;
      const res = await this.client.searchOrders({ updateTimeGe: ge, updateTimeLt: lt, pageSize: size, pageToken: token });
      this.ingest(res.orders, w);
      if (!res.nextPageToken || res.orders.length === 0) return;
      token = res.nextPageToken;
    }
    this.setStatus(this.st.status, `TikTok Shop: more than ${MAX_PAGES_PER_WINDOW * size} orders updated in one window; the rest are read by later polls`);
  }

  private ingest(orders: unknown[], w: Window | null): void {
    const at = this.now();
    for (let i = 0; i < orders.length; i++) this.noteReceived(at);
    if (w !== null && w.startedAt !== this.soldFor) {
      // A new broadcast: its product list starts empty.
      this.soldFor = w.startedAt;
      this.mapper.forgetSoldProducts();
    }
    const result = this.mapper.map(orders, w === null ? null : this.attribution(w), at);
    const sold = this.mapper.takeSoldProducts();
    // The room's product list from what its orders name (the room's own catalog, from any other source, wins: room-mux.ts).
    if (sold) result.events.unshift({ type: 'catalog', ts: at, products: sold.map((p) => ({ id: p.id, title: p.title, priceFen: p.priceMinor })) });
    if (w !== null) {
      const totals = this.totals.add(result.events, w.startedAt, this.rule, this.mapper.currency, at);
      if (totals) result.events.push(totals);
    }
    this.deliver(result);
  }

  private pollFailed(e: unknown): PollOutcome {
    if (this.stopped) return 'stopped';
    const again = (): void => this.runPoll();
    if (!isPlatformError(e)) {
      this.retryLater(`TikTok Shop: ${e instanceof Error ? e.message : String(e)}`, again);
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
        if (e.info.status === 401 || e.info.status === 403) {
          this.fail(e.message, 'refused');
          return 'stopped';
        }
        this.retryLater(e.message, again);
        return 'scheduled';
      case 'malformed':
        this.quarantineOne(`TikTok Shop: an unreadable answer from ${e.info.endpoint}`, { message: e.message, status: e.info.status ?? null });
        this.retryLater(e.message, again);
        return 'scheduled';
      case 'network':
        this.retryLater(e.message, again);
        return 'scheduled';
    }
  }

  // ---- LIVE analytics ----------------------------------------------------------------------------

  private async readAnalytics(w: Window): Promise<void> {
    const now = this.now();
    const key = `${w.startedAt}-${w.endedAt}`;
    const endedUnread = w.endedAt !== null && this.analyticsEndedFor !== key;
    if (!endedUnread && now - this.lastAnalyticsAt < ANALYTICS_EVERY_MS) return;
    if (this.stopped || this.st.status === 'failed') return;
    this.lastAnalyticsAt = now;
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    // A day either side: the analytics dates are the shop's local dates, not UTC.
    const q = { startDate: day(w.startedAt - 86_400_000), endDate: day((w.endedAt ?? now) + 2 * 86_400_000) };
    const sessions: LiveSession[] = [];
    try {
      let token: string | undefined;
      for (let page = 0; page < MAX_ANALYTICS_PAGES; page++) {
        const data = await this.client.livePerformance({ ...q, pageToken: token });
        const read = readLiveSessions(data, this.mapper.currency);
        for (const p of read.problems) this.quarantineOne(`TikTok Shop LIVE analytics: ${p.replace(/^session \d+: /, 'a session: ')}`, isObj(data) ? { keys: Object.keys(data).slice(0, 20) } : data);
        sessions.push(...read.sessions);
        if (!read.nextPageToken || read.sessions.length === 0) break;
        token = read.nextPageToken;
      }
    } catch (e) {
      this.noteAnalytics(`TikTok Shop LIVE analytics could not be read (${e instanceof Error ? e.message : String(e)}); orders are unaffected`);
      return;
    }
    if (w.endedAt !== null) this.analyticsEndedFor = key;
    const best = bestSession(sessions, w, now);
    if (!best) return this.noteAnalytics('TikTok Shop LIVE analytics list no session overlapping this LIVE (yet)');
    this.liveSession = best;
    if (!best.gmv) return this.noteAnalytics(`TikTok Shop LIVE analytics: session ${best.id} has no readable GMV`);
    const room = this.mapper.currency;
    if (room !== null && best.gmv.currency !== room) return this.noteAnalytics(`TikTok Shop LIVE analytics: session ${best.id} is in ${best.gmv.currency}, not the room's ${room}`);
    this.noteAnalytics(null);
    const event: SourceEvent = { type: 'totals', origin: TIKTOK_SHOP_LIVE_ORIGIN, gmvFen: best.gmv.minor, ...(best.orders !== null && { orders: best.orders }), currency: best.gmv.currency, rule: `live:${best.id}`, ts: now };
    const sig = JSON.stringify([best.id, best.gmv.minor, best.gmv.currency, best.orders]);
    if (sig === this.lastLiveTotals) return;
    this.lastLiveTotals = sig;
    this.deliver({ events: [event], quarantined: [], ignored: 0, duplicates: 0 });
  }

  private noteAnalytics(note: string | null): void {
    const previous = this.analyticsNote;
    this.analyticsNote = note;
    if (this.stopped || this.st.status === 'failed') return;
    if (note !== null) this.setStatus(this.st.status, note, this.st.problem, this.st.retryAt);
    else if (previous !== null && this.st.error === previous) this.setStatus(this.st.status, null, this.st.problem, this.st.retryAt);
  }

  // ---- Webhooks ----------------------------------------------------------------------------------

  private onNotice(n: WebhookNotice): void {
    if (this.stopped || this.st.status === 'failed') return;
    this.noteReceived(this.now());
    if (n.kind === 'deauthorized') {
      this.fail(`TikTok Shop shop ${this.opts.api.shopId} was deauthorized from this app by the seller: run \`lcr auth tiktok-shop\` to authorise it again`, 'refused');
      return;
    }
    if (n.kind === 'authExpiring') {
      this.setStatus(this.st.status, `TikTok Shop shop ${this.opts.api.shopId}'s authorization expires soon: run \`lcr auth tiktok-shop\` to renew it`, this.st.problem, this.st.retryAt);
      return;
    }
    const id = n.orderId;
    if (id === null) return;
    if (this.currentWindow() === null) {
      this.st.ignored++;
      return;
    }
    if (this.details.has(id)) {
      // Being fetched: its state may predate this notice, so fetch once more afterwards.
      this.again.add(id);
      return;
    }
    if (this.detailQueue.length >= MAX_QUEUED_DETAILS) {
      this.st.ignored++;
      return;
    }
    this.details.add(id);
    this.detailQueue.push(id);
    this.pumpDetails();
  }

  private pumpDetails(): void {
    if (this.detailActive || this.stopped || this.detailQueue.length === 0) return;
    this.detailActive = true;
    const batch = this.detailQueue.splice(0, MAX_DETAIL_IDS);
    void this.fetchDetails(batch).finally(() => {
      this.detailActive = false;
      for (const id of batch) {
        if (this.again.delete(id) && !this.stopped) this.detailQueue.push(id);
        else this.details.delete(id);
      }
      this.pumpDetails();
    });
  }

  private async fetchDetails(ids: string[]): Promise<void> {
    try {
      const orders = await this.client.orderDetail(ids);
      if (this.stopped) return;
      this.ingest(orders, this.currentWindow());
    } catch {
      this.detailFailures++;
    }
  }
}
