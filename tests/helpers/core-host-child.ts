/**
 * The Electron utility host's code (electron/core/host/serve-core.ts) in a plain Node child: the
 * parent port is the child's IPC channel. A test sends `{ data }` messages as main would and
 * reads the host's messages back; `{ fault: true }` raises the faults fault-preload.mjs raises.
 * With `--desktop-key` it waits for main's `{ vaultKey }` message as the desktop app's host does.
 */
import { serveCore, type ParentPort, type HostMessage } from '../../electron/core/host/serve-core.ts';

const port: ParentPort = {
  on(_event, listener) {
    process.on('message', (m: { data?: unknown; fault?: boolean }) => {
      if (m.fault) {
        void Promise.reject(new Error('injected fault: a promise nobody awaited'));
        setImmediate(() => {
          throw new Error('injected fault: a throw in a callback');
        });
        return;
      }
      listener({ data: m.data });
    });
  },
  postMessage(message: HostMessage) {
    process.send?.(message);
  },
};

void serveCore(port, undefined, { desktopKey: process.argv.includes('--desktop-key') });
