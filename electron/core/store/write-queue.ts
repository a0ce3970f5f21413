/**
 * Collects rows from the ingest path and hands them to the writer thread in batches
 * (every `flushMs` or `maxRows`, whichever first). A batch is "acknowledged" once the writer
 * has committed it; `flush()` resolves when everything queued so far is on disk.
 *
 * When a write fails (a full disk, a read-only folder, a damaged file) nothing is dropped and
 * nothing overtakes it: the failed batch and every later one are kept, in order, and written
 * again after a pause that grows (0.5 s … 30 s) until the cause is gone. The writer skips what
 * was already posted behind a failure, so a later batch never commits a feed cursor past events
 * that are not on disk. `health` says what is wrong; `pendingRows` lets the core stop taking
 * events when the backlog grows too big. A writer thread that dies is started again and given
 * the unwritten batches.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { batchIsEmpty, emptyBatch, type WriteBatch } from './writer.ts';
import type { WriterReply, WriterRequest } from './writer-worker.ts';
import type { StoreHealth } from '../../../shared/contract.ts';

export interface WriteQueueOptions {
  flushMs?: number;
  maxRows?: number;
  /** A write failed (first failure of a run of them) or the store recovered. */
  onHealth?: (health: StoreHealth) => void;
  /** SQLite's max_page_count for the writer: a disk-size cap (tests fill a "disk" with it). */
  maxPages?: number;
  /** Pauses between retries (ms): doubled from `firstMs` up to `maxMs`. */
  retry?: { firstMs?: number; maxMs?: number };
}

export interface WriteStats {
  batches: number;
  eventsInserted: number;
  lastCommitMs: number;
  maxCommitMs: number;
  inFlight: number;
  /** Write attempts that failed (each retry counts). */
  failures: number;
  /** The writer thread's heap after its last batch (it is not in the process's heap figure). */
  writerHeapBytes: number;
}

interface Pending {
  id: number;
  batch: WriteBatch;
  rows: number;
  done: Promise<void>;
  resolve: () => void;
}

const HEALTHY: StoreHealth = { ok: true, since: null, error: null, code: null, retries: 0, pendingRows: 0 };

export class WriteQueue {
  private pending: WriteBatch = emptyBatch();
  private pendingRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Batches handed to the writer (or held back behind a failure), oldest first, until written. */
  private readonly unwritten: Pending[] = [];
  private unwrittenRows = 0;
  private gen = 0;
  /** A write failed and the retry has not re-posted yet: nothing new may be posted ahead of it. */
  private blocked = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs: number;
  private closing = false;
  private closed = false;
  private worker: Worker;
  private closeWaiter: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private state: StoreHealth = HEALTHY;
  readonly stats: WriteStats = { batches: 0, eventsInserted: 0, lastCommitMs: 0, maxCommitMs: 0, inFlight: 0, failures: 0, writerHeapBytes: 0 };
  private readonly flushMs: number;
  private readonly maxRows: number;

  private constructor(
    worker: Worker,
    private readonly dataDir: string,
    private readonly opts: WriteQueueOptions,
  ) {
    this.flushMs = opts.flushMs ?? 100;
    this.maxRows = opts.maxRows ?? 4000;
    this.retryMs = opts.retry?.firstMs ?? 500;
    this.worker = worker;
    this.attach(worker);
  }

  static async open(dataDir: string, opts: WriteQueueOptions = {}): Promise<WriteQueue> {
    const worker = await startWorker(dataDir, opts.maxPages);
    return new WriteQueue(worker, dataDir, opts);
  }

  /** What the store can do right now. */
  get health(): StoreHealth {
    return { ...this.state, pendingRows: this.backlogRows };
  }

  /** The last write failed and the store has not written since. */
  get failing(): boolean {
    return !this.state.ok;
  }

  /** Rows not yet on disk: queued, being written, or held behind a failure. */
  get backlogRows(): number {
    return this.pendingRows + this.unwrittenRows;
  }

  add(part: Partial<WriteBatch>): void {
    if (this.closed || this.closing) throw new Error('the store is closed');
    const p = this.pending;
    if (part.sessions) for (const s of part.sessions) p.sessions.push(s);
    if (part.events) for (const e of part.events) p.events.push(e);
    if (part.quarantine) for (const q of part.quarantine) p.quarantine.push(q);
    if (part.cursors) for (const c of part.cursors) p.cursors.push(c);
    if (part.rollups) for (const r of part.rollups) p.rollups.push(r);
    if (part.alerts) for (const a of part.alerts) p.alerts.push(a);
    if (part.alertAcks) for (const a of part.alertAcks) p.alertAcks.push(a);
    if (part.targets) for (const t of part.targets) p.targets.push(t);
    if (part.notes) for (const n of part.notes) (p.notes ??= []).push(n);
    if (part.noteDeletes) for (const d of part.noteDeletes) (p.noteDeletes ??= []).push(d);
    if (part.retroRollups) for (const r of part.retroRollups) (p.retroRollups ??= []).push(r);
    if (part.sessionTargets) for (const t of part.sessionTargets) (p.sessionTargets ??= []).push(t);
    if (part.decisions) for (const d of part.decisions) (p.decisions ??= []).push(d);
    if (part.priors) for (const r of part.priors) (p.priors ??= []).push(r);
    if (part.runOfShow) for (const r of part.runOfShow) (p.runOfShow ??= []).push(r);
    if (part.adActions) for (const a of part.adActions) (p.adActions ??= []).push(a);
    if (part.economics) for (const e of part.economics) (p.economics ??= []).push(e);
    if (part.guardRails) for (const g of part.guardRails) (p.guardRails ??= []).push(g);
    if (part.economicsChanges) for (const c of part.economicsChanges) (p.economicsChanges ??= []).push(c);
    if (part.gaps) for (const g of part.gaps) (p.gaps ??= []).push(g);
    this.pendingRows += (part.events?.length ?? 0) + (part.quarantine?.length ?? 0) + (part.rollups?.length ?? 0) * 50 + 1;
    if (this.pendingRows >= this.maxRows) this.send();
    else if (!this.timer) this.timer = setTimeout(() => this.send(), this.flushMs);
  }

  /**
   * Resolves once everything added before this call is committed (the writer works in order). It
   * waits through failures: the data is kept and written when the store can take it again. It
   * never rejects; a caller that cannot wait uses `settled`.
   */
  flush(): Promise<void> {
    this.send();
    return this.unwritten.at(-1)?.done ?? Promise.resolve();
  }

  /**
   * Like `flush`, but gives up waiting after `timeoutMs`, or at once while the store is failing.
   * Returns whether everything added before the call is on disk.
   */
  async settled(timeoutMs: number): Promise<boolean> {
    const done = this.flush();
    if (!this.unwritten.length) return true;
    if (!this.state.ok) return false;
    let timer: NodeJS.Timeout | null = null;
    let offHealth = (): void => undefined;
    const failedOrLate = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      offHealth = this.watchHealth((h) => {
        if (!h.ok) resolve(false);
      });
    });
    try {
      return await Promise.race([done.then(() => true as const), failedOrLate]);
    } finally {
      if (timer) clearTimeout(timer);
      offHealth();
    }
  }

  /** Fault injection for tests: a full disk (a size cap; null lifts it) or a read-only store. */
  injectFault(fault: { maxPages?: number | null; readOnly?: boolean }): void {
    this.worker.postMessage({ type: 'fault', ...fault } satisfies WriterRequest);
  }

  /**
   * Writes what is queued and stops the writer. With a store that keeps failing it waits at most
   * `giveUpMs` and returns how many rows were left unwritten: their events are not lost — the feed
   * cursor on disk has not moved past them, so the relay sends them again at the next start.
   */
  async close(giveUpMs = 15_000): Promise<{ unwrittenRows: number }> {
    if (this.closed) return { unwrittenRows: 0 };
    this.closing = true;
    const done = this.flush();
    let timer: NodeJS.Timeout | null = null;
    const written = await Promise.race([done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), giveUpMs)))]);
    if (timer) clearTimeout(timer);
    const left = written ? 0 : this.backlogRows;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.closed = true;
    try {
      await new Promise<void>((resolve, reject) => {
        this.closeWaiter = { resolve, reject };
        this.worker.postMessage({ type: 'close', id: 0 } satisfies WriterRequest);
      });
    } catch {
      // the connection could not close cleanly; WAL keeps what was committed
    }
    await this.worker.terminate();
    return { unwrittenRows: left };
  }

  private readonly healthWatchers = new Set<(h: StoreHealth) => void>();

  private watchHealth(fn: (h: StoreHealth) => void): () => void {
    this.healthWatchers.add(fn);
    return () => this.healthWatchers.delete(fn);
  }

  private setHealth(h: StoreHealth): void {
    this.state = h;
    const view = this.health;
    this.opts.onHealth?.(view);
    for (const w of this.healthWatchers) w(view);
  }

  private send(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const b = this.pending;
    if (batchIsEmpty(b)) return;
    this.pending = emptyBatch();
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const item: Pending = { id: this.nextId++, batch: b, rows: this.pendingRows, done, resolve };
    this.pendingRows = 0;
    this.unwritten.push(item);
    this.unwrittenRows += item.rows;
    this.stats.inFlight++;
    // Behind a failure nothing is posted until the retry re-posts everything in order.
    if (!this.blocked) this.post(item);
  }

  private post(item: Pending): void {
    this.worker.postMessage({ type: 'write', id: item.id, gen: this.gen, batch: item.batch } satisfies WriterRequest);
  }

  private attach(worker: Worker): void {
    worker.on('message', (reply: WriterReply) => this.onReply(reply));
    worker.on('error', (e) => this.onWorkerDeath(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => {
      if (!this.closed) this.onWorkerDeath(`the store writer stopped unexpectedly (exit ${code})`);
    });
  }

  private onReply(reply: WriterReply): void {
    switch (reply.type) {
      case 'written': {
        const head = this.unwritten[0];
        if (!head || head.id !== reply.id) return; // a reply of an abandoned generation
        this.unwritten.shift();
        this.unwrittenRows -= head.rows;
        this.stats.inFlight--;
        this.stats.batches++;
        this.stats.eventsInserted += reply.inserted;
        this.stats.lastCommitMs = reply.commitMs;
        this.stats.writerHeapBytes = reply.heapUsedBytes;
        this.stats.maxCommitMs = Math.max(this.stats.maxCommitMs, reply.commitMs);
        if (!this.state.ok) {
          this.retryMs = this.opts.retry?.firstMs ?? 500;
          this.setHealth(HEALTHY);
        }
        head.resolve();
        return;
      }
      case 'skipped':
        return;
      case 'closed':
        this.closeWaiter?.resolve();
        return;
      case 'error': {
        if (reply.id === 0) {
          this.closeWaiter?.reject(new Error(reply.message));
          return;
        }
        this.stats.failures++;
        this.blocked = true;
        this.setHealth({ ok: false, since: this.state.since ?? Date.now(), error: reply.message, code: reply.code, retries: this.state.retries + 1, pendingRows: 0 });
        this.scheduleRetry();
        return;
      }
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.retry?.maxMs ?? 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.repost();
    }, wait);
  }

  /** Everything unwritten, again, in order, under a new generation the writer will not skip. */
  private repost(): void {
    if (this.closed && !this.closing) return;
    this.blocked = false;
    this.gen++;
    for (const item of this.unwritten) this.post(item);
  }

  private onWorkerDeath(message: string): void {
    if (this.closed) return;
    this.stats.failures++;
    this.blocked = true;
    this.setHealth({ ok: false, since: this.state.since ?? Date.now(), error: message, code: 'WRITER_STOPPED', retries: this.state.retries + 1, pendingRows: 0 });
    const old = this.worker;
    old.removeAllListeners();
    void old.terminate().catch(() => undefined);
    void startWorker(this.dataDir, this.opts.maxPages).then(
      (w) => {
        this.worker = w;
        this.attach(w);
        this.repost();
      },
      (e: unknown) => {
        // The store cannot even be opened now (the folder went away): try again later.
        this.setHealth({ ...this.state, error: e instanceof Error ? e.message : String(e) });
        setTimeout(() => this.onWorkerDeath(message), this.retryMs).unref();
      },
    );
  }
}

async function startWorker(dataDir: string, maxPages: number | undefined): Promise<Worker> {
  const worker = new Worker(workerEntry(), { workerData: { dataDir, maxPages } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  return worker;
}

/** The worker runs from the bundle (.mjs) in the app, and from source through tsx in a checkout. */
function workerEntry(): URL {
  const bundled = new URL('./writer-worker.mjs', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./writer-worker-dev.mjs', import.meta.url);
}
