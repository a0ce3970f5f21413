/**
 * Browser mode (P2): the same UI served over HTTP on loopback, talking to the in-process core
 * over Socket.IO. The URL carries a random token; without it the UI channel refuses to connect,
 * so another local user or a web page cannot read the room. Every request first passes
 * http-guard.ts: a Host naming this machine (DNS rebinding) and a target it can parse — whatever
 * a page or a socket sends is answered, never thrown.
 *
 * Team mode (T1): a teammate's invite link carries their own token. The link is looked up again
 * on every request (a revoked or expired one is refused and its page disconnected), the request
 * passes the role's table in Core.request, and each push goes only to the roles that receive it
 * (Socket.IO rooms per role). The owner's token is 管理 under the settings' own name.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Server } from 'socket.io';
import type { Core } from '../core.ts';
import { UI_NAMESPACE, CONTENT_SECURITY_POLICY } from '../../../shared/ui-channel.ts';
import { MAX_UI_MESSAGE_BYTES, type Push, type Reply } from '../../../shared/contract.ts';
import type { SharedRooms } from '../cluster/cluster.ts';
import { TeamRoles, mayReceive, type TeamRole } from '../../../shared/team/roles.ts';
import type { Actor } from '../team/actor.ts';
import { HostPolicy, isLoopbackHost, parseTarget, reachableUrls, type RequestTarget } from './http-guard.ts';
import { redactSecrets, redactedMessage } from '../secrets/redact.ts';

export interface BrowserHostOptions {
  host: string;
  port: number;
  /** Built renderer (vite build output). */
  staticDir: string;
  token?: string;
  /** The data folder's exports/: report files the page may download (with the token). */
  exportsDir?: string;
  /** Where a request that failed inside a handler is reported (one line, no token). */
  log?: (line: string) => void;
  /** Several server processes share the rooms (cluster/cluster.ts): their Redis adapter, and the rooms shared. */
  shared?: Pick<SharedRooms, 'adapter' | 'rooms'>;
}

/**
 * What a process says about itself, to its own desks only when processes share the rooms: its feed
 * connection, its heartbeat, the full list of the rooms it serves (a page merges the lists), the
 * teammates connected to it. A room's own news (figures, alerts, suggestions, ads, prompts) goes to
 * every process's desks.
 */
const OWN_TOPICS: ReadonlySet<Push['topic']> = new Set(['connection', 'heartbeat', 'rooms', 'team', 'core']);
const FORWARD_EVENT = 'lcr:request';

/** The room a request is about, when its arguments name one. */
function roomOf(args: unknown): string | null {
  const r = args && typeof args === 'object' ? (args as { roomId?: unknown }).roomId : undefined;
  return typeof r === 'string' ? r : null;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** What an exported report is served as: a download, never rendered inside our origin. */
const EXPORT_MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
};

export class BrowserHost {
  private constructor(
    readonly url: string,
    /** The address without the owner's token (what `lcr invite` builds teammates' links on). */
    readonly base: string,
    /** Listening beyond loopback: the addresses others on the network can open (no token in them). */
    readonly reachable: string[] | null,
    private readonly io: Server,
    private readonly http: ReturnType<typeof createServer>,
    private readonly unsubscribe: () => void,
  ) {}

  static async start(core: Core, opts: BrowserHostOptions): Promise<BrowserHost> {
    const token = opts.token ?? randomBytes(18).toString('base64url');
    const hosts = new HostPolicy(opts.host);
    const http = createServer((req, res) => {
      route(req, res).catch((e: unknown) => {
        // A handler that failed answers 500; the process and every other request carry on.
        opts.log?.(`http: ${req.method ?? '?'} request failed: ${redactedMessage(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error');
        else res.destroy();
      });
    });
    const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      if (!hosts.allows(req.headers.host)) {
        res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('unknown Host: open the address the app printed');
        return;
      }
      const target = parseTarget(req.url);
      if (!target) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request target');
        return;
      }
      if (opts.exportsDir && target.rawPathname.startsWith('/exports/')) await serveExport(opts.exportsDir, token, target, req, res);
      else await serveStatic(opts.staticDir, target, req, res);
    };
    const io = new Server(http, {
      serveClient: false,
      cors: { origin: false },
      // A file import is one message: the largest legal one must fit (the 1 MB default dropped the connection).
      maxHttpBufferSize: MAX_UI_MESSAGE_BYTES,
      // The handshake passes the same Host check as the HTTP routes.
      allowRequest: (req, cb) => cb(hosts.allows(req.headers.host) ? null : 'unknown Host', hosts.allows(req.headers.host)),
    });
    const shared = opts.shared;
    if (shared) io.adapter(shared.adapter);
    const nsp = io.of(UI_NAMESPACE);
    // A room held by another process: that process answers (as the actor the asking process vouches for).
    const answer = (name: unknown, args: unknown, actor: Actor | null): Promise<Reply<unknown>> => {
      const roomId = roomOf(args);
      if (!shared || roomId === null || core.serves(roomId) || !shared.rooms.includes(roomId)) return core.request(name, args, actor);
      return new Promise((resolve) => {
        // Every other process answers (null when it does not hold the room); the adapter's request timeout bounds the wait.
        nsp.serverSideEmit(FORWARD_EVENT, { name, args, actor }, (_err: Error | null, replies: unknown[] | undefined) => {
          const r = (replies ?? []).find((x): x is Reply<unknown> => !!x && typeof x === 'object' && 'ok' in x);
          resolve(r ?? { ok: false, error: `no process serves room ${roomId} right now (it is being handed over): try again in a few seconds / 该直播间正在交接，请稍后再试` });
        });
      });
    };
    if (shared)
      nsp.on(FORWARD_EVENT, (m: { name: unknown; args: unknown; actor: Actor | null }, ack: (r: Reply<unknown> | null) => void) => {
        const roomId = roomOf(m?.args);
        if (roomId === null || !core.serves(roomId)) return ack(null);
        void core.request(m.name, m.args, m.actor).then(ack, (e: unknown) => ack({ ok: false, error: `the request failed: ${redactedMessage(e)}` }));
      });
    nsp.use((socket, next) => {
      const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof given !== 'string') return next(new Error('unauthorized'));
      if (safeEqual(given, token)) {
        socket.data.owner = true;
        return next();
      }
      const actor = core.team.actorOf(given);
      if (!actor) return next(new Error('unauthorized'));
      socket.data.invite = given;
      next();
    });
    nsp.on('connection', (socket) => {
      const invite = socket.data.invite as string | undefined;
      // The teammate as the link says now; null once it is revoked or expired.
      const actorNow = (): Actor | null => (invite === undefined ? null : core.team.actorOf(invite));
      const first = actorNow();
      const role: TeamRole = first?.role ?? 'admin';
      void socket.join(roleRoom(role));
      const leave = core.team.connect({
        inviteId: first?.inviteId ?? null,
        role,
        name: first?.name ?? null,
        since: Date.now(),
        address: socket.handshake.address,
        close: () => socket.disconnect(true),
      });
      socket.on('disconnect', leave);
      socket.on('request', (...parts: unknown[]) => {
        // Socket.IO puts the ack last, however many arguments came: a request without its
        // arguments (or with extra ones) is still answered. Without an ack there is no one to answer.
        const ack = parts.at(-1);
        if (typeof ack !== 'function') return;
        const [name, args] = parts.length >= 3 ? parts : [parts[0], undefined];
        const reply = ack as (r: unknown) => void;
        const actor = actorNow();
        if (invite !== undefined && !actor) {
          reply({ ok: false, error: 'this link was revoked or has expired / 链接已撤销或过期' });
          socket.disconnect(true);
          return;
        }
        // The core answers every request; should it ever throw, the page still gets an answer.
        void answer(name, args, actor).then(
          (r) => reply(r.ok ? r : { ok: false, error: redactSecrets(r.error) }),
          (e: unknown) => reply({ ok: false, error: `the request failed: ${redactedMessage(e)}` }),
        );
      });
    });
    const unsubscribe = core.onPush((p: Push) => {
      const to = TeamRoles.filter((r) => mayReceive(r, p.topic)).map(roleRoom);
      if (!to.length) return;
      (shared && OWN_TOPICS.has(p.topic) ? nsp.local : nsp).to(to).emit('push', p);
    });
    // A link revoked from the command line, or one that expired, ends its pages within seconds.
    const sweep = setInterval(() => core.team.sweep(), 2000);
    sweep.unref();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port, opts.host, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
    const reachable = isLoopbackHost(opts.host) ? null : reachableUrls(opts.host, port);
    const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;
    core.team.setServing({ url: base, reachable });
    return new BrowserHost(`${base}?token=${token}`, base, reachable, io, http, () => {
      clearInterval(sweep);
      unsubscribe();
      core.team.setServing(null);
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    const closed = new Promise<void>((resolve) => {
      this.io.close(() => resolve());
    });
    // An open page keeps keep-alive connections; they must not hold the shutdown.
    this.http.closeAllConnections();
    await closed;
  }
}

function roleRoom(role: TeamRole): string {
  return `role:${role}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Exports in browser mode: `/exports/<file name>?token=…` hands the page an exported report as a
 * download. The token guards it like the UI channel (a report holds the shop's figures); only a
 * plain file name inside exports/ is served, with an attachment disposition and no sniffing, so
 * an exported HTML never runs inside the app's origin.
 */
async function serveExport(dir: string, token: string, target: RequestTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'content-security-policy': "default-src 'none'" };
  const given = target.query.get('token') ?? '';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  if (!safeEqual(given, token)) {
    res.writeHead(403, headers).end();
    return;
  }
  const name = target.pathname.slice('/exports/'.length);
  const type = EXPORT_MIME[extname(name).toLowerCase()];
  if (!type || !/^[^/\\\0]+$/.test(name) || name.startsWith('.')) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    const file = join(dir, name);
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      ...headers,
      'content-type': type,
      'content-length': String(body.length),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  }
}

async function serveStatic(root: string, target: RequestTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  const pathname = target.pathname;
  const rel = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  const file = join(root, rel);
  // No escaping the renderer folder with ../
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(403, headers).end();
    return;
  }
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      ...headers,
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  }
}
