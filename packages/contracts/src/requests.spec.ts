import type { z } from 'zod';
import { decideApprovalRequestSchema, listApprovalsQuerySchema } from './approvals';
import { bulkEnrollRequestSchema, createPlaybookRequestSchema, enrollRequestSchema, MAX_BULK_ENROLLMENT, playbookDiffQuerySchema, publishRequestSchema, updateDraftRequestSchema } from './playbooks';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
const other = '7a0e3b1c-2d4f-4e6a-8b9c-0d1e2f3a4b5c';
/** n distinct valid uuids. */
const uuids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

/** Every request body the API accepts, including the fields a client must not be able to set. */
const cases: Case[] = [
  ['enroll: an account', enrollRequestSchema, { accountId: uuid }, true],
  ['enroll: with a reason', enrollRequestSchema, { accountId: uuid, reason: 'Signed' }, true],
  ['enroll: no account', enrollRequestSchema, {}, false],
  ['enroll: not a uuid', enrollRequestSchema, { accountId: 'acme' }, false],
  ['enroll: an empty reason', enrollRequestSchema, { accountId: uuid, reason: '   ' }, false],
  ['enroll: setting the run status (mass assignment)', enrollRequestSchema, { accountId: uuid, status: 'completed' }, false],
  ['enroll: choosing the version (mass assignment)', enrollRequestSchema, { accountId: uuid, playbookVersionId: uuid }, false],
  ['bulk: a list of accounts', bulkEnrollRequestSchema, { accountIds: [uuid, other], reason: 'Q3 adoption push' }, true],
  ['bulk: a segment', bulkEnrollRequestSchema, { segmentId: uuid }, true],
  ['bulk: 10,000 accounts', bulkEnrollRequestSchema, { accountIds: uuids(MAX_BULK_ENROLLMENT) }, true],
  ['bulk: 10,001 accounts', bulkEnrollRequestSchema, { accountIds: uuids(MAX_BULK_ENROLLMENT + 1) }, false],
  ['bulk: an empty list', bulkEnrollRequestSchema, { accountIds: [] }, false],
  ['bulk: an account twice', bulkEnrollRequestSchema, { accountIds: [uuid, other, uuid] }, false],
  ['bulk: an account twice, in another case', bulkEnrollRequestSchema, { accountIds: [uuid, uuid.toUpperCase()] }, false],
  ['bulk: not a uuid', bulkEnrollRequestSchema, { accountIds: ['acme'] }, false],
  ['bulk: both a list and a segment', bulkEnrollRequestSchema, { accountIds: [uuid], segmentId: other }, false],
  ['bulk: neither', bulkEnrollRequestSchema, { reason: 'x' }, false],
  ['bulk: choosing the version (mass assignment)', bulkEnrollRequestSchema, { segmentId: uuid, playbookVersionId: uuid }, false],
  ['decide: approve', decideApprovalRequestSchema, { decision: 'approved' }, true],
  ['decide: reject with a note', decideApprovalRequestSchema, { decision: 'rejected', note: 'Not now' }, true],
  ['decide: expire by hand', decideApprovalRequestSchema, { decision: 'expired' }, false],
  ['decide: naming the decider (the signed-in person decides)', decideApprovalRequestSchema, { decision: 'approved', decidedById: uuid }, false],
  ['decide: no decision', decideApprovalRequestSchema, {}, false],
  ['decide: setting the status (mass assignment)', decideApprovalRequestSchema, { decision: 'approved', status: 'approved' }, false],
  ['decide: rewriting the assignee (mass assignment)', decideApprovalRequestSchema, { decision: 'approved', assigneeId: uuid }, false],
  ['decide: claiming a role (mass assignment)', decideApprovalRequestSchema, { decision: 'approved', decidedByRole: 'admin' }, false],
  ['decide: edit then approve', decideApprovalRequestSchema, { decision: 'approved', editedTouch: { subject: 'Welcome aboard', body: 'Hi Dana' } }, true],
  ['decide: edit only the body', decideApprovalRequestSchema, { decision: 'approved', editedTouch: { body: 'Hi Dana' } }, true],
  ['decide: an empty edit', decideApprovalRequestSchema, { decision: 'approved', editedTouch: {} }, false],
  ['decide: a blank edited subject', decideApprovalRequestSchema, { decision: 'approved', editedTouch: { subject: ' ' } }, false],
  ['decide: editing the recipient', decideApprovalRequestSchema, { decision: 'approved', editedTouch: { to: 'ceo@example.com' } }, false],
  ['decide: editing a rejection', decideApprovalRequestSchema, { decision: 'rejected', editedTouch: { body: 'x' } }, false],
  ['approvals query: pending', listApprovalsQuerySchema, { status: 'pending' }, true],
  ['approvals query: unknown status', listApprovalsQuerySchema, { status: 'later' }, false],
  ['approvals query: unknown parameter', listApprovalsQuerySchema, { sort: 'title' }, false],
  ['create playbook: a document', createPlaybookRequestSchema, { document: {} }, true],
  ['create playbook: an id (mass assignment)', createPlaybookRequestSchema, { document: {}, id: uuid }, false],
  ['publish: naming the publisher (the signed-in person publishes)', publishRequestSchema, { publishedBy: 'Olivia Park' }, false],
  ['publish: nothing', publishRequestSchema, {}, true],
  ['publish: forcing a version number (mass assignment)', publishRequestSchema, { version: 7 }, false],
  ['draft: a base revision', updateDraftRequestSchema, { document: {}, baseRevision: 3 }, true],
  ['draft: the largest base revision an int4 holds', updateDraftRequestSchema, { document: {}, baseRevision: 2_147_483_647 }, true],
  ['draft: a base revision beyond int4', updateDraftRequestSchema, { document: {}, baseRevision: 3_000_000_000 }, false],
  ['draft: a fractional base revision', updateDraftRequestSchema, { document: {}, baseRevision: 1.5 }, false],
  ['diff: version 3 against the draft', playbookDiffQuerySchema, { from: '3', to: 'draft' }, true],
  ['diff: a version beyond int4', playbookDiffQuerySchema, { from: '3000000000' }, false],
  ['diff: a negative version', playbookDiffQuerySchema, { to: '-1' }, false],
  ['diff: a fractional version', playbookDiffQuerySchema, { from: '1.5' }, false],
  ['diff: an exponent', playbookDiffQuerySchema, { from: '1e10' }, false],
];

describe('request contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });
});

describe('bulk enrollment request', () => {
  const paths = (input: unknown) => {
    const parsed = bulkEnrollRequestSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
  };

  it.each([
    ['an account twice: names the second', { accountIds: [uuid, other, uuid] }, [['accountIds.2', 'Duplicate of accountIds[0]; give each account once']]],
    ['both', { accountIds: [uuid], segmentId: other }, [['accountIds', 'Give accountIds or segmentId, not both'], ['segmentId', 'Give accountIds or segmentId, not both']]],
    ['neither', {}, [['accountIds', expect.stringContaining('Give accountIds')], ['segmentId', expect.stringContaining('Give accountIds')]]],
    ['a bad id among good ones', { accountIds: [uuid, 'acme'] }, [['accountIds.1', 'Invalid UUID']]],
  ])('%s', (_name, input, expected) => {
    expect(paths(input)).toEqual(expected);
  });

  it('names at most 100 duplicates', () => {
    expect(paths({ accountIds: Array.from({ length: 500 }, () => uuid) })).toHaveLength(100);
  });

  it('answers the ids in lower case', () => {
    expect(bulkEnrollRequestSchema.parse({ accountIds: [uuid.toUpperCase()] })).toEqual({ accountIds: [uuid] });
  });
});
