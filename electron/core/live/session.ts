/**
 * One show as the running core holds it: the aggregator's figures and, beside them, what the
 * alert rules, demand signals, retrospective, suggestions and ad console take from each event,
 * with what has changed since the last push and the last rollup write. Owned by its room
 * (room.ts); the domain desks read and steer it, the core feeds it events.
 */
import { SessionAggregator } from '../../../shared/metrics/aggregator.ts';
import { KpiHistory } from '../../../shared/metrics/kpi-history.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import { minuteIndex } from '../../../shared/metrics/window.ts';
import { clipText } from '../../../shared/format.ts';
import type { AlertEvaluator } from '../../../shared/alerts/evaluate.ts';
import { DemandCounter } from '../../../shared/comments/demand.ts';
import { RetroCollector } from '../../../shared/retro/extras.ts';
import type { AdActionRecord } from '../../../shared/ads/console.ts';
import type { KnownFeedEvent } from '../../../shared/protocol.ts';
import type { Alert, SessionMarker } from '../../../shared/contract.ts';
import type { SuggestService } from '../suggest/service.ts';
import { AppPins } from '../suggest/pin-undo.ts';
import type { AdService } from '../ads/service.ts';
import type { SessionRow, WriteBatch } from '../store/writer.ts';

/** Platform and ad markers kept for the chart; the oldest go beyond this. */
const MARKER_LIMIT = 500;
/** The wall's online curve: at most this many buckets over the whole show. */
const WALL_POINTS = 60;
/** The rules' windows and holds are in show time: judged every this much of it (see evaluateAlerts). */
const ALERT_STEP_MS = 15_000;
/** 30 minutes of show time judged after a gap, at most. */
const ALERT_MAX_STEPS = 120;

/** What a session is built with: the services that depend on the room's settings and history. */
export interface SessionParts {
  evaluator: AlertEvaluator;
  suggest: SuggestService;
  ads: AdService;
}

export class LiveSession {
  readonly agg: SessionAggregator;
  /** Lowest minute changed since the last UI push / rollup write. */
  pushFrom: number | null = 0;
  rollupFrom: number | null = 0;
  productsDirty = true;
  rollupDirty = true;
  /** The last minute index sent / written: it keeps changing as the window moves on, even without events in it. */
  pushedLast = 0;
  rolledLast = 0;
  resetPending = true;
  /** The session's alert rules. */
  readonly evaluator: AlertEvaluator;
  /** Demand signals from comments, fed on ingest. */
  readonly demand = new DemandCounter();
  /** The product pinned as of the newest pin event received: whom a demand word is about. */
  pinned: string | null = null;
  /** Events arrived (or targets changed) since the last alert evaluation. */
  evalDirty = true;
  /** Source time the alert rules were last judged at (null: not yet). */
  private lastEvalTs: number | null = null;
  /** A stock figure changed since the last evaluation: lowStock needs fresh product rows. */
  private stockDirty = true;
  /** The demand counter's version last pushed. */
  demandPushed = -1;
  /** What the retrospective needs beyond the metrics (traffic by source per minute, markers …), stored with the rollups. */
  readonly retro: RetroCollector;
  /** Rotation suggestions. */
  readonly suggest: SuggestService;
  /** Platform markers (秒杀, 福袋 …) in source-time order, for the chart; pushed whole when one is added. */
  readonly markers: SessionMarker[] = [];
  markersDirty = true;
  /** The ad console (with or without a screen: the break-even alert needs it). */
  readonly ads: AdService;
  /** The break-even ROI the alert rules last got from the console. */
  breakEvenRoi: number | null = null;
  /** KPIs of the last two show-minutes, for a screen that opens the room: its changes over the last minute at once. */
  readonly kpiHistory = new KpiHistory();
  /** The pinned product the last room push said. */
  pushedPinned: string | null = null;
  /** The last pin this app sent in the show, until it is undone or another pin follows (pin-undo.ts). */
  readonly appPins: AppPins;
  /** The wall's online curve (minute averages, bucketed), and when it was last built (wall clock). */
  private curve: Array<number | null> = [];
  private curveAt = 0;
  /** Titles from the latest catalog: the wall names the product being explained. */
  readonly titles = new Map<string, string>();

  constructor(
    readonly row: SessionRow,
    /** Newest source ts seen: the live window's end (a sped-up simulator runs ahead of the wall clock). */
    public lastTs: number,
    parts: SessionParts,
  ) {
    this.agg = new SessionAggregator(row.startedAt);
    this.evaluator = parts.evaluator;
    this.suggest = parts.suggest;
    this.ads = parts.ads;
    this.retro = new RetroCollector(row.startedAt);
    this.appPins = new AppPins(row.roomId, row.sessionId);
  }

  get isLive(): boolean {
    return this.row.endedAt === null;
  }

  /** Where the show's figures end: its end, or the newest event of a live one. */
  get end(): number {
    return this.row.endedAt ?? this.lastTs;
  }

  /** The minute index of a source time in the session (METRICS.md: events before the start count in minute 0). */
  minuteAt(ts: number): number {
    return minuteIndex(ts, this.row.startedAt);
  }

  /** Closes a show whose end the relay never sent, where its data stops. */
  interrupt(): void {
    this.row.endedAt = this.lastTs;
    this.row.endReason = 'interrupted';
    this.agg.end(this.lastTs);
  }

  /** An event into the figures and everything beside them. True when it ended the show. */
  apply(e: KnownFeedEvent): boolean {
    this.agg.ingest(e);
    this.observe(e);
    const minute = this.minuteAt(e.ts);
    this.pushFrom = this.pushFrom === null ? minute : Math.min(this.pushFrom, minute);
    this.rollupFrom = this.rollupFrom === null ? minute : Math.min(this.rollupFrom, minute);
    this.productsDirty = true;
    this.rollupDirty = true;
    if (e.type === 'session' && e.status === 'ended') {
      this.row.endedAt = e.ts;
      if (e.title) this.row.title = e.title;
      return true;
    }
    return false;
  }

  /** What the alert rules and demand signals take from an event besides the aggregator's figures; O(1) but for comments (a few substring scans). */
  observe(e: KnownFeedEvent): void {
    this.evalDirty = true;
    this.retro.ingest(e);
    this.suggest.observe(e);
    this.ads.observe(e);
    switch (e.type) {
      case 'comment':
        this.demand.add({ ts: e.ts, text: e.text, nickname: e.nickname ?? null }, this.minuteAt(e.ts), this.pinned);
        return;
      case 'pin':
        this.pinned = e.productId;
        return;
      case 'marker':
        this.addMarker({ seq: e.seq, ts: e.ts, minute: this.minuteAt(e.ts), kind: e.kind, text: e.text ? clipText(e.text, 300) : null });
        return;
      case 'catalog':
        this.demand.setCatalog(e.products);
        for (const p of e.products) this.titles.set(p.id, p.title);
        for (const p of e.products) if (p.stock !== undefined) this.evaluator.observeStock(p.id, p.stock);
        this.stockDirty = true;
        return;
      case 'product':
        if (e.stock !== undefined) this.evaluator.observeStock(e.productId, e.stock);
        if (e.stock !== undefined || e.soldOut !== undefined) this.stockDirty = true;
        return;
      default:
        return;
    }
  }

  /** An acknowledged (or restored) ad action: into the console's log and onto the charts as a mark. */
  noteAdAction(a: AdActionRecord): void {
    this.ads.addAction(a);
    const { planId, type, before, after, byName, byRole, reason, source } = a;
    this.addMarker({ seq: -this.ads.actionCount, ts: a.ts, minute: this.minuteAt(a.ts), kind: 'ad', text: null, ad: { planId, type, before, after, byName, byRole, reason, source } });
  }

  /** Inserted in source-time order (a relay's backlog can arrive late); the oldest go beyond MARKER_LIMIT. */
  private addMarker(m: SessionMarker): void {
    const list = this.markers;
    let i = list.length;
    while (i > 0 && (list[i - 1]!.ts > m.ts || (list[i - 1]!.ts === m.ts && list[i - 1]!.seq > m.seq))) i--;
    const prev = list[i - 1];
    if (prev && prev.ts === m.ts && prev.seq === m.seq) return; // the same event again
    list.splice(i, 0, m);
    if (list.length > MARKER_LIMIT) list.splice(0, list.length - MARKER_LIMIT);
    this.markersDirty = true;
  }

  /**
   * The alert rules judged up to `end`. Their windows and minimum durations are in show time, so
   * they are judged every ALERT_STEP_MS of show time, however fast the show plays or however late
   * this comes (a sped-up or loaded core ticks once per show-minute or less, and would step over
   * a 30 s hold). Returns what they newly raised.
   */
  evaluateAlerts(snapshot: () => SessionMetrics): Alert[] {
    const end = this.end;
    this.evalDirty = false;
    const at: number[] = [];
    // After a long gap (a stalled core, a relay's catch-up burst) the latest stretch is judged:
    // the drop that is still happening matters more than one long over.
    const after = this.lastEvalTs ?? end;
    const from = Math.max(after + ALERT_STEP_MS, end - (ALERT_MAX_STEPS - 1) * ALERT_STEP_MS);
    for (let t = from; t < end; t += ALERT_STEP_MS) at.push(t);
    at.push(end);
    const raised: Alert[] = [];
    for (const t of at) {
      const minute = this.minuteAt(t);
      const live = this.agg.live(t, this.evaluator.fromMinute(minute));
      const products = t === end && this.stockDirty ? snapshot().products : null;
      // The aggregator's rows run to the newest event; judged at an earlier t, the window must end
      // at t's own minute (the rows after it have nothing up to t, and would read as no figures).
      const minutes = t === end ? live.minutes : live.minutes.filter((r) => r.minute <= minute);
      const fresh = this.evaluator.evaluate({ ts: t, minutes, kpis: live.kpis, products });
      raised.push(...fresh.map((a) => ({ ...a, showTitle: this.row.title })));
    }
    this.stockDirty = false;
    this.lastEvalTs = end;
    return raised;
  }

  /** A new break-even ROI from the ad console: the alert rules judge ROI against it. */
  setBreakEvenRoi(roi: number | null): void {
    if (roi === this.breakEvenRoi) return;
    this.breakEvenRoi = roi;
    this.evaluator.setBreakEvenRoi(roi);
    this.evalDirty = true;
  }

  /** The minutes changed since the last rollup write, the whole show's products and segments, and the retro extras: one write. */
  rollup(): Partial<WriteBatch> {
    const end = this.end;
    const snap = this.agg.snapshot(end);
    const from = Math.min(this.rollupFrom ?? Number.MAX_SAFE_INTEGER, this.rolledLast);
    this.rolledLast = snap.minutes.at(-1)?.minute ?? this.rolledLast;
    this.rollupFrom = null;
    this.rollupDirty = false;
    return {
      rollups: [
        {
          sessionId: this.row.sessionId,
          rollupSeq: this.row.lastSeq,
          windowEnd: end,
          kpis: snap.kpis,
          minutes: snap.minutes.filter((m) => m.minute >= from),
          products: snap.products,
          segments: snap.segments,
        },
      ],
      retroRollups: [{ sessionId: this.row.sessionId, rollupSeq: this.row.lastSeq, windowEnd: end, extras: this.retro.snapshot(this.demand.summary(this.minuteAt(end))) }],
    };
  }

  /**
   * The room's online over the whole show for the wall: minute averages in at most WALL_POINTS
   * buckets (each the bucket's highest), rebuilt at most every 10 s — a glance, not the chart.
   */
  onlineCurve(wallNow: number): Array<number | null> {
    if (wallNow - this.curveAt < 10_000 && this.curve.length) return this.curve;
    this.curveAt = wallNow;
    const minutes = this.agg.live(this.end, 0).minutes;
    const per = Math.max(1, Math.ceil(minutes.length / WALL_POINTS));
    const out: Array<number | null> = [];
    for (let i = 0; i < minutes.length; i += per) {
      let v: number | null = null;
      for (const m of minutes.slice(i, i + per)) if (m.onlineAvg !== null && (v === null || m.onlineAvg > v)) v = m.onlineAvg;
      out.push(v === null ? null : Math.round(v));
    }
    this.curve = out;
    return out;
  }
}
