/** The simulator from the command line: a relay playing scenario rooms, and the policy evaluation. */
import { basename } from 'node:path';
import { Simulator } from '../sim/simulator.ts';
import { resolveScenario } from '../config.ts';
import { POLICIES, evaluate, type EvaluateResult, type PolicyName } from '../eval/evaluate.ts';
import { readScenarioFile } from '../sim/scenario.ts';
import { UsageError, args, keepRunning } from './common.ts';

export async function simulate(argv: string[]): Promise<number> {
  const v = args(argv, {
    scenario: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    speed: { type: 'string' },
    seed: { type: 'string' },
  });
  if (!v.scenario) throw new UsageError('simulate needs --scenario FILE (or a shipped name such as daily-beauty)');
  keepRunning();
  const speed = v.speed ? Number(v.speed) : 1;
  if (!(speed >= 1 && speed <= 60)) throw new UsageError('--speed must be from 1 to 60');
  const port = v.port ? Number(v.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  const sim = await Simulator.start({
    scenarioFiles: String(v.scenario).split(',').map((s) => resolveScenario(s.trim())),
    port,
    host: v.host ? String(v.host) : undefined,
    token: v.token ? String(v.token) : undefined,
    speed,
    seed: v.seed ? String(v.seed) : 1,
  });
  console.log(`Relay: ${sim.url}`);
  console.error(`rooms: ${sim.rooms.map((r) => r.roomId).join(', ')} · ${speed}× · seed ${v.seed ?? 1}${v.token ? ' · token required' : ''}`);
  await new Promise<void>((done) => {
    const stop = () => void sim.stop().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** SCENARIO.md "Evaluating suggestion policies"; `--policy all` runs the three and prints their ratios. */
export function evaluateCmd(argv: string[]): number {
  const v = args(argv, { scenario: { type: 'string' }, policy: { type: 'string' }, seeds: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.scenario) throw new UsageError('evaluate needs --scenario FILE (or a shipped name such as daily-beauty)');
  const policy = v.policy ?? 'all';
  if (policy !== 'all' && !(POLICIES as readonly string[]).includes(policy)) throw new UsageError(`--policy must be plan, suggest, oracle or all (got "${policy}")`);
  const seeds = v.seeds === undefined ? 5 : Number(v.seeds);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1000) throw new UsageError(`--seeds must be a whole number from 1 to 1000 (got "${v.seeds}")`);
  const file = resolveScenario(v.scenario);
  const scenario = readScenarioFile(file);
  const name = basename(file, '.json');
  const policies: PolicyName[] = policy === 'all' ? [...POLICIES] : [policy as PolicyName];
  const results: EvaluateResult[] = policies.map((p) => evaluate(scenario, p, seeds, name));
  if (v.json) {
    const out = results.map((r) => ({ policy: r.policy, scenario: r.scenario, seeds: r.seeds, gmvFen: r.gmvFen, orders: r.orders, gpm: r.gpm, runs: r.runs }));
    console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    return 0;
  }
  console.log(`${name}: ${seeds} seed(s)`);
  console.log('policy    GMV mean (¥)      min        max     orders    GPM');
  for (const r of results) {
    console.log(
      `${r.policy.padEnd(8)} ${(r.gmvFen.mean / 100).toFixed(0).padStart(12)} ${(r.gmvFen.min / 100).toFixed(0).padStart(10)} ${(r.gmvFen.max / 100).toFixed(0).padStart(10)} ${r.orders.mean.toFixed(0).padStart(10)} ${r.gpm.mean.toFixed(0).padStart(6)}`,
    );
  }
  const by = new Map(results.map((r) => [r.policy, r.gmvFen.mean]));
  const s = by.get('suggest');
  if (s !== undefined && by.has('plan')) console.log(`suggest / plan   = ${(s / (by.get('plan') ?? 1)).toFixed(3)}`);
  if (s !== undefined && by.has('oracle')) console.log(`suggest / oracle = ${(s / (by.get('oracle') ?? 1)).toFixed(3)}`);
  return 0;
}
