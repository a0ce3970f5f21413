/**
 * TikTok GMV Max (LIVE) as a room's source: polls the store's LIVE GMV Max campaigns — their
 * report (filtered by the room's LIVE room ids when known), their settings and their LIVE sessions
 * — every `pollMs` (default 60 s; peers sync TikTok spend every 30 minutes) and hands `ad` events,
 * in the advertiser's currency, to the room.
 *
 * Cost per poll: the report 1 (+1 a page of 200 campaigns), campaign info 1 per campaign, sessions
 * 1 per campaign; the advertiser's currency and time zone once. On a rate limit (40100, 40132,
 * 61000) the poll backs off (a minute doubling to ten) and says so. A refused token stops the
 * figures with "run `lcr auth tiktok-ads`" and asks again each minute. An answer of an unexpected
 * shape is quarantined and noted beside the source; the rest of the poll goes on.
 */
import { SourceConnector, type ConnectorOptions } from '../../sources/connector.ts';
import { isPlatformError, type PlatformError } from '../common/errors.ts';
import { Backoff } from '../../sources/common.ts';
import type { SecretVault } from '../../secrets/types.ts';
import { GmvMaxClient } from './client.ts';
import { GmvMaxMapper, type GmvMaxPlanKind, type GmvMaxSnapshot } from './mapper.ts';
import { newTally, readAdvertiser, readCampaignInfo, readReport, readSessions, type AdvertiserInfo, type CampaignRow, type ReadTally, type SessionRow } from './read.ts';
import { dateIn } from './units.ts';

export const GMV_MAX_SOURCE = 'gmv-max';
/** Default poll cadence. */
export const DEFAULT_GMV_MAX_POLL_MS = 60_000;
/** Campaigns read per poll at most (each is one info and one session call). */
export const MAX_CAMPAIGNS = 50;

export interface GmvMaxSourceOptions extends ConnectorOptions {
  api: { base?: string; appId: string; advertiserId: string; storeId: string };
  vault: SecretVault;
  /** GMV Max LIVE room ids to filter the report by (the TikTok LIVE room), when known; null: the store's LIVE campaigns. */
  roomIds: () => readonly string[] | null;
  pollMs?: number;
  /** Request timeout (tests shorten it). */
  timeoutMs?: number;
}

export interface GmvMaxFreshness {
  advertiser: number | null;
  report: number | null;
  campaigns: number | null;
  sessions: number | null;
}

/** What a plan id names, as last polled. */
export interface KnownPlan {
  kind: GmvMaxPlanKind;
  campaignId: string;
}

export class GmvMaxSource extends SourceConnector {
  readonly client: GmvMaxClient;
  private readonly mapper = new GmvMaxMapper();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly rateBackoff: Backoff;
  private nextDelay = DEFAULT_GMV_MAX_POLL_MS;
  readonly tally: ReadTally = newTally();
  readonly freshness: GmvMaxFreshness = { advertiser: null, report: null, campaigns: null, sessions: null };
  /** The advertiser's currency and time zone, once read. */
  advertiser: AdvertiserInfo | null = null;
  /** Plan ids seen (campaigns and sessions) with their kind and campaign. */
  readonly plans = new Map<string, KnownPlan>();
  /** A note on what the last poll could not read (shown beside the source), or null. */
  note: string | null = null;

  constructor(private readonly opts: GmvMaxSourceOptions) {
    super(GMV_MAX_SOURCE, `TikTok GMV Max · advertiser ${opts.api.advertiserId} · store ${opts.api.storeId}`, opts);
    this.client = new GmvMaxClient({ base: opts.api.base, vault: opts.vault, account: { advertiserId: opts.api.advertiserId, appId: opts.api.appId }, now: opts.now, timeoutMs: opts.timeoutMs });
    this.rateBackoff = new Backoff(opts.problemBackoff?.initialMs ?? 60_000, opts.problemBackoff?.maxMs ?? 600_000);
  }

  get storeId(): string {
    return this.opts.api.storeId;
  }

  get pollMs(): number {
    return this.opts.pollMs ?? DEFAULT_GMV_MAX_POLL_MS;
  }

  get currency(): string | null {
    return this.advertiser?.currency ?? null;
  }

  /** Each campaign's spend today (minor units of `currency`), as last polled. */
  get todayCost(): ReadonlyMap<string, number> {
    return this.mapper.spentToday;
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

  /** One poll now (tests, and the ad console's read after a change). */
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
      void this.pollNow()
        .catch(() => undefined)
        .finally(() => this.schedule(this.nextDelay));
    }, ms);
    this.timer.unref?.();
  }

  /** The advertiser's currency, read once (and again until it is known). */
  async ensureAdvertiser(): Promise<AdvertiserInfo> {
    if (this.advertiser?.currency) return this.advertiser;
    this.advertiser = await readAdvertiser(this.client);
    this.freshness.advertiser = this.now();
    return this.advertiser;
  }

  private async poll(): Promise<void> {
    const c = this.client;
    const at = this.now();
    let rateLimited: PlatformError | null = null;
    const notes: string[] = [];
    const part = async <T>(name: keyof GmvMaxFreshness, fn: () => Promise<T>): Promise<T | null> => {
      if (rateLimited) return null;
      try {
        const v = await fn();
        this.freshness[name] = this.now();
        return v;
      } catch (e) {
        if (isPlatformError(e) && e.kind === 'rateLimited') rateLimited = e;
        else {
          this.noteFailure(e);
          notes.push(e instanceof Error ? e.message : String(e));
        }
        if (isPlatformError(e) && e.kind === 'auth') throw e;
        return null;
      }
    };
    try {
      const adv = await part('advertiser', () => this.ensureAdvertiser());
      if (!adv || !adv.currency) {
        if (adv && !adv.currency) {
          const msg = `GMV Max: the advertiser's currency ${adv.rawCurrency ? `"${adv.rawCurrency}" is not one the app keeps` : 'is not stated'}: money is not read (never guessed)`;
          this.quarantineOne('gmv-max: advertiser currency unknown', { currency: adv.rawCurrency });
          notes.push(msg);
          this.advertiser = null;
        }
        this.afterPoll(rateLimited, notes);
        return;
      }
      const currency = adv.currency;
      const day = dateIn(adv.timezone, at);
      const roomIds = this.opts.roomIds();
      const report = await part('report', () => readReport(c, { storeId: this.opts.api.storeId, startDate: day, endDate: day, roomIds }, this.tally));
      // The campaigns: those in today's report, and those polled before (a paused one has no new rows).
      const ids = [...new Set([...(report ?? []).map((r) => r.campaignId), ...[...this.plans].filter(([, p]) => p.kind === 'gmvMax').map(([id]) => id)])].slice(0, MAX_CAMPAIGNS);
      const campaigns: CampaignRow[] = [];
      let sessions: SessionRow[] | null = [];
      for (const id of ids) {
        const info = await part('campaigns', () => readCampaignInfo(c, id));
        if (!info) continue;
        // The report filter asks for LIVE; a campaign that says otherwise is not this source's.
        if (info.shoppingAdsType && info.shoppingAdsType.toUpperCase() !== 'LIVE') continue;
        campaigns.push(info);
        this.plans.set(id, { kind: 'gmvMax', campaignId: id });
        const ses = await part('sessions', () => readSessions(c, id, this.tally));
        if (ses === null) sessions = null;
        else if (sessions) sessions.push(...ses);
        for (const s of ses ?? []) this.plans.set(s.sessionId, { kind: 'gmvMaxSession', campaignId: s.campaignId });
      }
      if (report !== null || campaigns.length) {
        this.st.received++;
        this.st.lastMessageAt = this.now();
        const snap: GmvMaxSnapshot = { at, day, currency, campaigns, report, sessions };
        this.deliver(this.mapper.map(snap));
      }
      this.afterPoll(rateLimited, notes);
    } catch (e) {
      // Only a refused token gets here: the operator must act; polls keep asking, slowly.
      this.setStatus('failed', e instanceof Error ? e.message : String(e), 'refused');
      this.nextDelay = Math.max(this.pollMs, 60_000);
    }
  }

  private afterPoll(rateLimited: PlatformError | null, notes: string[]): void {
    if (rateLimited) {
      const wait = this.rateBackoff.next();
      this.setStatus('reconnecting', `GMV Max rate limit ${String(rateLimited.info.code ?? '')} on ${rateLimited.info.endpoint}: polling again in ${Math.round(wait / 1000)} s`, 'rateLimited', this.now() + wait);
      this.nextDelay = Math.max(this.pollMs, wait);
      return;
    }
    this.rateBackoff.reset();
    this.note = notes.length ? notes.join(' · ').slice(0, 500) : null;
    if (this.st.status !== 'live' || this.st.problem || this.st.error !== this.note) this.setStatus('live', this.note);
    this.nextDelay = this.pollMs;
  }

  private noteFailure(e: unknown): void {
    const reason = isPlatformError(e) ? `${e.info.endpoint}: ${e.info.kind}${e.info.code !== undefined ? ` ${String(e.info.code)}` : ''}` : 'unexpected error';
    this.quarantineOne(`gmv-max: ${reason}`, e instanceof Error ? e.message : String(e));
  }
}
