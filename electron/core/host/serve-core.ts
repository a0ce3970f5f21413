/**
 * The core served over a parent port (Electron's utility process, utility.ts): `{ id, name, args }`
 * requests in, `{ id, reply }`, `{ push }`, `{ warning }`, `{ ready }` and `{ fatal }` out. A stray
 * fault is logged and the core keeps running (safety-net.ts); if the process dies anyway, the
 * shell restarts it (electron/main/core-supervisor.ts). Plain Node, so the tests drive it too.
 *
 * In the desktop app, main also sends `{ vaultKey }` once, right after starting the process: the
 * accounts vault's key from the OS keychain (secrets/desktop-key.ts). It travels over this channel
 * only — never the environment or the command line, which other processes can read. Every error
 * text and log line leaving here passes the one redaction rule (secrets/redact.ts).
 */
import { Core } from '../core.ts';
import { coreOptionsFrom } from '../options.ts';
import { loadConfig } from '../config.ts';
import type { Push, Reply } from '../../../shared/contract.ts';
import { installSafetyNet } from './safety-net.ts';
import { isKeyHandover, type KeyHandover } from '../secrets/keys.ts';
import { openVault } from '../secrets/open.ts';
import { registerEnvSecrets, seedFromEnv } from '../secrets/accounts.ts';
import { redactSecrets, redactedMessage } from '../secrets/redact.ts';
import type { SecretVault } from '../secrets/types.ts';

export type HostRequest = { id: number; name: string; args: unknown } | { id: number; name: '__stop'; args?: undefined };
export type HostMessage = { id: number; reply: Reply<unknown> } | { push: Push } | { fatal: string } | { ready: true } | { warning: string };
/** Main → core, once: the vault key from the OS keychain, or why there is none. */
export interface VaultKeyMessage {
  vaultKey: KeyHandover;
}

export interface ServeCoreOptions {
  /** The desktop app: wait for main's `{ vaultKey }` and prefer the keychain for a new vault. */
  desktopKey?: boolean;
}

export interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: HostMessage): void;
}

/** A message from main that is a request; anything else (a bug in main) is ignored rather than thrown on. */
export function asRequest(data: unknown): HostRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const r = data as { id?: unknown; name?: unknown; args?: unknown };
  return Number.isSafeInteger(r.id) && typeof r.name === 'string' ? ({ id: r.id as number, name: r.name, args: r.args } as HostRequest) : null;
}

function isVaultKeyMessage(data: unknown): data is VaultKeyMessage {
  return typeof data === 'object' && data !== null && isKeyHandover((data as { vaultKey?: unknown }).vaultKey);
}

/** The first `{ vaultKey }` main sends; the port queues messages until this first listener is attached. */
function keyHandover(port: ParentPort): Promise<KeyHandover> {
  return new Promise((resolve) => {
    port.on('message', ({ data }) => {
      if (isVaultKeyMessage(data)) resolve(data.vaultKey);
    });
  });
}

/** The accounts vault, with the environment's accounts stored in it; a problem is a warning, never a stop (the room runs without accounts). */
async function startVault(port: ParentPort, dataDir: string, handover: Promise<KeyHandover> | undefined): Promise<SecretVault> {
  const warn = (w: string) => port.postMessage({ warning: redactSecrets(`accounts: ${w}`) });
  const vault = openVault({ dataDir, handover, onWarning: warn });
  // Seeded before the sources start, so a platform source finds its account at its first poll.
  await seedFromEnv(process.env, vault, Date.now()).then(
    (r) => r.warnings.forEach(warn),
    (e: unknown) => warn(redactedMessage(e)),
  );
  return vault;
}

/** Serves the core on a parent port; returns once the core is up (or has reported why not). */
export async function serveCore(port: ParentPort, log: (line: string) => void = (l) => console.error(l), opts: ServeCoreOptions = {}): Promise<void> {
  registerEnvSecrets(process.env);
  installSafetyNet(log, 'core');
  const handover = opts.desktopKey ? keyHandover(port) : undefined;
  try {
    const config = loadConfig();
    for (const w of config.warnings) port.postMessage({ warning: w });
    const vault = await startVault(port, config.dataDir, handover);
    const core = await Core.start(coreOptionsFrom(config, log, vault));
    core.onPush((push) => port.postMessage({ push }));
    port.on('message', ({ data }) => {
      const req = asRequest(data);
      if (!req) {
        if (isVaultKeyMessage(data)) return;
        log('core: ignored a message from the shell that is not a request');
        return;
      }
      if (req.name === '__stop') {
        void core.stop().then(() => port.postMessage({ id: req.id, reply: { ok: true, value: null } }));
        return;
      }
      void core.request(req.name, req.args).then(
        (reply) => port.postMessage({ id: req.id, reply: reply.ok ? reply : { ok: false, error: redactSecrets(reply.error) } }),
        (e: unknown) => port.postMessage({ id: req.id, reply: { ok: false, error: `the request failed: ${redactedMessage(e)}` } }),
      );
    });
    port.postMessage({ ready: true });
  } catch (e) {
    port.postMessage({ fatal: redactedMessage(e) });
  }
}
