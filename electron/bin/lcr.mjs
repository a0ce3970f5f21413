#!/usr/bin/env node
// The `lcr` executable: runs the TypeScript core through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/lcr.ts');
const code = await main(process.argv.slice(2));
// Long-running commands return only when stopped; short ones may leave sockets closing.
process.exitCode = code;
if (code !== 0 || process.argv[2] !== 'simulate') setTimeout(() => process.exit(code), 50).unref();
