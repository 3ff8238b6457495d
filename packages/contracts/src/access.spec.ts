import { can, mayActOn, mayReassign, type Permission, PERMISSIONS, permissionsOf, type Principal, reachOf, type RowOwnership, ROLE_GRANTS, TOKEN_SCOPES } from './access';
import { createTokenRequestSchema } from './auth';
import type { UserRole } from './users';

const ME = '00000000-0000-4000-8000-00000000000a';
const MY_REPORT = '00000000-0000-4000-8000-00000000000b';
const SOMEONE = '00000000-0000-4000-8000-00000000000c';
const THEIR_MANAGER = '00000000-0000-4000-8000-00000000000d';

const person = (role: UserRole): Principal => ({ kind: 'user', id: ME, name: 'Me', role });
const token = (...scopes: Permission[]): Principal => ({ kind: 'token', id: ME, name: 'CRM sync', scopes });

const READS: Permission[] = ['accounts:read', 'playbooks:read', 'runs:read', 'approvals:read', 'tasks:read'];

/** The whole table, written out: a change to a role's grants changes this on purpose. */
const expected: Record<UserRole, Permission[]> = {
  viewer: READS,
  csm: [...READS, 'accounts:write', 'runs:cancel', 'approvals:decide', 'tasks:complete'],
  cs_manager: [...READS, 'accounts:write', 'runs:cancel', 'approvals:decide', 'tasks:complete'],
  ops: [...READS, 'accounts:write', 'accounts:manage', 'segments:write', 'playbooks:write', 'playbooks:publish', 'runs:enroll', 'runs:cancel', 'approvals:decide', 'tasks:complete', 'events:write', 'audit:read'],
  admin: PERMISSIONS,
};

describe('the role → permissions table', () => {
  const cells = (Object.keys(expected) as UserRole[]).flatMap((role) => PERMISSIONS.map((permission) => [role, permission, expected[role].includes(permission)] as const));

  it.each(cells)('%s may use %s: %s', (role, permission, allowed) => {
    expect(can(person(role), permission)).toBe(allowed);
  });

  it('covers every role', () => {
    expect(Object.keys(ROLE_GRANTS).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each([
    ['publishes', 'playbooks:publish', ['ops', 'admin']],
    ['enrolls', 'runs:enroll', ['ops', 'admin']],
    ['manages users', 'users:manage', ['admin']],
    ['manages tokens', 'tokens:manage', ['admin']],
    ['reads the audit log', 'audit:read', ['ops', 'admin']],
    ['decides approvals', 'approvals:decide', ['csm', 'cs_manager', 'ops', 'admin']],
  ] as const)('only the listed roles: who %s', (_what, permission, roles) => {
    expect((Object.keys(expected) as UserRole[]).filter((r) => can(person(r), permission)).sort()).toEqual([...roles].sort());
  });

  it('lets a viewer read everything people read, and change nothing', () => {
    expect(permissionsOf(person('viewer'))).toEqual(READS);
    expect(PERMISSIONS.filter((p) => !p.endsWith(':read')).some((p) => can(person('viewer'), p))).toBe(false);
  });

  it('refuses nobody signed in', () => {
    expect(PERMISSIONS.some((p) => can(null, p))).toBe(false);
    expect(permissionsOf(null)).toEqual([]);
  });
});

describe('API tokens', () => {
  it('carry only their scopes', () => {
    const events = token('events:write');
    expect(permissionsOf(events)).toEqual(['events:write']);
    expect(can(events, 'accounts:read')).toBe(false);
  });

  it.each(PERMISSIONS.map((p) => [p, (TOKEN_SCOPES as readonly string[]).includes(p)] as const))('%s may be a token scope: %s', (permission, allowed) => {
    expect(createTokenRequestSchema.safeParse({ name: 'x', scopes: [permission] }).success).toBe(allowed);
    // Even a token stored with a scope it may not carry (written by hand, or by an older version) does not get it.
    expect(can(token(permission), permission)).toBe(allowed);
  });

  it('never carry decisions a person answers for, or administration', () => {
    for (const p of ['approvals:decide', 'tasks:complete', 'runs:cancel', 'playbooks:publish', 'segments:write', 'users:manage', 'tokens:manage'] as const) {
      expect(TOKEN_SCOPES as readonly string[]).not.toContain(p);
    }
  });

  it('reach every row of their scopes', () => {
    expect(reachOf(token('accounts:write'), 'accounts:write')).toBe('any');
    expect(mayActOn(token('accounts:write'), 'accounts:write', { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER })).toBe(true);
  });
});

describe('row rules (mayActOn)', () => {
  const ownAccount: RowOwnership = { accountCsmId: ME, accountCsmManagerId: THEIR_MANAGER, assigneeId: SOMEONE, assigneeManagerId: THEIR_MANAGER };
  const assignedToMe: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: ME, assigneeManagerId: THEIR_MANAGER };
  const myReportsAccount: RowOwnership = { accountCsmId: MY_REPORT, accountCsmManagerId: ME, assigneeId: MY_REPORT, assigneeManagerId: ME };
  const reassignedToMyReport: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: MY_REPORT, assigneeManagerId: ME };
  const someoneElses: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: SOMEONE, assigneeManagerId: THEIR_MANAGER };
  const nobodys: RowOwnership = { accountCsmId: null, accountCsmManagerId: null, assigneeId: null, assigneeManagerId: null };
  const accountOnly = (csm: string | null, manager: string | null): RowOwnership => ({ accountCsmId: csm, accountCsmManagerId: manager });

  type Case = [who: UserRole, permission: Permission, row: string, ownership: RowOwnership, allowed: boolean];
  const cases: Case[] = [
    ['csm', 'approvals:decide', 'on an account they own', ownAccount, true],
    ['csm', 'approvals:decide', 'assigned to them', assignedToMe, true],
    ['csm', 'approvals:decide', "on another CSM's account", someoneElses, false],
    ['csm', 'approvals:decide', "on their report's account (they manage nobody)", myReportsAccount, false],
    ['csm', 'approvals:decide', 'on an account nobody owns', nobodys, false],
    ['csm', 'tasks:complete', 'assigned to them', assignedToMe, true],
    ['csm', 'tasks:complete', "on another CSM's account", someoneElses, false],
    ['csm', 'runs:cancel', 'on an account they own', accountOnly(ME, THEIR_MANAGER), true],
    ['csm', 'runs:cancel', "on another CSM's account", accountOnly(SOMEONE, THEIR_MANAGER), false],
    ['csm', 'accounts:write', 'on an account they own', accountOnly(ME, null), true],
    ['csm', 'accounts:write', "on another CSM's account", accountOnly(SOMEONE, null), false],
    ['cs_manager', 'approvals:decide', "on their team's account", myReportsAccount, true],
    ['cs_manager', 'approvals:decide', 'reassigned to someone on their team', reassignedToMyReport, true],
    ['cs_manager', 'approvals:decide', 'assigned to them', assignedToMe, true],
    ['cs_manager', 'approvals:decide', "on another team's account", someoneElses, false],
    ['cs_manager', 'tasks:complete', "on their team's account", myReportsAccount, true],
    ['cs_manager', 'runs:cancel', "on their team's account", accountOnly(MY_REPORT, ME), true],
    ['cs_manager', 'runs:cancel', "on another team's account", accountOnly(SOMEONE, THEIR_MANAGER), false],
    ['cs_manager', 'accounts:write', "on their team's account", accountOnly(MY_REPORT, ME), true],
    ['ops', 'approvals:decide', 'assigned to them', assignedToMe, true],
    ['ops', 'approvals:decide', 'on an account whose CSM they are (still only if assigned)', ownAccount, false],
    ['ops', 'approvals:decide', "on another CSM's account", someoneElses, false],
    ['ops', 'tasks:complete', "on another CSM's account", someoneElses, false],
    ['ops', 'runs:cancel', "on another CSM's account", accountOnly(SOMEONE, THEIR_MANAGER), true],
    ['ops', 'accounts:write', "on another CSM's account", accountOnly(SOMEONE, THEIR_MANAGER), true],
    ['admin', 'approvals:decide', "on another CSM's account", someoneElses, true],
    ['admin', 'approvals:decide', 'on an account nobody owns', nobodys, true],
    ['admin', 'tasks:complete', "on another CSM's account", someoneElses, true],
    ['viewer', 'approvals:decide', 'assigned to them', assignedToMe, false],
    ['viewer', 'accounts:write', 'on an account they own', accountOnly(ME, null), false],
  ];

  it.each(cases)('%s with %s %s: %s', (role, permission, _row, ownership, allowed) => {
    expect(mayActOn(person(role), permission, ownership)).toBe(allowed);
  });

  it('refuses nobody signed in', () => {
    expect(mayActOn(null, 'approvals:decide', ownAccount)).toBe(false);
  });
});

describe('who may reassign (mayReassign)', () => {
  const assignedToMe: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: ME, assigneeManagerId: THEIR_MANAGER };
  const myOwnAccountAssignedElsewhere: RowOwnership = { accountCsmId: ME, accountCsmManagerId: THEIR_MANAGER, assigneeId: SOMEONE, assigneeManagerId: THEIR_MANAGER };
  const assignedToMyReport: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: MY_REPORT, assigneeManagerId: ME };
  const someoneElses: RowOwnership = { accountCsmId: SOMEONE, accountCsmManagerId: THEIR_MANAGER, assigneeId: SOMEONE, assigneeManagerId: THEIR_MANAGER };
  const unassignedMyAccount: RowOwnership = { accountCsmId: ME, accountCsmManagerId: THEIR_MANAGER, assigneeId: null, assigneeManagerId: null };
  const unassignedMyReportsAccount: RowOwnership = { accountCsmId: MY_REPORT, accountCsmManagerId: ME, assigneeId: null, assigneeManagerId: null };

  const cases: Array<[who: UserRole, row: string, ownership: RowOwnership, allowed: boolean]> = [
    ['csm', 'assigned to them', assignedToMe, true],
    ['csm', 'on their account but assigned to someone else (escalated)', myOwnAccountAssignedElsewhere, false],
    ['csm', "assigned to someone else", someoneElses, false],
    ['csm', 'unassigned, on their account', unassignedMyAccount, true],
    ['cs_manager', 'assigned to their report', assignedToMyReport, true],
    ['cs_manager', 'assigned to them', assignedToMe, true],
    ['cs_manager', "assigned to another team's CSM", someoneElses, false],
    ['cs_manager', "unassigned, on their report's account", unassignedMyReportsAccount, true],
    ['ops', "assigned to anyone", someoneElses, true],
    ['admin', "assigned to anyone", someoneElses, true],
    ['viewer', 'assigned to them', assignedToMe, false],
  ];
  it.each(cases)('%s, %s: %s', (role, _row, ownership, allowed) => {
    expect(mayReassign(person(role), ownership)).toBe(allowed);
  });

  it('refuses tokens and nobody', () => {
    expect(mayReassign(token(...TOKEN_SCOPES), someoneElses)).toBe(false);
    expect(mayReassign(null, someoneElses)).toBe(false);
  });
});
