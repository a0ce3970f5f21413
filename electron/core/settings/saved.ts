/**
 * Settings saved from the app's settings screen: `settings.json` in the data folder. CONTRACTS.md:
 * the same settings exist as environment variables, and the environment wins. Feed settings take
 * effect at the next start (the feed, the simulator and the store's cursors are set up once).
 */
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { readBoundedFile } from '../files/bounded.ts';
import { join } from 'node:path';
import { SavedSettingsSchema, type SavedSettings, type SettingSource } from '../../../shared/contract.ts';

export const SETTINGS_FILE = 'settings.json';

export function readSavedSettings(dataDir: string): SavedSettings {
  let text: string;
  try {
    // Settings are a few hundred bytes; anything past a megabyte is not ours and is ignored like any unreadable file.
    text = new TextDecoder('utf-8').decode(readBoundedFile(join(dataDir, SETTINGS_FILE), 1024 * 1024, 'settings.json'));
  } catch {
    return {};
  }
  try {
    const parsed = SavedSettingsSchema.safeParse(JSON.parse(text));
    // A hand-edited file that no longer fits is ignored rather than stopping the app.
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Atomic write: a crash mid-save leaves the old file, never half a file. Only the schema's keys
 * are written: an account's secret handed in by mistake never lands in settings.json (accounts
 * live in the vault, secrets/file-vault.ts).
 */
export function writeSavedSettings(dataDir: string, settings: SavedSettings): void {
  const known = SavedSettingsSchema.safeParse(settings);
  if (!known.success) throw new Error(`not valid settings: ${known.error.issues[0]?.path.join('.') ?? ''} ${known.error.issues[0]?.message ?? ''}`.trim());
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SETTINGS_FILE);
  writeFileSync(file + '.tmp', JSON.stringify(known.data, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}

/** The operator's name and role have no environment variable: they belong to the desk. */
const ENV_OF: Record<Exclude<keyof SavedSettings, 'operatorName' | 'operatorRole'>, string> & Partial<Record<keyof SavedSettings, string>> = {
  feedUrl: 'LCR_FEED_URL',
  feedToken: 'LCR_FEED_TOKEN',
  rooms: 'LCR_ROOMS',
  scenario: 'LCR_SCENARIO',
  speed: 'LCR_SPEED',
  seed: 'LCR_SEED',
  sourceKind: 'LCR_SOURCE',
  alsoSources: 'LCR_SOURCE',
  platforms: 'LCR_QIANCHUAN_APP_ID',
  sourceAddress: 'LCR_FEED_URL',
  ordersFile: 'LCR_ORDERS_FILE',
};

/** Where each setting's value comes from: the environment wins, then what was saved. */
export function settingSources(saved: SavedSettings, env: NodeJS.ProcessEnv = process.env): Record<keyof SavedSettings | 'dataDir', SettingSource> {
  const out = { dataDir: env.LCR_DATA_DIR ? 'env' : 'default' } as Record<keyof SavedSettings | 'dataDir', SettingSource>;
  for (const k of [...Object.keys(ENV_OF), 'operatorName', 'operatorRole'] as Array<keyof SavedSettings>) {
    const name = ENV_OF[k];
    out[k] = name && env[name] ? 'env' : saved[k] !== undefined && saved[k] !== null ? 'saved' : 'default';
  }
  return out;
}
