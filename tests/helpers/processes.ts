import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { waitFor } from './util.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LCR = fileURLToPath(new URL('../../electron/bin/lcr.mjs', import.meta.url));

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `lcr …` as a real process with its own environment. */
export function lcr(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [LCR, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs `lcr …` to completion. */
export async function lcrRun(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = lcr(args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

export interface BrowserApp {
  child: ChildProcess;
  /** The page's URL with its token, from the one "Control room: <url>" line. */
  url: string;
  /** Everything the app printed so far (stdout and stderr). */
  output(): string;
}

/** `npm start`'s launcher in browser mode, as a new user starts it, on the given environment. */
export async function startBrowserApp(env: Record<string, string>): Promise<BrowserApp> {
  let out = '';
  const child = spawn(process.execPath, [join(ROOT, 'electron/bin/start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, LCR_BROWSER: '1', LCR_NO_OPEN: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await waitFor(() => /Control room: (\S+)/.exec(out)?.[1] ?? (child.exitCode !== null ? `exited: ${out.slice(-500)}` : null), 'the "Control room: <url>" line', 60_000);
  if (url.startsWith('exited: ')) throw new Error(`the app stopped before it served the page: ${url.slice(8)}`);
  return { child, url, output: () => out };
}
