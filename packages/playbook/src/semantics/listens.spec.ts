import { compilePlaybook } from '../compile';
import { templates } from '../templates';
import { eventTypesListenedTo } from './listens';

const planOf = (key: string) => {
  const result = compilePlaybook(templates[key]);
  if (!result.ok) throw new Error(key);
  return result.plan;
};

describe('the event types a plan listens to', () => {
  it.each<[string, string[]]>([
    // Its approval and wait need no event: no event changes a running kickoff.
    ['onboarding-kickoff', []],
    // A task completed by an event, and the churn exit criterion.
    ['onboarding-30-60-90', ['crm.account_churned', 'product.sso_configured']],
    // The trigger's event starts a run; once running, only the exit criterion listens.
    ['advocacy-expansion', ['crm.account_churned']],
    ['low-usage-intervention', ['crm.account_churned']],
    ['qbr-cadence', ['crm.account_churned', 'crm.meeting_held']],
    ['renewal-120', ['crm.account_churned', 'crm.renewal_signed']],
  ])('%s', (key, expected) => {
    expect(eventTypesListenedTo(planOf(key))).toEqual(expected);
  });

  it('is empty for a plan with no event waits, tasks or exit criteria', () => {
    expect(eventTypesListenedTo({ steps: { start: { id: 'start', type: 'trigger', label: 'Start', data: { on: 'manual' }, next: {} } } as never, settings: undefined as never })).toEqual([]);
  });
});
