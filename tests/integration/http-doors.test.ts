/**
 * Issue 13, defects 1, 8 and 9, on a real browser-mode server on loopback: request lines no
 * client library writes (broken percent-encoding, absolute-form and scheme-relative targets) are
 * answered with a 400 and the server goes on serving; a Host that is not this machine (DNS
 * rebinding) is refused on the HTTP routes and on the Socket.IO handshake; the largest legal
 * import crosses the UI channel and gets its answer instead of a dropped connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { Core } from '../../electron/core/core.ts';
import { BrowserHost } from '../../electron/core/host/browser.ts';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';
import { HostPolicy, hostName, parseTarget, reachableUrls } from '../../electron/core/host/http-guard.ts';
import { MAX_IMPORT_FILE_BYTES } from '../../shared/contract.ts';
import { tempDir } from '../helpers/util.ts';
import { get, rawRequest } from '../helpers/raw-http.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;
let host: BrowserHost;
let port: number;
let token: string;
const logged: string[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const staticDir = join(dir, 'static');
  mkdirSync(join(dir, 'exports'), { recursive: true });
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lcr</title>');
  writeFileSync(join(dir, 'exports', 'r.csv'), 'a,b\r\n');
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
  host = await BrowserHost.start(core, { host: '127.0.0.1', port: 0, staticDir, exportsDir: join(dir, 'exports'), log: (l) => logged.push(l) });
  const u = new URL(host.url);
  port = Number(u.port);
  token = u.searchParams.get('token')!;
});
afterAll(async () => {
  await host?.stop();
  await core?.stop();
  cleanup?.();
});

describe('browser mode answers any request target and keeps serving', () => {
  const targets = [
    '/%E0%A4%A',
    '/%',
    '/%zz',
    '/exports/%E0%A4%A?token=x',
    'http://127.0.0.1:99999/',
    'http://127.0.0.1:99999/exports/r.csv',
    '//evil:99999/',
    '//127.0.0.1:99999/exports/x',
    '*',
    'example.com:443',
    '/%00',
    '/exports/%2e%2e%2f%2e%2e%2fetc%2fpasswd?token=x',
  ];
  for (const target of targets) {
    it(`GET ${target} → 4xx, then the page still loads`, async () => {
      const r = await get(port, target);
      expect(r.status, r.raw).toBeGreaterThanOrEqual(400);
      expect(r.status, r.raw).toBeLessThan(500);
      expect((await get(port, '/')).status).toBe(200);
    });
  }

  it('serves the page and an export with the token, as before', async () => {
    expect((await get(port, '/index.html')).raw).toContain('<title>lcr</title>');
    const ex = await get(port, `/exports/r.csv?token=${token}`);
    expect(ex.status).toBe(200);
    expect(ex.raw).toContain('attachment;');
    expect((await get(port, '/exports/r.csv?token=nope')).status).toBe(403);
    expect(logged).toEqual([]);
  });
});

describe('the Host header must name this machine (DNS rebinding)', () => {
  it('refuses another name on the page, the exports and the Socket.IO handshake', async () => {
    for (const target of ['/', `/exports/r.csv?token=${token}`, '/socket.io/?EIO=4&transport=polling']) {
      const r = await get(port, target, 'rebind.evil.example:' + port);
      expect(r.status, `${target}: ${r.raw}`).toBeGreaterThanOrEqual(400);
      expect(r.raw).not.toContain('<title>lcr</title>');
    }
    // No Host at all (HTTP/1.0): refused too.
    expect((await rawRequest(port, 'GET / HTTP/1.0\r\n\r\n')).status).toBe(421);
    // Loopback names pass.
    for (const h of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) expect((await get(port, '/', h)).status, h).toBe(200);
    expect((await get(port, '/socket.io/?EIO=4&transport=polling', `localhost:${port}`)).status).toBe(200);
  });

  it('lets a real client with the token in through the same check', async () => {
    const socket: Socket = io(`http://127.0.0.1:${port}/ui`, { auth: { token }, transports: ['websocket'] });
    try {
      const r = (await socket.timeout(10_000).emitWithAck('request', 'getOverview', {})) as { ok: boolean };
      expect(r.ok).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('the policy: loopback names always, the configured host, and the machine addresses only beyond loopback', () => {
    const lo = new HostPolicy('127.0.0.1', ['192.168.1.5']);
    expect(['localhost', '127.0.0.1:80', '[::1]:1', 'a.localhost'].map((h) => lo.allows(h))).toEqual([true, true, true, true]);
    expect(['192.168.1.5:80', 'evil.example', '', undefined, 'a b', '[zz]:1', 'x'.repeat(400)].map((h) => lo.allows(h))).toEqual([false, false, false, false, false, false, false]);
    const lan = new HostPolicy('0.0.0.0', ['192.168.1.5', 'fe80::1']);
    expect(lan.allows('192.168.1.5:4000')).toBe(true);
    expect(lan.allows('evil.example:4000')).toBe(false);
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(reachableUrls('0.0.0.0', 4000, ['127.0.0.1', '192.168.1.5', 'fe80::1', '2001:db8::2'])).toEqual(['http://192.168.1.5:4000/']);
    expect(reachableUrls('::', 4000, ['127.0.0.1', '192.168.1.5', '2001:db8::2'])).toEqual(['http://192.168.1.5:4000/', 'http://[2001:db8::2]:4000/']);
    expect(parseTarget('/a%20b?x=1')).toMatchObject({ pathname: '/a b' });
    expect([parseTarget('/%E0%A4%A'), parseTarget('http://h:99999/'), parseTarget('//h/'), parseTarget(undefined)]).toEqual([null, null, null, null]);
  });
});

describe('the UI channel takes the largest legal import', () => {
  it(`a ${MAX_IMPORT_FILE_BYTES / 1048576} MB table gets its answer; the connection stays`, async () => {
    const socket: Socket = io(`http://127.0.0.1:${port}/ui`, { auth: { token }, transports: ['websocket'] });
    let disconnected = false;
    socket.on('disconnect', () => (disconnected = true));
    try {
      // Not a Compass table: the answer is a clear refusal, but an answer.
      const bytes = Buffer.alloc(MAX_IMPORT_FILE_BYTES, 'x');
      const r = (await socket.timeout(60_000).emitWithAck('request', 'importTables', { fileName: 'big.csv', dataBase64: bytes.toString('base64'), roomId: 'r' })) as { ok: boolean; error?: string };
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/line 1/);
      expect(disconnected).toBe(false);
      const again = (await socket.timeout(10_000).emitWithAck('request', 'getOverview', {})) as { ok: boolean };
      expect(again.ok).toBe(true);
    } finally {
      socket.close();
    }
  });
});

describe("the relay's HTTP handler answers any request target", () => {
  it('with a 4xx, and keeps serving the feed', async () => {
    const relay = new RelayServer({ token: 't' });
    const url = await relay.listen();
    const p = Number(new URL(url).port);
    try {
      for (const target of ['/%E0%A4%A', 'http://127.0.0.1:99999/', '//evil:99999/', '/socket.io/%E0%A4%A', '/socket.io/?EIO=%E0%A4%A&transport=polling', '*']) {
        const r = await get(p, target);
        expect(r.status, `${target}: ${r.raw}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${target}: ${r.raw}`).toBeLessThan(500);
      }
      const socket = io(`${url}/feed`, { auth: { token: 't' }, transports: ['websocket'] });
      try {
        const rooms = await socket.timeout(10_000).emitWithAck('rooms');
        expect(Array.isArray(rooms)).toBe(true);
      } finally {
        socket.close();
      }
    } finally {
      await relay.close();
    }
  });
});
