/**
 * Who made the request being answered. The browser host runs each teammate's request inside
 * `asActor`, so every desk's `operator()` — the name and role on a decision, an ad change, a note,
 * an acknowledgement — is that person's, without threading them through every handler. Outside a
 * teammate's request (the desktop window, the CLI, the core's own timers) there is no actor and the
 * settings' name and role apply.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TeamRole } from '../../../shared/team/roles.ts';

export interface Actor {
  role: TeamRole;
  name: string | null;
  /** null: the owner's own link (its name and role come from the settings). */
  inviteId: string | null;
}

const current = new AsyncLocalStorage<Actor>();

export function asActor<T>(actor: Actor | null, run: () => T): T {
  return actor ? current.run(actor, run) : run();
}

export function currentActor(): Actor | null {
  return current.getStore() ?? null;
}

/**
 * The role as the action logs record it: the words the settings' role picker already uses
 * (shared/who.ts shows them), so a teammate's 场控 and a desktop's 场控 read the same in the report.
 */
export function recordedRole(role: TeamRole): string {
  return { host: 'host', operator: 'controller', buyer: 'adBuyer', assistant: 'assistant', admin: 'admin' }[role];
}
