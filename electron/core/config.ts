/**
 * CONTRACTS.md's environment, resolved once. The environment wins over anything else; the
 * settings screen writes the same keys into settings.json. A bad environment value stops the app
 * with a clear error (the person who set it is there to read it); a bad SAVED value must not brick
 * the app and every `lcr` command: it is set aside with a warning in plain words and the default
 * used. The settings screen cannot save one in the first place (savedSettingsProblem, the same
 * checks as start-up).
 */
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSavedSettings } from './settings/saved.ts';
import { SOURCE_KINDS, type OfficialKind, type SavedSettings, type SourceKind } from '../../shared/contract.ts';
import { parseSourceList, platformSettingsFromEnv, type PlatformSettings } from './platforms/settings.ts';
import { planRooms, type SourceConfig } from './sources/hub.ts';
import { readScenarioFile } from './sim/scenario.ts';

export interface Config {
  dataDir: string;
  feedUrl: string | undefined;
  feedToken: string | undefined;
  rooms: string[] | undefined;
  host: string;
  port: number;
  scenarioFiles: string[];
  speed: number;
  seed: string;
  browser: boolean;
  noOpen: boolean;
  /** `feed` (a FEED-PROTOCOL relay at feedUrl, or the simulator without one) or a real source at sourceAddress. */
  sourceKind: SourceKind;
  /** Official platforms joining each room of the first source (`LCR_SOURCE=douyin-ws,qianchuan,doudian`). */
  alsoSources: OfficialKind[];
  /** The official accounts' non-secret settings (platforms/settings.ts). */
  platforms: PlatformSettings;
  sourceAddress: string | undefined;
  ordersFile: string | undefined;
  fenPerDiamond: number | undefined;
  /** Saved settings that were set aside (and why), for the host to print: the app started without them. */
  warnings: string[];
}

/** The repo root (source) or the app folder (bundle): both sit two levels above this file. */
export function appRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function assetsDir(): string {
  return process.env.LCR_ASSETS_DIR ?? join(appRoot(), 'assets');
}

export function defaultScenarioFiles(): string[] {
  const dir = join(assetsDir(), 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** The per-user data folder each OS expects, the same one Electron's userData would be. */
export function defaultDataDir(): string {
  const name = 'live-control-room';
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Live Control Room');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Live Control Room');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), name);
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.LCR_DATA_DIR || defaultDataDir());
  // The settings screen's saved values fill in what the environment leaves open.
  const saved = readSavedSettings(dataDir);
  const speed = env.LCR_SPEED ? Number(env.LCR_SPEED) : (saved.speed ?? 10);
  if (!(speed >= 1 && speed <= 60)) throw new ConfigError(`LCR_SPEED must be a number from 1 to 60 (got "${env.LCR_SPEED}")`);
  const port = env.LCR_PORT ? Number(env.LCR_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`LCR_PORT must be a port number (got "${env.LCR_PORT}")`);
  let sourceKind: string;
  let alsoSources: OfficialKind[];
  let platforms: PlatformSettings;
  try {
    ({ kind: sourceKind, also: alsoSources } = parseSourceList(env.LCR_SOURCE || [saved.sourceKind || 'feed', ...(saved.alsoSources ?? [])].join(','), 'LCR_SOURCE'));
    platforms = platformSettingsFromEnv(env, saved.platforms);
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e));
  }
  if (!(SOURCE_KINDS as readonly string[]).includes(sourceKind)) throw new ConfigError(`LCR_SOURCE must be one of ${SOURCE_KINDS.join(', ')} (got "${sourceKind}")`);
  const fenPerDiamond = env.LCR_FEN_PER_DIAMOND ? Number(env.LCR_FEN_PER_DIAMOND) : undefined;
  if (fenPerDiamond !== undefined && !(fenPerDiamond >= 0 && fenPerDiamond <= 1000)) throw new ConfigError(`LCR_FEN_PER_DIAMOND must be a number from 0 to 1000 (got "${env.LCR_FEN_PER_DIAMOND}")`);
  const warnings: string[] = [];
  let scenarioFiles: string[];
  if (env.LCR_SCENARIO) scenarioFiles = resolveScenarios(env.LCR_SCENARIO);
  else if (saved.scenario) {
    const problem = scenarioProblem(saved.scenario);
    if (problem) warnings.push(`the saved scenario is set aside (${problem}); the shipped scenarios run instead — choose another in 设置 / Settings`);
    scenarioFiles = problem ? defaultScenarioFiles() : resolveScenarios(saved.scenario);
  } else scenarioFiles = defaultScenarioFiles();
  // A real source that cannot start (no address, no rooms …), the same check as the core's at start.
  let sourceAddress = sourceKind === 'feed' ? undefined : env.LCR_FEED_URL || saved.sourceAddress || undefined;
  const rooms = env.LCR_ROOMS ? env.LCR_ROOMS.split(',').map((r) => r.trim()).filter(Boolean) : (saved.rooms ?? undefined);
  const ordersFile = env.LCR_ORDERS_FILE || saved.ordersFile || undefined;
  if (sourceKind !== 'feed') {
    const problem = sourceProblem({ kind: sourceKind as Exclude<SourceKind, 'feed'>, address: sourceAddress ?? '', rooms, ordersFile, speed, fenPerDiamond, dataDir, also: alsoSources, platforms });
    if (problem) {
      // Any of these from the environment: the person who set it gets the error.
      if (env.LCR_SOURCE || env.LCR_FEED_URL || env.LCR_ROOMS || env.LCR_ORDERS_FILE) throw new ConfigError(problem);
      warnings.push(`the saved source ${sourceKind} is set aside (${problem}); the embedded simulator runs instead — fix the source in 设置 / Settings`);
      sourceKind = 'feed';
      sourceAddress = undefined;
      alsoSources = [];
    }
  }
  return {
    dataDir,
    // With a real source, LCR_FEED_URL is that source's address (CONTRACTS.md's `--feed`), not a relay.
    feedUrl: sourceKind === 'feed' ? env.LCR_FEED_URL || saved.feedUrl || undefined : undefined,
    feedToken: env.LCR_FEED_TOKEN || saved.feedToken || undefined,
    rooms,
    host: env.LCR_HOST || '127.0.0.1',
    port,
    scenarioFiles,
    speed,
    seed: env.LCR_SEED || saved.seed || '1',
    browser: env.LCR_BROWSER === '1',
    noOpen: env.LCR_NO_OPEN === '1',
    sourceKind: sourceKind as SourceKind,
    alsoSources,
    platforms,
    sourceAddress,
    ordersFile,
    fenPerDiamond,
    warnings,
  };
}

/** The real source a configuration follows (undefined: a relay or the simulator), as the core opens it. */
export function sourceConfigOf(config: Config): SourceConfig | undefined {
  if (config.sourceKind === 'feed') return undefined;
  return { kind: config.sourceKind, address: config.sourceAddress ?? '', rooms: config.rooms, ordersFile: config.ordersFile, speed: config.speed, fenPerDiamond: config.fenPerDiamond, dataDir: config.dataDir, also: config.alsoSources, platforms: config.platforms };
}

/** Why a real source's configuration cannot start (planRooms, as the core checks it at start), or null. */
function sourceProblem(cfg: SourceConfig): string | null {
  try {
    planRooms(cfg);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Why a scenario setting (comma-separated names or paths) cannot run, or null: each must exist and be a valid scenario. */
function scenarioProblem(scenario: string): string | null {
  try {
    for (const f of resolveScenarios(scenario)) readScenarioFile(f);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function resolveScenarios(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new ConfigError('no scenario named');
  return names.map(resolveScenario);
}

/**
 * Why settings about to be saved could not start the app (null: they can) — start-up's checks on
 * what the next start would read from settings.json: each scenario exists and is valid, a real
 * source has what it needs. The settings screen's save is refused with this reason. `changed`:
 * the keys the save sets — a save of the operator's name is not refused for a source saved by an
 * older version (start-up sets that aside with a warning; the person fixes it in the feed form).
 */
const SOURCE_KEYS: ReadonlyArray<keyof SavedSettings> = ['sourceKind', 'alsoSources', 'platforms', 'sourceAddress', 'rooms', 'ordersFile', 'speed'];

export function savedSettingsProblem(saved: SavedSettings, dataDir: string, changed?: ReadonlyArray<string>): string | null {
  const touches = (keys: ReadonlyArray<string>) => !changed || keys.some((k) => changed.includes(k));
  if (saved.scenario && touches(['scenario'])) {
    const problem = scenarioProblem(saved.scenario);
    if (problem) return `scenario: ${problem}`;
  }
  if (saved.sourceKind && saved.sourceKind !== 'feed' && touches(SOURCE_KEYS)) {
    const problem = sourceProblem({ kind: saved.sourceKind, address: saved.sourceAddress ?? '', rooms: saved.rooms ?? undefined, ordersFile: saved.ordersFile ?? undefined, speed: saved.speed ?? 10, dataDir, also: saved.alsoSources ?? [], platforms: platformSettingsFromEnv(process.env, saved.platforms) });
    if (problem) return `source ${saved.sourceKind}: ${problem}`;
  }
  return null;
}

/** A scenario is a path, or the name of a shipped one ("daily-beauty"). */
export function resolveScenario(s: string): string {
  if (existsSync(s)) return resolve(s);
  const shipped = join(assetsDir(), 'scenarios', s.endsWith('.json') ? s : `${s}.json`);
  if (existsSync(shipped)) return shipped;
  throw new ConfigError(`no scenario file ${s} (shipped ones: ${defaultScenarioFiles().map((f) => f.split(/[\\/]/).pop()).join(', ')})`);
}
