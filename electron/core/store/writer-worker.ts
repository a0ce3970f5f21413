/**
 * The store's writer thread. SQLite commits take ~1–5 ms and WAL checkpoints occasionally
 * 100–300 ms (ENGINEERING.md); on the feed/UI thread that would show as stutter, so every write
 * happens here. Messages are processed strictly in order, one transaction each.
 *
 * A batch that fails (a full disk, a read-only folder) blocks its generation: the batches posted
 * after it in the same generation are skipped, not written, so a later batch can never commit a
 * feed cursor past events that are not on disk. The queue re-posts them all, in order, under the
 * next generation once it retries.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { openDatabase } from './db.ts';
import { StoreWriter, type WriteBatch } from './writer.ts';

export type WriterRequest =
  | { type: 'write'; id: number; gen: number; batch: WriteBatch }
  | { type: 'close'; id: number }
  /**
   * Fault injection for tests: a disk-size cap (SQLite's max_page_count, failing with SQLITE_FULL
   * as a full disk does), and a read-only store (query_only, failing with SQLITE_READONLY as a
   * folder turned read-only does).
   */
  | { type: 'fault'; maxPages?: number | null; readOnly?: boolean };
export type WriterReply =
  | { type: 'written'; id: number; inserted: number; commitMs: number; heapUsedBytes: number }
  | { type: 'skipped'; id: number }
  | { type: 'closed'; id: number }
  | { type: 'error'; id: number; message: string; code: string | null };

const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const { dataDir, maxPages } = workerData as { dataDir: string; maxPages?: number };
const db = openDatabase(dataDir, { skipCheck: true });
const writer = new StoreWriter(db);
const defaultMaxPages = db.pragma('max_page_count', { simple: true }) as number;
if (maxPages) db.pragma(`max_page_count = ${Math.floor(maxPages)}`);
let sinceCheckpoint = 0;
/** The generation in which a write failed: its later batches are skipped until a newer generation comes. */
let blockedGen = -1;

port.on('message', (msg: WriterRequest) => {
  if (msg.type === 'close') {
    try {
      db.pragma('optimize');
      db.close();
      port.postMessage({ type: 'closed', id: msg.id } satisfies WriterReply);
    } catch (e) {
      port.postMessage({ type: 'error', id: msg.id, message: String(e), code: codeOf(e) } satisfies WriterReply);
    }
    return;
  }
  if (msg.type === 'fault') {
    if (msg.maxPages !== undefined) db.pragma(`max_page_count = ${msg.maxPages === null ? defaultMaxPages : Math.floor(msg.maxPages)}`);
    if (msg.readOnly !== undefined) db.pragma(`query_only = ${msg.readOnly ? 'ON' : 'OFF'}`);
    return;
  }
  if (msg.gen <= blockedGen) {
    port.postMessage({ type: 'skipped', id: msg.id } satisfies WriterReply);
    return;
  }
  const t0 = performance.now();
  try {
    const inserted = writer.write(msg.batch);
    // Bound the WAL: a passive checkpoint now and then instead of letting autocheckpoint pick a bad moment.
    if (++sinceCheckpoint >= 200) {
      sinceCheckpoint = 0;
      try {
        writer.checkpoint();
      } catch {
        // a checkpoint that cannot run now runs later; the batch itself is committed
      }
    }
    // The thread's own heap: the process's heap figure is the main thread's only.
    port.postMessage({ type: 'written', id: msg.id, inserted, commitMs: performance.now() - t0, heapUsedBytes: getHeapStatistics().used_heap_size } satisfies WriterReply);
  } catch (e) {
    blockedGen = msg.gen;
    port.postMessage({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e), code: codeOf(e) } satisfies WriterReply);
  }
});

function codeOf(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
