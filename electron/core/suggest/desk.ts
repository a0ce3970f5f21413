/**
 * The suggestions as a desk: each show's suggestions (with the priors earlier shows taught), the operator's
 * answers to them, the room's run-of-show, and the pins sent from the screen — the product
 * board's and an accepted suggestion's — which stay undoable until another pin follows.
 */
import { SuggestService } from './service.ts';
import { RunOfShowBook } from './run-of-show.ts';
import { PlanTableError, readPlanBytes } from './plan-file.ts';
import { liveShow, type DeskContext } from '../live/desk.ts';
import type { LiveSession } from '../live/session.ts';
import type { SessionRow } from '../store/writer.ts';
import { boardFigures } from '../../../shared/suggest/board.ts';
import type { Decision, ShownSuggestion } from '../../../shared/suggest/live.ts';
import type { LearnedPriors } from '../../../shared/suggest/types.ts';
import type { PlanItem } from '../../../shared/suggest/plan.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import type { CommandAck, FeedCommand } from '../../../shared/protocol.ts';
import type { RequestArgs, RequestHandlers, RunOfShowView } from '../../../shared/contract.ts';

type SuggestRequests = 'getSuggestions' | 'acceptSuggestion' | 'dismissSuggestion' | 'getRunOfShow' | 'setRunOfShow' | 'importRunOfShow' | 'sendCommand' | 'undoPin';

export class SuggestDesk {
  /** What the newest show of each room taught in this run (the store's copy trails the write queue). */
  private readonly learned = new Map<string, { sessionId: string; startedAt: number; priors: LearnedPriors }>();
  /** Suggestions whose accept is on its way to the relay: a second click must not send it twice. */
  private readonly accepting = new Set<string>();
  /** Each room's run-of-show as stored. */
  private readonly plans: RunOfShowBook;

  constructor(private readonly ctx: DeskContext) {
    this.plans = new RunOfShowBook({ reader: ctx.reader, write: (part) => ctx.write(part) });
  }

  /** A new show's suggestions: priors from the room's earlier shows, and its run-of-show from the start. */
  serviceFor(row: SessionRow): SuggestService {
    const svc = new SuggestService({ roomId: row.roomId, sessionId: row.sessionId, priors: this.priorsFor(row.roomId, row.startedAt) });
    const plan = this.plans.get(row.roomId);
    if (plan?.items.length) svc.setPlan(plan.items, false);
    return svc;
  }

  /** Recomputes a show's suggestions (at most once a second), logs the new ones as shown, pushes when they changed. */
  push(s: LiveSession, wallNow: number, force = false, snapshot?: () => SessionMetrics): void {
    // The board's rows and the room's KPIs, so the cards quote what the board shows (read only when recomputing).
    const board = () => {
      const snap = snapshot ? snapshot() : s.agg.snapshot(s.end);
      return boardFigures(snap.products, snap.kpis);
    };
    const r = s.suggest.tick(s.lastTs, wallNow, force, board);
    if (!r) return;
    if (r.shown.length) {
      const who = this.ctx.operator();
      this.ctx.write({ decisions: r.shown.map((d) => ({ ...d, ...who })) });
    }
    this.ctx.emit({ topic: 'suggestions', payload: { roomId: s.row.roomId, suggestions: r.live } });
  }

  /** Stores what the show taught (at its end, and at stop for one still live: a restart resumes it). */
  saveLearned(s: LiveSession, ended: boolean): void {
    if (s.suggest.isEnded) return;
    let priors: LearnedPriors;
    try {
      priors = s.suggest.learned(s.end);
    } catch (e) {
      this.ctx.log(`suggestions: learning failed for ${s.row.sessionId}: ${String(e)}`);
      return;
    }
    if (ended) {
      s.suggest.end();
      // The panel empties at once rather than at the next tick.
      if (this.ctx.listening()) this.push(s, Date.now(), true);
    }
    const row = { roomId: s.row.roomId, sessionId: s.row.sessionId, startedAt: s.row.startedAt, priors };
    const mine = this.learned.get(row.roomId);
    if (!mine || mine.startedAt <= row.startedAt) this.learned.set(row.roomId, row);
    this.ctx.write({ priors: [{ ...row, updatedAt: Date.now() }] });
  }

  /** The room's newest learned priors from an earlier show: this run's, or the store's. */
  private priorsFor(roomId: string, startedAt: number): LearnedPriors | null {
    const mine = this.learned.get(roomId);
    const stored = this.ctx.reader.suggestPriors(roomId, startedAt);
    const fresh = mine && mine.startedAt < startedAt ? mine : undefined;
    if (fresh && (!stored || fresh.startedAt >= stored.startedAt)) return fresh.priors;
    return stored?.priors ?? null;
  }

  private suggesting(roomId: string): LiveSession {
    const s = this.ctx.session(roomId);
    if (!s || s.suggest.isEnded) throw new Error(`no live show in ${roomId}`);
    return s;
  }

  /** Sends the suggestion's pin / flash command; only once the relay acknowledged it is it logged as accepted. */
  private async accept(roomId: string, suggestionId: string): Promise<Decision> {
    const s = this.suggesting(roomId);
    const done = s.suggest.decisionOf(suggestionId);
    if (done) return done;
    const item = s.suggest.find(suggestionId);
    if (!item) throw new Error('this suggestion is no longer shown');
    if (this.accepting.has(suggestionId)) throw new Error('already being sent');
    const command = s.suggest.commandFor(item);
    const previous = s.agg.pinnedAt(s.lastTs);
    this.accepting.add(suggestionId);
    try {
      const ack = await this.ctx.command(roomId, command);
      if (!ack.ok) throw new Error(ack.error);
    } finally {
      this.accepting.delete(suggestionId);
    }
    if (command.type === 'pin') s.appPins.sent({ kind: item.kind, suggestionId, productId: command.productId, previousProductId: previous, ts: s.lastTs });
    return this.decide(s, item, 'accepted', command, null);
  }

  /** A card the core showed recently can still be dismissed (the operator may finish typing after it went). */
  private dismiss(roomId: string, suggestionId: string, reason: string | undefined): Decision {
    const s = this.suggesting(roomId);
    const done = s.suggest.decisionOf(suggestionId);
    if (done) return done;
    const item = s.suggest.find(suggestionId);
    if (!item) throw new Error('this suggestion is no longer shown');
    return this.decide(s, item, 'dismissed', null, reason?.trim() || null);
  }

  private decide(s: LiveSession, item: ShownSuggestion, action: 'accepted' | 'dismissed', command: FeedCommand | null, reason: string | null): Decision {
    const d = s.suggest.decide(item, action, s.lastTs, Date.now(), command, reason, this.ctx.operator());
    this.ctx.write({ decisions: [d] });
    this.push(s, Date.now(), true);
    return d;
  }

  /** A relay command from the screen; a pin it acknowledged can be undone (the product board's pins). */
  private async sendCommand(roomId: string, command: FeedCommand): Promise<CommandAck> {
    const s = this.ctx.session(roomId);
    const previous = s ? s.agg.pinnedAt(s.lastTs) : null;
    const ack = await this.ctx.command(roomId, command);
    if (ack.ok && command.type === 'pin' && s?.isLive) s.appPins.sent({ kind: 'pin', suggestionId: null, productId: command.productId, previousProductId: previous, ts: s.lastTs });
    return ack;
  }

  /** Takes back the last pin sent from here: what was explained before is pinned again, and the decision log says so. */
  private async undoPin(roomId: string, productId: string | null): Promise<Decision> {
    const s = liveShow(this.ctx, roomId);
    const pin = s.appPins.undoable(productId, s.agg.pinnedAt(s.lastTs));
    const command: FeedCommand = { type: 'pin', productId: pin.previousProductId };
    const ack = await this.ctx.command(roomId, command);
    if (!ack.ok) throw new Error(ack.error);
    const d = s.appPins.undone(pin, s.lastTs, Date.now(), command, this.ctx.operator());
    this.ctx.write({ decisions: [d] });
    return d;
  }

  private runOfShowView(roomId: string): RunOfShowView {
    const stored = this.plans.get(roomId);
    const s = this.ctx.session(roomId);
    return {
      roomId,
      items: stored?.items ?? [],
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
      live: s && !s.suggest.isEnded ? (s.suggest.current()?.runOfShow ?? null) : null,
    };
  }

  /** The live show's catalog (id, title), or null when the room has no show running. */
  private catalogOf(roomId: string): { id: string; title: string }[] | null {
    const s = this.ctx.session(roomId);
    if (!s?.isLive) return null;
    return s.agg.snapshot(s.lastTs).products.map((p) => ({ id: p.productId, title: p.title ?? p.productId }));
  }

  /** Replaces the room's run-of-show; during a show its products must be in the catalog and its clock starts now. */
  private setRunOfShow(roomId: string, items: PlanItem[]): RunOfShowView {
    const row = this.plans.save(roomId, items, this.ctx.operator().byName, this.catalogOf(roomId));
    const s = this.ctx.session(roomId);
    if (s && !s.suggest.isEnded) {
      s.suggest.setPlan(row.items, true);
      this.push(s, Date.now(), true);
    }
    return this.runOfShowView(roomId);
  }

  /** A refused file says every problem (up to 20), in the page's language, with the product probably meant. */
  private async importRunOfShow(a: RequestArgs<'importRunOfShow'>): Promise<RunOfShowView> {
    const bytes = Buffer.from(a.dataBase64, 'base64');
    let items: PlanItem[];
    try {
      items = await readPlanBytes(bytes, a.fileName, this.catalogOf(a.roomId) ?? undefined);
    } catch (e) {
      if (e instanceof PlanTableError) throw new Error(e.text(a.locale ?? 'en'));
      throw e;
    }
    return this.setRunOfShow(a.roomId, items);
  }

  handlers(): RequestHandlers<SuggestRequests> {
    return {
      getSuggestions: (a) => this.ctx.session(a.roomId)?.suggest.current() ?? null,
      acceptSuggestion: (a) => this.accept(a.roomId, a.suggestionId),
      dismissSuggestion: (a) => this.dismiss(a.roomId, a.suggestionId, a.reason),
      getRunOfShow: (a) => this.runOfShowView(a.roomId),
      setRunOfShow: (a) => this.setRunOfShow(a.roomId, a.items),
      importRunOfShow: (a) => this.importRunOfShow(a),
      sendCommand: (a) => this.sendCommand(a.roomId, a.command),
      undoPin: (a) => this.undoPin(a.roomId, a.productId ?? null),
    };
  }
}
