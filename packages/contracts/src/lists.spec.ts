import type { z } from 'zod';
import { listAccountFieldsQuerySchema } from './account-fields';
import { accountPageSchema, listAccountsQuerySchema } from './accounts';
import { listAuditQuerySchema } from './audit';
import { listTokensQuerySchema } from './auth';
import { pageSchema } from './common';
import { listAccountEventsQuerySchema } from './events';
import { listStakeholdersQuerySchema, stakeholderHistoryQuerySchema } from './people';
import { listPlaybooksQuerySchema } from './playbooks';
import { listRunEmailsQuerySchema, listRunsQuerySchema } from './runs';
import { listAccountSegmentsQuerySchema, listSegmentMembersQuerySchema, listSegmentsQuerySchema } from './segments';
import { listUsersQuerySchema } from './users';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

/** Every list's query schema, by route. */
const lists: Array<[route: string, schema: z.ZodType]> = [
  ['GET /api/accounts', listAccountsQuerySchema],
  ['GET /api/account-fields', listAccountFieldsQuerySchema],
  ['GET /api/accounts/:id/events', listAccountEventsQuerySchema],
  ['GET /api/accounts/:id/stakeholders', listStakeholdersQuerySchema],
  ['GET /api/accounts/:id/stakeholders/history', stakeholderHistoryQuerySchema],
  ['GET /api/accounts/:id/segments', listAccountSegmentsQuerySchema],
  ['GET /api/audit', listAuditQuerySchema],
  ['GET /api/playbooks', listPlaybooksQuerySchema],
  ['GET /api/runs', listRunsQuerySchema],
  ['GET /api/runs/:id/emails', listRunEmailsQuerySchema],
  ['GET /api/segments', listSegmentsQuerySchema],
  ['GET /api/segments/:id/members', listSegmentMembersQuerySchema],
  ['GET /api/tokens', listTokensQuerySchema],
  ['GET /api/users', listUsersQuerySchema],
];

/** The keys of the issues a query gets, as `path:code`. */
const issues = (schema: z.ZodType, query: Record<string, string>) => {
  const parsed = schema.safeParse(query);
  return parsed.success ? [] : parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown:${i.keys.join(',')}` : `${i.path.join('.')}:${i.code}`));
};

describe.each(lists)('%s', (_route, schema) => {
  it.each([
    ['nothing: the first page of 50', {}, []],
    ['a limit and a cursor', { limit: '10', cursor: 'abc' }, []],
    ['the largest limit', { limit: '200' }, []],
    ['a limit of 0', { limit: '0' }, ['limit:too_small']],
    ['a limit over 200', { limit: '201' }, ['limit:too_big']],
    ['a limit that is no number', { limit: 'ten' }, ['limit:invalid_type']],
    ['an empty cursor', { cursor: '' }, ['cursor:too_small']],
    ['an unknown parameter', { sort: 'name' }, ['unknown:sort']],
    ['an offset (keyset pages only)', { offset: '100' }, ['unknown:offset']],
  ])('%s', (_name, query, expected) => {
    expect(issues(schema, query)).toEqual(expected);
  });

  it('defaults the limit to 50', () => {
    expect(schema.parse({})).toMatchObject({ limit: 50 });
  });
});

/** Each list's own filters: accepted values, and what a bad one is named. */
const filters: Array<[name: string, schema: z.ZodType, query: Record<string, string>, expected: string[]]> = [
  ['accounts: every filter', listAccountsQuerySchema, { q: 'acme', ownerId: uuid, segmentId: uuid, lifecycleStage: 'onboarding', health: 'red', renewalAfter: '2027-01-01', renewalBefore: '2027-04-01' }, []],
  ['accounts: no rating', listAccountsQuerySchema, { health: 'none' }, []],
  ['accounts: an unknown health', listAccountsQuerySchema, { health: 'blue' }, ['health:invalid_value']],
  ['accounts: a blank search', listAccountsQuerySchema, { q: '  ' }, ['q:too_small']],
  ['accounts: a NUL in the search (Postgres text cannot hold it)', listAccountsQuerySchema, { q: 'a\u0000b' }, ['q:custom']],
  ['accounts: an owner that is no id', listAccountsQuerySchema, { ownerId: 'casey' }, ['ownerId:invalid_format']],
  ['accounts: a renewal that is no date', listAccountsQuerySchema, { renewalBefore: 'next spring' }, ['renewalBefore:invalid_format']],
  ['accounts: sorting is not a filter', listAccountsQuerySchema, { orderBy: 'arr' }, ['unknown:orderBy']],
  ['runs: every filter', listRunsQuerySchema, { accountId: uuid, playbookId: uuid, status: 'running', startedAfter: '2026-11-01T00:00:00Z', startedBefore: '2026-12-01T00:00:00Z' }, []],
  ['runs: an unknown status', listRunsQuerySchema, { status: 'paused' }, ['status:invalid_value']],
  ['runs: a start that is no time', listRunsQuerySchema, { startedAfter: 'yesterday' }, ['startedAfter:invalid_format']],
  ['playbooks: status and search', listPlaybooksQuerySchema, { status: 'published', q: 'onboard', includeArchived: 'true' }, []],
  ['playbooks: an unknown status', listPlaybooksQuerySchema, { status: 'live' }, ['status:invalid_value']],
  ['playbooks: includeArchived is true or false', listPlaybooksQuerySchema, { includeArchived: 'yes' }, ['includeArchived:invalid_value']],
  ['segments: kind, touch model, search', listSegmentsQuerySchema, { kind: 'rule', touchModel: 'high', q: 'big' }, []],
  ['segments: an unknown kind', listSegmentsQuerySchema, { kind: 'smart' }, ['kind:invalid_value']],
  ['account segments: current', listAccountSegmentsQuerySchema, { current: 'true' }, []],
  ['account segments: current is true or false', listAccountSegmentsQuerySchema, { current: '1' }, ['current:invalid_value']],
  ['events: a type', listAccountEventsQuerySchema, { type: 'product.sso_configured' }, []],
  ['events: a type prefix', listAccountEventsQuerySchema, { type: 'product.*' }, []],
  ['events: a malformed type', listAccountEventsQuerySchema, { type: 'Product SSO' }, ['type:invalid_format']],
  ['people: role and status', listStakeholdersQuerySchema, { role: 'champion', status: 'left' }, []],
  ['people: an unknown role', listStakeholdersQuerySchema, { role: 'ceo' }, ['role:invalid_value']],
  ['history: a kind', stakeholderHistoryQuerySchema, { kind: 'left' }, []],
  ['history: an unknown kind', stakeholderHistoryQuerySchema, { kind: 'moved' }, ['kind:invalid_value']],
  ['audit: an action prefix', listAuditQuerySchema, { action: 'approval.*', actorType: 'user' }, []],
  ['audit: a malformed action', listAuditQuerySchema, { action: 'Approval Decided' }, ['action:invalid_format']],
  ['users: role, active, search', listUsersQuerySchema, { role: 'csm', active: 'false', q: 'casey', managerId: uuid }, []],
  ['users: an unknown role', listUsersQuerySchema, { role: 'owner' }, ['role:invalid_value']],
  ['tokens: a status', listTokensQuerySchema, { status: 'revoked' }, []],
  ['tokens: an unknown status', listTokensQuerySchema, { status: 'lost' }, ['status:invalid_value']],
  ['account fields: type and built-in', listAccountFieldsQuerySchema, { type: 'date', builtIn: 'true' }, []],
  ['account fields: an unknown type', listAccountFieldsQuerySchema, { type: 'json' }, ['type:invalid_value']],
];

describe('list filters', () => {
  it.each(filters)('%s', (_name, schema, query, expected) => {
    expect(issues(schema, query)).toEqual(expected);
  });

  it('parses booleans and limits from the query string', () => {
    expect(listPlaybooksQuerySchema.parse({ includeArchived: 'true', limit: '5' })).toEqual({ includeArchived: true, limit: 5 });
    expect(listAccountSegmentsQuerySchema.parse({ current: 'false' })).toEqual({ current: false, limit: 50 });
  });
});

describe('page shape', () => {
  it('is items and nextCursor, nothing else', () => {
    const page = pageSchema(accountPageSchema.shape.items.element.pick({ id: true }));
    expect(page.parse({ items: [{ id: uuid }], nextCursor: null })).toEqual({ items: [{ id: uuid }], nextCursor: null });
    expect(page.safeParse({ items: [], nextCursor: undefined }).success).toBe(false);
  });
});
