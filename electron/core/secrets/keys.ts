/**
 * The vault's key, kept OUTSIDE the data folder: a copied or backed-up data folder carries the
 * encrypted accounts but never what opens them. Two homes:
 * - a key file (`fileKeyProvider`): 32 random bytes in the per-user config folder (or
 *   `LCR_VAULT_KEY_FILE`), readable by its owner only — browser mode, `lcr`, a server;
 * - the OS keychain (`handedKeyProvider`): the desktop app's main process unwraps the key with
 *   Electron's safeStorage (desktop-key.ts) and hands it to the core over its message channel.
 * The vault file records which one protects it (file-vault.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { VaultProtection } from './types.ts';

export const KEY_BYTES = 32;
export const KEY_FILE_NAME = 'vault.key';

/** A key that cannot be had: missing, unreadable, too open, the wrong one. Said as is; the vault file is left alone. */
export class VaultKeyError extends Error {
  override name = 'VaultKeyError';
}

export interface KeyProvider {
  readonly protection: VaultProtection;
  /** Where the key is, in words for messages and `lcr auth --status` (a path, "the OS keychain"); never the key. */
  readonly where: string;
  /**
   * The 32-byte key. `create`: make one when there is none yet (the first save). Resolves to null
   * when this provider has no key to give (no key file yet; no keychain on this desktop) —
   * `missing()` then says why — and throws VaultKeyError when the key exists but must not be used.
   */
  key(create: boolean): Promise<Buffer | null>;
  /** Why `key(false)` gave nothing, for a vault that this provider should open. */
  missing(): string;
}

/** The per-user config folder the key lives in: never the data folder (config.ts's defaultDataDir). */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const name = 'live-control-room';
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), name);
}

export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env.LCR_VAULT_KEY_FILE ? resolve(env.LCR_VAULT_KEY_FILE) : join(defaultKeyDir(env, platform), KEY_FILE_NAME);
}

/** Whether `path` is `dir` or inside it. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface FileKeyOptions {
  /** The key file (default: defaultKeyFile()). */
  path?: string;
  /** The data folder the key must stay out of. */
  dataDir: string;
  platform?: NodeJS.Platform;
}

/** A key in a file of its own, created 0600 in a 0700 folder on first use; refused when others can read it. */
export function fileKeyProvider(opts: FileKeyOptions): KeyProvider {
  const path = resolve(opts.path ?? defaultKeyFile());
  const posix = (opts.platform ?? process.platform) !== 'win32';
  let cached: Buffer | null = null;
  const provider: KeyProvider = {
    protection: 'file-key',
    where: `the key file ${path}`,
    missing: () => `the vault key file ${path} is missing: the accounts in this data folder were encrypted with a key that is not on this computer (a data folder moved here from elsewhere, or a removed key) — authorise the accounts again (lcr auth …, or 设置 in the app)`,
    async key(create) {
      if (cached) return cached;
      if (isInside(path, opts.dataDir)) throw new VaultKeyError(`the vault key file ${path} is inside the data folder ${opts.dataDir}: the key must live elsewhere, or it travels with the accounts it protects — point LCR_VAULT_KEY_FILE outside the data folder`);
      cached = (await readKeyFile(path, posix)) ?? (create ? await createKeyFile(path, posix) : null);
      return cached;
    },
  };
  return provider;
}

async function readKeyFile(path: string, posix: boolean): Promise<Buffer | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new VaultKeyError(`the vault key file ${path} is a symbolic link: it must be a plain file of its own`);
    throw new VaultKeyError(`the vault key file ${path} cannot be read (${code ?? String(e)}): check that it belongs to you`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new VaultKeyError(`the vault key file ${path} is not a file`);
    // A key others can read is a key others have: refuse it rather than use it quietly.
    if (posix && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new VaultKeyError(`the vault key file ${path} can be read by other users (mode ${mode}): make it yours alone with  chmod 600 "${path}"  and start again`);
    }
    if (posix && typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new VaultKeyError(`the vault key file ${path} belongs to another user (uid ${st.uid}): it must be your own`);
    if (st.size !== KEY_BYTES) throw new VaultKeyError(`the vault key file ${path} is not a vault key (${st.size} bytes, expected ${KEY_BYTES}): restore it, or move it aside and authorise the accounts again`);
    const key = Buffer.alloc(KEY_BYTES);
    const { bytesRead } = await fh.read(key, 0, KEY_BYTES, 0);
    if (bytesRead !== KEY_BYTES) throw new VaultKeyError(`the vault key file ${path} could not be read whole`);
    return key;
  } finally {
    await fh.close();
  }
}

/** A new key, written whole before it appears (temp file, then a hard link that fails if another process won the race). */
async function createKeyFile(path: string, posix: boolean): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(key);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new VaultKeyError(`could not create the vault key file ${path}: ${(e as Error).message}`);
    // Another process created it first: use theirs, so both encrypt with the same key.
    await unlink(tmp).catch(() => {});
    const theirs = await readKeyFile(path, posix);
    if (!theirs) throw new VaultKeyError(`the vault key file ${path} vanished while it was being created`);
    return theirs;
  }
  await unlink(tmp).catch(() => {});
  return key;
}

/** What the desktop app's main process hands the core: the keychain-held key (base64), or why there is none. */
export type KeyHandover = { key: string } | { unavailable: string };

export function isKeyHandover(v: unknown): v is KeyHandover {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.key === 'string' || typeof o.unavailable === 'string';
}

/**
 * The desktop app's keychain key, as handed over by main (desktop-key.ts). `handover` settles
 * once main's message arrives; a main that never sends one is said after `timeoutMs`.
 */
export function handedKeyProvider(handover: Promise<KeyHandover>, timeoutMs = 20_000): KeyProvider {
  let why = 'the desktop app has not handed over the vault key';
  let settled: Promise<Buffer | null> | null = null;
  const get = (): Promise<Buffer | null> => {
    settled ??= new Promise<Buffer | null>((resolveKey) => {
      const timer = setTimeout(() => {
        why = `the desktop app did not hand over the vault key within ${Math.round(timeoutMs / 1000)} s`;
        resolveKey(null);
      }, timeoutMs);
      timer.unref?.();
      void handover.then(
        (h) => {
          clearTimeout(timer);
          if ('key' in h) {
            const key = Buffer.from(h.key, 'base64');
            if (key.length === KEY_BYTES) return resolveKey(key);
            why = 'the desktop app handed over a key of the wrong size';
          } else why = h.unavailable;
          resolveKey(null);
        },
        (e: unknown) => {
          clearTimeout(timer);
          why = `the desktop app could not hand over the vault key: ${e instanceof Error ? e.message : String(e)}`;
          resolveKey(null);
        },
      );
    });
    return settled;
  };
  return {
    protection: 'desktop-keychain',
    where: "the OS keychain, through the desktop app",
    missing: () => `the accounts in this data folder are protected by the desktop app's keychain, which did not give the key (${why}): unlock the keychain and restart the app, or authorise the accounts again from 设置`,
    key: () => get(),
  };
}
