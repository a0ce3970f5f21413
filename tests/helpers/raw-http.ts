/**
 * HTTP the way a hostile page, a proxy or a port scanner sends it: raw bytes over a TCP socket,
 * request lines no HTTP client library would write. Answers the status of the response (null when
 * the server closed without one) and its raw text.
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number | null;
  raw: string;
}

/** One request (bytes as given), the connection closed by us once the answer is complete or the server closes it. */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(request).slice(0, 80))}`));
    }, timeoutMs);
    let answered = false;
    const done = () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ status: m ? Number(m[1]) : null, raw });
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // A complete answer with a body length we can see: no need to wait for the server's close.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, head < 0 ? 0 : head));
      if (head >= 0 && len && text.length - head - 4 >= Number(len[1])) {
        socket.destroy();
        done();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.write(request);
  });
}

/** A GET with the given target and Host header (Connection: close). */
export function get(port: number, target: string, host = `127.0.0.1:${port}`): Promise<RawResponse> {
  return rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
}
