/**
 * A second process writing the same account vault, as the desktop app and `lcr auth` would:
 * `write-many` saves `count` accounts named `<prefix>-<n>` one after another and rotates one shared
 * account's token at every step; `crash-before-rename` saves once and is killed (SIGKILL) after
 * the new file is written and synced but before it replaces the old one.
 * Argument: one JSON object { mode, dataDir, keyFile, prefix?, count? }.
 */
import { FileVault } from '../../electron/core/secrets/file-vault.ts';
import { fileKeyProvider } from '../../electron/core/secrets/keys.ts';
import type { AccountRecord } from '../../electron/core/secrets/types.ts';

const a = JSON.parse(process.argv[2] ?? '{}') as { mode: string; dataDir: string; keyFile: string; prefix?: string; count?: number; token?: string };

function record(account: string, token: string, platform: AccountRecord['platform'] = 'qianchuan'): AccountRecord {
  return { platform, account, appId: 'app-1', appSecret: `app-secret-of-${account}`, accessToken: `access-${token}`, refreshToken: `refresh-${token}`, accessExpiresAt: 1_700_000_000_000, refreshExpiresAt: 1_800_000_000_000, updatedAt: 1 };
}

async function main(): Promise<void> {
  const keys = [fileKeyProvider({ path: a.keyFile, dataDir: a.dataDir })];
  if (a.mode === 'write-many') {
    const vault = new FileVault({ dataDir: a.dataDir, keys });
    for (let i = 0; i < (a.count ?? 10); i++) await vault.save(record(`${a.prefix}-${i}`, `${a.prefix}-${i}`));
    process.send?.({ done: true });
    return;
  }
  if (a.mode === 'crash-before-rename') {
    const vault = new FileVault({
      dataDir: a.dataDir,
      keys,
      beforeRename: () => {
        process.send?.({ renaming: true });
        process.kill(process.pid, 'SIGKILL');
        // Not reached: SIGKILL ends the process before the rename.
        return new Promise<void>(() => {});
      },
    });
    await vault.save(record('crash', a.token ?? 'new'));
  }
}

void main().catch((e: unknown) => {
  process.send?.({ error: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
