/**
 * The simulated live room (SCENARIO.md): a deterministic, second-by-second model of a
 * livestream-commerce room that emits FEED-PROTOCOL.md events and obeys its commands.
 *
 * No networking here — the relay around it assigns `seq` and ships batches. Time is simulated:
 * `advance(simMs)` runs whole 1-second steps up to `simMs`, so the event stream depends only on
 * scenario + seed + startedAt (+ commands), never on how often `advance` is called.
 *
 * The model in a few lines (per simulated second):
 *   entries      recommend ~ Poisson(recommendPerMin/60 · curve(t) · waves(t) · snowball · warm-up)
 *                follow (boosted in the first minutes: 开播提醒), search, shortVideo, other, and
 *                paid = impressions(spend/cpm · 1/√(1+rate/saturation)) × paidEnterRate, where the
 *                delivered spend rate follows the budget with a first-order lag (adLagSec)
 *   leaving      each viewer leaves at 1/stay, stay = staySec · (1+hookEff) · (0.85+0.15f) · (0.9+0.1e)
 *                (×1.15 while a 福袋 is open; paid viewers × paidStayFactor); hookEff = hook · (0.4+0.6f)
 *   exposures    pinned: Poisson(online/45 + 0.6 · entries); bag (小黄车): online/150 split by bagWeight
 *   clicks       Binomial(exposures, ctr · (0.3 + 0.7 f))        (bag: × 0.35)
 *   orders       Binomial(clicks, cvr · (0.45 + 0.55 f) · paidMix) (bag: × 0.8), flash: ctr ×1.4, cvr ×2
 *   freshness f  × 0.5^(1s/fatigueHalfLife) while pinned; 1 − (1−f) · 0.5^(1s/recoveryHalfLife) at rest
 *   engagement e = 0.6 + 0.3 f + hookEff (+0.3 giveaway, +0.3 flash) — drives comments, likes, follows
 *   snowball     each minute: score = (GPM/normalGpm)^0.55 · (stay/staySec)^0.25 · e^0.2 over the last
 *                3 minutes; target = clamp(1 + snowball·(score−1), 0.35, 3); multiplier moves 40 % of the
 *                way to the target — so it acts on the following minutes, as the feed algorithm does.
 */
import type { CommandAck, EventBody, FeedCommand, Product } from '../../../shared/protocol.ts';
import { AdPlans } from './ads.ts';
import { Audience } from './audience.ts';
import { Host } from './host.ts';
import { MODEL, type Buffer, type Stamp } from './params.ts';
import { catalogOf, createProducts, fade, flushBag, flushStock, truthRows, valuePerEntry, type ProductState, type TruthRow } from './products.ts';
import { Rng, hash32 } from './rng.ts';
import type { Scenario } from './scenario.ts';
import { Shop, type TruthMinute } from './shop.ts';
import { Social } from './social.ts';
import { Snowball, organicRates } from './traffic.ts';

// The model's parts, one concern each (host, audience, ads, shop, social, traffic); RoomSim runs
// them second by second and owns the clock, the commands and the feed's report cadence.
export { MODEL } from './params.ts';
export type { TruthRow } from './products.ts';
export type { TruthMinute } from './shop.ts';

export interface SimOptions {
  seed: number | string;
  /** epoch ms of the simulated session start; event ts = startedAt + simulated ms */
  startedAt: number;
  /** start with the host following the plan (default true) */
  autopilot?: boolean;
}

export class RoomSim {
  readonly roomId: string;
  readonly scenario: Scenario;
  private readonly startedAt: number;
  private readonly durationSec: number;
  private readonly products: ProductState[];
  private readonly byId = new Map<string, ProductState>();
  private readonly normalGpm: number;

  /** The misc stream, shared by the host's giveaways, the refunds' timing and the viewers reports' cadence. */
  private readonly rMisc: Rng;

  private readonly ads: AdPlans;
  private readonly audience: Audience;
  private readonly host: Host;
  private readonly snowball: Snowball;
  private readonly social: Social;
  private readonly shop: Shop;

  private sec = 0;
  private started = false;
  private isEnded = false;
  private pending: Buffer = [];
  private nextViewersAt = 0;

  private readonly ts: Stamp = (sec, offsetMs = 0) => this.startedAt + sec * 1000 + offsetMs;

  constructor(scenario: Scenario, opts: SimOptions) {
    this.scenario = scenario;
    this.roomId = scenario.room.roomId;
    this.startedAt = Math.round(opts.startedAt);
    this.durationSec = Math.max(1, Math.round(scenario.durationMin * 60));

    const seedKey = typeof opts.seed === 'number' ? `n${opts.seed}` : `s${opts.seed}`;
    const base = new Rng(`${seedKey}|${scenario.room.roomId}`);
    // Independent random streams: see rng.ts on why. Each part of the model draws from its own.
    const rTraffic = base.fork('traffic');
    const rShop = base.fork('shop');
    const rSocial = base.fork('social');
    const rAds = base.fork('ads');
    this.rMisc = base.fork('misc');

    this.products = createProducts(scenario);
    for (const p of this.products) this.byId.set(p.spec.id, p);
    this.ads = new AdPlans(scenario, rAds);
    this.normalGpm = scenario.traffic.normalGpm ?? this.planExpectedGpm();
    this.audience = new Audience(rTraffic);
    this.host = new Host(scenario, this.byId, this.rMisc, this.ts, opts.autopilot ?? true);
    this.snowball = new Snowball(scenario, this.normalGpm);
    this.social = new Social(scenario, this.products, this.audience, this.host, rSocial, this.ts);
    this.shop = new Shop({
      scenario,
      durationSec: this.durationSec,
      products: this.products,
      audience: this.audience,
      ads: this.ads,
      host: this.host,
      rShop,
      rMisc: this.rMisc,
      ts: this.ts,
      orderPrefix: `69${String(hash32(`${this.roomId}@${this.startedAt}`) % 100_000_000).padStart(8, '0')}`,
      onOrder: (amountFen) => {
        this.snowball.addGmv(amountFen);
        this.social.noteOrder();
      },
    });
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** Simulated ms processed so far. */
  get simMs(): number {
    return this.sec * 1000;
  }

  get pinnedProductId(): string | null {
    return this.host.pinned?.spec.id ?? null;
  }

  get autopilotOn(): boolean {
    return this.host.autopilot;
  }

  /** The recommend-traffic multiplier the snowball currently applies (1 = average). */
  get snowballMultiplier(): number {
    return this.snowball.mult;
  }

  setAutopilot(on: boolean): void {
    this.host.setAutopilot(on);
  }

  /** The catalog as the app sees it: everything but `truth`. */
  catalog(): Product[] {
    return catalogOf(this.products);
  }

  truthState(): TruthRow[] {
    return truthRows(this.products, this.host.flash?.productId ?? null);
  }

  /** The shop's probabilities minute by minute so far (TruthMinute); the app never sees them. */
  truthMinutes(): readonly TruthMinute[] {
    return this.shop.truthMinutes();
  }

  /**
   * Expected GMV (yuan) per room entry while `productId` is pinned at freshness `f` — the
   * closed form of the per-second model in steady state (online = entries × stay). Used for the
   * default normalGpm, and handy for an oracle.
   */
  expectedValuePerEntry(productId: string, f: number): number {
    const p = this.byId.get(productId);
    return p ? valuePerEntry(this.products, p, f, this.scenario.traffic.staySec) : 0;
  }

  private planExpectedGpm(): number {
    const plan = this.scenario.plan.length
      ? this.scenario.plan
      : this.scenario.products.map((p) => ({ productId: p.id, minutes: 1 }));
    let minutes = 0;
    let value = 0;
    for (const item of plan) {
      minutes += item.minutes;
      value += item.minutes * this.expectedValuePerEntry(item.productId, MODEL.refFreshness);
    }
    return Math.max(1, (value / Math.max(minutes, 1e-9)) * 1000);
  }

  // ---- commands ---------------------------------------------------------------------------

  command(cmd: FeedCommand): CommandAck {
    if (this.isEnded) return { ok: false, error: 'session ended' };
    switch (cmd.type) {
      case 'pin':
        return this.host.pin(cmd, this.pending, this.sec);
      case 'adBudget':
      case 'adPause':
      case 'adResume':
        return this.ads.command(cmd);
      case 'flash':
        return this.host.startFlash(cmd, this.pending, this.sec);
    }
  }

  // ---- time -------------------------------------------------------------------------------

  advance(simMs: number): EventBody[] {
    if (this.isEnded) return [];
    const out: EventBody[] = [];
    if (!this.started) {
      this.started = true;
      out.push({ type: 'session', ts: this.startedAt, status: 'live', title: this.scenario.room.title, startedAt: this.startedAt });
      out.push({ type: 'catalog', ts: this.startedAt, products: this.catalog() });
    }
    if (this.pending.length) {
      out.push(...this.pending);
      this.pending = [];
    }
    const target = Math.min(Math.floor(Math.max(0, simMs) / 1000), this.durationSec);
    while (this.sec < target) {
      const buf: Buffer = [];
      this.step(this.sec, buf);
      this.sec++;
      // Events of one second carry ms offsets; keep the stream in ts order (stable sort).
      buf.sort((a, b) => a.ts - b.ts);
      for (const e of buf) out.push(e);
    }
    if (this.sec >= this.durationSec) this.finish(out);
    return out;
  }

  /**
   * One simulated second, [k, k+1) s, in the order the random draws are made (the same seed must
   * give the same show): what the host does, the room's state, who comes and who goes, what sells,
   * how interest fades, the social noise, refunds, the batched reports, and the minute's books.
   */
  private step(k: number, buf: Buffer): void {
    const giveaway = this.host.tick(k, buf);
    const { p, flashOn, e, stay } = this.host.roomState(giveaway);
    // Organic entries by source first, then each ad plan's spend and the viewers it brings.
    let entries = this.audience.arrive(organicRates(this.scenario, k, this.snowball.mult));
    entries += this.ads.deliver(this.audience);
    const online = this.audience.departures(stay, this.scenario.traffic.paidStayFactor ?? 0.85);
    const pinClicks = this.shop.sell(k, buf, p, flashOn, online, entries);
    fade(this.products, p);
    this.social.tick(k, buf, { e, giveaway, flashOn, entries, online, pinClicks });
    this.shop.refundsDue(k, buf);
    this.reports(k, buf, online);
    this.snowball.noteSecond(k, entries, e, stay);
  }

  /**
   * The batched reports a platform feed sends: a busy room reports entries and likes every second
   * and the bag every 2 s (their batches fill faster); a quiet one every 2 s and 5 s.
   */
  private reports(k: number, buf: Buffer, online: number): void {
    const busy = online >= 1000;
    if (busy || k % 2 === 1) {
      this.audience.flushEnters(buf, this.ts(k, 995));
      this.social.flushLikes(buf, this.ts(k, 996));
    }
    if (busy ? k % 2 === 1 : k % 5 === 4) flushBag(this.products, buf, this.ts(k, 992));
    if (k % 5 === 4) this.social.flushSocial(buf, this.ts(k, 997));
    if (k % 10 === 9) this.ads.flush(buf, this.ts(k, 998), false);
    else this.ads.flush(buf, this.ts(k, 998), true);
    if (k % 30 === 29) flushStock(this.products, buf, this.ts(k, 993));
    if (k >= this.nextViewersAt) {
      buf.push(this.viewers(this.ts(k, 999), online));
      this.nextViewersAt = k + this.rMisc.int(3, 5);
    }
  }

  private viewers(ts: number, online: number): EventBody {
    const a = this.audience;
    return { type: 'viewers', ts, online, uv: a.uv, pv: a.pv, watchSeconds: a.watchSeconds };
  }

  private finish(out: EventBody[]): void {
    const end = this.ts(this.durationSec);
    const last = end - 1;
    const buf: Buffer = [];
    this.audience.flushEnters(buf, last);
    this.social.flushLikes(buf, last);
    flushBag(this.products, buf, last);
    this.social.flushSocial(buf, last);
    flushStock(this.products, buf, last);
    this.ads.flush(buf, last, false);
    buf.push(this.viewers(last, this.audience.online()));
    for (const e of buf) out.push(e);
    out.push({ type: 'session', ts: end, status: 'ended', title: this.scenario.room.title, startedAt: this.startedAt });
    this.isEnded = true;
  }
}
