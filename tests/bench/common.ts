/** What the benchmarks share: option parsing, temp folders that go away, robust statistics. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A positive numeric option, or exit 2 with a one-line reason. */
export function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number (got ${String(raw)})`);
    process.exit(2);
  }
  return n;
}

// Temp folders are removed on exit, Ctrl-C included.
const tempDirs = new Set<string>();
export function freshDir(prefix = 'lcr-bench-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}
export function removeDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}
process.on('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

/** Median, ignoring NaN; NaN when nothing is left. */
export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank percentile, p in 0–1: with ~25 samples, p95 is the second largest, not an interpolation. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Writes the report (to --json PATH if given) and prints it as the last line of stdout. */
export function emitReport(report: unknown, jsonPath: string | undefined): void {
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  // The last line of stdout is the machine-readable result.
  console.log(JSON.stringify(report));
}

/** Runs a benchmark's main: exit 0 when it finished (goals missed or not), 1 when it broke. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
