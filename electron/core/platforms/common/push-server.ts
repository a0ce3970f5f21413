/**
 * Where a platform's pushes arrive (抖店's message push, TikTok Shop's webhooks): a small HTTP
 * server on one path that reads each POST's raw body under a cap and hands it, with its headers,
 * to the platform's own handler — which verifies the signature over exactly those bytes before it
 * parses anything. Nothing a sender does ends the process: a wrong path is 404, another method 405,
 * an oversized body 413 (the rest of it is not read; the connection closes once the answer is
 * out), a handler that throws 500. Default host 127.0.0.1: a push from the internet comes through
 * the operator's own reverse proxy.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PushAnswer {
  status: number;
  body: string;
}

export interface PushServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  path: string;
  maxBodyBytes: number;
  /** The platform's "send again" body, for the answers the server gives itself. */
  failBody: string;
  /** One body over the cap (the platform's counters). */
  onTooLarge: () => void;
  handle: (headers: IncomingHttpHeaders, body: Buffer) => Promise<PushAnswer>;
}

/** A set of recent keys that forgets the least recently seen beyond `max` (pushes are de-duplicated on their ids). */
export class LruSet {
  private readonly items = new Map<string, true>();
  constructor(private readonly max: number) {}

  /** Adds `key` (or freshens it); returns false when it was already there. */
  add(key: string): boolean {
    const had = this.items.delete(key);
    this.items.set(key, true);
    if (this.items.size > this.max) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    return !had;
  }

  get size(): number {
    return this.items.size;
  }
}

export class PushServer {
  private server: Server | null = null;

  constructor(private readonly opts: PushServerOptions) {}

  /** Listens; resolves with the push URL (loopback address as bound). */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    server.on('clientError', (_e, socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return `http://${host}:${port}${this.opts.path}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fail = this.opts.failBody;
    let answer: PushAnswer;
    let tooLarge = false;
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== this.opts.path) answer = { status: 404, body: fail };
      else if (req.method !== 'POST') answer = { status: 405, body: fail };
      else {
        const body = await this.readBody(req);
        tooLarge = body === null;
        answer = body === null ? { status: 413, body: fail } : await this.opts.handle(req.headers, body);
      }
    } catch {
      answer = { status: 500, body: fail };
    }
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(answer.body, () => {
        if (tooLarge) req.destroy();
      });
    }
  }

  /** The raw body, or null when it is larger than the cap. */
  private readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > this.opts.maxBodyBytes) {
          this.opts.onTooLarge();
          req.removeAllListeners('data');
          req.resume();
          resolve(null);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }
}

/** A header's one value (a repeated header is not a signature). */
export function headerValue(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
