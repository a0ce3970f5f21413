/**
 * The environment's accounts and `lcr auth --status`'s lines: a seeded refresh token is used once
 * and never overwrites the pair the app rotated since; a changed seed does; the status says which
 * account needs a person, and never prints a secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { accountState, accountStatusLines, localMinute, refusedTokenMessage, seedFromEnv, withEnvSeedSeen } from '../../electron/core/secrets/accounts.ts';
import { FileVault } from '../../electron/core/secrets/file-vault.ts';
import { fileKeyProvider } from '../../electron/core/secrets/keys.ts';
import type { AccountStatus } from '../../electron/core/secrets/types.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function vault(): FileVault {
  const data = tempDir('lcr-seed-data-');
  const keys = tempDir('lcr-seed-key-');
  cleanups.push(data.cleanup, keys.cleanup);
  return new FileVault({ dataDir: data.dir, keys: [fileKeyProvider({ path: join(keys.dir, 'vault.key'), dataDir: data.dir })] });
}

const QC = { LCR_QIANCHUAN_APP_ID: '1700000001', LCR_QIANCHUAN_SECRET: 'qc-app-secret-123456', LCR_QIANCHUAN_ADVERTISER_ID: '7001', LCR_QIANCHUAN_REFRESH_TOKEN: 'seed-refresh-AAAA' };
const DD = { LCR_DOUDIAN_APP_KEY: '7100000001', LCR_DOUDIAN_APP_SECRET: 'dd-app-secret-654321', LCR_DOUDIAN_SHOP_ID: '88' };

describe('seedFromEnv', () => {
  it('stores the environment accounts, with the seed as the refresh token and its lifetime unknown', async () => {
    const v = vault();
    const r = await seedFromEnv({ ...QC, ...DD }, v, 1000);
    expect(r).toEqual({ seeded: ['巨量千川 (Qianchuan) advertiser 7001', '抖店 (Doudian) shop 88'], warnings: [] });
    expect(await v.load('qianchuan', '7001')).toMatchObject({ appId: '1700000001', appSecret: 'qc-app-secret-123456', accessToken: null, refreshToken: 'seed-refresh-AAAA', refreshExpiresAt: null, seededFrom: 'env', updatedAt: 1000 });
    // A 自用型 抖店 app without a refresh token: its token is created at first use.
    expect(await v.load('doudian', '88')).toMatchObject({ appId: '7100000001', refreshToken: null, seededFrom: 'env' });
    // The record remembers the seed by a salted hash, not by its value.
    const { seedHash } = (await v.load('qianchuan', '7001'))!;
    expect(seedHash).toMatch(/^[0-9a-f]{32}$/);
    expect(seedHash).not.toContain('AAAA');
  });

  it('never overwrites a pair the app rotated since with the same seed; a changed seed replaces it', async () => {
    const v = vault();
    await seedFromEnv(QC, v, 1000);
    // The app refreshed: 千川 issued a new pair (the loaded record spread with the new tokens, as a client saves it).
    const seeded = (await v.load('qianchuan', '7001'))!;
    await v.save({ ...seeded, accessToken: 'at-rotated', refreshToken: 'rt-rotated', accessExpiresAt: 5000, refreshExpiresAt: 9000, updatedAt: 2000 });
    await seedFromEnv(QC, v, 3000);
    expect(await v.load('qianchuan', '7001')).toMatchObject({ accessToken: 'at-rotated', refreshToken: 'rt-rotated', updatedAt: 2000 });
    // A new seed in the environment: the person means it.
    await seedFromEnv({ ...QC, LCR_QIANCHUAN_REFRESH_TOKEN: 'seed-refresh-BBBB' }, v, 4000);
    expect(await v.load('qianchuan', '7001')).toMatchObject({ accessToken: null, refreshToken: 'seed-refresh-BBBB', refreshExpiresAt: null, updatedAt: 4000 });
  });

  it('takes a changed app secret but keeps the pair; another app id drops the old app tokens', async () => {
    const v = vault();
    await seedFromEnv(QC, v, 1000);
    const seeded = (await v.load('qianchuan', '7001'))!;
    await v.save({ ...seeded, accessToken: 'at-rotated', refreshToken: 'rt-rotated' });
    await seedFromEnv({ ...QC, LCR_QIANCHUAN_SECRET: 'qc-new-secret-999999' }, v, 2000);
    expect(await v.load('qianchuan', '7001')).toMatchObject({ appSecret: 'qc-new-secret-999999', refreshToken: 'rt-rotated' });
    const { LCR_QIANCHUAN_REFRESH_TOKEN: _seed, ...noSeed } = QC;
    await seedFromEnv({ ...noSeed, LCR_QIANCHUAN_APP_ID: '1700000002' }, v, 3000);
    expect(await v.load('qianchuan', '7001')).toMatchObject({ appId: '1700000002', accessToken: null, refreshToken: null });
  });

  it('a pair from an authorisation is not replaced by the seed that was in the environment when it was made', async () => {
    const v = vault();
    await seedFromEnv(QC, v, 1000);
    const seeded = (await v.load('qianchuan', '7001'))!;
    const authorised = withEnvSeedSeen({ ...seeded, accessToken: 'at-auth', refreshToken: 'rt-auth', seededFrom: 'auth-code', seedHash: undefined }, QC);
    await v.save(authorised);
    await seedFromEnv(QC, v, 2000);
    expect(await v.load('qianchuan', '7001')).toMatchObject({ refreshToken: 'rt-auth', seededFrom: 'auth-code' });
  });

  it('says which variables are missing, without their values, and stores nothing for that platform', async () => {
    const v = vault();
    const r = await seedFromEnv({ LCR_QIANCHUAN_SECRET: 'qc-app-secret-123456', LCR_QIANCHUAN_REFRESH_TOKEN: 'seed-refresh-AAAA' }, v, 1000);
    expect(r.seeded).toEqual([]);
    expect(r.warnings).toEqual(['巨量千川 (Qianchuan): LCR_QIANCHUAN_SECRET, LCR_QIANCHUAN_REFRESH_TOKEN are set but LCR_QIANCHUAN_APP_ID, LCR_QIANCHUAN_ADVERTISER_ID are not: the account is not connected from the environment']);
    expect(await v.list()).toEqual([]);
  });
});

describe('accountStatusLines', () => {
  const now = Date.UTC(2024, 10, 11, 12, 0);
  const base: AccountStatus = { platform: 'qianchuan', account: '7001', appId: '1700000001', hasToken: true, accessExpiresAt: now + 20 * 3600_000, refreshExpiresAt: now + 29 * 86400_000, updatedAt: now };

  it('names the account, its app and until when its tokens hold, in local time', () => {
    const [en] = accountStatusLines([base], now, 'en');
    expect(en).toBe(`巨量千川 (Qianchuan) advertiser 7001 · app 1700000001 · access token until ${localMinute(base.accessExpiresAt)} · refresh token until ${localMinute(base.refreshExpiresAt)}`);
    const d = new Date(base.accessExpiresAt!);
    expect(localMinute(base.accessExpiresAt)).toBe(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`);
    expect(accountStatusLines([base], now, 'zh-CN')[0]).toContain('访问令牌有效至');
  });

  it('says "needs re-authorisation" and what to run once the refresh token has expired', () => {
    const expired = { ...base, refreshExpiresAt: now - 60_000, accessExpiresAt: now - 3600_000 };
    expect(accountState(expired, now)).toBe('needs-reauth');
    const [line] = accountStatusLines([expired], now, 'en');
    expect(line).toContain('needs re-authorisation: the refresh token expired');
    expect(line).toContain('lcr auth qianchuan --account 7001');
    expect(accountStatusLines([expired], now, 'zh-CN')[0]).toContain('需要重新授权');
  });

  it('tells an expired access token (refreshes itself), one about to expire, no token yet, and an unknown lifetime apart', () => {
    expect(accountState({ ...base, accessExpiresAt: now - 1 }, now)).toBe('refresh-pending');
    expect(accountState({ ...base, accessExpiresAt: now + 60_000 }, now)).toBe('expiring');
    expect(accountState({ ...base, hasToken: false }, now)).toBe('no-token');
    expect(accountState(base, now)).toBe('connected');
    expect(accountStatusLines([{ ...base, accessExpiresAt: null, refreshExpiresAt: null, seededFrom: 'env' }], now, 'en')[0]).toBe('巨量千川 (Qianchuan) advertiser 7001 · app 1700000001 · token expiry unknown (known after the first refresh) · from the environment');
    expect(accountStatusLines([], now, 'en')).toEqual(['no accounts connected (lcr auth qianchuan|doudian, or 设置 in the app)']);
  });
});

describe('refusedTokenMessage', () => {
  it('names the account and what to do, and cuts a token the platform quoted', () => {
    expect(refusedTokenMessage('doudian', '88', 'code 10002: access_token=at-abcdef123456 expired')).toBe(
      '抖店 (Doudian) shop 88: the platform refused its token and a refresh did not help (code 10002: access_token=*** expired) — authorise it again: lcr auth doudian --account 88, or 设置 in the app',
    );
  });
});
