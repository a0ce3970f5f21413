/**
 * Suggestions as the screen shows them and as the decision log keeps them.
 * The engine's raw output (types.ts) changes a little with every event; what crosses to the
 * renderer is the stabilised view (stable.ts), in which each suggestion has an id for as long as
 * it stays on screen — the key of its "shown", "accepted" and "dismissed" rows.
 */
import type { FeedCommand } from '../protocol.ts';
import type { Play, ProductEstimate, Reason } from './types.ts';
import type { FlashOffer } from './flash.ts';
import type { Adherence, PlanItem } from './plan.ts';
import type { TopChance } from './stable.ts';

/** `pin`: a pin the operator sent by hand from the product board (logged when it is undone). */
export const DecisionKinds = ['next-up', 'switch-now', 'play', 'pin'] as const;
export type DecisionKind = (typeof DecisionKinds)[number];
/** `undone`: the pin an accepted suggestion (or a hand pin) sent was taken back, what was explained before pinned again. */
export const DecisionActions = ['shown', 'accepted', 'dismissed', 'undone'] as const;
export type DecisionAction = (typeof DecisionActions)[number];

/** The top "next up" pick, as shown. */
export interface ShownNextUp {
  id: string;
  kind: 'next-up';
  productId: string;
  title: string;
  estimate: ProductEstimate;
  /** the chance it sells more than the pinned product (or the best other candidate): the same figure a switch card to it shows */
  chance: TopChance | null;
}

/** "Switch now" on the pinned product, as shown. */
export interface ShownSwitch {
  id: string;
  kind: 'switch-now';
  /** the pinned product that should make way */
  productId: string;
  title: string;
  /** what to explain instead: the shown top pick when there is one */
  toProductId: string | null;
  toTitle: string | null;
  confidence: number;
  reasons: Reason[];
}

/** A traffic-state play, as shown. `flash` holds the 秒杀 figures accepting it sends, and their basis. */
export interface ShownPlay {
  id: string;
  kind: 'play';
  productId: string;
  title: string;
  play: Play;
  flash: FlashOffer | null;
}

export type ShownSuggestion = ShownNextUp | ShownSwitch | ShownPlay;

/** What the suggestion panel shows for one room; pushed at most once a second when it changed. */
export interface LiveSuggestions {
  roomId: string;
  sessionId: string;
  /** source time the suggestions refer to */
  ts: number;
  pinnedProductId: string | null;
  /** the pinned product's own estimate */
  pinned: ProductEstimate | null;
  /** the stable top pick (also nextUp[0]) */
  top: ShownNextUp | null;
  /** the best few, the stable top pick first */
  nextUp: ProductEstimate[];
  switchNow: ShownSwitch | null;
  plays: ShownPlay[];
  /** expected pinned-card exposures per minute the values assume */
  exposuresPerMin: number;
  /** how many earlier shows of the room the engine started from; 0: none */
  learnedSessions: number;
  /** the room's run-of-show and the show's adherence to it; null without a plan */
  runOfShow?: RunOfShowLive | null;
}

/**
 * The suggestions as a screen may show them beside a board whose product being explained is
 * `boardPinned`: when the two disagree (one push has come, the other not yet), the switch card and
 * the pinned product's line are about a pin the board no longer (or not yet) shows, so they are
 * left out until both agree — never "换到 X" away from a product the board does not show as 讲解中.
 */
export function agreeWithPin(s: LiveSuggestions, boardPinned: string | null): LiveSuggestions {
  if (s.pinnedProductId === boardPinned || (!s.switchNow && !s.pinned)) return s;
  return { ...s, switchNow: null, pinned: null };
}

export type Divergence = 'behind' | 'ahead' | 'skipped' | 'offPlan' | 'soldOut';

/** The run-of-show live: where the show is on its 排品表, and a re-ordering when reality diverges. */
export interface RunOfShowLive {
  items: PlanItem[];
  adherence: Adherence;
  /** the plan's items after the current one, to the end of its lap */
  rest: PlanItem[];
  /** why the show has left its plan (empty: on plan) */
  divergence: Divergence[];
  /** when it diverges: the rest re-ordered by expected value (kept for 5 show-minutes); else null */
  suggestedRest: PlanItem[] | null;
  /** minutes since the show start at which this plan's clock starts (0, or when it was applied) */
  anchorMin: number;
}

/** One row of the decision log. Times: `ts` source time (the show's clock), `at` wall clock. */
export interface Decision {
  suggestionId: string;
  sessionId: string;
  roomId: string;
  ts: number;
  at: number;
  kind: DecisionKind;
  productId: string | null;
  action: DecisionAction;
  /** the suggestion's figures when the action happened (expected ¥/min, ±, confidence, target …) */
  figures: Record<string, number | string | null>;
  reasons: Reason[];
  byName: string | null;
  byRole: string | null;
  /** the operator's reason (a dismissal's "why"), optional */
  reason: string | null;
  /** the command accepting it sent to the relay */
  command: FeedCommand | null;
}
