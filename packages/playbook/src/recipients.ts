import { z } from 'zod';

/** People on the customer's side, by their role in the account's people map (`users`: everyone whose role is user). */
export const stakeholderRoleSchema = z.enum(['champion', 'sponsor', 'economic_buyer', 'contract_holder', 'product_owner', 'program_leader', 'admin', 'users']);

/** People on our side, by their relation to the account. */
export const internalRoleSchema = z.enum(['csm', 'cs_manager', 'executive_sponsor', 'account_team']);

/** Who a touch or task is for. */
export const recipientSchema = z.union([stakeholderRoleSchema, internalRoleSchema]);
export type Recipient = z.infer<typeof recipientSchema>;

export function isInternalRole(role: string): boolean {
  return internalRoleSchema.safeParse(role).success;
}
