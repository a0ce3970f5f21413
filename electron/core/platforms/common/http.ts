/**
 * One HTTP exchange with a platform API: a timeout, a cap on the answer's size (a hostile or broken
 * proxy must not fill memory), and the body read with `parseApiJson` so 64-bit ids survive.
 * Transport failures become `PlatformError` kind `network`; an unreadable body kind `malformed`.
 * Envelopes (code 0 / 10000, messages) are each platform's business: see its client.
 */
import { PlatformError } from './errors.ts';
import { parseApiJson } from './json.ts';

export interface HttpRequest {
  platform: string;
  /** For messages: the path, never the query (tokens may travel there). */
  endpoint: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export async function requestJson(req: HttpRequest): Promise<HttpAnswer> {
  const { platform, endpoint } = req;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (e) {
    const why = e instanceof Error && e.name === 'TimeoutError' ? 'no answer in time' : 'could not connect';
    throw new PlatformError(`${platform} ${endpoint}: ${why}`, { platform, kind: 'network', endpoint });
  }
  const text = await readCapped(res, req.maxBytes ?? DEFAULT_MAX_BYTES, platform, endpoint);
  if (res.status >= 500) throw new PlatformError(`${platform} ${endpoint}: HTTP ${res.status}`, { platform, kind: 'network', endpoint, status: res.status });
  if (res.status === 429) throw new PlatformError(`${platform} ${endpoint}: HTTP 429`, { platform, kind: 'rateLimited', endpoint, status: 429 });
  let body: unknown;
  try {
    body = parseApiJson(text);
  } catch {
    throw new PlatformError(`${platform} ${endpoint}: the answer is not JSON (HTTP ${res.status})`, { platform, kind: 'malformed', endpoint, status: res.status });
  }
  return { status: res.status, headers: res.headers, body };
}

async function readCapped(res: Response, maxBytes: number, platform: string, endpoint: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new PlatformError(`${platform} ${endpoint}: answer larger than ${maxBytes} bytes`, { platform, kind: 'malformed', endpoint, status: res.status });
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof PlatformError) throw e;
    throw new PlatformError(`${platform} ${endpoint}: the answer broke off`, { platform, kind: 'network', endpoint, status: res.status });
  }
  return Buffer.concat(chunks).toString('utf8');
}
