/**
 * Connecting an official account from the settings screen's requests: the authorisation code is
 * exchanged with 千川 (the emulator) and the pair goes into the vault; a refresh token is stored as
 * a seed; the answer and settings.json carry no secret; a refused code stores nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { QianchuanEmulator } from '../emulators/qianchuan.ts';
import { MemoryVault } from '../helpers/memory-vault.ts';
import { tempDir } from '../helpers/util.ts';

let core: Core | undefined;
let qc: QianchuanEmulator | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await core?.stop();
  await qc?.close();
  core = qc = undefined;
  cleanup?.();
});

describe('connecting an account from the settings screen', () => {
  it('exchanges a code with 千川 into the vault, keeps a refresh token as a seed, and shows no secret', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    qc = await QianchuanEmulator.start({ now: () => Date.now() });
    const vault = new MemoryVault();
    // A 千川 room whose account is not connected yet: the settings name the API host (here the emulator).
    core = await Core.start({
      dataDir: t.dir,
      vault,
      noBackup: true,
      source: { kind: 'qianchuan', address: '', rooms: [qc.awemeId], platforms: { qianchuan: { appId: qc.appId, advertiserId: qc.advertiserId, base: qc.url } } },
    });

    const refused = await core.request('connectAccount', { platform: 'qianchuan', appId: qc.appId, account: qc.advertiserId, secret: qc.secret, authCode: 'made-up-code-1' });
    expect(refused.ok).toBe(false);
    expect(vault.saves).toHaveLength(0);

    const code = qc.authCode();
    const r = await core.request('connectAccount', { platform: 'qianchuan', appId: qc.appId, account: qc.advertiserId, secret: qc.secret, authCode: code });
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    expect(r.ok && r.value).toMatchObject({ platform: 'qianchuan', account: qc.advertiserId, hasToken: true });
    expect(JSON.stringify(r)).not.toContain(qc.secret);
    const stored = vault.peek('qianchuan', qc.advertiserId)!;
    expect(stored.accessToken).toBeTruthy();
    expect(stored.appSecret).toBe(qc.secret);

    const seed = await core.request('connectAccount', { platform: 'doudian', appId: 'dd-app', account: '88', secret: 'dd-secret-123456', refreshToken: 'dd-refresh-abcdef' });
    expect(seed.ok && seed.value).toMatchObject({ platform: 'doudian', account: '88', hasToken: true, accessExpiresAt: null });
    const list = await core.request('getAccounts', {});
    const accounts = list.ok ? (list.value as { accounts: Array<{ account: string }> }).accounts : [];
    expect(accounts.map((a) => a.account).sort()).toEqual(['88', qc.advertiserId].sort());
    expect(JSON.stringify(list)).not.toMatch(/dd-secret-123456|dd-refresh-abcdef/);
    const settings = join(t.dir, 'settings.json');
    if (existsSync(settings)) expect(readFileSync(settings, 'utf8')).not.toMatch(/dd-secret|dd-refresh|emulator-secret/);
  });
});
