import type { PlaybookSettings } from '../document';
import { type EnrollmentQuestion, enrollmentDecision } from './enrollment';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-04-15T12:00:00Z');
const ran = (iso: string, status = 'completed') => ({ startedAtMs: at(iso), status });

function ask(overrides: Partial<EnrollmentQuestion>): EnrollmentQuestion {
  return { reentry: { policy: 'once' }, audience: { segments: [] }, accountSegment: 'smb', previousRuns: [], running: false, nowMs: NOW, ...overrides };
}

type Reentry = PlaybookSettings['reentry'];
const once: Reentry = { policy: 'once' };
const everyTime: Reentry = { policy: 'every_time' };
const atMost2: Reentry = { policy: 'at_most', times: 2 };
const monthly: Reentry = { policy: 'once_per', period: '30 days' };

describe('enrollmentDecision', () => {
  it.each<[string, Partial<EnrollmentQuestion>, ReturnType<typeof enrollmentDecision>]>([
    ['a first run', {}, { allowed: true }],
    ['a run already open', { running: true, previousRuns: [ran('2026-04-01T00:00:00Z', 'running')] }, { allowed: false, code: 'already_running', reason: 'This playbook is already running for this account' }],
    ['open, whatever the policy', { running: true, reentry: everyTime }, { allowed: false, code: 'already_running', reason: 'This playbook is already running for this account' }],
    ['"once" after a run', { previousRuns: [ran('2026-03-02T10:00:00Z')] }, { allowed: false, code: 'reentry', reason: 'Re-entry policy "once": the account already ran this playbook (2026-03-02)' }],
    ['"once" after a cancelled run', { previousRuns: [ran('2026-03-02T10:00:00Z', 'cancelled')] }, { allowed: false, code: 'reentry', reason: 'Re-entry policy "once": the account already ran this playbook (2026-03-02)' }],
    ['"once" names the latest run', { previousRuns: [ran('2026-01-02T10:00:00Z'), ran('2026-03-02T10:00:00Z')] }, { allowed: false, code: 'reentry', reason: 'Re-entry policy "once": the account already ran this playbook (2026-03-02)' }],
    ['"every_time" after runs', { reentry: everyTime, previousRuns: [ran('2026-03-02T10:00:00Z'), ran('2026-04-14T10:00:00Z')] }, { allowed: true }],
    ['"at_most 2" after one run', { reentry: atMost2, previousRuns: [ran('2026-03-02T10:00:00Z')] }, { allowed: true }],
    [
      '"at_most 2" after two runs',
      { reentry: atMost2, previousRuns: [ran('2026-01-05T10:00:00Z'), ran('2026-03-02T10:00:00Z', 'exited')] },
      { allowed: false, code: 'reentry', reason: 'Re-entry policy "at most twice": the account already ran this playbook twice (last on 2026-03-02)' },
    ],
    [
      '"at_most 1" after one run',
      { reentry: { policy: 'at_most', times: 1 }, previousRuns: [ran('2026-03-02T10:00:00Z')] },
      { allowed: false, code: 'reentry', reason: 'Re-entry policy "at most once": the account already ran this playbook once (last on 2026-03-02)' },
    ],
    ['"once_per 30 days" after 44 days', { reentry: monthly, previousRuns: [ran('2026-03-02T10:00:00Z')] }, { allowed: true }],
    ['"once_per 30 days" exactly 30 days later', { reentry: monthly, previousRuns: [ran('2026-03-16T12:00:00Z')] }, { allowed: true }],
    [
      '"once_per 30 days" after 10 days',
      { reentry: monthly, previousRuns: [ran('2026-01-02T10:00:00Z'), ran('2026-04-05T10:00:00Z')] },
      { allowed: false, code: 'reentry', reason: 'Re-entry policy "once per 30 days": the account last entered this playbook on 2026-04-05; it may enter again from 2026-05-05' },
    ],
    ['an audience the account is in', { audience: { segments: ['smb', 'mid-market'] } }, { allowed: true }],
    ['an audience the account is not in', { audience: { segments: ['enterprise'] } }, { allowed: false, code: 'audience', reason: 'Audience: the playbook is for segment "enterprise"; the account is in "smb"' }],
    [
      'an audience of two, neither the account’s',
      { audience: { segments: ['enterprise', 'strategic'] } },
      { allowed: false, code: 'audience', reason: 'Audience: the playbook is for segments "enterprise", "strategic"; the account is in "smb"' },
    ],
    ['an audience and an account without segment', { audience: { segments: ['enterprise'] }, accountSegment: null }, { allowed: false, code: 'audience', reason: 'Audience: the playbook is for segment "enterprise"; the account has no segment' }],
    ['no audience and an account without segment', { accountSegment: null }, { allowed: true }],
    ['an audience of a rule segment the account is also in', { audience: { segments: ['renewing-soon'] }, accountSegments: ['smb', 'renewing-soon'] }, { allowed: true }],
    [
      'an audience of a rule segment the account is not in',
      { audience: { segments: ['renewing-soon'] }, accountSegments: ['smb', 'big-accounts'] },
      { allowed: false, code: 'audience', reason: 'Audience: the playbook is for segment "renewing-soon"; the account is in "smb", "big-accounts"' },
    ],
    [
      'the audience before re-entry',
      { audience: { segments: ['enterprise'] }, reentry: once, previousRuns: [ran('2026-03-02T10:00:00Z')] },
      { allowed: false, code: 'audience', reason: 'Audience: the playbook is for segment "enterprise"; the account is in "smb"' },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(enrollmentDecision(ask(overrides))).toEqual(expected);
  });
});
