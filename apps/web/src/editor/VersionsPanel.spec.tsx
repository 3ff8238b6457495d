/** @jest-environment jsdom */
import '../../testing/jsdom-polyfills';
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, type FakeCall, fakeApi, ids, signInAs } from '../../testing/fake-api';
import { EditorContext } from './context';
import { DiffCanvas } from './DiffCanvas';
import { createEditorStore } from './store';
import { VersionsPanel } from './VersionsPanel';

// React Flow measures with ResizeObserver and DOMMatrix, which jsdom lacks.
beforeAll(() => {
  class ResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback([{ target, contentRect: { width: 800, height: 600 } } as unknown as ResizeObserverEntry], this as unknown as globalThis.ResizeObserver);
    }
    unobserve() {
      // answered once
    }
    disconnect() {
      // as unobserve
    }
  }
  class DOMMatrixReadOnly {
    m22 = 1;
  }
  Object.assign(globalThis, { ResizeObserver, DOMMatrixReadOnly });
  Object.assign(SVGElement.prototype, { getBBox: () => ({ x: 0, y: 0, width: 40, height: 12 }) });
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { get: () => 100, configurable: true },
    offsetWidth: { get: () => 240, configurable: true },
  });
});

const T = '2026-03-01T10:00:00.000Z';
const PLAYBOOK = ids(1);
const kickoff = () => playbookDocumentSchema.parse(templates['onboarding-kickoff']);
const versions = [
  { id: ids(12), version: 2, hash: 'b', publishedAt: T, publishedBy: 'Olivia Park', note: 'Shorter wait' },
  { id: ids(11), version: 1, hash: 'a', publishedAt: T, publishedBy: 'Olivia Park', note: 'First' },
];

/** v1 had an extra email after the approval; v2 (and the draft) wait 2 days and end with a new wait. */
function serve(): FakeCall[] {
  const v2 = kickoff();
  v2.nodes = [...v2.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '2 days' } } : n)), { id: 'wait-1', type: 'wait', position: { x: 600, y: 600 }, data: { mode: 'duration', duration: '1 day' } }];
  return fakeApi((call) => {
    if (call.path.startsWith(`/playbooks/${PLAYBOOK}/diff?`)) {
      const q = new URLSearchParams(call.path.split('?')[1]);
      if (q.get('from') === '2' && q.get('to') === '1') return [400, apiError(400, 'Compare an earlier version with a later one')];
      return [
        200,
        {
          from: Number(q.get('from')),
          to: q.get('to') === 'draft' ? 'draft' : Number(q.get('to')),
          nodes: {
            added: [{ id: 'wait-1', type: 'wait', position: { x: 600, y: 600 }, data: { mode: 'duration', duration: '1 day' } }],
            removed: [{ id: 'old-email', type: 'touch', position: { x: 600, y: 300 }, data: {} }],
            changed: [{ id: 'wait-3d', type: 'wait', changes: [{ path: 'data.duration', before: '3 days', after: '2 days' }], moved: false }],
          },
          edges: { added: [], removed: [{ id: 'e-old', source: 'approve-kickoff', sourceHandle: 'approved', target: 'old-email' }] },
          document: [],
          sameBehaviour: false,
        },
      ];
    }
    if (call.path === `/playbook-versions/${ids(12)}`) return [200, { ...versions[0], playbookId: PLAYBOOK, document: v2 }];
    return undefined;
  });
}

function setup() {
  signInAs('ops', 'Olivia Park');
  const store = createEditorStore(kickoff());
  render(
    <EditorContext.Provider value={store}>
      <div style={{ width: 800, height: 600 }}>
        <DiffCanvas />
      </div>
      <VersionsPanel playbookId={PLAYBOOK} versions={versions} />
    </EditorContext.Provider>,
  );
  return { user: userEvent.setup() };
}

describe('the versions panel', () => {
  it('compares two versions: lists what changed and highlights it on the canvas, removed steps as ghosts, until cleared', async () => {
    const calls = serve();
    const { user } = setup();
    const panel = screen.getByRole('region', { name: 'Versions' });
    const pick = within(panel).getByRole('form', { name: 'Compare two versions' });
    await user.selectOptions(within(pick).getByLabelText('From'), '1');
    await user.selectOptions(within(pick).getByLabelText('to'), '2');
    await user.click(within(pick).getByRole('button', { name: 'Compare' }));

    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining([`/playbooks/${PLAYBOOK}/diff?from=1&to=2`, `/playbook-versions/${ids(12)}`]));
    const details = await within(panel).findByTestId('version-diff');
    expect(within(details).getByRole('heading').textContent).toBe('v1 → v2: steps 1 added, 1 changed, 1 removed; connections 1 removed');
    expect(within(details).getByRole('list', { name: 'What changed' }).textContent).toMatch(/Added wait-1.*Changed wait-3dduration: "3 days" → "2 days".*Removed old-email/);

    const canvas = await screen.findByTestId('diff-canvas');
    await waitFor(() => expect(canvas.querySelector('[data-testid="node-wait-1"]')).toBeTruthy());
    const wrapper = (id: string) => canvas.querySelector(`[data-testid="node-${id}"]`)?.closest('.react-flow__node');
    expect(wrapper('wait-1')?.classList.contains('diff-added')).toBe(true);
    expect(wrapper('wait-3d')?.classList.contains('diff-changed')).toBe(true);
    // What changed, on the step and when hovered.
    expect(canvas.querySelector('[data-testid="node-wait-3d"]')?.getAttribute('title')).toBe('duration: "3 days" → "2 days"');
    expect(canvas.querySelector('[data-testid="node-wait-3d"]')?.textContent).toContain('Changed: duration');
    expect(wrapper('removed:old-email')?.classList.contains('diff-removed')).toBe(true);
    expect(within(canvas).getByRole('list', { name: 'Legend' }).textContent).toMatch(/added.*changed.*moved only.*removed/);

    await user.click(within(canvas).getByRole('button', { name: 'Clear the diff' }));
    expect(screen.queryByTestId('diff-canvas')).toBeNull();
    expect(within(panel).queryByTestId('version-diff')).toBeNull();
  });

  it('compares a version with the draft on the editor’s document, and says a refusal with a retry', async () => {
    const calls = serve();
    const { user } = setup();
    const panel = screen.getByRole('region', { name: 'Versions' });
    await user.click(within(panel).getAllByRole('button', { name: 'Compare with the draft' })[1]);
    expect(calls.map((c) => c.path)).toEqual([`/playbooks/${PLAYBOOK}/diff?from=1&to=draft`]);
    expect((await within(panel).findByTestId('version-diff')).textContent).toContain('v1 → the draft');
    await within(await screen.findByTestId('diff-canvas')).findByTestId('node-approve-kickoff');

    const pick = within(panel).getByRole('form', { name: 'Compare two versions' });
    await user.selectOptions(within(pick).getByLabelText('From'), '2');
    await user.selectOptions(within(pick).getByLabelText('to'), '1');
    await user.click(within(pick).getByRole('button', { name: 'Compare' }));
    expect((await within(panel).findByRole('alert')).textContent).toContain('Compare an earlier version with a later one');
    expect(within(panel).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
