import { isGrpcDeadlineError, isGrpcServiceError, ServiceError } from '@temporalio/client';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** True when Temporal could not be reached (connection refused, timed out, unavailable). */
export function isTemporalUnreachable(error: unknown): boolean {
  if (isGrpcDeadlineError(error)) return true;
  if (isGrpcServiceError(error)) return error.code === UNAVAILABLE || error.code === DEADLINE_EXCEEDED;
  if (error instanceof ServiceError) return isTemporalUnreachable(error.cause) || error.cause === undefined;
  // Connection.lazy() fails its first call with a TransportError when the address does not answer.
  return error instanceof Error && (error.name === 'TransportError' || /failed to connect|connection refused|ECONNREFUSED/i.test(error.message));
}
