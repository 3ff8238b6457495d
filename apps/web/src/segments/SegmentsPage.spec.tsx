/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { type FakeCall, fakeApi, ids, signInAs } from '../../testing/fake-api';
import { PREVIEW_DEBOUNCE_MS, SegmentsPage } from './SegmentsPage';

const T = '2026-03-01T10:00:00.000Z';
const segment = { id: ids(1), key: 'at-risk', name: 'At risk', description: '', touchModel: 'high', priority: 10, kind: 'rule', rule: { any: [{ field: 'metric.weekly_active_users', op: 'lt', value: 20 }] }, memberCount: 3, createdAt: T, updatedAt: T, archivedAt: null };

function preview(rule: unknown) {
  return {
    total: 12,
    matching: 1,
    accounts: [{ accountId: ids(10), name: 'Globex Retail', segment: 'high-touch', checks: [{ condition: `rule ${JSON.stringify(rule)}`, holds: true }] }],
    nearMisses: [{ accountId: ids(11), name: 'Initech', segment: 'mid-touch', checks: [{ condition: 'account.arr 41000 ≥ 50000', holds: false }] }],
  };
}

function serve(): FakeCall[] {
  return fakeApi((call) => {
    if (call.path.startsWith('/segments?')) return [200, { items: [segment], nextCursor: null }];
    if (call.method === 'POST' && call.path === '/segments/preview') return [200, preview((call.body as { rule: unknown }).rule)];
    return undefined;
  });
}

const previews = (calls: FakeCall[]) => calls.filter((c) => c.path === '/segments/preview').map((c) => c.body);

beforeEach(() => {
  signInAs('csm');
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

describe('the segments page', () => {
  it('previews the rule once typing pauses: one request for a burst of keys, with the rule as last typed', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime, delay: 50 });
    const calls = serve();
    render(
      <MemoryRouter>
        <SegmentsPage />
      </MemoryRouter>,
    );
    // The starting rule is previewed at once.
    await act(async () => undefined);
    expect(previews(calls)).toEqual([{ rule: { field: 'account.arr', op: 'gte', value: 50000 }, limit: 25 }]);
    expect((await screen.findByTestId('preview-result')).textContent).toContain('1 of 12 accounts match');

    const value = screen.getByLabelText('Value of condition 1');
    await user.clear(value);
    await user.type(value, '120000');
    // Keys 50 ms apart: still one request, none while typing.
    expect(previews(calls)).toHaveLength(1);
    // userEvent waits its 50 ms after the last key too: the pause is counted from that key.
    await act(async () => jest.advanceTimersByTime(PREVIEW_DEBOUNCE_MS - 100));
    expect(previews(calls)).toHaveLength(1);
    await act(async () => jest.advanceTimersByTime(100));
    expect(previews(calls)).toEqual([
      { rule: { field: 'account.arr', op: 'gte', value: 50000 }, limit: 25 },
      { rule: { field: 'account.arr', op: 'gte', value: 120000 }, limit: 25 },
    ]);
    const nearMisses = await screen.findByRole('list', { name: 'Near misses' });
    expect(within(nearMisses).getByRole('link', { name: 'Initech' }).getAttribute('href')).toBe(`/accounts/${ids(11)}`);
    expect(nearMisses.textContent).toContain('misses: account.arr 41000 ≥ 50000');
  });

  it('says what is wrong with a rule instead of previewing it, and opens a saved segment’s rule', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    const calls = serve();
    render(
      <MemoryRouter>
        <SegmentsPage />
      </MemoryRouter>,
    );
    await user.click(await screen.findByRole('button', { name: 'Preview the rule of At risk' }));
    expect((screen.getByLabelText('Field of condition 1') as HTMLInputElement).value).toBe('metric.weekly_active_users');
    await user.clear(screen.getByLabelText('Value of condition 1'));
    await user.type(screen.getByLabelText('Value of condition 1'), 'few');
    await act(async () => jest.advanceTimersByTime(PREVIEW_DEBOUNCE_MS * 2));
    expect(screen.getByRole('alert', { name: 'Problems with the rule' }).textContent).toContain('"lt" compares numbers');
    // Only the starting rule was ever sent: the broken one is not.
    expect(previews(calls).map((p) => JSON.stringify(p))).toEqual(previews(calls).map(() => JSON.stringify({ rule: { field: 'account.arr', op: 'gte', value: 50000 }, limit: 25 })));
  });
});
