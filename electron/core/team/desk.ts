/**
 * The team desk (PRODUCT.md T1, T2): invites and who is connected (管理), who a page is, and the
 * 场控's messages to the host's prompt screen. Roles are enforced before a request reaches any
 * desk (Core.request, shared/team/roles.ts); this desk keeps the facts.
 *
 * Invites and prompt messages are written on the core's own connection, each in one statement:
 * they are rare, small and must be on disk before the answer says so.
 */
import { randomUUID } from 'node:crypto';
import type { DB } from '../store/db.ts';
import type { DeskContext } from '../live/desk.ts';
import { Invites } from './invites.ts';
import { currentActor, type Actor } from './actor.ts';
import type { RequestHandlers } from '../../../shared/contract.ts';
import type { Invite, InviteView, Me, NewInviteView, PromptMessage, TeamConnection, TeamView } from '../../../shared/team/contract.ts';

/** A page connected over a link, as the browser host registers it. */
export interface Connection extends TeamConnection {
  /** Ends the page's connection (its link was revoked or expired). */
  close(): void;
}

/** Prompt messages a screen that opens mid-show is given. */
const PROMPTS_SHOWN = 20;

export class TeamDesk {
  readonly invites: Invites;
  private readonly connections = new Set<Connection>();
  private serving: TeamView['serving'] = null;

  constructor(
    private readonly db: DB,
    private readonly ctx: DeskContext,
    private readonly ownerName: () => string | null,
  ) {
    this.invites = new Invites(db);
  }

  /** Where the pages are served (the browser host, once it listens). */
  setServing(serving: TeamView['serving']): void {
    this.serving = serving;
  }

  /** A page joined over a link; returns what to call when it leaves. */
  connect(c: Connection): () => void {
    this.connections.add(c);
    this.changed();
    return () => {
      if (this.connections.delete(c)) this.changed();
    };
  }

  /** The person behind a link now (null: unknown, revoked or expired), read from the table every time. */
  actorOf(token: string): Actor | null {
    const inv = this.invites.who(token);
    return inv ? { role: inv.role, name: inv.name, inviteId: inv.id } : null;
  }

  /** Closes the pages whose link no longer holds (revoked, expired). */
  sweep(): void {
    const live = new Map(this.invites.list().map((i) => [i.id, i]));
    const now = Date.now();
    for (const c of [...this.connections]) {
      if (c.inviteId === null) continue;
      const inv = live.get(c.inviteId);
      if (!inv || inv.revokedAt !== null || (inv.expiresAt !== null && inv.expiresAt <= now)) c.close();
    }
  }

  handlers(): RequestHandlers<'whoAmI' | 'getTeam' | 'createInvite' | 'revokeInvite' | 'getPrompts' | 'sendPrompt' | 'ackPrompt'> {
    return {
      whoAmI: () => this.me(),
      getTeam: () => this.view(),
      createInvite: (a) => this.create(a.role, a.name ?? null, a.hours ?? null),
      revokeInvite: (a) => {
        const r = this.invites.revoke(a.id);
        this.sweep();
        this.changed();
        return this.inviteView(r);
      },
      getPrompts: (a) => this.prompts(a.roomId),
      sendPrompt: (a) => this.send(a.roomId, a.text),
      ackPrompt: (a) => this.ack(a.id),
    };
  }

  private me(): Me {
    const a = currentActor();
    if (!a || a.inviteId === null) return { role: 'admin', name: a?.name ?? this.ownerName(), inviteId: null };
    return { role: a.role, name: a.name, inviteId: a.inviteId };
  }

  private view(): TeamView {
    return {
      invites: this.invites.list().map((i) => this.inviteView(i)),
      connected: [...this.connections].map(({ close: _c, ...c }) => c).sort((a, b) => a.since - b.since),
      serving: this.serving,
    };
  }

  private inviteView(i: Invite): InviteView {
    let connected = 0;
    for (const c of this.connections) if (c.inviteId === i.id) connected++;
    return { id: i.id, role: i.role, name: i.name, createdAt: i.createdAt, expiresAt: i.expiresAt, revokedAt: i.revokedAt, connected };
  }

  private create(role: InviteView['role'], name: string | null, hours: number | null): NewInviteView {
    const inv = this.invites.create({ role, name, hours, by: this.ctx.operator().byName });
    this.changed();
    // A teammate's phone cannot open 127.0.0.1: the network address when the app listens on one.
    const base = this.serving ? (this.serving.reachable?.[0] ?? this.serving.url) : null;
    return { invite: this.inviteView(inv), token: inv.token, url: base ? `${base.replace(/\/+$/, '')}/?token=${inv.token}` : null };
  }

  private prompts(roomId: string): PromptMessage[] {
    return this.ctx.reader.prompts({ roomId, sessionId: this.ctx.session(roomId)?.row.sessionId ?? null }, PROMPTS_SHOWN);
  }

  private send(roomId: string, text: string): PromptMessage {
    const s = this.ctx.session(roomId);
    if (!s || !s.isLive) throw new Error(`no live show in ${roomId}: a message reaches the host during the show`);
    const who = this.ctx.operator();
    const p: PromptMessage = { id: randomUUID(), roomId, sessionId: s.row.sessionId, ts: s.lastTs, text: text.trim(), sentAt: Date.now(), byName: who.byName, byRole: who.byRole, ackedAt: null, ackedBy: null };
    this.db
      .prepare('INSERT INTO prompts (id, room_id, session_id, ts, text, sent_at, by_name, by_role, acked_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)')
      .run(p.id, p.roomId, p.sessionId, p.ts, p.text, p.sentAt, p.byName, p.byRole);
    this.ctx.emit({ topic: 'prompt', payload: p });
    return p;
  }

  private ack(id: string): PromptMessage {
    const row = this.ctx.reader.prompts({ id })[0];
    if (!row) throw new Error(`no message ${id.slice(0, 60)}`);
    // The first acknowledgement stands: a second tap on another screen changes nothing.
    if (row.ackedAt !== null) return row;
    const at = Date.now();
    const by = this.ctx.operator().byName;
    this.db.prepare('UPDATE prompts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL').run(at, by, id);
    const p: PromptMessage = { ...row, ackedAt: at, ackedBy: by };
    this.ctx.emit({ topic: 'prompt', payload: p });
    return p;
  }

  private changed(): void {
    if (this.ctx.listening()) this.ctx.emit({ topic: 'team', payload: this.view() });
  }
}
