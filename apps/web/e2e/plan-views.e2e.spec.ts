import { type Account, accountPageSchema } from '@cairn/contracts';
import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './browser';
import { IDS, STUB_OPS_USER, openStubSession, type StubSession } from './stub-api';

// The builder's timeline view and simulate panel in Chromium, against the stub API with the
// 30/60/90 onboarding template as the draft (the accounts list is answered by the page's own route).
const T = '2026-01-05T09:00:00.000Z';

const account: Account = accountPageSchema.parse({
  items: [
    {
      id: IDS.account,
      name: 'Initech',
      domain: 'initech.test',
      externalIds: {},
      health: { status: 'green', score: 84 },
      segment: { id: '88888888-8888-4888-8888-888888888888', key: 'high-touch', name: 'High touch' },
      assignedSegment: null,
      csm: null,
      stakeholders: [
        { id: '99999999-9999-4999-8999-000000000001', accountId: IDS.account, name: 'Dana Whitfield', email: 'dana@initech.test', role: 'champion', title: 'VP Ops', phone: null, status: 'active', isPrimary: true, leftAt: null, createdAt: T, updatedAt: T },
        { id: '99999999-9999-4999-8999-000000000002', accountId: IDS.account, name: 'Sam Lee', email: 'sam@initech.test', role: 'admin', title: 'IT', phone: null, status: 'active', isPrimary: true, leftAt: null, createdAt: T, updatedAt: T },
      ],
      timezone: 'UTC',
      attributes: { arr: 186000, renewal_date: '2027-01-05' },
      metrics: { weekly_active_users: 4, active_user_ratio: 0.2 },
    },
  ],
  nextCursor: null,
}).items[0];

describe('the timeline and simulate views in Chromium, against a stub of the API', () => {
  let session: StubSession;
  let server: StubSession['server'];
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    session = await openStubSession({ width: 1440, height: 1000 });
    ({ server, page, consoleErrors } = session);
    await page.route('**/api/accounts?*', (route) => route.fulfill({ json: { items: [account], nextCursor: null } }));
  });

  afterAll(() => session?.close());

  it('draws the 30/60/90 timeline per segment path, and simulates an account with an event on the canvas', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(STUB_OPS_USER) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const saved = await fetch(`${server.url}/api/playbooks/${IDS.playbook}/draft`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ document: { ...playbookDocumentSchema.parse(templates['onboarding-30-60-90']), key: 'onboarding-kickoff' }, baseRevision: 1 }),
    });
    expect(saved.status).toBe(200);

    await page.goto(`${server.url}/sign-in`);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(STUB_OPS_USER.email);
    await form.getByLabel('Password').fill(STUB_OPS_USER.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.goto(`${server.url}/playbooks/${IDS.playbook}/edit`);
    await page.getByTestId('node-m-adoption').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="problem-count"]')?.textContent === 'ready to publish');

    // T: the timeline, on the high-touch path; a row selects its step.
    await page.locator('body').press('t');
    const timeline = page.getByTestId('timeline-view');
    await timeline.waitFor();
    await timeline.getByLabel('Segment path').selectOption('high-touch');
    await page.getByTestId('timeline-kickoff').getByText(/meeting to champion \(segment variant\)/).waitFor();
    expect(await page.getByTestId('timeline-m-adoption').innerText()).toMatch(/target day 60/);
    await page.getByTestId('timeline-m-adoption').getByRole('button').click();
    await page.getByRole('complementary', { name: 'Settings' }).getByRole('heading', { name: 'Milestone' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-timeline.png') });

    // Back to the canvas (T), then simulate Initech: usage up on day 4, SSO configured on day 5.
    // Back on the canvas (T), the step chosen on the timeline is selected and in view.
    await page.locator('body').press('t');
    await page.locator('[data-testid="node-m-adoption"].is-selected').waitFor();
    await page.waitForTimeout(300);
    const node = await page.getByTestId('node-m-adoption').boundingBox();
    const canvas = await page.getByTestId('editor-canvas').boundingBox();
    expect(node && canvas && node.y >= canvas.y && node.y + node.height <= canvas.y + canvas.height).toBe(true);
    const panel = page.locator('details.simulate');
    await panel.locator('summary').click();
    await panel.getByLabel('Account', { exact: true }).selectOption({ label: 'Initech · high-touch' });
    expect(await panel.getByLabel('Account JSON').inputValue()).toContain('"segment": "high-touch"');
    const addEvent = async (n: number, type: string, day: string, set: string) => {
      await panel.getByRole('button', { name: 'Add an event' }).click();
      await panel.getByLabel(`Type of event ${n}`).fill(type);
      await panel.getByLabel(`Day of event ${n}`).fill(day);
      await panel.getByLabel(`Changes of event ${n}`).fill(set);
    };
    await addEvent(1, 'product.sso_configured', '5', '');
    await addEvent(2, 'product.usage', '4', '{"metric.weekly_active_users": 40, "metric.active_user_ratio": 0.8}');
    await panel.getByRole('button', { name: 'Run the simulation' }).click();
    const outcome = panel.getByRole('status');
    await outcome.waitFor();
    expect(await outcome.innerText()).toMatch(/^Exited on day 90|^Completed on day 90/);
    expect(await panel.getByRole('list', { name: 'Simulated path' }).innerText()).toMatch(/meeting to champion/);
    expect(await panel.getByRole('list', { name: 'Milestones' }).innerText()).toMatch(/First value: on time/);
    // The path on the canvas: the SSO task done, its reminder never sent.
    await page.locator('.react-flow__node.sim-done[data-id="sso"]').waitFor();
    await page.locator('.react-flow__node.sim-skipped[data-id="sso-late"]').waitFor();
    // The split at zoom 1 (a step in the path focuses it), and the path listed beside it.
    await panel.getByRole('list', { name: 'Simulated path' }).getByRole('button', { name: 'Customer sets up SSO' }).first().click();
    await page.waitForTimeout(400);
    await panel.getByRole('button', { name: 'Run the simulation' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-simulate.png') });
  });

  it('loaded without errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
