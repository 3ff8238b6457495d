import type { z } from 'zod';
import { completeTaskRequestSchema, listTasksQuerySchema } from './tasks';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

const cases: Case[] = [
  ['complete: nothing to add', completeTaskRequestSchema, {}, true],
  ['complete: with a note', completeTaskRequestSchema, { note: 'Call held' }, true],
  ['complete: naming who completes (the signed-in person does)', completeTaskRequestSchema, { completedById: uuid }, false],
  ['complete: a blank note', completeTaskRequestSchema, { note: '  ' }, false],
  ['complete: setting the status (mass assignment)', completeTaskRequestSchema, { status: 'done' }, false],
  ['complete: claiming a role (mass assignment)', completeTaskRequestSchema, { completedByRole: 'admin' }, false],
  ['complete: backdating it (mass assignment)', completeTaskRequestSchema, { completedAt: '2026-01-01T00:00:00Z' }, false],
  ['tasks query: empty', listTasksQuerySchema, {}, true],
  ['tasks query: an open inbox', listTasksQuerySchema, { status: 'open', assigneeId: uuid, accountId: uuid }, true],
  ['tasks query: an unknown status', listTasksQuerySchema, { status: 'later' }, false],
  ['tasks query: a malformed account', listTasksQuerySchema, { accountId: 'acme' }, false],
  ['tasks query: a page', listTasksQuerySchema, { limit: '5' }, true],
  ['tasks query: an unknown parameter', listTasksQuerySchema, { view: 'mine' }, false],
];

describe('task contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });
});
