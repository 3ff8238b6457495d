import { z } from 'zod';
import { labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const webhookDataSchema = z
  .object({
    label: labelSchema,
    url: z.url({ protocol: /^https?$/, error: 'Give a full http(s) URL' }),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).default({}),
    /** Templated JSON body; the account and run are added as `cairn` fields. */
    body: z.string().max(20_000).optional(),
    /** Attempts after the first, with exponential backoff. */
    retries: z.number().int().min(0).max(10).default(3),
  })
  .strict();

export const webhookNode = defineNode({
  type: 'webhook',
  label: 'Webhook',
  description: 'Call another system over HTTP, with retries.',
  category: 'touch',
  dataSchema: webhookDataSchema,
  defaults: { url: 'https://example.com/hooks/cairn', method: 'POST', retries: 3 },
  outputs: () => [NEXT, { handle: 'failed', label: 'Failed', required: false }],
});
