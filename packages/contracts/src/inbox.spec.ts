import type { z } from 'zod';
import { listApprovalsQuerySchema } from './approvals';
import { createCommentRequestSchema, inboxQuerySchema, listCommentsQuerySchema, reassignRequestSchema, snoozeRequestSchema } from './inbox';
import { listTasksQuerySchema } from './tasks';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

const cases: Case[] = [
  ['inbox: nothing (mine)', inboxQuerySchema, {}, true],
  ['inbox: every filter', inboxQuerySchema, { view: 'team', kind: 'task', accountId: uuid, playbookId: uuid, includeSnoozed: 'true', limit: '20', cursor: 'abc' }, true],
  ['inbox: an unknown view', inboxQuerySchema, { view: 'everyone' }, false],
  ['inbox: an unknown kind', inboxQuerySchema, { kind: 'email' }, false],
  ['inbox: includeSnoozed not a boolean', inboxQuerySchema, { includeSnoozed: 'yes' }, false],
  ['inbox: a limit too large', inboxQuerySchema, { limit: '201' }, false],
  ['inbox: an unknown parameter', inboxQuerySchema, { assigneeId: uuid }, false],
  ['approvals query: every filter', listApprovalsQuerySchema, { status: 'pending', assigneeId: uuid, accountId: uuid, playbookId: uuid, slaState: 'overdue', limit: '10' }, true],
  ['approvals query: an unknown SLA state', listApprovalsQuerySchema, { slaState: 'late' }, false],
  ['approvals query: an unknown parameter', listApprovalsQuerySchema, { view: 'mine' }, false],
  ['tasks query: every filter', listTasksQuerySchema, { status: 'open', slaState: 'due_soon', playbookId: uuid, limit: '1' }, true],
  ['tasks query: limit 0', listTasksQuerySchema, { limit: '0' }, false],
  ['reassign: to someone', reassignRequestSchema, { assigneeId: uuid }, true],
  ['reassign: with a comment', reassignRequestSchema, { assigneeId: uuid, comment: 'Dana covers EMEA' }, true],
  ['reassign: nobody', reassignRequestSchema, {}, false],
  ['reassign: not a uuid', reassignRequestSchema, { assigneeId: 'dana' }, false],
  ['reassign: a blank comment', reassignRequestSchema, { assigneeId: uuid, comment: '  ' }, false],
  ['reassign: naming who reassigns (the signed-in person does)', reassignRequestSchema, { assigneeId: uuid, reassignedById: uuid }, false],
  ['reassign: setting the status (mass assignment)', reassignRequestSchema, { assigneeId: uuid, status: 'approved' }, false],
  ['snooze: until a time', snoozeRequestSchema, { until: '2026-03-05T09:00:00Z' }, true],
  ['snooze: ended (null)', snoozeRequestSchema, { until: null, comment: 'Back on it' }, true],
  ['snooze: no until', snoozeRequestSchema, {}, false],
  ['snooze: a date without a time', snoozeRequestSchema, { until: '2026-03-05' }, false],
  ['snooze: moving the due date (mass assignment)', snoozeRequestSchema, { until: null, dueAt: '2026-03-05T09:00:00Z' }, false],
  ['comment: a body', createCommentRequestSchema, { body: 'Waiting for legal' }, true],
  ['comment: blank', createCommentRequestSchema, { body: ' ' }, false],
  ['comment: too long', createCommentRequestSchema, { body: 'x'.repeat(2_001) }, false],
  ['comment: naming the author (the signed-in person is)', createCommentRequestSchema, { body: 'Hi', authorId: uuid }, false],
  ['comments query: a page', listCommentsQuerySchema, { limit: '5' }, true],
  ['comments query: an unknown parameter', listCommentsQuerySchema, { kind: 'decision' }, false],
];

describe('inbox contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });
});
