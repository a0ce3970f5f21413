/**
 * What the suggestion engine tells the app. Plain data: it crosses the
 * core → renderer boundary, goes into the decision log and into `lcr evaluate`.
 * Money is fen; rates are fractions.
 */
import type { ProductRole } from '../protocol.ts';

/** Why a product is (or is not) a good next pick. Rendered by reasons.ts in zh-CN or English. */
export type Reason =
  | { code: 'ctrVsRoom'; pct: number }
  | { code: 'cvrVsRoom'; pct: number }
  | { code: 'rested'; min: number }
  | { code: 'stillTired'; freshnessPct: number }
  | { code: 'untested' }
  | { code: 'fewData'; clicks: number }
  /** ranked above its expected value by the exploration bonus (it may show a lower ¥/min than one below it) */
  | { code: 'exploring'; valueFenPerMin: number; scoreFenPerMin: number }
  | { code: 'stockOk'; left: number }
  | { code: 'stockLow'; left: number }
  | { code: 'soldOut' }
  | { code: 'highTicket'; aovFen: number }
  | { code: 'learned'; sessions: number }
  | { code: 'fading'; pct: number }
  | { code: 'explainedMin'; min: number }
  | { code: 'overRun'; min: number }
  | { code: 'betterNext'; productId: string; title: string; gainFenPerMin: number }
  | { code: 'onlineFalling'; pct: number }
  | { code: 'onlineSurging'; pct: number }
  | { code: 'holdsViewers'; pct: number }
  /** the board's click→order rate (`rate`, a fraction) and orders behind it; old log rows carry only `cvrPct` */
  | { code: 'bestConverter'; cvrPct: number; rate?: number; orders?: number }
  /** the top pick shows a lower ¥/min than `title`, listed below it: it is ranked by its upside (little evidence) */
  | { code: 'triedFirst'; productId: string; title: string; valueFenPerMin: number; upperFenPerMin: number }
  /** the top pick shows a lower ¥/min than `title` even at its upside: it stays until `title` leads clearly (no flicker) */
  | { code: 'heldTop'; productId: string; title: string; valueFenPerMin: number };

export interface ProductEstimate {
  productId: string;
  title: string;
  role: ProductRole | null;
  priceFen: number;
  /** expected GMV per minute if it is explained from now on (mean over the engine's horizon) */
  valueFenPerMin: number;
  /** one standard deviation of that estimate */
  sdFenPerMin: number;
  /** value + exploration bonus: what the ranking sorts by (under-explored products get a chance) */
  scoreFenPerMin: number;
  /** fresh click-through and click→order conversion, as estimated */
  ctr: number;
  cvr: number;
  /** estimated share of its appeal left now (1 = rested) */
  freshness: number;
  /** estimated fatigue half-life, minutes */
  halfLifeMin: number;
  /** evidence behind the estimate */
  pinnedExposures: number;
  pinnedClicks: number;
  pinnedOrders: number;
  explainedMin: number;
  /** minutes since it was last explained; null if never */
  restedMin: number | null;
  stock: number | null;
  soldOut: boolean;
  reasons: Reason[];
}

export interface SwitchSignal {
  /** the pinned product that should make way */
  productId: string;
  /** what to explain instead (the top of next-up), if anything */
  toProductId: string | null;
  /** 0–1: how sure the engine is that switching now earns more */
  confidence: number;
  reasons: Reason[];
}

export type PlayKind = 'retain' | 'surge';

export interface Play {
  kind: PlayKind;
  productId: string;
  /** `flash`: run a 秒杀 on it; `pin`: explain it */
  action: 'pin' | 'flash';
  reasons: Reason[];
}

export interface Suggestions {
  /** event time the suggestions refer to */
  ts: number;
  pinnedProductId: string | null;
  /** ranked, best first; the pinned and sold-out products are not in it */
  nextUp: ProductEstimate[];
  /** the pinned product's own estimate (null when nothing is pinned) */
  pinned: ProductEstimate | null;
  switchNow: SwitchSignal | null;
  plays: Play[];
  /** expected pinned-card exposures per minute the values assume */
  exposuresPerMin: number;
  /** products that are sold out (not in nextUp) */
  soldOutProductIds?: string[];
}

/** What one show taught, for the next show of the room. */
export interface LearnedPriors {
  sessions: number;
  halfLifeMin: number;
  /** room-level fresh click-through / conversion */
  ctr: number;
  cvr: number;
  products: Record<string, { ctr: number; cvr: number; halfLifeMin: number; clicks: number; orders: number }>;
  roles: Partial<Record<ProductRole, { ctr: number; cvr: number }>>;
}
