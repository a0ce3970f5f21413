/**
 * The core inside Electron's utility process: off the window's main thread, so SQLite commits
 * and feed bursts never freeze the UI. Talks to the main process over `process.parentPort`:
 * `{ id, name, args }` requests in, `{ id, reply }` and `{ push }` out.
 */
import { Core, coreOptionsFrom } from '../core.ts';
import { loadConfig } from '../config.ts';
import type { Push, Reply } from '../../../shared/contract.ts';

export type HostRequest = { id: number; name: string; args: unknown } | { id: number; name: '__stop'; args?: undefined };
export type HostMessage = { id: number; reply: Reply<unknown> } | { push: Push } | { fatal: string } | { ready: true };

interface ParentPort {
  on(event: 'message', listener: (e: { data: HostRequest }) => void): void;
  postMessage(message: HostMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-host must run in an Electron utility process');
const port = parentPort;

async function run(): Promise<void> {
  const config = loadConfig();
  const core = await Core.start(coreOptionsFrom(config, (l) => console.error(l)));
  core.onPush((push) => port.postMessage({ push }));
  port.on('message', ({ data }) => {
    if (data.name === '__stop') {
      void core.stop().then(() => port.postMessage({ id: data.id, reply: { ok: true, value: null } }));
      return;
    }
    void core.request(data.name, data.args).then((reply) => port.postMessage({ id: data.id, reply }));
  });
  port.postMessage({ ready: true });
}

run().catch((e: unknown) => {
  port.postMessage({ fatal: e instanceof Error ? e.message : String(e) });
});
