/**
 * Collects rows from the ingest path and hands them to the writer thread in batches
 * (every `flushMs` or `maxRows`, whichever first). A batch is "acknowledged" once the writer
 * has committed it; `flush()` resolves when everything queued so far is on disk.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { batchIsEmpty, emptyBatch, type WriteBatch } from './writer.ts';
import type { WriterReply, WriterRequest } from './writer-worker.ts';

export interface WriteQueueOptions {
  flushMs?: number;
  maxRows?: number;
  onError?: (message: string) => void;
}

export interface WriteStats {
  batches: number;
  eventsInserted: number;
  lastCommitMs: number;
  maxCommitMs: number;
  inFlight: number;
}

export class WriteQueue {
  private pending: WriteBatch = emptyBatch();
  private pendingRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly waiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private closed = false;
  private lastSent: Promise<void> = Promise.resolve();
  readonly stats: WriteStats = { batches: 0, eventsInserted: 0, lastCommitMs: 0, maxCommitMs: 0, inFlight: 0 };
  private readonly flushMs: number;
  private readonly maxRows: number;

  private constructor(
    private readonly worker: Worker,
    private readonly opts: WriteQueueOptions,
  ) {
    this.flushMs = opts.flushMs ?? 100;
    this.maxRows = opts.maxRows ?? 4000;
    worker.on('message', (reply: WriterReply) => this.onReply(reply));
    worker.on('error', (e) => this.failAll(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`the store writer stopped unexpectedly (exit ${code})`));
    });
  }

  static async open(dataDir: string, opts: WriteQueueOptions = {}): Promise<WriteQueue> {
    const worker = new Worker(workerEntry(), { workerData: { dataDir } });
    const q = new WriteQueue(worker, opts);
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return q;
  }

  add(part: Partial<WriteBatch>): void {
    if (this.closed) throw new Error('the store is closed');
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
    if (part.decisions) for (const d of part.decisions) (p.decisions ??= []).push(d);
    if (part.priors) for (const r of part.priors) (p.priors ??= []).push(r);
    if (part.runOfShow) for (const r of part.runOfShow) (p.runOfShow ??= []).push(r);
    if (part.adActions) for (const a of part.adActions) (p.adActions ??= []).push(a);
    if (part.economics) for (const e of part.economics) (p.economics ??= []).push(e);
    this.pendingRows += (part.events?.length ?? 0) + (part.quarantine?.length ?? 0) + (part.rollups?.length ?? 0) * 50;
    if (this.pendingRows >= this.maxRows) this.send();
    else if (!this.timer) this.timer = setTimeout(() => this.send(), this.flushMs);
  }

  /** Resolves once everything added before this call is committed (the writer works in order). */
  flush(): Promise<void> {
    this.send();
    return this.lastSent;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'close', id } satisfies WriterRequest);
    });
    await this.worker.terminate();
  }

  private send(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const b = this.pending;
    if (batchIsEmpty(b)) return;
    this.pending = emptyBatch();
    this.pendingRows = 0;
    const id = this.nextId++;
    this.stats.inFlight++;
    this.lastSent = new Promise<void>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    // Failures are reported through onError; callers that await flush() see them too.
    this.lastSent.catch(() => undefined);
    this.worker.postMessage({ type: 'write', id, batch: b } satisfies WriterRequest);
  }

  private onReply(reply: WriterReply): void {
    const w = this.waiters.get(reply.id);
    this.waiters.delete(reply.id);
    if (reply.type === 'written') {
      this.stats.inFlight--;
      this.stats.batches++;
      this.stats.eventsInserted += reply.inserted;
      this.stats.lastCommitMs = reply.commitMs;
      this.stats.maxCommitMs = Math.max(this.stats.maxCommitMs, reply.commitMs);
      w?.resolve();
    } else if (reply.type === 'closed') {
      w?.resolve();
    } else {
      this.stats.inFlight--;
      const err = new Error(`store write failed: ${reply.message}`);
      this.opts.onError?.(err.message);
      w?.reject(err);
    }
  }

  private failAll(e: Error): void {
    for (const w of this.waiters.values()) w.reject(e);
    this.waiters.clear();
    this.opts.onError?.(e.message);
  }
}

/** The worker runs from the bundle (.mjs) in the app, and from source through tsx in a checkout. */
function workerEntry(): URL {
  const bundled = new URL('./writer-worker.mjs', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./writer-worker-dev.mjs', import.meta.url);
}
