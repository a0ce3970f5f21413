/**
 * The desktop app's core host (serve-core.ts in a child process standing in for Electron's utility
 * process): the vault key arrives over the process's message channel — not the environment, not
 * argv — and the environment's accounts are stored under the keychain's protection; without a
 * keychain they go to the key file. Nothing the host prints carries a secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileVault } from '../../electron/core/secrets/file-vault.ts';
import { handedKeyProvider, type KeyHandover } from '../../electron/core/secrets/keys.ts';
import { ROOT } from '../helpers/processes.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const SECRET = 'desktop-host-secret-1a2b3c4d';
const SEED = 'desktop-host-seed-5e6f7a8b';

async function runHost(handover: KeyHandover) {
  const data = tempDir('lcr-desktop-host-');
  const keys = tempDir('lcr-desktop-host-key-');
  cleanups.push(data.cleanup, keys.cleanup);
  const keyFile = join(keys.dir, 'vault.key');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    LCR_DATA_DIR: data.dir,
    LCR_VAULT_KEY_FILE: keyFile,
    LCR_SCENARIO: tiny,
    LCR_SPEED: '60',
    LCR_QIANCHUAN_APP_ID: '1700000001',
    LCR_QIANCHUAN_SECRET: SECRET,
    LCR_QIANCHUAN_ADVERTISER_ID: '7001',
    LCR_QIANCHUAN_REFRESH_TOKEN: SEED,
  };
  let err = '';
  const child = fork(fileURLToPath(new URL('../helpers/core-host-child.ts', import.meta.url)), ['--desktop-key'], { cwd: ROOT, execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const messages: Array<Record<string, unknown>> = [];
  child.on('message', (m) => messages.push(m as Record<string, unknown>));
  // As main.ts does, once, right after the start: the key from the OS keychain (or why there is none).
  // The host stores the environment's accounts with it before the core's sources start.
  child.send({ data: { vaultKey: handover } });
  await waitFor(() => messages.some((m) => m.ready) || messages.find((m) => m.fatal), 'the core host ready', 30_000);
  expect(messages.find((m) => m.fatal)).toBeUndefined();
  const file = join(data.dir, 'accounts.vault');
  await waitFor(() => existsSync(file), 'the environment account stored');
  // A request after the key message is still answered: the key message is not taken for a request.
  child.send({ data: { id: 3, name: 'getOverview', args: {} } });
  const reply = await waitFor(() => messages.find((m) => m.id === 3), 'a reply after the key message');
  expect((reply.reply as { ok: boolean }).ok).toBe(true);
  child.send({ data: { id: 4, name: '__stop' } });
  await waitFor(() => messages.find((m) => m.id === 4), 'the core stopped');
  child.kill();
  const everything = err + JSON.stringify(messages);
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain(SEED);
  expect(err).not.toMatch(/ignored a message/);
  return { dataDir: data.dir, keyFile, file, messages };
}

describe('the desktop core host and the vault key', () => {
  it('stores the environment accounts under the keychain key main hands over', async () => {
    const key = randomBytes(32).toString('base64');
    const { dataDir, keyFile, file } = await runHost({ key });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ protection: 'desktop-keychain', accounts: [{ platform: 'qianchuan', account: '7001' }] });
    expect(existsSync(keyFile)).toBe(false);
    const opened = new FileVault({ dataDir, keys: [handedKeyProvider(Promise.resolve({ key }))] });
    expect(await opened.load('qianchuan', '7001')).toMatchObject({ appSecret: SECRET, refreshToken: SEED, seededFrom: 'env' });
  });

  it('without a keychain, stores them under the key file instead', async () => {
    const { keyFile, file } = await runHost({ unavailable: 'no OS keychain on this desktop' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ protection: 'file-key' });
    expect(existsSync(keyFile)).toBe(true);
  });
});
