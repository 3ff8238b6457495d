/** @jest-environment jsdom */
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReactFlowProvider } from '@xyflow/react';
import { EditorContext, useLiveValidation } from './context';
import { EditorCanvas } from './EditorCanvas';
import { EditorNotice } from './EditorNotice';
import { Inspector } from './Inspector';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { createEditorStore, type EditorStore } from './store';

// React Flow measures with ResizeObserver and DOMMatrix, which jsdom lacks.
beforeAll(() => {
  class ResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback([{ target, contentRect: { width: 800, height: 600 } } as unknown as ResizeObserverEntry], this as unknown as globalThis.ResizeObserver);
    }
    unobserve() {
      // nothing to stop: observe answered once
    }
    disconnect() {
      // as unobserve
    }
  }
  class DOMMatrixReadOnly {
    m22: number;
    constructor(transform: string) {
      const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  }
  Object.assign(globalThis, { ResizeObserver, DOMMatrixReadOnly });
  // Edge labels measure their text.
  Object.assign(SVGElement.prototype, { getBBox: () => ({ x: 0, y: 0, width: 40, height: 12 }) });
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { get: () => 100, configurable: true },
    offsetWidth: { get: () => 240, configurable: true },
  });
});

const kickoff = () => playbookDocumentSchema.parse(templates['onboarding-kickoff']);

function Workspace({ store }: { store: EditorStore }) {
  useLiveValidation(store, 0);
  return (
    <EditorContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorNotice />
        <Palette />
        <div style={{ width: 800, height: 600 }}>
          <EditorCanvas />
        </div>
        <Inspector />
        <ProblemsPanel />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

function setup(doc = kickoff()) {
  const store = createEditorStore(doc);
  const user = userEvent.setup();
  render(<Workspace store={store} />);
  return { store, user };
}

describe('the playbook editor', () => {
  it('draws every step of the playbook on the canvas, with its essentials', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('node-wait-3d')).toBeTruthy());
    expect(screen.getByTestId('node-wait-3d').textContent).toMatch(/for 3 days/);
    expect(screen.getByTestId('node-approve-kickoff').textContent).toMatch(/Approved.*Rejected.*Expired/);
  });

  it('searches the palette and inserts a step after the selected one, connected', async () => {
    const { store, user } = setup();
    act(() => store.getState().select(['kickoff-email']));
    await user.type(screen.getByLabelText('Search steps'), 'milest');
    const palette = screen.getByRole('complementary', { name: 'Steps' });
    expect(within(palette).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Add Milestone']);
    await user.click(within(palette).getByRole('button', { name: 'Add Milestone' }));
    const id = store.getState().selectedNodes[0];
    expect(store.getState().doc.nodes.find((n) => n.id === id)?.type).toBe('milestone');
    expect(store.getState().doc.edges.find((e) => e.target === id)?.source).toBe('kickoff-email');
    await waitFor(() => expect(screen.getByTestId(`node-${id}`)).toBeTruthy());
    // The side panel now shows the new step.
    expect(screen.getByRole('heading', { name: 'Milestone' })).toBeTruthy();
  });

  it('edits a wait duration in the side panel: the document changes and its diagnostic clears', async () => {
    const doc = kickoff();
    doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: 'soon' } } : n));
    const { store, user } = setup(doc);
    const problems = screen.getByTestId('problems');
    await waitFor(() => expect(within(problems).getByText(/"soon" is not a duration/)).toBeTruthy());
    await user.click(within(problems).getByRole('button', { name: /"soon" is not a duration/ }));
    expect(store.getState().selectedNodes).toEqual(['wait-3d']);
    const settings = screen.getByRole('complementary', { name: 'Settings' });
    expect(within(settings).getByText(/"soon" is not a duration/)).toBeTruthy();

    await user.click(within(settings).getByRole('button', { name: 'amount and unit' }));
    await user.clear(within(settings).getByLabelText('Duration'));
    await user.type(within(settings).getByLabelText('Duration'), '30');
    await user.selectOptions(within(settings).getByLabelText('Duration unit'), 'days');
    expect(store.getState().doc.nodes.find((n) => n.id === 'wait-3d')?.data.duration).toBe('30 days');
    await waitFor(() => expect(screen.getByTestId('problem-count').textContent).toBe('ready to publish'));
    expect(screen.getByTestId('node-wait-3d').textContent).toMatch(/for 30 days/);
  });

  it('undoes and redoes an edit', async () => {
    const { store } = setup();
    act(() => store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: '5 days', label: 'Wait 5 days' }));
    await waitFor(() => expect(screen.getByTestId('node-wait-3d').textContent).toMatch(/Wait 5 days/));
    act(() => store.getState().undo());
    await waitFor(() => expect(screen.getByTestId('node-wait-3d').textContent).toMatch(/Wait 3 days/));
    act(() => store.getState().redo());
    await waitFor(() => expect(screen.getByTestId('node-wait-3d').textContent).toMatch(/Wait 5 days/));
  });

  it('refuses a connection into the trigger and says why', async () => {
    const { store, user } = setup();
    act(() => store.getState().select(['wait-3d']));
    const settings = screen.getByRole('complementary', { name: 'Settings' });
    await user.selectOptions(within(settings).getByLabelText('Next leads to'), 'start');
    expect(screen.getByRole('alert').textContent).toMatch(/Nothing can come before the trigger/);
    expect(store.getState().doc.edges.find((e) => e.source === 'wait-3d')?.target).toBe('approve-kickoff');
  });
});
