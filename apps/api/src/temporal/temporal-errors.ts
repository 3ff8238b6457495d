import { isTemporalUnreachable } from '@cairn/enrollment';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConflictError, ServiceUnavailableError } from '../common/errors';

// One definition of "unreachable", shared with bulk enrollment (which stops starting runs on it).
export { isTemporalUnreachable };

/**
 * Translates what Temporal answered into the API's errors, so the caller sees a 409 or a 503
 * instead of a 500 (the original error is kept as `cause`, logged by the filter for 5xx).
 */
export function fromTemporalError(error: unknown, conflicts: { alreadyStarted?: string; notFound?: string; updateRefused?: string }): unknown {
  // The workflow's validator refused the Update (nothing was written to its history).
  if (error instanceof WorkflowUpdateFailedError && conflicts.updateRefused) return new ConflictError(conflicts.updateRefused, { cause: error });
  if (error instanceof WorkflowExecutionAlreadyStartedError && conflicts.alreadyStarted) return new ConflictError(conflicts.alreadyStarted, { cause: error });
  if (error instanceof WorkflowNotFoundError && conflicts.notFound) return new ConflictError(conflicts.notFound, { cause: error });
  if (isTemporalUnreachable(error)) return new ServiceUnavailableError('The workflow engine (Temporal) cannot be reached right now; nothing was changed, please retry', { cause: error });
  return error;
}

/** How long a call to Temporal made while serving a request may take. */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

/** The reason the run's validator gave for refusing an Update, for the 409. */
export function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  return error.cause instanceof Error && error.cause.message ? error.cause.message : 'the run refused it';
}
