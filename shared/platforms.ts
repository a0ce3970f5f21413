/**
 * The official platform APIs as the screen sees them (SOURCES.md §5–7): which kinds there are,
 * where each kind of figure of a room comes from and how fresh it is, an account without its
 * secrets, and a line of a platform's own operation log. Part of the UI contract (contract.ts
 * re-exports it); kept apart so the contract stays readable.
 */

/**
 * The platforms' official APIs (SOURCES.md §5–7): alone, or beside a viewer-side source for the
 * same room. `tiktok-shop` is the shop's orders and LIVE analytics, and GMV Max when a TikTok ad
 * account is configured too (docs/tiktok-shop.md).
 */
export const OFFICIAL_KINDS = ['qianchuan', 'doudian', 'tiktok-shop'] as const;
export type OfficialKind = (typeof OFFICIAL_KINDS)[number];

/** The accounts a person connects: the official kinds' own, and TikTok's ad account (GMV Max), which joins a TikTok Shop room. */
export const ACCOUNT_PLATFORMS = [...OFFICIAL_KINDS, 'tiktok-ads'] as const;
export type AccountPlatform = (typeof ACCOUNT_PLATFORMS)[number];
export function isOfficialKind(x: unknown): x is OfficialKind {
  return typeof x === 'string' && (OFFICIAL_KINDS as readonly string[]).includes(x);
}

/** One line of a platform's operation log for a plan: what changed (before/after lines as the platform words them), who, when. */
export interface PlatformLogEntry {
  title: string;
  lines: string[];
  operator: string;
  /** As the platform writes it (China time). */
  at: string;
}

/** An official account as the settings screen may show it: no secret, only whether a token is held and until when. */
export interface AccountView {
  platform: string;
  account: string;
  appId: string;
  hasToken: boolean;
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
  updatedAt: number;
}

/** The kinds of figure a room's sources can each be the origin of. */
export const FigureFamilies = ['viewers', 'orders', 'clicks', 'ads', 'products'] as const;
export type FigureFamily = (typeof FigureFamilies)[number];

/**
 * Where one kind of figure of a room comes from and how fresh it is: the screen's badge and
 * tooltip beside every number (which source, when it last answered, streamed or polled, whether
 * the platform says it varies until tomorrow, and any unit the docs leave open as checked).
 */
export interface FigureOrigin {
  family: FigureFamily;
  /** The adapter (`qianchuan`, `doudian`, `tiktok-shop`, `gmv-max`, `douyin-webcast`, `tiktok-chat-reader`, `barrage-grab`, `merchant-orders`, `replay`) or `simulator` / `relay`. */
  source: string;
  /** Wall clock of the source's last answer; null: none yet. */
  lastAt: number | null;
  basis: 'stream' | 'polled' | 'pushed';
  /** Poll or reconciliation cadence, seconds. */
  everySec: number | null;
  /** The platform says these figures vary until the next day (千川). */
  varies: boolean;
  /** A unit the docs leave open (千川 全域 spend), as decided and how: pinned by the operator, checked against the room's spend, or not yet checkable. */
  unit?: { unit: 'yuan' | '1e-5'; basis: 'pinned' | 'consistent' | 'undecided' };
  /** 千川's traffic channels read as entries: do they add up to the room's watch count? */
  flowCheck?: 'consistent' | 'inconsistent';
  /** The currency of this family's money (ISO 4217), when the source names one (TikTok Shop, GMV Max). */
  currency?: string;
  /** How orders were taken as the room's when the platform's orders name no room (TikTok Shop: `window+products`, `window`). */
  rule?: string;
}
