/**
 * How a core is started: its data folder and its source (the embedded simulator, a relay, or
 * real rooms through the source adapters), with the waits tests shorten.
 */
import type { SourceConfig } from './sources/hub.ts';
import type { SecretVault } from './secrets/types.ts';
import type { FeedTiming } from './feed/client.ts';
import { sourceConfigOf, type Config } from './config.ts';
import { redactSecrets } from './secrets/redact.ts';

export interface CoreOptions {
  dataDir: string;
  /** A relay to use; without it (and without `source`) the embedded simulator runs. */
  feedUrl?: string;
  /** A real source (TikTok-Chat-Reader, douyinLive, DouyinBarrageGrab, replay) instead of a relay. */
  source?: SourceConfig;
  /** The official platforms' accounts, secrets and tokens (secrets/file-vault.ts). */
  vault?: SecretVault;
  feedToken?: string;
  rooms?: string[];
  /**
   * Rooms are held by lease among several server processes (lcr serve with LCR_REDIS_URL):
   * `rooms` is what this process holds now, changed with Core.setRooms.
   */
  sharedRooms?: boolean;
  scenarioFiles?: string[];
  speed?: number;
  seed?: string;
  /** UI push interval; the guide's 4–10 pushes a second. */
  pushIntervalMs?: number;
  rollupIntervalMs?: number;
  /** Skip the daily backup (benchmarks). */
  noBackup?: boolean;
  /** SQLite's max_page_count for the store: a disk-size cap (tests fill the "disk" with it). */
  storeMaxPages?: number;
  /** Rows waiting for a failing store beyond which the feed pauses (default STORE_BACKLOG_PAUSE). */
  storeBacklogPause?: number;
  /** The feed client's waits (tests shorten them). */
  feedTiming?: Partial<FeedTiming>;
  log?: (line: string) => void;
}

/**
 * The core as CONTRACTS.md's environment configures it (browser mode, the Electron utility
 * process). Its log lines pass the one redaction rule: a source's or a platform's failure may
 * quote a token.
 */
export function coreOptionsFrom(config: Config, log: (line: string) => void, vault?: SecretVault): CoreOptions {
  return {
    dataDir: config.dataDir,
    feedUrl: config.feedUrl,
    feedToken: config.feedToken,
    rooms: config.rooms,
    scenarioFiles: config.scenarioFiles,
    speed: config.speed,
    seed: config.seed,
    source: sourceConfigOf(config),
    log: (line) => log(redactSecrets(line)),
    vault,
  };
}
