/**
 * The answer codes the emulator uses. Only 0, 40000 and the three rate-limit codes are grounded
 * in evidence; the rest are this emulator's stated choices, because the official code appendix
 * could not be read (sources/qianchuan-api.md §0: "Token errors — unconfirmed": 40102/40103/
 * 40104/40107 are listed there without meanings, and a peer treats 40105 as "token expired").
 * A client should treat every token-class code alike (refresh once, retry once) and must not
 * depend on which of them the emulator picked.
 */
export const QC = {
  OK: 0,
  /** A required parameter is missing. Seen live: `{"code":40000,"message":"The advertiser ID is required. …"}` (whalesky-labs/oceanengine-sdk-php issue #4). */
  MISSING_PARAM: 40000,
  /** A parameter is malformed or out of range (count, decimals, enum, window). Emulator choice. */
  INVALID_PARAM: 40001,
  /** The token does not cover that advertiser, or the aweme is not bound to it. Emulator choice. */
  NO_PERMISSION: 40002,
  /** Global per-endpoint limit (tends to trip on the hour and half-hour). [NOTE] doc 1696710758159360. */
  RATE_GLOBAL: 40100,
  /** Access token expired, revoked or unknown. Emulator choice (see above). */
  TOKEN_INVALID: 40102,
  /** Refresh token expired, unknown or already used (refresh rotates it). Emulator choice. */
  REFRESH_TOKEN_INVALID: 40103,
  /** No access token sent. Emulator choice. */
  TOKEN_MISSING: 40104,
  /** Per developer (app) × endpoint quota. [NOTE]. */
  RATE_DEVELOPER: 40110,
  /** Per advertiser × endpoint (inactive accounts). [NOTE]. */
  RATE_ADVERTISER: 40130,
} as const;

export type RateLayer = 'global' | 'developer' | 'advertiser';

/** The code each limit layer answers with; the `X-RateLimit-Dimension` header carries the layer's name. */
export const RATE_CODE: Record<RateLayer, number> = {
  global: QC.RATE_GLOBAL,
  developer: QC.RATE_DEVELOPER,
  advertiser: QC.RATE_ADVERTISER,
};

export function rateLayerOf(code: number): RateLayer | null {
  for (const [layer, c] of Object.entries(RATE_CODE)) if (c === code) return layer as RateLayer;
  return null;
}

/** A refusal a handler raises; the server turns it into an envelope with HTTP 200, as the platform does. */
export class ApiRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const missing = (name: string): ApiRefusal => new ApiRefusal(QC.MISSING_PARAM, `The ${name} is required. Please provide it and retry.`);
export const invalid = (message: string): ApiRefusal => new ApiRefusal(QC.INVALID_PARAM, message);
