/**
 * CONTRACTS.md's environment, resolved once. The environment wins over anything else; the
 * settings screen (later) writes the same keys into the store.
 */
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSavedSettings } from './settings.ts';

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
  const scenario = env.LCR_SCENARIO || saved.scenario || '';
  const scenarioFiles = scenario ? scenario.split(',').map((s) => resolveScenario(s.trim())) : defaultScenarioFiles();
  return {
    dataDir,
    feedUrl: env.LCR_FEED_URL || saved.feedUrl || undefined,
    feedToken: env.LCR_FEED_TOKEN || saved.feedToken || undefined,
    rooms: env.LCR_ROOMS ? env.LCR_ROOMS.split(',').map((r) => r.trim()).filter(Boolean) : (saved.rooms ?? undefined),
    host: env.LCR_HOST || '127.0.0.1',
    port,
    scenarioFiles,
    speed,
    seed: env.LCR_SEED || saved.seed || '1',
    browser: env.LCR_BROWSER === '1',
    noOpen: env.LCR_NO_OPEN === '1',
  };
}

/** A scenario is a path, or the name of a shipped one ("daily-beauty"). */
export function resolveScenario(s: string): string {
  if (existsSync(s)) return resolve(s);
  const shipped = join(assetsDir(), 'scenarios', s.endsWith('.json') ? s : `${s}.json`);
  if (existsSync(shipped)) return shipped;
  throw new ConfigError(`no scenario file ${s} (shipped ones: ${defaultScenarioFiles().map((f) => f.split(/[\\/]/).pop()).join(', ')})`);
}
