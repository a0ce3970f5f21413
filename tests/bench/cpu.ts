/**
 * Who used the CPU during a measurement window — this process (main thread and the store's
 * writer thread), the relay child, and everything else on the machine. On a shared 2-core box
 * "everything else" is what makes one run differ from the next, so the benchmark prints it
 * next to the figures. Linux only (/proc); elsewhere the figures are null.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on every Linux Node supports. */
const TICK_MS = 10;

interface Snapshot {
  at: number;
  machineBusyMs: number | null;
  selfMs: number;
  childMs: number | null;
}

export interface CpuShare {
  /** Percent of one core. */
  selfPct: number;
  relayPct: number | null;
  otherPct: number | null;
  /** Percent of all cores together. */
  machinePct: number | null;
}

function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return (total - idle) * TICK_MS;
  } catch {
    return null;
  }
}

function processMs(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces): utime is 14th, stime 15th overall.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return null;
  }
}

export function cpuSnapshot(childPid: number | null): Snapshot {
  const u = process.cpuUsage();
  return { at: performance.now(), machineBusyMs: machineBusyMs(), selfMs: (u.user + u.system) / 1000, childMs: childPid === null ? 0 : processMs(childPid) };
}

export function cpuShare(a: Snapshot, b: Snapshot): CpuShare {
  const wall = b.at - a.at;
  const self = b.selfMs - a.selfMs;
  const child = a.childMs === null || b.childMs === null ? null : b.childMs - a.childMs;
  const machine = a.machineBusyMs === null || b.machineBusyMs === null ? null : b.machineBusyMs - a.machineBusyMs;
  return {
    selfPct: (self / wall) * 100,
    relayPct: child === null ? null : (child / wall) * 100,
    otherPct: machine === null || child === null ? null : Math.max(0, ((machine - self - child) / wall) * 100),
    machinePct: machine === null ? null : (machine / wall / cpus().length) * 100,
  };
}
