/** @jest-environment jsdom */
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { render, screen, waitFor } from '@testing-library/react';
import { fakeApi, signInAs } from '../../testing/fake-api';
import { EditorContext } from './context';
import { Inspector } from './Inspector';
import { createEditorStore } from './store';

const field = (key: string, position: number) => ({ key, label: key, description: '', type: 'number', options: [], currency: null, required: false, builtIn: key === 'arr', position });

it('offers the workspace’s account fields (GET /api/account-fields) to the condition builder', async () => {
  signInAs('ops');
  const calls = fakeApi((call) => (call.path.startsWith('/account-fields') ? [200, { items: [field('arr', 0), field('nps_score', 1)], nextCursor: null }] : undefined));
  const doc = playbookDocumentSchema.parse(templates['onboarding-kickoff']);
  const store = createEditorStore(doc);
  const id = store.getState().insertNode('branch');
  store.getState().select([id as string]);
  const { container } = render(
    <EditorContext.Provider value={store}>
      <Inspector />
    </EditorContext.Provider>,
  );
  await screen.findByRole('heading', { name: 'Branch' });
  const suggestions = () => [...container.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
  await waitFor(() => expect(suggestions()).toContain('account.nps_score'));
  expect(suggestions()).toContain('account.arr');
  // The built-ins it fell back to until then are gone with the answer (seats is not a field here).
  expect(suggestions()).not.toContain('account.seats');
  expect(calls.filter((c) => c.path.startsWith('/account-fields'))).toHaveLength(1);
});
