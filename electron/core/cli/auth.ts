/**
 * `lcr auth`: connect an official platform account and see which are connected.
 *   lcr auth --status [--json] [--lang zh-CN|en]
 *   lcr auth qianchuan|doudian|tiktok-shop [--auth-code CODE] [--account ID] [--app-id ID] [--secret-stdin] [--service-id ID] [--json]
 *   lcr auth qianchuan|doudian|tiktok-shop --account ID --remove
 * Without a code it prints the link the account's owner opens to allow access; with one it
 * exchanges the code for a token pair (the platform client's `TokenExchange`) and stores it in the
 * vault. The app secret never comes from a flag — a flag's value stays in the shell's history
 * and in every process listing — only from the environment, the vault, or stdin.
 */
import { TOKEN_EXCHANGES, type TokenExchange } from '../platforms/exchanges.ts';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config.ts';
import { ENV_SEEDS, accountLabel, accountState, accountStatusLines, isPlatformName, platformLabel, seedFromEnv, withEnvSeedSeen } from '../secrets/accounts.ts';
import { openVault } from '../secrets/open.ts';
import { registerSecret } from '../secrets/redact.ts';
import type { AccountRecord, PlatformName, SecretVault } from '../secrets/types.ts';
import { UsageError } from './common.ts';

/**
 * A platform's authorisation-code exchange (platforms/exchanges.ts): `record` carries the app id
 * and secret (and the account when the person named one; '' otherwise), `code` the code the
 * authorisation page returned. Resolves to the full record to store.
 */
export { TOKEN_EXCHANGES, type TokenExchange };

export interface AuthDeps {
  env: NodeJS.ProcessEnv;
  exchanges: Partial<Record<PlatformName, TokenExchange>>;
  vault: (dataDir: string) => SecretVault;
  now: () => number;
  /** The whole of stdin (for --secret-stdin); null when stdin is a terminal. */
  readStdin: () => Promise<string | null>;
  out: (text: string) => void;
  err: (text: string) => void;
}

const OPTIONS = {
  status: { type: 'boolean' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  'auth-code': { type: 'string' },
  account: { type: 'string' },
  'app-id': { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  'service-id': { type: 'string' },
  remove: { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // A secret passed as a flag would already be in the shell's history: say where it belongs instead.
    if (/--(app-)?secret\b/.test(msg)) throw new UsageError('the app secret is never a flag (it would stay in the shell history): set LCR_QIANCHUAN_SECRET / LCR_DOUDIAN_APP_SECRET / LCR_TIKTOK_SHOP_APP_SECRET / LCR_TIKTOK_ADS_SECRET, or pipe it in with --secret-stdin');
    throw new UsageError(msg);
  }
}

const ID = /^[A-Za-z0-9_.-]{1,200}$/;

export async function authCmd(argv: string[], deps: Partial<AuthDeps> = {}): Promise<number> {
  const d: AuthDeps = {
    env: process.env,
    exchanges: TOKEN_EXCHANGES,
    vault: (dataDir) => openVault({ dataDir, env: deps.env ?? process.env, onWarning: (w) => d.err(`lcr: warning: ${w}`) }),
    now: () => Date.now(),
    readStdin,
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    ...deps,
  };
  const { values: v, positionals } = parseFlags(argv);
  const lang = v.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
  for (const k of ['account', 'app-id', 'service-id'] as const) {
    const val = v[k];
    if (val !== undefined && !ID.test(val)) throw new UsageError(`--${k} must be an id of letters, digits, '.', '_' or '-' (up to 200)`);
  }
  if (positionals.length > 1) throw new UsageError(`auth takes one platform (got ${positionals.length})`);
  const platform = positionals[0];
  const dataDir = resolve(d.env.LCR_DATA_DIR || defaultDataDir());
  if (v.status) {
    if (platform) throw new UsageError('auth --status takes no platform');
    return status(d, d.vault(dataDir), v.json === true, lang);
  }
  if (platform === undefined) throw new UsageError('auth needs a platform (qianchuan, doudian, tiktok-shop or tiktok-ads), or --status');
  if (!isPlatformName(platform)) throw new UsageError(`unknown platform "${platform.slice(0, 40)}" (qianchuan, doudian, tiktok-shop or tiktok-ads)`);
  const vault = d.vault(dataDir);
  await seed(d, vault);
  if (v.remove) return remove(d, vault, platform, v);
  const code = v['auth-code'];
  if (code === undefined) return printAuthorizeLink(d, vault, platform, v);
  if (!/^[\x21-\x7e]{1,2000}$/.test(code)) throw new UsageError('--auth-code must be the code as the authorisation page gave it (printable, no spaces)');
  return exchange(d, vault, platform, code, v);
}

async function seed(d: AuthDeps, vault: SecretVault): Promise<void> {
  const seeded = await seedFromEnv(d.env, vault, d.now());
  for (const w of seeded.warnings) d.err(`lcr: warning: ${w}`);
}

async function status(d: AuthDeps, vault: SecretVault, json: boolean, lang: 'zh-CN' | 'en'): Promise<number> {
  await seed(d, vault);
  const list = await vault.list();
  const now = d.now();
  if (json) {
    d.out(JSON.stringify({ where: vault.where, accounts: list.map((a) => ({ ...a, state: accountState(a, now) })) }));
    return 0;
  }
  d.out(`${lang === 'zh-CN' ? '账户保存在' : 'Accounts kept in'} ${vault.where}`);
  for (const line of accountStatusLines(list, now, lang)) d.out(line);
  return 0;
}

async function remove(d: AuthDeps, vault: SecretVault, platform: PlatformName, v: Flags): Promise<number> {
  if (!v.account) throw new UsageError('auth --remove needs --account ID (see: lcr auth --status)');
  const had = await vault.load(platform, v.account);
  if (!had) throw new Error(`no ${accountLabel(platform, v.account)} in the vault (see: lcr auth --status)`);
  await vault.remove(platform, v.account);
  d.err(`removed ${accountLabel(platform, v.account)} from this computer. The platform still lets the app in until the authorisation is cancelled there (${REVOKE_WHERE[platform]}).`);
  const names = ENV_SEEDS[platform];
  if (names && d.env[names.account]?.trim() === v.account) d.err(`lcr: warning: ${names.account} still names this account: the next start stores it again from the environment — unset the ${names.account.replace(/_[A-Z]+_ID$/, '')}_* variables`);
  return 0;
}

export const REVOKE_WHERE: Record<PlatformName, string> = {
  qianchuan: '巨量引擎开放平台 → 应用管理 → 授权管理, or the advertiser account\'s 授权管理',
  doudian: '抖店 商家后台 → 服务市场 → 我的服务, or the 自用型 app\'s page on the 抖店开放平台',
  'tiktok-shop': 'TikTok Shop Seller Center → App & Service Store → Manage my apps',
  'tiktok-ads': 'TikTok Ads Manager → the advertiser account → Business Center → User / Assets → Apps, or the app\'s page on the TikTok API for Business portal',
};

/** The link the account's owner opens; the page sends them back with a code for `--auth-code`. */
async function printAuthorizeLink(d: AuthDeps, vault: SecretVault, platform: PlatformName, v: Flags): Promise<number> {
  const stored = v.account ? await vault.load(platform, v.account) : null;
  const names = ENV_SEEDS[platform];
  const state = randomBytes(8).toString('hex');
  let url: string;
  let note: string | null = null;
  if (platform === 'qianchuan') {
    const appId = v['app-id'] ?? (names && d.env[names.appId]?.trim()) ?? stored?.appId;
    if (!appId) throw new UsageError('the 千川 app id is missing: --app-id ID or LCR_QIANCHUAN_APP_ID (the app on the 巨量引擎开放平台)');
    url = `https://qianchuan.jinritemai.com/openapi/qc/audit/oauth.html?${new URLSearchParams({ app_id: appId, state, material_auth: '1' })}`;
    note = 'this 千川 link follows another project and is not confirmed against the official documents: if it does not open an authorisation page, use the authorisation link on your app\'s page of the 巨量引擎开放平台';
  } else if (platform === 'doudian') {
    const serviceId = v['service-id'] ?? d.env.LCR_DOUDIAN_SERVICE_ID?.trim();
    if (!serviceId) {
      d.out(
        'A 抖店 自用型 (self-use) app needs no authorisation page: set LCR_DOUDIAN_APP_KEY, LCR_DOUDIAN_APP_SECRET and LCR_DOUDIAN_SHOP_ID and its token is created at first use. ' +
          'A 工具型 (tool) app: pass --service-id ID (its 服务市场 service id) for the authorisation link.',
      );
      return 0;
    }
    url = `https://fuwu.jinritemai.com/authorize?${new URLSearchParams({ service_id: serviceId, state })}`;
  } else if (platform === 'tiktok-ads') {
    const appId = v['app-id'] ?? (names && d.env[names.appId]?.trim()) ?? stored?.appId;
    if (!appId) throw new UsageError('the TikTok API for Business app id is missing: --app-id ID or LCR_TIKTOK_ADS_APP_ID');
    const redirect = d.env.LCR_TIKTOK_ADS_REDIRECT_URI?.trim();
    if (!redirect) {
      d.out('TikTok Ads: open the "Advertiser authorization URL" on your app\'s page of the TikTok API for Business portal as the ad account\'s owner, then run: lcr auth tiktok-ads --auth-code CODE (with LCR_TIKTOK_ADS_APP_ID and LCR_TIKTOK_ADS_SECRET set, or --secret-stdin)');
      return 0;
    }
    url = `https://business-api.tiktok.com/portal/auth?${new URLSearchParams({ app_id: appId, state, redirect_uri: redirect })}`;
  } else {
    d.out('TikTok Shop: open your app\'s authorisation link from TikTok Shop Partner Center (App → Authorization) as the shop\'s owner, then run: lcr auth tiktok-shop --auth-code CODE --app-id APP_KEY --secret-stdin');
    return 0;
  }
  if (v.json) {
    d.out(JSON.stringify({ platform, url, state, ...(note ? { note } : {}) }));
    return 0;
  }
  d.out(`Open this link as the ${platformLabel(platform)} account's owner and allow access:\n  ${url}`);
  if (note) d.out(`(${note})`);
  d.out(`The page sends you back with ?auth_code=…&state=${state}; if the state matches, run:\n  lcr auth ${platform} --auth-code CODE${v.account ? ` --account ${v.account}` : ''}`);
  return 0;
}

async function exchange(d: AuthDeps, vault: SecretVault, platform: PlatformName, code: string, v: Flags): Promise<number> {
  const names = ENV_SEEDS[platform];
  const account = v.account ?? (names && d.env[names.account]?.trim()) ?? '';
  const stored = account ? await vault.load(platform, account) : null;
  const appId = v['app-id'] ?? (names && d.env[names.appId]?.trim()) ?? stored?.appId;
  if (!appId) throw new UsageError(`the ${platformLabel(platform)} app id is missing: --app-id ID${names ? ` or ${names.appId}` : ''}`);
  const appSecret = await secretFor(d, v, names?.secret, stored && stored.appId === appId ? stored.appSecret : undefined, platform);
  const fn = d.exchanges[platform];
  if (!fn) throw new Error(`auth ${platform} --auth-code: exchanging a code for ${platformLabel(platform)} tokens is not built into this version yet (TOKEN_EXCHANGES.${platform === 'tiktok-shop' ? "['tiktok-shop']" : platform} in electron/core/cli/auth.ts); nothing was stored`);
  const draft: AccountRecord = { platform, account, appId, appSecret, accessToken: null, refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: d.now() };
  const got = await fn(platform, draft, code);
  if (got.platform !== platform || !got.account) throw new Error(`the ${platformLabel(platform)} exchange returned no account for the tokens; nothing was stored`);
  const record = withEnvSeedSeen({ ...got, seededFrom: 'auth-code', updatedAt: d.now() }, d.env);
  await vault.save(record);
  const [line] = accountStatusLines([{ platform, account: record.account, appId: record.appId, hasToken: Boolean(record.accessToken || record.refreshToken), accessExpiresAt: record.accessExpiresAt, refreshExpiresAt: record.refreshExpiresAt, updatedAt: record.updatedAt }], d.now(), 'en');
  if (v.json) d.out(JSON.stringify({ platform, account: record.account, appId: record.appId, accessExpiresAt: record.accessExpiresAt, refreshExpiresAt: record.refreshExpiresAt }));
  else d.out(`connected: ${line}`);
  return 0;
}

async function secretFor(d: AuthDeps, v: Flags, envName: string | undefined, stored: string | undefined, platform: PlatformName): Promise<string> {
  if (v['secret-stdin']) {
    const text = await d.readStdin();
    if (text === null) throw new UsageError('--secret-stdin reads the secret from a pipe, not the terminal: e.g.  printenv MY_SECRET | lcr auth … --secret-stdin');
    const secret = text.replace(/\r?\n$/, '');
    if (!secret || secret.length > 10_000 || /[\r\n]/.test(secret)) throw new UsageError('--secret-stdin: stdin must hold the app secret alone, on one line');
    registerSecret(secret);
    return secret;
  }
  const fromEnv = envName ? d.env[envName]?.trim() : undefined;
  if (fromEnv) return fromEnv;
  if (stored) return stored;
  throw new UsageError(`the ${platformLabel(platform)} app secret is missing: ${envName ? `set ${envName}, or ` : ''}pipe it in with --secret-stdin`);
}

async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > 64 * 1024) throw new UsageError('--secret-stdin: stdin is far too long for an app secret');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
