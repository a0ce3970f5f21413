/**
 * The accounts vault: every record in one encrypted document, `<dataDir>/accounts.vault`.
 *
 * - AES-256-GCM, a fresh random IV at every write; the header (format version, which key
 *   protects the file, the key's fingerprint, the accounts' names) is bound to the ciphertext as
 *   additional data, so changing any of it makes the file fail to decrypt.
 * - The key lives outside the data folder (keys.ts): the file alone opens nothing.
 * - A save rewrites the whole set atomically (temp file in the same folder, fsync, rename, fsync
 *   the folder) and one at a time — in this process through a queue, across processes (the app
 *   and `lcr auth`) through a lock file — reading the set from disk under the lock, so no writer
 *   ever drops another's newest token pair.
 * - A file that will not decrypt with the right key is damaged: it is moved aside
 *   (`accounts.vault.damaged-<time>`), never overwritten, and a warning names the accounts to
 *   authorise again. The wrong key, a missing key or a vault of the desktop app's keychain is an
 *   error that leaves the file where it is.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { accountLabel, platformLabel } from './accounts.ts';
import { VaultKeyError, type KeyProvider } from './keys.ts';
import { isAlive, withFileLock } from './lock.ts';
import { registerSecret } from './redact.ts';
import type { AccountRecord, AccountStatus, PlatformName, SecretVault, VaultProtection } from './types.ts';

export const VAULT_FILE = 'accounts.vault';
const FORMAT = 'lcr-vault';
export const VAULT_VERSION = 1;
/** Accounts are a few hundred bytes each; anything this large is not a vault of ours. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The data folder's vault is protected by the desktop app's keychain and this process has no way to it. */
export class VaultProtectedError extends Error {
  override name = 'VaultProtectedError';
}

/** The vault was written by a newer version of the app: left alone, never downgraded. */
export class VaultVersionError extends Error {
  override name = 'VaultVersionError';
}

const PLATFORM = z.enum(['qianchuan', 'doudian', 'tiktok-shop', 'tiktok-ads']);
const ACCOUNT_ID = z.string().min(1).max(200);
const EPOCH = z.number().finite().nullable();

const RecordSchema = z.object({
  platform: PLATFORM,
  account: ACCOUNT_ID,
  appId: z.string().max(200),
  appSecret: z.string().max(10_000),
  accessToken: z.string().max(10_000).nullable(),
  refreshToken: z.string().max(10_000).nullable(),
  accessExpiresAt: EPOCH,
  refreshExpiresAt: EPOCH,
  updatedAt: z.number().finite(),
  seededFrom: z.enum(['env', 'auth-code']).optional(),
  seedHash: z.string().max(200).optional(),
});

const AccountRef = z.object({ platform: PLATFORM, account: ACCOUNT_ID });
type AccountRef = z.infer<typeof AccountRef>;

const FileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int().positive(),
  protection: z.enum(['desktop-keychain', 'file-key']),
  keyId: z.string().max(64),
  keyWhere: z.string().max(2000),
  accounts: z.array(AccountRef).max(10_000),
  iv: z.string().max(64),
  tag: z.string().max(64),
  data: z.string().max(MAX_FILE_BYTES),
});
type VaultFile = z.infer<typeof FileSchema>;
type Header = Omit<VaultFile, 'iv' | 'tag' | 'data'>;

interface State {
  header: Header | null;
  records: Map<string, AccountRecord>;
}

/** Why a file cannot be used although the key is right, and the accounts its header names (null: unreadable). */
interface Damage {
  damaged: string;
  accounts: AccountRef[] | null;
}

const isDamage = (v: State | Damage): v is Damage => 'damaged' in v;

const keyOf = (platform: PlatformName, account: string) => `${platform}\u0000${account}`;
const emptyState = (): State => ({ header: null, records: new Map() });

export interface FileVaultOptions {
  dataDir: string;
  /** Key providers, the preferred first: a new vault is protected by the first that has a key. */
  keys: readonly KeyProvider[];
  /** A warning for the person (a damaged vault moved aside); also kept in `warnings`. */
  onWarning?: (text: string) => void;
  lockTimeoutMs?: number;
  /** Runs after the new file is written and synced, before it replaces the old one (tests: a crash there). */
  beforeRename?: (tmpPath: string) => void | Promise<void>;
}

export class FileVault implements SecretVault {
  readonly file: string;
  readonly warnings: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private cache: { sig: string; state: State } | null = null;
  /** The accounts of the last good read: what a damaged file held, when its own header is unreadable too. */
  private lastKnown: AccountRef[] = [];

  constructor(private readonly o: FileVaultOptions) {
    if (!o.keys.length) throw new Error('a vault needs at least one key provider');
    this.file = join(o.dataDir, VAULT_FILE);
  }

  get where(): string {
    const protection = this.cache?.state.header?.protection;
    const p = (protection && this.o.keys.find((k) => k.protection === protection)) || this.o.keys[0]!;
    return `encrypted file ${this.file}, its key in ${p.where}`;
  }

  /** Which key protects the vault on disk (null: no vault yet). */
  async protection(): Promise<VaultProtection | null> {
    const header = await this.peekHeader();
    return header?.protection ?? null;
  }

  async load(platform: PlatformName, account: string): Promise<AccountRecord | null> {
    const state = await this.current();
    const r = state.records.get(keyOf(platform, account));
    return r ? { ...r } : null;
  }

  async list(): Promise<AccountStatus[]> {
    const state = await this.current();
    return [...state.records.values()]
      .map((r) => ({ platform: r.platform, account: r.account, appId: r.appId, hasToken: Boolean(r.accessToken || r.refreshToken), accessExpiresAt: r.accessExpiresAt, refreshExpiresAt: r.refreshExpiresAt, updatedAt: r.updatedAt, ...(r.seededFrom ? { seededFrom: r.seededFrom } : {}) }))
      .sort((a, b) => a.platform.localeCompare(b.platform) || a.account.localeCompare(b.account));
  }

  async save(record: AccountRecord): Promise<void> {
    const checked = checkRecord(record);
    await this.exclusive(async () => {
      const state = await this.readForWrite();
      state.records.set(keyOf(checked.platform, checked.account), checked);
      await this.write(state);
    });
  }

  async remove(platform: PlatformName, account: string): Promise<void> {
    await this.exclusive(async () => {
      const state = await this.readForWrite();
      if (!state.records.delete(keyOf(platform, account))) return;
      await this.write(state);
    });
  }

  async update(platform: PlatformName, account: string, change: (current: AccountRecord | null) => AccountRecord | null | Promise<AccountRecord | null>): Promise<AccountRecord | null> {
    return this.exclusive(async () => {
      const state = await this.readForWrite();
      const current = state.records.get(keyOf(platform, account)) ?? null;
      const next = await change(current ? { ...current } : null);
      if (!next) return current;
      const checked = checkRecord(next);
      if (checked.platform !== platform || checked.account !== account) throw new Error(`update of ${accountLabel(platform, account)} returned another account's record`);
      state.records.set(keyOf(platform, account), checked);
      await this.write(state);
      return { ...checked };
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The set as on disk now (cached while the file is unchanged); a damaged file is moved aside under the lock. */
  private async current(): Promise<State> {
    const got = await this.read();
    if (!isDamage(got)) return got;
    return this.exclusive(() => this.readForWrite());
  }

  /** Under the lock: the set as on disk, a damaged file moved aside (it cannot change under us now). */
  private async readForWrite(): Promise<State> {
    const got = await this.read();
    return isDamage(got) ? this.moveAside(got) : got;
  }

  private async read(): Promise<State | Damage> {
    const raw = await this.readRaw();
    if (!raw) {
      this.cache = null;
      return emptyState();
    }
    if (this.cache?.sig === raw.sig) return cloneState(this.cache.state);
    const state = await this.decode(raw.bytes);
    if (isDamage(state)) return state;
    this.cache = { sig: raw.sig, state };
    this.remember(state);
    return cloneState(state);
  }

  private async readRaw(): Promise<{ bytes: Buffer; sig: string } | null> {
    let fh: FileHandle;
    try {
      fh = await open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`the account vault ${this.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    try {
      const st = await fh.stat();
      const sig = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
      if (st.size > MAX_FILE_BYTES) return { bytes: Buffer.from('{"too large":true}'), sig };
      return { bytes: await fh.readFile(), sig };
    } finally {
      await fh.close();
    }
  }

  private async peekHeader(): Promise<Header | null> {
    const raw = await this.readRaw();
    if (!raw) return null;
    const parsed = parseFile(raw.bytes);
    return parsed === 'unreadable' || 'mangled' in parsed ? null : headerOf(parsed);
  }

  /** The records of a vault file, why it is damaged, or an error that leaves the file alone. */
  private async decode(bytes: Buffer): Promise<State | Damage> {
    const file = parseFile(bytes);
    if (file === 'unreadable') return { damaged: 'it is not a readable vault file', accounts: null };
    if ('mangled' in file) return { damaged: 'it does not decrypt: it was changed or damaged on disk', accounts: file.mangled };
    if (file.version > VAULT_VERSION) throw new VaultVersionError(`the account vault ${this.file} was written by a newer version of Live Control Room (format ${file.version}): update the app; the file is left as it is`);
    const provider = this.o.keys.find((k) => k.protection === file.protection);
    if (!provider) throw new VaultProtectedError(protectedMessage(this.file, file.accounts));
    const key = await provider.key(false);
    if (!key) throw new VaultKeyError(`${provider.missing()} (vault ${this.file}, ${describeAccounts(file.accounts)})`);
    if (keyIdOf(key) !== file.keyId) {
      throw new VaultKeyError(
        `the account vault ${this.file} was encrypted with another key than ${provider.where} (a data folder copied from another computer, or a replaced key): restore that key, or move ${this.file} aside and authorise ${describeAccounts(file.accounts)} again`,
      );
    }
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'), { authTagLength: 16 });
      decipher.setAAD(aadOf(headerOf(file)));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      return { damaged: 'it does not decrypt: it was changed or damaged on disk', accounts: file.accounts };
    }
    const records = parseRecords(plain);
    if (!records) return { damaged: 'its contents are not a set of accounts', accounts: file.accounts };
    const state: State = { header: headerOf(file), records: new Map() };
    for (const r of records) {
      state.records.set(keyOf(r.platform, r.account), r);
      registerRecord(r);
    }
    return state;
  }

  /** Moves the damaged file aside and says so; the vault starts empty. Never overwrites it. */
  private async moveAside(why: Damage): Promise<State> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '').replace(/-/g, '');
    let aside = `${this.file}.damaged-${stamp}`;
    for (let n = 2; await exists(aside); n++) aside = `${this.file}.damaged-${stamp}-${n}`;
    await rename(this.file, aside);
    await syncDir(this.o.dataDir);
    const accounts = why.accounts ?? (this.lastKnown.length ? this.lastKnown : null);
    this.warn(
      `the account vault ${this.file} could not be used (${why.damaged}) and was moved aside to ${aside}; nothing was overwritten. ` +
        (accounts?.length ? `Authorise again: ${accounts.map((a) => `${accountLabel(a.platform, a.account)} (lcr auth ${a.platform} --account ${a.account})`).join(', ')}, or from 设置 in the app` : 'The accounts it held are unknown (its header is unreadable too): authorise each account again (lcr auth …, or 设置 in the app)'),
    );
    this.cache = null;
    return emptyState();
  }

  private warn(text: string): void {
    this.warnings.push(text);
    this.o.onWarning?.(text);
  }

  private remember(state: State): void {
    this.lastKnown = [...state.records.values()].map((r) => ({ platform: r.platform, account: r.account }));
  }

  // ---- writing -------------------------------------------------------------------------------

  /** One writer at a time: this process's queue, then the lock file for other processes. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      try {
        await mkdir(this.o.dataDir, { recursive: true });
        return await withFileLock(`${this.file}.lock`, fn, { timeoutMs: this.o.lockTimeoutMs });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new Error(`the data folder ${this.o.dataDir} cannot be written (${code}): the accounts cannot be saved there`);
        throw e;
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }

  private async write(state: State): Promise<void> {
    const { provider, key } = await this.keyForWrite(state.header);
    const records = [...state.records.values()];
    const header: Header = {
      format: FORMAT,
      version: VAULT_VERSION,
      protection: provider.protection,
      keyId: keyIdOf(key),
      keyWhere: provider.where,
      accounts: records.map((r) => ({ platform: r.platform, account: r.account })),
    };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(aadOf(header));
    const data = Buffer.concat([cipher.update(JSON.stringify({ records }), 'utf8'), cipher.final()]);
    const body: VaultFile = { ...header, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    await this.removeStaleTemps();
    const tmp = `${this.file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(body) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.o.beforeRename?.(tmp);
      await rename(tmp, this.file);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw new Error(`the account vault ${this.file} could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the previous accounts are unchanged`);
    }
    await syncDir(this.o.dataDir);
    for (const r of records) registerRecord(r);
    const st = await stat(this.file);
    const next: State = { header, records: new Map(state.records) };
    this.cache = { sig: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, state: next };
    this.remember(next);
  }

  /** An existing vault keeps its protection; a new one takes the first provider that has a key. */
  private async keyForWrite(header: Header | null): Promise<{ provider: KeyProvider; key: Buffer }> {
    if (header) {
      const provider = this.o.keys.find((k) => k.protection === header.protection);
      if (!provider) throw new VaultProtectedError(protectedMessage(this.file, header.accounts));
      const key = await provider.key(false);
      if (!key) throw new VaultKeyError(provider.missing());
      return { provider, key };
    }
    const reasons: string[] = [];
    for (const provider of this.o.keys) {
      const key = await provider.key(true);
      if (key) return { provider, key };
      reasons.push(provider.missing());
    }
    throw new VaultKeyError(`no key to encrypt the account vault with: ${reasons.join('; ')}`);
  }

  /**
   * Temp files of a writer that crashed before its rename (under the lock, no live writer has one),
   * and the lock's own temp files left by a process that died while it asked for the lock.
   */
  private async removeStaleTemps(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.o.dataDir);
    } catch {
      return;
    }
    const stale = names.filter((n) => {
      if (n.startsWith(`${VAULT_FILE}.tmp-`)) return true;
      const lockTemp = /^accounts\.vault\.lock\.(\d+)-[0-9a-f]+$/.exec(n);
      return lockTemp !== null && !isAlive(Number(lockTemp[1]));
    });
    await Promise.all(stale.map((n) => unlink(join(this.o.dataDir, n)).catch(() => {})));
  }
}

// ---- the file format ---------------------------------------------------------------------------

function headerOf(f: Header): Header {
  // Field by field, in a fixed order: the additional data must come out the same at every read.
  return { format: f.format, version: f.version, protection: f.protection, keyId: f.keyId, keyWhere: f.keyWhere, accounts: f.accounts.map((a) => ({ platform: a.platform, account: a.account })) };
}

function aadOf(h: Header): Buffer {
  return Buffer.from(`${FORMAT}/${h.version}\n${JSON.stringify(headerOf(h))}`, 'utf8');
}

/** A short fingerprint of the key: tells "the wrong key" from "a damaged file" without revealing anything. */
function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('lcr-vault key id').digest('hex').slice(0, 16);
}

/**
 * A vault file; `mangled` when its header reads but a byte string does not (a changed character:
 * the accounts it names are still worth telling the user); `unreadable` when even that fails.
 */
function parseFile(bytes: Buffer): VaultFile | { mangled: AccountRef[] } | 'unreadable' {
  let parsed;
  try {
    parsed = FileSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch {
    return 'unreadable';
  }
  if (!parsed.success) return 'unreadable';
  const f = parsed.data;
  // Only the one canonical spelling of each byte string: base64 decoding skips stray characters
  // and ignores a last character's spare bits, so a changed character could otherwise go unseen.
  const canonical = [f.iv, f.tag, f.data].every(isCanonicalBase64) && Buffer.from(f.iv, 'base64').length === 12 && Buffer.from(f.tag, 'base64').length === 16;
  return canonical ? f : { mangled: f.accounts };
}

function isCanonicalBase64(s: string): boolean {
  return Buffer.from(s, 'base64').toString('base64') === s;
}

function parseRecords(plain: string): AccountRecord[] | null {
  try {
    const parsed = z.object({ records: z.array(RecordSchema) }).safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data.records : null;
  } catch {
    return null;
  }
}

function checkRecord(record: AccountRecord): AccountRecord {
  const parsed = RecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The path names the field; the value is never quoted (it may be a secret).
    throw new Error(`not an account record: ${issue?.path.join('.') || 'record'} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

function cloneState(s: State): State {
  return { header: s.header, records: new Map(s.records) };
}

function registerRecord(r: AccountRecord): void {
  registerSecret(r.appSecret);
  registerSecret(r.accessToken);
  registerSecret(r.refreshToken);
}

function describeAccounts(accounts: readonly AccountRef[]): string {
  return accounts.length ? accounts.map((a) => accountLabel(a.platform, a.account)).join(', ') : 'its accounts';
}

function protectedMessage(file: string, accounts: readonly AccountRef[]): string {
  const which = accounts.length ? ` (${[...new Set(accounts.map((a) => `${platformLabel(a.platform)} ${a.account}`))].join(', ')})` : '';
  return `this data folder's accounts${which} are protected by the desktop app's keychain: authorise from 设置 in the app, or give the command line a data folder of its own (LCR_DATA_DIR=…) — moving ${file} aside would start an empty vault here, and the app's accounts would have to be authorised again`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A rename is durable only once its folder is synced (POSIX); Windows cannot open a folder for that and needs no such step. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh: FileHandle | null = null;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // A file system that cannot sync a folder (some network mounts) still renamed atomically.
  } finally {
    await fh?.close();
  }
}
