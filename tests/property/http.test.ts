/**
 * The HTTP door (docs/doors.md): browser mode's routes (the page, /exports, Socket.IO's handshake)
 * and the relay's HTTP handler, on real servers on loopback, fed raw request lines over TCP — the
 * targets, methods and Host headers no client library would send. Every request is answered with
 * a status below 500 (or closed by Node's own parser), the token is never reflected, nothing in
 * the exports folder changes, and the server still serves the page afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { BrowserHost } from '../../electron/core/host/browser.ts';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { checkDoorAsync, fc, yieldToLoop } from '../helpers/fuzz.ts';
import { hostileString } from '../helpers/hostile.ts';
import { get, rawRequest } from '../helpers/raw-http.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;
let host: BrowserHost;
let relay: RelayServer;
let port: number;
let relayPort: number;
let token: string;
const logged: string[] = [];

function exportsState(): string {
  const d = join(dir, 'exports');
  return readdirSync(d)
    .sort()
    .map((f) => `${f}:${readFileSync(join(d, f), 'latin1')}`)
    .join('|');
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const staticDir = join(dir, 'static');
  mkdirSync(join(dir, 'exports'), { recursive: true });
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lcr</title>');
  writeFileSync(join(staticDir, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(dir, 'exports', 'r.csv'), 'a,b\r\n');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
  host = await BrowserHost.start(core, { host: '127.0.0.1', port: 0, staticDir, exportsDir: join(dir, 'exports'), log: (l) => logged.push(l) });
  port = Number(new URL(host.url).port);
  token = new URL(host.url).searchParams.get('token')!;
  relay = new RelayServer({ token: 'relay-token' });
  relayPort = Number(new URL(await relay.listen()).port);
});
afterAll(async () => {
  await relay?.close();
  await host?.stop();
  await core?.stop();
  cleanup?.();
});

/** Percent signs followed by anything: broken, overlong and surrogate encodings. */
const percentGarbage = fc
  .array(fc.oneof(fc.constantFrom('%', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2e%2e%2f', '%5c', '%25'), fc.stringMatching(/^[%0-9A-Za-z]{1,6}$/), fc.constantFrom('/', 'exports/', '..', '.', '?', '#', '&token=', ';')), { maxLength: 12 })
  .map((parts) => '/' + parts.join(''));

const absoluteForm = fc
  .tuple(fc.constantFrom('http', 'https', 'ws', 'file', 'javascript', 'x'), fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'evil.example', '', '%zz'), hostileString), fc.oneof(fc.integer({ min: -1, max: 200_000 }).map(String), fc.constantFrom('', 'x', '99999')), percentGarbage)
  .map(([s, h, p, path]) => `${s}://${h}${p ? `:${p}` : ''}${path}`);

const target = fc.oneof(
  percentGarbage,
  absoluteForm,
  fc.constantFrom('*', '//evil:99999/', '//', '/exports/', '/exports/r.csv', '/exports/r.csv?token=', `/exports/../secret.txt`, '/assets/a.js', '/index.html', '/socket.io/', '/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=3&transport=websocket', '/socket.io/?EIO=4&transport=polling&sid=%E0%A4%A'),
  hostileString.map((s) => s.replace(/[\s]/g, '')).filter((s) => s.length > 0),
  fc.integer({ min: 8000, max: 70_000 }).map((n) => '/' + 'a'.repeat(n)),
);

const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'get', 'G\u00e9T', 'X'.repeat(40));
const hostHeader = fc.oneof(fc.constant(null), fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'evil.example', 'localhost:99999', '', ' ', '[', '127.0.0.1:0'), hostileString.map((s) => s.replace(/[\r\n]/g, '')));
const extraHeaders = fc.array(fc.tuple(fc.constantFrom('Content-Length', 'Transfer-Encoding', 'Upgrade', 'Connection', 'Cookie', 'X-Forwarded-Host', 'Origin'), fc.oneof(fc.constantFrom('0', '-1', '99999999999', 'chunked', 'websocket', 'close', 'keep-alive', 'null'), hostileString.map((s) => s.replace(/[\r\n]/g, '')))), { maxLength: 3 });

function requestBytes(m: string, t: string, h: string | null, extra: Array<[string, string]>, forPort: number): Buffer {
  const lines = [`${m} ${t.replace(/[\r\n]/g, '')} HTTP/1.1`];
  if (h !== null) lines.push(`Host: ${h === '127.0.0.1' ? `127.0.0.1:${forPort}` : h}`);
  for (const [k, v] of extra) lines.push(`${k}: ${v}`);
  lines.push('Connection: close', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Percent-encoding of any string's UTF-8 bytes (encodeURIComponent throws on a lone surrogate). */
function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}

async function stillServes(): Promise<void> {
  const r = await get(port, '/');
  expect(r.status).toBe(200);
  expect(r.raw).toContain('<title>lcr</title>');
}

describe('http door: browser mode', () => {
  it('answers any request line with a status below 500, never the token, and keeps serving', async () => {
    const before = exportsState();
    await checkDoorAsync(
      'http',
      'browser mode: any request line',
      fc.asyncProperty(method, target, hostHeader, extraHeaders, async (m, t, h, extra) => {
        await yieldToLoop();
        const r = await rawRequest(port, requestBytes(m, t, h, extra, port));
        // Node's own parser may close a request it cannot read (null); anything answered is below 500.
        if (r.status !== null) expect(r.status, r.raw.slice(0, 200)).toBeLessThan(500);
        expect(r.raw).not.toContain(token);
        expect(r.raw).not.toContain('do not serve');
        await stillServes();
      }),
      { scale: 2 },
    );
    expect(exportsState()).toBe(before);
    expect(logged).toEqual([]);
  });

  it('serves an export only with the token and a Host naming this machine', async () => {
    await checkDoorAsync(
      'http',
      'exports: token and Host',
      fc.asyncProperty(fc.oneof(fc.constant(token), hostileString, fc.constant(token.slice(1)), fc.constant(token + 'x')), hostHeader, async (given, h) => {
        await yieldToLoop();
        const r = await rawRequest(port, requestBytes('GET', `/exports/r.csv?token=${pct(given)}`, h, [], port));
        const hostOk = h === '127.0.0.1' || h === 'localhost' || h === '[::1]' || h === 'localhost:99999' || h === '127.0.0.1:0';
        if (r.status === 200) {
          expect(given).toBe(token);
          expect(hostOk).toBe(true);
        } else if (r.status !== null) expect(r.status).toBeLessThan(500);
      }),
      { scale: 2 },
    );
  });
});

describe('http door: the relay', () => {
  it('answers any request line below 500 and keeps its feed', async () => {
    await checkDoorAsync(
      'http',
      'relay: any request line',
      fc.asyncProperty(method, target, hostHeader, extraHeaders, async (m, t, h, extra) => {
        await yieldToLoop();
        const r = await rawRequest(relayPort, requestBytes(m, t, h, extra, relayPort));
        if (r.status !== null) expect(r.status, r.raw.slice(0, 200)).toBeLessThan(500);
        expect(r.raw).not.toContain('relay-token');
        expect((await get(relayPort, '/')).status).toBe(404);
      }),
      { scale: 2 },
    );
  });
});
