import { compilePlaybook, type ExecutablePlan, type PlaybookDocumentInput, templates } from '@cairn/playbook';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AccountEvent, accountChangedSignal, accountEventSignal, PLAYBOOK_RUN_WORKFLOW, type PlaybookRunInput, type RunState, runStateQuery } from '../src/definitions';
import { type RecorderOptions, recordingActivities } from './recording-activities';

export const DAY = 86_400_000;
export const workflowsPath = require.resolve('../src/workflows');

export function compiled(document: PlaybookDocumentInput): ExecutablePlan {
  const result = compilePlaybook(document);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan;
}

export const templatePlan = (key: string) => compiled(templates[key]);

/** History as protobuf's own JSON. Recorded histories are replayed by replay.spec.ts on every CI run; refresh with CAIRN_RECORD_HISTORIES=1. */
export async function maybeRecord(name: string, handle: { fetchHistory(): Promise<unknown> }): Promise<void> {
  if (!process.env.CAIRN_RECORD_HISTORIES) return;
  const history = temporal.api.history.v1.History.fromObject((await handle.fetchHistory()) as object).toJSON();
  writeFileSync(join(__dirname, 'histories', `${name}.json`), JSON.stringify(history, null, 2) + '\n');
}

export interface StartOptions extends RecorderOptions {
  /** Event-triggered playbooks start by signal-with-start, carrying the event. */
  withEvent?: Omit<AccountEvent, 'occurredAt' | 'eventId'>;
}

/** Starts a run of `plan` on its own task queue, with a worker on in-memory activities. */
export async function startRun(env: TestWorkflowEnvironment, name: string, plan: ExecutablePlan, options: StartOptions = {}) {
  const recorder = recordingActivities(options);
  const taskQueue = `tq-${name}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities: recorder.activities });
  const input: PlaybookRunInput = { runId: `run-${name}`, playbookVersionId: '11111111-1111-4111-8111-111111111111', accountId: '22222222-2222-4222-8222-222222222222', plan };
  const workflowId = `test-${name}`;
  const handle = options.withEvent
    ? await env.client.workflow.signalWithStart(PLAYBOOK_RUN_WORKFLOW, {
        taskQueue,
        workflowId,
        args: [input],
        signal: accountEventSignal,
        signalArgs: [{ eventId: 'evt-trigger', occurredAt: new Date(await env.currentTimeMs()).toISOString(), ...options.withEvent }],
      })
    : await env.client.workflow.start(PLAYBOOK_RUN_WORKFLOW, { taskQueue, workflowId, args: [input] });
  const startedAt = await env.currentTimeMs();

  /** Polls the live state (time does not move meanwhile) until `test` holds. */
  async function until(what: string, test: (state: RunState) => boolean): Promise<RunState> {
    for (let i = 0; i < 400; i++) {
      const state = await handle.query(runStateQuery);
      if (test(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`The run never got to: ${what}; state: ${JSON.stringify(await handle.query(runStateQuery))}`);
  }
  const activeStep = async (stepId: string) => {
    const state = await until(`${stepId} active`, (s) => Boolean(s.active?.some((a) => a.stepId === stepId)));
    return state.active?.find((a) => a.stepId === stepId) as NonNullable<RunState['active']>[number];
  };
  let events = 0;
  const sendEvent = async (type: string, data: Record<string, unknown> = {}, eventId = `evt-${++events}`) =>
    handle.signal(accountEventSignal, { eventId, type, data, occurredAt: new Date(await env.currentTimeMs()).toISOString() });
  /** Changes the account as the API would, and tells the run. */
  const changeAccount = async (change: (account: typeof recorder.account) => void, what: string) => {
    change(recorder.account);
    await handle.signal(accountChangedSignal, { what });
  };
  /** Days since the run started, in test-server time. */
  const dayOf = (iso: string) => (Date.parse(iso) - startedAt) / DAY;
  return { recorder, worker, handle, until, activeStep, sendEvent, changeAccount, dayOf, startedAt };
}
