import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from './browser';
import { IDS, STUB_OPS_USER, openStubSession, type StubSession } from './stub-api';

// The builder in Chromium against the stub API (which keeps its own draft, checks revisions and
// refuses to publish what does not compile, with the real compiler): drag a step from the palette,
// draw connections, fix a validation error in the side panel, publish.

describe('the playbook builder in Chromium, against a stub of the API', () => {
  let session: StubSession;
  let server: StubSession['server'];
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    session = await openStubSession({ width: 1440, height: 1000 });
    ({ server, page, consoleErrors } = session);
  });

  afterAll(() => session?.close());

  /** Drags with the mouse from one element's centre to another's, in steps (React Flow follows pointer moves). */
  async function drag(from: Locator, to: Locator) {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error('nothing to drag between');
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  it('builds, fixes and publishes a playbook', async () => {
    // A colleague left the draft with a wait that is not a duration.
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(STUB_OPS_USER) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const broken = playbookDocumentSchema.parse(templates['onboarding-kickoff']);
    broken.nodes = broken.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: 'soon' } } : n));
    const saved = await fetch(`${server.url}/api/playbooks/${IDS.playbook}/draft`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ document: broken, baseRevision: 1 }),
    });
    expect(saved.status).toBe(200);

    await page.goto(`${server.url}/sign-in`);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(STUB_OPS_USER.email);
    await form.getByLabel('Password').fill(STUB_OPS_USER.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.goto(`${server.url}/playbooks/${IDS.playbook}/edit`);
    await page.getByTestId('node-wait-3d').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="problem-count"]')?.textContent === '1 error');
    expect(await page.getByTestId('node-wait-3d').getAttribute('data-problems')).toBe('1');

    // Drag a Wait from the palette onto the canvas, to the right of the playbook.
    const canvas = page.getByTestId('editor-canvas');
    await page.getByTestId('palette-wait').dragTo(canvas, { targetPosition: { x: 700, y: 200 } });
    const added = page.getByTestId('node-wait-1');
    await added.waitFor();
    expect(await added.innerText()).toMatch(/Wait[\s\S]*for 3 days/);

    // Kickoff email → new wait → done: free the email's output in the side panel, then draw both connections.
    await page.getByTestId('node-kickoff-email').click();
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await settings.getByLabel('Next leads to').selectOption('');
    await drag(page.locator('[data-testid="node-kickoff-email"] .react-flow__handle.source'), added.locator('.react-flow__handle.target'));
    await drag(added.locator('.react-flow__handle.source'), page.locator('[data-testid="node-done"] .react-flow__handle.target'));
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 7);

    // A connection that would be invalid is refused, with the reason.
    await drag(page.locator('[data-testid="node-start"] .react-flow__handle.source'), added.locator('.react-flow__handle.target'));
    expect(await page.getByTestId('editor-notice').innerText()).toMatch(/already leads to "Wait 3 days"/);

    // Fix the broken wait through the side panel.
    await page.getByTestId('problems').getByRole('button', { name: /is not a duration/ }).click();
    await settings.getByRole('heading', { name: 'Wait' }).waitFor();
    await settings.getByLabel('Duration', { exact: true }).fill('2 days');
    await page.waitForFunction(() => document.querySelector('[data-testid="problem-count"]')?.textContent === 'ready to publish');
    expect(await page.getByTestId('node-wait-3d').innerText()).toContain('for 2 days');
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'All changes saved');

    // Auto-layout (elk, in the browser) puts the new wait between the email and the end.
    await page.getByTestId('editor-notice').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForFunction(() => {
      const y = (id: string) => document.querySelector(`[data-testid="node-${id}"]`)?.getBoundingClientRect().y ?? NaN;
      return y('kickoff-email') < y('wait-1') && y('wait-1') < y('done');
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'All changes saved');
    await page.getByTestId('node-wait-3d').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'stub-playbook-editor.png') });

    // Publish with a note, stopping the runs in flight.
    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish a new version' });
    await dialog.getByLabel('What changed and why').fill('Shorter first wait; a pause before the end');
    await dialog.getByLabel('Stop them now (recorded on each run)').check();
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published version 2').waitFor();
    await page.getByRole('region', { name: 'Versions' }).getByText('Shorter first wait; a pause before the end').waitFor();

    const bodies = server.editorBodies as Array<{ document?: { nodes: Array<{ id: string; data: Record<string, unknown> }>; edges: Array<{ source: string; target: string }> }; note?: string; inFlight?: string }>;
    expect(bodies.at(-1)).toEqual({ note: 'Shorter first wait; a pause before the end', inFlight: 'exit' });
    const lastDraft = bodies.filter((b) => b.document).at(-1)?.document;
    expect(lastDraft?.nodes.find((n) => n.id === 'wait-3d')?.data.duration).toBe('2 days');
    expect(lastDraft?.edges.map((e) => `${e.source}>${e.target}`)).toEqual(expect.arrayContaining(['kickoff-email>wait-1', 'wait-1>done']));
  });

  it('loaded without errors in the browser console', () => {
    // The refused connection is a notice, not an error; the stub answers every call.
    expect(consoleErrors).toEqual([]);
  });
});
