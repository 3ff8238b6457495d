import { mayActOn, type Permission, reachOf, type Reach, type RowOwnership } from '@cairn/contracts';
import { ForbiddenError } from '../common/errors';
import { missingPermission } from './access.guard';
import type { RequestPrincipal } from './principal';

const WHERE: Record<Exclude<Reach, 'any'>, string> = {
  own: 'on accounts you own or where you are the assignee',
  team: 'on accounts you or the people you manage own, or where one of you is the assignee',
  assigned: 'where you are the assignee',
};

/** The row rule of a permission (`mayActOn`), as a 403 that says who may: `what` is "decide this approval". */
export function assertMayActOn(principal: RequestPrincipal, permission: Permission, row: RowOwnership, what: string): void {
  if (mayActOn(principal, permission, row)) return;
  const reach = reachOf(principal, permission);
  if (!reach) throw missingPermission(principal, permission);
  if (reach === 'any') throw new Error('unreachable: a grant that reaches every row refused a row');
  throw new ForbiddenError(`You may ${what} only ${WHERE[reach]}`, permission);
}
