/**
 * The raw store ceiling both ingest benchmarks compare with: the rows the core would write for a
 * stream, built the way Core.ingest builds them — each event numbered as the relay numbers it,
 * validated as the feed client validates it (zod output order is what ends up in `body`), one
 * write per relay flush with that flush's session and cursor rows — and written through
 * StoreWriter.write() on a fresh database in this thread. The feed key is the shape of a loopback
 * relay URL.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreWriter, emptyBatch, type WriteBatch } from '../../electron/core/store/writer.ts';
import { validateEvent, type SessionEvent } from '../../shared/protocol.ts';
import { freshDir, removeDir } from './common.ts';
import type { RoomStream } from './stream.ts';

/** `batchEvents` over all rooms per write, as one relay flush of that size would arrive. */
export function buildRawBatches(streams: RoomStream[], batchEvents: number): { batches: WriteBatch[]; bodyBytes: number; rows: number } {
  const feed = 'http://127.0.0.1:40000';
  const perRoom = Math.max(1, Math.floor(batchEvents / streams.length));
  const longest = Math.max(...streams.map((s) => s.bodies.length));
  const batches: WriteBatch[] = [];
  let bodyBytes = 0;
  let rows = 0;
  const sessions = streams.map((s) => {
    const first = s.bodies[0] as SessionEvent;
    return { sessionId: `${s.roomId}@${first.startedAt}`, roomId: s.roomId, platform: 'douyin', title: s.title, startedAt: first.startedAt, endedAt: null, feed, epoch: 0, firstSeq: 1, lastSeq: 0 };
  });
  for (let i = 0; i < longest; i += perRoom) {
    const b = emptyBatch();
    streams.forEach((s, r) => {
      const end = Math.min(s.bodies.length, i + perRoom);
      if (end <= i) return;
      const session = sessions[r]!;
      for (let k = i; k < end; k++) {
        const v = validateEvent({ ...s.bodies[k]!, seq: k + 1 });
        if (!v.ok) throw new Error(`the generated stream has an invalid event at ${s.roomId}#${k + 1}: ${v.reason}`);
        const body = JSON.stringify(v.event);
        bodyBytes += Buffer.byteLength(body);
        b.events.push({ feed, roomId: s.roomId, epoch: 0, seq: k + 1, sessionId: session.sessionId, ts: v.event.ts, type: v.event.type, body });
        rows++;
      }
      session.lastSeq = end;
      b.sessions.push({ ...session });
      b.cursors.push({ feed, roomId: s.roomId, epoch: 0, lastSeq: end });
    });
    batches.push(b);
  }
  return { batches, bodyBytes, rows };
}

export interface RawResult {
  rowsPerSec: number;
  ms: number;
  batches: number;
}

/** `build` runs before the clock starts; its rows are garbage once this returns. */
export function measureRaw(build: () => { batches: WriteBatch[]; rows: number }, collectGarbage: () => void): RawResult {
  const { batches, rows: expected } = build();
  collectGarbage();
  const dir = freshDir();
  try {
    const db = openDatabase(dir);
    const writer = new StoreWriter(db);
    const t0 = performance.now();
    let rows = 0;
    for (const b of batches) rows += writer.write(b);
    const ms = performance.now() - t0;
    db.close();
    if (rows !== expected) throw new Error(`raw insert stored ${rows} of ${expected} rows`);
    return { rowsPerSec: (rows / ms) * 1000, ms, batches: batches.length };
  } finally {
    removeDir(dir);
  }
}
