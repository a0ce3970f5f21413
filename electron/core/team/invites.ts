/**
 * Per-person links for the team (`lcr invite`, the app's invite dialog): a random token shown
 * once, only its SHA-256 stored, a role, a name, an expiry, a revocation. The browser host asks
 * `who(token)` on every connection; a revoked or expired link answers null at once, since the
 * table is read, not cached.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DB } from '../store/db.ts';
import { isTeamRole, type TeamRole } from '../../../shared/team/roles.ts';
import type { Invite } from '../../../shared/team/contract.ts';

export type { Invite };

export interface NewInvite extends Invite {
  /** Shown once, never stored. */
  token: string;
}

interface InviteRow {
  id: string;
  role: string;
  name: string | null;
  token_hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toInvite(r: InviteRow): Invite | null {
  if (!isTeamRole(r.role)) return null;
  return { id: r.id, role: r.role, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

export class Invites {
  constructor(
    private readonly db: DB,
    private readonly now: () => number = Date.now,
  ) {}

  create(a: { role: TeamRole; name?: string | null; hours?: number | null; by?: string | null }): NewInvite {
    if (!isTeamRole(a.role)) throw new Error(`unknown role "${String(a.role).slice(0, 40)}" (host, operator, buyer, assistant or admin)`);
    if (a.hours !== undefined && a.hours !== null && !(a.hours > 0 && a.hours <= 24 * 366)) throw new Error('--hours must be a number of hours from more than 0 to a year');
    const name = a.name?.trim().slice(0, 100) || null;
    const token = randomBytes(24).toString('base64url');
    const id = `inv-${randomBytes(5).toString('hex')}`;
    const createdAt = this.now();
    const expiresAt = a.hours ? createdAt + Math.round(a.hours * 3600_000) : null;
    this.db
      .prepare('INSERT INTO invites (id, role, name, token_hash, created_at, expires_at, revoked_at, created_by) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)')
      .run(id, a.role, name, tokenHash(token), createdAt, expiresAt, a.by ?? null);
    return { id, role: a.role, name, createdAt, expiresAt, revokedAt: null, token };
  }

  list(): Invite[] {
    return (this.db.prepare('SELECT * FROM invites ORDER BY created_at DESC, id').all() as InviteRow[]).flatMap((r) => toInvite(r) ?? []);
  }

  revoke(id: string): Invite {
    const r = this.db.prepare('SELECT * FROM invites WHERE id = ?').get(id) as InviteRow | undefined;
    if (!r) throw new Error(`no invite ${id.slice(0, 60)} (see: lcr invite --list)`);
    if (r.revoked_at === null) this.db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ?').run(this.now(), id);
    return toInvite({ ...r, revoked_at: r.revoked_at ?? this.now() })!;
  }

  /** The person behind a link, or null: unknown, revoked or expired. */
  who(token: string): Invite | null {
    if (typeof token !== 'string' || token.length < 16 || token.length > 200) return null;
    const hash = tokenHash(token);
    const r = this.db.prepare('SELECT * FROM invites WHERE token_hash = ?').get(hash) as InviteRow | undefined;
    if (!r || !timingSafeEqual(Buffer.from(r.token_hash), Buffer.from(hash))) return null;
    if (r.revoked_at !== null) return null;
    if (r.expires_at !== null && r.expires_at <= this.now()) return null;
    return toInvite(r);
  }
}
