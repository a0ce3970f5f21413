/**
 * Alerts in the core: the alerts of every room as the desks see them — the store's, overlaid with
 * those raised or acknowledged in this run (newer: the store's writes trail) — and the
 * acknowledgements, one or all at once, each recorded with who (name and role from the settings
 * of the desk that acknowledged). The rules themselves are shared/alerts/evaluate.ts.
 */
import type { Alert } from '../../../shared/contract.ts';
import type { StoreReader } from '../store/reader.ts';
import type { AlertAckRow } from '../store/writer.ts';

/** getAlerts returns at most this many (newest): a year of shows must not become one giant reply. */
export const ALERT_LIST_LIMIT = 500;

export interface Acknowledger {
  byName: string | null;
  byRole: string | null;
}

export interface AlertLogDeps {
  reader: StoreReader;
  /** Queues rows for the store. */
  write(part: { alerts?: Alert[]; alertAcks?: AlertAckRow[] }): void;
  /** Pushes a new or acknowledged alert to the desks. */
  emit(a: Alert): void;
  log(line: string): void;
}

export class AlertLog {
  private readonly recent = new Map<string, Alert>();

  constructor(private readonly deps: AlertLogDeps) {}

  /** A resumed session's stored alerts: acknowledging them works before the store is read again. */
  restore(stored: Iterable<Alert>): void {
    for (const a of stored) this.recent.set(a.id, a);
  }

  /** Alerts the rules just raised: kept, stored, pushed. */
  raised(fresh: Alert[]): void {
    if (!fresh.length) return;
    for (const a of fresh) {
      this.recent.set(a.id, a);
      this.deps.log(`alert: ${a.id}`);
    }
    this.deps.write({ alerts: fresh });
    for (const a of fresh) this.deps.emit(a);
  }

  /** Newest first, at most ALERT_LIST_LIMIT. */
  list(roomId?: string): Alert[] {
    const byId = new Map<string, Alert>();
    for (const a of this.deps.reader.alerts({ roomId, limit: ALERT_LIST_LIMIT })) byId.set(a.id, a);
    for (const a of this.recent.values()) if (roomId === undefined || a.roomId === roomId) byId.set(a.id, a);
    return [...byId.values()].sort(newestFirst).slice(0, ALERT_LIST_LIMIT);
  }

  /** The first acknowledgement stands: acknowledging again (another operator, a second click) changes nothing. */
  ack(id: string, who: Acknowledger, now = Date.now()): Alert {
    const a = this.recent.get(id) ?? this.deps.reader.alert(id);
    if (!a) throw new Error(`no alert ${id}`);
    if (a.acknowledgedAt !== null) return a;
    return this.record([a], who, now)[0]!;
  }

  /** Acknowledges every open alert of one room, or of every room: returns those it acknowledged, newest first. */
  ackAll(roomId: string | undefined, who: Acknowledger, now = Date.now()): Alert[] {
    const open = new Map<string, Alert>();
    for (const a of this.deps.reader.alerts({ roomId, open: true })) open.set(a.id, a);
    for (const a of this.recent.values()) {
      if (roomId !== undefined && a.roomId !== roomId) continue;
      // This run's state wins: acknowledged here while the store's write is still queued.
      if (a.acknowledgedAt === null) open.set(a.id, a);
      else open.delete(a.id);
    }
    return this.record([...open.values()].sort(newestFirst), who, now);
  }

  private record(alerts: Alert[], who: Acknowledger, now: number): Alert[] {
    if (!alerts.length) return [];
    const acked = alerts.map((a): Alert => ({ ...a, acknowledgedAt: now, acknowledgedBy: who.byName, acknowledgedRole: who.byRole }));
    for (const a of acked) this.recent.set(a.id, a);
    this.deps.write({ alertAcks: acked.map((a) => ({ id: a.id, acknowledgedAt: now, acknowledgedBy: a.acknowledgedBy, acknowledgedRole: a.acknowledgedRole })) });
    for (const a of acked) this.deps.emit(a);
    return acked;
  }
}

function newestFirst(a: Alert, b: Alert): number {
  return b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
