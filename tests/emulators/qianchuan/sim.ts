/**
 * Grows the account's figures second by second, deterministically from the seed: room entries
 * (with a slow wave), interactions, product clicks, orders placed mostly on the product being
 * explained (stock falls, an empty product sells no more), an explain rotation with one product
 * BEINGEXPLAIN at a time, and each delivering plan's spend — its rate set by the plan's daily budget,
 * bid or ROI goal — buying shows, clicks, entries and attributed orders. A budget change or a pause
 * therefore shows in the very next poll's growth.
 */
import { Carry } from './rand.ts';
import { dayStart } from './time.ts';
import type { FlowChannel, Plan, ProductState, Room, World } from './state.ts';

const STEP_MS = 1000;
/** A plan spends its whole day budget in about this many hours of live room at neutral bid. */
const BUDGET_HOURS = 4;
/** cpa_bid (元) at which a bid plan spends at the neutral rate; roi_goal likewise. */
const NEUTRAL_BID_YUAN = 40;
const NEUTRAL_ROI = 2.5;
const INFINITE_BUDGET_FEN_PER_SEC = 30_000 / 3600;

const NATURAL_FLOW: readonly [FlowChannel, number][] = [
  ['homepage_hot', 44], ['video_to_live', 12], ['homepage_follow', 9], ['general_search', 6], ['live_merge', 5],
  ['douyin_shopping_center', 5], ['homepage_fresh', 4], ['others_homepage', 4], ['other_recommend_live', 4],
  ['ecom_other', 3], ['activity', 2], ['touxi_saas', 1], ['live_xiao_dian_qian_chuan', 1],
];
const NATURAL_WEIGHTS = NATURAL_FLOW.map(([, w]) => w);

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export class Simulation {
  private readonly carry = new Carry();
  constructor(private readonly w: World) {}

  /** Simulates whole seconds up to `t`; a remainder below a second waits for the next call. */
  runTo(t: number): void {
    // Nothing grows while no room is live or about to go live: skip straight to t.
    const quiet = !this.w.rooms.some((r) => r.status === 'LIVING' || (r.status === 'PREPARE' && r.startedAt <= t));
    if (quiet && t > this.w.simTime) this.w.simTime += Math.floor((t - this.w.simTime) / STEP_MS) * STEP_MS;
    while (this.w.simTime + STEP_MS <= t) {
      this.w.simTime += STEP_MS;
      this.step(this.w.simTime);
    }
  }

  /** A room added while LIVING starts explaining at once, so the first read already shows one product being explained. */
  begin(room: Room): void {
    if (room.status === 'LIVING') this.rotateExplain(room, this.w.simTime);
  }

  endRoom(room: Room, at: number): void {
    room.status = 'FINISH';
    room.endedAt = at;
    for (const p of room.products) if (p.explainStatus === 'BEINGEXPLAIN') p.explainStatus = 'HASEXPLAIN';
  }

  /** Puts `product` on explain now (as an operator pinning it); the rotation resumes from it. */
  explain(room: Room, product: ProductState, at: number): void {
    for (const p of room.products) if (p.explainStatus === 'BEINGEXPLAIN') p.explainStatus = 'HASEXPLAIN';
    product.explainStatus = 'BEINGEXPLAIN';
    product.explainCount++;
    room.nextExplainAt = at + room.explainEveryMs;
  }

  private step(t: number): void {
    for (const room of this.w.rooms) this.stepRoom(room, t);
  }

  private stepRoom(room: Room, t: number): void {
    if (room.status === 'PREPARE' && t >= room.startedAt) {
      room.status = 'LIVING';
      room.nextExplainAt = t;
    }
    if (room.status === 'LIVING' && room.endsAt !== null && t >= room.endsAt) this.endRoom(room, room.endsAt);
    if (room.status !== 'LIVING') return;
    if (t >= room.nextExplainAt) this.rotateExplain(room, t);

    const rng = this.w.rng;
    const key = `r${room.roomId}`;
    const wave = 1 + 0.3 * Math.sin((2 * Math.PI * (t - room.startedAt)) / 1_200_000);
    const c = room.totals;
    const natural = this.carry.take(`${key}:enter`, room.entriesPerSec * wave * rng.between(0.7, 1.3));
    c.watch += natural;
    this.spreadEntries(room, natural);
    c.comments += this.carry.take(`${key}:comment`, natural * 0.25);
    c.shares += this.carry.take(`${key}:share`, natural * 0.02);
    c.follows += this.carry.take(`${key}:follow`, natural * 0.03);
    c.fansClub += this.carry.take(`${key}:fans`, natural * 0.006);
    const gifts = this.carry.take(`${key}:gift`, natural * 0.01);
    c.gifts += gifts;
    c.giftAmount += gifts * Math.round(rng.between(1, 30));
    c.cartClicks += this.carry.take(`${key}:cart`, natural * 0.3);
    this.productClicks(room, this.carry.take(`${key}:pclick`, natural * 0.18));
    const orders = this.carry.take(`${key}:order`, natural * 0.012 * rng.between(0.6, 1.4));
    let placed = 0;
    for (let i = 0; i < orders; i++) if (this.placeOrder(room, null) > 0) placed++;
    c.createOrders += this.carry.take(`${key}:unpaid`, placed * 0.15);

    for (const plan of this.w.plans) {
      if (plan.advertiserId === room.advertiserId && plan.awemeId === room.awemeId && plan.optStatus === 'ENABLE') this.stepPlan(plan, room, t, wave);
    }
  }

  /** Spend per second at full delivery: the day budget over BUDGET_HOURS, scaled by how aggressive the bid or ROI goal is. */
  private rateFenPerSec(plan: Plan): number {
    const base = plan.budgetMode === 'BUDGET_MODE_DAY' ? plan.budgetFen / (BUDGET_HOURS * 3600) : INFINITE_BUDGET_FEN_PER_SEC;
    if (plan.roiGoal !== null) return base * clamp(NEUTRAL_ROI / plan.roiGoal, 0.25, 4);
    if (plan.bidFen !== null) return base * clamp(plan.bidFen / (NEUTRAL_BID_YUAN * 100), 0.25, 4);
    return base * 1.3;
  }

  private stepPlan(plan: Plan, room: Room, t: number, wave: number): void {
    const rng = this.w.rng;
    if (plan.dayKey !== dayStart(t)) {
      plan.dayKey = dayStart(t);
      plan.dayCostFen = 0;
    }
    const key = `p${plan.adId}`;
    const left = this.w.budgetLeftFen(plan);
    if (left <= 0) return;
    const cost = Math.min(left, this.carry.take(`${key}:cost`, this.rateFenPerSec(plan) * wave * rng.between(0.8, 1.2)));
    if (cost <= 0) return;
    const f = this.w.figures(plan, t);
    const yuan = cost / 100;
    f.costFen += cost;
    plan.dayCostFen += cost;
    plan.totalCostFen += cost;
    const shows = this.carry.take(`${key}:show`, (yuan / plan.cpm) * 1000);
    const clicks = this.carry.take(`${key}:click`, shows * plan.ctr);
    const entries = this.carry.take(`${key}:enter`, clicks * 0.85);
    const productClicks = this.carry.take(`${key}:pclick`, entries * 0.3);
    const oneMinute = this.carry.take(`${key}:1min`, entries * 0.4);
    f.shows += shows;
    f.clicks += clicks;
    f.entries += entries;
    f.productClicks += productClicks;
    f.watchOneMinute += oneMinute;
    f.comments += this.carry.take(`${key}:comment`, entries * 0.2);
    f.shares += this.carry.take(`${key}:share`, entries * 0.02);
    f.follows += this.carry.take(`${key}:follow`, entries * 0.03);
    f.fansClub += this.carry.take(`${key}:fans`, entries * 0.005);

    const roi = (plan.roiGoal ?? NEUTRAL_ROI) * plan.roiScale;
    const expectedOrders = (yuan * roi) / Math.max(1, this.averagePriceYuan(room));
    const orders = this.carry.take(`${key}:order`, expectedOrders * rng.between(0.7, 1.3));
    let paid = 0;
    for (let i = 0; i < orders; i++) {
      const price = this.placeOrder(room, plan);
      if (price <= 0) continue;
      paid++;
      f.payOrders++;
      f.payFen += price;
      f.createOrders++;
      f.createFen += price;
      if (rng.next() < 0.03) {
        f.refundOrders++;
        f.refundFen += price;
      }
    }
    const unpaid = this.carry.take(`${key}:unpaid`, paid * 0.15);
    f.createOrders += unpaid;
    f.createFen += unpaid * Math.round(this.averagePriceYuan(room) * 100);
    const convert = this.convertOf(plan.externalAction, { entries, productClicks, payOrders: paid, createOrders: paid + unpaid });
    f.convert += convert;

    const c = room.totals;
    c.watch += entries;
    c.createOrders += unpaid;
    c.flowEntries.live_pc_qian_chuan += entries;
    this.productClicks(room, productClicks);
    if (plan.kind !== 'standard') return;
    // Only 标准推广 feeds the room's ad-attributed figures: today_live and report/today_live are
    // 标准推广 reports here, and 全域 spend is read from uni_promotion/list (an emulator choice).
    c.costFen += cost;
    c.shows += shows;
    c.clicks += clicks;
    c.convert += convert;
    c.adEntries += entries;
    c.adCreateOrders += unpaid;
    c.watchOneMinute += oneMinute;
    const explained = room.products.find((p) => p.explainStatus === 'BEINGEXPLAIN') ?? room.products[0];
    if (explained) explained.costFen += cost;
  }

  private convertOf(action: string, n: { entries: number; productClicks: number; payOrders: number; createOrders: number }): number {
    if (action === 'AD_CONVERT_TYPE_LIVE_ENTER_ACTION') return n.entries;
    if (action === 'AD_CONVERT_TYPE_LIVE_CLICK_PRODUCT_ACTION') return n.productClicks;
    if (action === 'AD_CONVERT_TYPE_LIVE_SUCCESSORDER_ACTION') return n.createOrders;
    return n.payOrders;
  }

  private averagePriceYuan(room: Room): number {
    const inStock = room.products.filter((p) => p.stock > 0);
    if (!inStock.length) return 100;
    return inStock.reduce((s, p) => s + p.priceFen, 0) / inStock.length / 100;
  }

  private weight(p: ProductState): number {
    return p.explainStatus === 'BEINGEXPLAIN' ? 8 : p.explainStatus === 'HASEXPLAIN' ? 1.5 : 0.5;
  }

  /** One paid order of one item; returns its price in fen, or 0 when nothing is in stock. */
  private placeOrder(room: Room, plan: Plan | null): number {
    const rng = this.w.rng;
    const i = rng.pick(room.products.map((p) => (p.stock > 0 ? this.weight(p) : 0)));
    const p = room.products[i];
    if (!p) return 0;
    const c = room.totals;
    p.stock--;
    p.orders++;
    p.gmvFen += p.priceFen;
    c.payOrders++;
    c.createOrders++;
    c.gmvFen += p.priceFen;
    if (plan === null) {
      const ch = NATURAL_FLOW[rng.pick(NATURAL_WEIGHTS)]![0];
      c.flowGmvFen[ch] += p.priceFen;
      return p.priceFen;
    }
    c.flowGmvFen.live_pc_qian_chuan += p.priceFen;
    if (plan.kind === 'standard') {
      p.adOrders++;
      p.adGmvFen += p.priceFen;
      c.adPayOrders++;
      c.adCreateOrders++;
      c.adGmvFen += p.priceFen;
      if (rng.next() < 0.03) {
        p.refundFen += p.priceFen;
        c.adRefundOrders++;
        c.adRefundFen += p.priceFen;
      }
    }
    return p.priceFen;
  }

  /** Room-level product clicks, each landing on a product (mostly the one being explained). */
  private productClicks(room: Room, n: number): void {
    room.totals.productClicks += n;
    const weights = room.products.map((p) => this.weight(p));
    for (let k = 0; k < n; k++) {
      const p = room.products[this.w.rng.pick(weights)];
      if (p) p.clicks++;
    }
  }

  private spreadEntries(room: Room, n: number): void {
    const key = `r${room.roomId}:flow`;
    const total = NATURAL_WEIGHTS.reduce((a, b) => a + b, 0);
    for (const [ch, w] of NATURAL_FLOW) room.totals.flowEntries[ch] += this.carry.take(`${key}:${ch}`, (n * w) / total);
  }

  /** The next product in list order that still has stock takes the explain; the previous one has been explained. */
  private rotateExplain(room: Room, t: number): void {
    room.nextExplainAt = t + room.explainEveryMs;
    const n = room.products.length;
    if (!n) return;
    const cur = room.products.findIndex((p) => p.explainStatus === 'BEINGEXPLAIN');
    for (let k = 1; k <= n; k++) {
      const next = room.products[(cur + k + n) % n]!;
      if (next.stock <= 0) continue;
      if (cur >= 0) room.products[cur]!.explainStatus = 'HASEXPLAIN';
      next.explainStatus = 'BEINGEXPLAIN';
      next.explainCount++;
      return;
    }
  }
}
