/**
 * Where the benchmark's relay runs. By default in a child process (relay-child.ts), because a
 * real relay is another machine: its publishing and Socket.IO encoding must not show up in the
 * core's event-loop delay or steal the core's main thread. `--relay inproc` runs it on the same
 * thread as the core instead, for comparison (then the loop figures include the relay's work).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'socket.io';
import { FEED_NAMESPACE } from '../../shared/protocol.ts';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { publish, type PublishOptions, type PublishResult } from './publisher.ts';
import { streamChecksum, type RoomStream, type StreamOptions } from './stream.ts';

export type ToChild = { type: 'run'; opts: PublishOptions } | { type: 'stored'; n: number } | { type: 'close' };
export type FromChild =
  | { type: 'ready'; url: string; checksum: string; total: number }
  | { type: 'flush'; published: number; at: number }
  | { type: 'done'; result: PublishResult; probes?: ProbeResult }
  | { type: 'error'; message: string };

/** bench:hub's probes as the desk saw them: relay flush → the desk's push, per probe that arrived. */
export interface ProbeResult {
  sent: number;
  latenciesMs: number[];
}

export interface RelayHandle {
  readonly url: string;
  readonly checksum: string;
  readonly total: number;
  readonly where: 'child' | 'inproc';
  /** The relay's own process, when it has one (for its CPU figure). */
  readonly pid: number | null;
  run(opts: PublishOptions, onFlush?: (published: number, at: number) => void): Promise<PublishResult & { probes?: ProbeResult }>;
  /** Max mode's back-pressure: what the store has committed. */
  setStored(n: number): void;
  close(): Promise<void>;
}

/** A relay in this process, on the core's own thread. */
export async function startInProcessRelay(streams: RoomStream[]): Promise<RelayHandle> {
  const relay = newRelay(streams);
  const url = await relay.listen();
  let stored = 0;
  return {
    url,
    checksum: streamChecksum(streams),
    total: streams.reduce((s, r) => s + r.bodies.length, 0),
    where: 'inproc',
    pid: null,
    async run(opts, onFlush) {
      await untilWebsocket(relay);
      return publish(relay, streams, opts, { stored: () => stored, onFlush });
    },
    setStored(n) {
      stored = n;
    },
    close: () => relay.close(),
  };
}

/** A relay in a child process that generates the same stream from the same seed. */
export async function startChildRelay(cfg: StreamOptions): Promise<RelayHandle> {
  const entry = fileURLToPath(new URL('./relay-child.ts', import.meta.url));
  // An absolute loader URL, so the child finds tsx whatever the working directory.
  const child = fork(entry, [JSON.stringify(cfg)], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Extract<FromChild, { type: 'ready' }>>((resolve, reject) => {
    const onMsg = (m: FromChild): void => {
      if (m.type === 'ready') {
        child.off('message', onMsg);
        resolve(m);
      } else if (m.type === 'error') reject(new Error(`relay child: ${m.message}`));
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`relay child exited (${code}) before it was ready`)));
  });
  let lastStored = -1;
  return {
    url: ready.url,
    checksum: ready.checksum,
    total: ready.total,
    where: 'child',
    pid: child.pid ?? null,
    run(opts, onFlush) {
      return new Promise((resolve, reject) => {
        const onMsg = (m: FromChild): void => {
          if (m.type === 'flush') onFlush?.(m.published, m.at);
          else if (m.type === 'done') {
            child.off('message', onMsg);
            resolve({ ...m.result, probes: m.probes });
          } else if (m.type === 'error') {
            child.off('message', onMsg);
            reject(new Error(`relay child: ${m.message}`));
          }
        };
        child.on('message', onMsg);
        send(child, { type: 'run', opts });
      });
    },
    setStored(n) {
      // Only changes cross the process boundary: each IPC message costs the core's thread a parse.
      if (n === lastStored) return;
      lastStored = n;
      send(child, { type: 'stored', n });
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send(child, { type: 'close' });
      await exited;
    },
  };
}

function send(child: ChildProcess, m: ToChild): void {
  if (child.connected) child.send(m);
}

export function newRelay(streams: RoomStream[]): RelayServer {
  const relay = new RelayServer({ host: '127.0.0.1' });
  for (const s of streams) relay.addRoom({ roomId: s.roomId, platform: 'douyin', title: s.title });
  return relay;
}

/**
 * socket.io-client connects over HTTP long-polling and upgrades to a WebSocket a moment later;
 * measuring during the polling phase would measure the wrong transport. RelayServer keeps its
 * Socket.IO server private, and changing it for a benchmark is not worth it, so this one check
 * reaches in.
 */
export async function untilWebsocket(relay: RelayServer, timeoutMs = 10_000): Promise<void> {
  const io = (relay as unknown as { io: Server }).io;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sockets = [...io.of(FEED_NAMESPACE).sockets.values()];
    if (sockets.length && sockets.every((s) => s.conn.transport.name === 'websocket')) return;
    if (Date.now() > deadline) throw new Error(`the feed client did not upgrade to a WebSocket within ${timeoutMs} ms (${sockets.length} sockets)`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
