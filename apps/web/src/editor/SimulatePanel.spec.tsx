/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi, ids, signInAs } from '../../testing/fake-api';
import { EditorContext, useLiveValidation } from './context';
import { SimulatePanel } from './SimulatePanel';
import { createEditorStore, type EditorStore } from './store';

const T = '2026-03-01T10:00:00.000Z';
const account = {
  id: ids(1),
  name: 'Globex Retail',
  domain: null,
  externalIds: {},
  health: { status: 'red', score: 30 },
  segment: { id: ids(3), key: 'tech-touch', name: 'Tech touch' },
  assignedSegment: null,
  csm: null,
  stakeholders: [{ id: ids(10), accountId: ids(1), name: 'Dana', email: 'dana@globex.test', role: 'champion', title: null, phone: null, status: 'active', isPrimary: true, leftAt: null, createdAt: T, updatedAt: T }],
  timezone: 'UTC',
  attributes: { arr: 41000 },
  metrics: { weekly_active_users: 1 },
};

function Workspace({ store }: { store: EditorStore }) {
  useLiveValidation(store, 0);
  return (
    <EditorContext.Provider value={store}>
      <SimulatePanel />
    </EditorContext.Provider>
  );
}

async function setup(key: string) {
  signInAs('ops');
  const calls = fakeApi((call) => (call.path.startsWith('/accounts?') ? [200, { items: [account], nextCursor: null }] : undefined));
  const store = createEditorStore(playbookDocumentSchema.parse(templates[key]));
  const user = userEvent.setup();
  render(<Workspace store={store} />);
  await user.click(screen.getByText('Simulate', { selector: 'h2' }));
  return { store, user, calls };
}

const path = () => within(screen.getByRole('list', { name: 'Simulated path' }));
const pathText = () => screen.getByRole('list', { name: 'Simulated path' }).textContent ?? '';

async function setAccountJson(user: ReturnType<typeof userEvent.setup>, text: string) {
  const box = screen.getByLabelText('Account JSON');
  await user.clear(box);
  await user.click(box);
  await user.paste(text);
}

describe('the simulate panel', () => {
  it('runs the sample account through the draft: the path step by step with day and reason, on the canvas too', async () => {
    const { store, user } = await setup('onboarding-kickoff');
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(screen.getByRole('status').textContent).toBe('Completed on day 3: Reached the end of the playbook');
    expect(path().getAllByRole('button', { name: 'Wait 3 days' })).toHaveLength(2);
    expect(pathText()).toMatch(/day 0 Wait 3 days waitingWaiting 3 days/);
    expect(pathText()).toMatch(/day 3 CSM approves kickoff → approvedApproved by the approver \(simulated\)/);
    expect(pathText()).toMatch(/email to champion: Kicking off Sample account's onboarding/);
    expect(store.getState().simulation?.states).toMatchObject({ 'kickoff-email': 'done', skipped: 'skipped' });

    // A decision changes the way: rejected, the kickoff is not sent.
    await user.selectOptions(screen.getByLabelText('Decision on CSM approves kickoff'), 'rejected');
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(screen.getByRole('status').textContent).toMatch(/^Exited on day 3: The CSM declined/);
    expect(store.getState().simulation?.states).toMatchObject({ 'kickoff-email': 'skipped', skipped: 'done' });

    // A click on a step selects it; Clear takes the path off the canvas.
    await user.click(path().getByRole('button', { name: 'Kickoff not sent' }));
    expect(store.getState().selectedNodes).toEqual(['skipped']);
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(store.getState().simulation).toBeNull();
  });

  it('an event changes the path: usage recovers after the check-in email', async () => {
    const { user } = await setup('low-usage-intervention');
    await setAccountJson(user, JSON.stringify({ name: 'Globex', metrics: { weekly_active_users: 2 } }));
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(pathText()).toMatch(/Usage recovers \(7 days\) → timed_out/);
    expect(pathText()).toMatch(/CSM call/);

    await user.click(screen.getByRole('button', { name: 'Add an event' }));
    await user.type(screen.getByLabelText('Type of event 1'), 'product.usage');
    await user.clear(screen.getByLabelText('Day of event 1'));
    await user.type(screen.getByLabelText('Day of event 1'), '3');
    await user.click(screen.getByLabelText('Changes of event 1'));
    await user.paste('{"metric.weekly_active_users": 15}');
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(screen.getByRole('status').textContent).toBe('Completed on day 3: Reached the end of the playbook');
    expect(pathText()).toMatch(/day 3 Usage recovers \(7 days\) → receivedmetric.weekly_active_users .*15.* holds after product.usage on day 3/);
    expect(pathText()).not.toMatch(/CSM call/);
  });

  it('shows what is wrong with the sample JSON, by field path, instead of simulating', async () => {
    const { store, user } = await setup('onboarding-kickoff');
    await setAccountJson(user, JSON.stringify({ name: 'Acme', dates: { renewal_date: 'next spring' }, metrics: { seats: 'many' } }));
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    const problems = screen.getByRole('alert');
    expect(problems.textContent).toMatch(/account\.dates\.renewal_date: /);
    expect(problems.textContent).toMatch(/account\.metrics\.seats: /);
    expect(screen.queryByTestId('simulation-result')).toBeNull();
    expect(store.getState().simulation).toBeNull();
  });

  it('takes an account from the API as the engine reads it, and lists its milestones', async () => {
    const { user, calls } = await setup('onboarding-30-60-90');
    await waitFor(() => expect(screen.getByRole('option', { name: 'Globex Retail · tech-touch' })).toBeTruthy());
    expect(calls.map((c) => c.path)).toEqual(['/accounts?limit=50']);
    await user.selectOptions(screen.getByLabelText('Account'), 'Globex Retail · tech-touch');
    const json = JSON.parse((screen.getByLabelText('Account JSON') as HTMLTextAreaElement).value);
    expect(json).toMatchObject({ name: 'Globex Retail', segment: 'tech-touch', roles: ['champion'], attributes: { health: 'red', health_score: 30 } });
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(pathText()).toMatch(/Kickoff firedemail to champion/);
    const milestones = screen.getByRole('list', { name: 'Milestones' });
    expect(milestones.textContent).toMatch(/Kickoff held: on time \(day 0, target day 7\)/);
    expect(pathText()).toMatch(/We connect first integrations → doneMarked done/);

    // A task a person never marks done: the run waits on it (blank days: never).
    await user.clear(screen.getByLabelText('Days until We connect first integrations is done'));
    await user.click(screen.getByRole('button', { name: 'Run the simulation' }));
    expect(pathText()).toMatch(/We connect first integrations waitingNever done/);
  });

  it('says the draft does not compile instead of simulating it', async () => {
    const { store } = await setup('onboarding-kickoff');
    act(() => store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: 'soon' }));
    await waitFor(() => expect(screen.getByText(/The draft does not compile/)).toBeTruthy());
    expect((screen.getByRole('button', { name: 'Run the simulation' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
