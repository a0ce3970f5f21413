import { afterEach, describe, expect, it } from 'vitest';
import { FeedClient } from '../../electron/core/feed/client.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
import type { FeedGap } from '../../shared/contract.ts';
import { ScriptedRelay, room, ev, T0 } from '../helpers/scripted-relay.ts';
import { waitFor } from '../helpers/util.ts';

interface Collected {
  events: FeedEvent[];
  quarantined: Array<{ seq: number | null; reason: string }>;
  cursor: number;
}

function collector(): Collected & { client: (url: string, token?: string, rooms?: string[]) => FeedClient } {
  const c: Collected = { events: [], quarantined: [], cursor: 0 };
  return Object.assign(c, {
    client: (url: string, token?: string, rooms?: string[]) =>
      new FeedClient({
        url,
        token,
        rooms,
        onEvents: (_r, _e, events, lastSeq) => {
          c.events.push(...events);
          c.cursor = lastSeq;
        },
        onQuarantine: (q) => c.quarantined.push({ seq: q.seq, reason: q.reason }),
      }),
  });
}

let relay: ScriptedRelay;
let client: FeedClient | undefined;
afterEach(async () => {
  client?.stop();
  client = undefined;
  await relay?.close();
});

describe('feed client against a real Socket.IO relay on loopback', () => {
  it('reports a wrong token as unauthorized and does not retry in a loop', async () => {
    relay = new ScriptedRelay('right');
    relay.rooms = [room('r1')];
    await relay.listen();
    const c = collector();
    client = c.client(relay.url, 'wrong');
    client.start();
    await waitFor(() => client!.connection.status === 'failed', 'failed state');
    expect(client.connection.error).toMatch(/unauthorized/);
    // A second, correct client connects and subscribes: by then a retrying bad client would have tried again.
    const good = collector();
    const goodClient = good.client(relay.url, 'right');
    goodClient.start();
    await waitFor(() => relay.subscribes.length === 1, 'good client subscribed');
    relay.send('r1', [ev(1)]);
    await waitFor(() => good.events.length === 1, 'good client event');
    goodClient.stop();
    expect(relay.connectionAttempts).toBe(2);
    expect(client.connection.status).toBe('failed');
  });

  it('subscribes to every listed room, or only the chosen ones', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('a'), room('b'), room('c')];
    await relay.listen();
    const c = collector();
    client = c.client(relay.url, undefined, ['a', 'c']);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    expect(relay.subscribes[0]!.rooms.map((r) => r.roomId)).toEqual(['a', 'c']);
    relay.send('b', [ev(1)]);
    relay.send('a', [ev(1)]);
    await waitFor(() => c.events.length === 1, 'event of room a');
    await waitFor(() => client!.connection.status === 'live', 'live');
  });

  it('quarantines malformed events with the reason and keeps the rest of the batch', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    relay.send('r1', [
      ev(1),
      { seq: 2, ts: T0, type: 'enter', n: -5 }, // negative count
      { seq: 3, ts: T0, type: 'order', orderId: 'o1', productId: 'p', qty: 1, amountFen: 'lots', status: 'paid' }, // wrong type
      ev(4),
      { seq: 5, ts: T0, type: 'sparkle', glitter: true }, // unknown type, valid envelope: kept, not quarantined
      'not even an object',
      ev(6),
    ]);
    relay.sendRaw({ roomId: 42, events: 'nope' }); // a malformed message
    await waitFor(() => c.cursor === 6 && c.quarantined.length === 4, 'batch and bad message processed');
    expect(c.events.map((e) => e.seq)).toEqual([1, 4, 5, 6]);
    expect(c.quarantined.map((q) => q.seq)).toEqual([2, 3, null, null]);
    expect(c.quarantined[0]!.reason).toMatch(/enter: n/);
    expect(c.quarantined[1]!.reason).toMatch(/order: amountFen/);
    expect(c.quarantined[3]!.reason).toMatch(/events message/);
    expect(client.connection.quarantined).toBe(4);
    expect(client.connection.status).toBe('live');
  });

  it('ignores duplicates and fills a skipped seq by resubscribing with afterSeq', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq;
      // On the resubscribe the relay resends everything after the cursor, including what it sent before.
      if (after !== undefined) call.socket.emit('events', { roomId: 'r1', events: [3, 4, 5, 6].filter((s) => s > after).map((s) => ev(s)) });
    };
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    relay.send('r1', [ev(1), ev(2), ev(2), ev(1)]);
    relay.send('r1', [ev(3), ev(5), ev(6)]); // 4 is missing
    await waitFor(() => c.cursor === 6, 'cursor at 6');
    expect(relay.subscribes[1]!.rooms).toEqual([{ roomId: 'r1', afterSeq: 3 }]);
    expect(c.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.connection.duplicates).toBeGreaterThanOrEqual(2);
  });

  it('after a dropped connection resubscribes from the last seq: no gap, no duplicate', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    const sent: number[] = [];
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq ?? 0;
      call.socket.emit('events', { roomId: 'r1', events: sent.filter((s) => s > after).map((s) => ev(s)) });
    };
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    for (let s = 1; s <= 50; s++) sent.push(s);
    relay.send('r1', sent.slice(0, 30).map((s) => ev(s)));
    await waitFor(() => c.cursor === 30, 'first part');
    relay.rooms = [room('r1', 50)];
    // Mid-batch: the connection drops before events 31–50 reach the client.
    relay.dropAll();
    await waitFor(() => relay.subscribes.length === 2, 'resubscribe after reconnect', 20_000);
    expect(relay.subscribes[1]!.rooms[0]!.afterSeq).toBe(30);
    await waitFor(() => c.cursor === 50, 'rest delivered');
    expect(c.events.map((e) => e.seq)).toEqual(sent);
    expect(client.connection.reconnects).toBe(1);
  });

  it('gives up a hole the relay can never fill only after a long while without progress, then steps over exactly it', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1', 3)];
    await relay.listen();
    relay.onSubscribe = (call) => {
      // seq 2 was malformed beyond recognition: the relay only ever has 1 and 3.
      call.socket.emit('events', { roomId: 'r1', events: [ev(1), { ts: T0, type: 'enter' }, ev(3)] });
    };
    const c = collector();
    const gaps: FeedGap[] = [];
    client = new FeedClient({
      url: relay.url,
      timing: { firstRetryMs: 100, maxRetryMs: 400, giveUpAfterMs: 1_500 },
      onEvents: (_r, _e, events, lastSeq) => {
        c.events.push(...events);
        c.cursor = lastSeq;
      },
      onQuarantine: (q) => c.quarantined.push({ seq: q.seq, reason: q.reason }),
      onGap: (g) => gaps.push(g),
    });
    const opened = Date.now();
    client.start();
    await waitFor(() => client!.connection.holes?.length === 1, 'the hole shown as being filled');
    expect(client.connection.holes![0]).toMatchObject({ roomId: 'r1', fromSeq: 2, toSeq: 2 });
    await waitFor(() => c.cursor === 3, 'moved past the hole');
    expect(gaps).toEqual([expect.objectContaining({ roomId: 'r1', fromSeq: 2, toSeq: 2, reason: 'no-progress' })]);
    expect(gaps[0]!.at - opened).toBeGreaterThanOrEqual(1_500);
    expect(c.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(client.connection.gapsAccepted).toBe(1);
    expect(client.connection.holes).toEqual([]);
    // The malformed event without a seq is quarantined (each time the relay resends it); the hole
    // itself is a gap, not a quarantined event.
    expect(c.quarantined.length).toBeGreaterThanOrEqual(1);
    expect(c.quarantined.every((q) => q.seq === null && !/gap/.test(q.reason))).toBe(true);
    // Backed off: a handful of resubscribes in 1.5 s, not one per message.
    expect(relay.subscribes.length).toBeLessThanOrEqual(8);
  });
});

describe('resume whatever the relay does', () => {
  /** A relay that holds `total` events and streams a backlog in chunks, each `delayMs` apart, acknowledging first. */
  function slowBacklogRelay(total: number, delayMs: number, opts: { chunk?: number; ack?: boolean } = {}): number[] {
    const all = Array.from({ length: total }, (_, i) => i + 1);
    relay.rooms = [room('r1', total)];
    relay.ackSubscribe = opts.ack ?? true;
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq ?? 0;
      const rest = all.filter((s) => s > after);
      const chunk = opts.chunk ?? 10;
      for (let i = 0; i * chunk < rest.length; i++) {
        setTimeout(() => call.socket.emit('events', { roomId: 'r1', events: rest.slice(i * chunk, (i + 1) * chunk).map((s) => ev(s)) }), delayMs * (i + 1));
      }
    };
    return all;
  }

  for (const delayMs of [50, 300]) {
    it(`takes a backlog acknowledged first and streamed ${delayMs} ms a chunk: nothing lost, no hole accepted`, async () => {
      relay = new ScriptedRelay();
      await relay.listen();
      const all = slowBacklogRelay(162, delayMs);
      const c = collector();
      client = c.client(relay.url);
      client.start();
      await waitFor(() => relay.subscribes.length >= 1, 'subscribed');
      // Live events race ahead of the backlog: they wait beyond the hole instead of being lost.
      relay.send('r1', [ev(163), ev(164)]);
      relay.rooms = [room('r1', 164)];
      await waitFor(() => c.cursor === 164, 'backlog and live events in', 30_000);
      expect(c.events.map((e) => e.seq)).toEqual([...all, 163, 164]);
      expect(client.connection.gapsAccepted).toBe(0);
      expect(c.quarantined).toEqual([]);
    });
  }

  it('works with a relay that never acknowledges the subscription', async () => {
    relay = new ScriptedRelay();
    await relay.listen();
    const all = slowBacklogRelay(40, 20, { ack: false });
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => c.cursor === 40, 'events of an unacknowledged subscription');
    expect(c.events.map((e) => e.seq)).toEqual(all);
    expect(client.connection.status).toBe('live');
  });

  it('steps over at once what the relay says it no longer holds (firstSeq), and records it', async () => {
    relay = new ScriptedRelay();
    await relay.listen();
    relay.rooms = [{ ...room('r1', 20), firstSeq: 10 }];
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq ?? 0;
      call.socket.emit('events', { roomId: 'r1', events: Array.from({ length: 20 }, (_, i) => i + 1).filter((s) => s >= 10 && s > after).map((s) => ev(s)) });
    };
    const c = collector();
    const gaps: FeedGap[] = [];
    client = new FeedClient({
      url: relay.url,
      cursors: new Map([['r1', { epoch: 0, lastSeq: 3 }]]),
      onEvents: (_r, _e, events, lastSeq) => {
        c.events.push(...events);
        c.cursor = lastSeq;
      },
      onQuarantine: (q) => c.quarantined.push({ seq: q.seq, reason: q.reason }),
      onGap: (g) => gaps.push(g),
    });
    client.start();
    await waitFor(() => c.cursor === 20, 'events from firstSeq on');
    expect(gaps).toEqual([expect.objectContaining({ fromSeq: 4, toSeq: 9, reason: 'relay-no-longer-holds' })]);
    expect(c.events.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(relay.subscribes[0]!.rooms[0]!.afterSeq).toBe(9);
  });

  it('never lets an absurd seq move the cursor: later events are still taken, the absurd one is quarantined', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1', 0)];
    await relay.listen();
    const c = collector();
    client = new FeedClient({
      url: relay.url,
      timing: { firstRetryMs: 100, maxRetryMs: 300, giveUpAfterMs: 1_000 },
      onEvents: (_r, _e, events, lastSeq) => {
        c.events.push(...events);
        c.cursor = lastSeq;
      },
      onQuarantine: (q) => c.quarantined.push({ seq: q.seq, reason: q.reason }),
    });
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribed');
    relay.rooms = [room('r1', 4)];
    relay.send('r1', [ev(1), ev(2), ev(Number.MAX_SAFE_INTEGER), ev(3), ev(4)]);
    await waitFor(() => c.cursor === 4, 'events after the absurd seq');
    relay.rooms = [room('r1', 6)];
    relay.send('r1', [ev(5), ev(6)]);
    await waitFor(() => c.cursor === 6, 'later events still taken');
    await waitFor(() => c.quarantined.some((q) => /seq 9007199254740991 is beyond the relay's own newest seq/.test(q.reason)), 'the absurd seq quarantined');
    expect(c.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.connection.gapsAccepted).toBe(0);
    await waitFor(() => client!.connection.holes?.length === 0, 'no hole left open');
  });

  it('a relay whose numbering went backwards starts a new epoch, and the receiver is told before the history comes again', async () => {
    relay = new ScriptedRelay();
    await relay.listen();
    relay.rooms = [room('r1', 5)];
    const calls: string[] = [];
    relay.onSubscribe = (call) => {
      calls.push(`subscribe ${call.rooms[0]!.afterSeq ?? 'all'}`);
      call.socket.emit('events', { roomId: 'r1', events: [1, 2, 3, 4, 5].map((s) => ev(s)) });
    };
    const got: Array<[number, number]> = [];
    client = new FeedClient({
      url: relay.url,
      cursors: new Map([['r1', { epoch: 0, lastSeq: 40 }]]),
      onEvents: (_r, epoch, events) => got.push(...events.map((e) => [epoch, e.seq] as [number, number])),
      onQuarantine: () => undefined,
      onEpoch: (roomId, epoch) => {
        calls.push(`epoch ${roomId} ${epoch}`);
      },
    });
    client.start();
    await waitFor(() => got.length === 5, 'the restarted relay history');
    expect(calls).toEqual(['epoch r1 1', 'subscribe all']);
    expect(got).toEqual([1, 2, 3, 4, 5].map((s) => [1, s]));
  });
});

describe('protocol extensions', () => {
  it('keeps fields a relay adds compatibly', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    relay.send('r1', [ev(1, { source: 'search', campaign: 'double11' })]);
    await waitFor(() => c.events.length === 1, 'event');
    expect(c.events[0]).toMatchObject({ seq: 1, type: 'enter', source: 'search', campaign: 'double11' });
  });
});

describe('large messages', () => {
  it('handles a huge message in slices, in order, yielding in between', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    const slices: number[] = [];
    const c = collector();
    client = new FeedClient({
      url: relay.url,
      onEvents: (_r, _e, events, lastSeq) => {
        slices.push(events.length);
        c.events.push(...events);
        c.cursor = lastSeq;
      },
      onQuarantine: () => undefined,
    });
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    relay.send('r1', Array.from({ length: 5000 }, (_, i) => ev(i + 1)));
    relay.send('r1', [ev(5001)]);
    await waitFor(() => c.cursor === 5001, 'all processed');
    expect(c.events.map((e) => e.seq)).toEqual(Array.from({ length: 5001 }, (_, i) => i + 1));
    expect(Math.max(...slices)).toBeLessThanOrEqual(250);
  });

  it('fills a gap from a backlog larger than one slice without accepting a false hole', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    const all = Array.from({ length: 3000 }, (_, i) => ev(i + 1));
    relay.onSubscribe = (call) => {
      const after = call.rooms[0]!.afterSeq;
      if (after !== undefined) call.socket.emit('events', { roomId: 'r1', events: all.filter((e) => (e.seq as number) > after) });
    };
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => relay.subscribes.length === 1, 'subscribe');
    relay.send('r1', all.slice(0, 10));
    relay.send('r1', all.slice(20, 30)); // 11–20 missing
    await waitFor(() => c.cursor === 3000, 'backlog processed');
    expect(c.events.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(client.connection.gapsAccepted).toBe(0);
    expect(relay.subscribes).toHaveLength(2);
  });
});
