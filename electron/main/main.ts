/**
 * Electron main: windows, lifecycle and wiring only. The work happens in the core, which runs
 * in a utility process; main relays validated requests to it and its pushes to the window.
 * Secure by default (P1): context isolation, sandbox, no Node in pages, CSP, no navigation,
 * no new windows, no permissions, IPC only from our own page.
 */
import { app, BrowserWindow, ipcMain, safeStorage, session, shell, utilityProcess, dialog, type UtilityProcess, type IpcMainInvokeEvent } from 'electron';
import { join, dirname, resolve, sep } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { IPC_PUSH, IPC_REQUEST } from '../../shared/ipc.ts';
import type { CoreNotice, Push, Reply } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/ui-channel.ts';
import type { HostMessage, HostRequest, VaultKeyMessage } from '../core/host/utility.ts';
import { desktopVaultKey } from '../core/secrets/desktop-key.ts';
import { defaultKeyFile, type KeyHandover } from '../core/secrets/keys.ts';
import { CoreSupervisor } from './core-supervisor.ts';
import { checkIpcRequest } from './ipc-door.ts';
import { remoteControlRoom, staysOnRemote } from './remote.ts';

const distDir = __dirname; // dist/electron
const rendererIndex = join(distDir, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).toString();

let win: BrowserWindow | null = null;
/** The core process serving requests now (null while it restarts). */
let core: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, (r: Reply<unknown>) => void>();
/** Whether any core ever came up: a core that cannot start at all is a dialog, not a notice. */
let everReady = false;
/** What a window that (re)loads must still learn: the settings set aside, and the core's newest state. */
const warnings: CoreNotice[] = [];
let coreState: CoreNotice | null = null;
/** The accounts vault's key from the OS keychain (desktop-key.ts), made ready once the app is. */
let vaultKey: Promise<KeyHandover> = Promise.resolve({ unavailable: 'the app was not ready yet' });

app.enableSandbox();

/** LCR_REMOTE: the window opens a server's control room (remote.ts) and no core starts here. */
const remote = remoteControlRoom(process.env.LCR_REMOTE);

function pushToWindow(p: Push): void {
  win?.webContents.send(IPC_PUSH, p);
}

function notify(n: CoreNotice): void {
  if (n.state === 'warning') warnings.push(n);
  else coreState = n;
  pushToWindow({ topic: 'core', payload: n });
}

/** A dead core is restarted with backoff and the window told (core-supervisor.ts). */
const supervisor = new CoreSupervisor({ spawn: forkCore, notify });

function forkCore() {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  // Packaged, the scenarios sit unpacked beside the asar archive (electron-builder.yml asarUnpack).
  env.LCR_ASSETS_DIR ??= join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'assets');
  env.LCR_DATA_DIR ??= app.getPath('userData');
  const coreEntry = join(distDir.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'), 'core-host.mjs');
  const proc = utilityProcess.fork(coreEntry, [], { env, serviceName: 'Live Control Room core', stdio: 'inherit' });
  core = proc;
  // The key goes over the process's own channel, never the environment or argv (other processes can read those).
  void vaultKey.then((h) => {
    if (core === proc) proc.postMessage({ vaultKey: h } satisfies VaultKeyMessage);
  });
  proc.on('message', (msg: HostMessage) => {
    if ('push' in msg) pushToWindow(msg.push);
    else if ('id' in msg) {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    } else if ('ready' in msg) {
      everReady = true;
      supervisor.ready();
    } else if ('warning' in msg) {
      notify({ state: 'warning', text: msg.warning });
    } else if ('fatal' in msg) {
      supervisor.fatal(msg.fatal);
      if (!everReady) {
        dialog.showErrorBox('Live Control Room', `The core could not start: ${msg.fatal}`);
        app.quit();
      }
    }
  });
  return {
    onExit: (listener: (code: number | null) => void) =>
      proc.on('exit', (code) => {
        if (core === proc) core = null;
        // Requests in flight die with it; the page shows each one's error and can retry.
        for (const resolve of pending.values()) resolve({ ok: false, error: `the core stopped (exit code ${code}); it is being restarted` });
        pending.clear();
        listener(code);
      }),
    kill: () => proc.kill(),
  };
}

function callCore(name: string, args: unknown): Promise<Reply<unknown>> {
  const c = core;
  if (!c) return Promise.resolve({ ok: false, error: supervisor.state === 'failed' ? 'the core stopped and could not be restarted; restart the app' : 'the core is restarting; try again in a moment' });
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    c.postMessage({ id, name, args } satisfies HostRequest);
  });
}

/** One handler for every request: the sender and the arguments checked by the IPC door (ipc-door.ts). */
function handleRequest(event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<Reply<unknown>> | Reply<unknown> {
  const checked = checkIpcRequest(event.senderFrame?.url, rendererUrl, name, args);
  if (!checked.ok) return checked;
  const { name: n, args: a } = checked.value;
  if (n === 'exportReport' && (a as { format: string }).format === 'pdf') return exportPdf(a as { sessionId: string; format: 'pdf'; locale?: 'zh-CN' | 'en' });
  if (n === 'revealExport') return reveal((a as { path: string }).path);
  return callCore(n, a);
}

/**
 * Exports in the desktop app: the core writes the report's self-contained HTML, and Electron's own
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
  if (remote && !(remote instanceof Error)) return createRemoteWindow(remote.url, remote.origin);
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
  // A window that loads after a notice (or reloads) still learns what the core went through.
  win.webContents.on('did-finish-load', () => {
    for (const n of [...warnings, ...(coreState ? [coreState] : [])]) pushToWindow({ topic: 'core', payload: n });
  });
  void win.loadFile(rendererIndex);
  win.on('closed', () => (win = null));
}

/**
 * The window on a server's control room: the page browser mode serves, with no preload (it talks
 * to the server over its own channel, not to a core here), and nowhere to go but that server.
 */
function createRemoteWindow(url: string, origin: string): void {
  win = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#0e1320',
    title: `直播中控室 · Live Control Room — ${origin}`,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, disableBlinkFeatures: 'Auxclick' },
  });
  const r = { url, origin, shown: origin };
  win.webContents.setWindowOpenHandler(({ url: to }) => {
    // An exported report from the same server is downloaded; anything else goes to the system browser. No new windows.
    if (staysOnRemote(r, to)) win?.webContents.downloadURL(to);
    else openExternal(to);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, to) => {
    if (!staysOnRemote(r, to)) e.preventDefault();
  });
  win.webContents.on('will-redirect', (e, to) => {
    if (!staysOnRemote(r, to)) e.preventDefault();
  });
  void win.loadURL(url);
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
  // Desktop notifications for alerts are the one permission the page gets.
  session.defaultSession.setPermissionRequestHandler((_wc, perm, cb) => cb(perm === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_wc, perm) => perm === 'notifications');
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  if (remote instanceof Error) {
    dialog.showErrorBox('直播中控室 · Live Control Room', remote.message);
    app.quit();
    return;
  }
  if (remote) {
    // A remote control room: the server's page is the whole app; no core, no vault here.
    console.error(`Remote control room: ${remote.shown}`);
    createWindow();
    return;
  }
  ipcMain.handle(IPC_REQUEST, handleRequest);
  // Beside the command line's key file, outside the data folder (userData is the data folder by default).
  vaultKey = desktopVaultKey(safeStorage, dirname(defaultKeyFile()));
  supervisor.start();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

let quitting = false;
app.on('before-quit', (e) => {
  // From here on the core's exit is expected: no restart.
  supervisor.stop();
  if (quitting || !core) return;
  // Let the core flush the store before the process goes.
  e.preventDefault();
  quitting = true;
  void Promise.race([callCore('__stop', undefined), new Promise((r) => setTimeout(r, 5000))]).then(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
