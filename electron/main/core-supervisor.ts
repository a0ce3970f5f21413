/**
 * Keeps the desktop app's core alive (issue 13): a core utility process that dies unexpectedly is
 * restarted after a growing delay, and the window is told in plain words — restarting, running
 * again, or given up after too many deaths in a short time (a core that dies at every start
 * would otherwise spin). A core that says it cannot start (`fatal`: a bad environment value) is
 * not restarted: the same start would fail the same way. Plain TypeScript, no Electron: main.ts
 * wires it to utilityProcess and the window; the tests drive it with a fake process and clock.
 */

import type { CoreNotice } from '../../shared/contract.ts';

export type { CoreNotice };

/** One started core process, as the supervisor sees it. */
export interface CoreProcess {
  /** Called once when the process has gone, whatever the reason. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface SupervisorOptions {
  /** Starts a core process; its ready / fatal messages are reported with `ready()` / `fatal()`. */
  spawn(): CoreProcess;
  notify(notice: CoreNotice): void;
  /** A timer (injectable for tests). */
  setTimer?(fn: () => void, ms: number): { cancel(): void };
  now?(): number;
  /** Delays before each successive restart; the last repeats. */
  backoffMs?: readonly number[];
  /** Deaths within `windowMs` after which the supervisor gives up. */
  maxRestarts?: number;
  windowMs?: number;
}

export const DEFAULT_BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000] as const;

export class CoreSupervisor {
  private proc: CoreProcess | null = null;
  private deaths: number[] = [];
  private restarts = 0;
  private pending: { cancel(): void } | null = null;
  private stopping = false;
  private gaveUp = false;
  private restartedSinceReady = false;
  private readonly o: Required<Omit<SupervisorOptions, 'spawn' | 'notify'>> & Pick<SupervisorOptions, 'spawn' | 'notify'>;

  constructor(opts: SupervisorOptions) {
    this.o = {
      setTimer: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return { cancel: () => clearTimeout(t) };
      },
      now: () => Date.now(),
      backoffMs: DEFAULT_BACKOFF_MS,
      maxRestarts: 5,
      windowMs: 10 * 60_000,
      ...opts,
    };
  }

  /** The process serving requests now (null while restarting or after giving up). */
  get current(): CoreProcess | null {
    return this.proc;
  }

  get state(): 'running' | 'restarting' | 'failed' | 'stopped' {
    return this.stopping ? 'stopped' : this.gaveUp ? 'failed' : this.proc ? 'running' : 'restarting';
  }

  start(): void {
    if (this.proc || this.stopping || this.gaveUp) return;
    const proc = this.o.spawn();
    this.proc = proc;
    proc.onExit((code) => this.exited(proc, code));
  }

  /** The core answered that it is up: after a restart, the window hears it is running again. */
  ready(): void {
    if (this.restartedSinceReady) {
      this.restartedSinceReady = false;
      this.o.notify({ state: 'running', restarts: this.restarts });
    }
  }

  /** The core could not start (configuration): restarting would fail the same way. */
  fatal(error: string): void {
    this.giveUp(error);
  }

  /** The app is quitting: the core's exit from here on is expected. */
  stop(): void {
    this.stopping = true;
    this.pending?.cancel();
    this.pending = null;
  }

  private exited(proc: CoreProcess, code: number | null): void {
    if (this.proc !== proc) return;
    this.proc = null;
    if (this.stopping || this.gaveUp) return;
    const now = this.o.now();
    this.deaths = [...this.deaths.filter((t) => now - t < this.o.windowMs), now];
    if (this.deaths.length > this.o.maxRestarts) {
      this.giveUp(`the core stopped ${this.deaths.length} times within ${Math.round(this.o.windowMs / 60_000)} minutes (last exit code ${code ?? 'none'})`);
      return;
    }
    const attempt = this.deaths.length;
    const inMs = this.o.backoffMs[Math.min(attempt - 1, this.o.backoffMs.length - 1)] ?? 1000;
    this.o.notify({ state: 'restarting', attempt, inMs, exitCode: code });
    this.pending = this.o.setTimer(() => {
      this.pending = null;
      if (this.stopping || this.gaveUp) return;
      this.restarts++;
      this.restartedSinceReady = true;
      this.start();
    }, inMs);
  }

  private giveUp(error: string): void {
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.pending?.cancel();
    this.pending = null;
    const proc = this.proc;
    this.proc = null;
    proc?.kill();
    this.o.notify({ state: 'failed', attempts: this.deaths.length, error });
  }
}
