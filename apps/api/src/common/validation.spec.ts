import { createPlaybookRequestSchema, decideApprovalRequestSchema, enrollRequestSchema, idParamSchema, listAccountsQuerySchema, listApprovalsQuerySchema, listRunsQuerySchema, publishRequestSchema } from '@cairn/contracts';
import { templates } from '@cairn/playbook';
import type { z } from 'zod';
import { ErrorFilter } from './error.filter';
import { ValidationError } from './errors';
import { parseRequest, type RequestPart, ZodValidationPipe } from './validation';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

/** Runs the pipe as Nest would and returns the error body the client gets. */
function rejection(schema: z.ZodType, value: unknown, part: RequestPart) {
  try {
    new ZodValidationPipe(schema, part).transform(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return new ErrorFilter().toBody(error);
  }
  throw new Error('expected the request to be rejected');
}

describe('ZodValidationPipe', () => {
  type Case = [name: string, schema: z.ZodType, value: unknown, part: RequestPart, paths: string[]];
  const rejected: Case[] = [
    ['enroll: a missing field', enrollRequestSchema, {}, 'body', ['body.accountId']],
    ['enroll: a malformed id', enrollRequestSchema, { accountId: 'acme' }, 'body', ['body.accountId']],
    ['enroll: setting the status (mass assignment)', enrollRequestSchema, { accountId: uuid, status: 'completed' }, 'body', ['body.status']],
    ['enroll: choosing the version (mass assignment)', enrollRequestSchema, { accountId: uuid, playbookVersionId: uuid }, 'body', ['body.playbookVersionId']],
    ['enroll: a blank reason', enrollRequestSchema, { accountId: uuid, reason: '  ' }, 'body', ['body.reason']],
    ['decide: several unknown fields, naming the decider among them', decideApprovalRequestSchema, { decision: 'approved', decidedById: uuid, status: 'x', role: 'admin' }, 'body', ['body.decidedById', 'body.status', 'body.role']],
    ['decide: a value outside the enum', decideApprovalRequestSchema, { decision: 'maybe' }, 'body', ['body.decision']],
    ['decide: expiring by hand', decideApprovalRequestSchema, { decision: 'expired' }, 'body', ['body.decision']],
    ['decide: no body at all', decideApprovalRequestSchema, undefined, 'body', ['body.decision']],
    ['create playbook: setting the id (mass assignment)', createPlaybookRequestSchema, { document: templates['onboarding-kickoff'], id: uuid }, 'body', ['body.id']],
    ['publish: forcing a version number (mass assignment)', publishRequestSchema, { version: 7 }, 'body', ['body.version']],
    ['publish: naming the publisher (the signed-in person publishes)', publishRequestSchema, { publishedBy: 'Olivia Park' }, 'body', ['body.publishedBy']],
    ['params: a bad id', idParamSchema, { id: '42' }, 'params', ['params.id']],
    ['approvals query: an unknown status', listApprovalsQuerySchema, { status: 'later' }, 'query', ['query.status']],
    ['approvals query: an unknown parameter', listApprovalsQuerySchema, { owner: 'casey' }, 'query', ['query.owner']],
    ['runs query: a malformed account id', listRunsQuerySchema, { accountId: 'acme' }, 'query', ['query.accountId']],
    ['runs query: an unknown filter', listRunsQuerySchema, { owner: 'casey' }, 'query', ['query.owner']],
    ['enroll: a NUL character in the reason', enrollRequestSchema, { accountId: uuid, reason: 'Signed\u0000' }, 'body', ['body.reason']],
    ['enroll: a lone surrogate under an unknown field', enrollRequestSchema, { accountId: uuid, extra: { note: ['\ud800'] } }, 'body', ['body.extra.note[0]']],
    ['accounts query: a NUL character in the search', listAccountsQuerySchema, { q: 'ac\u0000me' }, 'query', ['query.q']],
    ['accounts query: a limit over 200', listAccountsQuerySchema, { limit: '500' }, 'query', ['query.limit']],
  ];

  it.each(rejected)('rejects %s with 400 naming the field', (_name, schema, value, part, paths) => {
    const body = rejection(schema, value, part);
    expect(body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(body.issues.map((i) => i.path).sort()).toEqual([...paths].sort());
  });

  it('names an unknown field plainly', () => {
    expect(rejection(enrollRequestSchema, { accountId: uuid, status: 'completed' }, 'body').issues).toEqual([
      { path: 'body.status', code: 'unrecognized_keys', message: 'Unknown field "status"' },
    ]);
  });

  type Accepted = [name: string, schema: z.ZodType, value: unknown, part: RequestPart, parsed: unknown];
  const accepted: Accepted[] = [
    ['enroll with a trimmed reason', enrollRequestSchema, { accountId: uuid, reason: ' Signed ' }, 'body', { accountId: uuid, reason: 'Signed' }],
    ['publish with no body', publishRequestSchema, undefined, 'body', { note: '', inFlight: 'finish' }],
    ['an empty query (a first page of 50)', listApprovalsQuerySchema, {}, 'query', { limit: 50 }],
    ['a pending-inbox query', listApprovalsQuerySchema, { status: 'pending', assigneeId: uuid, limit: '5' }, 'query', { status: 'pending', assigneeId: uuid, limit: 5 }],
  ];

  it.each(accepted)('accepts %s', (_name, schema, value, part, parsed) => {
    expect(new ZodValidationPipe(schema, part).transform(value)).toEqual(parsed);
    expect(parseRequest(schema, value, part)).toEqual(parsed);
  });
});
