/**
 * The core served over a parent port (Electron's utility process, utility.ts): `{ id, name, args }`
 * requests in, `{ id, reply }`, `{ push }`, `{ warning }`, `{ ready }` and `{ fatal }` out. A stray
 * fault is logged and the core keeps running (safety-net.ts); if the process dies anyway, the
 * shell restarts it (electron/main/core-supervisor.ts). Plain Node, so the tests drive it too.
 */
import { Core } from '../core.ts';
import { coreOptionsFrom } from '../options.ts';
import { loadConfig } from '../config.ts';
import type { Push, Reply } from '../../../shared/contract.ts';
import { installSafetyNet } from './safety-net.ts';

export type HostRequest = { id: number; name: string; args: unknown } | { id: number; name: '__stop'; args?: undefined };
export type HostMessage = { id: number; reply: Reply<unknown> } | { push: Push } | { fatal: string } | { ready: true } | { warning: string };

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

/** Serves the core on a parent port; returns once the core is up (or has reported why not). */
export async function serveCore(port: ParentPort, log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  installSafetyNet(log, 'core');
  try {
    const config = loadConfig();
    for (const w of config.warnings) port.postMessage({ warning: w });
    const core = await Core.start(coreOptionsFrom(config, log));
    core.onPush((push) => port.postMessage({ push }));
    port.on('message', ({ data }) => {
      const req = asRequest(data);
      if (!req) {
        log('core: ignored a message from the shell that is not a request');
        return;
      }
      if (req.name === '__stop') {
        void core.stop().then(() => port.postMessage({ id: req.id, reply: { ok: true, value: null } }));
        return;
      }
      void core.request(req.name, req.args).then(
        (reply) => port.postMessage({ id: req.id, reply }),
        (e: unknown) => port.postMessage({ id: req.id, reply: { ok: false, error: `the request failed: ${e instanceof Error ? e.message : String(e)}` } }),
      );
    });
    port.postMessage({ ready: true });
  } catch (e) {
    port.postMessage({ fatal: e instanceof Error ? e.message : String(e) });
  }
}
