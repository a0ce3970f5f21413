/**
 * The retrospective's (复盘) shapes: what `buildReport` adds to CONTRACTS.md's report, what the
 * exports print and what the coming screens read. Money `…Fen` is integer fen, GPM and ¥/min are
 * yuan, rates and changes are fractions (0.12 = +12 %), a figure that cannot be known is null.
 */
import type { PromptMessage } from '../team/contract.ts';
import type { Settlement } from '../imports/types.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../metrics/types.ts';
import type { TrafficSource, ProductRole } from '../protocol.ts';
import type { Decision, DecisionKind } from '../suggest/live.ts';
import type { Alert, RoomTargets } from '../alerts/types.ts';
import type { FeedGap, SessionInfo, SessionMarker } from '../sessions.ts';
import type { RetroAdAction } from './ad-actions.ts';
import type { AdActionRecord } from '../ads/console.ts';

export type KpiKey = Exclude<keyof Kpis, 'entersBySource' | 'onlineNow'>;
/**
 * `fen`: minor units of the show's currency (shared/format.ts); `cnyFen`: CNY fen whatever the
 * show's currency — gift values, which are the adapter's valuation of the platform's coins.
 */
export type Unit = 'fen' | 'cnyFen' | 'yuan' | 'rate' | 'count' | 'sec' | 'ratio';

/** A team note on a session — on a minute, or on the whole show (minute null). */
export interface Note {
  id: string;
  sessionId: string;
  roomId: string;
  /** source time of the minute's start (null: whole show) */
  ts: number | null;
  minute: number | null;
  text: string;
  byName: string | null;
  createdAt: number;
}

// ---- headline ----------------------------------------------------------------------------

export interface HeadlineItem {
  key: KpiKey;
  value: number | null;
  unit: Unit;
  /** which way is good; null: neither (duration, refunds are judged elsewhere) */
  better: 'higher' | 'lower' | null;
  /** the room's target for this KPI, when it has one */
  target: number | null;
  /** value ÷ target − 1 */
  vsTarget: number | null;
  /** met: at or above target; near: within the room's tolerance below; below: further below */
  targetStatus: 'met' | 'near' | 'below' | null;
  /** the previous sessions of the room (newest first, at most N) */
  previous: {
    n: number;
    mean: number | null;
    last: number | null;
    /** value ÷ mean − 1, and value ÷ last − 1 */
    changeVsMean: number | null;
    changeVsLast: number | null;
    /** 1 = best among this show and the previous ones that have the figure; `of` = how many were ranked */
    rank: number | null;
    of: number;
  };
}

export interface Callout {
  key: KpiKey;
  kind: 'target-missed' | 'target-met' | 'best' | 'worst' | 'up' | 'down';
  /** how much it matters, for ordering: bigger first */
  weight: number;
  zh: string;
  en: string;
}

export interface Headline {
  items: HeadlineItem[];
  /** the few figures that matter most, most important first (at most 5) */
  callouts: Callout[];
  /** the sessions compared against, newest first */
  previousSessions: Array<{ sessionId: string; startedAt: number; title: string }>;
}

// ---- segment scorecard ------------------------------------------------------------------

export interface SegmentScore {
  index: number;
  productId: string;
  title: string;
  role: ProductRole | null;
  startTs: number;
  endTs: number;
  startMinute: number;
  durationSec: number;
  gmvFen: number;
  /** ¥ per minute explained */
  gmvPerMin: number | null;
  gpm: number | null;
  ctr: number | null;
  clickToOrder: number | null;
  orders: number;
  exposures: number;
  clicks: number;
  enters: number;
  onlineStart: number | null;
  onlineEnd: number | null;
  /** onlineEnd ÷ onlineStart − 1 */
  onlineChange: number | null;
  /** relative to the room baseline (value ÷ baseline − 1) */
  vsRoom: { gmvPerMin: number | null; gpm: number | null; ctr: number | null; clickToOrder: number | null };
  /** relative to the mean of the same product's other segments (null: explained once) */
  vsProduct: { others: number; gmvPerMin: number | null; ctr: number | null; clickToOrder: number | null } | null;
  /** started by accepting a suggestion for this product, chosen over a shown suggestion, or neither */
  advice: 'followed' | 'against' | null;
  /** strong / weak against the room baseline on ¥ per minute (±25 %), else normal */
  verdict: 'strong' | 'normal' | 'weak';
}

export interface DeadAir {
  startMinute: number;
  endMinute: number;
  minutes: number;
  onlineFrom: number;
  onlineTo: number;
  change: number;
  zh: string;
  en: string;
}

/**
 * Something the log shows happened before a move, that can account for it (shared/retro/moments.ts
 * ranks them): `weight` is the evidence in 0…1, `minute` when it happened.
 */
export interface Cause {
  kind: 'switch' | 'unpinned' | 'sold-out' | 'traffic' | 'ad' | 'ad-spend' | 'marker' | 'fatigue';
  minute: number;
  weight: number;
  zh: string;
  en: string;
  /** switch: the products before and after, each with its segment's ¥ per minute */
  fromProductId?: string;
  toProductId?: string;
  fromPerMin?: number | null;
  toPerMin?: number | null;
  /** sold-out, fatigue: the product */
  productId?: string;
  /** traffic: the source that moved */
  source?: TrafficSource;
  /** ad: the plan changed */
  planId?: string;
}

/** A stretch where online or GMV moved the most, with what happened before it. */
export interface Moment {
  metric: 'online' | 'gmv';
  direction: 'drop' | 'gain';
  startMinute: number;
  endMinute: number;
  from: number;
  to: number;
  change: number;
  /** what the log shows happened from 3 minutes before to the end, strongest evidence first (empty: no cause found) */
  causes: Cause[];
  zh: string;
  en: string;
}

export interface Scorecard {
  segments: SegmentScore[];
  /** the room while a product was explained: the yardstick of every segment */
  baseline: { gmvPerMin: number | null; gpm: number | null; ctr: number | null; clickToOrder: number | null };
  deadAir: DeadAir[];
  drops: Moment[];
  gains: Moment[];
}

// ---- funnel, traffic, demand ---------------------------------------------------------------

export interface FunnelStep {
  key: 'pv' | 'exposures' | 'clicks' | 'orders';
  zh: string;
  en: string;
  value: number;
  /** this step ÷ the previous one (null for the first or a zero denominator) */
  rate: number | null;
  rateZh: string | null;
  rateEn: string | null;
}

export interface Funnel {
  steps: FunnelStep[];
  /** orders ÷ views */
  overall: number | null;
  /** by people, where the source gives them: uv → buyers */
  people: { uv: number | null; buyers: number | null; viewToBuyer: number | null };
}

export interface TrafficMix {
  sources: readonly TrafficSource[];
  totals: Record<TrafficSource, number>;
  shares: Record<TrafficSource, number | null>;
  /** per minute, every minute of the show (0 where no entries) */
  perMinute: Array<{ minute: number; bySource: Record<TrafficSource, number> }>;
  /** the show in up to 8 equal phases, shares of each source: how the mix moved */
  phases: Array<{ fromMinute: number; toMinute: number; enters: number; shares: Record<TrafficSource, number | null> }>;
  /** natural (everything but paid) ÷ all entries */
  naturalShare: number | null;
}

export interface DemandReport {
  words: Array<{ word: string; count: number }>;
  products: Array<{ productId: string; title: string; count: number }>;
  perMinute: number[];
  /** demand comments ÷ all comments */
  demandShare: number | null;
  comments: number;
}

// ---- review dimensions ----------------------------------------------------------------------

export interface GroupFigures {
  segments: number;
  minutes: number;
  gmvFen: number;
  gmvPerMin: number | null;
  ctr: number | null;
  clickToOrder: number | null;
}

export interface Review {
  /** 销售指标达成 */
  sales: {
    gmvFen: number;
    gmvTargetFen: number | null;
    /** whose target it is: the show's own (set on its report or imported), the room's (settings), or none */
    gmvTargetSource: 'show' | 'room' | null;
    attainment: number | null;
    /** vs the mean of the previous sessions (value ÷ mean − 1) */
    vsPrevious: number | null;
    orders: number;
    ctr: { value: number | null; target: number; status: HeadlineItem['targetStatus'] };
    clickToOrder: { value: number | null; target: number; status: HeadlineItem['targetStatus'] };
  };
  /** 传播价值 */
  reach: {
    pv: number;
    uv: number | null;
    peakOnline: number | null;
    avgOnline: number | null;
    avgWatchSec: number | null;
    shares: number;
    likes: number;
    comments: number;
    naturalShare: number | null;
  };
  /** 人群资产沉淀 */
  audience: {
    newFollowers: number;
    followRate: number | null;
    fansclubJoins: number;
    fansclubRate: number | null;
    buyers: number | null;
    /** the feed does not say who came back; null with the reason */
    returningViewers: number | null;
    returningNote: string;
  };
  /** 投入产出比 */
  roi: {
    adSpendFen: number;
    adGmvFen: number;
    roi: number | null;
    adRoi: number | null;
    roiTarget: number;
    breakEvenRoi: number | null;
    /** what a yuan of GMV leaves after goods, fee and refunds; null without costs */
    margin: number | null;
    /** GMV × margin − ad spend, estimated */
    profitFen: number | null;
    /** how the estimate was made, in the reader's words */
    assumptionsZh: string[];
    assumptionsEn: string[];
  };
  /** What following or ignoring suggestions was worth — observational, not an experiment */
  suggestions: {
    counts: Record<DecisionKind, { shown: number; accepted: number; dismissed: number; ignored: number }>;
    followed: GroupFigures;
    against: GroupFigures;
    other: GroupFigures;
    /** followed ÷ against − 1 on ¥ per minute; null when a group is empty */
    difference: number | null;
    noteZh: string;
    noteEn: string;
  };
}

// ---- compare ----------------------------------------------------------------------------------

export interface CompareSeries {
  sessionId: string;
  roomId: string;
  title: string;
  startedAt: number;
  kpis: Pick<Kpis, 'gmvFen' | 'gpm' | 'pv' | 'peakOnline' | 'ctr' | 'clickToOrder' | 'orders' | 'durationSec'>;
  /** x: minute since start, or slot index (align 'slot') */
  points: Array<{ x: number; label: string; productId: string | null; onlineAvg: number | null; gmvFen: number; cumGmvFen: number; ctr: number | null; gpm: number | null; enters: number }>;
}

export interface Comparison {
  align: 'minute' | 'slot';
  /** The compared shows' one currency (shared/retro/compare.ts refuses a mix). */
  currency: string;
  series: CompareSeries[];
  /** KPI deltas of every session vs the first one (value ÷ first − 1) */
  deltas: Array<{ sessionId: string; gmvFen: number | null; gpm: number | null; pv: number | null; ctr: number | null; clickToOrder: number | null }>;
}

// ---- the report as the UI receives it (getReport) ----------------------------------------------

/**
 * An entry of the report's `actions`, oldest first (source time): a rotation suggestion's decision
 * (`type: "suggestion"`) — shown, accepted (with the command sent) or dismissed (with the
 * reason), and who — or an ad console action (`type: "ad"`, its own type in `action`): a
 * budget change, pause or resume the relay acknowledged, with the budget `before` and `after`
 * (fen per minute), who, why and `source` ("manual" | "advice").
 */
export type RetroAction =
  | ({ type: 'suggestion' } & Decision)
  | ({ type: 'ad'; action: AdActionRecord['type'] } & Omit<AdActionRecord, 'type'>)
  /** A 场控's message to the host's prompt screen (team mode), at the show time it was sent. */
  | ({ type: 'prompt'; ts: number } & Omit<PromptMessage, 'ts'>);

/** CONTRACTS.md's report (`lcr report --json`): a session's figures, alerts, actions, quarantine and gaps. */
export interface ReportCore {
  session: SessionInfo;
  kpis: Kpis;
  minutes: MinuteRow[];
  products: ProductRow[];
  segments: SegmentRow[];
  /** The session's alerts as stored, oldest first. */
  alerts: Alert[];
  actions: RetroAction[];
  /** Rejected events by reason. */
  quarantined: Record<string, number>;
  /** Holes in the event stream given up for good (FEED-PROTOCOL): which seqs never arrived, when and why. */
  gaps: FeedGap[];
  /**
   * Each official platform's own totals for the room as last read (`totals` events): 千川's room
   * GMV beside 抖店's orders. Absent when no platform source fed the show.
   */
  platformTotals?: PlatformTotals[];
}

/** One platform's cumulative figures for the room, as of `asOf` (its last `totals` event). */
export interface PlatformTotals {
  origin: string;
  asOf: number;
  gmvFen: number | null;
  orders: number | null;
  refundFen: number | null;
  adGmvFen: number | null;
  spendFen: number | null;
  /** How the orders were taken as the room's (TikTok Shop: `window+products`, `window`; the LIVE analytics' `live:<id>`). */
  rule?: string;
}

/** What the retrospective adds to CONTRACTS.md's report. */
export interface RetroSections {
  headline: Headline;
  /** 本场要点: the facts to read first, worst first (shared/retro/key-points.ts) */
  keyPoints: KeyPoint[];
  scorecard: Scorecard;
  funnel: Funnel;
  traffic: TrafficMix;
  demand: DemandReport;
  review: Review;
  notes: Note[];
  /** The chart's marks besides segments, alerts and actions: the platform's markers and the ad console's actions. */
  timeline: { markers: SessionMarker[]; adActions: RetroAdAction[] };
  /** The room's targets the report judged against. */
  targets: RoomTargets;
  /** Where the figures came from: stored rollups, or the raw events read again. */
  retro: { metrics: 'rollups' | 'recomputed'; extras: 'rollups' | 'recomputed'; previousN: number };
  /**
   * The platform's settled figures (an imported settled table) and what they moved from the
   * live ones; the report's kpis, minutes and products are then the settled figures. null (or
   * absent, from an older core): no settled import.
   */
  settlement?: Settlement | null;
}

/** CONTRACTS.md's report (`lcr report --json`) with the retrospective's sections. */
export interface RetroReportView extends RetroSections, Omit<ReportCore, 'gaps'> {
  /** Absent from an older core. */
  gaps?: FeedGap[];
}

/** A row of the session list, with the figures a list shows (null before the first rollup). */
export interface SessionListItem extends SessionInfo {
  gmvFen: number | null;
  orders: number | null;
  pv: number | null;
  peakOnline: number | null;
  gpm: number | null;
  durationSec: number | null;
  notes: number;
}

/** One line of 本场要点: worst first (bad, then warn, then good), bigger weight first within a tone. */
export interface KeyPoint {
  kind: Callout['kind'] | 'below-break-even' | 'loss' | 'weak-segment' | 'drop' | 'gain' | 'dead-air';
  tone: 'bad' | 'warn' | 'good';
  /** how much it matters within its tone: bigger first */
  weight: number;
  zh: string;
  en: string;
}
