import { idParamSchema } from '@cairn/contracts';
import { z } from 'zod';

/**
 * Request types the contracts do not name yet, inferred from their schemas (never written twice).
 * The rest (EnrollRequest, DecideApprovalRequest, PublishRequest…) come from @cairn/contracts.
 */
export type IdParams = z.output<typeof idParamSchema>;
