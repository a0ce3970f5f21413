/**
 * `npm start` in browser mode: core + UI server in one Node process. Prints the one line
 * CONTRACTS.md promises, opens the system browser unless LCR_NO_OPEN=1, and on SIGINT/SIGTERM
 * stops the feed and flushes the store before exiting.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Core } from '../core.ts';
import { coreOptionsFrom } from '../options.ts';
import { BrowserHost } from './browser.ts';
import type { SharedRooms } from '../cluster/cluster.ts';
import { appRoot, loadConfig, type Config } from '../config.ts';
import { installSafetyNet } from './safety-net.ts';
import { openVault } from '../secrets/open.ts';
import { registerEnvSecrets, seedFromEnv } from '../secrets/accounts.ts';
import { redactSecrets, redactedMessage } from '../secrets/redact.ts';

export async function runBrowserMode(): Promise<void> {
  const config = loadConfig();
  for (const w of config.warnings) console.error(`WARNING: ${w}`);
  await serveControlRoom(config, { open: !config.noOpen, name: 'browser mode' });
}

/**
 * The core and the desks' pages in this process until SIGINT/SIGTERM: browser mode (`npm start`
 * without Electron, opening the system browser) and `lcr serve` (headless, for a server). Prints
 * the `Control room:` line, notes where it listens for `lcr invite`, and on a stop flushes the
 * store before anything else.
 */
export async function serveControlRoom(config: Config, o: { open: boolean; name: string; shared?: SharedRooms }): Promise<void> {
  registerEnvSecrets(process.env);
  // From here on a stray fault is logged and the room stays up (safety-net.ts).
  installSafetyNet((l) => console.error(l), o.name);
  const staticDir = join(appRoot(), 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`the UI is not built (${staticDir}); run npm run build`);
  // Browser mode has no OS keychain of its own: the accounts' key is the key file outside the data folder.
  const warnAccounts = (w: string) => console.error(`WARNING: accounts: ${redactSecrets(w)}`);
  const vault = openVault({ dataDir: config.dataDir, onWarning: warnAccounts });
  // Seeded before the sources start, so a platform source finds its account at its first poll.
  await seedFromEnv(process.env, vault, Date.now()).then(
    (r) => r.warnings.forEach(warnAccounts),
    (e: unknown) => warnAccounts(redactedMessage(e)),
  );
  const shared = o.shared;
  // Sharing rooms: the core starts holding none; the leases hand it its share before it serves the desks.
  const core = await Core.start({ ...coreOptionsFrom(config, (l) => console.error(l), vault), ...(shared ? { rooms: [], sharedRooms: true } : {}) });
  const host = await BrowserHost.start(core, {
    host: config.host,
    port: config.port,
    staticDir,
    exportsDir: join(config.dataDir, 'exports'),
    token: browserToken(config.dataDir),
    log: (l) => console.error(redactSecrets(l)),
    shared,
  });
  if (shared) {
    await shared.start(core);
    console.error(`Rooms held by this process: ${shared.held().join(', ') || 'none yet (the others hold their share)'}`);
  }
  console.log(`Control room: ${host.url}`);
  writeServing(config.dataDir, host.base, host.reachable);
  if (host.reachable) {
    // LCR_HOST beyond loopback: say so plainly, and where others reach it (the token stays in the one line above).
    console.error(`WARNING: LCR_HOST=${config.host} listens beyond this computer: anyone on the network who has the link with its token can open the control room.`);
    console.error(`  Reachable at: ${host.reachable.join('  ')} (add the ?token=… of the Control room line)`);
  }
  console.error(`Data: ${config.dataDir}` + (core.simulatorUrl ? ` · embedded simulator at ${config.speed}× (LCR_SPEED)` : ` · feed ${config.feedUrl}`));
  if (o.open) openBrowser(host.url);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping, flushing the store…`);
    // Nothing may keep the process alive after a stop was asked for: a last resort after 15 s.
    setTimeout(() => {
      console.error('stop: did not finish within 15 s, exiting');
      process.exit(1);
    }, 15_000).unref();
    void (async () => {
      // The store first: acknowledged data is what must not be lost. Then the rooms go back, for the
      // other processes to take at once from where this one stopped.
      await core.stop();
      await shared?.stop();
      await host.stop();
      clearServing(config.dataDir);
      process.exit(0);
    })().catch((e: unknown) => {
      console.error(`stop failed: ${redactedMessage(e)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * The page's access token, kept in the data folder (readable by its owner only) so a restarted app
 * answers the same link: an open page reconnects by itself after a crash or a restart, and a
 * bookmarked wall screen keeps working. Deleting the file gives a new link at the next start.
 */
export function browserToken(dataDir: string): string {
  const file = join(dataDir, 'browser-token');
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{20,100}$/.test(t)) return t;
  } catch {
    // none yet, or unreadable: a new one
  }
  const token = randomBytes(18).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file + '.tmp', token + '\n', { mode: 0o600 });
    renameSync(file + '.tmp', file);
  } catch {
    // a read-only folder: this run's link only
  }
  return token;
}

/**
 * Where this app serves pages, for `lcr invite` to build a teammate's link on (no token in it).
 * Removed at a clean stop; one left by a crash names the last address, which the next start replaces.
 */
export function writeServing(dataDir: string, url: string, reachable: string[] | null): void {
  const file = join(dataDir, 'serving.json');
  try {
    writeFileSync(file + '.tmp', JSON.stringify({ url, reachable, pid: process.pid }) + '\n');
    renameSync(file + '.tmp', file);
  } catch {
    // a read-only folder: lcr invite prints the configured host and port instead
  }
}

export function clearServing(dataDir: string): void {
  rmSync(join(dataDir, 'serving.json'), { force: true });
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`Open ${url} in a browser (no system browser launcher found).`));
    child.unref();
  } catch {
    console.error(`Open ${url} in a browser.`);
  }
}
