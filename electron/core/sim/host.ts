/**
 * The host: the product explained (pinned), the run-of-show under autopilot, flash deals (秒杀)
 * and giveaways (福袋) — and what they make of the room each second: how engaging it is and how
 * long a viewer stays. Draws from the misc stream only.
 */
import type { CommandAck, FeedCommand } from '../../../shared/protocol.ts';
import { MODEL, yuan, type Buffer, type Stamp } from './params.ts';
import type { ProductState } from './products.ts';
import type { Rng } from './rng.ts';
import type { Scenario } from './scenario.ts';
import { GIVEAWAY_PHRASES } from './texts.ts';

export interface Flash {
  productId: string;
  priceFen: number;
  remaining: number;
  endsAtSec: number;
}

/** The room this second: the product explained, whether its flash deal runs, engagement e and stay (s). */
export interface RoomState {
  p: ProductState | null;
  flashOn: boolean;
  e: number;
  stay: number;
}

type PinCommand = Extract<FeedCommand, { type: 'pin' }>;
type FlashCommand = Extract<FeedCommand, { type: 'flash' }>;

export class Host {
  pinned: ProductState | null = null;
  flash: Flash | null = null;
  giveawayPhrase = '';
  autopilot: boolean;
  private planCursor = -1;
  private slotLeftSec = 0;
  private giveawayEndsAt = -1;
  private nextGiveawayAt: number;
  private readonly scenario: Scenario;
  private readonly byId: ReadonlyMap<string, ProductState>;
  private readonly rMisc: Rng;
  private readonly ts: Stamp;

  constructor(scenario: Scenario, byId: ReadonlyMap<string, ProductState>, rMisc: Rng, ts: Stamp, autopilot: boolean) {
    this.scenario = scenario;
    this.byId = byId;
    this.rMisc = rMisc;
    this.ts = ts;
    this.autopilot = autopilot;
    const every = scenario.traffic.giveawayEveryMin ?? 20;
    this.nextGiveawayAt = every > 0 ? Math.round(this.rMisc.uniform(0.45, 0.75) * every * 60) : Number.POSITIVE_INFINITY;
  }

  setAutopilot(on: boolean): void {
    if (on && !this.autopilot) this.slotLeftSec = 0; // resume the plan with its next item
    this.autopilot = on;
  }

  pin(cmd: PinCommand, buf: Buffer, sec: number): CommandAck {
    if (cmd.productId === null) {
      this.setPin(null, buf, sec);
      if (this.autopilot) this.slotLeftSec = MODEL.manualPinSec;
      return { ok: true };
    }
    const p = this.byId.get(cmd.productId);
    if (!p) return { ok: false, error: `unknown product "${cmd.productId}"` };
    if (p.soldOut) return { ok: false, error: `product "${cmd.productId}" is sold out` };
    this.setPin(p, buf, sec);
    if (this.autopilot) {
      // On autopilot the host explains it for its planned time, then goes on with the plan.
      const item = this.scenario.plan.find((i) => i.productId === p.spec.id);
      this.slotLeftSec = item ? Math.round(item.minutes * 60) : MODEL.manualPinSec;
    }
    return { ok: true };
  }

  startFlash(cmd: FlashCommand, buf: Buffer, sec: number): CommandAck {
    const p = this.byId.get(cmd.productId);
    if (!p) return { ok: false, error: `unknown product "${cmd.productId}"` };
    if (p.soldOut) return { ok: false, error: `product "${cmd.productId}" is sold out` };
    if (this.flash) return { ok: false, error: `a flash deal is already running on "${this.flash.productId}"` };
    if (cmd.priceFen > p.basePriceFen) return { ok: false, error: `flash price ${cmd.priceFen} is above the regular price ${p.basePriceFen}` };
    if (p.stock !== null && cmd.stock > p.stock) return { ok: false, error: `only ${p.stock} of "${cmd.productId}" in stock` };
    const ts = this.ts(sec);
    this.flash = { productId: p.spec.id, priceFen: cmd.priceFen, remaining: cmd.stock, endsAtSec: sec + MODEL.flashSec };
    p.priceFen = cmd.priceFen;
    buf.push({ type: 'marker', ts, kind: 'flash', text: `秒杀：${p.spec.title} ¥${yuan(cmd.priceFen)}，限量${cmd.stock}件` });
    buf.push({ type: 'product', ts, productId: p.spec.id, priceFen: cmd.priceFen });
    // A 秒杀 is announced while the product is being explained.
    this.setPin(p, buf, sec);
    return { ok: true };
  }

  /** The host's second: a flash deal's end, a giveaway (福袋), the run-of-show under autopilot. Returns whether a giveaway runs. */
  tick(k: number, buf: Buffer): boolean {
    if (this.flash) {
      const fp = this.byId.get(this.flash.productId);
      if (fp && (k >= this.flash.endsAtSec || this.flash.remaining <= 0 || fp.soldOut)) {
        fp.priceFen = fp.basePriceFen;
        buf.push({ type: 'product', ts: this.ts(k), productId: fp.spec.id, priceFen: fp.basePriceFen, ...(fp.stock !== null ? { stock: fp.stock } : {}) });
        fp.stockDirty = false;
        this.flash = null;
      }
    }
    if (k >= this.nextGiveawayAt) {
      const every = this.scenario.traffic.giveawayEveryMin ?? 20;
      this.giveawayPhrase = this.rMisc.pick(GIVEAWAY_PHRASES);
      this.giveawayEndsAt = k + MODEL.giveawaySec;
      this.nextGiveawayAt = k + Math.round(this.rMisc.uniform(0.7, 1.3) * every * 60);
      buf.push({ type: 'marker', ts: this.ts(k, 1), kind: 'giveaway', text: `福袋：评论“${this.giveawayPhrase}”参与，5分钟后开奖` });
    }
    if (this.autopilot) {
      const flashHold = this.flash !== null && this.flash.productId === this.pinned?.spec.id;
      if (!flashHold && (this.slotLeftSec <= 0 || this.pinned?.soldOut)) this.nextPlanItem(buf, k);
      this.slotLeftSec--;
    }
    return k < this.giveawayEndsAt;
  }

  /** How engaging the room is this second (e) and how long a viewer stays, from the product explained. */
  roomState(giveaway: boolean): RoomState {
    const tr = this.scenario.traffic;
    const p = this.pinned;
    const flashOn = this.flash !== null && p !== null && this.flash.productId === p.spec.id;
    let f = 0.5;
    let hookEff = -0.05;
    if (p) {
      f = p.soldOut ? 0.2 : p.freshness;
      hookEff = p.soldOut ? -0.1 : p.spec.truth.hook * (0.4 + 0.6 * f) + (flashOn ? MODEL.flashHook : 0);
    }
    const e = Math.max(0.2, 0.6 + 0.3 * f + hookEff + (giveaway ? 0.3 : 0) + (flashOn ? 0.3 : 0));
    const stay = Math.max(5, tr.staySec * (1 + hookEff) * (0.85 + 0.15 * f) * (0.9 + 0.1 * e) * (giveaway ? 1.15 : 1));
    return { p, flashOn, e, stay };
  }

  private setPin(p: ProductState | null, buf: Buffer, sec: number): void {
    if (p === this.pinned) return;
    this.pinned = p;
    buf.push({ type: 'pin', ts: this.ts(sec), productId: p?.spec.id ?? null });
  }

  private nextPlanItem(buf: Buffer, k: number): void {
    const plan = this.scenario.plan;
    for (let i = 1; i <= plan.length; i++) {
      const idx = (this.planCursor + i) % plan.length;
      const item = plan[idx];
      if (!item) continue;
      const p = this.byId.get(item.productId);
      if (!p || p.soldOut) continue;
      this.planCursor = idx;
      this.slotLeftSec = Math.max(1, Math.round(item.minutes * 60));
      this.setPin(p, buf, k);
      return;
    }
    // Nothing left to sell in the plan: the host talks without a product, and checks again later.
    this.setPin(null, buf, k);
    this.slotLeftSec = 60;
  }
}
