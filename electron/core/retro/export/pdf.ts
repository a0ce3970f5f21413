/**
 * PDF from the report's HTML, printed by an installed Chromium in headless mode (browser mode and
 * the command line; the Electron app could print the same HTML with webContents.printToPDF).
 * The page has no script and no external resource, so printing needs no network and no waiting.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class NoChromiumError extends Error {}

/** LCR_CHROMIUM, else the usual places of Chromium / Chrome / Edge. */
export function findChromium(): string {
  const candidates = [
    process.env.LCR_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new NoChromiumError('PDF export needs Chromium or Chrome (Debian/Ubuntu: apt-get install -y chromium fonts-noto-cjk), or set LCR_CHROMIUM; HTML export works without it');
  return found;
}

export async function htmlToPdf(html: string, out: string, opts: { chromium?: string; timeoutMs?: number } = {}): Promise<void> {
  const exe = opts.chromium ?? findChromium();
  const work = mkdtempSync(join(tmpdir(), 'lcr-pdf-'));
  try {
    const page = join(work, 'report.html');
    writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-dev-shm-usage',
      `--user-data-dir=${join(work, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    // Chromium's sandbox cannot start as root (containers, CI); the page is our own, script-free.
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.unshift('--no-sandbox');
    await new Promise<void>((resolve, reject) => {
      execFile(exe, args, { timeout: opts.timeoutMs ?? 60_000, windowsHide: true }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`Chromium could not print the PDF: ${String(stderr).trim().split('\n').pop() ?? err.message}`));
        else resolve();
      });
    });
    if (!existsSync(out) || statSync(out).size === 0) throw new Error(`Chromium wrote no PDF to ${out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
