/**
 * The benchmark's relay in its own process (started by relay-link.ts; not meant to be run by
 * hand). It generates the stream from the seed it is given, listens on loopback, and publishes
 * when the parent says `run`, so the parent's main thread carries only the core.
 */
import type { FromChild, ToChild } from './relay-link.ts';
import { newRelay, untilWebsocket } from './relay-link.ts';
import { publish } from './publisher.ts';
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
      untilWebsocket(relay)
        .then(() =>
          publish(relay, streams, m.opts, {
            stored: () => stored,
            onFlush: (published, at) => {
              if (at - lastProgressAt < 50) return;
              lastProgressAt = at;
              send({ type: 'flush', published, at });
            },
          }),
        )
        .then((result) => send({ type: 'done', result }))
        .catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    }
  });
  // The parent went away (finished or crashed): nothing left to serve.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url, checksum: streamChecksum(streams), total: streams.reduce((s, r) => s + r.bodies.length, 0) });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
