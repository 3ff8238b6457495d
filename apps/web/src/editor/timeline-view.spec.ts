import { compilePlaybook, type ExecutablePlan, segmentTimeline, templates } from '@cairn/playbook';
import { axisOf, OTHER_PATH, openEndText, pathOptions, segmentOfPath, timelineRows } from './timeline-view';

const planOf = (key: string): ExecutablePlan => {
  const result = compilePlaybook(templates[key]);
  if (!result.ok) throw new Error(key);
  return result.plan;
};

describe('the timeline view', () => {
  it('offers every path, then each segment the playbook serves', () => {
    expect(pathOptions(planOf('onboarding-30-60-90'))).toEqual([
      { value: '', label: 'All paths' },
      { value: 'high-touch', label: 'high-touch' },
      { value: OTHER_PATH, label: 'Any other segment' },
    ]);
    expect(pathOptions(planOf('onboarding-kickoff'))).toEqual([{ value: '', label: 'All paths' }]);
    expect([segmentOfPath(''), segmentOfPath(OTHER_PATH), segmentOfPath('high-touch')]).toEqual([undefined, null, 'high-touch']);
  });

  it.each([
    ['onboarding-kickoff', 90, [0, 30, 60, 90]],
    ['onboarding-30-60-90', 90, [0, 30, 60, 90]],
    ['renewal-120', 120, [0, 30, 60, 90, 120]],
  ])('%s: the axis runs to day %s', (key, end, ticks) => {
    expect(axisOf(segmentTimeline(planOf(key)))).toEqual({ end, ticks });
  });

  it('says when each step can fire, who decides an open end, and a milestone’s target', () => {
    const plan = planOf('onboarding-30-60-90');
    const rows = Object.fromEntries(timelineRows(plan, segmentTimeline(plan, 'high-touch')).map((r) => [r.stepId, r]));
    expect(rows['day-60'].when).toBe('from day 0, when the task is done (We connect first integrations)');
    expect(rows['sso-late'].when).toBe('day 14');
    expect(rows['m-adoption'].milestone).toEqual({ name: 'Adoption', targetDay: 60, lateByDesign: false });
    expect(rows.kickoff.touch).toBe('meeting to champion (segment variant)');
    const all = Object.fromEntries(timelineRows(plan, segmentTimeline(plan)).map((r) => [r.stepId, r]));
    expect(all.kickoff.touch).toBe("email to champion, or a segment's variant");
    expect(all['sso-late'].touch).toBe('email to admin');
    const kickoff = planOf('onboarding-kickoff');
    expect(timelineRows(kickoff, segmentTimeline(kickoff)).map((r) => [r.stepId, r.when])).toEqual([
      ['start', 'day 0'],
      ['wait-3d', 'day 0'],
      ['approve-kickoff', 'day 3'],
      ['kickoff-email', 'days 3–5'],
      ['skipped', 'days 3–5'],
      ['done', 'days 3–5'],
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['approval', { assignee: { kind: 'account_csm' } }, 'when the CSM decides'],
    ['approval', { assignee: { kind: 'role', role: 'cs_manager' } }, 'when the CS manager decides'],
    ['approval', { assignee: { kind: 'user', userId: 'u1' } }, 'when the approver decides'],
    ['task', { completion: { by: 'person' } }, 'when the task is done'],
    ['task', { completion: { by: 'event', event: { type: 'product.sso_configured' } } }, 'on the event product.sso_configured'],
    ['wait', { mode: 'until_date', field: 'renewal_date' }, 'on the account’s renewal_date'],
  ])('an open end decided at a %s step reads %j → %s', (type, data, text) => {
    const by = type === 'wait' ? 'account_date' : type === 'task' && (data.completion as { by: string }).by === 'event' ? 'event' : 'person';
    const plan = { steps: { s: { id: 's', type, label: 'S', data, next: {} } } } as unknown as ExecutablePlan;
    expect(openEndText({ stepId: 's', by }, plan)).toBe(text);
  });
});
