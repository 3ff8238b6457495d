import { z } from 'zod';
import { type UserRole, userRoleSchema } from './users';

/**
 * Who may do what: the permission catalogue, what each role is granted (and how far it reaches),
 * which permissions an API token may carry, and the checks over them. Pure data and functions:
 * the API enforces them (a guard on every route, row rules in services) and the web app reads
 * them to hide what the signed-in person cannot do.
 */

/** Every permission, `resource:action`, with what it allows. */
export const PERMISSION_DESCRIPTIONS = {
  'accounts:read': 'Read accounts, their people map, profile and events',
  'accounts:write': "Change an account's profile and people map",
  'accounts:manage': 'Create and import accounts; define account fields',
  'segments:write': 'Create, change and archive segments',
  'playbooks:read': 'Read playbooks, drafts and published versions',
  'playbooks:write': 'Create playbooks and save drafts',
  'playbooks:publish': 'Publish a draft as a new version',
  'runs:read': 'Read runs, their history and the emails they sent',
  'runs:enroll': 'Enroll accounts into a playbook',
  'runs:cancel': 'Cancel a running run',
  'approvals:read': 'Read the approvals inbox',
  'approvals:decide': 'Approve or reject a step',
  'tasks:read': 'Read tasks',
  'tasks:complete': 'Mark a task done',
  'events:write': 'Send account events (product, CRM, support)',
  'users:manage': 'List, create, change and deactivate users',
  'tokens:manage': 'Create, list and revoke API tokens',
  'audit:read': 'Read the audit log',
} as const;

export type Permission = keyof typeof PERMISSION_DESCRIPTIONS;
export const PERMISSIONS = Object.keys(PERMISSION_DESCRIPTIONS) as Permission[];
export const permissionSchema = z.enum(PERMISSIONS as [Permission, ...Permission[]]);

/**
 * How far a grant reaches over rows that belong to accounts and people:
 * - `any`: every row;
 * - `team`: accounts the person owns or is assigned on, and those of the people they manage;
 * - `own`: accounts the person owns (accounts.csm_id), or rows assigned to them;
 * - `assigned`: only rows assigned to them.
 */
export type Reach = 'any' | 'team' | 'own' | 'assigned';

const READ = { 'accounts:read': 'any', 'playbooks:read': 'any', 'runs:read': 'any', 'approvals:read': 'any', 'tasks:read': 'any' } as const;

/** The role → permissions table. A permission missing from a role's row is refused. */
export const ROLE_GRANTS: Readonly<Record<UserRole, Readonly<Partial<Record<Permission, Reach>>>>> = {
  viewer: { ...READ },
  csm: { ...READ, 'accounts:write': 'own', 'runs:cancel': 'own', 'approvals:decide': 'own', 'tasks:complete': 'own' },
  cs_manager: { ...READ, 'accounts:write': 'team', 'runs:cancel': 'team', 'approvals:decide': 'team', 'tasks:complete': 'team' },
  ops: {
    ...READ,
    'accounts:write': 'any',
    'accounts:manage': 'any',
    'segments:write': 'any',
    'playbooks:write': 'any',
    'playbooks:publish': 'any',
    'runs:enroll': 'any',
    'runs:cancel': 'any',
    // Ops design and run playbooks; a decision on an account's step is theirs only when it was given to them.
    'approvals:decide': 'assigned',
    'tasks:complete': 'assigned',
    'events:write': 'any',
    'audit:read': 'any',
  },
  admin: Object.fromEntries(PERMISSIONS.map((p) => [p, 'any'])) as Record<Permission, Reach>,
};

/**
 * What an API token may carry: what integrations do (read, send events, sync accounts, enroll).
 * Decisions a person answers for (approve, complete, cancel, publish) and administration (users,
 * tokens) are never a token's.
 */
export const TOKEN_SCOPES = [
  'accounts:read',
  'accounts:write',
  'accounts:manage',
  'playbooks:read',
  'runs:read',
  'runs:enroll',
  'approvals:read',
  'tasks:read',
  'events:write',
  'audit:read',
] as const satisfies readonly Permission[];
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);

/** Who is asking: a signed-in person, or an integration with an API token. */
export type Principal = { kind: 'user'; id: string; name: string; role: UserRole } | { kind: 'token'; id: string; name: string; scopes: readonly Permission[] };

/** How far `principal` may use `permission`; null when it may not at all. */
export function reachOf(principal: Principal | null, permission: Permission): Reach | null {
  if (!principal) return null;
  if (principal.kind === 'token') return principal.scopes.includes(permission) && (TOKEN_SCOPES as readonly Permission[]).includes(permission) ? 'any' : null;
  return ROLE_GRANTS[principal.role][permission] ?? null;
}

/** Whether `principal` holds `permission` at all (the route-level check). */
export function can(principal: Principal | null, permission: Permission): boolean {
  return reachOf(principal, permission) !== null;
}

/** Every permission `principal` holds, in catalogue order. */
export function permissionsOf(principal: Principal | null): Permission[] {
  return PERMISSIONS.filter((p) => can(principal, p));
}

/** Who a row belongs to, for the row rules: the account's CSM and the row's assignee, with their managers. */
export interface RowOwnership {
  /** accounts.csm_id of the row's account (null: nobody owns it). */
  accountCsmId: string | null;
  /** The manager of that CSM (users.manager_id). */
  accountCsmManagerId: string | null;
  /** The person the approval or task is assigned to, if the row has one. */
  assigneeId?: string | null;
  assigneeManagerId?: string | null;
}

/** Whether `principal` may use `permission` on a row owned as `row` says (the service-level check). */
export function mayActOn(principal: Principal | null, permission: Permission, row: RowOwnership): boolean {
  const reach = reachOf(principal, permission);
  if (!reach || !principal) return false;
  if (reach === 'any') return true;
  const me = principal.id;
  const assigned = row.assigneeId != null && row.assigneeId === me;
  if (reach === 'assigned') return assigned;
  const owns = row.accountCsmId !== null && row.accountCsmId === me;
  if (reach === 'own') return owns || assigned;
  const manages = (row.accountCsmId !== null && row.accountCsmManagerId === me) || (row.assigneeId != null && row.assigneeManagerId === me);
  return owns || assigned || manages;
}

/**
 * Who may hand a pending approval or open task to someone else (the row rule of reassigning; the
 * route needs `approvals:decide` / `tasks:complete`): the assignee, their manager (or, when nobody
 * is assigned, the account's CSM and that CSM's manager), ops and admins. Never a token.
 */
export function mayReassign(principal: Principal | null, row: RowOwnership): boolean {
  if (!principal || principal.kind !== 'user') return false;
  if (principal.role === 'admin' || principal.role === 'ops') return true;
  if (principal.role === 'viewer') return false;
  const me = principal.id;
  if (row.assigneeId != null) return row.assigneeId === me || row.assigneeManagerId === me;
  return row.accountCsmId === me || (row.accountCsmId !== null && row.accountCsmManagerId === me);
}

/** Parses a role name (for the CLI and configuration). */
export function isUserRole(value: string): value is UserRole {
  return userRoleSchema.safeParse(value).success;
}
