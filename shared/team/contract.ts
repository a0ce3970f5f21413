/**
 * The team's part of the UI contract (PRODUCT.md T1, T2): who a page is, the invites and who is
 * connected (管理), and the 场控's messages to the host's prompt screen. contract.ts merges these
 * into its request registry; the roles that may make each request are in roles.ts.
 */
import { z } from 'zod';

/** The roles of PRODUCT.md T1; what each may do is roles.ts. */
export const TeamRoles = ['host', 'operator', 'buyer', 'assistant', 'admin'] as const;
export type TeamRole = (typeof TeamRoles)[number];

/** The longest message the 场控 can push to the prompt screen: a line read at two metres. */
export const MAX_PROMPT_CHARS = 60;

export const TeamRequestSchemas = {
  /** Who this page is: its role and name (the desktop window and the owner's link: 管理). */
  whoAmI: z.object({}).strict(),
  /** The invites and who is connected now. */
  getTeam: z.object({}).strict(),
  createInvite: z
    .object({
      role: z.enum(TeamRoles),
      name: z.string().trim().max(100).optional(),
      /** Valid for this many hours (absent: until revoked). */
      hours: z.number().positive().max(24 * 366).optional(),
    })
    .strict(),
  revokeInvite: z.object({ id: z.string().min(1).max(100) }).strict(),
  /** The room's prompt messages of the current show, newest first. */
  getPrompts: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  sendPrompt: z.object({ roomId: z.string().min(1).max(200), text: z.string().trim().min(1).max(MAX_PROMPT_CHARS) }).strict(),
  ackPrompt: z.object({ id: z.string().min(1).max(200) }).strict(),
} as const;

export interface Me {
  role: TeamRole;
  name: string | null;
  /** The invite this page came in by (null: the desktop window or the owner's link). */
  inviteId: string | null;
}

/** A per-person link as stored: never its token (only the token's hash is kept). */
export interface Invite {
  id: string;
  role: TeamRole;
  name: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface InviteView extends Invite {
  /** Open pages on this link now. */
  connected: number;
}

export interface TeamConnection {
  /** null: the owner's link. */
  inviteId: string | null;
  role: TeamRole;
  name: string | null;
  since: number;
  /** The teammate's address as this computer sees it (a LAN IP). */
  address: string;
}

export interface TeamView {
  invites: InviteView[];
  connected: TeamConnection[];
  /**
   * Where teammates open their link: the app's own address, and (listening beyond this computer)
   * the addresses others on the network reach. null when this core serves no pages (desktop only).
   */
  serving: { url: string; reachable: string[] | null } | null;
}

export interface NewInviteView {
  invite: InviteView;
  /** Shown once: only its hash is kept. */
  token: string;
  /** The link to give the teammate (null: nothing serves pages). */
  url: string | null;
}

export interface PromptMessage {
  id: string;
  roomId: string;
  sessionId: string | null;
  /** The show's clock when sent (source time); sentAt is the wall clock. */
  ts: number | null;
  text: string;
  sentAt: number;
  byName: string | null;
  byRole: string | null;
  ackedAt: number | null;
  ackedBy: string | null;
}

export interface TeamRequestResults {
  whoAmI: Me;
  getTeam: TeamView;
  createInvite: NewInviteView;
  revokeInvite: InviteView;
  getPrompts: PromptMessage[];
  sendPrompt: PromptMessage;
  ackPrompt: PromptMessage;
}
