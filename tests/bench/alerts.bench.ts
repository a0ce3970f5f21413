/**
 * `npm run bench:alerts` (issue 15): are the alerts worth reading?
 *
 * Every shipped scenario (assets/scenarios/*.json, ads/ and eval/) is played headless over seeds
 * 1…N through the real aggregator, ad console and alert rules (alerts-play.ts), twice on the same
 * events: with today's rules (shared/alerts/evaluate.ts) and with the rules as they were before
 * issue 15 (alerts-baseline.ts, the baseline of every run). For each it prints alerts per
 * room-hour, the share a 场控 would act on (alerts-judge.ts defines it from what the show did
 * next), and how many of the old rules' actionable alerts the new rules still raise (same kind,
 * same product, within ±KEPT_MIN minutes). Figures only; nothing here is a pass or a fail.
 *
 *   --seeds N        seeds per scenario (default 5)
 *   --only a,b       scenario names to run (default all)
 *   --json PATH      also write the report there
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readScenarioFile } from '../../electron/core/sim/scenario.ts';
import { AlertEvaluator } from '../../shared/alerts/evaluate.ts';
import { AlertKinds, DEFAULT_TARGETS, type Alert, type AlertKind } from '../../shared/contract.ts';
import { BaselineAlertEvaluator } from './alerts-baseline.ts';
import { playAlerts, type PlayedShow } from './alerts-play.ts';
import { wouldActOn } from './alerts-judge.ts';
import { emitReport, positive, runMain } from './common.ts';

const KEPT_MIN = 15;

const { values } = parseArgs({ options: { seeds: { type: 'string' }, only: { type: 'string' }, json: { type: 'string' } } });
const seeds = Math.round(positive('seeds', values.seeds ?? '5'));
const root = join(import.meta.dirname, '../../assets/scenarios');
const files = [root, join(root, 'ads'), join(root, 'eval')]
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)))
  .filter((f) => !values.only || values.only.split(',').includes(basename(f, '.json')));

interface Tally {
  alerts: number;
  acted: number;
}
interface Side {
  total: Tally;
  byKind: Record<AlertKind, Tally>;
}
interface Row {
  scenario: string;
  roomHours: number;
  old: Side;
  new: Side;
  /** old rules' actionable alerts, and how many of them the new rules also raised */
  oldActed: number;
  kept: number;
}

const side = (): Side => ({ total: { alerts: 0, acted: 0 }, byKind: Object.fromEntries(AlertKinds.map((k) => [k, { alerts: 0, acted: 0 }])) as Record<AlertKind, Tally> });

function count(s: Side, alerts: Alert[], show: PlayedShow): boolean[] {
  return alerts.map((a) => {
    const acted = wouldActOn(a, show, DEFAULT_TARGETS);
    for (const t of [s.total, s.byKind[a.kind]]) {
      t.alerts++;
      if (acted) t.acted++;
    }
    return acted;
  });
}

const sameCondition = (a: Alert, b: Alert) => a.kind === b.kind && a.params.productId === b.params.productId && Math.abs(a.minute - b.minute) <= KEPT_MIN;

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)} %` : '–');
const perHour = (n: number, h: number) => (h ? (n / h).toFixed(2) : '–');

runMain(async () => {
  const rows: Row[] = [];
  const t0 = performance.now();
  for (const file of files) {
    const sc = readScenarioFile(file);
    const row: Row = { scenario: basename(file, '.json'), roomHours: 0, old: side(), new: side(), oldActed: 0, kept: 0 };
    for (let seed = 1; seed <= seeds; seed++) {
      const before = playAlerts(sc, seed, (r, s) => new BaselineAlertEvaluator(r, s, DEFAULT_TARGETS));
      const after = playAlerts(sc, seed, (r, s) => new AlertEvaluator(r, s, DEFAULT_TARGETS));
      row.roomHours += sc.durationMin / 60;
      const oldActed = count(row.old, before.alerts, before);
      count(row.new, after.alerts, after);
      before.alerts.forEach((a, i) => {
        if (!oldActed[i]) return;
        row.oldActed++;
        if (after.alerts.some((b) => sameCondition(a, b))) row.kept++;
      });
    }
    rows.push(row);
  }

  console.log(`\nAlerts per room-hour and the share a 场控 would act on (alerts-judge.ts), ${seeds} seed(s) per scenario, default targets\n`);
  console.log(`| scenario | room-hours | alerts/h before | alerts/h after | acted on before | acted on after | actionable kept |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  const sum = { roomHours: 0, old: side(), new: side(), oldActed: 0, kept: 0 };
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.roomHours.toFixed(1)} | ${perHour(r.old.total.alerts, r.roomHours)} | ${perHour(r.new.total.alerts, r.roomHours)} | ${pct(r.old.total.acted, r.old.total.alerts)} | ${pct(r.new.total.acted, r.new.total.alerts)} | ${r.kept}/${r.oldActed} |`);
    sum.roomHours += r.roomHours;
    sum.oldActed += r.oldActed;
    sum.kept += r.kept;
    for (const [to, from] of [[sum.old, r.old], [sum.new, r.new]] as const) {
      to.total.alerts += from.total.alerts;
      to.total.acted += from.total.acted;
      for (const k of AlertKinds) {
        to.byKind[k].alerts += from.byKind[k].alerts;
        to.byKind[k].acted += from.byKind[k].acted;
      }
    }
  }
  console.log(`| **all** | ${sum.roomHours.toFixed(1)} | ${perHour(sum.old.total.alerts, sum.roomHours)} | ${perHour(sum.new.total.alerts, sum.roomHours)} | ${pct(sum.old.total.acted, sum.old.total.alerts)} | ${pct(sum.new.total.acted, sum.new.total.alerts)} | ${sum.kept}/${sum.oldActed} |`);

  console.log(`\nBy kind (all scenarios): alerts (acted on)\n`);
  console.log(`| kind | before | after |`);
  console.log(`|---|---:|---:|`);
  for (const k of AlertKinds) {
    const o = sum.old.byKind[k];
    const n = sum.new.byKind[k];
    console.log(`| ${k} | ${o.alerts} (${o.acted}) | ${n.alerts} (${n.acted}) |`);
  }
  console.log(`\nactionable alerts per room-hour: before ${perHour(sum.old.total.acted, sum.roomHours)}, after ${perHour(sum.new.total.acted, sum.roomHours)}; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  emitReport(
    {
      seeds,
      roomHours: sum.roomHours,
      before: { alertsPerRoomHour: sum.old.total.alerts / sum.roomHours, actedShare: sum.old.total.acted / Math.max(1, sum.old.total.alerts) },
      after: { alertsPerRoomHour: sum.new.total.alerts / sum.roomHours, actedShare: sum.new.total.acted / Math.max(1, sum.new.total.alerts) },
      actionableKept: sum.oldActed ? sum.kept / sum.oldActed : null,
      scenarios: rows,
    },
    values.json,
  );
});
