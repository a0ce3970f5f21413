/**
 * The core inside Electron's utility process: off the window's main thread, so SQLite commits
 * and feed bursts never freeze the UI. Talks to the main process over `process.parentPort`
 * (serve-core.ts has the protocol), which also brings the accounts vault's keychain key.
 */
import { serveCore, type ParentPort } from './serve-core.ts';

export type { HostMessage, HostRequest, VaultKeyMessage } from './serve-core.ts';

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-host must run in an Electron utility process');
void serveCore(parentPort, undefined, { desktopKey: true });
