/**
 * The accounts vault on real files: what is on disk, what survives concurrent writers and a crash,
 * and what happens to a file that was changed, a wrong or missing key, a key others can read, and
 * a vault of the desktop app's keychain opened from a terminal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileVault, VAULT_FILE, VaultProtectedError } from '../../electron/core/secrets/file-vault.ts';
import { VaultKeyError, fileKeyProvider, handedKeyProvider, type KeyHandover } from '../../electron/core/secrets/keys.ts';
import { openVault } from '../../electron/core/secrets/open.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function folders() {
  const data = tempDir('lcr-vault-data-');
  const keys = tempDir('lcr-vault-key-');
  cleanups.push(data.cleanup, keys.cleanup);
  return { dataDir: data.dir, keyFile: join(keys.dir, 'conf', 'vault.key'), keyDir: keys.dir };
}

function vaultAt(dataDir: string, keyFile: string, extra: Partial<ConstructorParameters<typeof FileVault>[0]> = {}): FileVault {
  return new FileVault({ dataDir, keys: [fileKeyProvider({ path: keyFile, dataDir })], ...extra });
}

function record(account: string, token: string, platform: AccountRecord['platform'] = 'qianchuan'): AccountRecord {
  return { platform, account, appId: 'app-1', appSecret: `app-secret-of-${account}`, accessToken: `access-${token}`, refreshToken: `refresh-${token}`, accessExpiresAt: 1_700_000_000_000, refreshExpiresAt: 1_800_000_000_000, updatedAt: 1 };
}

const vaultFile = (dataDir: string) => join(dataDir, VAULT_FILE);
const damagedFiles = (dataDir: string) => readdirSync(dataDir).filter((n) => n.startsWith(`${VAULT_FILE}.damaged-`));

describe('the account vault', () => {
  it('keeps every record through a new process, in a file only its owner can read, with the key outside the data folder', async () => {
    const { dataDir, keyFile } = folders();
    const a = record('1001', 'one');
    const b = { ...record('shop-7', 'two', 'doudian'), seededFrom: 'env' as const, seedHash: 'abc123' };
    const v = vaultAt(dataDir, keyFile);
    await v.save(a);
    await v.save(b);
    const fresh = vaultAt(dataDir, keyFile);
    expect(await fresh.load('qianchuan', '1001')).toEqual(a);
    expect(await fresh.load('doudian', 'shop-7')).toEqual(b);
    expect(await fresh.load('qianchuan', 'nobody')).toBeNull();
    expect(await fresh.list()).toEqual([
      { platform: 'doudian', account: 'shop-7', appId: 'app-1', hasToken: true, accessExpiresAt: 1_700_000_000_000, refreshExpiresAt: 1_800_000_000_000, updatedAt: 1, seededFrom: 'env' },
      { platform: 'qianchuan', account: '1001', appId: 'app-1', hasToken: true, accessExpiresAt: 1_700_000_000_000, refreshExpiresAt: 1_800_000_000_000, updatedAt: 1 },
    ]);
    if (process.platform !== 'win32') {
      expect(statSync(vaultFile(dataDir)).mode & 0o777).toBe(0o600);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(keyFile, '..')).mode & 0o777).toBe(0o700);
    }
    expect(statSync(keyFile).size).toBe(32);
    await fresh.remove('qianchuan', '1001');
    expect(await vaultAt(dataDir, keyFile).load('qianchuan', '1001')).toBeNull();
    expect(fresh.where).toContain(vaultFile(dataDir));
    expect(fresh.where).toContain(keyFile);
  });

  it('holds no secret in plain text: not in the vault file, nor anywhere in the data folder', async () => {
    const { dataDir, keyFile } = folders();
    const secret = `S3cr3t-${randomBytes(8).toString('hex')}`;
    const access = `AT-${randomBytes(12).toString('hex')}`;
    const refresh = `RT-${randomBytes(12).toString('hex')}`;
    const v = vaultAt(dataDir, keyFile);
    await v.save({ ...record('42', 'x'), appSecret: secret, accessToken: access, refreshToken: refresh });
    for (const name of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, name));
      for (const s of [secret, access, refresh]) {
        for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), Buffer.from(s, 'utf16le').toString('latin1')]) expect(bytes.includes(Buffer.from(form, 'latin1'))).toBe(false);
      }
    }
    // The account and app ids are not secret: the header names the accounts for the messages that need them.
    expect(readFileSync(vaultFile(dataDir), 'utf8')).toContain('"account":"42"');
  });

  it('loses no save among many at once, and the last save of an account wins', async () => {
    const { dataDir, keyFile } = folders();
    const v = vaultAt(dataDir, keyFile);
    // Another writer in the same process (its own queue): only the lock file keeps them apart.
    const other = vaultAt(dataDir, keyFile);
    const reader = vaultAt(dataDir, keyFile);
    let reading = true;
    let reads = 0;
    const readLoop = (async () => {
      while (reading) {
        await reader.list();
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const saves: Array<Promise<void>> = [];
    for (let i = 0; i < 60; i++) {
      saves.push(v.save(record(`a-${i}`, `a${i}`)));
      saves.push(other.save(record(`b-${i}`, `b${i}`)));
      // One account rotated at every step, as 千川 rotates its refresh token.
      saves.push(v.save(record('rotating', `r${i}`)));
    }
    await Promise.all(saves);
    reading = false;
    await readLoop;
    const list = await vaultAt(dataDir, keyFile).list();
    expect(list.map((a) => a.account).sort()).toEqual([...Array.from({ length: 60 }, (_, i) => `a-${i}`), ...Array.from({ length: 60 }, (_, i) => `b-${i}`), 'rotating'].sort());
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', 'rotating'))?.refreshToken).toBe('refresh-r59');
    // The file was decryptable at every read in between: nothing was ever set aside.
    expect(reads).toBeGreaterThan(0);
    expect(reader.warnings).toEqual([]);
    expect(damagedFiles(dataDir)).toEqual([]);
    expect(readdirSync(dataDir).filter((n) => n.includes('.tmp-') || n.endsWith('.lock'))).toEqual([]);
  });

  it('update is a read-modify-write no other writer gets between: every rotation builds on the one before', async () => {
    const { dataDir, keyFile } = folders();
    const a = vaultAt(dataDir, keyFile);
    const b = vaultAt(dataDir, keyFile);
    await a.save(record('rotating', '0'));
    // Each "refresh" spends the stored refresh token and stores the next: a lost update would repeat a number.
    const spent: string[] = [];
    const refresh = (v: FileVault) =>
      v.update('qianchuan', 'rotating', async (cur) => {
        const n = Number(cur!.refreshToken!.replace('refresh-', ''));
        spent.push(cur!.refreshToken!);
        await new Promise((r) => setImmediate(r));
        return { ...cur!, accessToken: `access-${n + 1}`, refreshToken: `refresh-${n + 1}` };
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => refresh(i % 2 ? a : b)));
    expect(new Set(spent).size).toBe(40);
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', 'rotating'))?.refreshToken).toBe('refresh-40');
    // Returning null leaves the record as it is.
    expect((await a.update('qianchuan', 'rotating', () => null))?.refreshToken).toBe('refresh-40');
    await expect(a.update('qianchuan', 'rotating', (cur) => ({ ...cur!, account: 'someone-else' }))).rejects.toThrow(/another account's record/);
  });

  it('loses no save when other processes write the same vault at the same time', async () => {
    const { dataDir, keyFile } = folders();
    const child = fileURLToPath(new URL('../helpers/vault-child.ts', import.meta.url));
    const run = (prefix: string) =>
      new Promise<void>((resolve, reject) => {
        const p = fork(child, [JSON.stringify({ mode: 'write-many', dataDir, keyFile, prefix, count: 25 })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let err = '';
        p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
        p.on('message', (m: { error?: string }) => m.error && reject(new Error(m.error)));
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${err}`))));
      });
    const here = vaultAt(dataDir, keyFile);
    const mine = (async () => {
      for (let i = 0; i < 25; i++) await here.save(record(`main-${i}`, `m${i}`));
    })();
    await Promise.all([run('p1'), run('p2'), mine]);
    const accounts = (await vaultAt(dataDir, keyFile).list()).map((a) => a.account);
    expect(accounts).toHaveLength(75);
    for (const p of ['p1', 'p2', 'main']) for (let i = 0; i < 25; i++) expect(accounts).toContain(`${p}-${i}`);
  });

  it('after a crash between writing the new file and renaming it, holds the old pair; the next save cleans up', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('crash', 'old'));
    const before = readFileSync(vaultFile(dataDir));
    const child = fork(fileURLToPath(new URL('../helpers/vault-child.ts', import.meta.url)), [JSON.stringify({ mode: 'crash-before-rename', dataDir, keyFile, token: 'new' })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let renaming = false;
    child.on('message', (m: { renaming?: boolean }) => (renaming ||= Boolean(m.renaming)));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(renaming).toBe(true);
    // The new file was written whole (and left behind), the old one is untouched.
    expect(readdirSync(dataDir).filter((n) => n.startsWith(`${VAULT_FILE}.tmp-`))).toHaveLength(1);
    expect(readFileSync(vaultFile(dataDir))).toEqual(before);
    const v = vaultAt(dataDir, keyFile);
    expect((await v.load('qianchuan', 'crash'))?.refreshToken).toBe('refresh-old');
    await v.save(record('crash', 'newer'));
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', 'crash'))?.refreshToken).toBe('refresh-newer');
    expect(readdirSync(dataDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  // A changed ciphertext character that is still base64, and one that is not ('@' never is).
  it.each([
    ['another base64 character', (c: number) => (c === 0x41 ? 0x42 : 0x41)],
    ['a character outside base64', () => 0x40],
  ])('moves a changed file aside (%s), never overwrites it, and names the accounts to authorise again', async (_kind, change) => {
    const { dataDir, keyFile } = folders();
    const v = vaultAt(dataDir, keyFile);
    await v.save(record('1001', 'one'));
    await v.save(record('shop-7', 'two', 'doudian'));
    const file = vaultFile(dataDir);
    const good = readFileSync(file);
    const text = good.toString('utf8');
    const at = text.indexOf('"data":"') + 20;
    const bad = Buffer.from(good);
    bad[at] = change(bad[at]!);
    expect(bad.equals(good)).toBe(false);
    writeFileSync(file, bad);
    const warnings: string[] = [];
    const fresh = vaultAt(dataDir, keyFile, { onWarning: (w) => warnings.push(w) });
    expect(await fresh.load('qianchuan', '1001')).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not decrypt/);
    expect(warnings[0]).toMatch(/moved aside/);
    expect(warnings[0]).toContain('advertiser 1001');
    expect(warnings[0]).toContain('shop shop-7');
    expect(warnings[0]).toContain('lcr auth qianchuan --account 1001');
    const aside = damagedFiles(dataDir);
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!))).toEqual(bad);
    expect(existsSync(file)).toBe(false);
    // A new authorisation makes a new vault; the damaged file stays exactly as it was.
    await fresh.save(record('1001', 'again'));
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', '1001'))?.refreshToken).toBe('refresh-again');
    expect(readFileSync(join(dataDir, aside[0]!))).toEqual(bad);
  });

  it('never accepts a file with any one byte changed: refused as it is, or moved aside intact', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('1001', 'one'));
    const file = vaultFile(dataDir);
    const good = readFileSync(file);
    const outcomes = { movedAside: 0, refused: 0 };
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] = bad[i]! ^ (1 << i % 8);
      for (const n of damagedFiles(dataDir)) unlinkSync(join(dataDir, n));
      writeFileSync(file, bad);
      const v = vaultAt(dataDir, keyFile, { onWarning: () => {} });
      let loaded: AccountRecord | null = null;
      try {
        loaded = await v.load('qianchuan', '1001');
      } catch (e) {
        // The version, the key's fingerprint: a clear refusal, the file left where it is.
        expect(e).toBeInstanceOf(Error);
        expect(readFileSync(file)).toEqual(bad);
        outcomes.refused++;
        continue;
      }
      expect(loaded, `byte ${i} changed and the vault still opened`).toBeNull();
      const aside = damagedFiles(dataDir);
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dataDir, aside[0]!))).toEqual(bad);
      outcomes.movedAside++;
    }
    expect(outcomes.movedAside).toBeGreaterThan(good.length * 0.9);
  });

  it('refuses the wrong key clearly and leaves the file alone', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('1001', 'one'));
    const before = readFileSync(vaultFile(dataDir));
    const other = join(keyFile, '..', 'other.key');
    writeFileSync(other, randomBytes(32), { mode: 0o600 });
    const v = vaultAt(dataDir, other);
    await expect(v.load('qianchuan', '1001')).rejects.toThrow(VaultKeyError);
    await expect(v.load('qianchuan', '1001')).rejects.toThrow(/encrypted with another key .*advertiser 1001/);
    await expect(v.save(record('2002', 'two'))).rejects.toThrow(/another key/);
    expect(readFileSync(vaultFile(dataDir))).toEqual(before);
    expect(damagedFiles(dataDir)).toEqual([]);
  });

  it('says a missing key means authorising again, and leaves the file alone', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('1001', 'one'));
    unlinkSync(keyFile);
    const v = vaultAt(dataDir, keyFile);
    await expect(v.list()).rejects.toThrow(/vault key file .* is missing.*authorise the accounts again/);
    // No new key is made for a vault that exists: that would lock the old accounts away for good.
    await expect(v.save(record('2002', 'two'))).rejects.toThrow(/is missing/);
    expect(existsSync(keyFile)).toBe(false);
    expect(existsSync(vaultFile(dataDir))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file others can read, and says how to fix it', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('1001', 'one'));
    chmodSync(keyFile, 0o644);
    const v = vaultAt(dataDir, keyFile);
    await expect(v.load('qianchuan', '1001')).rejects.toThrow(`can be read by other users (mode 0644): make it yours alone with  chmod 600 "${keyFile}"`);
    chmodSync(keyFile, 0o600);
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', '1001'))?.refreshToken).toBe('refresh-one');
  });

  it('refuses a key file inside the data folder', async () => {
    const { dataDir } = folders();
    const v = vaultAt(dataDir, join(dataDir, 'keys', 'vault.key'));
    await expect(v.save(record('1', 'x'))).rejects.toThrow(/inside the data folder/);
    expect(existsSync(join(dataDir, 'keys', 'vault.key'))).toBe(false);
  });

  it('the default key file lives in the per-user config folder, and LCR_VAULT_KEY_FILE moves it', async () => {
    const { dataDir, keyDir } = folders();
    const v = openVault({ dataDir, env: { XDG_CONFIG_HOME: join(keyDir, 'xdg'), APPDATA: join(keyDir, 'appdata') } });
    if (process.platform === 'linux') expect(v.where).toContain(join(keyDir, 'xdg', 'live-control-room', 'vault.key'));
    const moved = openVault({ dataDir, env: { LCR_VAULT_KEY_FILE: join(keyDir, 'elsewhere.key') } });
    await moved.save(record('1', 'x'));
    expect(existsSync(join(keyDir, 'elsewhere.key'))).toBe(true);
  });
});

describe('a vault of the desktop app keychain', () => {
  const key = randomBytes(32).toString('base64');
  const desktop = (dataDir: string, keyFile: string, h: KeyHandover) => new FileVault({ dataDir, keys: [handedKeyProvider(Promise.resolve(h)), fileKeyProvider({ path: keyFile, dataDir })] });

  it('is made with the keychain key when the desktop app hands one over, and opened with it again', async () => {
    const { dataDir, keyFile } = folders();
    await desktop(dataDir, keyFile, { key }).save(record('1001', 'one'));
    expect(JSON.parse(readFileSync(vaultFile(dataDir), 'utf8'))).toMatchObject({ protection: 'desktop-keychain' });
    // No key file was needed.
    expect(existsSync(keyFile)).toBe(false);
    expect((await desktop(dataDir, keyFile, { key }).load('qianchuan', '1001'))?.refreshToken).toBe('refresh-one');
  });

  it('falls back to the key file when the desktop has no keychain', async () => {
    const { dataDir, keyFile } = folders();
    await desktop(dataDir, keyFile, { unavailable: 'no OS keychain on this desktop' }).save(record('1001', 'one'));
    expect(JSON.parse(readFileSync(vaultFile(dataDir), 'utf8'))).toMatchObject({ protection: 'file-key' });
    // …which the command line opens too.
    expect((await vaultAt(dataDir, keyFile).load('qianchuan', '1001'))?.refreshToken).toBe('refresh-one');
  });

  it('from a terminal, says plainly where to authorise instead of failing obscurely', async () => {
    const { dataDir, keyFile } = folders();
    await desktop(dataDir, keyFile, { key }).save(record('1001', 'one'));
    const before = readFileSync(vaultFile(dataDir));
    const terminal = vaultAt(dataDir, keyFile);
    await expect(terminal.list()).rejects.toThrow(VaultProtectedError);
    await expect(terminal.list()).rejects.toThrow(/this data folder's accounts \(巨量千川 \(Qianchuan\) 1001\) are protected by the desktop app's keychain: authorise from 设置 in the app, or/);
    await expect(terminal.save(record('2', 'x'))).rejects.toThrow(VaultProtectedError);
    expect(readFileSync(vaultFile(dataDir))).toEqual(before);
  });

  it('when the keychain will not give the key, says so and leaves the vault alone', async () => {
    const { dataDir, keyFile } = folders();
    await desktop(dataDir, keyFile, { key }).save(record('1001', 'one'));
    const locked = desktop(dataDir, keyFile, { unavailable: 'the OS keychain could not open the vault key' });
    await expect(locked.list()).rejects.toThrow(/protected by the desktop app's keychain, which did not give the key \(the OS keychain could not open the vault key\)/);
    expect(damagedFiles(dataDir)).toEqual([]);
  });

  it('never lets the key file of a moved data folder open it: another computer means authorising again', async () => {
    const { dataDir, keyFile } = folders();
    await vaultAt(dataDir, keyFile).save(record('1001', 'one'));
    // The same data folder on "another computer": its own, different key file.
    const elsewhere = folders();
    mkdirSync(join(elsewhere.keyFile, '..'), { recursive: true });
    const v = vaultAt(dataDir, elsewhere.keyFile);
    await expect(v.list()).rejects.toThrow(/missing/);
  });
});
