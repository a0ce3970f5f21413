/**
 * Alerts and each room's targets: the rules judged on every show, what they raised (stored and
 * pushed), acknowledgements, and the targets the rules and the ad console judge against.
 */
import { AlertLog } from './log.ts';
import type { DeskContext } from '../live/desk.ts';
import type { LiveSession } from '../live/session.ts';
import type { SessionMetrics } from '../../../shared/metrics/types.ts';
import { DEFAULT_TARGETS, type Alert, type RequestHandlers, type RoomTargets } from '../../../shared/contract.ts';

export class AlertDesk {
  private readonly log: AlertLog;
  /** Targets per room as last set or read from the store. */
  private readonly targets = new Map<string, RoomTargets>();

  constructor(private readonly ctx: DeskContext) {
    this.log = new AlertLog({
      reader: ctx.reader,
      write: (part) => ctx.write(part),
      emit: (a) => ctx.emit({ topic: 'alert', payload: a }),
      log: (line) => ctx.log(line),
    });
  }

  targetsFor(roomId: string): RoomTargets {
    let t = this.targets.get(roomId);
    if (!t) {
      t = this.ctx.reader.targets(roomId) ?? { ...DEFAULT_TARGETS };
      this.targets.set(roomId, t);
    }
    return t;
  }

  /** Validated by RoomTargetsSchema already; applies to the live session's rules at once. */
  setTargets(roomId: string, targets: RoomTargets): RoomTargets {
    const t = { ...targets };
    this.targets.set(roomId, t);
    this.ctx.write({ targets: [{ roomId, targets: t, updatedAt: Date.now() }] });
    const s = this.ctx.session(roomId);
    if (s) {
      s.evaluator.setTargets(t);
      s.evalDirty = true;
      s.ads.setTargetRoi(t.roi);
    }
    return { ...t };
  }

  /** A show resumed after a restart: what it already raised counts as raised (no repeat while it holds). */
  restore(s: LiveSession, stored: Alert[]): void {
    s.evaluator.restore(stored);
    this.log.restore(stored);
  }

  /** The rules judged on the show's newest figures (with or without a screen attached); what they raise is stored and pushed. */
  evaluate(s: LiveSession, snapshot: () => SessionMetrics): void {
    this.log.raised(s.evaluateAlerts(snapshot));
  }

  /** Newest first: the store's alerts merged with this run's (which are newer: acknowledgements, writes not yet committed). */
  list(roomId?: string): Alert[] {
    return this.log.list(roomId);
  }

  handlers(): RequestHandlers<'getAlerts' | 'ackAlert' | 'ackAlerts' | 'getTargets' | 'setTargets'> {
    return {
      getAlerts: (a) => this.list(a.roomId),
      ackAlert: (a) => {
        const who = this.ctx.operator();
        return this.log.ack(a.id, a.by !== undefined ? { ...who, byName: a.by } : who);
      },
      ackAlerts: (a) => this.log.ackAll(a.roomId, this.ctx.operator()),
      getTargets: (a) => ({ ...this.targetsFor(a.roomId) }),
      setTargets: (a) => this.setTargets(a.roomId, a.targets),
    };
  }
}
