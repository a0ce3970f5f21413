/**
 * What every `lcr` command shares: its usage errors (exit code 2), argument parsing, the settings
 * and how a command opens the store.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase, openForReading, ReadOnlyStoreError, type DB } from '../store/db.ts';
import { StoreReader } from '../store/reader.ts';
import { installSafetyNet } from '../host/safety-net.ts';
import { parseSourceList } from '../platforms/settings.ts';
import { SOURCE_KINDS, isSourceKind, type OfficialKind, type SourceKind } from '../../../shared/contract.ts';

/** A wrong command line: said on stderr, exit code 2. */
export class UsageError extends Error {}

export function args<const T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The flags that choose what to follow, shared by `lcr record` and `lcr serve`. */
export const SOURCE_FLAGS = {
  source: { type: 'string' },
  feed: { type: 'string' },
  token: { type: 'string' },
  rooms: { type: 'string' },
  orders: { type: 'string' },
} as const;

/** `--source kind[,qianchuan,doudian]` read, or a usage error that lists the kinds. */
export function sourceFlag(text: string): { kind: SourceKind; also: OfficialKind[] } {
  let parsed;
  try {
    parsed = parseSourceList(text);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (!isSourceKind(parsed.kind)) throw new UsageError(`--source must be one of ${SOURCE_KINDS.join(', ')} (got "${parsed.kind}")`);
  return { kind: parsed.kind, also: parsed.also };
}

/** `--rooms a,b` as ids. */
export function roomsFlag(text: string): string[] {
  return text.split(',').map((r) => r.trim()).filter(Boolean);
}

/** Long-running commands keep running past a stray fault, logging it in one line (safety-net.ts). */
export function keepRunning(): void {
  installSafetyNet((l) => console.error(`lcr: ${l}`), 'stray fault');
}

/** CONTRACTS.md's environment and the saved settings; a saved setting set aside is said once on stderr. */
export function settings(): ReturnType<typeof loadConfig> {
  const config = loadConfig();
  for (const w of config.warnings) console.error(`lcr: warning: ${w}`);
  return config;
}

/** A command that only reads: it works on a read-only data folder too (`readonly` then says so). */
export function withReader<T>(fn: (r: StoreReader, readonly: boolean) => T): T {
  const config = settings();
  const { db, readonly } = openForReading(config.dataDir);
  try {
    return fn(new StoreReader(db), readonly);
  } finally {
    db.close();
  }
}

/** A command that must write: a read-only data folder is said plainly, with what still works. */
export function openForWriting(dataDir: string, what: string): DB {
  try {
    return openDatabase(dataDir);
  } catch (e) {
    if (e instanceof ReadOnlyStoreError) throw new Error(`the data folder ${dataDir} is read-only: ${what} writes to the store (sessions, report, export, capture and plan without --file still work)`);
    throw e;
  }
}

/** A date as `2024-11-11`, `2024-11-11T20:00` (local time) or epoch ms. */
export function parseDate(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = /^\d{10,}$/.test(raw) ? Number(raw) : new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00` : raw).getTime();
  if (!Number.isFinite(t)) throw new UsageError(`--${name} must be a date such as 2024-11-11 or 2024-11-11T20:00 (got "${raw}")`);
  return t;
}
