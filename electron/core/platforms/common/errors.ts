/**
 * What can go wrong talking to a platform, in the few kinds the app acts on differently:
 * - `rateLimited`: wait (backoff, the platform's own hint) and ask again; never counted as a failure.
 * - `auth`: the token was refused or expired; refresh once, then say which account needs the operator.
 * - `refused`: the platform understood and said no (bad parameter, over a limit): shown as is.
 * - `network`: no answer (timeout, connection refused, 5xx): retried with backoff.
 * - `malformed`: an answer we cannot read (not JSON, no envelope): counted and quarantined.
 * The platform's own code, message and request id are kept so the screen can show them as is.
 */
export type PlatformErrorKind = 'rateLimited' | 'auth' | 'refused' | 'network' | 'malformed';

export interface PlatformErrorInfo {
  platform: string;
  kind: PlatformErrorKind;
  /** The endpoint, without query or credentials. */
  endpoint: string;
  /** The platform's own code (`40100`, `10000`…), when it gave one. */
  code?: number | string;
  requestId?: string;
  /** Qianchuan's `X-RateLimit-Dimension`: which layer of its limits tripped. */
  dimension?: string;
  /** HTTP status, when the failure was at that level. */
  status?: number;
}

export class PlatformError extends Error {
  readonly info: PlatformErrorInfo;
  constructor(message: string, info: PlatformErrorInfo) {
    super(message);
    this.name = 'PlatformError';
    this.info = info;
  }
  get kind(): PlatformErrorKind {
    return this.info.kind;
  }
}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}
