import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConflictError, ServiceUnavailableError } from '../common/errors';
import { fromTemporalError, isTemporalUnreachable } from './temporal-errors';

/** A gRPC error as @grpc/grpc-js reports it. */
const grpcError = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: 'x', metadata: {} });

describe('fromTemporalError', () => {
  it('turns "already started" into 409 when the caller expects it', () => {
    const error = fromTemporalError(new WorkflowExecutionAlreadyStartedError('started', 'wf', 'playbookRun'), { alreadyStarted: 'already running' });
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe('already running');
  });

  it('turns "workflow not found" into 409 when the caller expects it', () => {
    expect(fromTemporalError(new WorkflowNotFoundError('gone', 'wf', undefined), { notFound: 'no longer waiting' })).toBeInstanceOf(ConflictError);
  });

  it('turns an Update the workflow refused into 409 when the caller expects it', () => {
    const refused = new WorkflowUpdateFailedError('Workflow Update failed', new Error('This run is not waiting for approval x'));
    expect(fromTemporalError(refused, { updateRefused: 'not waiting' })).toMatchObject({ statusCode: 409, message: 'not waiting' });
  });

  it('turns an unreachable server into 503', () => {
    expect(fromTemporalError(new ServiceError('failed', { cause: grpcError(14) }), {})).toBeInstanceOf(ServiceUnavailableError);
    expect(isTemporalUnreachable(grpcError(4))).toBe(true);
  });

  it('leaves anything else alone (a 500, logged)', () => {
    const other = grpcError(3);
    expect(fromTemporalError(other, { alreadyStarted: 'x' })).toBe(other);
    expect(isTemporalUnreachable(new Error('boom'))).toBe(false);
  });
});
