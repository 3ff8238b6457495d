import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ErrorFilter } from './error.filter';
import { ConflictError, ForbiddenError, InvalidPlaybookError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, TooManyRequestsError, UnauthorizedError, UnsupportedMediaTypeError, ValidationError } from './errors';

/** What Express' body parser throws for a body over the limit (an `http-errors` error). */
const payloadTooLarge = Object.assign(new Error('request entity too large'), { status: 413, statusCode: 413, expose: true, type: 'entity.too.large' });

describe('ErrorFilter', () => {
  const filter = new ErrorFilter();
  const quiet = () => jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);

  it.each([
    ['invalid playbook', new InvalidPlaybookError([{ path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' }]), 400, 'invalid_playbook'],
    ['validation', new ValidationError('bad', [{ path: 'body.x', message: 'Unknown field "x"' }]), 400, 'validation_failed'],
    ['not found', new NotFoundError('Run', 'x'), 404, 'not_found'],
    ['conflict', new ConflictError('already running'), 409, 'conflict'],
    ['not signed in', new UnauthorizedError('Sign in first'), 401, 'unauthorized'],
    ['not allowed', new ForbiddenError('Your role may not', 'playbooks:publish'), 403, 'forbidden'],
    ['too many sign-in attempts', new TooManyRequestsError('Wait', 60), 429, 'too_many_requests'],
    ['temporal down', new ServiceUnavailableError('Temporal cannot be reached'), 503, 'service_unavailable'],
    ['malformed JSON (Nest maps body-parser SyntaxError)', new BadRequestException('Unexpected token n in JSON at position 1'), 400, 'malformed_json'],
    ['undecodable path parameter', new BadRequestException("Failed to decode param '%FF'"), 400, 'bad_request'],
    ['unknown route', new NotFoundException('Cannot GET /api/nope'), 404, 'not_found'],
    ['body too large', payloadTooLarge, 413, 'payload_too_large'],
    ['an uploaded file too large (multer, through Nest)', new PayloadTooLargeException('File too large'), 413, 'payload_too_large'],
    ['too many rows', new PayloadTooLargeError('10,001 rows'), 413, 'payload_too_large'],
    ['a body we do not read', new UnsupportedMediaTypeError('send text/csv'), 415, 'unsupported_media_type'],
    ['a file under another form field (multer, through Nest)', new BadRequestException('Unexpected file field - upload'), 400, 'bad_upload'],
    ['a conflict naming accounts', new ConflictError('does not fit', { issues: [{ path: 'accounts.x', message: 'Initech' }] }), 409, 'conflict'],
  ])('maps %s to %d %s', (_name, error, status, code) => {
    quiet();
    expect(filter.toBody(error)).toMatchObject({ statusCode: status, error: code });
  });

  it('says what the limit is when a parser refuses a body as too large', () => {
    expect(filter.toBody(payloadTooLarge).message).toBe('The request body is larger than 5 MB, the most one request may carry');
    expect(filter.toBody(new PayloadTooLargeException('File too large')).message).toBe('The request body is larger than 5 MB, the most one request may carry');
  });

  it('keeps the issues of a domain error', () => {
    expect(filter.toBody(new InvalidPlaybookError([{ path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' }])).issues).toEqual([
      { path: 'nodes[1].data.duration', message: 'bad', nodeId: 'wait-3d' },
    ]);
  });

  it('keeps the field a conflict names', () => {
    expect(filter.toBody(new ConflictError('Taken', { issues: [{ path: 'body.email', code: 'duplicate', message: 'Taken' }] }))).toEqual({
      statusCode: 409,
      error: 'conflict',
      message: 'Taken',
      issues: [{ path: 'body.email', code: 'duplicate', message: 'Taken' }],
    });
  });

  it('names the permission a 403 needed', () => {
    expect(filter.toBody(new ForbiddenError('Your role (viewer) does not have the permission "playbooks:publish"', 'playbooks:publish'))).toEqual({
      statusCode: 403,
      error: 'forbidden',
      message: 'Your role (viewer) does not have the permission "playbooks:publish"',
      issues: [],
      permission: 'playbooks:publish',
    });
  });

  it('does not echo the parser message of a malformed body', () => {
    expect(filter.toBody(new BadRequestException('Unexpected token } in JSON at position 12'))).toEqual({ statusCode: 400, error: 'malformed_json', message: 'The request body is not valid JSON', issues: [] });
  });

  it('never returns internals of an unexpected error', () => {
    const logged = quiet();
    const body = filter.toBody(new Error('connection to 10.0.0.5:5432 refused; password=hunter2'));
    expect(body).toEqual({ statusCode: 500, error: 'internal_error', message: 'Something went wrong on our side; it has been logged', issues: [] });
    expect(logged).toHaveBeenCalled();
  });

  it.each([
    ['a NUL in text', '22021'],
    ['a NUL in jsonb', '22P05'],
    ['a lone surrogate in jsonb', '22P02'],
    ['an integer out of range', '22003'],
    ['a date out of range', '22008'],
  ])('maps Postgres refusing a value (%s, %s) to 400 without returning what it said', (_name, code) => {
    const logged = jest.spyOn(filter['logger'], 'warn').mockImplementation(() => undefined);
    const error = new QueryFailedError('SELECT * FROM secret_table WHERE x = $1', ['a\u0000'], Object.assign(new Error('invalid byte sequence near secret_table'), { code }));
    const body = filter.toBody(error);
    expect(body).toMatchObject({ statusCode: 400, error: 'invalid_value', issues: [] });
    expect(JSON.stringify(body)).not.toContain('secret_table');
    expect(logged).toHaveBeenCalled();
  });

  it('keeps other database errors a 500', () => {
    quiet();
    const error = new QueryFailedError('INSERT …', [], Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    expect(filter.toBody(error).statusCode).toBe(500);
  });

  it('logs the cause of a 503 without returning it', () => {
    const logged = quiet();
    const body = filter.toBody(new ServiceUnavailableError('Temporal cannot be reached', { cause: new Error('dial tcp 10.0.0.7:7233: refused') }));
    expect(JSON.stringify(body)).not.toContain('10.0.0.7');
    expect(logged).toHaveBeenCalled();
  });
});
