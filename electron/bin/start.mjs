#!/usr/bin/env node
// `npm start` (CONTRACTS.md): the Electron desktop app where Electron can run, otherwise — or with
// LCR_BROWSER=1 — browser mode, the same UI served on loopback. Builds the UI on first start.
import { existsSync, readFileSync, statSync, readdirSync, mkdirSync, cpSync, rmSync, copyFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const say = (m) => console.error(`[start] ${m}`);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function stale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((d) => newestMtime(join(root, d)) > built);
}

async function build(which) {
  const { buildRenderer, buildElectron } = await import('./build.mjs');
  if (which === 'renderer') await buildRenderer();
  else await buildElectron();
}

/** Electron's binary comes on first use (electron ≥ 36 has no postinstall); offline, it cannot. */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { ok: false, why: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  const have = () => existsSync(pathFile) && existsSync(join(pkg, 'dist', readFileSync(pathFile, 'utf8')));
  if (!have() && !process.env.CI && process.env.LCR_NO_ELECTRON_DOWNLOAD !== '1') {
    say("downloading Electron's binary (once)…");
    const r = spawnSync(process.execPath, [join(pkg, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, why: `Electron's binary could not be downloaded (${(r.stderr || '').split('\n').find((l) => l.trim()) ?? 'offline?'})` };
  }
  if (!have()) return { ok: false, why: "Electron's binary is not installed" };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { ok: false, why: 'no display (DISPLAY is not set)' };
  return { ok: true, path: join(pkg, 'dist', readFileSync(pathFile, 'utf8')), version: JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version };
}

/**
 * better-sqlite3 is built for Node (CLI, tests). Electron needs the same module built for its own
 * ABI; we build a second copy into .lcr/ once per Electron version and point the core at it.
 */
function electronSqliteBinding(electronVersion) {
  const out = join(root, '.lcr', 'electron-sqlite', electronVersion, 'better_sqlite3.node');
  if (existsSync(out)) return out;
  say(`building better-sqlite3 for Electron ${electronVersion} (once)…`);
  const work = join(tmpdir(), `lcr-sqlite-electron-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true, filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`) });
  let gyp;
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'), process.env.npm_execpath ? dirname(dirname(process.env.npm_execpath)) : root] });
  } catch {
    return null;
  }
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
    cwd: work,
    stdio: 'inherit',
  });
  if (r.status !== 0) return null;
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), out);
  rmSync(work, { recursive: true, force: true });
  return out;
}

async function startBrowser(reason) {
  if (reason) say(`${reason} → browser mode (set LCR_BROWSER=1 to choose it directly)`);
  if (stale(join(root, 'dist', 'renderer', 'index.html'), ['renderer', 'shared'])) {
    say('building the UI…');
    await build('renderer');
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { runBrowserMode } = await import('../core/host/browser-main.ts');
  await runBrowserMode();
}

async function startElectron(electron) {
  if (stale(join(root, 'dist', 'renderer', 'index.html'), ['renderer', 'shared'])) await build('renderer');
  if (stale(join(root, 'dist', 'electron', 'main.cjs'), ['electron', 'shared'])) await build('electron');
  const binding = electronSqliteBinding(electron.version);
  if (!binding) return startBrowser('better-sqlite3 could not be built for Electron');
  const child = spawn(electron.path, [root], { stdio: 'inherit', env: { ...process.env, LCR_SQLITE_BINDING: binding } });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

try {
  if (process.env.LCR_BROWSER === '1') await startBrowser();
  else {
    const electron = electronBinary();
    if (electron.ok) await startElectron(electron);
    else await startBrowser(electron.why);
  }
} catch (e) {
  console.error(`lcr: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
