/**
 * The one rule for text that may carry a secret (a log line, an error reply, a crash message, a
 * quarantined raw value): every secret the process knows of is cut out wherever it appears, and
 * so is whatever follows a credential's name in a query string, a header or a JSON member — a
 * platform's error can quote a token the vault has never seen (an expired one, another app's).
 *
 * Known values come from the vault (every record it loads or saves) and the hosts (the
 * environment's secrets at start). Cheap enough for text paths — logs, error replies,
 * quarantine — and kept off the per-event path.
 */

const MASK = '***';

/** Shorter values would cut ordinary words out of text; real app secrets and tokens are 16+ characters. */
export const MIN_SECRET_LENGTH = 6;

/** Values kept at most: a token rotated every day for years must not grow the set without bound. */
const MAX_KNOWN = 1024;

const known = new Set<string>();
let knownPattern: RegExp | null = null;

/** A value that must never appear in text this process writes (in any of the forms it travels in). */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  let added = false;
  for (const form of formsOf(value)) {
    if (known.has(form)) continue;
    known.add(form);
    added = true;
  }
  if (!added) return;
  while (known.size > MAX_KNOWN) known.delete(known.values().next().value as string);
  knownPattern = null;
}

/** Forgets every registered value (tests). */
export function clearSecrets(): void {
  known.clear();
  knownPattern = null;
}

/** The forms a value travels in: as is, percent-encoded in a URL, escaped in a JSON string. */
function formsOf(value: string): string[] {
  const forms = new Set([value]);
  try {
    forms.add(encodeURIComponent(value));
  } catch {
    // a lone surrogate cannot be percent-encoded; the plain form still counts
  }
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function knownRegExp(): RegExp | null {
  if (!known.size) return null;
  // Longest first: a secret that contains another is cut whole, not around the shorter one.
  knownPattern ??= new RegExp([...known].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return knownPattern;
}

/**
 * A credential's name: a run of name characters ending in token, secret, password, sign(ature),
 * auth code or key (access_token, Access-Token, x-tts-access-token, app_secret, sign, event-sign,
 * auth_code, api_key, accessToken…). A list's page cursor (page_token) is not one. Each name is
 * tried only from the start of its run, so hostile text costs linear time, not quadratic.
 */
const KEYWORD = 'token|secret|password|passwd|signature|sign|auth_?code|api_?key';
const NAME = String.raw`(?<![A-Za-z0-9_-])(?!(?:next_?)?page_?token(?![A-Za-z0-9_-]))[A-Za-z0-9_-]*?(?:${KEYWORD})(?![A-Za-z0-9_-])`;

/** name=value in a query string, a form body or a command line: up to the next separator. */
const QUERY_PAIR = new RegExp(String.raw`(${NAME}=)[^&\s"'<>#,;]+`, 'gi');

/** "name": "value" in JSON, and the same escaped once (a JSON document quoted inside another). */
const JSON_PAIR = new RegExp(String.raw`("${NAME}"\s*:\s*")(?:[^"\\]|\\.)*(")`, 'gi');
const JSON_PAIR_ESCAPED = new RegExp(String.raw`(\\"${NAME}\\"\s*:\s*\\")(?:(?!\\").)*(\\")`, 'gi');

/**
 * Name: value in a header (Access-Token: …, Authorization: Bearer …, x-tts-access-token: …) or an
 * object literal (accessToken: '…'). Only a compound name (with a - or _, or glued like
 * accessToken), Authorization or secret: prose such as "the token: expired" stays as it is.
 */
const HEADER_NAME = String.raw`(?<![A-Za-z0-9_-])(?:(?:[A-Za-z0-9]+[-_])+(?:token|secret|password|signature|sign|key)|[A-Za-z0-9]+(?:token|secret|password)|authorization|secret)(?![A-Za-z0-9_-])`;
const HEADER_PAIR = new RegExp(String.raw`(${HEADER_NAME}\s*:\s*['"]?(?:(?:Bearer|Basic|Token)\s+)?)[^\s,;"'}\]]+`, 'gi');

/** `text` with every known secret and every credential-looking value replaced by `***`. */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string' || !text) return text;
  let out = text;
  const k = knownRegExp();
  if (k) out = out.replace(k, MASK);
  // Cheap gate: without any of the names' tell-tale words there is no pattern to apply.
  if (!/token|secret|passw|sign|auth|key/i.test(out)) return out;
  return out
    .replace(JSON_PAIR, `$1${MASK}$2`)
    .replace(JSON_PAIR_ESCAPED, `$1${MASK}$2`)
    .replace(QUERY_PAIR, `$1${MASK}`)
    .replace(HEADER_PAIR, `$1${MASK}`);
}

/** An error as one redacted line of text: what error replies and logs say about a caught value. */
export function redactedMessage(e: unknown): string {
  return redactSecrets(e instanceof Error ? e.message : String(e));
}

/** A server's address (a database, Redis) as it may be printed: its password as ***, the rest kept so a person sees which server. */
export function urlWithoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an address that does not parse)';
  }
}
