/**
 * Rotation suggestions of one live session, for the core: the engine
 * fed with the session's validated events, recomputed at most once a second (never per event),
 * stabilised for the screen (shared/suggest/stable.ts), and turned into decision-log rows — one
 * "shown" per suggestion appearance, "accepted" with the command it sent, "dismissed" with why.
 */
import { SuggestionEngine } from '../../../shared/suggest/engine.ts';
import { SuggestionStabiliser, type StableView } from '../../../shared/suggest/stable.ts';
import type { Decision, DecisionAction, LiveSuggestions, ShownPlay, ShownSuggestion, ShownSwitch } from '../../../shared/suggest/live.ts';
import type { LearnedPriors, ProductEstimate } from '../../../shared/suggest/types.ts';
import { adherence, reorderRest, type PlanItem } from '../../../shared/suggest/plan.ts';
import type { Divergence, RunOfShowLive } from '../../../shared/suggest/live.ts';
import type { FeedCommand, KnownFeedEvent } from '../../../shared/protocol.ts';
import type { BoardFigures } from '../../../shared/suggest/board.ts';
import { flashOffer, type FlashOffer } from '../../../shared/suggest/flash.ts';

export interface SuggestServiceOptions {
  roomId: string;
  sessionId: string;
  priors: LearnedPriors | null;
  /** wall-clock ms between two computations (default 1000) */
  minIntervalMs?: number;
}

/** Suggestions kept findable by id after they left the screen, for a click that raced the update. */
const RECENT_LIMIT = 100;
/** Suggestion ids remembered as already logged "shown". */
const LOGGED_LIMIT = 2_000;

export class SuggestService {
  readonly engine: SuggestionEngine;
  private readonly stabiliser = new SuggestionStabiliser();
  private readonly minIntervalMs: number;
  private dirty = true;
  private lastComputeAt = -Infinity;
  private live: LiveSuggestions | null = null;
  private liveKey = '';
  /** Suggestion ids whose "shown" row was written. */
  private readonly logged = new Set<string>();
  private readonly recent = new Map<string, ShownSuggestion>();
  /** Ids already accepted or dismissed: the first decision stands. */
  private readonly decided = new Map<string, Decision>();
  private ended = false;
  /** What the engine was built from: shown on the panel. */
  readonly learnedSessions: number;
  /** The room's run-of-show and the show minute its clock starts at. */
  private plan: PlanItem[] = [];
  private planAnchorMin = 0;
  private reorder: { rest: PlanItem[]; untilMin: number } | null = null;

  constructor(private readonly opts: SuggestServiceOptions) {
    this.engine = new SuggestionEngine({ priors: opts.priors });
    this.minIntervalMs = opts.minIntervalMs ?? 1000;
    this.learnedSessions = opts.priors?.sessions ?? 0;
  }

  /** The hot path: O(1)-ish per event (the engine keeps running sums). */
  observe(e: KnownFeedEvent): void {
    if (this.ended) return;
    this.engine.observe(e);
    this.dirty = true;
  }

  /**
   * The room's run-of-show. `fromNow`: set during the show (imported or re-ordered), so the
   * plan's clock starts with the product explained now if it is the plan's first item, else now.
   */
  setPlan(items: readonly PlanItem[], fromNow: boolean): void {
    this.plan = items.map((i) => ({ productId: i.productId, minutes: i.minutes }));
    this.engine.setPlan(this.plan);
    this.reorder = null;
    this.planAnchorMin = 0;
    if (fromNow) {
      const history = this.engine.pinHistory();
      const cur = history.length && history[history.length - 1]?.endMin === null ? history[history.length - 1] : undefined;
      this.planAnchorMin = cur && cur.productId === this.plan[0]?.productId ? cur.startMin : Math.max(0, this.engine.showMinute());
    }
    this.dirty = true;
  }

  /** Adherence, and a re-ordered rest when the show has left its plan. */
  private runOfShow(nowTs: number, estimates: readonly ProductEstimate[], soldOut: ReadonlySet<string>): RunOfShowLive | null {
    if (!this.plan.length) return null;
    const anchor = this.planAnchorMin;
    const nowMin = this.engine.showMinute(nowTs);
    const history = this.engine
      .pinHistory()
      .filter((s) => (s.endMin ?? nowMin) > anchor)
      .map((s) => ({ productId: s.productId, startMin: Math.max(0, s.startMin - anchor), endMin: s.endMin === null ? null : s.endMin - anchor }));
    const a = adherence(this.plan, history, nowMin - anchor);
    const n = this.plan.length;
    const rest: PlanItem[] = [];
    for (let k = 1; k < n; k++) {
      const item = this.plan[(a.cursor + k) % n];
      if (item) rest.push(item);
    }
    const est = new Map(estimates.map((e) => [e.productId, e]));
    const divergence: Divergence[] = [];
    if (a.status === 'behind' && a.driftMin <= -3) divergence.push('behind');
    if (a.status === 'ahead' && a.driftMin >= 3) divergence.push('ahead');
    if (a.skipped.length) divergence.push('skipped');
    if (a.status === 'offPlan') divergence.push('offPlan');
    if (rest.some((i) => soldOut.has(i.productId) || est.get(i.productId)?.soldOut)) divergence.push('soldOut');
    if (!divergence.length) this.reorder = null;
    else if (!this.reorder || nowMin >= this.reorder.untilMin) {
      const ordered = reorderRest(rest, estimates).sort((x, y) => Number(soldOut.has(x.productId)) - Number(soldOut.has(y.productId)));
      // Only worth showing when it changes the order; kept for 5 show-minutes so it does not flicker.
      this.reorder = ordered.some((i, k) => i.productId !== rest[k]?.productId) ? { rest: ordered, untilMin: nowMin + 5 } : null;
    }
    return { items: this.plan, adherence: a, rest, divergence, suggestedRest: this.reorder?.rest ?? null, anchorMin: anchor };
  }

  /** The show ended: no more suggestions. */
  end(): void {
    this.ended = true;
    this.dirty = true;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Recomputes when events arrived and the interval passed (or `force`). Returns the new view when
   * what the screen shows changed, and the "shown" rows of suggestions that just appeared.
   * `board`: the product board's rows and the room's KPIs as the screen shows them (asked for only
   * when recomputing), so every rate and price a card quotes is the board's.
   */
  tick(nowTs: number, wallNow: number, force = false, board?: () => BoardFigures): { live: LiveSuggestions | null; shown: Decision[] } | null {
    if (!force && (!this.dirty || wallNow - this.lastComputeAt < this.minIntervalMs)) return null;
    this.dirty = false;
    this.lastComputeAt = wallNow;
    if (this.ended) {
      if (this.live === null && this.liveKey === 'ended') return null;
      this.live = null;
      this.liveKey = 'ended';
      return { live: null, shown: [] };
    }
    const figures = board?.();
    const raw = this.engine.suggest(nowTs, figures);
    const estimates = [...raw.nextUp, ...(raw.pinned ? [raw.pinned] : [])];
    const live = this.toLive(this.stabiliser.update(raw), estimates, raw.exposuresPerMin, figures);
    live.runOfShow = this.runOfShow(nowTs, estimates, new Set(raw.soldOutProductIds ?? []));
    const shown: Decision[] = [];
    for (const item of shownItems(live)) {
      this.remember(item);
      if (this.logged.has(item.id)) continue;
      this.logged.add(item.id);
      // An eight-hour show shows tens of thousands; one seen again after this many others is
      // logged again, and the store keeps one row per suggestion and action anyway.
      if (this.logged.size > LOGGED_LIMIT) this.logged.delete(this.logged.values().next().value!);
      shown.push(this.decision(item, 'shown', live.ts, wallNow, null, null));
    }
    // Values move a little with every event; the screen needs an update when what it shows changed.
    const key = JSON.stringify(live, (k, v: unknown) => (k === 'ts' ? undefined : typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
    if (key === this.liveKey && !shown.length) return null;
    this.live = live;
    this.liveKey = key;
    return { live, shown };
  }

  current(): LiveSuggestions | null {
    return this.ended ? null : this.live;
  }

  find(id: string): ShownSuggestion | undefined {
    return this.recent.get(id);
  }

  decisionOf(id: string): Decision | undefined {
    return this.decided.get(id);
  }

  /** The relay command accepting this suggestion sends. */
  commandFor(item: ShownSuggestion): FeedCommand {
    switch (item.kind) {
      case 'next-up':
        return { type: 'pin', productId: item.productId };
      case 'switch-now':
        if (!item.toProductId) throw new Error('nothing better to switch to yet');
        return { type: 'pin', productId: item.toProductId };
      case 'play':
        return item.flash ? { type: 'flash', productId: item.productId, priceFen: item.flash.priceFen, stock: item.flash.stock } : { type: 'pin', productId: item.productId };
    }
  }

  /** Records the operator's answer (the caller has sent the command for an accept); the first answer stands. */
  decide(
    item: ShownSuggestion,
    action: 'accepted' | 'dismissed',
    nowTs: number,
    wallNow: number,
    command: FeedCommand | null,
    reason: string | null,
    who: { byName: string | null; byRole: string | null },
  ): Decision {
    const prior = this.decided.get(item.id);
    if (prior) return prior;
    const d = { ...this.decision(item, action, nowTs, wallNow, command, reason), ...who };
    this.decided.set(item.id, d);
    // The stabiliser knows the id without the session prefix.
    const stableId = item.id.startsWith(`${this.opts.sessionId}|`) ? item.id.slice(this.opts.sessionId.length + 1) : item.id;
    if (action === 'accepted') this.stabiliser.accepted(stableId, nowTs);
    else this.stabiliser.dismiss(stableId, nowTs);
    this.dirty = true;
    this.lastComputeAt = -Infinity;
    return d;
  }

  /** What this show taught, for the next show of the room. */
  learned(nowTs?: number): LearnedPriors {
    return this.engine.learned(nowTs);
  }

  private remember(item: ShownSuggestion): void {
    this.recent.delete(item.id);
    this.recent.set(item.id, item);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  private decision(item: ShownSuggestion, action: DecisionAction, ts: number, at: number, command: FeedCommand | null, reason: string | null): Decision {
    return {
      suggestionId: item.id,
      sessionId: this.opts.sessionId,
      roomId: this.opts.roomId,
      ts,
      at,
      kind: item.kind,
      productId: item.productId,
      action,
      figures: figuresOf(item),
      reasons: item.kind === 'next-up' ? item.estimate.reasons : item.kind === 'switch-now' ? item.reasons : item.play.reasons,
      byName: null,
      byRole: null,
      reason,
      command,
    };
  }

  private toLive(v: StableView, estimates: readonly ProductEstimate[], exposuresPerMin: number, board: BoardFigures | undefined): LiveSuggestions {
    const prefix = this.opts.sessionId;
    const all = new Map(estimates.map((e) => [e.productId, e]));
    const title = (id: string | null) => (id === null ? null : (all.get(id)?.title ?? id));
    const pinned = v.pinnedProductId ? (all.get(v.pinnedProductId) ?? null) : null;
    const switchNow: ShownSwitch | null = v.switchNow
      ? {
          id: `${prefix}|${v.switchNow.id}`,
          kind: 'switch-now',
          productId: v.switchNow.productId,
          title: title(v.switchNow.productId) ?? v.switchNow.productId,
          toProductId: v.switchNow.toProductId,
          toTitle: title(v.switchNow.toProductId),
          confidence: v.switchNow.confidence,
          reasons: v.switchNow.reasons,
        }
      : null;
    const plays: ShownPlay[] = v.plays.map((p) => {
      const est = all.get(p.play.productId);
      return {
        id: `${prefix}|${p.id}`,
        kind: 'play',
        productId: p.play.productId,
        title: est?.title ?? p.play.productId,
        play: p.play,
        flash: p.play.action === 'flash' ? flashFor(est, board) : null,
      };
    });
    return {
      roomId: this.opts.roomId,
      sessionId: this.opts.sessionId,
      ts: v.ts,
      pinnedProductId: v.pinnedProductId,
      pinned,
      top: v.top ? { id: `${prefix}|${v.top.id}`, kind: 'next-up', productId: v.top.productId, title: v.top.estimate.title, estimate: v.top.estimate, chance: v.topChance } : null,
      nextUp: v.nextUp,
      switchNow,
      plays,
      exposuresPerMin,
      learnedSessions: this.learnedSessions,
    };
  }
}

function shownItems(l: LiveSuggestions): ShownSuggestion[] {
  return [...(l.top ? [l.top] : []), ...(l.switchNow ? [l.switchNow] : []), ...l.plays];
}

function figuresOf(item: ShownSuggestion): Decision['figures'] {
  switch (item.kind) {
    case 'next-up': {
      const e = item.estimate;
      return {
        title: item.title,
        valueFenPerMin: Math.round(e.valueFenPerMin),
        sdFenPerMin: Math.round(e.sdFenPerMin),
        scoreFenPerMin: Math.round(e.scoreFenPerMin),
        ctr: round4(e.ctr),
        cvr: round4(e.cvr),
        freshness: round4(e.freshness),
        confidence: item.chance ? round4(item.chance.chance) : null,
        versusProductId: item.chance?.versus.productId ?? null,
      };
    }
    case 'switch-now':
      return { title: item.title, toProductId: item.toProductId, toTitle: item.toTitle, confidence: round4(item.confidence) };
    case 'play':
      return { title: item.title, play: item.play.kind, action: item.play.action, flashPriceFen: item.flash?.priceFen ?? null, flashStock: item.flash?.stock ?? null, flashListPriceFen: item.flash?.listPriceFen ?? null };
  }
}

/** The 秒杀 offer on the price and stock the board shows (the engine's own when there is no board). */
function flashFor(est: ProductEstimate | undefined, board: BoardFigures | undefined): FlashOffer | null {
  if (!est) return null;
  const row = board?.products.get(est.productId);
  return flashOffer({ priceFen: row?.priceFen ?? est.priceFen, stock: row ? row.stock : est.stock, soldOut: est.soldOut });
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
