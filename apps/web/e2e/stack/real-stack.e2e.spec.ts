import { playbookSummarySchema, runSchema } from '@cairn/contracts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { launchChromium, SCREENSHOTS } from '../browser';
import { startStack } from './stack';

// The same journeys as ../canvas.e2e.spec.ts, against the real API, worker, Postgres and Temporal
// (`nx run web:e2e-stack`). Its screenshots are named stack-*.png so they never replace the docs ones.

describe('the web app in a real browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

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

  it('opens the onboarding playbook on the canvas and shows every step and connection', async () => {
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
    const playbooks = z.array(playbookSummarySchema).parse(await (await fetch(`${stack.apiUrl}/playbooks`)).json());
    const onboarding = playbooks.find((p) => p.key === 'onboarding-kickoff');
    const accounts = (await (await fetch(`${stack.apiUrl}/accounts`)).json()) as Array<{ id: string; name: string }>;
    const initech = accounts.find((a) => a.name === 'Initech');
    const enrolled = await fetch(`${stack.apiUrl}/playbooks/${onboarding?.id}/enrollments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: initech?.id, reason: 'Browser test' }),
    });
    expect(enrolled.status).toBe(201);
    const run = runSchema.parse(await enrolled.json());

    await page.goto(`${stack.webUrl}/runs/${run.id}`);
    // The run waits 3 real days on `wait-3d`: the canvas marks it current and the trigger done.
    await page.waitForSelector('[data-testid="node-wait-3d"][data-state="current"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="node-start"][data-state="done"]');
    expect(await page.getByTestId('run-status').innerText()).toBe('running');
    expect(await page.getByTestId('run-history').innerText()).toContain('Waiting 3 days');
    await page.screenshot({ path: join(SCREENSHOTS, 'stack-run-page.png') });
  });
});
