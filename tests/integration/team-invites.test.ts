/**
 * Per-person links on a real SQLite file: a token shown once and stored only as its hash, the
 * person and role behind a link, and a revoked or expired link refused at once.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/store/db.ts';
import { Invites } from '../../electron/core/team/invites.ts';
import { onPostgres, readStore } from '../helpers/engine.ts';
import { tempDir } from '../helpers/util.ts';

describe('team invites', () => {
  it('knows who a link is for until it is revoked or expires, and keeps no token on disk', () => {
    const t = tempDir();
    try {
      const db = openDatabase(t.dir);
      let now = 1_800_000_000_000;
      const invites = new Invites(db, () => now);
      const buyer = invites.create({ role: 'buyer', name: '小李', hours: 8 });
      const host = invites.create({ role: 'host', name: '主播 Amy' });
      expect(invites.who(buyer.token)).toMatchObject({ id: buyer.id, role: 'buyer', name: '小李' });
      expect(invites.who(host.token)).toMatchObject({ role: 'host' });
      expect(invites.who(buyer.token.slice(0, -1) + (buyer.token.endsWith('A') ? 'B' : 'A'))).toBeNull();
      expect(invites.who('')).toBeNull();
      invites.revoke(host.id);
      expect(invites.who(host.token)).toBeNull();
      now += 8 * 3600_000;
      expect(invites.who(buyer.token)).toBeNull();
      expect(invites.list().map((i) => i.id).sort()).toEqual([buyer.id, host.id].sort());
      expect(() => invites.create({ role: 'boss' as never })).toThrow(/unknown role/);
      expect(() => invites.revoke('nope')).toThrow(/no invite/);
      db.close();
      // PostgreSQL: the row itself (its files are the server's).
      const bytes = onPostgres ? rowsOf(t.dir) : readFileSync(join(t.dir, 'lcr.sqlite')).toString('latin1');
      expect(bytes).toContain(buyer.id);
      expect(bytes.includes(buyer.token)).toBe(false);
      expect(bytes.includes(host.token)).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});

function rowsOf(dir: string): string {
  const db = readStore(dir);
  try {
    return JSON.stringify(db.prepare('SELECT * FROM invites').all());
  } finally {
    db.close();
  }
}
