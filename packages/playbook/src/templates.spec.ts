import { compilePlaybook } from './compile';
import { templates } from './templates';

/**
 * Golden tests: every shipped template compiles without errors, and its plan and 30/60/90
 * timeline are pinned. A change to the compiler that moves a step's day shows up here.
 */
describe.each(Object.keys(templates))('template %s', (key) => {
  const result = compilePlaybook(templates[key]);

  it('compiles without errors or warnings', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('has the same plan and timeline as before', () => {
    if (!result.ok) throw new Error('does not compile');
    expect({ hash: result.plan.hash, timeline: result.plan.timeline, milestones: result.plan.milestones }).toMatchSnapshot();
  });
});

describe('template timelines', () => {
  const plan = (key: string) => {
    const result = compilePlaybook(templates[key]);
    if (!result.ok) throw new Error(key);
    return result.plan;
  };

  it('puts the renewal touches at 120, 90, 60 and 30 days before the renewal date', () => {
    const { timeline } = plan('renewal-120');
    expect([timeline.recap, timeline.prepare, timeline.approve, timeline.signed].map((w) => w.earliestDay)).toEqual([0, 30, 60, 90]);
  });

  it('places the onboarding milestones on the 30/60/90 axis', () => {
    expect(plan('onboarding-30-60-90').milestones.map((m) => [m.name, m.targetDay, m.earliestDay])).toEqual([
      ['Kickoff held', 7, 0],
      ['First value', 30, 0],
      ['Adoption', 60, 60],
      ['Expansion-ready', 90, 90],
    ]);
  });

  it('bounds every step of the escalation ladder', () => {
    const { timeline } = plan('low-usage-intervention');
    expect(timeline['approve-call']).toEqual({ earliestDay: 7, latestDay: 7 });
    expect(timeline.exec).toEqual({ earliestDay: 21, latestDay: 30 });
  });
});
