import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './browser';
import { IDS, STUB_USER, openStubSession, type StubSession } from './stub-api';

// The production build (`nx run web:build`, a dependency of `web:test`), served as a SPA host would.
const NODE_IDS = ['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done', 'skipped'];

describe('the built web app in Chromium, against a stub of the API', () => {
  let session: StubSession;
  let server: StubSession['server'];
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    session = await openStubSession({ width: 1280, height: 900 });
    ({ server, page, consoleErrors } = session);
  });

  afterAll(() => session?.close());

  it('asks for a sign-in first, says so when the password is wrong, then opens the page asked for', async () => {
    await page.goto(`${server.url}/playbooks`);
    await page.waitForURL(`${server.url}/sign-in`);
    expect(server.requests.filter((r) => !r.startsWith('POST /api/auth/'))).toEqual([]);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(STUB_USER.email);
    await form.getByLabel('Password').fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('The email or password is not right');
    await form.getByLabel('Password').fill(STUB_USER.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/playbooks`);
    expect(await page.getByTestId('signed-in-as').innerText()).toMatch(/Casey Morgan\s*CSM/);
    // Every API call from here on carries the access token.
    await page.getByRole('link', { name: 'Onboarding kickoff' }).waitFor();
    expect(server.requests.filter((r) => r.startsWith('GET ')).every((r) => r.endsWith('(signed in)'))).toBe(true);
  });

  it('opens a playbook from the list and draws every step, connection and output on the canvas', async () => {
    await page.goto(`${server.url}/playbooks`);
    await page.getByRole('link', { name: 'Onboarding kickoff' }).click();
    await page.waitForSelector('[data-testid="node-approve-kickoff"]');
    expect(new URL(page.url()).pathname).toBe(`/playbooks/${IDS.playbook}`);

    for (const id of NODE_IDS) await page.waitForSelector(`[data-testid="node-${id}"]`);
    expect(await page.locator('.react-flow__node').count()).toBe(6);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 6);

    // Each node shows its type label (from the registry), its label and its key detail.
    const wait = page.getByTestId('node-wait-3d');
    expect(await wait.innerText()).toMatch(/Wait[\s\S]*Wait 3 days[\s\S]*for 3 days/i);
    expect(await page.getByTestId('node-kickoff-email').innerText()).toContain('Email to champion');
    expect(await page.getByTestId('node-start').locator('.react-flow__handle.target').count()).toBe(0);
    expect(await wait.locator('.react-flow__handle.target').count()).toBe(1);

    // The approval offers its three outputs as named handles, with labels.
    const approval = page.getByTestId('node-approve-kickoff');
    expect(await approval.getAttribute('class')).toContain('step-approval');
    const handles = approval.locator('.react-flow__handle.source');
    expect(await handles.evaluateAll((els) => els.map((el) => el.getAttribute('data-handleid')))).toEqual(['approved', 'rejected', 'expired']);
    expect(await approval.innerText()).toMatch(/Approved[\s\S]*Rejected[\s\S]*Expired/);
    // The minimap draws every (measured) node.
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__minimap-node').length === 6);

    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-canvas.png') });
  });

  it('shows which step a run is on (waiting for the approval), what it has done, and its history step by step', async () => {
    await page.goto(`${server.url}/runs/${IDS.run}`);
    await page.waitForSelector('[data-testid="node-approve-kickoff"][data-state="waiting"]');

    const current = page.getByTestId('node-approve-kickoff');
    expect(await current.getAttribute('class')).toContain('is-waiting');
    expect(await page.locator('.react-flow__node [data-state="waiting"]').count()).toBe(1);
    for (const id of ['start', 'wait-3d']) expect(await page.getByTestId(`node-${id}`).getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('node-kickoff-email').getAttribute('data-state')).toBe('idle');

    expect(await page.getByTestId('run-status').innerText()).toBe('running');
    expect(await page.getByTestId('run-current').innerText()).toBe('CSM approves kickoff');
    const history = page.getByTestId('run-history');
    expect(await history.locator('tbody tr').count()).toBe(3);
    expect(await history.innerText()).toContain('Waiting for the account CSM');
    expect(await page.getByTestId('run-explanation').innerText()).toContain('Why it fired: Waiting 3 days');
    expect(await page.getByRole('link', { name: 'Open the workflow in the Temporal UI' }).getAttribute('href')).toMatch(/^http:\/\/localhost:8233\/namespaces\/default\/workflows\/run-/);

    await page.screenshot({ path: join(SCREENSHOTS, 'run-page.png'), fullPage: true });
  });

  it('shows the API error message when a playbook does not exist', async () => {
    await page.goto(`${server.url}/playbooks/99999999-9999-4999-8999-999999999999`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Playbook 99999999-9999-4999-8999-999999999999 not found');
  });

  it('signs out: back to the sign-in page, and pages need a sign-in again', async () => {
    await page.goto(`${server.url}/runs`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    expect(server.requests).toContain('POST /api/auth/logout');
    await page.goto(`${server.url}/runs/${IDS.run}`);
    await page.waitForURL(`${server.url}/sign-in`);
  });

  it('loaded without errors in the browser console, other than the deliberate 404 and the wrong password (401)', () => {
    expect(consoleErrors.filter((e) => !e.includes('404') && !e.includes('401'))).toEqual([]);
  });
});
