// `npm run build`: the renderer with Vite, the Electron main/preload/core bundles with esbuild.
// Browser mode and the CLI run the TypeScript sources through tsx and need only the renderer.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { copyFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Imported by start.mjs (which builds only what it needs) or run as a script: `npm run build [renderer|electron]`.
const asScript = Boolean(process.argv[1]) && fileURLToPath(import.meta.url) === process.argv[1];
const only = asScript ? process.argv[2] : 'none';

export async function buildRenderer() {
  await viteBuild({ configFile: join(root, 'renderer', 'vite.config.ts') });
}

export async function buildElectron() {
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
  // Main and preload are CommonJS: Electron's sandboxed preload cannot be an ES module.
  await esbuild({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'] });
  await esbuild({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
  // The core for the utility process, and its SQLite writer thread, as ES modules next to each other
  // (write-queue.ts finds writer-worker.mjs beside the bundle). better-sqlite3 stays a native dependency;
  // exceljs stays a package, loaded only when a file is imported.
  await esbuild({
    ...common,
    entryPoints: { 'core-host': 'electron/core/host/utility.ts', 'writer-worker': 'electron/core/store/writer-worker.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate', 'exceljs'],
    banner: { js: "import { createRequire as __lcrCreateRequire } from 'node:module'; const require = __lcrCreateRequire(import.meta.url);" },
  });
  // The PostgreSQL bridge's worker is plain JavaScript over the `pg` package: copied, found beside the bundle as in the sources.
  copyFileSync(join(root, 'electron/core/store/pg/bridge-worker.mjs'), join(root, 'dist/electron/bridge-worker.mjs'));
}

if (!only || only === 'renderer') await buildRenderer();
if (!only || only === 'electron') await buildElectron();
