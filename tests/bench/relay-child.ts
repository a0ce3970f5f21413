/**
 * The benchmark's relay in its own process (started by relay-link.ts; not meant to be run by
 * hand). It generates the stream from the seed it is given, listens on loopback, and publishes
 * when the parent says `run`, so the parent's main thread carries only the core.
 */
import type { FromChild, ToChild } from './relay-link.ts';
import { newRelay, untilWebsocket } from './relay-link.ts';
import { io } from 'socket.io-client';
import { PROBE_BASE, publish, wallNow, type HubOptions } from './publisher.ts';
import type { ProbeResult } from './relay-link.ts';
import type { Push } from '../../shared/contract.ts';
import { generateStreams, streamChecksum, type StreamOptions } from './stream.ts';

function send(m: FromChild): void {
  process.send?.(m);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('relay-child.ts runs under the ingest benchmark (it needs an IPC channel)');
  const cfg = JSON.parse(process.argv[2] ?? '{}') as StreamOptions;
  const streams = generateStreams(cfg);
  const relay = newRelay(streams);
  const url = await relay.listen();
  let stored = 0;
  // Progress to the parent at most every 50 ms: in max mode a message per flush would cost the
  // core's thread more than the figure is worth.
  let lastProgressAt = 0;

  process.on('message', (m: ToChild) => {
    if (m.type === 'stored') stored = m.n;
    else if (m.type === 'close') {
      void relay.close().then(() => process.exit(0));
    } else if (m.type === 'run') {
      const desk = m.opts.mode === 'hub' ? watchDesk(m.opts) : null;
      untilWebsocket(relay)
        .then(async () => {
          await desk?.ready;
          return publish(relay, streams, m.opts, {
            stored: () => stored,
            onFlush: (published, at) => {
              if (at - lastProgressAt < 50) return;
              lastProgressAt = at;
              send({ type: 'flush', published, at });
            },
            onProbe: (online, at) => desk?.sent(online, at),
          });
        })
        .then(async (result) => {
          // The last probes get the time a push takes to come.
          if (desk) await new Promise((r) => setTimeout(r, 2000));
          send({ type: 'done', result, probes: desk?.result() });
          desk?.close();
        })
        .catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    }
  });
  // The parent went away (finished or crashed): nothing left to serve.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url, checksum: streamChecksum(streams), total: streams.reduce((s, r) => s + r.bodies.length, 0) });
}

/**
 * bench:hub's desk: a browser-mode page's channel, in this process (the world outside the core),
 * timing each probe from the relay's flush to the room push that shows its online count.
 */
function watchDesk(opts: HubOptions): { ready: Promise<void>; sent(online: number, at: number): void; result(): ProbeResult; close(): void } {
  const sentAt = new Map<number, number>();
  const latenciesMs: number[] = [];
  let sent = 0;
  const socket = io(`${opts.desk.url}/ui`, { auth: { token: opts.desk.token }, transports: ['websocket'] });
  socket.on('push', (p: Push) => {
    if (p.topic !== 'room') return;
    const online = p.payload.view.kpis?.onlineNow ?? null;
    if (online === null || online < PROBE_BASE) return;
    const at = sentAt.get(online);
    if (at === undefined) return;
    sentAt.delete(online);
    latenciesMs.push(wallNow() - at);
  });
  return {
    ready: new Promise((resolve) => socket.once('connect', () => resolve())),
    sent(online, at) {
      sent++;
      sentAt.set(online, at);
    },
    result: () => ({ sent, latenciesMs }),
    close: () => socket.close(),
  };
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
