/**
 * The team's roles (PRODUCT.md T1) and what each may do: one table the server enforces on every
 * request and push, and the screen reads to hide what a role cannot use. The UI hiding a button
 * is a courtesy; this table is the rule.
 *
 * - 主播 host: the prompt screen, read-only; acknowledges the 场控's messages.
 * - 场控 operator: the dashboard, pins, suggestions, run-of-show, alerts, notes.
 * - 投手 buyer: the ad console and ad changes, on top of reading the dashboard.
 * - 助理 assistant: reads the dashboard and comments; changes nothing.
 * - 管理 admin: everything, including settings, accounts and invites.
 */
import type { PushTopic, RequestName } from '../contract.ts';
import { TeamRoles, type TeamRole } from './contract.ts';

export { TeamRoles, type TeamRole };

export function isTeamRole(x: unknown): x is TeamRole {
  return typeof x === 'string' && (TeamRoles as readonly string[]).includes(x);
}

/** Requests that only read (no role is refused them but the host, who sees only the prompt screen). */
const READS: RequestName[] = [
  'getOverview',
  'getRoom',
  'getAlerts',
  'getTargets',
  'getSuggestions',
  'listSessions',
  'getReport',
  'compareSessions',
  'getRunOfShow',
  'getAdConsole',
  'getEconomics',
  'adPlanLog',
  'getGuardRails',
];

/** Every page asks who it is; every role but the host reads the prompt messages sent. */
const EVERYONE: RequestName[] = ['whoAmI', 'getPrompts'];

/** What the host's prompt screen reads, and the one thing it does: acknowledge a message. */
const HOST: RequestName[] = [...EVERYONE, 'getOverview', 'getRoom', 'getSuggestions', 'getRunOfShow', 'ackPrompt'];

const OPERATOR: RequestName[] = [
  ...EVERYONE,
  ...READS,
  'sendPrompt',
  'sendCommand',
  'ackAlert',
  'ackAlerts',
  'setTargets',
  'acceptSuggestion',
  'undoPin',
  'dismissSuggestion',
  'setRunOfShow',
  'importRunOfShow',
  'addNote',
  'deleteNote',
  'setSessionTarget',
  'exportReport',
];

const BUYER: RequestName[] = [...EVERYONE, ...READS, 'ackAlert', 'ackAlerts', 'setEconomics', 'adAction', 'adPlanPreview', 'adPlanApply', 'adPlanRevert', 'setGuardRails', 'addNote', 'exportReport'];

const ASSISTANT: RequestName[] = [...EVERYONE, ...READS];

/** Requests only 管理 may make: settings, accounts, imports, files on the host machine. */
const ADMIN_ONLY: RequestName[] = ['getTeam', 'createInvite', 'revokeInvite', 'getSettings', 'saveSettings', 'testSource', 'getAccounts', 'connectAccount', 'importTables', 'revealExport'];

const ALLOWED: Record<Exclude<TeamRole, 'admin'>, ReadonlySet<RequestName>> = {
  host: new Set(HOST),
  operator: new Set(OPERATOR),
  buyer: new Set(BUYER),
  assistant: new Set(ASSISTANT),
};

/** May this role make this request? */
export function mayRequest(role: TeamRole, name: RequestName): boolean {
  if (role === 'admin') return true;
  return ALLOWED[role].has(name);
}

/** Pushes each role receives: the host's screen needs no ad console, alerts list or connection internals. */
const HOST_TOPICS: ReadonlySet<PushTopic> = new Set<PushTopic>(['room', 'rooms', 'demand', 'suggestions', 'heartbeat', 'core', 'prompt']);

export function mayReceive(role: TeamRole, topic: PushTopic): boolean {
  if (topic === 'team') return role === 'admin';
  if (role === 'host') return HOST_TOPICS.has(topic);
  return true;
}

/** The requests no role but 管理 may make, for the docs and the tests. */
export const ADMIN_REQUESTS: readonly RequestName[] = ADMIN_ONLY;
