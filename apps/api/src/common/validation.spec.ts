import { decideApprovalRequestSchema, enrollRequestSchema, idParamSchema } from '@cairn/contracts';
import { ValidationError } from './errors';
import { parseRequest } from './validation';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

describe('parseRequest', () => {
  type Case = [name: string, schema: Parameters<typeof parseRequest>[0], value: unknown, part: 'body' | 'params' | 'query', paths: string[]];
  const rejected: Case[] = [
    ['a missing field', enrollRequestSchema, {}, 'body', ['body.accountId']],
    ['a malformed id', enrollRequestSchema, { accountId: 'acme' }, 'body', ['body.accountId']],
    ['an unknown field (mass assignment)', enrollRequestSchema, { accountId: uuid, status: 'completed' }, 'body', ['body.status']],
    ['several unknown fields', decideApprovalRequestSchema, { decision: 'approved', decidedById: uuid, status: 'x', role: 'admin' }, 'body', ['body.status', 'body.role']],
    ['a value outside the enum', decideApprovalRequestSchema, { decision: 'maybe', decidedById: uuid }, 'body', ['body.decision']],
    ['a bad path parameter', idParamSchema, { id: '42' }, 'params', ['params.id']],
    ['no body at all', decideApprovalRequestSchema, undefined, 'body', ['body.decision', 'body.decidedById']],
  ];

  it.each(rejected)('rejects %s with the field path', (_name, schema, value, part, paths) => {
    let error: unknown;
    try {
      parseRequest(schema, value, part);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual([...paths].sort());
    expect((error as ValidationError).statusCode).toBe(400);
  });

  it('returns the parsed value when valid', () => {
    expect(parseRequest(enrollRequestSchema, { accountId: uuid, reason: ' Signed ' }, 'body')).toEqual({ accountId: uuid, reason: 'Signed' });
  });
});
