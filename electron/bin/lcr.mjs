#!/usr/bin/env node
// The `lcr` executable: runs the TypeScript core through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

// A reader that went away (`lcr sessions --json | head -1`) is not an error of ours: stop quietly.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

register();
const { main } = await import('../core/cli/lcr.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Output to a pipe or a file is written asynchronously: everything printed must be handed to the
// OS before we exit (exiting 50 ms after main returned cut large --json documents off).
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Long-running commands return only when stopped; short ones may leave sockets closing.
if (code !== 0 || process.argv[2] !== 'simulate') setTimeout(() => process.exit(code), 50).unref();

/** Resolves once everything written to `stream` so far has been flushed (an empty write's callback comes after the others'). */
function flushed(stream) {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}
