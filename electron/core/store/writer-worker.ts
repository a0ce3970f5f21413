/**
 * The store's writer thread. SQLite commits take ~1–5 ms and WAL checkpoints occasionally
 * 100–300 ms (ENGINEERING.md); on the feed/UI thread that would show as stutter, so every write
 * happens here. Messages are processed strictly in order, one transaction each.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.ts';
import { StoreWriter, type WriteBatch } from './writer.ts';

export type WriterRequest = { type: 'write'; id: number; batch: WriteBatch } | { type: 'close'; id: number };
export type WriterReply =
  | { type: 'written'; id: number; inserted: number; commitMs: number }
  | { type: 'closed'; id: number }
  | { type: 'error'; id: number; message: string };

const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const { dataDir } = workerData as { dataDir: string };
const db = openDatabase(dataDir, { skipCheck: true });
const writer = new StoreWriter(db);
let sinceCheckpoint = 0;

port.on('message', (msg: WriterRequest) => {
  if (msg.type === 'close') {
    try {
      db.pragma('optimize');
      db.close();
      port.postMessage({ type: 'closed', id: msg.id } satisfies WriterReply);
    } catch (e) {
      port.postMessage({ type: 'error', id: msg.id, message: String(e) } satisfies WriterReply);
    }
    return;
  }
  const t0 = performance.now();
  try {
    const inserted = writer.write(msg.batch);
    // Bound the WAL: a passive checkpoint now and then instead of letting autocheckpoint pick a bad moment.
    if (++sinceCheckpoint >= 200) {
      writer.checkpoint();
      sinceCheckpoint = 0;
    }
    port.postMessage({ type: 'written', id: msg.id, inserted, commitMs: performance.now() - t0 } satisfies WriterReply);
  } catch (e) {
    port.postMessage({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies WriterReply);
  }
});
