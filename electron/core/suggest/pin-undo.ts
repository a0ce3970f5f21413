/**
 * The last pin this app sent in a show (from the product board or an accepted suggestion), so an
 * accidental one can be undone: the undo re-pins what was explained before and goes into the
 * decision log as such (issue 15: "no undo for a live pin"). Only the newest pin can be undone,
 * only while it is still what the room explains, and only by naming it — a second screen's later
 * pin is never undone by a stale button.
 */
import type { Decision, DecisionKind } from '../../../shared/suggest/live.ts';
import type { FeedCommand } from '../../../shared/protocol.ts';

export interface AppPin {
  /** the decision log's key for the undo: the suggestion's id, or one of the pin's own */
  id: string;
  kind: DecisionKind;
  productId: string | null;
  /** what was explained when it was sent: what an undo pins again */
  previousProductId: string | null;
  ts: number;
}

export class AppPins {
  private last: AppPin | null = null;

  constructor(
    private readonly roomId: string,
    private readonly sessionId: string,
  ) {}

  get current(): AppPin | null {
    return this.last;
  }

  /** A pin the relay acknowledged. `suggestionId`: the accepted suggestion it came from, if any. */
  sent(p: { kind: DecisionKind; suggestionId: string | null; productId: string | null; previousProductId: string | null; ts: number }): AppPin {
    this.last = { id: p.suggestionId ?? `${this.sessionId}|pin:${p.productId ?? 'none'}:${p.ts}`, kind: p.kind, productId: p.productId, previousProductId: p.previousProductId, ts: p.ts };
    return this.last;
  }

  /** The pin an undo of `productId` reverts, given what is explained now; throws, in words, when there is none. */
  undoable(productId: string | null, pinnedNow: string | null): AppPin {
    const pin = this.last;
    if (!pin || pin.productId !== productId) throw new Error('nothing to undo: that is not the last pin sent from here');
    if (pinnedNow !== productId) throw new Error('the room now explains another product: the pin was changed since');
    return pin;
  }

  /** The relay took the undo: its decision-log row, and nothing left to undo. */
  undone(pin: AppPin, ts: number, at: number, command: FeedCommand, who: { byName: string | null; byRole: string | null }): Decision {
    this.last = null;
    return {
      suggestionId: pin.id,
      sessionId: this.sessionId,
      roomId: this.roomId,
      ts,
      at,
      kind: pin.kind,
      productId: pin.previousProductId,
      action: 'undone',
      figures: { undoneProductId: pin.productId, restoredProductId: pin.previousProductId },
      reasons: [],
      ...who,
      reason: null,
      command,
    };
  }
}
