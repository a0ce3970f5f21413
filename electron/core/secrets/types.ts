/**
 * Where the official platforms' credentials live. An account's app secret and its current token
 * pair are one record; a platform that rotates the refresh token at every refresh (巨量千川) makes
 * `save` the only way a pair is written, and `save` is atomic: after a crash the vault holds the
 * old pair or the new one, never half of each.
 *
 * Nothing in a record is ever printed, logged, exported or written to settings.json; see
 * `redact.ts` for the one rule that scrubs text that might carry one.
 */
import type { AccountView } from '../../../shared/contract.ts';

export type PlatformName = 'qianchuan' | 'doudian' | 'tiktok-shop' | 'tiktok-ads';

export interface AccountRecord {
  platform: PlatformName;
  /** The account as the platform names it: 千川 advertiser_id, 抖店 shop_id. Not secret. */
  account: string;
  /** The app's own id on the platform (千川 app_id, 抖店 app_key). Not secret. */
  appId: string;
  appSecret: string;
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch ms; null when unknown. */
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
  /** When the pair was last written (epoch ms). */
  updatedAt: number;
  /**
   * Where the pair came from: an environment seed (`LCR_QIANCHUAN_REFRESH_TOKEN` …) or an
   * authorisation (`lcr auth`, the settings screen). A client that refreshes the pair saves the
   * loaded record spread with the new tokens, so both fields travel on.
   */
  seededFrom?: 'env' | 'auth-code';
  /**
   * A hash of the last environment seed this record has taken into account (applied, or
   * superseded by an authorisation): the same seed never overwrites a rotated pair, a changed
   * one replaces it. Not the seed: a salted SHA-256 that cannot be turned back into it.
   */
  seedHash?: string;
}

/** What `lcr auth --status` and the settings screen may show (the contract's AccountView): no secret in it. */
export interface AccountStatus extends AccountView {
  platform: PlatformName;
  seededFrom?: 'env' | 'auth-code';
}

export interface SecretVault {
  /** Where the records are kept, in words for `lcr auth --status` ("OS keychain", "encrypted file …"). */
  readonly where: string;
  load(platform: PlatformName, account: string): Promise<AccountRecord | null>;
  /** Writes the whole record atomically (temp file, fsync, rename). */
  save(record: AccountRecord): Promise<void>;
  remove(platform: PlatformName, account: string): Promise<void>;
  list(): Promise<AccountStatus[]>;
  /**
   * Read-modify-write of one record with no other writer in between (another save in this process
   * or in another process on the same data folder): `change` gets the stored record (null: none)
   * and returns the record to save, or null to leave it as it is. Resolves to the record now
   * stored. A token refresh belongs inside `change`: two processes then never spend the same
   * rotating refresh token (the second would get a refusal, or invalidate the first's new pair).
   * Optional so a simple vault (a test double) need not have it; `seedFromEnv` uses it where it
   * exists.
   */
  update?(platform: PlatformName, account: string, change: (current: AccountRecord | null) => AccountRecord | null | Promise<AccountRecord | null>): Promise<AccountRecord | null>;
}

/** How a vault file's key is protected: the desktop app's OS keychain, or a key file outside the data folder. */
export type VaultProtection = 'desktop-keychain' | 'file-key';
