import { afterEach, describe, expect, it } from 'vitest';
import { FeedClient } from '../../electron/core/feed/client.ts';
import type { FeedEvent } from '../../shared/protocol.ts';
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

  it('accepts a hole the relay can never fill instead of looping', async () => {
    relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    relay.onSubscribe = (call) => {
      // seq 2 was malformed beyond recognition: the relay only ever has 1 and 3.
      call.socket.emit('events', { roomId: 'r1', events: [ev(1), { ts: T0, type: 'enter' }, ev(3)] });
    };
    const c = collector();
    client = c.client(relay.url);
    client.start();
    await waitFor(() => c.cursor === 3, 'moved past the hole');
    expect(c.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(client.connection.gapsAccepted).toBe(1);
    expect(c.quarantined.some((q) => /gap: seq 2/.test(q.reason))).toBe(true);
    expect(relay.subscribes.length).toBeLessThanOrEqual(4);
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
