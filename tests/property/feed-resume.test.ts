/**
 * "Resume is exact whatever the relay does": each run generates a relay's behaviour — when it
 * acknowledges a subscription (first, last, late, never), how it pages its backlog, duplicated and
 * reordered messages, dropped connections, a history it trims while the client is away — and plays
 * it through a real Socket.IO server on loopback against the real FeedClient. The client must hand
 * on every event exactly once, in seq order, with the relay's content, and give up only seqs the
 * relay said it no longer holds, each reported as a gap.
 */
import { describe, it, expect } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { FeedClient } from '../../electron/core/feed/client.ts';
import type { FeedGap } from '../../shared/contract.ts';
import type { FeedEvent, RoomInfo } from '../../shared/protocol.ts';
import { checkDoorAsync, fc, fuzzTimeout } from '../helpers/fuzz.ts';
import { waitFor } from '../helpers/util.ts';

const ROOM = 'r1';
const T0 = 1_700_000_000_000;

interface Behaviour {
  total: number;
  /** Live messages: sizes of the batches the events are published in. */
  batch: number;
  ack: 'first' | 'last' | 'late' | 'never';
  answersRooms: boolean;
  backlogChunk: number;
  backlogDelayMs: number;
  /** Per live message: resend an earlier message after it, swap it with the next, drop the connection after it. */
  dupEvery: number;
  swapEvery: number;
  dropAfter: number | null;
  /** After this many live messages the relay forgets every event below `trimTo` (and says so in firstSeq). */
  trim: { afterMessage: number; keepFrom: number } | null;
}

const behaviour: fc.Arbitrary<Behaviour> = fc
  .record({
    total: fc.integer({ min: 5, max: 240 }),
    batch: fc.integer({ min: 1, max: 40 }),
    ack: fc.constantFrom('first', 'last', 'late', 'never'),
    answersRooms: fc.boolean(),
    backlogChunk: fc.integer({ min: 1, max: 60 }),
    backlogDelayMs: fc.integer({ min: 0, max: 25 }),
    dupEvery: fc.integer({ min: 0, max: 4 }),
    swapEvery: fc.integer({ min: 0, max: 4 }),
    dropAfter: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
    trim: fc.option(fc.record({ afterMessage: fc.integer({ min: 0, max: 6 }), keepFrom: fc.integer({ min: 2, max: 120 }) }), { nil: null }),
  })
  // A relay that answers nothing about itself cannot say what it no longer holds: a trimmed hole
  // then waits forever (correctly), which is not what this property measures.
  .filter((b) => !(b.trim && !b.answersRooms && b.ack === 'never'));

function event(seq: number): FeedEvent {
  return seq === 1 ? { seq, ts: T0, type: 'session', status: 'live', startedAt: T0 } : { seq, ts: T0 + seq * 997, type: 'enter', n: (seq % 3) + 1 };
}

async function play(b: Behaviour): Promise<void> {
  const http = createServer();
  const io = new Server(http);
  const all = Array.from({ length: b.total }, (_, i) => event(i + 1));
  let published = 0;
  let firstSeq = 1;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const info = (): RoomInfo => ({ roomId: ROOM, platform: 'test', title: ROOM, status: 'live', startedAt: T0, lastSeq: published, firstSeq });
  const held = () => all.slice(firstSeq - 1, published);
  const nsp = io.of('/feed');
  nsp.on('connection', (socket: Socket) => {
    socket.on('rooms', (ack: (r: RoomInfo[]) => void) => {
      if (b.answersRooms) ack([info()]);
    });
    socket.on('subscribe', (payload: { rooms: Array<{ roomId: string; afterSeq?: number }> }, ack: (a: unknown) => void) => {
      const after = payload.rooms[0]?.afterSeq ?? 0;
      const backlog = held().filter((e) => e.seq > after);
      void socket.join(ROOM);
      const answer = () => ack({ ok: true, rooms: [info()] });
      if (b.ack === 'first') answer();
      const chunks = Math.ceil(backlog.length / b.backlogChunk);
      for (let i = 0; i < chunks; i++) {
        const part = backlog.slice(i * b.backlogChunk, (i + 1) * b.backlogChunk);
        if (b.backlogDelayMs === 0) socket.emit('events', { roomId: ROOM, events: part });
        else later(b.backlogDelayMs * (i + 1), () => socket.emit('events', { roomId: ROOM, events: part }));
      }
      if (b.ack === 'last') later(b.backlogDelayMs * (chunks + 1), answer);
      if (b.ack === 'late') later(b.backlogDelayMs * (chunks + 1) + 200, answer);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const got: FeedEvent[] = [];
  const gaps: FeedGap[] = [];
  let cursor = 0;
  const client = new FeedClient({
    url,
    rooms: [ROOM],
    timing: { firstRetryMs: 150, maxRetryMs: 600, giveUpAfterMs: 2_500, ackTimeoutMs: 1_500 },
    onEvents: (_r, _e, events, lastSeq) => {
      got.push(...events);
      cursor = lastSeq;
    },
    onQuarantine: () => undefined,
    onGap: (g) => gaps.push(g),
  });
  try {
    client.start();
    await waitFor(() => nsp.sockets.size > 0, 'client connected', 10_000);
    // Live messages, misbehaving as generated.
    const messages: FeedEvent[][] = [];
    for (let s = 0; s < b.total; s += b.batch) messages.push(all.slice(s, s + b.batch));
    const sent: FeedEvent[][] = [];
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      published = m.at(-1)!.seq;
      if (b.trim && i === b.trim.afterMessage) firstSeq = Math.min(Math.max(firstSeq, b.trim.keepFrom), published + 1);
      const out: FeedEvent[][] = [m];
      if (b.swapEvery && i % b.swapEvery === 1 && i + 1 < messages.length) {
        // This message is held back and goes out after the next one.
        out.length = 0;
        later(5, () => nsp.to(ROOM).emit('events', { roomId: ROOM, events: m }));
      }
      if (b.dupEvery && i % b.dupEvery === 0 && sent.length) out.push(sent[Math.floor(sent.length / 2)]!);
      for (const o of out) nsp.to(ROOM).emit('events', { roomId: ROOM, events: o });
      sent.push(m);
      if (b.dropAfter === i) nsp.disconnectSockets(true);
      await new Promise((r) => setImmediate(r));
    }
    const lastSeq = all.at(-1)!.seq;
    await waitFor(() => cursor === lastSeq, `the client's cursor at ${lastSeq} (${JSON.stringify(b)})`, 20_000);

    // Exactly once, in order, the relay's content; the rest reported as gaps the relay no longer held.
    const seqs = got.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const e of got) expect(e).toEqual(all[e.seq - 1]);
    const gapSeqs = gaps.flatMap((g) => Array.from({ length: g.toSeq - g.fromSeq + 1 }, (_, i) => g.fromSeq + i));
    expect([...seqs, ...gapSeqs].sort((x, y) => x - y)).toEqual(all.map((e) => e.seq));
    for (const s of gapSeqs) expect(s).toBeLessThan(firstSeq);
    if (!b.trim) expect(gaps).toEqual([]);
  } finally {
    client.stop();
    for (const t of timers) clearTimeout(t);
    await new Promise<void>((r) => io.close(() => r()));
  }
}

describe('feed client door: resume whatever the relay does', () => {
  // Found by the door: the relay streams its backlog (71 events, one every 21 ms) before it
  // answers the subscription, past the client's 1.5 s timeout, and never lists its rooms; only that
  // late answer says seq 1 is gone. The client must take it and give the hole up.
  it('takes a subscription answer that comes after the timeout, and with it the proof of what the relay no longer holds', async () => {
    await play({ total: 72, batch: 1, ack: 'last', answersRooms: false, backlogChunk: 1, backlogDelayMs: 21, dupEvery: 0, swapEvery: 0, dropAfter: null, trim: { afterMessage: 0, keepFrom: 2 } });
  }, 60_000);

  it('hands on every event exactly once, in order, and gives up only what the relay no longer holds', async () => {
    await checkDoorAsync('feed client', 'resume is exact', fc.asyncProperty(behaviour, play), { scale: 0.5 });
  }, fuzzTimeout(600_000));
});
