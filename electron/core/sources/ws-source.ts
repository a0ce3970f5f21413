/**
 * A WebSocket text-frame source with the guards every local collector needs (douyinLive,
 * DouyinBarrageGrab): reconnect with backoff, a hard frame limit enforced by `ws` itself (the
 * connection is reset rather than a giant frame buffered), a softer per-message limit that
 * quarantines the message and keeps the connection, a "ping" → "pong" answer, and an idle timeout
 * that replaces a connection that went silent without closing (a half-open TCP connection after a
 * laptop sleeps looks exactly like a quiet room otherwise).
 *
 * Node 20 has no global WebSocket client, hence the `ws` package (already what Socket.IO uses).
 */
import WebSocket from 'ws';
import { SourceConnector, redactUrl, type ConnectorOptions } from './connector.ts';
import { parseJsonLossless, type MapResult } from './common.ts';

export interface WsSourceOptions extends ConnectorOptions {
  url: string;
  /** Frames above this many bytes reset the connection (ws `maxPayload`). */
  maxFrameBytes?: number;
  /** Messages above this many characters are quarantined (the connection stays). */
  maxMessageChars?: number;
  /** No frame for this long → the connection is replaced (0: never). */
  idleTimeoutMs?: number;
}

const HTTP_PERMANENT = new Set([400, 401, 403, 404, 410]);

export abstract class WsSource extends SourceConnector {
  private ws: WebSocket | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastError: string | null = null;
  /** Short prefix of quarantine reasons ("douyin", "barrage-grab"). */
  protected abstract readonly tag: string;

  constructor(
    source: string,
    protected readonly wsOpts: WsSourceOptions,
  ) {
    super(source, redactUrl(wsOpts.url), wsOpts);
  }

  /** The source's mapper: one parsed JSON message → events and quarantines (no I/O); `tick` flushes its timeouts. */
  protected abstract readonly mapper: { map(msg: unknown, receivedAt: number): MapResult; tick(now: number): MapResult };

  /**
   * One text message (not "ping"): JSON by every WebSocket source this app reads (64-bit ids kept
   * exact), then mapped into the room; a message saying the room cannot be served is acted on.
   */
  private onText(text: string, receivedAt: number): void {
    let msg: unknown;
    try {
      msg = parseJsonLossless(text);
    } catch {
      this.quarantineOne(`${this.tag}: frame is not JSON`, text);
      return;
    }
    const result = this.mapper.map(msg, receivedAt);
    this.deliver(result);
    // The service watches the room itself (douyinLive polls until the next broadcast and closes
    // the socket after ROOM_NOT_FOUND): nothing to ask again, only to say and not reconnect.
    if (result.problem) this.cannotServe(result.problem, null);
  }

  start(): void {
    this.startTicking((now) => this.mapper.tick(now));
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearIdle();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      await new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        // A connection still opening cannot be closed politely.
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, 'stopped');
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.markStopped();
  }

  private connect(): void {
    if (this.stopped) return;
    this.lastError = null;
    const ws = new WebSocket(this.wsOpts.url, {
      maxPayload: this.wsOpts.maxFrameBytes ?? 8 * 1024 * 1024,
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.st.connects++;
      this.markLive();
      this.touchIdle(ws);
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const receivedAt = this.now();
      this.touchIdle(ws);
      this.noteReceived(receivedAt);
      if (isBinary) {
        this.quarantineOne(`${this.tag}: binary frame (expected JSON text)`, `(${byteLength(data)} bytes)`);
        return;
      }
      const text = data.toString();
      if (text === 'ping') {
        ws.send('pong');
        return;
      }
      const max = this.wsOpts.maxMessageChars ?? 1024 * 1024;
      if (text.length > max) {
        this.quarantineOne(`${this.tag}: message over ${max} characters`, text);
        return;
      }
      this.onText(text, receivedAt);
    });
    ws.on('unexpected-response', (_req, res) => {
      const code = res.statusCode ?? 0;
      ws.terminate();
      if (HTTP_PERMANENT.has(code)) {
        this.fail(`${redactUrl(this.wsOpts.url)} answered HTTP ${code}: check the address and room id`, code === 404 || code === 410 ? 'roomNotFound' : 'refused');
        this.ws = null;
        return;
      }
      this.lastError = `HTTP ${code}`;
    });
    ws.on('error', (err: Error) => {
      this.lastError = err.message;
      // ws reports an oversized frame as an error and closes with 1009: a message we never saw whole.
      if (/max payload/i.test(err.message)) this.quarantineOne(`${this.tag}: frame over the ${this.wsOpts.maxFrameBytes ?? 8 * 1024 * 1024}-byte limit (connection reset)`, null);
    });
    ws.on('close', (code: number) => {
      this.clearIdle();
      if (this.ws !== ws || this.stopped || this.st.status === 'failed') return;
      this.ws = null;
      const why = this.lastError ?? `closed (code ${code})`;
      this.retryLater(`${this.st.connects ? 'connection lost' : 'cannot connect'} to ${redactUrl(this.wsOpts.url)}: ${why}`, () => this.connect());
    });
  }

  private touchIdle(ws: WebSocket): void {
    const ms = this.wsOpts.idleTimeoutMs ?? 90_000;
    if (!ms) return;
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.lastError = `no message for ${Math.round(ms / 1000)} s`;
      ws.terminate();
    }, ms);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

function byteLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((s, b) => s + b.byteLength, 0);
  return data.byteLength;
}
