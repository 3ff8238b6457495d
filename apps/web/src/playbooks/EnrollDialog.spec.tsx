/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import { templates } from '@cairn/playbook';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { apiError, type FakeCall, fakeApi, ids, signInAs } from '../../testing/fake-api';
import { EnrollAccountDialog } from './EnrollAccountDialog';
import { EnrollDialog, SEARCH_DEBOUNCE_MS } from './EnrollDialog';
import { PlaybookListPage } from './PlaybookListPage';
import { PlaybookPage } from './PlaybookPage';

// The read-only canvas is React Flow's (and its own spec's); here it is a placeholder.
jest.mock('../canvas/PlaybookCanvas', () => ({ PlaybookCanvas: () => <div data-testid="canvas" /> }));

const T = '2026-03-01T10:00:00.000Z';
const PLAYBOOK = ids(1);
const account = (n: number, name: string) => ({ id: ids(n), name, domain: null, externalIds: {}, health: null, segment: { id: ids(3), key: 'mid', name: 'Mid touch' }, assignedSegment: null, csm: null, stakeholders: [], timezone: 'UTC', attributes: {}, metrics: {} });
const ACCOUNTS = [account(10, 'Acme Analytics'), account(11, 'Globex Retail'), account(12, 'Initech')];
const segment = { id: ids(5), key: 'at-risk', name: 'At risk', description: '', touchModel: 'high', priority: 10, kind: 'rule', rule: null, memberCount: 2, createdAt: T, updatedAt: T, archivedAt: null };
const version = { id: ids(6), version: 2, hash: 'h', publishedAt: T, publishedBy: 'Olivia Park', note: '' };
const playbook = (versions: unknown[]) => ({ id: PLAYBOOK, key: 'onboarding-kickoff', name: 'Onboarding kickoff', description: 'Kick off', kind: 'onboarding', draft: templates['onboarding-kickoff'], versions, draftRevision: 1, archivedAt: null, createdAt: T, updatedAt: T });

function serve(bulk: (body: { accountIds?: string[]; segmentId?: string }) => [number, unknown]): FakeCall[] {
  return fakeApi((call) => {
    if (call.path.startsWith('/accounts?')) {
      const q = new URLSearchParams(call.path.split('?')[1]).get('q')?.toLowerCase() ?? '';
      return [200, { items: ACCOUNTS.filter((a) => a.name.toLowerCase().includes(q)), nextCursor: null }];
    }
    if (call.path.startsWith('/segments?')) return [200, { items: [segment], nextCursor: null }];
    if (call.method === 'POST' && call.path === `/playbooks/${PLAYBOOK}/enrollments/bulk`) return bulk(call.body as { accountIds?: string[] });
    if (call.path === `/playbooks/${PLAYBOOK}`) return [200, playbook([version])];
    return undefined;
  });
}

const answer = (over: object) => ({ playbookId: PLAYBOOK, version: 2, segment: null, counts: { requested: 2, enrolled: 1, skipped: 1, failed: 0 }, enrolled: [], skipped: [], failed: [], ...over });

beforeEach(() => {
  signInAs('ops', 'Olivia Park');
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

const renderDialog = (onClose = jest.fn()) =>
  render(
    <MemoryRouter>
      <EnrollDialog playbookId={PLAYBOOK} playbookName="Onboarding kickoff" onClose={onClose} />
    </MemoryRouter>,
  );

describe('the Enroll accounts dialog', () => {
  it('searches accounts by name, enrolls the picked ones with the reason, and shows each answer: the run, or why it was skipped', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    const calls = serve(() => [
      200,
      answer({ enrolled: [{ accountId: ids(10), runId: ids(40) }], skipped: [{ accountId: ids(12), code: 'already_running', reason: 'Already running', runId: ids(41) }] }),
    ]);
    renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Enroll accounts in Onboarding kickoff' });
    await within(dialog).findByRole('button', { name: 'Add Globex Retail' });
    expect(within(dialog).getByRole('button', { name: /^Enroll 0 accounts$/ })).toHaveProperty('disabled', true);

    await user.type(within(dialog).getByLabelText('Find accounts'), 'acme');
    await act(async () => jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    await within(dialog).findByRole('button', { name: 'Add Acme Analytics' });
    expect(within(dialog).queryByRole('button', { name: 'Add Globex Retail' })).toBeNull();
    expect(calls.filter((c) => c.path.startsWith('/accounts?')).at(-1)?.path).toBe('/accounts?q=acme&limit=8');
    await user.click(within(dialog).getByRole('button', { name: 'Add Acme Analytics' }));

    await user.clear(within(dialog).getByLabelText('Find accounts'));
    await user.type(within(dialog).getByLabelText('Find accounts'), 'init');
    await act(async () => jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS));
    await user.click(await within(dialog).findByRole('button', { name: 'Add Initech' }));
    expect(within(screen.getByRole('list', { name: 'Accounts to enroll' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Acme Analytics ×', 'Initech ×']);

    await user.type(within(dialog).getByLabelText('Reason (recorded on each run)'), 'Signed the renewal');
    await user.click(within(dialog).getByRole('button', { name: 'Enroll 2 accounts' }));

    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ accountIds: [ids(10), ids(12)], reason: 'Signed the renewal' });
    const outcome = await screen.findByTestId('enroll-outcome');
    expect(within(outcome).getByRole('status').textContent).toBe('1 enrolled, 1 skipped in v2');
    const lines = within(outcome).getAllByRole('listitem');
    expect(lines[0].textContent).toMatch(/^Acme Analytics: enrolled Open the run$/);
    expect(within(lines[0]).getByRole('link', { name: 'Open the run' }).getAttribute('href')).toBe(`/runs/${ids(40)}`);
    expect(lines[1].textContent).toContain('Initech: skipped — already running in this playbook');
    expect(within(lines[1]).getByRole('link', { name: 'Open the running one' }).getAttribute('href')).toBe(`/runs/${ids(41)}`);
  });

  it('enrolls every account of a segment, and says a refusal in words with the form kept', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    let refuse = true;
    const calls = serve(() =>
      refuse
        ? [409, apiError(409, '"Onboarding kickoff" has no published version yet; publish it before enrolling accounts')]
        : [200, answer({ segment: { id: ids(5), key: 'at-risk', name: 'At risk' }, counts: { requested: 2, enrolled: 0, skipped: 1, failed: 1 }, skipped: [{ accountId: ids(11), code: 'reentry', reason: 'Ran 3 days ago', runId: null }], failed: [{ accountId: ids(10), code: 'start_failed', reason: 'boom' }] })],
    );
    renderDialog();
    await user.click(screen.getByRole('radio', { name: 'Every account of a segment' }));
    await user.selectOptions(await screen.findByLabelText('Segment'), ids(5));
    await user.click(screen.getByRole('button', { name: 'Enroll the segment' }));
    expect((await screen.findByRole('alert')).textContent).toContain('has no published version yet');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ segmentId: ids(5) });

    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Enroll the segment' }));
    const outcome = await screen.findByTestId('enroll-outcome');
    expect(within(outcome).getByRole('status').textContent).toBe('0 enrolled, 1 skipped, 1 failed in v2 (segment At risk)');
    // Members the dialog never listed are named by id; each says why.
    expect(outcome.textContent).toContain(`${ids(11)}: skipped — not again yet (the re-entry policy): Ran 3 days ago`);
    expect(outcome.textContent).toContain(`${ids(10)}: failed — the run did not start: enroll again to retry: boom`);
  });
});

describe('the playbook pages', () => {
  it('offers Enroll accounts to who may enroll, once the playbook is published', async () => {
    jest.useRealTimers();
    serve(() => [200, answer({})]);
    const view = render(
      <MemoryRouter initialEntries={[`/playbooks/${PLAYBOOK}`]}>
        <Routes>
          <Route path="/playbooks/:id" element={<PlaybookPage />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByRole('status').textContent).toBe('Loading the playbook…');
    await userEvent.click(await screen.findByRole('button', { name: 'Enroll accounts…' }));
    expect(screen.getByRole('dialog', { name: 'Enroll accounts in Onboarding kickoff' })).toBeTruthy();
    view.unmount();

    signInAs('csm');
    render(
      <MemoryRouter initialEntries={[`/playbooks/${PLAYBOOK}`]}>
        <Routes>
          <Route path="/playbooks/:id" element={<PlaybookPage />} />
        </Routes>
      </MemoryRouter>,
    );
    await screen.findByRole('heading', { name: 'Onboarding kickoff' });
    expect(screen.queryByRole('button', { name: 'Enroll accounts…' })).toBeNull();
  });

  it('shows an error with a retry instead of a blank page, then the playbook', async () => {
    jest.useRealTimers();
    let fail = true;
    fakeApi((call) => (call.path === `/playbooks/${PLAYBOOK}` ? (fail ? [503, apiError(503, 'The database is unavailable')] : [200, playbook([])]) : undefined));
    render(
      <MemoryRouter initialEntries={[`/playbooks/${PLAYBOOK}`]}>
        <Routes>
          <Route path="/playbooks/:id" element={<PlaybookPage />} />
        </Routes>
      </MemoryRouter>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('The database is unavailable');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Onboarding kickoff' });
    // Never published: enrolling waits for a version.
    expect(screen.getByRole('button', { name: 'Enroll accounts…' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Publish the playbook to enroll accounts in it.')).toBeTruthy();
  });

  it('lists playbooks with loading, empty and error states', async () => {
    jest.useRealTimers();
    let answerWith: [number, unknown] = [500, apiError(500, 'Something broke')];
    fakeApi((call) => (call.path.startsWith('/playbooks') ? answerWith : undefined));
    render(
      <MemoryRouter>
        <PlaybookListPage />
      </MemoryRouter>,
    );
    expect(screen.getByRole('status').textContent).toBe('Loading playbooks…');
    expect((await screen.findByRole('alert')).textContent).toContain('Something broke');
    answerWith = [200, { items: [], nextCursor: null }];
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/No playbooks yet: create one with New playbook/);
    expect(screen.queryByRole('table')).toBeNull();
  });
});

describe('Enroll in playbook, from an account', () => {
  const summary = { id: PLAYBOOK, key: 'onboarding-kickoff', name: 'Onboarding kickoff', description: '', kind: 'onboarding', archivedAt: null, createdAt: T, updatedAt: T, latestVersion: 2 };
  const run = {
    id: ids(40),
    workflowId: 'wf',
    playbookId: PLAYBOOK,
    playbookKey: 'onboarding-kickoff',
    playbookName: 'Onboarding kickoff',
    playbookVersionId: ids(6),
    version: 2,
    planHash: 'h',
    accountId: ids(10),
    accountName: 'Acme Analytics',
    status: 'running',
    currentNodeId: 'start',
    enrolledBy: 'Olivia Park',
    reason: 'Signed',
    startedAt: T,
    endedAt: null,
    steps: [],
    live: null,
    actions: [],
    milestones: [],
  };

  it('enrolls the account in a published playbook with the reason, links the run, and says a refusal in the API’s words', async () => {
    jest.useRealTimers();
    let refuse = true;
    const calls = fakeApi((call) => {
      if (call.path.startsWith('/playbooks?')) return [200, { items: [summary], nextCursor: null }];
      if (call.method === 'POST' && call.path === `/playbooks/${PLAYBOOK}/enrollments`) return refuse ? [409, apiError(409, 'Acme Analytics is already running in Onboarding kickoff')] : [201, run];
      return undefined;
    });
    render(
      <MemoryRouter>
        <EnrollAccountDialog account={{ id: ids(10), name: 'Acme Analytics' }} onClose={jest.fn()} />
      </MemoryRouter>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Enroll Acme Analytics in a playbook' });
    expect(calls[0].path).toBe('/playbooks?status=published&limit=200');
    await userEvent.selectOptions(await within(dialog).findByLabelText('Playbook'), PLAYBOOK);
    await userEvent.type(within(dialog).getByLabelText('Reason (recorded on the run)'), 'Signed');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Enroll' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Not enrolled: Acme Analytics is already running in Onboarding kickoff');

    refuse = false;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Enroll' }));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { accountId: ids(10), reason: 'Signed' },
      { accountId: ids(10), reason: 'Signed' },
    ]);
    const done = await within(dialog).findByRole('status');
    expect(done.textContent).toBe('Enrolled in Onboarding kickoff v2. Open the run');
    expect(within(done).getByRole('link', { name: 'Open the run' }).getAttribute('href')).toBe(`/runs/${ids(40)}`);
  });
});
