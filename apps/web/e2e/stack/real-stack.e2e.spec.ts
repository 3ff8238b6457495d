import { approvalPageSchema, pageSchema, playbookSchema, playbookSummarySchema, runSchema, sessionSchema } from '@cairn/contracts';
import { templates } from '@cairn/playbook';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from '../browser';
import { startStack } from './stack';

// The same journeys as ../canvas.e2e.spec.ts, against the real API, worker, Postgres and Temporal
// (`nx run web:e2e-stack`). Its screenshots are named stack-*.png so they never replace the docs ones.

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
    const playbooks = pageSchema(playbookSummarySchema).parse((await ops('GET', '/playbooks')).body).items;
    const onboarding = playbooks.find((p) => p.key === 'onboarding-kickoff');
    const accounts = ((await ops('GET', '/accounts')).body as { items: Array<{ id: string; name: string }> }).items;
    const initech = accounts.find((a) => a.name === 'Initech');
    const enrolled = await ops('POST', `/playbooks/${onboarding?.id}/enrollments`, { accountId: initech?.id, reason: 'Browser test' });
    expect(enrolled.status).toBe(201);
    const run = runSchema.parse(enrolled.body);

    await page.goto(`${stack.webUrl}/runs/${run.id}`);
    // The run waits 3 real days on `wait-3d`: the canvas marks it current and the trigger done.
    await page.waitForSelector('[data-testid="node-wait-3d"][data-state="current"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="node-start"][data-state="done"]');
    expect(await page.getByTestId('run-status').innerText()).toBe('running');
    expect(await page.getByTestId('run-history').innerText()).toContain('Waiting 3 days');
    await page.screenshot({ path: join(SCREENSHOTS, 'stack-run-page.png') });
  });

  it('keeps the session past the access token’s life (the app refreshes it), and the inbox decides as the signed-in person', async () => {
    // A copy of the onboarding playbook whose wait is a second, so an approval reaches the inbox now.
    const ops = await apiAs('olivia@cairn.local');
    const document = structuredClone(templates['onboarding-kickoff']);
    document.key = 'kickoff-browser';
    document.nodes = document.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '1 second', label: 'Wait a second' } } : n));
    const playbook = playbookSchema.parse((await ops('POST', '/playbooks', { document })).body);
    expect((await ops('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
    const accounts = ((await ops('GET', '/accounts')).body as { items: Array<{ id: string; name: string }> }).items;
    const acme = accounts.find((a) => a.name === 'Acme Analytics');
    const run = runSchema.parse((await ops('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme?.id })).body);

    // Ops may read the inbox but not decide Casey's approval: no buttons.
    await page.goto(`${stack.webUrl}/approvals`);
    const card = page.locator('article.card', { hasText: 'Acme Analytics' }).filter({ hasText: 'Onboarding kickoff' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.webUrl}/sign-in`);
    await signIn('casey@cairn.local');
    // Past the 5-second access token: the next page still loads, on a refreshed session.
    await page.waitForTimeout(6_000);
    await page.goto(`${stack.webUrl}/approvals`);
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/approvals');

    // A fresh sign-in: the script's own access token has expired meanwhile (5 seconds here).
    const approvals = approvalPageSchema.parse((await (await apiAs('olivia@cairn.local'))('GET', '/approvals?status=approved')).body).items;
    expect(approvals.find((a) => a.runId === run.id)).toMatchObject({ decidedByName: 'Casey Morgan' });
  });
});
