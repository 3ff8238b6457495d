/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import type { InboxItem, SlaState } from '@cairn/contracts';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { apiError, type FakeCall, fakeApi, ids, signInAs } from '../../testing/fake-api';
import { InboxPage } from './InboxPage';

const HOUR = 3_600_000;

function approval(n: number, slaState: SlaState, extra: Partial<InboxItem> = {}): InboxItem {
  return {
    kind: 'approval',
    id: ids(n),
    runId: ids(100 + n),
    nodeId: 'approve-kickoff',
    accountId: ids(200 + n),
    accountName: `Account ${n}`,
    playbookId: ids(300),
    playbookName: 'Onboarding kickoff',
    version: 2,
    title: `Approve kickoff ${n}`,
    assigneeId: ids(900),
    assigneeName: 'Casey Morgan',
    dueAt: new Date(Date.now() + 48 * HOUR).toISOString(),
    slaState,
    escalationLevel: slaState === 'escalated' ? 1 : 0,
    snoozedUntil: null,
    commentCount: 0,
    createdAt: new Date(Date.now() - HOUR).toISOString(),
    proposed: { channel: 'email', to: 'dana@acme.test', subject: 'Welcome aboard', body: 'Hello Dana' },
    ...extra,
  } as InboxItem;
}

const page = (items: InboxItem[]) => ({ items, nextCursor: null });
const approvalAnswer = (item: InboxItem) => ({
  ...item,
  status: 'approved',
  decidedById: ids(900),
  decidedByName: 'Casey Morgan',
  decidedAt: new Date().toISOString(),
  note: null,
  resolution: null,
  slaState: null,
});
const account = (n: number, csm: { id: string; name: string; role: string }) => ({
  id: ids(200 + n),
  name: `Account ${n}`,
  domain: null,
  externalIds: {},
  health: null,
  segment: { id: ids(400), key: 'high-touch', name: 'High touch' },
  assignedSegment: null,
  csm: { ...csm, email: 'csm@cairn.local' },
  stakeholders: [],
  timezone: 'UTC',
  attributes: {},
  metrics: {},
});

function renderInbox() {
  return render(
    <MemoryRouter initialEntries={['/approvals']}>
      <InboxPage />
    </MemoryRouter>,
  );
}

/** The common routes: the inbox answers `items`; comments are empty; accounts list two CSMs. */
function serve(items: InboxItem[], more: (call: FakeCall) => [number, unknown] | undefined = () => undefined): FakeCall[] {
  return fakeApi((call) => {
    const answer = more(call);
    if (answer) return answer;
    if (call.method === 'GET' && call.path.startsWith('/inbox')) return [200, page(items)];
    if (call.method === 'GET' && call.path.includes('/comments')) return [200, { items: [], nextCursor: null }];
    if (call.method === 'GET' && call.path.startsWith('/accounts')) {
      return [200, { items: [account(1, { id: ids(900), name: 'Casey Morgan', role: 'csm' }), account(2, { id: ids(901), name: 'Jordan Lee', role: 'csm' })], nextCursor: null }];
    }
    return undefined;
  });
}

beforeEach(() => signInAs('csm'));

describe('the inbox', () => {
  it('approves from the keyboard with the touch edited first: e edits, Esc leaves the field, a approves with the edited subject only', async () => {
    const user = userEvent.setup();
    const item = approval(1, 'due_soon');
    const calls = serve([item], (call) => (call.method === 'POST' ? [200, approvalAnswer(item)] : undefined));
    renderInbox();
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });

    await user.keyboard('e');
    const subject = screen.getByLabelText('Subject');
    await waitFor(() => expect(document.activeElement).toBe(subject));
    await user.clear(subject);
    await user.type(subject, 'Welcome aboard, Dana');
    await user.keyboard('{Escape}');
    expect(document.activeElement).not.toBe(subject);
    await user.keyboard('a');

    await screen.findByText('Approved with your edits: the run sends the edited touch');
    const decision = calls.find((c) => c.method === 'POST');
    expect(decision).toEqual({ method: 'POST', path: `/approvals/${item.id}/decision`, body: { decision: 'approved', editedTouch: { subject: 'Welcome aboard, Dana' } } });
  });

  it('moves with j and k, and rejects the selected item with r and the note', async () => {
    const user = userEvent.setup();
    const items = [approval(1, 'overdue'), approval(2, 'on_time')];
    const calls = serve(items, (call) => (call.method === 'POST' ? [200, { ...approvalAnswer(items[1] as InboxItem), status: 'rejected' }] : undefined));
    renderInbox();
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });
    await user.keyboard('j');
    await screen.findByRole('heading', { name: 'Approve kickoff 2' });
    expect(within(screen.getByRole('listbox')).getByRole('option', { selected: true }).textContent).toContain('Approve kickoff 2');
    await user.keyboard('k');
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });
    await user.keyboard('j');
    await user.type(screen.getByLabelText(/^Note/), 'Not this quarter');
    await user.keyboard('{Escape}r');
    await screen.findByText('Rejected: nothing is sent');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ method: 'POST', path: `/approvals/${ids(2)}/decision`, body: { decision: 'rejected', note: 'Not this quarter' } }]);
  });

  it('reassigns to a person picked from the CSMs the role can see, and snoozes for a day', async () => {
    const user = userEvent.setup();
    const item = approval(1, 'on_time');
    const calls = serve([item], (call) => {
      if (call.method === 'POST' && call.path.endsWith('/reassign')) return [200, { ...approvalAnswer(item), status: 'pending', assigneeId: ids(901), assigneeName: 'Jordan Lee' }];
      if (call.method === 'POST' && call.path.endsWith('/snooze')) {
        const until = (call.body as { until: string }).until;
        return [200, { itemKind: 'approval', itemId: item.id, snoozedUntil: until, dueAt: item.dueAt, slaState: 'on_time', endsAfterDue: false, note: 'The SLA keeps running' }];
      }
      return undefined;
    });
    renderInbox();
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });

    const handTo = screen.getByLabelText('Hand to');
    // The current assignee (Casey) is not offered; Jordan, the other CSM the accounts list shows, is.
    await waitFor(() => expect(within(handTo).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose someone…', 'Jordan Lee (csm)']));
    expect(screen.getByText(/Only admins can list every user/)).toBeTruthy();
    await user.selectOptions(handTo, ids(901));
    await user.click(screen.getByRole('button', { name: 'Reassign' }));
    await screen.findByText('Handed to Jordan Lee');
    expect(calls.find((c) => c.path.endsWith('/reassign'))).toEqual({ method: 'POST', path: `/approvals/${item.id}/reassign`, body: { assigneeId: ids(901) } });

    const before = Date.now();
    await user.click(within(screen.getByRole('group', { name: 'Snooze' })).getByRole('button', { name: '1 day' }));
    await screen.findByText(/^Snoozed until/);
    const snooze = calls.find((c) => c.path.endsWith('/snooze'));
    expect(snooze?.path).toBe(`/approvals/${item.id}/snooze`);
    const until = Date.parse((snooze?.body as { until: string }).until);
    expect(until - before).toBeGreaterThanOrEqual(24 * HOUR - 1_000);
    expect(until - before).toBeLessThan(24 * HOUR + 60_000);
  });

  it('shows each SLA state as a badge in words, in the list and on the item', async () => {
    serve([approval(1, 'escalated'), approval(2, 'overdue'), approval(3, 'due_soon'), approval(4, 'on_time')]);
    renderInbox();
    const list = await screen.findByRole('listbox', { name: /Approvals and tasks/ });
    expect(within(list).getAllByTestId('sla-badge').map((b) => b.textContent)).toEqual(['Escalated', 'Overdue', 'Due soon', 'On time']);
    expect(within(screen.getByRole('article')).getByTestId('sla-badge').textContent).toContain('Escalated');
  });

  it('shows the run’s refusal (409) in words and keeps the item', async () => {
    const user = userEvent.setup();
    serve([approval(1, 'on_time')], (call) => (call.method === 'POST' ? [409, apiError(409, 'The run is not waiting for this approval: it was decided already')] : undefined));
    renderInbox();
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The run is not waiting for this approval: it was decided already');
    expect(screen.getByRole('heading', { name: 'Approve kickoff 1' })).toBeTruthy();
  });

  it('shows an error with a retry when the inbox answers 500, and the items once it answers', async () => {
    const user = userEvent.setup();
    let fail = true;
    serve([approval(1, 'on_time')], (call) => (call.path.startsWith('/inbox') && fail ? [500, apiError(500, 'Something broke on our side')] : undefined));
    renderInbox();
    expect((await screen.findByRole('alert')).textContent).toContain('Something broke on our side');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Approve kickoff 1' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('completes a task with its note, and lists the shortcuts on ?', async () => {
    const user = userEvent.setup();
    const task = {
      ...approval(5, 'on_time'),
      kind: 'task',
      title: 'Send the success plan',
      ownerSide: 'ours',
      ownerRole: 'csm',
      completion: 'person',
    } as unknown as InboxItem;
    delete (task as { proposed?: unknown }).proposed;
    const calls = serve([task], (call) => (call.method === 'POST' ? [200, {}] : undefined));
    renderInbox();
    await screen.findByRole('heading', { name: 'Send the success plan' });
    await user.keyboard('?');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent).toContain('approve (with your edits)');
    await user.click(screen.getByRole('button', { name: 'Mark done' }));
    // The answer did not parse as a task: the mismatch is shown, never a blank page.
    expect((await screen.findByRole('alert')).textContent).toMatch(/Unexpected answer from POST \/api\/tasks\/.+\/complete/);
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', path: `/tasks/${task.id}/complete`, body: {} });
  });
});
