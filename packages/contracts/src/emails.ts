import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

/** An email Cairn sent, with the run, step and approval it came from. */
export const sentEmailSchema = z.object({
  id: uuidSchema,
  runId: uuidSchema,
  nodeId: z.string(),
  approvalId: uuidSchema.nullable(),
  accountId: uuidSchema,
  toAddress: z.string(),
  toRole: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(['sending', 'sent']),
  messageId: z.string().nullable(),
  reason: z.string(),
  sentAt: isoDateTimeSchema.nullable(),
});
export type SentEmail = z.infer<typeof sentEmailSchema>;
