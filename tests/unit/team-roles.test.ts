import { describe, expect, it } from 'vitest';
import { RequestSchemas, type RequestName } from '../../shared/contract.ts';
import { ADMIN_REQUESTS, TeamRoles, mayReceive, mayRequest } from '../../shared/team/roles.ts';

const ALL = Object.keys(RequestSchemas) as RequestName[];

describe('the team roles', () => {
  it('let 管理 do everything and only 管理 touch settings, accounts and imports', () => {
    for (const n of ALL) expect(mayRequest('admin', n)).toBe(true);
    for (const role of TeamRoles.filter((r) => r !== 'admin')) for (const n of ADMIN_REQUESTS) expect(mayRequest(role, n), `${role} ${n}`).toBe(false);
  });
  it('keep the host and the assistant read-only', () => {
    const writes: RequestName[] = ['sendCommand', 'acceptSuggestion', 'setRunOfShow', 'adAction', 'adPlanApply', 'setTargets', 'addNote'];
    for (const n of writes) {
      expect(mayRequest('host', n)).toBe(false);
      expect(mayRequest('assistant', n)).toBe(false);
    }
  });
  it('give pins to the 场控 and ad changes to the 投手, not to each other', () => {
    expect(mayRequest('operator', 'sendCommand')).toBe(true);
    expect(mayRequest('operator', 'adPlanApply')).toBe(false);
    expect(mayRequest('buyer', 'adPlanApply')).toBe(true);
    expect(mayRequest('buyer', 'sendCommand')).toBe(false);
  });
  it('send the host only what the prompt screen shows', () => {
    expect(mayReceive('host', 'room')).toBe(true);
    expect(mayReceive('host', 'ads')).toBe(false);
    expect(mayReceive('host', 'alert')).toBe(false);
    expect(mayReceive('buyer', 'ads')).toBe(true);
  });
  it('let the 场控 message the host and only the host (or 管理) acknowledge; 管理 alone sees the team', () => {
    expect(mayRequest('operator', 'sendPrompt')).toBe(true);
    expect(mayRequest('host', 'sendPrompt')).toBe(false);
    expect(mayRequest('host', 'ackPrompt')).toBe(true);
    expect(mayRequest('buyer', 'ackPrompt')).toBe(false);
    for (const role of TeamRoles) expect(mayRequest(role, 'whoAmI')).toBe(true);
    for (const role of TeamRoles) expect(mayReceive(role, 'team'), role).toBe(role === 'admin');
    expect(mayReceive('host', 'prompt')).toBe(true);
  });
  it('name every request for some role but 管理 or mark it 管理-only, so a new request is a decision', () => {
    for (const n of ALL) {
      const someone = TeamRoles.filter((r) => r !== 'admin').some((r) => mayRequest(r, n));
      expect(someone || ADMIN_REQUESTS.includes(n), `${n} is neither given to a role nor 管理-only`).toBe(true);
    }
  });
});
