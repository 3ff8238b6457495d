import { compilePlaybook } from './compile';
import type { ExecutablePlan } from './plan';
import { simulate } from './simulate';
import { templates } from './templates';

const plan = (key: string): ExecutablePlan => {
  const result = compilePlaybook(templates[key]);
  if (!result.ok) throw new Error(`${key} does not compile`);
  return result.plan;
};
const took = (result: ReturnType<typeof simulate>) => result.entries.filter((e) => e.what === 'took').map((e) => `${e.day}:${e.stepId}>${e.handle}`);

describe('simulate', () => {
  it('runs the kickoff template: 3 days, approval, email', () => {
    const result = simulate(plan('onboarding-kickoff'), { decisions: { 'approve-kickoff': { decision: 'approved', afterDays: 1 } } });
    expect(result).toMatchObject({ outcome: 'completed', endedOnDay: 4 });
    expect(took(result)).toEqual(['0:start>next', '3:wait-3d>next', '4:approve-kickoff>approved', '4:kickoff-email>next']);
  });

  it('expires an approval nobody decides, at its SLA', () => {
    const result = simulate(plan('onboarding-kickoff'), { decisions: { 'approve-kickoff': { decision: 'none' } } });
    expect(result).toMatchObject({ outcome: 'exited', endedOnDay: 5, reason: 'The CSM declined or did not answer in time' });
  });

  it('gives high-touch accounts the kickoff meeting and tech-touch ones the email (appropriate experience)', () => {
    const kickoff = (segment: string) => simulate(plan('onboarding-30-60-90'), { account: { segment } }).entries.find((e) => e.stepId === 'kickoff' && e.what === 'fired')?.reason;
    expect(kickoff('high-touch')).toMatch(/^meeting to champion: Kickoff: Account x Cairn \(variant for segment high-touch\)/);
    expect(kickoff('tech-touch')).toMatch(/^email to champion/);
  });

  it('follows the 30/60/90 onboarding with joint tasks, milestones and the expansion branch', () => {
    const result = simulate(plan('onboarding-30-60-90'), {
      account: { name: 'Acme', segment: 'high-touch', attributes: { health_score: 85 }, metrics: { weekly_active_users: 12 }, roles: ['champion', 'admin'] },
      events: [
        { day: 10, type: 'product.sso_configured' },
        { day: 50, type: 'product.usage', set: { 'metric.active_user_ratio': 0.7 } },
      ],
      tasks: { integrations: { doneAfterDays: 12 } },
    });
    expect(result).toMatchObject({ outcome: 'completed', endedOnDay: 90 });
    expect(result.milestones.map((m) => [m.name, m.status, m.day])).toEqual([
      ['Kickoff held', 'reached_on_time', 0],
      ['First value', 'reached_on_time', 12],
      ['Adoption', 'reached_on_time', 60],
      ['Expansion-ready', 'reached_on_time', 90],
    ]);
    expect(took(result)).toContain('12:together>next');
    expect(result.entries.find((e) => e.stepId === 'ready' && e.what === 'took')).toMatchObject({ handle: 'healthy', reason: expect.stringContaining('"Healthy and adopted" taken: account.health_score 85 ≥ 80') });
  });

  it('sends the SSO reminder when the customer misses the day-14 task', () => {
    const result = simulate(plan('onboarding-30-60-90'), { account: { segment: 'tech-touch' } });
    expect(took(result)).toContain('14:sso>overdue');
    expect(result).toMatchObject({ outcome: 'exited', reason: 'SSO not configured' });
  });

  it('climbs the low-usage escalation ladder until usage recovers', () => {
    const result = simulate(plan('low-usage-intervention'), {
      account: { metrics: { weekly_active_users: 2 } },
      events: [{ day: 12, type: 'product.usage', set: { 'metric.weekly_active_users': 15 } }],
    });
    expect(took(result)).toEqual(['0:start>next', '0:email>next', '7:wait-1>timed_out', '7:approve-call>approved', '7:call>next', '12:wait-2>received', ]);
    expect(result).toMatchObject({ outcome: 'completed', endedOnDay: 12 });
  });

  it('reaches the executive sponsor when nothing helps', () => {
    const result = simulate(plan('low-usage-intervention'), { account: { metrics: { weekly_active_users: 2 } }, decisions: { 'approve-call': { decision: 'rejected', afterDays: 1 } } });
    expect(result.entries.filter((e) => e.what === 'fired').map((e) => e.stepId)).toEqual(['email', 'manager', 'exec', 'escalated']);
    expect(result).toMatchObject({ outcome: 'exited', endedOnDay: 22 });
  });

  it('places renewal plays relative to the renewal date', () => {
    const result = simulate(plan('renewal-120'), { account: { dates: { renewal_date: '2027-06-01' } }, events: [{ day: 100, type: 'crm.renewal_signed' }] });
    expect(took(result).filter((t) => /d-\d+>/.test(t))).toEqual(['30:d-90>next', '60:d-60>next', '90:d-30>next']);
    expect(result).toMatchObject({ outcome: 'completed', endedOnDay: 100 });
  });

  it('ends a run from any step when an exit criterion is met', () => {
    const result = simulate(plan('renewal-120'), { account: { dates: { renewal_date: '2027-06-01' } }, events: [{ day: 45, type: 'crm.account_churned' }] });
    expect(result).toMatchObject({ outcome: 'exited', endedOnDay: 45, reason: 'Exit criterion "Account churned" met by crm.account_churned on day 45' });
  });

  it('re-maps the champion when the people map gains one', () => {
    const found = simulate(plan('champion-left'), { events: [{ day: 4, type: 'crm.contact_updated', set: { 'role.champion': true } }] });
    expect(took(found)).toContain('4:remap>done');
    expect(found.outcome).toBe('completed');
    const missing = simulate(plan('champion-left'));
    expect(took(missing)).toContain('7:remap>overdue');
  });

  it('holds the QBR and the advocacy asks', () => {
    expect(simulate(plan('qbr-cadence'), { events: [{ day: 3, type: 'crm.meeting_held', data: { kind: 'qbr' } }] })).toMatchObject({ outcome: 'completed', endedOnDay: 3 });
    const promoter = simulate(plan('advocacy-expansion'), { account: { attributes: { health_score: 90 }, metrics: { nps: 10 } }, decisions: { 'approve-ask': { decision: 'approved', afterDays: 2 } } });
    expect(promoter).toMatchObject({ outcome: 'completed', endedOnDay: 2 });
    expect(simulate(plan('advocacy-expansion'), { account: { metrics: { nps: 6 } } })).toMatchObject({ outcome: 'exited', reason: 'Health or NPS below the bar' });
  });

  it('is deterministic', () => {
    const input = { account: { segment: 'high-touch' }, events: [{ day: 10, type: 'product.sso_configured' }] };
    expect(JSON.stringify(simulate(plan('onboarding-30-60-90'), input))).toBe(JSON.stringify(simulate(plan('onboarding-30-60-90'), input)));
  });
});
