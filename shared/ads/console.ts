/**
 * What the ad console (投放) shows of one live room: per plan and for the room,
 * minute by minute and for the show; the advisor's raise/hold/cut; the economics behind break-even;
 * and the action log. The core builds it (electron/core/ads/service.ts) and pushes it at most once a
 * second; per-minute figures are columns (index = show minute) to keep a long show's push small.
 */
import type { AdAdvice } from './advisor.ts';
import type { EconomicsChange, EconomicsView } from './economics.ts';

export const AdActionTypes = ['adBudget', 'adPause', 'adResume'] as const;
export type AdActionType = (typeof AdActionTypes)[number];
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
  /** budget in fen per minute before and after (adBudget); null for pause / resume */
  before: number | null;
  after: number | null;
  byName: string | null;
  byRole: string | null;
  reason: string | null;
  /** 'advice': the buyer applied the advisor's suggestion */
  source: AdActionSource;
  /** what the relay answered ('ok') */
  result: string | null;
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

export interface AdPlanView {
  planId: string;
  budgetFenPerMin: number | null;
  /** paused by a command from this app (the `ad` event does not say) */
  paused: boolean;
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
