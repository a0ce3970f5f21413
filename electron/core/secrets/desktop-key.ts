/**
 * The desktop app's vault key, as Electron's main process keeps it: 32 random bytes wrapped by
 * `safeStorage` (the macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux) in a file beside
 * the terminal's key file — outside the data folder, and useless without the keychain of the
 * user who made it. Main hands the unwrapped key to the core over the utility process's message
 * channel, never through the environment or the command line (both are visible to other
 * processes). Plain Node: main.ts injects `safeStorage`; the tests inject a fake.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_BYTES, type KeyHandover } from './keys.ts';

export const WRAPPED_KEY_FILE = 'vault-key.keychain';
const MAX_WRAPPED_BYTES = 64 * 1024;

/** The part of Electron's `safeStorage` used here (its asynchronous API). */
export interface Keychain {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only in Electron: which password store backs safeStorage. */
  getSelectedStorageBackend?(): string;
}

/**
 * The key for the core: unwrapped from `<keyDir>/vault-key.keychain`, or made and wrapped on first
 * use. Never throws: what went wrong comes back as `{ unavailable }` for the core to say. A
 * wrapped key the keychain cannot open is left where it is — replacing it would lock the vault
 * for good once the keychain is back.
 */
export async function desktopVaultKey(keychain: Keychain, keyDir: string, platform: NodeJS.Platform = process.platform): Promise<KeyHandover> {
  try {
    if (!(await keychain.isAsyncEncryptionAvailable())) return { unavailable: 'the OS keychain is not available' };
    // On Linux without a secret service, safeStorage falls back to a password built into Chromium: no protection at all.
    if (platform === 'linux' && keychain.getSelectedStorageBackend?.() === 'basic_text') return { unavailable: 'no OS keychain on this desktop (no secret service such as GNOME Keyring or KWallet)' };
    const path = join(keyDir, WRAPPED_KEY_FILE);
    const wrapped = await readWrapped(path);
    if (wrapped) {
      let opened: { shouldReEncrypt: boolean; result: string };
      try {
        opened = await keychain.decryptStringAsync(wrapped);
      } catch (e) {
        return { unavailable: `the OS keychain could not open the vault key in ${path} (${e instanceof Error ? e.message : String(e)})` };
      }
      const key = Buffer.from(opened.result, 'base64');
      if (key.length !== KEY_BYTES) return { unavailable: `the vault key in ${path} is not a vault key` };
      if (opened.shouldReEncrypt) await replaceWrapped(path, await keychain.encryptStringAsync(opened.result));
      return { key: opened.result };
    }
    const fresh = randomBytes(KEY_BYTES).toString('base64');
    const winner = await createWrapped(keyDir, path, await keychain.encryptStringAsync(fresh));
    if (winner === 'ours') return { key: fresh };
    // Another instance made one first: use it.
    return await desktopVaultKey(keychain, keyDir, platform);
  } catch (e) {
    return { unavailable: `the vault key could not be prepared: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function readWrapped(path: string): Promise<Buffer | null> {
  try {
    const b = await readFile(path);
    if (b.length > MAX_WRAPPED_BYTES) throw new Error(`${path} is too large to be a wrapped key`);
    return b;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function writeTemp(path: string, bytes: Buffer): Promise<string> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

async function createWrapped(keyDir: string, path: string, bytes: Buffer): Promise<'ours' | 'theirs'> {
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  const tmp = await writeTemp(path, bytes);
  try {
    await link(tmp, path);
    return 'ours';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'theirs';
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function replaceWrapped(path: string, bytes: Buffer): Promise<void> {
  const tmp = await writeTemp(path, bytes);
  await rename(tmp, path);
}
