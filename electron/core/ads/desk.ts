/**
 * The ad console as a desk: each room's economics, its console recomputed on the show's
 * figures (with the break-even it gives the alert rules), and the ad actions sent through the
 * relay's command path, logged only once acknowledged.
 */
import { randomBytes } from 'node:crypto';
import { AdService } from './service.ts';
import { liveShow, type DeskContext } from '../live/desk.ts';
import type { LiveSession } from '../live/session.ts';
import type { SessionRow } from '../store/writer.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import { DEFAULT_ECONOMICS, economicsEdits, learnedRefundRate, type EconomicsChange, type RoomEconomics } from '../../../shared/ads/economics.ts';
import type { AdActionRecord } from '../../../shared/ads/console.ts';
import { DEFAULT_GUARD_RAILS, chinaDay, type GuardRails } from '../../../shared/ads/plan-changes.ts';
import { PlanChanges } from './plan-changes.ts';
import type { PlatformPlanPort } from '../platforms/plan-port.ts';
import type { FeedCommand } from '../../../shared/protocol.ts';
import type { RequestArgs, RequestHandlers, RoomTargets } from '../../../shared/contract.ts';

export interface AdDeskOptions {
  /** the room's targets (the console judges ROI against the target ROI) */
  targets: (roomId: string) => RoomTargets;
  /** the relay takes ad commands */
  commandsSupported: boolean;
  /** the room's platform account, for changes on the platform itself (null: none) */
  platformPort?: (roomId: string) => PlatformPlanPort | null;
}

export class AdDesk {
  /** Each room's economics as last set or read from the store. */
  private readonly economics = new Map<string, RoomEconomics>();
  /** Ad plans (room|plan) with a command on its way to the relay: one at a time. */
  private readonly sending = new Set<string>();

  readonly planChanges: PlanChanges;

  constructor(
    private readonly ctx: DeskContext,
    private readonly opts: AdDeskOptions,
  ) {
    this.planChanges = new PlanChanges({
      port: (roomId) => opts.platformPort?.(roomId) ?? null,
      history: (roomId, planId) => this.actionsOf(roomId, planId),
      action: (id) => this.ctx.reader.adActions({ id })[0] ?? this.recent.find((a) => a.id === id),
      rails: (roomId) => this.railsFor(roomId),
      show: (roomId) => {
        const s = this.ctx.session(roomId);
        return s ? { sessionId: s.row.sessionId, ts: s.lastTs } : null;
      },
      spendPerMin: (roomId, planId) => this.ctx.session(roomId)?.ads.current()?.plans.find((p) => p.planId === planId)?.recent.spendPerMinFen ?? null,
      operator: () => this.ctx.operator(),
      record: (actions) => this.record(actions),
    });
  }

  /** Platform changes logged in this run, until the write queue has them on disk. */
  private recent: AdActionRecord[] = [];

  private actionsOf(roomId: string, planId: string): AdActionRecord[] {
    const stored = this.ctx.reader.adActions({ roomId, planId });
    const ids = new Set(stored.map((a) => a.id));
    return [...stored, ...this.recent.filter((a) => a.roomId === roomId && a.planId === planId && !ids.has(a.id))];
  }

  /** Rails as last set in this run: the write queue may not have them on disk yet. */
  private readonly rails = new Map<string, GuardRails>();

  railsFor(roomId: string): GuardRails {
    return this.rails.get(roomId) ?? this.ctx.reader.guardRails(roomId) ?? { ...DEFAULT_GUARD_RAILS };
  }

  setRails(roomId: string, rails: GuardRails): GuardRails {
    this.rails.set(roomId, { ...rails });
    this.ctx.write({ guardRails: [{ roomId, rails, updatedAt: Date.now() }] });
    return rails;
  }

  private record(actions: AdActionRecord[]): void {
    this.recent = [...this.recent, ...actions].slice(-500);
    this.ctx.write({ adActions: actions });
    for (const a of actions) {
      const s = this.ctx.session(a.roomId);
      if (s && s.row.sessionId === a.sessionId) s.noteAdAction(a);
    }
    const s = actions[0] && this.ctx.session(actions[0].roomId);
    if (s) this.tick(s, () => s.agg.snapshot(s.end), Date.now(), true);
  }

  /** A new show's console: the room's economics, the refund rate its earlier shows taught, its target ROI. */
  serviceFor(row: SessionRow): AdService {
    let learned = null;
    try {
      learned = learnedRefundRate(this.ctx.reader.refundHistory(row.roomId, row.startedAt));
    } catch (e) {
      this.ctx.log(`ads: refund history of ${row.roomId} unreadable: ${String(e)}`);
    }
    return new AdService({
      roomId: row.roomId,
      sessionId: row.sessionId,
      startedAt: row.startedAt,
      economics: this.economicsFor(row.roomId),
      learned,
      targetRoi: this.opts.targets(row.roomId).roi,
      commandsSupported: this.opts.commandsSupported,
    });
  }

  /** A show resumed after a restart: its action log (and marks) and economics changes, as stored. */
  restore(s: LiveSession): void {
    for (const a of this.ctx.reader.adActions({ sessionId: s.row.sessionId })) s.noteAdAction(a);
    for (const c of this.ctx.reader.economicsChanges({ sessionId: s.row.sessionId })) s.ads.addEconomicsChange(c);
  }

  economicsFor(roomId: string): RoomEconomics {
    let e = this.economics.get(roomId);
    if (!e) {
      e = this.ctx.reader.economics(roomId) ?? { ...DEFAULT_ECONOMICS, costOverrides: {} };
      this.economics.set(roomId, e);
    }
    return e;
  }

  /** New economics for a room; a change that changes something goes into the action log with the break-even it moved. */
  setEconomics(roomId: string, economics: RoomEconomics): RoomEconomics {
    const before = this.economicsFor(roomId);
    const e: RoomEconomics = { ...economics, costOverrides: { ...economics.costOverrides } };
    const at = Date.now();
    this.economics.set(roomId, e);
    this.ctx.write({ economics: [{ roomId, economics: e, updatedAt: at }] });
    const s = this.ctx.session(roomId);
    const tick = () => s && this.tick(s, () => s.agg.snapshot(s.end), Date.now(), true);
    const breakEvenBefore = s?.ads.current()?.economics.breakEvenRoi ?? null;
    s?.ads.setEconomics(e);
    tick();
    if (economicsEdits(before, e).length) {
      const live = s?.isLive ? s : null;
      const change: EconomicsChange = { id: `${roomId}|econ|${at}|${randomBytes(3).toString('hex')}`, roomId, sessionId: live?.row.sessionId ?? null, ts: live?.lastTs ?? null, at, before, after: e, breakEvenBefore, breakEvenAfter: s?.ads.current()?.economics.breakEvenRoi ?? null, ...this.ctx.operator() };
      this.ctx.write({ economicsChanges: [change] });
      if (live) {
        live.ads.addEconomicsChange(change);
        tick();
      }
    }
    return e;
  }

  /**
   * Recomputes a show's ad console (at most once a second, or now with `force`); a new break-even
   * goes to the alert rules. The KPIs keep METRICS.md's settings-only figure, so a report read
   * from the rollups stays identical to one recomputed from the events.
   */
  tick(s: LiveSession, snapshot: () => SessionMetrics, wallNow: number, force = false): void {
    const roomId = s.row.roomId;
    let r;
    try {
      r = s.ads.tick(s.end, wallNow, { minutes: () => snapshot().minutes, products: () => snapshot().products }, force);
    } catch (e) {
      this.ctx.log(`ads: ${roomId}: ${String(e)}`);
      return;
    }
    if (!r) return;
    s.setBreakEvenRoi(r.breakEvenRoi);
    if (this.ctx.listening()) this.ctx.emit({ topic: 'ads', payload: { roomId, ads: r.view } });
  }

  /**
   * Sends adBudget / adPause / adResume through the feed's command path; only once the relay
   * acknowledged it is the action logged (who from the settings, the budget before and after, why,
   * and whether it followed the advice), drawn on the charts and the console pushed.
   */
  async act(a: RequestArgs<'adAction'>): Promise<AdActionRecord> {
    const { roomId } = a;
    const s = liveShow(this.ctx, roomId);
    const plan = s.ads.plan(a.planId);
    if (!plan) throw new Error(`unknown ad plan "${a.planId}" in ${roomId}`);
    let command: FeedCommand;
    if (a.type === 'adBudget') {
      if (a.budgetFenPerMin === undefined) throw new Error('adBudget needs budgetFenPerMin');
      command = { type: 'adBudget', planId: a.planId, budgetFenPerMin: a.budgetFenPerMin };
    } else command = { type: a.type, planId: a.planId };
    const key = `${roomId}|${a.planId}`;
    if (this.sending.has(key)) throw new Error('a command for this plan is already on its way');
    const before = plan.budgetFenPerMin;
    this.sending.add(key);
    try {
      const ack = await this.ctx.command(roomId, command);
      if (!ack.ok) throw new Error(ack.error);
    } finally {
      this.sending.delete(key);
    }
    const at = Date.now();
    const rec: AdActionRecord = {
      id: `${s.row.sessionId}|ad|${a.planId}|${at}|${s.ads.actionCount + 1}`,
      roomId,
      sessionId: s.row.sessionId,
      ts: s.lastTs,
      at,
      planId: a.planId,
      type: a.type,
      before: a.type === 'adBudget' ? before : null,
      after: a.type === 'adBudget' ? (a.budgetFenPerMin ?? null) : null,
      ...this.ctx.operator(),
      reason: a.reason?.trim() || null,
      source: a.followedAdvice ? 'advice' : 'manual',
      result: 'ok',
    };
    s.noteAdAction(rec);
    this.ctx.write({ adActions: [rec] });
    this.tick(s, () => s.agg.snapshot(s.lastTs), at, true);
    return rec;
  }

  /** The console as of now, not as of the last push. */
  console(roomId: string) {
    const s = this.ctx.session(roomId);
    if (!s) return null;
    this.tick(s, () => s.agg.snapshot(s.end), Date.now(), true);
    return s.ads.current();
  }

  handlers(): RequestHandlers<'getAdConsole' | 'getEconomics' | 'setEconomics' | 'adAction' | 'adPlanPreview' | 'adPlanLog' | 'adPlanApply' | 'adPlanRevert' | 'getGuardRails' | 'setGuardRails'> {
    return {
      adPlanPreview: (a) => this.planChanges.preview(a),
      adPlanLog: async (a) => {
        const port = this.opts.platformPort?.(a.roomId);
        if (!port) throw new Error(`${a.roomId} has no platform account`);
        return port.log(a.planId, chinaDay(Date.now()).start);
      },
      adPlanApply: (a) => this.planChanges.apply(a),
      adPlanRevert: (a) => this.planChanges.revert(a),
      getGuardRails: (a) => this.railsFor(a.roomId),
      setGuardRails: (a) => this.setRails(a.roomId, a.rails),
      getAdConsole: (a) => this.console(a.roomId),
      getEconomics: (a) => ({ ...this.economicsFor(a.roomId) }),
      setEconomics: (a) => this.setEconomics(a.roomId, a.economics),
      adAction: (a) => this.act(a),
    };
  }
}
