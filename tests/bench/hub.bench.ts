/**
 * `npm run bench:hub` — an agency's night through one core: many rooms at a realistic rate with
 * bursts, through the relay, the core and its store, out to a desk's screen.
 *
 *   hub        a relay (its own process: the world outside) plays `--rooms` rooms at
 *              `--rate` events/s each for `--seconds`, `--burst-rooms` rooms at a time bursting to
 *              `--burst`× for `--burst-for` s every `--burst-every` s; the core follows them into
 *              its store and serves browser mode; a desk (a browser-mode page's Socket.IO channel,
 *              in the relay's process) receives the pushes.
 *   latency    every 100 ms one room (in turn) gets a `viewers` event with a unique online count:
 *              from the relay's flush to the room push that shows it on the desk (p50/p99; goal
 *              p99 < 1 s). The stream carries no other `viewers` events, so a probe is never
 *              overwritten before it is pushed.
 *   sustained  events stored per second, from the first publish until the last event is committed,
 *              against a raw batched insert of the same number of events into the same kind of
 *              store in this process, measured in the same run.
 *   memory     the core's heap with every room live, minus before it started (after GC), per
 *              room; and the core process's peak RSS.
 *
 * Stores: SQLite (the data folder's) and, given a PostgreSQL server (`--database-url` or
 * LCR_BENCH_DATABASE_URL; a role that may create databases), PostgreSQL — each run on a fresh
 * database of its own, the core opening it through LCR_DATABASE_URL as `lcr serve` does, and the
 * raw batched insert into a fresh database on the same server.
 * A benchmark, not a test: it prints figures and the goals' PASS/MISS and exits 0 either way (1
 * only if the pipeline broke: events went missing or the desk saw no probe).
 *
 *   npm run bench:hub -- [--rooms 50] [--rate 200] [--seconds 20] [--burst 10] [--burst-rooms 5]
 *                        [--burst-every 5] [--burst-for 1] [--seed 1] [--runs 3] [--json out.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { Core } from '../../electron/core/core.ts';
import { BrowserHost } from '../../electron/core/host/browser.ts';
import { freshDir, removeDir, median, percentile, fmtInt, emitReport, positive, runMain } from './common.ts';
import { hubEventsPerRoom, wallNow, type HubOptions } from './publisher.ts';
import { startChildRelay } from './relay-link.ts';
import { generateStreams, type StreamOptions } from './stream.ts';
import { buildRawBatches, measureRaw } from './raw-store.ts';
import { PgBridge } from '../../electron/core/store/pg/bridge.ts';

const { values: argv } = parseArgs({
  options: {
    rooms: { type: 'string', default: '50' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    burst: { type: 'string', default: '10' },
    'burst-rooms': { type: 'string', default: '5' },
    'burst-every': { type: 'string', default: '5' },
    'burst-for': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    json: { type: 'string' },
    'database-url': { type: 'string' },
    stores: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (argv.help) {
  console.log(
    'npm run bench:hub -- [--rooms 50] [--rate 200] [--seconds 20] [--burst 10] [--burst-rooms 5] [--burst-every 5] [--burst-for 1] [--seed 1] [--runs 3] [--json out.json] [--database-url postgres://…] [--stores sqlite,postgres]',
  );
  process.exit(0);
}

const ROOMS = Math.round(positive('rooms', argv.rooms));
const RATE = positive('rate', argv.rate);
const SECONDS = positive('seconds', argv.seconds);
const SEED = Math.round(positive('seed', argv.seed));
const RUNS = Math.round(positive('runs', argv.runs));
const HUB: Omit<HubOptions, 'desk'> = {
  mode: 'hub',
  perRoomRate: RATE,
  batchMs: 50,
  seconds: SECONDS,
  burstFactor: positive('burst', argv.burst),
  burstRooms: Math.round(positive('burst-rooms', argv['burst-rooms'])),
  burstEveryMs: positive('burst-every', argv['burst-every']) * 1000,
  burstForMs: positive('burst-for', argv['burst-for']) * 1000,
  probeEveryMs: 100,
};
const GOAL_P99_MS = 1000;
type StoreKind = 'sqlite' | 'postgres';
const PG_SERVER = argv['database-url'] ?? process.env.LCR_BENCH_DATABASE_URL ?? null;
const STORES: StoreKind[] = (argv.stores ?? (PG_SERVER ? 'sqlite,postgres' : 'sqlite')).split(',').map((k) => {
  if (k !== 'sqlite' && k !== 'postgres') throw new Error(`--stores: sqlite and/or postgres (got "${k}")`);
  if (k === 'postgres' && !PG_SERVER) throw new Error('--stores postgres needs --database-url or LCR_BENCH_DATABASE_URL');
  return k;
});
const pgAdmin = PG_SERVER ? new PgBridge(PG_SERVER) : null;
let pgCount = 0;

/**
 * Points the store at `kind` for what `fn` opens: PostgreSQL on a fresh database (dropped after),
 * or SQLite in the data folder.
 */
async function onStore<T>(kind: StoreKind, fn: () => Promise<T> | T): Promise<T> {
  if (kind === 'sqlite') {
    delete process.env.LCR_DATABASE_URL;
    return await fn();
  }
  const name = `lcr_bench_${process.pid}_${pgCount++}`;
  pgAdmin!.exec(`CREATE DATABASE ${name}`);
  const u = new URL(PG_SERVER!);
  u.pathname = `/${name}`;
  process.env.LCR_DATABASE_URL = u.toString();
  try {
    return await fn();
  } finally {
    delete process.env.LCR_DATABASE_URL;
    pgAdmin!.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
/** The raw insert's batch: 100 events per room per transaction, more than the store's own 100 ms batches hold at this rate. */
const RAW_BATCH_EVENTS = 100 * ROOMS;
/** The same offered load is sustained when the store kept ≥ 95 % of the publish rate. */
const SUSTAIN_SHARE = 0.95;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface HubRun {
  publishedEvents: number;
  storedEvents: number;
  publishSec: number;
  offeredPerSec: number;
  storedPerSec: number;
  drainMs: number;
  maxBacklog: number;
  probesSent: number;
  probesSeen: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  loopP99Ms: number;
  heapPerRoomKb: number;
  /** The process's peak resident memory so far (the relay and the desk are in another process). */
  peakRssMb: number;
  maxCommitMs: number;
}

function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function runHub(streamCfg: StreamOptions): Promise<HubRun> {
  const dir = freshDir('lcr-bench-hub-');
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  const relay = await startChildRelay(streamCfg);
  const before = heapAfterGc();
  const logs: string[] = [];
  let core: Core | null = null;
  let host: BrowserHost | null = null;
  try {
    core = await Core.start({ dataDir: join(dir, 'data'), feedUrl: relay.url, noBackup: true, log: (l) => logs.push(l) });
    host = await BrowserHost.start(core, { host: '127.0.0.1', port: 0, staticDir });
    const c = core;
    await until(() => c.connection.status === 'live', 'the core to subscribe', 30_000);
    const link = new URL(host.url);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    let published = 0;
    let maxBacklog = 0;
    // When the stored count last moved (wall clock): the last commit, within the 10 ms poll.
    let stored = 0;
    let storedWall = 0;
    const watch = setInterval(() => {
      const n = c.diagnostics().store.eventsStored;
      if (n !== stored) {
        stored = n;
        storedWall = wallNow();
      }
      if (published - n > maxBacklog) maxBacklog = published - n;
    }, 10);
    loop.enable();
    const result = await relay.run({ ...HUB, desk: { url: link.origin, token: link.searchParams.get('token')! } }, (p) => {
      published = p;
    });
    published = result.published;
    // Every published event (probes included) committed: the store kept up, or how long it took to catch up.
    await until(() => c.diagnostics().store.eventsStored >= result.published, `all ${fmtInt(result.published)} events stored (${logs.slice(-2).join(' | ')})`, 120_000);
    await new Promise((r) => setTimeout(r, 30));
    loop.disable();
    clearInterval(watch);
    const during = heapAfterGc();
    const d = c.diagnostics().store;
    const lat = result.probes?.latenciesMs ?? [];
    if (!lat.length) throw new Error('the desk saw no probe: the pushes did not reach it');
    const publishSec = (result.lastAt - result.firstAt) / 1000;
    return {
      publishedEvents: result.published,
      storedEvents: d.eventsStored,
      publishSec,
      offeredPerSec: result.published / publishSec,
      // From the relay's first publish to the last commit (both wall clocks of this machine).
      storedPerSec: (d.eventsStored / (storedWall - result.firstAt)) * 1000,
      drainMs: Math.max(0, storedWall - result.lastAt),
      maxBacklog,
      probesSent: result.probes?.sent ?? 0,
      probesSeen: lat.length,
      latencyP50Ms: median(lat),
      latencyP99Ms: percentile(lat, 99),
      latencyMaxMs: Math.max(...lat),
      loopP99Ms: loop.percentile(99) / 1e6,
      heapPerRoomKb: (during - before) / 1024 / ROOMS,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      maxCommitMs: d.maxCommitMs,
    };
  } finally {
    await host?.stop();
    await core?.stop();
    await relay.close();
    removeDir(dir);
  }
}

/** The same events through the same path as fast as the store takes them (the relay stays a window ahead): the hub's ceiling. */
async function runMax(streamCfg: StreamOptions, total: number): Promise<number> {
  const dir = freshDir('lcr-bench-hub-max-');
  const relay = await startChildRelay(streamCfg);
  let core: Core | null = null;
  try {
    core = await Core.start({ dataDir: dir, feedUrl: relay.url, noBackup: true });
    const c = core;
    await until(() => c.connection.status === 'live', 'the core to subscribe', 30_000);
    const poll = setInterval(() => relay.setStored(c.diagnostics().store.eventsStored), 5);
    const batch = Math.round((RATE * ROOMS * HUB.batchMs) / 1000);
    const result = await relay.run({ mode: 'max', batchEvents: batch, windowEvents: batch * 32 });
    let storedWall = 0;
    await until(() => {
      if (c.diagnostics().store.eventsStored < Math.min(total, result.published)) return false;
      storedWall = wallNow();
      return true;
    }, 'the max run stored', 120_000);
    clearInterval(poll);
    return (c.diagnostics().store.eventsStored / (storedWall - result.firstAt)) * 1000;
  } finally {
    await core?.stop();
    await relay.close();
    removeDir(dir);
  }
}

async function main(): Promise<void> {
  const cpu = cpus();
  const eventsPerRoom = hubEventsPerRoom(HUB, ROOMS);
  const streamCfg: StreamOptions = { seed: SEED, rooms: ROOMS, eventsPerRoom, simEventsPerSec: RATE, dropViewers: true };
  console.log(`hub benchmark — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${process.platform}; stores: ${STORES.join(', ')}`);
  console.log(
    `${ROOMS} rooms × ${fmtInt(RATE)} events/s for ${SECONDS} s; ${HUB.burstRooms} rooms at a time at ${HUB.burstFactor}× for ${HUB.burstForMs / 1000} s every ${HUB.burstEveryMs / 1000} s; ` +
      `a latency probe every ${HUB.probeEveryMs} ms; seed ${SEED}`,
  );
  const report: Record<string, unknown> = { bench: 'hub', node: process.version, cpus: cpu.length, config: { rooms: ROOMS, rate: RATE, ...HUB, seed: SEED, runs: RUNS }, stores: {} };
  for (const store of STORES) (report.stores as Record<string, unknown>)[store] = await benchStore(store, streamCfg);
  pgAdmin?.close();
  emitReport(report, argv.json);
}

async function benchStore(store: StoreKind, streamCfg: StreamOptions): Promise<Record<string, unknown>> {
  console.log(`\nstore: ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  const runs: Array<{ hub: HubRun; maxPerSec: number; rawPerSec: number }> = [];
  for (let i = 1; i <= RUNS; i++) {
    const hub = await onStore(store, () => runHub(streamCfg));
    const perRoom = Math.ceil(hub.publishedEvents / ROOMS);
    // The raw ceiling and the hub's own, on the same number of events of the same stream, into the same engine, in this run.
    const raw = await onStore(store, () =>
      measureRaw(() => {
        const streams = generateStreams(streamCfg);
        for (const s of streams) s.bodies = s.bodies.slice(0, perRoom);
        return buildRawBatches(streams, RAW_BATCH_EVENTS);
      }, collectGarbage),
    );
    const maxPerSec = await onStore(store, () => runMax({ ...streamCfg, eventsPerRoom: perRoom }, perRoom * ROOMS));
    runs.push({ hub, maxPerSec, rawPerSec: raw.rowsPerSec });
    console.log(`run ${i}: offered ${fmtInt(hub.offeredPerSec)}/s, stored ${fmtInt(hub.storedPerSec)}/s, max ${fmtInt(maxPerSec)}/s, raw ${fmtInt(raw.rowsPerSec)}/s, latency p50 ${fmtInt(hub.latencyP50Ms)} p99 ${fmtInt(hub.latencyP99Ms)} ms`);
  }
  const med = <K extends keyof HubRun>(k: K) => median(runs.map((r) => r.hub[k] as number));
  const hub = Object.fromEntries((Object.keys(runs[0]!.hub) as Array<keyof HubRun>).map((k) => [k, med(k)])) as unknown as HubRun;
  const maxPerSec = median(runs.map((r) => r.maxPerSec));
  const rawPerSec = median(runs.map((r) => r.rawPerSec));
  const ratio = median(runs.map((r) => r.maxPerSec / r.rawPerSec));
  const goals = { latencyP99: hub.latencyP99Ms < GOAL_P99_MS, sustained: hub.storedPerSec >= SUSTAIN_SHARE * hub.offeredPerSec };
  const row = (label: string, value: string, goal = '', ok: boolean | null = null) => console.log(`  ${label.padEnd(52)} ${value.padStart(14)}   ${goal.padEnd(16)} ${ok === null ? '' : ok ? 'PASS' : 'MISS'}`);
  console.log(`\nmedians of ${RUNS} run(s):`);
  row('offered (published by the relay), events/s', fmtInt(hub.offeredPerSec));
  row('sustained into the store, events/s', fmtInt(hub.storedPerSec), `≥ ${SUSTAIN_SHARE * 100} % offered`, goals.sustained);
  row(`through the hub as fast as it goes (${ROOMS} rooms), events/s`, fmtInt(maxPerSec));
  row('raw batched insert, same store, same run, events/s', fmtInt(rawPerSec));
  row('hub maximum ÷ raw (median of the runs\' ratios)', ratio.toFixed(3));
  row('backlog at worst (events), drain after the last publish (ms)', `${fmtInt(hub.maxBacklog)} / ${fmtInt(hub.drainMs)}`);
  row('relay → desk latency p50 / p99 (ms)', `${fmtInt(hub.latencyP50Ms)} / ${fmtInt(hub.latencyP99Ms)}`, `p99 < ${GOAL_P99_MS}`, goals.latencyP99);
  row('relay → desk latency max (ms); probes seen / sent', `${fmtInt(hub.latencyMaxMs)}; ${hub.probesSeen}/${hub.probesSent}`);
  row('core event-loop delay p99 (ms); store commit max (ms)', `${hub.loopP99Ms.toFixed(1)}; ${hub.maxCommitMs.toFixed(1)}`);
  row('memory: heap per live room (KiB); peak RSS of the core process (MiB)', `${fmtInt(hub.heapPerRoomKb)}; ${fmtInt(hub.peakRssMb)}`);
  return { median: { ...hub, maxPerSec, rawPerSec, maxOverRaw: ratio }, runs, goals };
}

runMain(main);
