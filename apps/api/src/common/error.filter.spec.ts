import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ErrorFilter } from './error.filter';
import { ConflictError, InvalidPlaybookError, NotFoundError } from './errors';

describe('ErrorFilter', () => {
  const filter = new ErrorFilter();

  it.each([
    [new InvalidPlaybookError([{ path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' }]), 400, 'invalid_playbook'],
    [new NotFoundError('Run', 'x'), 404, 'not_found'],
    [new ConflictError('already running'), 409, 'conflict'],
    [new BadRequestException('Unexpected token'), 400, 'http_error'],
    [new NotFoundException('Cannot GET /api/nope'), 404, 'not_found'],
  ])('maps %p to %d', (error, status, code) => {
    expect(filter.toBody(error)).toMatchObject({ statusCode: status, error: code });
  });

  it('keeps the issues of a domain error', () => {
    expect(filter.toBody(new InvalidPlaybookError([{ path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' }])).issues).toEqual([
      { path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' },
    ]);
  });

  it('never returns internals of an unexpected error', () => {
    const logged = jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);
    const body = filter.toBody(new Error('connection to 10.0.0.5:5432 refused; password=hunter2'));
    expect(body).toEqual({ statusCode: 500, error: 'internal_error', message: 'Something went wrong on our side; it has been logged', issues: [] });
    expect(logged).toHaveBeenCalled();
  });
});
