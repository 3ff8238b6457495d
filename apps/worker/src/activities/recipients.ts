import { AccountEntity, StakeholderEntity, UserEntity } from '@cairn/db';
import type { TemplateVariables } from '@cairn/playbook';
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from 'typeorm';

export interface Recipient {
  name: string;
  email: string;
  role: string;
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

/** The person a touch addressed to `role` goes to: a stakeholder of the account, or its CSM. */
export async function resolveRecipient(em: EntityManager, ctx: AccountContext, role: string): Promise<Recipient> {
  if (role === 'csm') {
    if (!ctx.csm) throw ApplicationFailure.nonRetryable(`${ctx.account.name} has no CSM assigned`, 'RecipientMissing');
    return { name: ctx.csm.name, email: ctx.csm.email, role };
  }
  // The language addresses "users" (everyone in that role); the people map stores each as "user".
  const person = await em.findOne(StakeholderEntity, { where: { accountId: ctx.account.id, role: role === 'users' ? 'user' : role }, order: { name: 'ASC' } });
  if (!person) throw ApplicationFailure.nonRetryable(`${ctx.account.name} has no ${role.replace('_', ' ')} in its people map`, 'RecipientMissing');
  return { name: person.name, email: person.email, role };
}

/** The variables a touch template may use. */
export function templateVariables(ctx: AccountContext, recipient: Recipient | null): TemplateVariables {
  return {
    account: { name: ctx.account.name, domain: ctx.account.domain },
    csm: ctx.csm ? { name: ctx.csm.name, email: ctx.csm.email } : {},
    recipient: recipient ? { name: recipient.name, email: recipient.email, role: recipient.role } : {},
  };
}
