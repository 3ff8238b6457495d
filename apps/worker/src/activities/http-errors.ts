import { ApplicationFailure } from '@temporalio/activity';
import { isHttpDeliveryError } from '../http';

/** The receiver refused (4xx other than 408/429) or the request itself is wrong: retrying cannot help. */
export function isFinalHttpError(error: unknown): boolean {
  return isHttpDeliveryError(error) && !error.retryable;
}

/** The error's message, for the record. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A retryable delivery error as the activity throws it: as it is, or, when the receiver said when
 * to come back (`Retry-After`), as a retryable failure that tells Temporal to wait that long.
 */
export function retryableHttpError(error: unknown): unknown {
  if (isHttpDeliveryError(error) && error.retryAfterMs !== undefined) {
    return ApplicationFailure.create({ message: error.message, type: 'HttpDeliveryError', nonRetryable: false, nextRetryDelay: error.retryAfterMs, cause: error });
  }
  return error;
}
