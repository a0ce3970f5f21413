/**
 * `npm run bench:suggest` (issue 4): the suggestion engine's quality, measured.
 *
 * Every scenario — the four shipped rooms plus the evaluation ones in assets/scenarios/eval/ —
 * is played with the three SCENARIO.md policies over the same seeds 1…N (paired: each seed is the
 * same audience for every policy), and the table shows GMV per policy with suggest/plan and
 * suggest/oracle. Goals (issue 4): suggest beats plan by ≥ 15 % on average, reaches ≥ 85 % of
 * oracle on average, and loses to plan by no more than 3 % in any scenario.
 *
 *   --seeds N        seeds per scenario and policy (default 8)
 *   --only a,b       scenario names to run (default all)
 *   --json PATH      also write the report there
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, playShow, POLICIES, type EvaluateResult, type PolicyName } from '../../electron/core/eval/evaluate.ts';
import type { LearnedPriors } from '../../shared/suggest/types.ts';
import { readScenarioFile } from '../../electron/core/sim/scenario.ts';
import { emitReport, positive, runMain } from './common.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string' }, only: { type: 'string' }, json: { type: 'string' } } });
const seeds = Math.round(positive('seeds', values.seeds ?? '8'));
const root = join(import.meta.dirname, '../../assets/scenarios');
const files = [
  ...readdirSync(root).filter((f) => f.endsWith('.json')).map((f) => join(root, f)),
  ...readdirSync(join(root, 'eval')).filter((f) => f.endsWith('.json')).map((f) => join(root, 'eval', f)),
].filter((f) => !values.only || values.only.split(',').includes(basename(f, '.json')));

interface Row {
  scenario: string;
  kind: string;
  gmv: Record<PolicyName, number>;
  sd: Record<PolicyName, number>;
  suggestVsPlan: number;
  suggestVsOracle: number;
  /** seeds where suggest earned more than plan */
  wins: number;
  pinsPerHour: number;
  /** Suggest starting from what an earlier show of the room (another audience) taught, ÷ plan */
  learnedVsPlan: number;
}

runMain(async () => {
  const rows: Row[] = [];
  const t0 = performance.now();
  for (const file of files) {
    const sc = readScenarioFile(file);
    const name = basename(file, '.json');
    const res = {} as Record<PolicyName, EvaluateResult>;
    for (const p of POLICIES) res[p] = evaluate(sc, p, seeds, name);
    // A first show (seed 1000 + k) teaches the engine; the second show (seed k) starts from it.
    let learnedSum = 0;
    for (let k = 1; k <= seeds; k++) {
      let priors: LearnedPriors | null = null;
      playShow(sc, 'suggest', 1000 + k, { onLearned: (p) => (priors = p) });
      learnedSum += playShow(sc, 'suggest', k, { engine: { priors } }).gmvFen;
    }
    const wins = res.suggest.runs.filter((r, i) => r.gmvFen > (res.plan.runs[i]?.gmvFen ?? Infinity)).length;
    const row: Row = {
      scenario: name,
      kind: (sc.description ?? '').split(/[.:]/)[0] ?? '',
      gmv: { plan: res.plan.gmvFen.mean, suggest: res.suggest.gmvFen.mean, oracle: res.oracle.gmvFen.mean },
      sd: { plan: res.plan.gmvFen.sd, suggest: res.suggest.gmvFen.sd, oracle: res.oracle.gmvFen.sd },
      suggestVsPlan: res.suggest.gmvFen.mean / res.plan.gmvFen.mean,
      suggestVsOracle: res.suggest.gmvFen.mean / res.oracle.gmvFen.mean,
      wins,
      pinsPerHour: res.suggest.runs.reduce((s, r) => s + r.pins, 0) / seeds / (sc.durationMin / 60),
      learnedVsPlan: learnedSum / seeds / res.plan.gmvFen.mean,
    };
    rows.push(row);
    console.error(`  ${name}: done (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
  const avgVsPlan = mean(rows.map((r) => r.suggestVsPlan));
  const avgVsOracle = mean(rows.map((r) => r.suggestVsOracle));
  const worst = Math.min(...rows.map((r) => r.suggestVsPlan));
  const avgLearned = mean(rows.map((r) => r.learnedVsPlan));
  const yuan = (fen: number) => `¥${Math.round(fen / 100).toLocaleString('en-US')}`;
  console.log(`\nSuggestion quality — ${seeds} paired seeds per scenario and policy (GMV mean ± sd)\n`);
  console.log('| scenario | plan | suggest | oracle | suggest/plan | suggest/oracle | suggest > plan | switches/h | 2nd show/plan |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.scenario} | ${yuan(r.gmv.plan)} ± ${yuan(r.sd.plan)} | ${yuan(r.gmv.suggest)} ± ${yuan(r.sd.suggest)} | ${yuan(r.gmv.oracle)} ± ${yuan(r.sd.oracle)} | ${r.suggestVsPlan.toFixed(3)} | ${r.suggestVsOracle.toFixed(3)} | ${r.wins}/${seeds} | ${r.pinsPerHour.toFixed(0)} | ${r.learnedVsPlan.toFixed(3)} |`,
    );
  }
  const goals = {
    avgVsPlan: { value: avgVsPlan, goal: '≥ 1.15', pass: avgVsPlan >= 1.15 },
    avgVsOracle: { value: avgVsOracle, goal: '≥ 0.85', pass: avgVsOracle >= 0.85 },
    worstVsPlan: { value: worst, goal: '≥ 0.97', pass: worst >= 0.97 },
  };
  console.log('');
  console.log(`average suggest/plan   ${avgVsPlan.toFixed(3)}  (goal ≥ 1.15)  ${goals.avgVsPlan.pass ? 'PASS' : 'MISS'}`);
  console.log(`average suggest/oracle ${avgVsOracle.toFixed(3)}  (goal ≥ 0.85)  ${goals.avgVsOracle.pass ? 'PASS' : 'MISS'}`);
  console.log(`worst suggest/plan     ${worst.toFixed(3)}  (goal ≥ 0.97)  ${goals.worstVsPlan.pass ? 'PASS' : 'MISS'}`);
  console.log(`average 2nd show/plan   ${avgLearned.toFixed(3)}  (S5: starting from the first show's priors; compare ${avgVsPlan.toFixed(3)})`);
  console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  emitReport({ bench: 'suggest', seeds, rows, goals, avgLearnedVsPlan: avgLearned }, values.json);
});
