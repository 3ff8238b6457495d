/** @jest-environment jsdom */
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EditorContext, useLiveValidation } from './context';
import { createEditorStore, type EditorStore } from './store';
import { TimelinePanel } from './TimelinePanel';

const template = (key: string) => playbookDocumentSchema.parse(templates[key]);

function Workspace({ store }: { store: EditorStore }) {
  useLiveValidation(store, 0);
  return (
    <EditorContext.Provider value={store}>
      <TimelinePanel />
    </EditorContext.Provider>
  );
}

function setup(key = 'onboarding-30-60-90') {
  const store = createEditorStore(template(key));
  render(<Workspace store={store} />);
  return { store, user: userEvent.setup() };
}

const row = (id: string) => screen.getByTestId(`timeline-${id}`);

describe('the timeline view', () => {
  it('draws the 30/60/90 axis, a row per step with its days, milestones at their target day', async () => {
    setup();
    await waitFor(() => expect(row('m-value')).toBeTruthy());
    const axis = screen.getByTestId('timeline-view').querySelector('.timeline-axis') as HTMLElement;
    expect([...axis.querySelectorAll('.timeline-tick')].map((t) => t.textContent)).toEqual(['Day 0', '30', '60', '90']);
    expect(row('sso-late').textContent).toMatch(/day 14/);
    expect(row('m-adoption').textContent).toMatch(/target day 60/);
    const diamond = row('m-adoption').querySelector('.timeline-diamond') as HTMLElement;
    expect(diamond.style.left).toBe('66.667%');
    // Open-ended: who decides, and the bar runs to the end of the axis.
    expect(row('m-value').textContent).toMatch(/from day 0, when the task is done/);
    expect(row('m-value').querySelector('.timeline-bar')?.className).toMatch(/is-open/);
  });

  it('shows a segment’s path: the touch variant it gets', async () => {
    const { user } = setup();
    await waitFor(() => expect(row('kickoff')).toBeTruthy());
    expect(row('kickoff').textContent).toMatch(/email to champion/);
    await user.selectOptions(screen.getByLabelText('Segment path'), 'high-touch');
    expect(row('kickoff').textContent).toMatch(/meeting to champion \(segment variant\)/);
    await user.selectOptions(screen.getByLabelText('Segment path'), 'Any other segment');
    expect(row('kickoff').textContent).toMatch(/email to champion/);
  });

  it('selects the step when its row is clicked (by keyboard too)', async () => {
    const { store, user } = setup();
    await waitFor(() => expect(row('day-60')).toBeTruthy());
    await user.click(within(row('day-60')).getByRole('button'));
    expect(store.getState().selectedNodes).toEqual(['day-60']);
    expect(within(row('day-60')).getByRole('button').getAttribute('aria-pressed')).toBe('true');
    within(row('m-adoption')).getByRole('button').focus();
    await user.keyboard('{Enter}');
    expect(store.getState().selectedNodes).toEqual(['m-adoption']);
  });

  it('recomputes from the draft as it is edited, and says so when it does not compile', async () => {
    const { store } = setup('onboarding-kickoff');
    await waitFor(() => expect(row('approve-kickoff').textContent).toMatch(/day 3\b/));
    act(() => store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: '10 days', label: 'Wait 10 days' }));
    await waitFor(() => expect(row('approve-kickoff').textContent).toMatch(/day 10\b/));
    act(() => store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: 'soon' }));
    await waitFor(() => expect(screen.getByTestId('timeline-view').textContent).toMatch(/does not compile/));
  });
});
