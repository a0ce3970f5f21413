/**
 * `npm run fuzz [-- --runs N] [--seed S] [files…]`: every property suite (tests/property) run
 * long. Prints, per door, the inputs tried and the failures (goal: zero) with the seed that
 * replays each failure; exits non-zero when any property failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoorRecord } from './helpers/fuzz.ts';

const args = process.argv.slice(2);
let runs = 2000;
let seed: string | undefined;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--runs') runs = Number(args[++i]);
  else if (a === '--seed') seed = args[++i];
  else files.push(a);
}
if (!(runs >= 1)) {
  console.error('--runs must be a positive number');
  process.exit(2);
}
const report = join(mkdtempSync(join(tmpdir(), 'lcr-fuzz-')), 'report.jsonl');
const started = Date.now();
const res = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', `--testTimeout=${Math.round(60_000 * Math.max(1, runs / 40))}`, ...(files.length ? files : ['tests/property'])], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, LCR_FUZZ_RUNS: String(runs), LCR_FUZZ_REPORT: report, ...(seed ? { LCR_FUZZ_SEED: seed } : {}) },
});
const rows: DoorRecord[] = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DoorRecord)
  : [];
const byDoor = new Map<string, { properties: number; runs: number; failures: number; failed: DoorRecord[] }>();
for (const r of rows) {
  const d = byDoor.get(r.door) ?? { properties: 0, runs: 0, failures: 0, failed: [] };
  d.properties++;
  d.runs += r.runs;
  d.failures += r.failures;
  if (r.failures) d.failed.push(r);
  byDoor.set(r.door, d);
}
console.log(`\nfuzz: ${runs} inputs per property, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
console.log('| door | properties | inputs tried | failures |');
console.log('|---|---|---|---|');
for (const [door, d] of [...byDoor].sort()) console.log(`| ${door} | ${d.properties} | ${d.runs.toLocaleString('en')} | ${d.failures} |`);
const total = [...byDoor.values()].reduce((a, d) => ({ runs: a.runs + d.runs, failures: a.failures + d.failures }), { runs: 0, failures: 0 });
console.log(`| **all** | ${rows.length} | ${total.runs.toLocaleString('en')} | ${total.failures} |`);
for (const d of byDoor.values())
  for (const f of d.failed) console.log(`\nFAILED ${f.door} / ${f.property}: replay with LCR_FUZZ_SEED=${f.seed}${f.path ? ` LCR_FUZZ_PATH=${f.path}` : ''} npm run fuzz`);
process.exit(res.status === 0 && total.failures === 0 ? 0 : 1);
