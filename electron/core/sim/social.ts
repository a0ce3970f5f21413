/**
 * The room's social noise: comments (with demand words tied to clicks), likes, follows,
 * fans-club joins, shares and gifts, and their batched reports. Draws from the social stream only.
 */
import type { Audience } from './audience.ts';
import type { Host } from './host.ts';
import { MODEL, ctrMult, type Buffer, type Stamp } from './params.ts';
import type { ProductState } from './products.ts';
import type { Rng } from './rng.ts';
import type { Scenario } from './scenario.ts';
import { BOUGHT, CHAT, DEMAND, FLASH, GIFTS, GIVEAWAY_CHAT, GREETINGS, QUESTIONS, SIZE_ASKS, SOLD_OUT, nicknameFor, pickText } from './texts.ts';

/** This second in the room, as the chat reacts to it. */
export interface SocialMoment {
  e: number;
  giveaway: boolean;
  flashOn: boolean;
  entries: number;
  online: number;
  pinClicks: number;
}

const COMMENT_KINDS = ['demand', 'question', 'size', 'soldOut', 'flash', 'giveaway', 'bought', 'greet', 'chat'] as const;

export class Social {
  /** The click rate per online viewer-minute a normal pitch draws; demand comments scale with it. */
  private readonly refClickRate: number;
  private clickEma = 0;
  private recentOrders = 0;
  private likesTotal = 0;
  private likesAcc = 0;
  private followAcc = 0;
  private fansclubAcc = 0;
  private shareAcc = 0;
  private giftN = 0;
  private giftFen = 0;
  private readonly scenario: Scenario;
  private readonly audience: Audience;
  private readonly host: Host;
  private readonly rSocial: Rng;
  private readonly ts: Stamp;

  constructor(scenario: Scenario, products: readonly ProductState[], audience: Audience, host: Host, rSocial: Rng, ts: Stamp) {
    this.scenario = scenario;
    this.audience = audience;
    this.host = host;
    this.rSocial = rSocial;
    this.ts = ts;
    const avgCtr = products.reduce((s, p) => s + p.spec.truth.ctr, 0) / products.length;
    this.refClickRate = Math.max(1e-4, 60 * MODEL.pinExposurePerViewerSec * avgCtr * ctrMult(MODEL.refFreshness));
  }

  /** An order was placed: buyers' "拍了" comments follow recent orders. */
  noteOrder(): void {
    this.recentOrders += 1;
  }

  /** Comments (with demand words tied to clicks), likes, follows, fans-club joins, shares and gifts. */
  tick(k: number, buf: Buffer, s: SocialMoment): void {
    const tr = this.scenario.traffic;
    const { e, giveaway, online } = s;
    this.clickEma += 0.1 * ((online > 0 ? (s.pinClicks * 60) / online : 0) - this.clickEma);
    const demand = Math.min(3, this.clickEma / this.refClickRate);
    this.recentOrders *= 0.9;
    const commentRate = tr.commentRate ?? 0.05;
    const nComments = this.rSocial.poisson(((online * commentRate) / 60) * e * (0.7 + 0.3 * demand) * (giveaway ? 1.6 : 1));
    for (let i = 0; i < nComments; i++) this.comment(k, buf, demand, s);
    this.likesAcc += this.rSocial.poisson(((online * (tr.likeRate ?? 0.8)) / 60) * e);
    const followMean = (online / tr.staySec) * (tr.followRate ?? 0.02) * e * (giveaway ? 1.5 : 1);
    this.followAcc += this.rSocial.poisson(followMean);
    this.fansclubAcc += this.rSocial.poisson(followMean * 0.12);
    this.shareAcc += this.rSocial.poisson(((online * 0.004) / 60) * e * (giveaway ? 2 : 1));
    const gifts = this.rSocial.poisson(((online * (tr.giftRate ?? 0.002)) / 60) * e);
    for (let i = 0; i < gifts; i++) {
      const g = this.rSocial.weighted(GIFTS, GIFTS.map((x) => x.weight));
      this.giftN++;
      this.giftFen += g.valueFen;
    }
  }

  flushLikes(buf: Buffer, ts: number): void {
    if (this.likesAcc <= 0) return;
    this.likesTotal += this.likesAcc;
    buf.push({ type: 'like', ts, n: this.likesAcc, total: this.likesTotal });
    this.likesAcc = 0;
  }

  flushSocial(buf: Buffer, ts: number): void {
    if (this.followAcc > 0) buf.push({ type: 'follow', ts, n: this.followAcc });
    if (this.fansclubAcc > 0) buf.push({ type: 'fansclub', ts, n: this.fansclubAcc });
    if (this.shareAcc > 0) buf.push({ type: 'share', ts, n: this.shareAcc });
    if (this.giftN > 0) buf.push({ type: 'gift', ts, n: this.giftN, valueFen: this.giftFen });
    this.followAcc = this.fansclubAcc = this.shareAcc = this.giftN = this.giftFen = 0;
  }

  private comment(k: number, buf: Buffer, demand: number, s: SocialMoment): void {
    const r = this.rSocial;
    const p = this.host.pinned;
    const { giveaway, flashOn, entries, online } = s;
    const selling = p !== null && !p.soldOut;
    const asks = p?.spec.asks ?? [];
    const weights = [
      selling ? 0.06 + 0.2 * demand : 0.02,
      selling ? 0.12 : 0.02,
      selling && (p.apparel || asks.length > 0) ? 0.05 + 0.12 * demand : 0,
      p?.soldOut ? 0.35 : 0,
      flashOn ? 0.35 : 0,
      giveaway ? 0.45 : 0,
      Math.min(0.25, 0.02 + (this.recentOrders / Math.max(1, online)) * 200),
      0.04 + Math.min(0.2, (entries / Math.max(1, online)) * 30),
      0.35,
    ];
    const kind = r.weighted(COMMENT_KINDS, weights);
    const text = this.commentText(kind, p, asks);
    const n = online;
    if (n <= 0) return;
    const viewer = this.audience.viewerAt(r.int(0, n - 1));
    buf.push({ type: 'comment', ts: this.ts(k, r.int(0, 989)), text, userId: `u${viewer}`, nickname: nicknameFor(viewer) });
  }

  private commentText(kind: (typeof COMMENT_KINDS)[number], p: ProductState | null, asks: readonly string[]): string {
    const r = this.rSocial;
    const name = p?.shortName ?? '这个';
    const link = p?.linkNo ?? 1;
    switch (kind) {
      case 'demand':
        return pickText(r, DEMAND, name, link);
      case 'question':
        return pickText(r, QUESTIONS, name, link);
      case 'size':
        return asks.length && (r.chance(0.6) || !p?.apparel) ? pickText(r, asks, name, link) : pickText(r, SIZE_ASKS, name, link);
      case 'soldOut':
        return pickText(r, SOLD_OUT, name, link);
      case 'flash':
        return pickText(r, FLASH, name, link);
      case 'giveaway':
        return r.chance(0.85) ? this.host.giveawayPhrase : r.pick(GIVEAWAY_CHAT);
      case 'bought':
        return pickText(r, BOUGHT, name, link);
      case 'greet':
        return r.pick(GREETINGS);
      default:
        return r.pick(CHAT);
    }
  }
}
