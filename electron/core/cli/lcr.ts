/**
 * `lcr`: the command line of CONTRACTS.md. Every command honours LCR_DATA_DIR, prints errors as
 * one line on stderr and exits non-zero; `--json` prints one JSON document and nothing else.
 */
import { minuteFromNumber, minuteLabel } from '../../../shared/minutes.ts';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { basename, resolve } from 'node:path';
import { Simulator } from '../sim/simulator.ts';
import { Core } from '../core.ts';
import { loadConfig, resolveScenario } from '../config.ts';
import { openDatabase, openForReading, ReadOnlyStoreError, type DB } from '../store/db.ts';
import { StoreReader } from '../store/reader.ts';
import { buildRetroReport, type RetroReport } from '../retro/retrospective.ts';
import { listSessions, readNotes } from '../store/retro.ts';
import { EXPORT_FORMATS, exportReport, isExportFormat } from '../retro/export/index.ts';
import { reportText } from '../retro/export/text.ts';
import { localiser } from '../../../shared/i18n/localiser.ts';
import { POLICIES, evaluate, type EvaluateResult, type PolicyName } from '../eval/evaluate.ts';
import { readScenarioFile } from '../sim/scenario.ts';
import { readPlanFile } from '../suggest/plan-file.ts';
import { directWrite } from '../store/writer.ts';
import { RunOfShowBook } from '../suggest/run-of-show.ts';
import { directRetroService } from '../retro/service.ts';
import { readSavedSettings } from '../settings.ts';
import { readBoundedFile, FileReadError } from '../files/bounded.ts';
import { ImportError, importTable } from '../imports/index.ts';
import type { ImportKind } from '../../../shared/imports/types.ts';

import { SourceConfigError } from '../sources/hub.ts';
import { writeCapture } from '../sources/capture.ts';
import { MAX_IMPORT_FILE_BYTES, SOURCE_KINDS, isSourceKind, sessionInfo } from '../../../shared/contract.ts';
import { isoMinute } from '../../../shared/format.ts';
import { installSafetyNet } from '../host/safety-net.ts';

class UsageError extends Error {}

const USAGE = `usage: lcr <command> [options]
  simulate --scenario FILE[,FILE…] [--port N] [--token T] [--speed X] [--seed S]
  record   [--source feed|tiktok-chat-reader|douyin-ws|barragegrab|replay] [--feed URL|FILE|session:ID] [--token T]
           [--rooms a,b] [--orders FILE.jsonl] [--speed X] [--until-ended]
  sessions [--room ID] [--platform P] [--since DATE] [--until DATE] [--search TEXT] [--json]
  report   --session ID [--json] [--recompute]     (the retrospective: readable text, or CONTRACTS.md's JSON)
  export   --session ID --format csv|xlsx|html|pdf --out PATH [--lang zh-CN|en]
  note     --session ID [--minute M] --text TEXT | --delete NOTE_ID    (without --text/--delete: list the notes)
  import   --file PATH.csv|.xlsx [--room ID] [--session ID] [--kind provisional|settled] [--start DATE] [--json]
           (Compass minute/product/totals tables: a show not recorded live, or settled figures of one that was)
  evaluate --scenario FILE --policy plan|suggest|oracle|all [--seeds N] [--json]
  plan     --room ID [--file PATH.csv|.xlsx] [--json]   (a room's run-of-show: show it, or import one)
  capture  --session ID --out FILE.jsonl [--json]       (a recorded show as a JSONL capture, for record --source replay)
Environment: LCR_DATA_DIR (where the store lives), LCR_SOURCE, LCR_FEED_URL, LCR_FEED_TOKEN, LCR_ROOMS, LCR_ORDERS_FILE, LCR_SPEED.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulate':
        return await simulate(rest);
      case 'record':
        return await record(rest);
      case 'sessions':
        return sessions(rest);
      case 'report':
        return report(rest);
      case 'export':
        return await exportCmd(rest);
      case 'note':
      case 'notes':
        return await noteCmd(rest);
      case 'import':
        return await importCmd(rest);
      case 'evaluate':
        return evaluateCmd(rest);
      case 'plan':
        return await planCmd(rest);
      case 'capture':
        return await captureCmd(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // CONTRACTS.md: one line, whatever the message quotes back (an argument with line breaks, a 300 kB value).
    const line = msg.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
    console.error(`lcr: ${line.length > 1000 ? `${line.slice(0, 1000)}…` : line}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

function args<const T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Long-running commands keep running past a stray fault, logging it in one line (safety-net.ts). */
function keepRunning(): void {
  installSafetyNet((l) => console.error(`lcr: ${l}`), 'stray fault');
}

async function simulate(argv: string[]): Promise<number> {
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

async function record(argv: string[]): Promise<number> {
  const v = args(argv, {
    source: { type: 'string' },
    feed: { type: 'string' },
    token: { type: 'string' },
    rooms: { type: 'string' },
    orders: { type: 'string' },
    speed: { type: 'string' },
    'until-ended': { type: 'boolean' },
  });
  const config = settings();
  const source = String(v.source ?? config.sourceKind);
  if (!isSourceKind(source)) throw new UsageError(`--source must be one of ${SOURCE_KINDS.join(', ')} (got "${source}")`);
  const rooms = v.rooms ? String(v.rooms).split(',').map((r) => r.trim()).filter(Boolean) : config.rooms;
  const speed = v.speed === undefined ? config.speed : Number(v.speed);
  if (!(speed >= 1 && speed <= 60)) throw new UsageError(`--speed must be a number from 1 to 60 (got "${String(v.speed)}")`);
  let feedUrl: string;
  let options: Parameters<typeof Core.start>[0];
  if (source === 'feed') {
    const url = (v.feed as string | undefined) ?? config.feedUrl;
    if (!url) throw new UsageError('record needs --feed URL (or LCR_FEED_URL)');
    feedUrl = url;
    options = { dataDir: config.dataDir, feedUrl, feedToken: (v.token as string | undefined) ?? config.feedToken, rooms, log: (l) => console.error(l) };
  } else {
    const address = (v.feed as string | undefined) ?? config.sourceAddress;
    if (!address) throw new UsageError(`record --source ${source} needs --feed (or LCR_FEED_URL): ${source === 'replay' ? 'a JSONL capture file or session:ID' : "the source's address"}`);
    feedUrl = address;
    const cfg = { kind: source, address, rooms, ordersFile: (v.orders as string | undefined) ?? config.ordersFile, speed, fenPerDiamond: config.fenPerDiamond, dataDir: config.dataDir };
    options = { dataDir: config.dataDir, source: cfg, rooms, log: (l) => console.error(l) };
  }
  let core: Core;
  keepRunning();
  try {
    core = await Core.start(options);
  } catch (e) {
    // A source without what it needs (the core checks before it opens anything) is a usage error.
    if (e instanceof SourceConfigError) throw new UsageError(e.message);
    throw e;
  }
  console.error(`recording ${feedUrl} into ${config.dataDir}`);
  let exitCode = 0;
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (v['until-ended']) void core.untilEnded().then(done);
    // A wrong token does not get better by waiting.
    const watch = setInterval(() => {
      const c = core.connection;
      if (c.status === 'failed') {
        console.error(`lcr: ${c.error ?? 'feed failed'}`);
        exitCode = 1;
        done();
      }
    }, 100);
    watch.unref();
  });
  const stored = core.diagnostics().store.eventsStored;
  await core.stop();
  console.error(`stopped; ${stored} events stored`);
  return exitCode;
}

/** A recorded show as a JSONL capture (electron/core/sources/capture.ts): to replay, share or keep. */
async function captureCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.session || !v.out) throw new UsageError('capture needs --session ID and --out FILE.jsonl');
  const config = settings();
  const { db } = openForReading(config.dataDir);
  try {
    const summary = await writeCapture(new StoreReader(db), String(v.session), String(v.out));
    if (v.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else console.error(`wrote ${summary.lines} lines to ${summary.path}`);
    return 0;
  } finally {
    db.close();
  }
}

/** CONTRACTS.md's environment and the saved settings; a saved setting set aside is said once on stderr. */
function settings(): ReturnType<typeof loadConfig> {
  const config = loadConfig();
  for (const w of config.warnings) console.error(`lcr: warning: ${w}`);
  return config;
}

/** A command that only reads: it works on a read-only data folder too (`readonly` then says so). */
function withReader<T>(fn: (r: StoreReader, readonly: boolean) => T): T {
  const config = settings();
  const { db, readonly } = openForReading(config.dataDir);
  try {
    return fn(new StoreReader(db), readonly);
  } finally {
    db.close();
  }
}

/** A command that must write: a read-only data folder is said plainly, with what still works. */
function openForWriting(dataDir: string, what: string): DB {
  try {
    return openDatabase(dataDir);
  } catch (e) {
    if (e instanceof ReadOnlyStoreError) throw new Error(`the data folder ${dataDir} is read-only: ${what} writes to the store (sessions, report, export, capture and plan without --file still work)`);
    throw e;
  }
}

/** A date as `2024-11-11`, `2024-11-11T20:00` (local time) or epoch ms. */
function parseDate(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = /^\d{10,}$/.test(raw) ? Number(raw) : new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00` : raw).getTime();
  if (!Number.isFinite(t)) throw new UsageError(`--${name} must be a date such as 2024-11-11 or 2024-11-11T20:00 (got "${raw}")`);
  return t;
}

function sessions(argv: string[]): number {
  const v = args(argv, {
    json: { type: 'boolean' },
    room: { type: 'string' },
    platform: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    search: { type: 'string' },
  });
  const filter = { roomId: v.room, platform: v.platform, since: parseDate('since', v.since), until: parseDate('until', v.until), search: v.search };
  const list = withReader((r) => listSessions(r, filter)).map(sessionInfo);
  if (v.json) {
    process.stdout.write(JSON.stringify(list) + '\n');
    return 0;
  }
  if (!list.length) {
    console.log(v.room || v.platform || v.since || v.until || v.search ? 'no sessions match' : 'no sessions in the store yet');
    return 0;
  }
  for (const s of list) {
    const start = isoMinute(s.startedAt);
    const dur = s.endedAt === null ? 'live' : `${Math.round((s.endedAt - s.startedAt) / 60000)} min`;
    console.log(`${s.sessionId}\t${s.platform}\t${start}\t${dur}\t${s.title}`);
  }
  return 0;
}

/** The report of a session; retro rollups computed from the raw log are stored for next time (when the store can be written). */
function retroReport(r: StoreReader, sessionId: string, recompute = false, readonly = false): RetroReport {
  return buildRetroReport(r, sessionId, {
    recompute,
    onExtrasRecomputed: recompute || readonly ? undefined : (row) => directWrite(r.db)({ retroRollups: [row] }),
  });
}

function report(argv: string[]): number {
  const v = args(argv, { session: { type: 'string' }, json: { type: 'boolean' }, recompute: { type: 'boolean' }, lang: { type: 'string' } });
  if (!v.session) throw new UsageError('report needs --session ID (see: lcr sessions)');
  const lang = v.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
  const rep = withReader((r, readonly) => retroReport(r, String(v.session), Boolean(v.recompute), readonly));
  if (v.json) process.stdout.write(JSON.stringify(rep) + '\n');
  else process.stdout.write(reportText(rep, localiser(lang)));
  return 0;
}

async function exportCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } });
  if (!v.session) throw new UsageError('export needs --session ID');
  if (!v.out) throw new UsageError('export needs --out PATH');
  const format = v.format ?? 'csv';
  if (!isExportFormat(format)) throw new UsageError(`unknown format "${String(format)}" (${EXPORT_FORMATS.join(', ')})`);
  const lang = v.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
  const rep = withReader((r, readonly) => retroReport(r, String(v.session), false, readonly));
  const files = await exportReport(rep, format, resolve(String(v.out)), { locale: lang });
  for (const f of files) console.error(`wrote ${f}`);
  return 0;
}

/** R3 from the command line: list, add (with the operator's name from the settings) or delete a session's notes. */
async function noteCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, minute: { type: 'string' }, text: { type: 'string' }, delete: { type: 'string' }, json: { type: 'boolean' } });
  const config = settings();
  // Listing notes only reads; adding or deleting one writes.
  const db = v.delete || v.text !== undefined ? openForWriting(config.dataDir, `lcr note ${v.delete ? '--delete' : '--text'}`) : openForReading(config.dataDir).db;
  try {
    const reader = new StoreReader(db);
    // The app's own note code (a reading-only store never gets a writer).
    const service = () => directRetroService(db, reader, config.dataDir, readSavedSettings(config.dataDir).operatorName ?? null);
    if (v.delete) {
      await service().deleteNote(v.delete);
      console.error(`deleted note ${v.delete}`);
      return 0;
    }
    if (!v.session) throw new UsageError('note needs --session ID (and --text TEXT to add one)');
    const s = reader.getSession(v.session);
    if (!s) throw new Error(`no session ${v.session} in the store (see: lcr sessions)`);
    if (v.text !== undefined) {
      const text = v.text.trim();
      if (!text || text.length > 2000) throw new UsageError('--text must be 1 to 2000 characters');
      let minute: number | null = null;
      if (v.minute !== undefined) {
        // People count minutes from 1 (第1分钟), as every screen and sheet prints them.
        const m = Number(v.minute);
        if (!Number.isInteger(m) || m < 1) throw new UsageError(`--minute must be a whole number from 1 (got "${v.minute}")`);
        minute = minuteFromNumber(m);
      }
      const note = await service().addNote(s.sessionId, minute, text);
      if (v.json) process.stdout.write(JSON.stringify(note) + '\n');
      else console.error(`added note ${note.id}`);
      return 0;
    }
    const list = readNotes(reader, s.sessionId);
    if (v.json) {
      process.stdout.write(JSON.stringify(list) + '\n');
      return 0;
    }
    if (!list.length) console.log('no notes');
    for (const n of list) console.log(`${n.id}\t${n.minute === null ? '全场' : minuteLabel(n.minute, 'zh-CN')}\t${n.byName ?? ''}\t${n.text}`);
    return 0;
  } finally {
    db.close();
  }
}

/**
 * F4/R9 from the command line: one table per call, stored in one transaction; a bad file changes
 * nothing and fails with "FILE: line N, column C: reason".
 */
async function importCmd(argv: string[]): Promise<number> {
  const v = args(argv, { file: { type: 'string' }, room: { type: 'string' }, session: { type: 'string' }, kind: { type: 'string' }, start: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.file) throw new UsageError('import needs --file PATH (a .csv or .xlsx table exported from Compass)');
  if (v.kind !== undefined && v.kind !== 'provisional' && v.kind !== 'settled') throw new UsageError(`--kind must be provisional or settled (got "${v.kind}")`);
  const path = resolve(v.file);
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(path, MAX_IMPORT_FILE_BYTES, 'an imported table');
  } catch (e) {
    throw new Error(`cannot read ${v.file}: ${e instanceof FileReadError ? e.reason : e instanceof Error ? e.message : String(e)}`);
  }
  const config = settings();
  const db = openForWriting(config.dataDir, 'lcr import');
  try {
    let result;
    try {
      result = await importTable(db, {
        fileName: path,
        bytes,
        roomId: v.room,
        sessionId: v.session,
        kind: v.kind as ImportKind | undefined,
        startedAt: parseDate('start', v.start),
        importedBy: readSavedSettings(config.dataDir).operatorName ?? null,
      });
    } catch (e) {
      if (e instanceof ImportError) throw new Error(`${basename(path)}: ${e.message} (nothing was imported)`);
      throw e;
    }
    if (v.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    const what = { minutes: 'minute rows', products: 'product rows', totals: 'totals row' }[result.table];
    console.log(`${result.file}: ${result.rows} ${what} → ${result.created ? 'new session' : 'session'} ${result.sessionId} (${result.kind})`);
    if (result.ignored.length) console.log(`  columns not read: ${result.ignored.join(', ')}`);
    if (result.kind === 'settled' && result.settlement) {
      const moved = result.settlement.changes;
      console.log(moved.length ? `  settled vs live: ${moved.map((c) => `${c.key} ${c.change !== null && c.change > 0 ? '+' : ''}${c.change ?? '—'}`).join(', ')}` : '  settled figures equal the live ones');
    }
    return 0;
  } finally {
    db.close();
  }
}

/** SCENARIO.md "Evaluating suggestion policies"; `--policy all` runs the three and prints their ratios. */
function evaluateCmd(argv: string[]): number {
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

/**
 * S4 from the command line: `lcr plan --room ID` prints the room's run-of-show; with `--file` it
 * imports a CSV/XLSX 排品表 first (checked against the room's newest show's products when there
 * is one; a bad file changes nothing). The app picks it up when the room's next show starts.
 */
async function planCmd(argv: string[]): Promise<number> {
  const v = args(argv, { room: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.room) throw new UsageError('plan needs --room ID');
  const roomId = v.room;
  const config = settings();
  const db = v.file ? openForWriting(config.dataDir, 'lcr plan --file') : openForReading(config.dataDir).db;
  try {
    const reader = new StoreReader(db);
    if (v.file) {
      const newest = reader
        .listSessions()
        .filter((s) => s.roomId === roomId)
        .sort((a, b) => b.startedAt - a.startedAt)[0];
      const products = newest ? reader.rollups(newest.sessionId)?.products : undefined;
      const catalog = products?.length ? products.map((p) => ({ id: p.productId, title: p.title })) : undefined;
      const items = await readPlanFile(resolve(v.file), catalog);
      const by = readSavedSettings(config.dataDir).operatorName ?? null;
      // The catalog already checked each row (with its line); the plan is saved as the app saves one.
      book(db, reader).save(roomId, items, by, null);
    }
    const plan = reader.runOfShow(roomId);
    if (v.json) {
      process.stdout.write(JSON.stringify({ roomId, items: plan?.items ?? [], updatedAt: plan?.updatedAt ?? null, updatedBy: plan?.updatedBy ?? null }) + '\n');
      return 0;
    }
    if (!plan?.items.length) {
      console.log(`${roomId}: no run-of-show (import one with --file PATH.csv|.xlsx)`);
      return 0;
    }
    console.log(`${roomId}: ${plan.items.length} item(s), ${plan.items.reduce((s, i) => s + i.minutes, 0)} min per round${plan.updatedBy ? `, by ${plan.updatedBy}` : ''}`);
    plan.items.forEach((i, k) => console.log(`${String(k + 1).padStart(3)}. ${i.productId}  ${i.minutes} min`));
    return 0;
  } finally {
    db.close();
  }
}

/** The app's run-of-show code over a store opened directly: a write lands at once. */
function book(db: DB, reader: StoreReader): RunOfShowBook {
  return new RunOfShowBook({ reader, write: directWrite(db) });
}
