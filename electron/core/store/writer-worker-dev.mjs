// Runs the TypeScript writer worker from source (a checkout, the tests): Node 20 ignores
// `--import` loaders passed to a worker's execArgv, so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./writer-worker.ts');
