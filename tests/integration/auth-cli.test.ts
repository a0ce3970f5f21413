/**
 * `lcr auth` as a person or a script runs it (the real CLI, a temp data folder, the key file in
 * another temp folder): the status says which accounts are connected and until when, and no
 * output, no file in the data folder and no settings.json ever holds a secret. The code exchange
 * runs through the hook the platform clients fill (here a stand-in).
 */
import { QianchuanEmulator } from '../emulators/qianchuan.ts';
import { TikTokShopEmulator } from '../emulators/tiktok-shop.ts';
import { startGmvMaxEmulator } from '../emulators/gmv-max.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { authCmd, type TokenExchange } from '../../electron/core/cli/auth.ts';
import { main } from '../../electron/core/cli/lcr.ts';
import { FileVault } from '../../electron/core/secrets/file-vault.ts';
import { fileKeyProvider, handedKeyProvider } from '../../electron/core/secrets/keys.ts';
import { clearSecrets, redactSecrets } from '../../electron/core/secrets/redact.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';
import { writeSavedSettings } from '../../electron/core/settings/saved.ts';
import type { SavedSettings } from '../../shared/contract.ts';
import { fileURLToPath } from 'node:url';
import { LCR, ROOT, lcrRun } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const SECRETS = { qcSecret: 'QC-app-secret-5f1e2d3c4b', qcSeed: 'QC-refresh-seed-9a8b7c6d5e', ddSecret: 'DD-app-secret-0a1b2c3d4e' };

function setup() {
  const data = tempDir('lcr-auth-data-');
  const keys = tempDir('lcr-auth-key-');
  cleanups.push(data.cleanup, keys.cleanup);
  const keyFile = join(keys.dir, 'cfg', 'vault.key');
  const env: Record<string, string> = {
    LCR_DATA_DIR: data.dir,
    LCR_VAULT_KEY_FILE: keyFile,
    LCR_QIANCHUAN_APP_ID: '1700000001',
    LCR_QIANCHUAN_SECRET: SECRETS.qcSecret,
    LCR_QIANCHUAN_ADVERTISER_ID: '7001',
    LCR_QIANCHUAN_REFRESH_TOKEN: SECRETS.qcSeed,
    LCR_DOUDIAN_APP_KEY: '7100000001',
    LCR_DOUDIAN_APP_SECRET: SECRETS.ddSecret,
    LCR_DOUDIAN_SHOP_ID: '88',
  };
  return { dataDir: data.dir, keyFile, env };
}

function expectNoSecret(text: string, extra: string[] = []): void {
  for (const s of [...Object.values(SECRETS), ...extra]) expect(text).not.toContain(s);
}

/** Every byte of every file under `dir` (the data folder): no secret in any form. */
function expectNoSecretOnDisk(dir: string, extra: string[] = []): void {
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    for (const s of [...Object.values(SECRETS), ...extra]) expect(bytes.includes(Buffer.from(s)), `${s} found in ${name}`).toBe(false);
  }
}

describe('lcr auth --status', () => {
  it('--json lists the environment accounts and when their tokens expire, with no secret in any output or file', async () => {
    const { dataDir, keyFile, env } = setup();
    const r = await lcrRun(['auth', '--status', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectNoSecret(r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout) as { where: string; accounts: Array<Record<string, unknown>> };
    expect(doc.where).toContain(join(dataDir, 'accounts.vault'));
    expect(doc.where).toContain(keyFile);
    expect(doc.accounts).toEqual([
      expect.objectContaining({ platform: 'doudian', account: '88', appId: '7100000001', hasToken: false, state: 'no-token', seededFrom: 'env' }),
      expect.objectContaining({ platform: 'qianchuan', account: '7001', appId: '1700000001', hasToken: true, accessExpiresAt: null, refreshExpiresAt: null, seededFrom: 'env' }),
    ]);
    for (const a of doc.accounts) expect(Object.keys(a).sort()).toEqual(['account', 'accessExpiresAt', 'appId', 'hasToken', 'platform', 'refreshExpiresAt', 'seededFrom', 'state', 'updatedAt'].sort());
    // The key is outside the data folder; the data folder holds the vault, encrypted.
    expect(existsSync(keyFile)).toBe(true);
    expect(readdirSync(dataDir)).toContain('accounts.vault');
    expectNoSecretOnDisk(dataDir);
    // The human form, too.
    const text = await lcrRun(['auth', '--status', '--lang', 'en'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('巨量千川 (Qianchuan) advertiser 7001 · app 1700000001 · token expiry unknown (known after the first refresh) · from the environment');
    expectNoSecret(text.stdout + text.stderr);
  });

  it('says plainly that a vault of the desktop app keychain is authorised from the app', async () => {
    const { dataDir, keyFile } = setup();
    const desktop = new FileVault({ dataDir, keys: [handedKeyProvider(Promise.resolve({ key: Buffer.alloc(32, 7).toString('base64') }))] });
    await desktop.save({ platform: 'qianchuan', account: '7001', appId: '1', appSecret: SECRETS.qcSecret, accessToken: null, refreshToken: SECRETS.qcSeed, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: 1 });
    const r = await lcrRun(['auth', '--status'], { LCR_DATA_DIR: dataDir, LCR_VAULT_KEY_FILE: keyFile });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("lcr: this data folder's accounts (巨量千川 (Qianchuan) 7001) are protected by the desktop app's keychain: authorise from 设置 in the app, or");
    expectNoSecret(r.stderr);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file others can read, in one line that says how to fix it', async () => {
    const { keyFile, env } = setup();
    expect((await lcrRun(['auth', '--status'], env)).code).toBe(0);
    chmodSync(keyFile, 0o644);
    const r = await lcrRun(['auth', '--status', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`lcr: the vault key file ${keyFile} can be read by other users (mode 0644): make it yours alone with  chmod 600 "${keyFile}"  and start again`);
  });
});

describe('lcr auth <platform>', () => {
  it('without a code prints the authorisation link (app id and state, no secret)', async () => {
    const { env } = setup();
    const r = await lcrRun(['auth', 'qianchuan', '--json'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { url: string; state: string; note?: string };
    const url = new URL(doc.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://qianchuan.jinritemai.com/openapi/qc/audit/oauth.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ app_id: '1700000001', state: doc.state, material_auth: '1' });
    expect(doc.note).toMatch(/not confirmed/);
    const dd = await lcrRun(['auth', 'doudian', '--service-id', '12345'], env);
    expect(dd.code).toBe(0);
    expect(dd.stdout).toMatch(/https:\/\/fuwu\.jinritemai\.com\/authorize\?service_id=12345&state=[0-9a-f]{16}/);
    expectNoSecret(r.stdout + r.stderr + dd.stdout + dd.stderr);
  });

  it('with a code, exchanges it with 千川 and stores the pair; a refused code stores nothing and says so in one line', async () => {
    const { dataDir, env } = setup();
    const qc = await QianchuanEmulator.start({ now: () => Date.now() });
    try {
      const { LCR_QIANCHUAN_REFRESH_TOKEN: _s, ...noSeed } = env;
      const qcEnv = { ...noSeed, LCR_QIANCHUAN_API: qc.url, LCR_QIANCHUAN_APP_ID: qc.appId, LCR_QIANCHUAN_SECRET: qc.secret, LCR_QIANCHUAN_ADVERTISER_ID: qc.advertiserId };
      const bad = await lcrRun(['auth', 'qianchuan', '--auth-code', 'not-a-code-123'], qcEnv);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/千川 400\d\d/);
      const before = JSON.parse((await lcrRun(['auth', '--status', '--json'], qcEnv)).stdout) as { accounts: Array<{ account: string; hasToken: boolean }> };
      expect(before.accounts.find((a) => a.account === qc.advertiserId)).toMatchObject({ hasToken: false });
      const code = qc.authCode();
      const good = await lcrRun(['auth', 'qianchuan', '--auth-code', code], qcEnv);
      expect(good.code, good.stderr).toBe(0);
      const after = JSON.parse((await lcrRun(['auth', '--status', '--json'], qcEnv)).stdout) as { accounts: Array<{ account: string; hasToken: boolean; accessExpiresAt: number | null }> };
      expect(after.accounts.find((a) => a.account === qc.advertiserId)).toMatchObject({ hasToken: true });
      expect(after.accounts.find((a) => a.account === qc.advertiserId)!.accessExpiresAt).toBeGreaterThan(Date.now());
      expectNoSecret(bad.stdout + bad.stderr + good.stdout + good.stderr, [qc.secret, code]);
      expectNoSecretOnDisk(dataDir);
    } finally {
      await qc.close();
    }
  });

  it('with a code, exchanges it with TikTok Shop and with TikTok Ads (GMV Max) and stores what each gives; nothing secret is printed or left in the clear', async () => {
    const { dataDir, env } = setup();
    const shop = await TikTokShopEmulator.start({ now: () => Date.now() });
    const ads = await startGmvMaxEmulator({ currency: 'USD' });
    try {
      const rec = shop.accountRecord();
      const ttEnv = { ...env, LCR_TIKTOK_SHOP_API: shop.url, LCR_TIKTOK_SHOP_AUTH_API: shop.authUrl, LCR_TIKTOK_SHOP_APP_KEY: rec.appId, LCR_TIKTOK_SHOP_APP_SECRET: rec.appSecret, LCR_TIKTOK_SHOP_ID: rec.account, LCR_TIKTOK_ADS_API: ads.url, LCR_TIKTOK_ADS_APP_ID: ads.appId, LCR_TIKTOK_ADS_SECRET: ads.secret, LCR_TIKTOK_ADS_ADVERTISER_ID: ads.advertiserId, LCR_TIKTOK_ADS_STORE_ID: ads.storeId };
      const bad = await lcrRun(['auth', 'tiktok-shop', '--auth-code', 'TTP_not_issued'], ttEnv);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      const shopCode = shop.issueCode();
      const good = await lcrRun(['auth', 'tiktok-shop', '--auth-code', shopCode], ttEnv);
      expect(good.code, good.stderr).toBe(0);
      const adsCode = ads.issueAuthCode();
      const adsRun = await lcrRun(['auth', 'tiktok-ads', '--auth-code', adsCode], ttEnv);
      expect(adsRun.code, adsRun.stderr).toBe(0);
      const status = JSON.parse((await lcrRun(['auth', '--status', '--json'], ttEnv)).stdout) as { accounts: Array<{ platform: string; account: string; hasToken: boolean; accessExpiresAt: number | null }> };
      expect(status.accounts.find((a) => a.platform === 'tiktok-shop' && a.account === rec.account)).toMatchObject({ hasToken: true });
      expect(status.accounts.find((a) => a.platform === 'tiktok-shop')!.accessExpiresAt).toBeGreaterThan(Date.now());
      expect(status.accounts.find((a) => a.platform === 'tiktok-ads' && a.account === ads.advertiserId)).toMatchObject({ hasToken: true });
      const lines = (await lcrRun(['auth', '--status', '--lang', 'en'], ttEnv)).stdout;
      expect(lines).toContain(`TikTok Shop shop ${rec.account}`);
      expect(lines).toContain(`TikTok Ads (GMV Max) advertiser ${ads.advertiserId}`);
      const all = bad.stdout + bad.stderr + good.stdout + good.stderr + adsRun.stdout + adsRun.stderr + lines;
      expectNoSecret(all, [rec.appSecret, ads.secret, shopCode, adsCode]);
      expectNoSecretOnDisk(dataDir, [rec.appSecret, ads.secret]);
    } finally {
      await shop.close();
      await ads.close();
    }
  });

  it('refuses a secret given as a flag (it would stay in the shell history)', async () => {
    const { env } = setup();
    const r = await lcrRun(['auth', 'qianchuan', '--secret', 'typed-in-the-shell-123'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the app secret is never a flag');
    expect(r.stderr).not.toContain('typed-in-the-shell-123');
  });

  it('reads the secret from stdin when asked, and never echoes it', async () => {
    const { dataDir, keyFile } = setup();
    const qc = await QianchuanEmulator.start();
    cleanups.push(() => void qc.close());
    const qcUrl = qc.url;
    const piped = 'piped-app-secret-77aa88bb';
    const run = async (stdin: string) => {
      const args = [LCR, 'auth', 'qianchuan', '--auth-code', 'c-1', '--app-id', '1700000009', '--account', '9009', '--secret-stdin'];
      const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LCR_DATA_DIR: dataDir, LCR_VAULT_KEY_FILE: keyFile, LCR_QIANCHUAN_API: qcUrl }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.end(stdin);
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      return { code, out };
    };
    // Read before anything else is tried: stdin that is not one line is refused…
    const bad = await run(`${piped}\nsecond line\n`);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('stdin must hold the app secret alone, on one line');
    expect(bad.out).not.toContain(piped);
    // …one line is taken, and the run goes on to the exchange (the emulator refuses this made-up code).
    const good = await run(`${piped}\n`);
    expect(good.code).toBe(1);
    expect(good.out).toMatch(/千川 400\d\d/);
    expect(good.out).not.toContain(piped);
  });
});

describe('authCmd with a platform exchange plugged in', () => {
  function deps(env: Record<string, string>, exchange: TokenExchange, stdin: string | null = null) {
    const out: string[] = [];
    return { out, deps: { env, exchanges: { qianchuan: exchange }, readStdin: async () => stdin, out: (t: string) => out.push(t), err: (t: string) => out.push(t), now: () => 1_700_000_000_000 } };
  }
  const issued = (r: AccountRecord): AccountRecord => ({ ...r, account: r.account || '7001', accessToken: 'AT-issued-1234567890', refreshToken: 'RT-issued-1234567890', accessExpiresAt: 1_700_086_400_000, refreshExpiresAt: 1_702_592_000_000 });

  it('hands the exchange the app id, the secret and the code, and stores the pair it returns', async () => {
    const { dataDir, keyFile, env } = setup();
    const exchange = vi.fn<TokenExchange>(async (_p, r) => issued(r));
    const d = deps(env, exchange);
    expect(await authCmd(['qianchuan', '--auth-code', 'the-code-1'], d.deps)).toBe(0);
    expect(exchange).toHaveBeenCalledWith('qianchuan', expect.objectContaining({ account: '7001', appId: '1700000001', appSecret: SECRETS.qcSecret, accessToken: null }), 'the-code-1');
    const stored = await new FileVault({ dataDir, keys: [fileKeyProvider({ path: keyFile, dataDir })] }).load('qianchuan', '7001');
    expect(stored).toMatchObject({ accessToken: 'AT-issued-1234567890', refreshToken: 'RT-issued-1234567890', seededFrom: 'auth-code', refreshExpiresAt: 1_702_592_000_000 });
    // The environment's seed was older than this pair: the next start keeps the pair.
    expect(await authCmd(['--status', '--json'], d.deps)).toBe(0);
    expect((await new FileVault({ dataDir, keys: [fileKeyProvider({ path: keyFile, dataDir })] }).load('qianchuan', '7001'))?.refreshToken).toBe('RT-issued-1234567890');
    expect(d.out.join('\n')).toContain('connected: 巨量千川 (Qianchuan) advertiser 7001 · app 1700000001 · access token until');
    expectNoSecret(d.out.join('\n'), ['AT-issued-1234567890', 'RT-issued-1234567890']);
    expectNoSecretOnDisk(dataDir, ['AT-issued-1234567890', 'RT-issued-1234567890']);
  });

  it('takes the secret from stdin and cuts it out of a refusal that quotes it', async () => {
    const { env } = setup();
    clearSecrets();
    const { LCR_QIANCHUAN_SECRET: _s, ...noSecret } = env;
    const piped = 'stdin-secret-abcdef123456';
    const exchange: TokenExchange = async (_p, r) => {
      throw new Error(`qianchuan /oauth2/access_token/: refused (code 40001) for {"app_id":${r.appId},"secret":"${r.appSecret}"} secret ${r.appSecret}`);
    };
    const d = deps(noSecret, exchange, `${piped}\n`);
    const err = await authCmd(['qianchuan', '--auth-code', 'c', '--secret-stdin'], d.deps).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(piped);
    // What lcr prints: the one rule, with the secret registered when it was read.
    expect(redactSecrets((err as Error).message)).not.toContain(piped);
    expect(redactSecrets((err as Error).message)).toContain('refused (code 40001)');
  });

  it('--remove forgets an account on this computer and says where to revoke it on the platform', async () => {
    const { dataDir, keyFile, env } = setup();
    const d = deps(env, async (_p, r) => issued(r));
    await authCmd(['qianchuan', '--auth-code', 'x'], d.deps);
    const { LCR_QIANCHUAN_ADVERTISER_ID: _a, LCR_QIANCHUAN_REFRESH_TOKEN: _b, LCR_QIANCHUAN_APP_ID: _c, LCR_QIANCHUAN_SECRET: _d, ...rest } = env;
    const d2 = deps(rest, async (_p, r) => r);
    expect(await authCmd(['qianchuan', '--account', '7001', '--remove'], d2.deps)).toBe(0);
    expect(await new FileVault({ dataDir, keys: [fileKeyProvider({ path: keyFile, dataDir })] }).load('qianchuan', '7001')).toBeNull();
    expect(d2.out.join('\n')).toContain('授权管理');
  });
});

describe('lcr, whatever fails', () => {
  it('never prints an environment secret in its one error line', async () => {
    const secret = 'env-secret-in-an-error-99';
    const saved = process.env.LCR_QIANCHUAN_SECRET;
    process.env.LCR_QIANCHUAN_SECRET = secret;
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((l: unknown) => void lines.push(String(l)));
    try {
      // An unknown platform is quoted back in the error: here it is the secret itself.
      expect(await main(['auth', secret])).toBe(2);
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.LCR_QIANCHUAN_SECRET;
      else process.env.LCR_QIANCHUAN_SECRET = saved;
    }
    expect(lines.join('\n')).toContain('unknown platform');
    expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('settings.json', () => {
  it('never gets a secret, even one handed to the settings screen', async () => {
    const { dataDir } = setup();
    const core = await Core.start({ dataDir, scenarioFiles: [tiny], noBackup: true });
    try {
      const reply = await core.request('saveSettings', { settings: { operatorName: '小王', appSecret: SECRETS.qcSecret, qianchuanRefreshToken: SECRETS.qcSeed } });
      expect(reply.ok).toBe(true);
    } finally {
      await core.stop();
    }
    const saved = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    expect(JSON.parse(saved)).toEqual({ operatorName: '小王' });
    expectNoSecret(saved);
    // Whoever calls the writer: only the settings' own keys are written.
    writeSavedSettings(dataDir, { operatorName: '小李', accessToken: SECRETS.qcSeed } as SavedSettings);
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toEqual({ operatorName: '小李' });
  });
});
