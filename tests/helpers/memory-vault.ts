/**
 * A SecretVault in memory, for tests of platform clients: `save` replaces the whole record at once
 * (what the real vault guarantees on disk) and keeps a copy of every record written, so a test can
 * check that each write held a matching pair.
 */
import type { AccountRecord, AccountStatus, PlatformName, SecretVault } from '../../electron/core/secrets/types.ts';

export class MemoryVault implements SecretVault {
  readonly where = 'memory (test)';
  private readonly records = new Map<string, AccountRecord>();
  /** Every record saved, in order (copies). */
  readonly saves: AccountRecord[] = [];
  loads = 0;

  constructor(seed: AccountRecord[] = []) {
    for (const r of seed) this.records.set(`${r.platform}/${r.account}`, { ...r });
  }

  async load(platform: PlatformName, account: string): Promise<AccountRecord | null> {
    this.loads++;
    const r = this.records.get(`${platform}/${account}`);
    return r ? { ...r } : null;
  }

  async save(record: AccountRecord): Promise<void> {
    const copy = { ...record };
    this.saves.push(copy);
    this.records.set(`${record.platform}/${record.account}`, { ...copy });
  }

  async remove(platform: PlatformName, account: string): Promise<void> {
    this.records.delete(`${platform}/${account}`);
  }

  async list(): Promise<AccountStatus[]> {
    return [...this.records.values()].map((r) => ({ platform: r.platform, account: r.account, appId: r.appId, hasToken: r.accessToken !== null, accessExpiresAt: r.accessExpiresAt, refreshExpiresAt: r.refreshExpiresAt, updatedAt: r.updatedAt }));
  }

  /** The current record (a copy), synchronously, for assertions. */
  peek(platform: PlatformName, account: string): AccountRecord | undefined {
    const r = this.records.get(`${platform}/${account}`);
    return r ? { ...r } : undefined;
  }
}
