/**
 * The desktop app pointed at a remote core (an agency's `lcr serve`, docs/server.md): with
 * LCR_REMOTE set to the server's link — the `Control room:` line, or a teammate's invite link —
 * the window opens that page instead of starting a core of its own. It is the same page browser
 * mode serves, talking to the server over its own channel; the window gives it no preload and
 * lets it go nowhere else.
 */

export interface RemoteControlRoom {
  /** The page to open, token included. */
  url: string;
  /** Where it may navigate: its own origin and path. */
  origin: string;
  /** What may be printed: the link without its token. */
  shown: string;
}

/** Reads LCR_REMOTE: null when unset; an Error saying what is wrong (without the token) when it is not a link to a control room. */
export function remoteControlRoom(value: string | undefined): RemoteControlRoom | Error | null {
  const raw = value?.trim();
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return new Error('LCR_REMOTE must be the link lcr serve printed (http(s)://host:port/?token=…)');
  }
  const shown = `${u.protocol}//${u.host}${u.pathname}`;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return new Error(`LCR_REMOTE must be an http(s) link (got ${u.protocol})`);
  if (u.username || u.password) return new Error(`LCR_REMOTE must not carry a user name or password (${shown})`);
  const token = u.searchParams.get('token');
  if (!token || token.length < 16) return new Error(`LCR_REMOTE has no token: open the whole link lcr serve or lcr invite printed (${shown}?token=…)`);
  return { url: u.toString(), origin: u.origin, shown };
}

/** Whether the remote page may navigate to `url` (a reload of itself, or another view of the same app). */
export function staysOnRemote(remote: RemoteControlRoom, url: string): boolean {
  try {
    return new URL(url).origin === remote.origin;
  } catch {
    return false;
  }
}
