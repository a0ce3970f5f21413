/**
 * CONTRACTS.md's environment, resolved once. The environment wins over anything else; the
 * settings screen (later) writes the same keys into the store.
 */
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSavedSettings } from './settings.ts';
import { SOURCE_KINDS, type SourceKind } from '../../shared/contract.ts';

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
  /** F3: `feed` (a FEED-PROTOCOL relay at feedUrl, or the simulator without one) or a real source at sourceAddress. */
  sourceKind: SourceKind;
  sourceAddress: string | undefined;
  ordersFile: string | undefined;
  fenPerDiamond: number | undefined;
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
  const sourceKind = (env.LCR_SOURCE || saved.sourceKind || 'feed') as string;
  if (!(SOURCE_KINDS as readonly string[]).includes(sourceKind)) throw new ConfigError(`LCR_SOURCE must be one of ${SOURCE_KINDS.join(', ')} (got "${sourceKind}")`);
  const fenPerDiamond = env.LCR_FEN_PER_DIAMOND ? Number(env.LCR_FEN_PER_DIAMOND) : undefined;
  if (fenPerDiamond !== undefined && !(fenPerDiamond >= 0 && fenPerDiamond <= 1000)) throw new ConfigError(`LCR_FEN_PER_DIAMOND must be a number from 0 to 1000 (got "${env.LCR_FEN_PER_DIAMOND}")`);
  const scenario = env.LCR_SCENARIO || saved.scenario || '';
  const scenarioFiles = scenario ? scenario.split(',').map((s) => resolveScenario(s.trim())) : defaultScenarioFiles();
  return {
    dataDir,
    // With a real source, LCR_FEED_URL is that source's address (CONTRACTS.md's `--feed`), not a relay.
    feedUrl: sourceKind === 'feed' ? env.LCR_FEED_URL || saved.feedUrl || undefined : undefined,
    feedToken: env.LCR_FEED_TOKEN || saved.feedToken || undefined,
    rooms: env.LCR_ROOMS ? env.LCR_ROOMS.split(',').map((r) => r.trim()).filter(Boolean) : (saved.rooms ?? undefined),
    host: env.LCR_HOST || '127.0.0.1',
    port,
    scenarioFiles,
    speed,
    seed: env.LCR_SEED || saved.seed || '1',
    browser: env.LCR_BROWSER === '1',
    noOpen: env.LCR_NO_OPEN === '1',
    sourceKind: sourceKind as SourceKind,
    sourceAddress: sourceKind === 'feed' ? undefined : env.LCR_FEED_URL || saved.sourceAddress || undefined,
    ordersFile: env.LCR_ORDERS_FILE || saved.ordersFile || undefined,
    fenPerDiamond,
  };
}

/** A scenario is a path, or the name of a shipped one ("daily-beauty"). */
export function resolveScenario(s: string): string {
  if (existsSync(s)) return resolve(s);
  const shipped = join(assetsDir(), 'scenarios', s.endsWith('.json') ? s : `${s}.json`);
  if (existsSync(shipped)) return shipped;
  throw new ConfigError(`no scenario file ${s} (shipped ones: ${defaultScenarioFiles().map((f) => f.split(/[\\/]/).pop()).join(', ')})`);
}
