import type { BulkEnrollResponse } from '@cairn/contracts';
import { outcomeLines, outcomeSummary } from './enroll-logic';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const answer: BulkEnrollResponse = {
  playbookId: id(1),
  version: 3,
  segment: null,
  counts: { requested: 5, enrolled: 1, skipped: 3, failed: 1 },
  enrolled: [{ accountId: id(10), runId: id(20) }],
  skipped: [
    { accountId: id(11), code: 'already_running', reason: 'Already running', runId: id(21) },
    { accountId: id(12), code: 'reentry', reason: 'Enrolled 3 days ago; re-entry after 30 days', runId: null },
    { accountId: id(13), code: 'audience', reason: 'Not in segment "Enterprise"', runId: null },
  ],
  failed: [{ accountId: id(14), code: 'temporal_unavailable', reason: 'Temporal is unavailable' }],
};

describe('enrollment outcome', () => {
  it('names each account and says why it was skipped or failed, in words, with the run when there is one', () => {
    const names = new Map([
      [id(10), 'Acme'],
      [id(11), 'Globex'],
      [id(12), 'Initech'],
    ]);
    expect(outcomeLines(answer, names)).toEqual([
      { accountId: id(10), name: 'Acme', outcome: 'enrolled', why: '', runId: id(20) },
      { accountId: id(11), name: 'Globex', outcome: 'skipped', why: 'already running in this playbook', runId: id(21) },
      { accountId: id(12), name: 'Initech', outcome: 'skipped', why: 'not again yet (the re-entry policy): Enrolled 3 days ago; re-entry after 30 days', runId: null },
      { accountId: id(13), name: id(13), outcome: 'skipped', why: 'not in the playbook’s audience: Not in segment "Enterprise"', runId: null },
      { accountId: id(14), name: id(14), outcome: 'failed', why: 'the workflow service could not be reached: enroll again to retry: Temporal is unavailable', runId: null },
    ]);
  });

  it.each<[string, Partial<BulkEnrollResponse>, string]>([
    ['everything', {}, '1 enrolled, 3 skipped, 1 failed in v3'],
    ['only enrolled, a segment', { counts: { requested: 2, enrolled: 2, skipped: 0, failed: 0 }, segment: { id: id(5), key: 'risk', name: 'At risk' } }, '2 enrolled in v3 (segment At risk)'],
    ['nobody', { counts: { requested: 1, enrolled: 0, skipped: 1, failed: 0 } }, '0 enrolled, 1 skipped in v3'],
  ])('sums up: %s', (_name, change, expected) => {
    expect(outcomeSummary({ ...answer, ...change })).toBe(expected);
  });
});
