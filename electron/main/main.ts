/**
 * Electron main: windows, lifecycle and wiring only. The work happens in the core, which runs
 * in a utility process; main relays validated requests to it and its pushes to the window.
 * Secure by default (P1): context isolation, sandbox, no Node in pages, CSP, no navigation,
 * no new windows, no permissions, IPC only from our own page.
 */
import { app, BrowserWindow, ipcMain, session, shell, utilityProcess, dialog, type UtilityProcess, type IpcMainInvokeEvent } from 'electron';
import { join, dirname, resolve, sep } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { IPC_PUSH, IPC_REQUEST } from '../../shared/ipc.ts';
import { RequestSchemas, isRequestName, type Reply } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/ui-channel.ts';
import type { HostMessage, HostRequest } from '../core/host/utility.ts';

const distDir = __dirname; // dist/electron
const rendererIndex = join(distDir, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).toString();

let win: BrowserWindow | null = null;
let core: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (r: Reply<unknown>) => void>();

app.enableSandbox();

function startCore(): void {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  // Packaged, the scenarios sit unpacked beside the asar archive (electron-builder.yml asarUnpack).
  env.LCR_ASSETS_DIR ??= join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'assets');
  env.LCR_DATA_DIR ??= app.getPath('userData');
  const coreEntry = join(distDir.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'), 'core-host.mjs');
  core = utilityProcess.fork(coreEntry, [], { env, serviceName: 'Live Control Room core', stdio: 'inherit' });
  core.on('message', (msg: HostMessage) => {
    if ('push' in msg) win?.webContents.send(IPC_PUSH, msg.push);
    else if ('id' in msg) {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    } else if ('fatal' in msg) {
      dialog.showErrorBox('Live Control Room', `The core could not start: ${msg.fatal}`);
      app.quit();
    }
  });
  core.on('exit', (code) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: `core stopped (${code})` });
    pending.clear();
    core = null;
  });
}

function callCore(name: string, args: unknown): Promise<Reply<unknown>> {
  const c = core;
  if (!c) return Promise.resolve({ ok: false, error: 'the core is not running' });
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    c.postMessage({ id, name, args } satisfies HostRequest);
  });
}

/** One handler for every request: checks the sender is our page and validates the arguments. */
function handleRequest(event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<Reply<unknown>> | Reply<unknown> {
  if (!event.senderFrame || event.senderFrame.url.split('#')[0] !== rendererUrl) return { ok: false, error: 'forbidden sender' };
  if (!isRequestName(name)) return { ok: false, error: 'unknown request' };
  const parsed = RequestSchemas[name].safeParse(args ?? {});
  if (!parsed.success) return { ok: false, error: `bad arguments: ${parsed.error.issues[0]?.message ?? ''}` };
  if (name === 'exportReport' && (parsed.data as { format: string }).format === 'pdf') return exportPdf(parsed.data as { sessionId: string; format: 'pdf'; locale?: 'zh-CN' | 'en' });
  if (name === 'revealExport') return reveal((parsed.data as { path: string }).path);
  return callCore(name, parsed.data);
}

/**
 * R8 in the desktop app: the core writes the report's self-contained HTML, and Electron's own
 * Chromium prints it (webContents.printToPDF) — no separate browser needed. The page is ours,
 * script-free, loaded from a file in a hidden, sandboxed window with JavaScript off.
 */
async function exportPdf(args: { sessionId: string; locale?: 'zh-CN' | 'en' }): Promise<Reply<unknown>> {
  const html = await callCore('exportReport', { sessionId: args.sessionId, format: 'html', locale: args.locale });
  if (!html.ok) return html;
  const htmlPath = (html.value as { path: string }).path;
  const pdfPath = htmlPath.replace(/\.html$/, '.pdf');
  const printer = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
  try {
    await printer.loadFile(htmlPath);
    const pdf = await printer.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
    await writeFile(pdfPath, pdf);
    return { ok: true, value: { path: pdfPath, files: [pdfPath] } };
  } catch (e) {
    return { ok: false, error: `could not print the PDF: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    printer.destroy();
    await rm(htmlPath, { force: true });
  }
}

/** Only files in the data folder's exports/ are shown: the page cannot point the file manager elsewhere. */
function reveal(path: string): Reply<unknown> {
  const exportsDir = resolve(process.env.LCR_DATA_DIR ?? app.getPath('userData'), 'exports');
  const file = resolve(path);
  if (dirname(file) !== exportsDir || !file.startsWith(exportsDir + sep)) return { ok: false, error: 'not an exported report' };
  shell.showItemInFolder(file);
  return { ok: true, value: { revealed: true } };
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#0e1320',
    title: '直播中控室 · Live Control Room',
    webPreferences: {
      preload: join(distDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click must not open links in new windows (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== rendererUrl) e.preventDefault();
  });
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  void win.loadFile(rendererIndex);
  win.on('closed', () => (win = null));
}

function openExternal(url: string): void {
  // Only web links leave the app, and only to the system browser.
  if (/^https:\/\//.test(url)) void shell.openExternal(url);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void app.whenReady().then(() => {
  // Desktop notifications for alerts (L4) are the one permission the page gets.
  session.defaultSession.setPermissionRequestHandler((_wc, perm, cb) => cb(perm === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_wc, perm) => perm === 'notifications');
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ipcMain.handle(IPC_REQUEST, handleRequest);
  startCore();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !core) return;
  // Let the core flush the store before the process goes.
  e.preventDefault();
  quitting = true;
  void Promise.race([callCore('__stop', undefined), new Promise((r) => setTimeout(r, 5000))]).then(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
