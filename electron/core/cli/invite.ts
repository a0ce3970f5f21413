/**
 * `lcr invite`: a per-person link for the app that serves this data folder (CONTRACTS.md), its
 * list and its revocation. The link's token is printed once; the store keeps only its hash, and
 * the running app reads the table on every connection, so a new or revoked link counts at once.
 * The URL is the running app's (it writes where it listens into the data folder as it starts);
 * without a running app the link is printed with the host and port the app will use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Invites } from '../team/invites.ts';
import { isTeamRole } from '../../../shared/team/roles.ts';
import { UsageError, args, openForWriting, settings } from './common.ts';

/**
 * Where the running app listens, as it wrote it (`serving.json`), or null: the network address
 * when it listens on one (a teammate's phone cannot open 127.0.0.1), else its own.
 */
export function servingUrl(dataDir: string): string | null {
  const ok = (u: unknown): u is string => typeof u === 'string' && /^https?:\/\/[^\s?#]+\/?$/.test(u);
  try {
    const v = JSON.parse(readFileSync(join(dataDir, 'serving.json'), 'utf8')) as { url?: unknown; reachable?: unknown };
    const lan = Array.isArray(v.reachable) ? v.reachable.find(ok) : undefined;
    const url = lan ?? (ok(v.url) ? v.url : null);
    return url ? url.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

export async function inviteCmd(argv: string[]): Promise<number> {
  const v = args(argv, { role: { type: 'string' }, name: { type: 'string' }, hours: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' }, revoke: { type: 'string' } });
  const config = settings();
  const db = openForWriting(config.dataDir, 'lcr invite');
  try {
    const invites = new Invites(db);
    if (v.list) {
      const list = invites.list();
      if (v.json) process.stdout.write(JSON.stringify(list) + '\n');
      else for (const i of list) console.log(`${i.id}\t${i.role}\t${i.name ?? ''}\t${i.revokedAt ? 'revoked' : i.expiresAt && i.expiresAt <= Date.now() ? 'expired' : 'active'}`);
      return 0;
    }
    if (v.revoke) {
      const r = invites.revoke(v.revoke);
      if (v.json) process.stdout.write(JSON.stringify(r) + '\n');
      else console.error(`revoked ${r.id} (${r.role}${r.name ? `, ${r.name}` : ''})`);
      return 0;
    }
    if (!v.role || !isTeamRole(v.role)) throw new UsageError('invite needs --role host|operator|buyer|assistant|admin (or --list, --revoke ID)');
    const hours = v.hours === undefined ? null : Number(v.hours);
    if (hours !== null && !(hours > 0)) throw new UsageError(`--hours must be a positive number (got "${v.hours}")`);
    const inv = invites.create({ role: v.role, name: v.name ?? null, hours });
    const base = servingUrl(config.dataDir) ?? `http://${config.host}:${config.port || '<port>'}`;
    const url = `${base}/?token=${inv.token}`;
    if (v.json) process.stdout.write(JSON.stringify({ id: inv.id, role: inv.role, name: inv.name, token: inv.token, url, expiresAt: inv.expiresAt }) + '\n');
    else console.log(url);
    return 0;
  } finally {
    db.close();
  }
}
