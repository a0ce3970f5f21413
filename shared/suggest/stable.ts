/**
 * What the operator sees must not flicker (issue 4, point 9). The engine re-ranks with every
 * event, and two products a few fen apart swap places all the time; a screen that followed it
 * would be ignored within minutes. The stabiliser sits between the engine and the screen:
 *
 *   next up     the shown top pick stays until a challenger beats its score by `topMargin`
 *               in `confirmUpdates` consecutive updates (or it becomes pinned, sold out or
 *               dismissed — then the next best takes its place at once)
 *   switch now  appears after `switchOnUpdates` consecutive updates with the engine saying so
 *               (at once when the pinned product sold out), then stays until the engine has been
 *               silent for `switchOffUpdates` updates or the pinned product changed
 *   plays       the same on/off counting per kind (`retain`, `surge`), the product kept while
 *               the play stays
 *
 * Dismissed or accepted suggestions stay away for `quietMs` of show time; a dismissed switch
 * signal comes back sooner only when the engine's confidence rose by `switchComebackConfidence`
 * or the product sold out. Each suggestion gets an id when it appears and keeps it while it is
 * shown: the decision log's "shown" row is written once per id.
 *
 * One truth on the panel (issue 15): "switch to X" names the shown top pick and its certainty is
 * the same chance as the top card's (certainty.ts); the others are listed in the order of the
 * ¥/min they show, and a top pick that shows less than one of them says why (`triedFirst`).
 */
import type { Play, ProductEstimate, Reason, Suggestions, SwitchSignal } from './types.ts';
import { switchChance, winChance } from './certainty.ts';

export interface StabiliserOptions {
  topMargin?: number;
  confirmUpdates?: number;
  switchOnUpdates?: number;
  switchOffUpdates?: number;
  playOnUpdates?: number;
  playOffUpdates?: number;
  quietMs?: number;
  switchComebackConfidence?: number;
  /** how many next-up entries the view keeps */
  listSize?: number;
}

export interface StableTop {
  id: string;
  productId: string;
  estimate: ProductEstimate;
}

/** The top card's certainty: the chance it sells more than the pinned product (or, with none, the best other candidate). */
export interface TopChance {
  chance: number;
  versus: { productId: string; title: string; pinned: boolean };
}

export interface StableSwitch {
  id: string;
  productId: string;
  toProductId: string | null;
  confidence: number;
  reasons: Reason[];
}

export interface StablePlay {
  id: string;
  play: Play;
}

export interface StableView {
  ts: number;
  pinnedProductId: string | null;
  top: StableTop | null;
  /** null when there is nothing to compare the top pick with */
  topChance: TopChance | null;
  /** the best few by the engine's ranking: the stable top first, then in the order of the ¥/min they show */
  nextUp: ProductEstimate[];
  switchNow: StableSwitch | null;
  plays: StablePlay[];
}

const DEFAULTS: Required<StabiliserOptions> = {
  topMargin: 0.1,
  confirmUpdates: 2,
  switchOnUpdates: 2,
  switchOffUpdates: 3,
  playOnUpdates: 2,
  playOffUpdates: 4,
  quietMs: 5 * 60_000,
  switchComebackConfidence: 0.15,
  listSize: 5,
};

interface Quiet {
  untilTs: number;
  /** a dismissed switch signal's confidence then */
  confidence: number | null;
}

export class SuggestionStabiliser {
  private readonly o: Required<StabiliserOptions>;
  private top: StableTop | null = null;
  private challenger: { productId: string; count: number } | null = null;
  private sw: StableSwitch | null = null;
  private swOn = 0;
  private swOff = 0;
  private readonly plays = new Map<Play['kind'], { shown: StablePlay | null; on: number; off: number }>();
  /** by key: `next-up:<productId>`, `switch-now:<pinned productId>`, `play:<kind>` */
  private readonly quiet = new Map<string, Quiet>();
  private pinned: string | null = null;
  private lastTs = 0;

  constructor(opts: StabiliserOptions = {}) {
    this.o = { ...DEFAULTS, ...opts };
  }

  update(s: Suggestions): StableView {
    this.lastTs = s.ts;
    if (s.pinnedProductId !== this.pinned) {
      // A new pinned product: the old switch signal is answered, whatever it said.
      this.pinned = s.pinnedProductId;
      this.sw = null;
      this.swOn = 0;
      this.swOff = 0;
    }
    const nextUp = this.updateTop(s);
    const top = this.top && nextUp[0] ? { ...this.top, estimate: nextUp[0] } : this.top;
    return {
      ts: s.ts,
      pinnedProductId: s.pinnedProductId,
      top,
      topChance: top ? topChance(top.estimate, s.pinned, nextUp.slice(1)) : null,
      nextUp,
      switchNow: this.updateSwitch(s),
      plays: this.updatePlays(s),
    };
  }

  /** The operator said no: keep it away for a while (a switch signal: unless it grows clearly surer). */
  dismiss(id: string, ts: number = this.lastTs): void {
    this.silence(id, ts);
  }

  /** Accepted: the command is on its way; do not offer the same thing again meanwhile. */
  accepted(id: string, ts: number = this.lastTs): void {
    this.silence(id, ts);
  }

  private silence(id: string, ts: number): void {
    const until = ts + this.o.quietMs;
    if (this.top?.id === id) {
      this.quiet.set(`next-up:${this.top.productId}`, { untilTs: until, confidence: null });
      this.top = null;
      this.challenger = null;
    }
    if (this.sw?.id === id) {
      this.quiet.set(`switch-now:${this.sw.productId}`, { untilTs: until, confidence: this.sw.confidence });
      this.sw = null;
      this.swOn = 0;
      this.swOff = 0;
    }
    for (const [kind, st] of this.plays) {
      if (st.shown?.id === id) {
        this.quiet.set(`play:${kind}`, { untilTs: until, confidence: null });
        st.shown = null;
        st.on = 0;
        st.off = 0;
      }
    }
  }

  private isQuiet(key: string, ts: number): Quiet | null {
    const q = this.quiet.get(key);
    if (!q) return null;
    if (ts >= q.untilTs) {
      this.quiet.delete(key);
      return null;
    }
    return q;
  }

  private updateTop(s: Suggestions): ProductEstimate[] {
    const candidates = s.nextUp.filter((e) => !e.soldOut && e.productId !== s.pinnedProductId && !this.isQuiet(`next-up:${e.productId}`, s.ts));
    const raw = candidates[0];
    const shown = this.top ? candidates.find((e) => e.productId === this.top!.productId) : undefined;
    if (!raw) {
      this.top = null;
      this.challenger = null;
    } else if (!shown) {
      // Nothing shown, or the shown pick became ineligible: the best one now, at once.
      this.top = { id: idFor('next-up', raw.productId, s.ts), productId: raw.productId, estimate: raw };
      this.challenger = null;
    } else if (raw.productId === shown.productId) {
      this.top = { ...this.top!, estimate: shown };
      this.challenger = null;
    } else if (beats(raw.scoreFenPerMin, shown.scoreFenPerMin, this.o.topMargin)) {
      const count = this.challenger?.productId === raw.productId ? this.challenger.count + 1 : 1;
      if (count >= this.o.confirmUpdates) {
        this.top = { id: idFor('next-up', raw.productId, s.ts), productId: raw.productId, estimate: raw };
        this.challenger = null;
      } else {
        this.challenger = { productId: raw.productId, count };
        this.top = { ...this.top!, estimate: shown };
      }
    } else {
      this.challenger = null;
      this.top = { ...this.top!, estimate: shown };
    }
    const top = this.top;
    if (!top) return byValue(candidates.slice(0, this.o.listSize));
    return screenOrder(top.estimate, candidates.filter((e) => e.productId !== top.productId).slice(0, this.o.listSize - 1));
  }

  private updateSwitch(s: Suggestions): StableSwitch | null {
    const raw: SwitchSignal | null = s.switchNow && s.switchNow.productId === s.pinnedProductId ? s.switchNow : null;
    const soldOut = raw?.reasons.some((r) => r.code === 'soldOut') ?? false;
    // The signal as it would be shown: its comeback after a dismissal is judged on the chance shown.
    let next = raw ? this.retarget(raw, s) : null;
    if (next) {
      const q = this.isQuiet(`switch-now:${next.productId}`, s.ts);
      if (q && !soldOut && next.confidence < (q.confidence ?? 0) + this.o.switchComebackConfidence) next = null;
    }
    if (next) {
      this.swOff = 0;
      this.swOn++;
      if (this.sw || soldOut || this.swOn >= this.o.switchOnUpdates) {
        this.sw = { id: this.sw?.id ?? idFor('switch-now', next.productId, s.ts), ...next };
      }
    } else {
      this.swOn = 0;
      if (this.sw && ++this.swOff >= this.o.switchOffUpdates) {
        this.sw = null;
        this.swOff = 0;
      }
    }
    return this.sw;
  }

  /**
   * "Switch to X" names the shown top pick, with the chance for that pick (not for the engine's own
   * best, which the stabiliser may not show), so the two cards never contradict each other. With
   * no pick to show (all dismissed, sold out or pinned), it names none.
   */
  private retarget(raw: SwitchSignal, s: Suggestions): Omit<StableSwitch, 'id'> {
    const top = this.top;
    const reasons: Reason[] = raw.reasons.filter((r) => r.code !== 'betterNext');
    if (!top) return { productId: raw.productId, toProductId: null, confidence: raw.confidence, reasons };
    const confidence = s.pinned ? switchChance(top.estimate, s.pinned) : raw.confidence;
    const gain = top.estimate.valueFenPerMin - (s.pinned?.valueFenPerMin ?? 0);
    if (gain > 0) reasons.push({ code: 'betterNext', productId: top.productId, title: top.estimate.title, gainFenPerMin: Math.round(gain) });
    return { productId: raw.productId, toProductId: top.productId, confidence, reasons };
  }

  private updatePlays(s: Suggestions): StablePlay[] {
    const out: StablePlay[] = [];
    for (const kind of ['retain', 'surge'] as const) {
      const st = this.plays.get(kind) ?? { shown: null, on: 0, off: 0 };
      this.plays.set(kind, st);
      const raw = this.isQuiet(`play:${kind}`, s.ts) ? undefined : s.plays.find((p) => p.kind === kind);
      // A "pin it" play whose product is now pinned has been done.
      if (st.shown && st.shown.play.action === 'pin' && st.shown.play.productId === s.pinnedProductId) {
        st.shown = null;
        st.on = 0;
      }
      if (raw) {
        st.off = 0;
        st.on++;
        if (st.shown) {
          // Same play still called for: keep its product, refresh the figures behind it.
          st.shown = { id: st.shown.id, play: raw.productId === st.shown.play.productId ? raw : { ...st.shown.play, reasons: mergeTraffic(raw.reasons, st.shown.play.reasons) } };
        } else if (st.on >= this.o.playOnUpdates && !(raw.action === 'pin' && raw.productId === s.pinnedProductId)) {
          st.shown = { id: idFor('play', `${kind}:${raw.productId}`, s.ts), play: raw };
        }
      } else {
        st.on = 0;
        if (st.shown && ++st.off >= this.o.playOffUpdates) {
          st.shown = null;
          st.off = 0;
        }
      }
      if (st.shown) out.push(st.shown);
    }
    return out;
  }
}

/** The traffic figures (how far online fell / entries rose) from now, the product's own reasons as shown. */
function mergeTraffic(now: readonly Reason[], shown: readonly Reason[]): Reason[] {
  const traffic = (r: Reason) => r.code === 'onlineFalling' || r.code === 'onlineSurging';
  return [...now.filter(traffic), ...shown.filter((r) => !traffic(r))];
}

function byValue(list: readonly ProductEstimate[]): ProductEstimate[] {
  return [...list].sort((a, b) => b.valueFenPerMin - a.valueFenPerMin || a.productId.localeCompare(b.productId));
}

/**
 * The top pick first, then the others in the order of the ¥/min they show. A top pick ranked by
 * its upside above one that shows more says so first in its reasons.
 */
export function screenOrder(top: ProductEstimate, others: readonly ProductEstimate[]): ProductEstimate[] {
  const rest = byValue(others);
  const higher = rest[0];
  if (!higher || higher.valueFenPerMin <= top.valueFenPerMin) return [top, ...rest];
  const value = Math.round(higher.valueFenPerMin);
  // Ranked by its upside (it says what `exploring` said, and why it is above the other), or kept
  // on top by the stabiliser until the other leads clearly.
  const why: Reason =
    top.scoreFenPerMin >= higher.valueFenPerMin
      ? { code: 'triedFirst', productId: higher.productId, title: higher.title, valueFenPerMin: value, upperFenPerMin: Math.round(top.scoreFenPerMin) }
      : { code: 'heldTop', productId: higher.productId, title: higher.title, valueFenPerMin: value };
  return [{ ...top, reasons: [why, ...top.reasons.filter((r) => r.code !== 'triedFirst' && r.code !== 'heldTop' && (why.code === 'heldTop' || r.code !== 'exploring'))] }, ...rest];
}

/** The chance the top pick sells more than the product explained now (or, with none, the best of the others). */
export function topChance(top: ProductEstimate, pinned: ProductEstimate | null, others: readonly ProductEstimate[]): TopChance | null {
  if (pinned) return { chance: switchChance(top, pinned), versus: { productId: pinned.productId, title: pinned.title, pinned: true } };
  const runnerUp = byValue(others)[0];
  return runnerUp ? { chance: winChance(top, runnerUp), versus: { productId: runnerUp.productId, title: runnerUp.title, pinned: false } } : null;
}

function beats(challenger: number, shown: number, margin: number): boolean {
  return challenger > shown * (1 + margin) + 1e-9;
}

function idFor(kind: string, key: string, ts: number): string {
  return `${kind}:${key}:${ts}`;
}
