import { IMPORT_MAX_BYTES } from '@cairn/contracts';

/** The most one request body may carry: a batch of 1,000 events, or an account import's CSV (413 above it). */
export const BODY_LIMIT_BYTES = IMPORT_MAX_BYTES;
export const BODY_LIMIT_LABEL = `${BODY_LIMIT_BYTES / (1024 * 1024)} MB`;
