/**
 * What the ad console (投放) shows of one live room: per plan and for the room,
 * minute by minute and for the show; the advisor's raise/hold/cut; the economics behind break-even;
 * and the action log. The core builds it (electron/core/ads/service.ts) and pushes it at most once a
 * second; per-minute figures are columns (index = show minute) to keep a long show's push small.
 */
import type { AdAdvice } from './advisor.ts';
import type { EconomicsChange, EconomicsView } from './economics.ts';

/**
 * adBudget is the simulator's pacing (fen a minute); adDailyBudget, adBid and adRoiGoal change a
 * platform plan's daily budget, bid and ROI goal; adPause / adResume either.
 */
export const AdActionTypes = ['adBudget', 'adPause', 'adResume', 'adDailyBudget', 'adBid', 'adRoiGoal'] as const;
export type AdActionType = (typeof AdActionTypes)[number];
/** What the relay's command path takes (the simulator's pacing, pause, resume). */
export const RelayAdActionTypes = ['adBudget', 'adPause', 'adResume'] as const;
export type RelayAdActionType = (typeof RelayAdActionTypes)[number];
export type AdActionSource = 'manual' | 'advice';

/** One budget change, pause or resume, as stored in `ad_actions` once the relay acknowledged it. */
export interface AdActionRecord {
  id: string;
  roomId: string;
  sessionId: string;
  /** source time (the show's clock) and wall-clock time */
  ts: number;
  at: number;
  planId: string;
  type: AdActionType;
  /**
   * The value before and after: adBudget fen per minute, adDailyBudget and adBid fen, adRoiGoal the
   * ratio; null for pause / resume.
   */
  before: number | null;
  after: number | null;
  byName: string | null;
  byRole: string | null;
  reason: string | null;
  /** 'advice': the buyer applied the advisor's suggestion */
  source: AdActionSource;
  /**
   * What came of it: 'ok' (the relay acknowledged), or for a platform change 'confirmed' (read back
   * as sent), 'refused' (the platform said no) or 'unconfirmed' (no answer that proves it either way).
   */
  result: string | null;
  /** A platform change: the platform's own words for this plan, as is (its error, or what was read back). */
  answer?: string | null;
  /** The platform's request id, to quote to its support. */
  requestId?: string | null;
  /** The action this one reverts. */
  revertOf?: string | null;
}

/** Per-minute columns of one plan (index = show minute; the last is the minute still running). */
export interface AdPlanSeries {
  spendFen: number[];
  impressions: number[];
  clicks: number[];
  /** paid entries the plan brought (the `ad` event's `views`) */
  views: number[];
  adGmvFen: number[];
  /** the plan's budget at the minute's end (null before the plan reported one) */
  budgetFenPerMin: Array<number | null>;
}

/** Figures over a span of minutes (the show, or the last few complete minutes). */
export interface AdFigures {
  minutes: number;
  spendFen: number;
  impressions: number;
  clicks: number;
  /** paid entries: the plans' `views` (per plan), or the room's `enter.source = paid` (room) */
  paidEnters: number;
  adGmvFen: number;
  cpmFen: number | null;
  costPerEntryFen: number | null;
  adRoi: number | null;
  spendPerMinFen: number;
}

/** A platform plan (千川) as last read: its name and the settings a buyer changes on the platform. */
export interface PlatformPlanView {
  name: string;
  /** 千川 standard / 全域; TikTok GMV Max campaign / LIVE session (shared/ads/plan-changes.ts PlanKind). */
  kind: 'standard' | 'uni' | 'gmvMax' | 'gmvMaxSession';
  /** The plan's currency (ISO 4217; absent: CNY): its budget and bid are minor units of it. */
  currency?: string;
  status: 'delivering' | 'paused' | 'budgetExhausted' | 'other';
  dailyBudgetFen: number | null;
  bidFen: number | null;
  roiGoal: number | null;
  /** source time of the read */
  readAt: number;
}

export interface AdPlanView {
  planId: string;
  budgetFenPerMin: number | null;
  /** paused by a command from this app, or as the platform reports it */
  paused: boolean;
  /** a platform plan's settings (null: the simulator's or a relay's plan) */
  platform?: PlatformPlanView | null;
  show: AdFigures;
  recent: AdFigures;
  series: AdPlanSeries;
  advice: AdAdvice | null;
}

export interface RoomAdFigures extends AdFigures {
  gmvFen: number;
  organicEnters: number;
  /** paid ÷ (paid + organic) entries */
  paidShare: number | null;
  roi: number | null;
  /** GMV × margin − spend; null without a margin */
  profitFen: number | null;
  profitPerMinFen: number | null;
}

export interface AdConsoleView {
  roomId: string;
  sessionId: string;
  startedAt: number;
  /** source time the figures reach */
  ts: number;
  /** the show minute running at `ts` */
  minute: number;
  ended: boolean;
  /** how many complete minutes `recent` covers */
  recentMinutes: number;
  targetRoi: number;
  economics: EconomicsView;
  show: RoomAdFigures;
  recent: RoomAdFigures;
  /** paid share of the `recent` minutes minus that of the same span before them (trend); null: too early */
  paidShareTrend: number | null;
  /** room per-minute columns */
  series: {
    spendFen: number[];
    paidEnters: number[];
    organicEnters: number[];
    gmvFen: number[];
    adGmvFen: number[];
    /** estimated profit per minute at the room's margin; null entries without a margin */
    profitFen: Array<number | null>;
  };
  plans: AdPlanView[];
  /** oldest first */
  actions: AdActionRecord[];
  /** changes of the economics during the show, oldest first (the action log lists them with the actions) */
  economicsChanges?: EconomicsChange[];
  commandsSupported: boolean;
}
