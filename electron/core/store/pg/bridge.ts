/**
 * PostgreSQL behind the store's synchronous interface. The core's readers (and the writer thread)
 * call `prepare(sql).all/get/run` and get an answer at once, as from SQLite; underneath, a worker
 * thread holds the `pg` connection and runs the query while the calling thread waits on an
 * Atomics slot for its answer. A read costs the caller one round trip to the database (a LAN
 * round trip is well under a millisecond); the ingest path does not read.
 *
 * Why not an async store interface: the core reads the store synchronously in ~50 places (restore,
 * reports, the desks), as SQLite allows; one blocking bridge keeps those as they are, and the
 * engines behind the same calls, tested by one suite.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { argsFor, toPostgres, type PgStatement } from './dialect.ts';

export interface PgRunResult {
  changes: number;
}

interface Answer {
  ok: boolean;
  rows?: Record<string, unknown>[];
  rowCount?: number;
  error?: { message: string; code?: string };
}

/** A query answered within this long, or the caller gets an error (a database that hangs must not hang the core forever). */
const ANSWER_TIMEOUT_MS = 30_000;

/** Rows fetched per round trip when a statement is iterated. */
const PAGE_ROWS = 2_000;

export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class PgBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly slot: Int32Array;
  private readonly cache = new Map<string, PgStatement>();
  private closed = false;
  private cursors = 0;
  private dead: Error | null = null;
  private nextId = 0;

  constructor(readonly url: string) {
    const sab = new SharedArrayBuffer(4);
    this.slot = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./bridge-worker.mjs', import.meta.url), { workerData: { url, sab, port: port2 }, transferList: [port2] });
    this.worker.unref();
    // Delivered between calls (the caller is blocked during one): the next call fails at once instead of waiting out its timeout.
    this.worker.on('error', (e) => (this.dead ??= e));
    this.worker.on('exit', () => (this.dead ??= new Error('the PostgreSQL connection thread stopped')));
    this.call({ type: 'connect' });
  }

  /** A statement with better-sqlite3's calling shape. */
  prepare(sql: string): {
    all(...args: unknown[]): Record<string, unknown>[];
    get(...args: unknown[]): Record<string, unknown> | undefined;
    run(...args: unknown[]): PgRunResult;
    iterate(...args: unknown[]): IterableIterator<Record<string, unknown>>;
  } {
    let stmt = this.cache.get(sql);
    if (!stmt) this.cache.set(sql, (stmt = toPostgres(sql)));
    const s = stmt;
    return {
      all: (...args) => this.query(s, args).rows ?? [],
      get: (...args) => (this.query(s, args).rows ?? [])[0],
      run: (...args) => ({ changes: this.query(s, args).rowCount ?? 0 }),
      iterate: (...args) => this.pages(s, args),
    };
  }

  /**
   * Rows in pages through a server-side cursor: an 8-hour show's events are millions of rows, which
   * must not all sit in memory at once. WITH HOLD so the cursor outlives a transaction around it.
   */
  private *pages(s: PgStatement, args: unknown[]): Generator<Record<string, unknown>> {
    const name = `lcr_cursor_${++this.cursors}`;
    this.call({ type: 'query', text: `DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${s.text}`, values: argsFor(s, args) });
    try {
      for (;;) {
        const rows = this.call({ type: 'query', text: `FETCH ${PAGE_ROWS} FROM ${name}`, values: [] }).rows ?? [];
        yield* rows;
        if (rows.length < PAGE_ROWS) return;
      }
    } finally {
      if (!this.closed) this.call({ type: 'exec', text: `CLOSE ${name}` });
    }
  }

  /** Statements separated by `;` (migrations): one round trip. */
  exec(sql: string): void {
    this.call({ type: 'exec', text: sql });
  }

  /** As better-sqlite3's: a function that runs `fn` inside BEGIN … COMMIT on the bridge's one connection, ROLLBACK when it throws. */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return (...args) => {
      this.exec('BEGIN');
      try {
        const r = fn(...args);
        this.exec('COMMIT');
        return r;
      } catch (e) {
        this.exec('ROLLBACK');
        throw e;
      }
    };
  }

  /** SQLite's pragmas (checkpoints, page limits, optimize) have no PostgreSQL counterpart the store needs. */
  pragma(_sql: string, _opts?: { simple?: boolean }): undefined {
    return undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.call({ type: 'close' });
    } finally {
      void this.worker.terminate();
    }
  }

  private query(s: PgStatement, args: unknown[]): Answer {
    return this.call({ type: 'query', text: s.text, values: argsFor(s, args) });
  }

  private call(msg: Record<string, unknown>): Answer {
    if (this.closed && msg.type !== 'close') throw new PgError('the PostgreSQL store is closed', undefined);
    if (this.dead) throw new PgError(`the PostgreSQL store cannot be used: ${this.dead.message}`, undefined);
    const id = ++this.nextId;
    this.port.postMessage({ ...msg, id });
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      // Reset before looking, so an answer posted after the look wakes the wait below.
      Atomics.store(this.slot, 0, 0);
      // An answer to an earlier call that timed out may come first: it is skipped.
      let got = receiveMessageOnPort(this.port) as { message: Answer & { id?: number } } | undefined;
      while (got && got.message.id !== id) got = receiveMessageOnPort(this.port) as typeof got;
      if (got) {
        if (!got.message.ok) throw new PgError(got.message.error?.message ?? 'PostgreSQL error', got.message.error?.code);
        return got.message;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new PgError(`PostgreSQL did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`, undefined);
      Atomics.wait(this.slot, 0, 0, left);
    }
  }

}
