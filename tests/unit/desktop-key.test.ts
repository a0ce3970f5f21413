/**
 * The desktop app's vault key (secrets/desktop-key.ts) with a stand-in for Electron's safeStorage:
 * made once and wrapped by the keychain, the same key at every start, and a wrapped key the
 * keychain cannot open is reported and left alone — never replaced by a new one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WRAPPED_KEY_FILE, desktopVaultKey, type Keychain } from '../../electron/core/secrets/desktop-key.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A keychain that "encrypts" by XOR with its own byte and tags its output, so a wrong one is seen. */
function fakeKeychain(opts: { available?: boolean; backend?: string; byte?: number; reEncrypt?: boolean } = {}): Keychain & { encrypted: number } {
  const byte = opts.byte ?? 0x5a;
  const k = {
    encrypted: 0,
    isAsyncEncryptionAvailable: async () => opts.available ?? true,
    encryptStringAsync: async (s: string) => {
      k.encrypted++;
      return Buffer.concat([Buffer.from([byte]), Buffer.from(s, 'utf8').map((b) => b ^ byte)]);
    },
    decryptStringAsync: async (b: Buffer) => {
      if (b[0] !== byte) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
      return { shouldReEncrypt: opts.reEncrypt ?? false, result: Buffer.from(b.subarray(1).map((x) => x ^ byte)).toString('utf8') };
    },
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
  return k;
}

function keyDir(): string {
  const d = tempDir('lcr-desktop-key-');
  cleanups.push(d.cleanup);
  return join(d.dir, 'live-control-room');
}

describe('desktopVaultKey', () => {
  it('makes a key on first use, stores it only wrapped by the keychain, and gives the same key at every start', async () => {
    const dir = keyDir();
    const kc = fakeKeychain();
    const first = await desktopVaultKey(kc, dir, 'linux');
    expect('key' in first && Buffer.from(first.key, 'base64').length).toBe(32);
    const file = join(dir, WRAPPED_KEY_FILE);
    expect(readFileSync(file).includes(Buffer.from((first as { key: string }).key))).toBe(false);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
    expect(await desktopVaultKey(kc, dir, 'linux')).toEqual(first);
    expect(kc.encrypted).toBe(1);
  });

  it('two starts at once agree on one key', async () => {
    const dir = keyDir();
    const kc = fakeKeychain();
    const [a, b] = await Promise.all([desktopVaultKey(kc, dir, 'linux'), desktopVaultKey(kc, dir, 'linux')]);
    expect(a).toEqual(b);
    expect('key' in a).toBe(true);
  });

  it('reports a keychain that cannot open the wrapped key, and leaves the wrapped key as it was', async () => {
    const dir = keyDir();
    await desktopVaultKey(fakeKeychain({ byte: 1 }), dir, 'darwin');
    const before = readFileSync(join(dir, WRAPPED_KEY_FILE));
    const got = await desktopVaultKey(fakeKeychain({ byte: 2 }), dir, 'darwin');
    expect(got).toEqual({ unavailable: expect.stringContaining('the OS keychain could not open the vault key') });
    expect(readFileSync(join(dir, WRAPPED_KEY_FILE))).toEqual(before);
  });

  it('has no key where there is no real keychain (none available; Linux without a secret service)', async () => {
    const dir = keyDir();
    expect(await desktopVaultKey(fakeKeychain({ available: false }), dir, 'win32')).toEqual({ unavailable: 'the OS keychain is not available' });
    expect(await desktopVaultKey(fakeKeychain({ backend: 'basic_text' }), dir, 'linux')).toEqual({ unavailable: expect.stringContaining('no OS keychain on this desktop') });
    expect(existsSync(join(dir, WRAPPED_KEY_FILE))).toBe(false);
  });

  it('re-wraps the key when the keychain asks for it, keeping the same key', async () => {
    const dir = keyDir();
    const first = await desktopVaultKey(fakeKeychain(), dir, 'linux');
    const kc = fakeKeychain({ reEncrypt: true });
    expect(await desktopVaultKey(kc, dir, 'linux')).toEqual(first);
    expect(kc.encrypted).toBe(1);
  });

  it('reports a wrapped key that is not one', async () => {
    const dir = keyDir();
    await desktopVaultKey(fakeKeychain(), dir, 'linux');
    const kc = fakeKeychain();
    writeFileSync(join(dir, WRAPPED_KEY_FILE), await kc.encryptStringAsync('not-a-key'));
    expect(await desktopVaultKey(kc, dir, 'linux')).toEqual({ unavailable: expect.stringContaining('is not a vault key') });
  });
});
