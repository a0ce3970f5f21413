/**
 * The settings dialog's requests: what this run was started with (redacted), what is saved for
 * the next start, a probe of a source before it is saved, and saving — refused when the next
 * start could not run on it. The feed token never leaves the core.
 */
import { readSavedSettings, writeSavedSettings, settingSources } from './saved.ts';
import { savedSettingsProblem } from '../config.ts';
import { redact } from '../feed/client.ts';
import { probeSource } from '../sources/probe.ts';
import type { CoreOptions } from '../options.ts';
import type { AccountView, RequestArgs, RequestHandlers, SettingsView } from '../../../shared/contract.ts';
import type { AccountRecord } from '../secrets/types.ts';
import { registerSecret } from '../secrets/redact.ts';
import { TOKEN_EXCHANGES } from '../platforms/exchanges.ts';

export class SettingsDesk {
  constructor(
    private readonly opts: CoreOptions,
    /** the embedded simulator's speed, when it runs */
    private readonly simSpeed: () => number | null,
  ) {}

  view(): SettingsView {
    const o = this.opts;
    const saved = readSavedSettings(o.dataDir);
    const { feedToken, ...rest } = saved;
    return {
      effective: {
        feedUrl: o.feedUrl ? redact(o.feedUrl) : null,
        hasToken: Boolean(o.feedToken),
        rooms: o.rooms ?? null,
        dataDir: o.dataDir,
        scenario: (o.scenarioFiles ?? []).map((f) => f.split(/[\\/]/).pop() ?? f),
        speed: this.simSpeed() ?? o.speed ?? 10,
        seed: o.seed ?? '1',
        sourceKind: o.source?.kind ?? 'feed',
        sourceAddress: o.source ? (o.source.kind === 'replay' ? o.source.address : redact(o.source.address)) : null,
        ordersFile: o.source?.ordersFile ?? null,
      },
      saved: { ...rest, hasToken: Boolean(feedToken) },
      sources: settingSources(saved),
    };
  }

  /** Who acts, as the settings name them (decisions, ad actions, notes and acknowledgements carry it). */
  operator(): { byName: string | null; byRole: string | null } {
    const saved = readSavedSettings(this.opts.dataDir);
    return { byName: saved.operatorName ?? null, byRole: saved.operatorRole ?? null };
  }

  /** The vault's accounts, without a secret. */
  async accounts(): Promise<{ where: string; accounts: AccountView[] }> {
    const vault = this.opts.vault;
    if (!vault) return { where: '', accounts: [] };
    return { where: vault.where, accounts: (await vault.list()).map(({ seededFrom: _s, ...view }) => view) };
  }

  /**
   * An account into the vault: with an authorisation code the platform's tokens now, with a refresh
   * token a seed the platform source exchanges at its first call. The secret is registered with
   * the redaction rule before anything can print it.
   */
  async connect(a: RequestArgs<'connectAccount'>): Promise<AccountView> {
    const vault = this.opts.vault;
    if (!vault) throw new Error('no accounts vault is open in this run');
    for (const v of [a.secret, a.refreshToken, a.authCode]) if (v) registerSecret(v);
    const now = Date.now();
    // TikTok's advertiser tokens have no refresh token: what the person pastes is the long-lived access token.
    const longLived = a.platform === 'tiktok-ads';
    const token = a.refreshToken ?? null;
    let record: AccountRecord = { platform: a.platform, account: a.account, appId: a.appId, appSecret: a.secret, accessToken: longLived ? token : null, refreshToken: longLived ? null : token, accessExpiresAt: null, refreshExpiresAt: null, updatedAt: now };
    if (a.authCode) {
      const exchange = TOKEN_EXCHANGES[a.platform];
      if (!exchange) throw new Error(`${a.platform}: no code exchange`);
      const p = this.opts.source?.platforms;
      const base = { qianchuan: p?.qianchuan?.base, doudian: p?.doudian?.base, 'tiktok-shop': p?.tiktokShop?.base, 'tiktok-ads': p?.tiktokAds?.base }[a.platform];
      record = await exchange(a.platform, record, a.authCode, base);
    }
    await vault.save({ ...record, updatedAt: now });
    return { platform: record.platform, account: record.account, appId: record.appId, hasToken: Boolean(record.accessToken || record.refreshToken), accessExpiresAt: record.accessExpiresAt, refreshExpiresAt: record.refreshExpiresAt, updatedAt: now };
  }

  handlers(): RequestHandlers<'getSettings' | 'testSource' | 'saveSettings' | 'getAccounts' | 'connectAccount'> {
    const dataDir = this.opts.dataDir;
    return {
      getAccounts: () => this.accounts(),
      connectAccount: (a) => this.connect(a),
      getSettings: () => this.view(),
      testSource: (a) => {
        const saved = readSavedSettings(dataDir);
        return probeSource({ kind: a.sourceKind, address: a.address, token: a.feedToken ?? saved.feedToken ?? undefined, rooms: a.rooms, ordersFile: a.ordersFile, dataDir });
      },
      saveSettings: (a) => {
        const given = a.settings;
        const saved = readSavedSettings(dataDir);
        // The page never sees the token: leaving it out keeps the saved one; null clears it.
        // A form saves its own fields: what it leaves out (the operator, when saving the feed) stays.
        const next = { ...saved, ...given, feedToken: given.feedToken === undefined ? saved.feedToken : given.feedToken };
        // Settings the next start could not run on are refused here, not found out at that start.
        const problem = savedSettingsProblem(next, dataDir, Object.keys(given));
        if (problem) throw new Error(`not saved: ${problem}`);
        writeSavedSettings(dataDir, next);
        return this.view();
      },
    };
  }
}
