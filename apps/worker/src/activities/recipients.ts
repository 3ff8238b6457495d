import { AccountEntity, StakeholdersRepository, UserEntity, UsersRepository } from '@cairn/db';
import type { TemplateVariables } from '@cairn/playbook';
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from 'typeorm';

export interface Recipient {
  name: string;
  email: string;
  role: string;
  /** Set when the recipient is one of our people (a user), not the customer's. */
  userId?: string;
}

/** Roles on our side, by their relation to the account (the language's internal roles). */
export const INTERNAL_ROLES = ['csm', 'cs_manager', 'executive_sponsor', 'account_team'] as const;
export function isInternalRole(role: string): boolean {
  return (INTERNAL_ROLES as readonly string[]).includes(role);
}

export interface AccountContext {
  account: AccountEntity;
  csm: UserEntity | null;
}

export async function loadAccountContext(em: EntityManager, accountId: string): Promise<AccountContext> {
  const account = await em.findOne(AccountEntity, { where: { id: accountId }, relations: { csm: true } });
  // The account was deleted under a running playbook: retrying cannot help.
  if (!account) throw ApplicationFailure.nonRetryable(`Account ${accountId} no longer exists`, 'AccountNotFound');
  return { account, csm: account.csm ?? null };
}

/**
 * Which of our people holds an internal role for the account:
 * - `csm` and `account_team`: the account's CSM (the one member of the account team Cairn knows);
 * - `cs_manager`: the CSM's manager (users.manager_id), else the first cs_manager by name;
 * - `executive_sponsor`: the next level up, the manager of the CSM's manager, else the first admin
 *   by name (Cairn has no executive role of its own; admins stand in for leadership).
 * Null when nobody fits.
 */
export async function resolveInternalPerson(em: EntityManager, ctx: AccountContext, role: string): Promise<UserEntity | null> {
  const users = new UsersRepository(em);
  switch (role) {
    case 'csm':
    case 'account_team':
      return ctx.csm;
    case 'cs_manager':
      return ctx.csm?.managerId ? users.findById(ctx.csm.managerId) : users.firstWithRole('cs_manager');
    case 'executive_sponsor': {
      const manager = ctx.csm?.managerId ? await users.findById(ctx.csm.managerId) : null;
      const skipLevel = manager?.managerId ? await users.findById(manager.managerId) : null;
      return skipLevel ?? users.firstWithRole('admin');
    }
    default:
      return null;
  }
}

const ROLE_WORDS: Record<string, string> = { csm: 'CSM', cs_manager: 'CS manager', executive_sponsor: 'executive sponsor', account_team: 'account team' };

/** A role in words: "CSM", "CS manager", "economic buyer". */
export function roleWords(role: string): string {
  return ROLE_WORDS[role] ?? role.replace(/_/g, ' ');
}

/** The person a touch addressed to `role` goes to: one of our people for an internal role, else an active stakeholder of the account (its primary first). */
export async function resolveRecipient(em: EntityManager, ctx: AccountContext, role: string): Promise<Recipient> {
  if (isInternalRole(role)) {
    const user = await resolveInternalPerson(em, ctx, role);
    if (!user) throw ApplicationFailure.nonRetryable(missingRecipientReason(ctx, role), 'RecipientMissing');
    return { name: user.name, email: user.email, role, userId: user.id };
  }
  // The language addresses "users" (everyone in that role); the people map stores each as "user".
  // Someone who left is not addressed; the role's primary goes first.
  const person = await new StakeholdersRepository(em).recipientFor(ctx.account.id, role === 'users' ? 'user' : role);
  if (!person) throw ApplicationFailure.nonRetryable(missingRecipientReason(ctx, role), 'RecipientMissing');
  return { name: person.name, email: person.email, role };
}

/** Like resolveRecipient, but a missing person is null (the caller records why) instead of a failure. */
export async function findRecipient(em: EntityManager, ctx: AccountContext, role: string): Promise<Recipient | null> {
  try {
    return await resolveRecipient(em, ctx, role);
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === 'RecipientMissing') return null;
    throw error;
  }
}

/** Why nobody received a touch addressed to `role`, in words. */
export function missingRecipientReason(ctx: AccountContext, role: string): string {
  if (role === 'csm' || role === 'account_team') return `${ctx.account.name} has no CSM assigned`;
  return isInternalRole(role) ? `Nobody is the ${roleWords(role)} of ${ctx.account.name}` : `${ctx.account.name} has no ${roleWords(role)} in its people map`;
}

/** The variables a touch template may use. */
export function templateVariables(ctx: AccountContext, recipient: Recipient | null): TemplateVariables {
  return {
    account: { name: ctx.account.name, domain: ctx.account.domain },
    csm: ctx.csm ? { name: ctx.csm.name, email: ctx.csm.email } : {},
    recipient: recipient ? { name: recipient.name, email: recipient.email, role: recipient.role } : {},
  };
}
