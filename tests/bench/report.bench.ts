/**
 * `npm run bench:report` — the retrospective on an 8-hour, busy show (issue 6, point 9): how long
 * opening its report and exporting it take, against reading every figure again from the raw event
 * log — the baseline, measured in the same run on the same store.
 *
 *   1. generate: the simulator plays tests/bench/ui-scenario.json (480 minutes, thousands online)
 *      fast-forwarded to its end; the core records it through a real relay into a fresh SQLite
 *      store exactly as the app does live (events, rollups, retro rollups);
 *   2. open:     buildRetroReport from the rollups (goal < 300 ms);
 *   3. baseline: the same report recomputed from the raw events (aggregator + retro collector);
 *   4. export:   XLSX (goal < 3 s), and HTML and PDF once each for information.
 *
 * A benchmark, not a test: it prints medians, PASS/MISS against the goals and exits 0 either way.
 *
 *   npm run bench:report -- [--runs 7] [--baseline-runs 3] [--seed 1] [--no-pdf] [--save-exports DIR] [--json out.json]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { freshDir, median, positive, emitReport, runMain, fmtInt } from './common.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildRetroReport, recomputeExtras } from '../../electron/core/retro/retrospective.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { writeXlsx } from '../../electron/core/retro/export/xlsx.ts';
import { renderHtml } from '../../electron/core/retro/export/html.ts';
import { htmlToPdf, findChromium } from '../../electron/core/retro/export/pdf.ts';

const { values: argv } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'baseline-runs': { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    'no-pdf': { type: 'boolean', default: false },
    /** also write report.html / report.pdf / report.xlsx there, to look at */
    'save-exports': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (argv.help) {
  console.log('npm run bench:report -- [--runs N] [--baseline-runs N] [--seed N] [--no-pdf] [--save-exports DIR] [--json PATH]');
  process.exit(0);
}
const RUNS = Math.round(positive('runs', argv.runs));
const BASE_RUNS = Math.round(positive('baseline-runs', argv['baseline-runs']));
const SEED = String(argv.seed);
const SCENARIO = fileURLToPath(new URL('./ui-scenario.json', import.meta.url));
const SHOW_MIN = 480;
const GOAL_OPEN_MS = 300;
const GOAL_XLSX_MS = 3000;

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}
const f1 = (x: number) => x.toFixed(1);

runMain(async () => {
  const dir = freshDir('lcr-bench-report-');
  console.log(`show: tests/bench/ui-scenario.json (${SHOW_MIN} min, busy), seed ${SEED}; store: ${dir}`);

  // 1. Generate the show through the real path: simulator relay → feed client → core → writer thread → SQLite.
  const token = randomBytes(8).toString('hex');
  const gen = await timeAsync(async () => {
    const sim = await Simulator.start({ scenarioFiles: [SCENARIO], speed: 60, seed: SEED, token, fastForwardMs: (SHOW_MIN + 1) * 60_000, maxHistory: Number.POSITIVE_INFINITY });
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: token, noBackup: true });
    await core.untilEnded();
    const events = core.diagnostics().store.eventsStored;
    await core.stop();
    await sim.stop();
    return events;
  });
  const dbBytes = statSync(join(dir, 'lcr.sqlite')).size;
  console.log(`generated: ${fmtInt(gen.value)} events in ${f1(gen.ms / 1000)} s; store ${f1(dbBytes / 1e6)} MB`);

  const opened = time(() => openDatabase(dir));
  const db = opened.value;
  const reader = new StoreReader(db);
  const s = reader.listSessions()[0]!;
  console.log(`opening the store (quick_check and migrations, once per process): ${f1(opened.ms)} ms`);

  // 2. Open the report from the rollups.
  const first = time(() => buildRetroReport(reader, s.sessionId));
  if (first.value.retro.metrics !== 'rollups' || first.value.retro.extras !== 'rollups') throw new Error(`expected current rollups, got ${JSON.stringify(first.value.retro)}`);
  const open: number[] = [];
  for (let i = 0; i < RUNS; i++) open.push(time(() => buildRetroReport(reader, s.sessionId)).ms);
  const report = first.value;

  // 3. Baseline: every figure read again from the raw events (both passes: metrics, then the retro extras).
  const base: number[] = [];
  const baseMetrics: number[] = [];
  const baseExtras: number[] = [];
  for (let i = 0; i < BASE_RUNS; i++) {
    base.push(time(() => buildRetroReport(reader, s.sessionId, { recompute: true })).ms);
    baseMetrics.push(time(() => buildReport(reader, s.sessionId, { recompute: true })).ms);
    baseExtras.push(time(() => recomputeExtras(reader, s)).ms);
  }
  const check = buildRetroReport(reader, s.sessionId, { recompute: true });
  const same = check.kpis.gmvFen === report.kpis.gmvFen && check.kpis.pv === report.kpis.pv && JSON.stringify(check.traffic.totals) === JSON.stringify(report.traffic.totals);

  // 4. Exports.
  const xlsx: number[] = [];
  for (let i = 0; i < RUNS; i++) xlsx.push((await timeAsync(() => writeXlsx(report, join(dir, `r${i}.xlsx`)))).ms);
  const html = await timeAsync(() => renderHtml(report));
  let pdfMs: number | null = null;
  if (!argv['no-pdf']) {
    try {
      findChromium();
      pdfMs = (await timeAsync(() => htmlToPdf(html.value, join(dir, 'r.pdf')))).ms;
    } catch (e) {
      console.log(`PDF skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  db.close();
  if (argv['save-exports']) {
    const { exportReport } = await import('../../electron/core/retro/export/index.ts');
    for (const f of ['html', 'xlsx', 'pdf'] as const) if (f !== 'pdf' || pdfMs !== null) await exportReport(report, f, join(argv['save-exports'], `report.${f}`));
  }

  const mOpen = median(open);
  const mBase = median(base);
  const mXlsx = median(xlsx);
  console.log('');
  console.log(`session: ${report.minutes.length} minutes, ${report.segments.length} segments, ${report.products.length} products, ${fmtInt(report.kpis.pv)} views, GMV ¥${fmtInt(report.kpis.gmvFen / 100)}`);
  console.log(`open report (rollups)        median ${f1(mOpen)} ms over ${RUNS} (first ${f1(first.ms)} ms)   goal < ${GOAL_OPEN_MS} ms  ${mOpen < GOAL_OPEN_MS ? 'PASS' : 'MISS'}`);
  console.log(`baseline: raw recomputation  median ${f1(mBase)} ms over ${BASE_RUNS}  (metrics ${f1(median(baseMetrics))} ms + retro extras ${f1(median(baseExtras))} ms)`);
  console.log(`ratio baseline / rollups     ${(mBase / mOpen).toFixed(1)}×   figures equal: ${same ? 'yes' : 'NO'}`);
  console.log(`export XLSX                  median ${f1(mXlsx)} ms over ${RUNS}   goal < ${GOAL_XLSX_MS} ms  ${mXlsx < GOAL_XLSX_MS ? 'PASS' : 'MISS'}`);
  console.log(`export HTML (SVG charts)     ${f1(html.ms)} ms (once, ${f1(html.value.length / 1e3)} kB)`);
  if (pdfMs !== null) console.log(`export PDF (Chromium)        ${f1(pdfMs)} ms (once, includes the HTML above being printed)`);
  emitReport(
    {
      bench: 'report',
      config: { runs: RUNS, baselineRuns: BASE_RUNS, seed: SEED, scenario: 'tests/bench/ui-scenario.json', showMin: SHOW_MIN },
      events: gen.value,
      generateMs: gen.ms,
      storeBytes: dbBytes,
      openStoreMs: opened.ms,
      openReportMs: { median: mOpen, first: first.ms, samples: open },
      baselineMs: { median: mBase, metrics: median(baseMetrics), extras: median(baseExtras), samples: base },
      ratio: mBase / mOpen,
      figuresEqual: same,
      xlsxMs: { median: mXlsx, samples: xlsx },
      htmlMs: html.ms,
      pdfMs,
      goals: { openReportMs: GOAL_OPEN_MS, xlsxMs: GOAL_XLSX_MS, openPass: mOpen < GOAL_OPEN_MS, xlsxPass: mXlsx < GOAL_XLSX_MS },
    },
    argv.json,
  );
});
