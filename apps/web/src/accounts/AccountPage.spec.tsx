/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { apiError, fakeApi, ids, signInAs } from '../../testing/fake-api';
import { AccountPage } from './AccountPage';

const T = '2026-03-01T10:00:00.000Z';
const ACCOUNT = ids(1);
const RUN = ids(2);

const account = {
  id: ACCOUNT,
  name: 'Acme Analytics',
  domain: 'acme.test',
  externalIds: {},
  health: { status: 'yellow', score: 61 },
  segment: { id: ids(3), key: 'high-touch', name: 'High touch' },
  assignedSegment: null,
  csm: { id: ids(900), name: 'Casey Morgan', email: 'casey@cairn.local', role: 'csm' },
  stakeholders: [{ id: ids(10), accountId: ACCOUNT, name: 'Dana Whitfield', email: 'dana@acme.test', role: 'champion', title: 'VP Ops', phone: null, status: 'active', isPrimary: true, leftAt: null, createdAt: T, updatedAt: T }],
  timezone: 'UTC',
  attributes: { arr: 186000, plan: 'enterprise', renewal_date: '2027-03-01' },
  metrics: {},
};

const milestone = (n: number, name: string, status: string, day: number) => ({ id: ids(20 + n), nodeId: `m${n}`, visit: 0, name, targetDay: 30, status, day, reason: `${name}: day ${day}`, recordedAt: `2026-03-0${n}T10:00:00.000Z` });

const run = {
  id: RUN,
  workflowId: `cairn:playbook:onboarding:account:${ACCOUNT}`,
  playbookId: ids(4),
  playbookKey: 'onboarding',
  playbookName: 'Onboarding',
  playbookVersionId: ids(5),
  version: 1,
  planHash: 'abc',
  accountId: ACCOUNT,
  accountName: 'Acme Analytics',
  status: 'running',
  currentNodeId: 'wait',
  enrolledBy: 'Olivia Park',
  reason: null,
  startedAt: T,
  endedAt: null,
  steps: [],
  live: null,
  actions: [],
  milestones: [milestone(1, 'Kickoff', 'reached_on_time', 5), milestone(2, 'First value', 'reached_late', 41), milestone(3, 'Adoption', 'missed', 60)],
};

const plan = { accountId: ACCOUNT, strategy: 'Cut reporting time in half', updatedAt: T, updatedBy: null, objectives: [], accountabilities: { ours: [], customer: [] }, summary: { green: 0, red: 0, agreed: 0 } };

function renderAt() {
  return render(
    <MemoryRouter initialEntries={[`/accounts/${ACCOUNT}`]}>
      <Routes>
        <Route path="/accounts/:id" element={<AccountPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(() => signInAs('csm'));

describe('the account page', () => {
  it('shows each milestone as on track, behind or stuck, the account as its worst, the people map’s gaps and the header', async () => {
    fakeApi(({ path }) => {
      if (path === `/accounts/${ACCOUNT}`) return [200, account];
      if (path.startsWith('/runs?')) return [200, { items: [{ ...run, steps: undefined, live: undefined, actions: undefined, milestones: undefined }], nextCursor: null }];
      if (path === `/runs/${RUN}`) return [200, run];
      if (path.startsWith(`/runs/${RUN}/emails`)) return [200, { items: [], nextCursor: null }];
      if (path.startsWith(`/accounts/${ACCOUNT}/events`)) return [200, { items: [], nextCursor: null }];
      if (path === `/accounts/${ACCOUNT}/success-plan`) return [200, plan];
      return undefined;
    });
    renderAt();
    const milestones = (await screen.findByRole('heading', { name: /^Milestones/ })).closest('section') as HTMLElement;
    const table = await within(milestones).findByRole('table');
    const states = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [within(row).getAllByRole('cell')[0]?.textContent, within(row).getByTestId('milestone-state').textContent]);
    expect(states).toEqual([
      ['KickoffOnboarding', 'On track'],
      ['First valueOnboarding', 'Behind'],
      ['AdoptionOnboarding', 'Stuck'],
    ]);
    expect(within(screen.getByRole('heading', { name: /^Milestones/ })).getByTestId('milestone-state').textContent).toBe('Stuck');
    expect(milestones.textContent).toContain('Stuck: the run arrived and its criteria did not hold');

    expect(screen.getByRole('note').textContent).toContain('No executive sponsor');
    expect(screen.getByText('$186,000')).toBeTruthy();
    expect(screen.getByText('2027-03-01')).toBeTruthy();
    // A CSM may not enroll (runs:enroll is ops' and admins').
    expect(screen.queryByRole('button', { name: 'Enroll in playbook…' })).toBeNull();
    expect(await screen.findByText('Cut reporting time in half')).toBeTruthy();
    expect(within(screen.getByRole('heading', { name: 'Active runs' }).closest('section') as HTMLElement).getByRole('link', { name: 'Onboarding v1' }).getAttribute('href')).toBe(`/runs/${RUN}`);
  });

  it('shows the API’s error with a retry when the account answers 500, never a blank page', async () => {
    fakeApi(({ path }) => (path === `/accounts/${ACCOUNT}` ? [500, apiError(500, 'The database did not answer')] : [200, { items: [], nextCursor: null }]));
    renderAt();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The database did not answer');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
