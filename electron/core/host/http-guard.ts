/**
 * What every HTTP door of the app checks before it looks at a request: a request target it can
 * parse (anything a web page, a proxy or a raw socket sends — `/%E0%A4%A`, `http://h:99999/`,
 * `//x:99999` — is a 400, never a throw), and a Host header naming this machine (DNS-rebinding
 * protection: a page on evil.example whose name resolves to 127.0.0.1 must not reach the room).
 * The same Host rule guards browser mode's HTTP routes and its Socket.IO handshake.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

export interface RequestTarget {
  /** The path, percent-decoded. */
  pathname: string;
  /** The path as sent (still encoded), for prefix checks that must not be fooled by %2F. */
  rawPathname: string;
  query: URLSearchParams;
}

/**
 * The origin-form target of a request (`/path?query`), decoded; null for anything else: an
 * absolute-form or authority-form target (only proxies are sent those), a scheme-relative `//…`,
 * broken percent-encoding, a NUL. Never throws.
 */
export function parseTarget(raw: string | undefined): RequestTarget | null {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.length > 8192) return null;
  const q = raw.indexOf('?');
  const rawPathname = q < 0 ? raw : raw.slice(0, q);
  let pathname: string;
  let query: URLSearchParams;
  try {
    pathname = decodeURIComponent(rawPathname);
    query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  return { pathname, rawPathname, query };
}

/** Names that always mean this machine. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.includes(h) || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Listening on every interface (0.0.0.0, ::): the machine's own addresses are its names. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** The machine's interface addresses (IPv4 and IPv6, link-local zone ids dropped). */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.replace(/%.*$/, '').toLowerCase());
  return out;
}

/**
 * The Host names a server on `listenHost` answers to: loopback names, the configured host, and —
 * when it listens beyond loopback — the machine's own addresses. Anything else (a rebinding
 * domain) is refused.
 */
export class HostPolicy {
  private readonly names: Set<string>;

  constructor(listenHost: string, addresses: readonly string[] = machineAddresses()) {
    this.names = new Set([...LOOPBACK_NAMES, listenHost.toLowerCase().replace(/^\[|\]$/g, '')]);
    if (!isLoopbackHost(listenHost)) for (const a of addresses) this.names.add(a.toLowerCase());
  }

  /** Whether a request's Host header names this server. A missing or malformed one is refused. */
  allows(hostHeader: string | undefined): boolean {
    const name = hostName(hostHeader);
    return name !== null && (this.names.has(name) || isLoopbackHost(name));
  }
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower-case; null when it is not one. */
export function hostName(header: string | undefined): string | null {
  if (typeof header !== 'string' || !header || header.length > 300) return null;
  const h = header.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h);
  if (v6) return isIP(v6[1]!) === 6 ? v6[1]! : null;
  const m = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  return m ? m[1]! : null;
}

/** Addresses a person on the network can open when the server listens beyond loopback (without the token). */
export function reachableUrls(listenHost: string, port: number, addresses: readonly string[] = machineAddresses()): string[] {
  // 0.0.0.0 is IPv4 only; :: takes both families.
  const hosts = isWildcardHost(listenHost) ? addresses.filter((a) => !isLoopbackHost(a) && !a.startsWith('fe80') && (listenHost !== '0.0.0.0' || isIP(a) === 4)) : [listenHost];
  return hosts.map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${port}/`);
}
