import type { BulkEnrollResponse } from '@cairn/contracts';

/** Why an account was not enrolled, in words (the API's own reason follows it). */
export const SKIP_WORDS: Record<BulkEnrollResponse['skipped'][number]['code'], string> = {
  already_running: 'already running in this playbook',
  reentry: 'not again yet (the re-entry policy)',
  audience: 'not in the playbook’s audience',
  not_found: 'no such account',
};

export const FAIL_WORDS: Record<BulkEnrollResponse['failed'][number]['code'], string> = {
  temporal_unavailable: 'the workflow service could not be reached: enroll again to retry',
  start_failed: 'the run did not start: enroll again to retry',
};

/** One account's answer, ready to show: enrolled (its run), skipped or failed (and why). */
export interface OutcomeLine {
  accountId: string;
  name: string;
  outcome: 'enrolled' | 'skipped' | 'failed';
  /** In words; empty for an enrolled account. */
  why: string;
  /** The run started, or the one already running. */
  runId: string | null;
}

/**
 * The lines of a bulk enrollment's answer, in the order the API gave them (enrolled, skipped,
 * failed), each account named when `names` knows it (a segment's members it may not).
 */
export function outcomeLines(answer: BulkEnrollResponse, names: ReadonlyMap<string, string>): OutcomeLine[] {
  const name = (id: string) => names.get(id) ?? id;
  const detail = (words: string, reason: string) => (reason && !words.toLowerCase().includes(reason.toLowerCase()) ? `${words}: ${reason}` : words);
  return [
    ...answer.enrolled.map((e): OutcomeLine => ({ accountId: e.accountId, name: name(e.accountId), outcome: 'enrolled', why: '', runId: e.runId })),
    ...answer.skipped.map((s): OutcomeLine => ({ accountId: s.accountId, name: name(s.accountId), outcome: 'skipped', why: detail(SKIP_WORDS[s.code], s.reason), runId: s.runId })),
    ...answer.failed.map((f): OutcomeLine => ({ accountId: f.accountId, name: name(f.accountId), outcome: 'failed', why: detail(FAIL_WORDS[f.code], f.reason), runId: null })),
  ];
}

/** The answer in one sentence: "2 enrolled, 1 skipped in v3 (segment At risk)". */
export function outcomeSummary(answer: BulkEnrollResponse): string {
  const { enrolled, skipped, failed } = answer.counts;
  const parts = [`${enrolled} enrolled`, ...(skipped ? [`${skipped} skipped`] : []), ...(failed ? [`${failed} failed`] : [])];
  return `${parts.join(', ')} in v${answer.version}${answer.segment ? ` (segment ${answer.segment.name})` : ''}`;
}
