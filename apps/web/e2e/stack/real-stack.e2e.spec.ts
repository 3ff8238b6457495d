import { accountPageSchema, approvalPageSchema, playbookSchema, playbookSummaryPageSchema, runSchema, sessionSchema } from '@cairn/contracts';
import { templates } from '@cairn/playbook';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from '../browser';
import { startStack } from './stack';

// The same journeys as ../canvas.e2e.spec.ts, against the real API, worker, Postgres and Temporal,
// then a CSM's day: approve an edited touch from the inbox with the keyboard and see the run move on;
// the account and segments pages. Screenshots of the canvas journeys are named stack-*.png so they
// never replace the stub's; inbox.png, run-explained.png, account-page.png and segments.png are the
// README's (refreshed with CAIRN_UPDATE_SCREENSHOTS=1).

const DEMO_PASSWORD = 'cairn-demo-password';

describe('the web app in a real browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  /** Calls the API as a seeded demo user (signed in through the API, as a script would). */
  async function apiAs(email: string) {
    const login = await fetch(`${stack.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    const { accessToken } = sessionSchema.parse(await login.json());
    return async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
  }

  /** Signs in through the sign-in page (the tab keeps the session until it signs out). */
  async function signIn(email: string) {
    await page.goto(`${stack.webUrl}/sign-in`);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in as a demo user and opens the onboarding playbook on the canvas, showing every step and connection', async () => {
    await page.goto(`${stack.webUrl}/playbooks`);
    await page.waitForURL(`${stack.webUrl}/sign-in`);
    await signIn('olivia@cairn.local');
    expect(await page.getByTestId('signed-in-as').innerText()).toMatch(/Olivia Park\s*CS ops/);
    await page.goto(`${stack.webUrl}/playbooks`);
    await page.getByRole('link', { name: 'Onboarding kickoff' }).click();
    await page.waitForSelector('[data-testid="node-approve-kickoff"]');

    for (const id of ['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done', 'skipped']) {
      await page.waitForSelector(`[data-testid="node-${id}"]`);
    }
    expect(await page.locator('.react-flow__node').count()).toBe(6);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 6);
    expect(await page.locator('[data-testid="node-wait-3d"]').innerText()).toContain('for 3 days');
    const approval = page.locator('[data-testid="node-approve-kickoff"]');
    expect(await approval.locator('.react-flow__handle.source').count()).toBe(3);
    expect(await approval.innerText()).toMatch(/Approved[\s\S]*Rejected[\s\S]*Expired/);
    await page.screenshot({ path: join(SCREENSHOTS, 'stack-playbook-canvas.png') });
  });

  it('shows which step a run is on', async () => {
    const ops = await apiAs('olivia@cairn.local');
    const playbooks = playbookSummaryPageSchema.parse((await ops('GET', '/playbooks?limit=200')).body).items;
    const onboarding = playbooks.find((p) => p.key === 'onboarding-kickoff');
    const accounts = accountPageSchema.parse((await ops('GET', '/accounts?limit=200')).body).items;
    const initech = accounts.find((a) => a.name === 'Initech');
    const enrolled = await ops('POST', `/playbooks/${onboarding?.id}/enrollments`, { accountId: initech?.id, reason: 'Browser test' });
    expect(enrolled.status).toBe(201);
    const run = runSchema.parse(enrolled.body);

    await page.goto(`${stack.webUrl}/runs/${run.id}`);
    // The run waits 3 real days on `wait-3d`: the canvas marks it waiting (until when) and the trigger done.
    await page.waitForSelector('[data-testid="node-wait-3d"][data-state="waiting"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="node-start"][data-state="done"]');
    expect(await page.getByTestId('run-status').innerText()).toBe('running');
    expect(await page.getByTestId('run-history').innerText()).toContain('Waiting 3 days');
    await page.screenshot({ path: join(SCREENSHOTS, 'stack-run-page.png') });
  });

  it('keeps the session past the access token’s life, and a CSM approves an edited touch from the inbox by keyboard: the run moves on and sends it', async () => {
    // A copy of the onboarding playbook whose wait is a second, so an approval reaches the inbox now.
    const ops = await apiAs('olivia@cairn.local');
    const document = structuredClone(templates['onboarding-kickoff']);
    document.key = 'kickoff-browser';
    document.nodes = document.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '1 second', label: 'Wait a second' } } : n));
    const playbook = playbookSchema.parse((await ops('POST', '/playbooks', { document })).body);
    expect((await ops('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
    const accounts = accountPageSchema.parse((await ops('GET', '/accounts?limit=200')).body).items;
    const acme = accounts.find((a) => a.name === 'Acme Analytics');
    const run = runSchema.parse((await ops('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme?.id })).body);

    // Ops may read the inbox (all of it) but not decide Casey's approval: no buttons.
    await page.goto(`${stack.webUrl}/approvals?view=all`);
    const row = page.getByRole('option').filter({ hasText: 'Acme Analytics' }).filter({ hasText: playbook.name });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const detail = page.locator('article.inbox-detail');
    await detail.getByRole('heading').first().waitFor();
    expect(await detail.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.webUrl}/sign-in`);
    await signIn('casey@cairn.local');
    // Past the 5-second access token: the next page still loads, on a refreshed session.
    await page.waitForTimeout(6_000);
    await page.goto(`${stack.webUrl}/approvals`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    expect(await detail.getByTestId('sla-badge').innerText()).toMatch(/On time|Due soon/);
    // e edits the touch, Esc leaves the field keeping the edit, a approves.
    await page.keyboard.press('e');
    const subject = detail.getByLabel('Subject');
    await subject.fill('Kickoff for Acme Analytics: three dates to choose from');
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });
    await page.keyboard.press('a');
    await page.getByText('Approved with your edits: the run sends the edited touch').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/approvals');

    // The run page shows it moved on: the approval done, the email sent with the edited subject.
    await page.goto(`${stack.webUrl}/runs/${run.id}`);
    await page.waitForSelector('[data-testid="node-approve-kickoff"][data-state="done"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="node-kickoff-email"][data-state="done"]', { timeout: 30_000 });
    const explanation = page.getByTestId('run-explanation');
    await explanation.getByText(/Email sent to .*Kickoff for Acme Analytics: three dates to choose from/).waitFor({ timeout: 30_000 });
    expect(stack.sentSubjects).toContain('Kickoff for Acme Analytics: three dates to choose from');
    expect(await page.getByRole('link', { name: 'Open the workflow in the Temporal UI' }).getAttribute('href')).toContain(encodeURIComponent(run.workflowId));
    await page.screenshot({ path: join(SCREENSHOTS, 'run-explained.png'), fullPage: true });

    // A fresh sign-in: the script's own access token has expired meanwhile (5 seconds here).
    const approvals = approvalPageSchema.parse((await (await apiAs('olivia@cairn.local'))('GET', '/approvals?status=approved')).body).items;
    expect(approvals.find((a) => a.runId === run.id)).toMatchObject({ decidedByName: 'Casey Morgan' });
  });

  it('opens an account from the list: people map, milestones, active runs, timeline and success plan', async () => {
    await page.goto(`${stack.webUrl}/accounts`);
    await page.getByRole('link', { name: 'Acme Analytics' }).click();
    await page.getByRole('heading', { name: 'Acme Analytics' }).waitFor();
    for (const title of ['People map', 'Active runs', 'Timeline', 'Success plan']) await page.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /^Milestones/ }).waitFor();
    // The kickoff email the previous journey sent is on the timeline.
    await page.getByRole('list', { name: 'Touches and events, newest first' }).getByText(/Kickoff for Acme Analytics/).waitFor({ timeout: 15_000 });
    expect(await page.locator('.people').innerText()).toMatch(/Champion/);
    await page.screenshot({ path: join(SCREENSHOTS, 'account-page.png'), fullPage: true });
  });

  it('previews a segment rule live: matching accounts and near misses', async () => {
    await page.goto(`${stack.webUrl}/segments`);
    await page.getByRole('table').waitFor();
    const value = page.getByLabel('Value of condition 1');
    await value.fill('100000');
    await page.getByTestId('preview-result').getByText(/accounts match/).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('preview-result').innerText()).toMatch(/\d+ of \d+ accounts match/);
    await page.screenshot({ path: join(SCREENSHOTS, 'segments.png'), fullPage: true });
  });
});
