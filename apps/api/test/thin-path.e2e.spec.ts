import { accountSchema, apiErrorSchema, approvalPageSchema, approvalSchema, pageSchema, playbookSchema, publishResponseSchema, runSchema, sentEmailSchema } from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import { templates } from '@cairn/playbook';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { seedDemoWorkspace } from '../src/seed/seed';
import { startSmtpListener } from './smtp-listener';
import { type Caller, callerFor, signInAs, openApiDocument, testEnv } from './support/auth';

/**
 * The thin path through every layer, against the real things: Postgres, the Temporal dev server,
 * the built worker process, an SMTP listener, and the API over HTTP.
 */
describe('thin path: publish, enroll, approve, email', () => {
  const taskQueue = `cairn-e2e-${process.pid}-${Date.now()}`;
  let app: INestApplication;
  let base: string;
  let worker: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let down: INestApplication | undefined;
  let workerLog = '';
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  /** Signed in as Olivia Park (ops: designs, publishes, enrolls), the default caller. */
  let call: Caller;
  /** Casey Morgan, the CSM of every demo account, and Morgan Lee, her manager. */
  let casey: Caller;
  let manager: Caller;

  async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nworker log:\n${workerLog.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const issuePathsOf = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);

  beforeAll(async () => {
    const ds = await createDataSource(process.env.DATABASE_URL).initialize();
    await migrate(ds);
    await seedDemoWorkspace(ds);
    await ds.destroy();

    smtp = await startSmtpListener();
    env = testEnv({ ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Cairn <playbooks@cairn.test>' });
    app = await createApp(loadConfig(env), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    call = await signInAs(base, 'ops');
    casey = await signInAs(base, 'csm');
    manager = await signInAs(base, 'cs_manager');
    await startWorker();
  });

  /** The built worker as its own process, as `npm start` runs it; resolves once it polls. */
  async function startWorker() {
    const before = workerLog.split('polling task queue').length;
    worker = spawn(process.execPath, [join(__dirname, '../../worker/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout?.on('data', (c) => (workerLog += c));
    worker.stderr?.on('data', (c) => (workerLog += c));
    await eventually('the worker to poll', async () => (workerLog.split('polling task queue').length > before ? true : undefined));
  }

  afterAll(async () => {
    await down?.close();
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    await app?.close();
    await smtp?.close();
  });

  it('stays live but not ready while Temporal does not answer', async () => {
    // Closed with the suite: the Temporal client's last retries of the probes must end before its channel does.
    down = await createApp(loadConfig({ ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' }), { quiet: true });
    await down.listen(0, '127.0.0.1');
    const at = `http://127.0.0.1:${(down.getHttpServer().address() as AddressInfo).port}/api`;
    const live = await fetch(`${at}/health`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok', database: 'up', temporal: 'down' }]);
    const ready = await fetch(`${at}/health/ready`);
    expect(ready.status).toBe(503);
    expect(apiErrorSchema.parse(await ready.json())).toMatchObject({ error: 'service_unavailable', message: 'Not ready: temporal does not answer' });
  });

  it('reports health and serves its OpenAPI document to anyone', async () => {
    const anonymous = callerFor(base, null);
    expect(await anonymous('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', database: 'up', temporal: 'up' } });
    expect(await anonymous('GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', database: 'up', temporal: 'up' } });
    const openapi = await openApiDocument(base);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/playbooks/{id}/publish', '/api/playbooks/{id}/enrollments', '/api/approvals/{id}/decision']));
  });

  it('rejects bad input with 4xx naming the field, never a 500', async () => {
    const malformed = await call('POST', '/playbooks', '{not json');
    expect(malformed).toMatchObject({ status: 400, body: { error: 'malformed_json' } });
    expect((await call('GET', '/approvals?status=later')).status).toBe(400);
    expect((await call('POST', '/playbooks', { document: { key: 'x' } })).body).toMatchObject({ statusCode: 400, error: 'invalid_playbook' });
    const unknownField = await call('POST', '/playbooks', { document: templates['onboarding-kickoff'], owner: 'me' });
    expect(unknownField.status).toBe(400);
    expect(apiErrorSchema.parse(unknownField.body).issues).toEqual([expect.objectContaining({ path: 'body.owner' })]);
    const badId = await call('GET', '/runs/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(apiErrorSchema.parse(badId.body).issues[0].path).toBe('params.id');
    expect((await call('GET', '/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('refuses to publish an invalid playbook, naming the node and the field', async () => {
    const doc = structuredClone(templates['onboarding-kickoff']);
    doc.key = 'broken-kickoff';
    doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: 'soon' } } : n));
    const created = await call('POST', '/playbooks', { document: doc });
    expect(created.status).toBe(201);
    const { id } = playbookSchema.parse(created.body);
    const published = await call('POST', `/playbooks/${id}/publish`, {});
    expect(published.status).toBe(400);
    const error = apiErrorSchema.parse(published.body);
    expect(error.error).toBe('invalid_playbook');
    expect(error.issues).toEqual([expect.objectContaining({ nodeId: 'wait-3d', path: 'nodes[1].data.duration', code: 'node.invalid_data' })]);
    expect((await call('GET', `/playbooks/${id}`)).body).toMatchObject({ versions: [] });
  });

  it('checks references against the workspace; every step type the language has publishes', async () => {
    const publish = async (document: unknown) => {
      const created = await call('POST', '/playbooks', { document });
      expect(created.status).toBe(201);
      return call('POST', `/playbooks/${playbookSchema.parse(created.body).id}/publish`, {});
    };
    const unknownSegment = { ...structuredClone(templates['onboarding-kickoff']), key: 'kickoff-nowhere', audience: { segments: ['mid-market'] } };
    const refused = await publish(unknownSegment);
    expect(refused.status).toBe(400);
    expect(apiErrorSchema.parse(refused.body).issues).toEqual([expect.objectContaining({ code: 'reference.unknown_segment', path: 'audience.segments[0]' })]);
    // An account write must name a field of the workspace's schema, with a value of its type.
    const qbr = { ...structuredClone(templates['qbr-cadence']), key: 'qbr-tier' };
    const write = qbr.nodes.findIndex((n) => n.type === 'update_account');
    Object.assign(qbr.nodes[write].data as object, { attribute: 'tier', value: 'gold' });
    const unknownField = await publish(qbr);
    expect(unknownField.status).toBe(400);
    expect(apiErrorSchema.parse(unknownField.body).issues).toEqual([expect.objectContaining({ code: 'reference.unknown_attribute', path: `nodes[${write}].data.attribute` })]);
    Object.assign(qbr.nodes[write].data as object, { attribute: 'last_qbr_status', value: 'cancelled' });
    expect(apiErrorSchema.parse((await publish({ ...qbr, key: 'qbr-cancelled' })).body).issues).toEqual([
      expect.objectContaining({ code: 'reference.bad_attribute_value', path: `nodes[${write}].data.value`, message: expect.stringContaining('"held", "missed"') }),
    ]);
    // The generic engine runs every node type, so nothing is refused as `engine.unsupported` today.
    const renewal = { ...structuredClone(templates['renewal-120']), key: 'renewal-later' };
    expect((await publish(renewal)).status).toBe(201);
  });

  it('runs a published playbook for an account: approval in the inbox, email over SMTP, history recorded', async () => {
    // The onboarding template with its 3-day wait shortened: the real 3 days pass on the
    // time-skipping server in the workflow tests; here the clock is real.
    const doc = structuredClone(templates['onboarding-kickoff']);
    doc.key = 'kickoff-fast';
    doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, label: 'Wait 2 seconds', duration: '2 seconds' } } : n));
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document: doc })).body);
    // The publisher is the signed-in person; a body naming someone else is refused.
    expect(issuePathsOf((await call('POST', `/playbooks/${playbook.id}/publish`, { publishedBy: 'Someone Else' })).body)).toEqual(['body.publishedBy']);
    const published = await call('POST', `/playbooks/${playbook.id}/publish`, {});
    expect(published.status).toBe(201);
    const version = publishResponseSchema.parse(published.body);
    expect(version).toMatchObject({ version: 1, publishedBy: 'Olivia Park' });
    // Publishing the same draft again does not mint a new version.
    expect(publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, {})).body).id).toBe(version.id);

    const accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
    const acme = accounts.find((a) => a.name === 'Acme Analytics');
    if (!acme?.csm) throw new Error('seed has no Acme Analytics with a CSM');
    const champion = acme.stakeholders.find((s) => s.role === 'champion');

    const enrolled = await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme.id, reason: 'Signed on 2026-11-20' });
    expect(enrolled.status).toBe(201);
    const run = runSchema.parse(enrolled.body);
    expect(run).toMatchObject({ status: 'running', version: 1, planHash: version.hash, accountName: 'Acme Analytics', reason: 'Signed on 2026-11-20', enrolledBy: 'Olivia Park' });
    expect((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme.id })).status).toBe(409);

    const approval = await eventually('the approval to reach the inbox', async () => {
      const inbox = approvalPageSchema.parse((await call('GET', `/approvals?status=pending&assigneeId=${acme.csm?.id}`)).body).items;
      return inbox.find((a) => a.runId === run.id);
    });
    expect(approval).toMatchObject({ nodeId: 'approve-kickoff', assigneeName: 'Casey Morgan', accountName: 'Acme Analytics', playbookName: 'Onboarding kickoff', title: 'Send the kickoff email to Acme Analytics?' });
    expect(approval.proposed).toMatchObject({ channel: 'email', subject: "Kicking off Acme Analytics's onboarding" });
    expect(approval.proposed?.body).toContain(`Hi ${champion?.name}`);
    // The workflow opens the approval, then records that it waits on it: the run catches up shortly.
    await eventually('the run to wait on the approval', async () => {
      const current = runSchema.parse((await call('GET', `/runs/${run.id}`)).body);
      return current.currentNodeId === 'approve-kickoff' ? current : undefined;
    });

    // The decider is the signed-in person: naming one (or a role) in the body is refused.
    expect(issuePathsOf((await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'approved', decidedById: acme.csm.id, role: 'admin' })).body).sort()).toEqual(['body.decidedById', 'body.role']);
    // Ops decide only what is assigned to them.
    expect(await call('POST', `/approvals/${approval.id}/decision`, { decision: 'approved' })).toMatchObject({ status: 403, body: { permission: 'approvals:decide' } });
    const decided = await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'approved', note: 'Good to go' });
    expect(decided.status).toBe(200);
    expect(approvalSchema.parse(decided.body)).toMatchObject({ status: 'approved', decidedById: acme.csm.id, decidedByName: 'Casey Morgan', note: 'Good to go' });
    expect((await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'rejected' })).status).toBe(409);

    const mail = await eventually('the email to arrive over SMTP', async () => smtp.received.find((m) => m.raw.includes(`X-Cairn-Run: ${run.id}`)));
    expect(mail.to).toEqual([champion?.email]);
    expect(mail.raw).toContain("Subject: Kicking off Acme Analytics's onboarding");

    const finished = await eventually('the run to complete', async () => {
      const current = runSchema.parse((await call('GET', `/runs/${run.id}`)).body);
      return current.status === 'completed' ? current : undefined;
    });
    expect(finished.currentNodeId).toBe('done');
    expect(finished.endedAt).not.toBeNull();
    expect(finished.steps.map((s) => [s.nodeId, s.status, s.outcome])).toEqual([
      ['start', 'completed', 'next'],
      ['wait-3d', 'completed', 'next'],
      ['approve-kickoff', 'completed', 'approved'],
      ['kickoff-email', 'completed', 'next'],
      ['done', 'completed', 'completed'],
    ]);
    expect(finished.steps[2].reason).toBe('Approved by Casey Morgan: Good to go');

    const emails = pageSchema(sentEmailSchema).parse((await call('GET', `/runs/${run.id}/emails`)).body).items;
    expect(emails).toEqual([
      expect.objectContaining({ runId: run.id, nodeId: 'kickoff-email', approvalId: approval.id, status: 'sent', toAddress: champion?.email, reason: expect.stringContaining('approved by Casey Morgan') }),
    ]);

    // Once finished, the re-entry policy decides: this template runs once per account.
    const again = await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme.id });
    expect(again.status).toBe(409);
    expect((again.body as { message: string }).message).toMatch(/^Re-entry policy "once": the account already ran this playbook \(\d{4}-\d{2}-\d{2}\)$/);
  });

  it('lets a person cancel a run: it stops, its approval leaves the inbox, and history says who and why', async () => {
    const doc = structuredClone(templates['onboarding-kickoff']);
    doc.key = 'kickoff-cancel';
    doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '1 second' } } : n));
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document: doc })).body);
    expect((await call('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
    const accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
    const initech = accounts.find((a) => a.name === 'Initech');
    const run = runSchema.parse((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: initech?.id })).body);
    const approval = await eventually('the approval to reach the inbox', async () => {
      const inbox = approvalPageSchema.parse((await call('GET', '/approvals?status=pending&limit=200')).body).items;
      return inbox.find((a) => a.runId === run.id);
    });
    // Morgan Lee manages Casey, the account's CSM: the run is her team's to cancel.
    expect((await manager('POST', `/runs/${run.id}/cancel`, {})).status).toBe(400);
    expect(issuePathsOf((await manager('POST', `/runs/${run.id}/cancel`, { cancelledById: approval.assigneeId, reason: 'Duplicate account' })).body)).toEqual(['body.cancelledById']);
    expect((await manager('POST', `/runs/${run.id}/cancel`, { reason: 'Duplicate account', status: 'cancelled' })).status).toBe(400);
    expect((await manager('POST', `/runs/${run.id}/cancel`, { reason: 'Duplicate account' })).status).toBe(202);

    const cancelled = await eventually('the run to be cancelled', async () => {
      const current = runSchema.parse((await call('GET', `/runs/${run.id}`)).body);
      return current.status === 'cancelled' ? current : undefined;
    });
    expect(cancelled.endedAt).not.toBeNull();
    expect(cancelled.steps.at(-1)).toMatchObject({ nodeId: 'approve-kickoff', status: 'completed', outcome: 'cancelled', reason: 'Cancelled by Morgan Lee: Duplicate account' });
    expect(approvalSchema.parse((await call('GET', `/approvals/${approval.id}`)).body)).toMatchObject({ status: 'cancelled', note: 'Cancelled by Morgan Lee: Duplicate account' });
    expect((await manager('POST', `/approvals/${approval.id}/decision`, { decision: 'approved' })).status).toBe(409);
    expect((await manager('POST', `/runs/${run.id}/cancel`, { reason: 'Again' })).status).toBe(409);
  });

  it('survives the worker being killed mid-run: the run resumes where it was, and sends once', async () => {
    const doc = structuredClone(templates['onboarding-kickoff']);
    doc.key = 'kickoff-restart';
    doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '3 seconds' } } : n));
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document: doc })).body);
    expect((await call('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
    const accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
    const umbrella = accounts.find((a) => a.name === 'Umbrella Health');
    const run = runSchema.parse((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: umbrella?.id })).body);
    await eventually('the run to wait', async () => (runSchema.parse((await call('GET', `/runs/${run.id}`)).body).currentNodeId === 'wait-3d' ? true : undefined));

    // No worker while the timer fires: Temporal keeps the run's place until one polls again.
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(runSchema.parse((await call('GET', `/runs/${run.id}`)).body).currentNodeId).toBe('wait-3d');
    await startWorker();

    const approval = await eventually('the approval to reach the inbox', async () => {
      const inbox = approvalPageSchema.parse((await call('GET', '/approvals?status=pending&limit=200')).body).items;
      return inbox.find((a) => a.runId === run.id);
    });
    expect((await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'approved' })).status).toBe(200);
    await eventually('the run to complete', async () => (runSchema.parse((await call('GET', `/runs/${run.id}`)).body).status === 'completed' ? true : undefined));
    expect(smtp.received.filter((m) => m.raw.includes(`X-Cairn-Run: ${run.id}`))).toHaveLength(1);
    const steps = runSchema.parse((await call('GET', `/runs/${run.id}`)).body).steps;
    expect(steps.map((s) => s.nodeId)).toEqual(['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done']);
  });

  /**
   * An SMTP listener that reads the first message to its end and then, instead of answering the
   * DATA command, calls `onFirst` (which kills the worker): the message is on the wire, the
   * worker never hears it was accepted. Later messages are accepted as usual.
   */
  async function startHoldingSmtp(onFirst: () => void) {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push(raw);
          if (received.length === 1) onFirst();
          else callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('survives the worker being killed while an email is in flight: the run completes, one Message-ID reaches the recipient', async () => {
    const killed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const holding = await startHoldingSmtp(() => worker.kill('SIGKILL'));
    const original = env;
    // The running worker stops cleanly; the next one sends through the holding listener.
    worker.kill('SIGTERM');
    await killed;
    env = { ...original, SMTP_URL: `smtp://127.0.0.1:${holding.port}` };
    try {
      await startWorker();
      const doc = structuredClone(templates['onboarding-kickoff']);
      doc.key = 'kickoff-email-crash';
      doc.nodes = doc.nodes.map((n) => (n.id === 'wait-3d' ? { ...n, data: { ...n.data, duration: '1 second' } } : n));
      const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document: doc })).body);
      expect((await call('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
      const accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
      const acme = accounts.find((a) => a.name === 'Acme Analytics');
      const run = runSchema.parse((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme?.id })).body);
      const approval = await eventually('the approval to reach the inbox', async () => {
        const inbox = approvalPageSchema.parse((await call('GET', '/approvals?status=pending&limit=200')).body).items;
        return inbox.find((a) => a.runId === run.id);
      });
      const dead = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      expect((await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'approved' })).status).toBe(200);
      // The email is on the wire and the worker dies before it hears back.
      await dead;
      expect(holding.received).toHaveLength(1);
      const row = pageSchema(sentEmailSchema).parse((await call('GET', `/runs/${run.id}/emails`)).body).items;
      expect(row).toEqual([expect.objectContaining({ nodeId: 'kickoff-email', status: 'sending' })]);
      await startWorker();
      // Temporal retries the activity once its attempt times out (a minute): it sends again.
      const finished = await eventually(
        'the run to complete',
        async () => {
          const current = runSchema.parse((await call('GET', `/runs/${run.id}`)).body);
          return current.status === 'completed' ? current : undefined;
        },
        150_000,
      );
      expect(finished.steps.map((s) => [s.nodeId, s.outcome])).toEqual([
        ['start', 'next'],
        ['wait-3d', 'next'],
        ['approve-kickoff', 'approved'],
        ['kickoff-email', 'next'],
        ['done', 'completed'],
      ]);
      const mine = holding.received.filter((raw) => raw.includes(`X-Cairn-Run: ${run.id}`));
      const messageIds = new Set(mine.map((raw) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1]));
      // At least once over SMTP, but always the same message: one Message-ID, the row's.
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(messageIds.size).toBe(1);
      const [email] = pageSchema(sentEmailSchema).parse((await call('GET', `/runs/${run.id}/emails`)).body).items;
      expect(email).toMatchObject({ status: 'sent', messageId: [...messageIds][0] });
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) {
        const stopped = new Promise((resolve) => worker.once('exit', resolve));
        worker.kill('SIGTERM');
        await stopped;
      }
      env = original;
      await startWorker();
      await holding.close();
    }
  }, 240_000);
});
