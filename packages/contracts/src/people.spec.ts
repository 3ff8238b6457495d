import type { z } from 'zod';
import {
  createStakeholderRequestSchema,
  deleteStakeholderRequestSchema,
  departureOf,
  listStakeholdersQuerySchema,
  markStakeholderLeftRequestSchema,
  type StakeholderFields,
  stakeholderDiff,
  stakeholderHistoryQuerySchema,
  stakeholderParamsSchema,
  updateStakeholderRequestSchema,
} from './people';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
const dana = { name: 'Dana Whitfield', email: 'dana@acme.example', role: 'champion' };

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

const cases: Case[] = [
  ['create: the least', createStakeholderRequestSchema, dana, true],
  ['create: everything', createStakeholderRequestSchema, { ...dana, title: 'Director of RevOps', phone: '+1 (415) 555-0100', isPrimary: true, reason: 'Met at kickoff' }, true],
  ['create: every role', createStakeholderRequestSchema, { ...dana, role: 'program_leader' }, true],
  ['create: an unknown role', createStakeholderRequestSchema, { ...dana, role: 'cto' }, false],
  ['create: "users" (the language’s plural)', createStakeholderRequestSchema, { ...dana, role: 'users' }, false],
  ['create: no email', createStakeholderRequestSchema, { ...dana, email: undefined }, false],
  ['create: not an email', createStakeholderRequestSchema, { ...dana, email: 'dana at acme' }, false],
  ['create: a blank name', createStakeholderRequestSchema, { ...dana, name: '  ' }, false],
  ['create: a phone made of letters', createStakeholderRequestSchema, { ...dana, phone: 'call me' }, false],
  ['create: naming who makes the change (the signed-in person or token does)', createStakeholderRequestSchema, { ...dana, changedBy: uuid }, false],
  ['create: naming an integration as the changer', createStakeholderRequestSchema, { ...dana, changedBy: 'integration:salesforce' }, false],
  ['create: a null title (only PATCH clears)', createStakeholderRequestSchema, { ...dana, title: null }, false],
  ['create: setting the status (mass assignment)', createStakeholderRequestSchema, { ...dana, status: 'left' }, false],
  ['create: choosing the id (mass assignment)', createStakeholderRequestSchema, { ...dana, id: uuid }, false],
  ['create: moving to another account (mass assignment)', createStakeholderRequestSchema, { ...dana, accountId: uuid }, false],
  ['create: backdating (mass assignment)', createStakeholderRequestSchema, { ...dana, createdAt: '2020-01-01T00:00:00Z' }, false],
  ['update: a title', updateStakeholderRequestSchema, { title: 'VP Operations' }, true],
  ['update: clearing the phone', updateStakeholderRequestSchema, { phone: null }, true],
  ['update: a new role and primary', updateStakeholderRequestSchema, { role: 'sponsor', isPrimary: true, reason: 'Promoted' }, true],
  ['update: back after leaving', updateStakeholderRequestSchema, { status: 'active' }, true],
  ['update: leaving through PATCH', updateStakeholderRequestSchema, { status: 'left' }, false],
  ['update: nothing to change', updateStakeholderRequestSchema, { reason: 'Just because' }, false],
  ['update: naming who makes the change', updateStakeholderRequestSchema, { title: 'VP', changedBy: uuid }, false],
  ['update: clearing the name', updateStakeholderRequestSchema, { name: null }, false],
  ['update: setting leftAt (mass assignment)', updateStakeholderRequestSchema, { leftAt: '2026-01-01T00:00:00Z' }, false],
  ['update: moving to another account (mass assignment)', updateStakeholderRequestSchema, { accountId: uuid }, false],
  ['left: with a reason', markStakeholderLeftRequestSchema, { reason: 'Joined another company' }, true],
  ['left: with when', markStakeholderLeftRequestSchema, { reason: 'Retired', leftAt: '2026-11-20T09:00:00+01:00' }, true],
  ['left: naming who records it', markStakeholderLeftRequestSchema, { reason: 'Retired', changedBy: 'integration:hubspot' }, false],
  ['left: no reason', markStakeholderLeftRequestSchema, {}, false],
  ['left: a blank reason', markStakeholderLeftRequestSchema, { reason: ' ' }, false],
  ['left: a date without a time', markStakeholderLeftRequestSchema, { reason: 'Left', leftAt: '2026-11-20' }, false],
  ['left: choosing the event (mass assignment)', markStakeholderLeftRequestSchema, { reason: 'Left', eventType: 'crm.nothing' }, false],
  ['left: a new role on the way out (mass assignment)', markStakeholderLeftRequestSchema, { reason: 'Left', role: 'user' }, false],
  ['delete: with a reason', deleteStakeholderRequestSchema, { reason: 'Entered twice' }, true],
  ['delete: nothing to say', deleteStakeholderRequestSchema, {}, true],
  ['delete: naming who deletes', deleteStakeholderRequestSchema, { changedBy: uuid }, false],
  ['delete: skipping the history (mass assignment)', deleteStakeholderRequestSchema, { keepHistory: false }, false],
  ['list: by role and status', listStakeholdersQuerySchema, { role: 'champion', status: 'left' }, true],
  ['list: everyone', listStakeholdersQuerySchema, {}, true],
  ['list: an unknown status', listStakeholdersQuerySchema, { status: 'gone' }, false],
  ['list: an unknown parameter', listStakeholdersQuerySchema, { email: 'dana@acme.example' }, false],
  ['history: a page', stakeholderHistoryQuerySchema, { limit: '20' }, true],
  ['history: too many', stakeholderHistoryQuerySchema, { limit: '1000' }, false],
  ['history: an unknown parameter', stakeholderHistoryQuerySchema, { role: 'champion' }, false],
  ['params: two ids', stakeholderParamsSchema, { id: uuid, sid: uuid }, true],
  ['params: not an id', stakeholderParamsSchema, { id: uuid, sid: 'dana' }, false],
];

describe('people map contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });

  it('stores emails in lower case, trimmed', () => {
    expect(createStakeholderRequestSchema.parse({ ...dana, email: '  Dana.Whitfield@Acme.Example ' }).email).toBe('dana.whitfield@acme.example');
  });

  it('names each offending field', () => {
    const result = createStakeholderRequestSchema.safeParse({ ...dana, role: 'cto', phone: 'x', status: 'left' });
    expect(result.error?.issues.map((i) => (i.code === 'unrecognized_keys' ? i.keys.join() : i.path.join('.'))).sort()).toEqual(['phone', 'role', 'status']);
  });
});

const person = (fields: Partial<StakeholderFields> = {}): StakeholderFields => ({
  name: 'Dana Whitfield',
  email: 'dana@acme.example',
  role: 'champion',
  title: null,
  phone: null,
  status: 'active',
  isPrimary: false,
  leftAt: null,
  ...fields,
});

describe('stakeholderDiff', () => {
  it.each<[name: string, before: StakeholderFields, after: StakeholderFields, expected: ReturnType<typeof stakeholderDiff>]>([
    ['nothing', person(), person(), { before: {}, after: {} }],
    ['a title set', person(), person({ title: 'CFO' }), { before: { title: null }, after: { title: 'CFO' } }],
    ['a role and the primary mark', person({ isPrimary: true }), person({ role: 'sponsor' }), { before: { role: 'champion', isPrimary: true }, after: { role: 'sponsor', isPrimary: false } }],
    [
      'leaving',
      person(),
      person({ status: 'left', leftAt: '2026-11-20T09:00:00.000Z' }),
      { before: { status: 'active', leftAt: null }, after: { status: 'left', leftAt: '2026-11-20T09:00:00.000Z' } },
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(stakeholderDiff(before, after)).toEqual(expected);
  });
});

describe('departureOf', () => {
  const champion = { role: 'champion', status: 'active' } as const;
  const sponsor = { role: 'sponsor', status: 'active' } as const;
  it.each<[name: string, before: Pick<StakeholderFields, 'role' | 'status'> | null, after: Pick<StakeholderFields, 'role' | 'status'> | null, expected: string | null]>([
    ['a champion leaves', champion, { ...champion, status: 'left' }, 'crm.champion_left'],
    ['a sponsor leaves', sponsor, { ...sponsor, status: 'left' }, 'crm.sponsor_left'],
    ['a champion becomes the sponsor', champion, sponsor, 'crm.champion_left'],
    ['a sponsor becomes a user', sponsor, { role: 'user', status: 'active' }, 'crm.sponsor_left'],
    ['a champion is deleted', champion, null, 'crm.champion_left'],
    ['a champion changes nothing that matters', champion, champion, null],
    ['someone becomes the champion', { role: 'admin', status: 'active' }, champion, null],
    ['a new champion', null, champion, null],
    ['an admin leaves', { role: 'admin', status: 'active' }, { role: 'admin', status: 'left' }, null],
    ['an economic buyer is deleted', { role: 'economic_buyer', status: 'active' }, null, null],
    ['a champion who had left is deleted', { ...champion, status: 'left' }, null, null],
    ['a champion who had left gets another role', { ...champion, status: 'left' }, { role: 'user', status: 'left' }, null],
    ['a champion comes back', { ...champion, status: 'left' }, champion, null],
  ])('%s', (_name, before, after, expected) => {
    expect(departureOf(before, after)?.eventType ?? null).toBe(expected);
  });
});
