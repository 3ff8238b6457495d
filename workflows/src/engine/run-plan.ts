// Workflow code: deterministic only. No I/O, no Node built-ins; time comes from the Temporal
// sandbox (Date.now() is replay-safe there). Every side effect goes through an activity.
import { type PlanStep, trackTag } from '@cairn/playbook';
import { allHandlersFinished, CancellationScope, condition, continueAsNew, isCancellation, patched, TemporalFailure, workflowInfo } from '@temporalio/workflow';
import type { StepRecord } from '../activities';
import type { PlaybookRunInput, PlaybookRunResult } from '../definitions';
import { acts, local } from './activities';
import { type RunEnd, RunContext, type Thread } from './context';
import { installHandlers } from './messages';
import { flushRecords, refreshFacts, runStep, type StepEnv } from './steps';

const iso = (ms = Date.now()) => new Date(ms).toISOString();

/**
 * Marks executions that may continue as new in the middle of a long `wait` / `wait_for` (see
 * `RunContext.mayContinueInWait`). Executions without it wait as they always did.
 */
export const WAIT_CONTINUE_AS_NEW_PATCH = 'cairn-continue-as-new-in-wait';

/**
 * Runs one compiled plan for one account, for as long as it takes: every node type, parallel
 * tracks as concurrent threads of this workflow, messages as signals and Updates, continue-as-new
 * at loop boundaries. The plan travels in the input, so a run keeps the version it started on.
 */
export async function runPlan(input: PlaybookRunInput): Promise<PlaybookRunResult> {
  const ctx = new RunContext(input, workflowInfo().startTime.getTime());
  installHandlers(ctx);
  ctx.waitRollover = patched(WAIT_CONTINUE_AS_NEW_PATCH);
  const scope = new CancellationScope();
  ctx.onStop = () => scope.cancel();
  let deadEnd: string | null = null;
  let stepsThisExecution = 0;

  const threadEnded = (reason: string) => {
    deadEnd = reason;
  };

  /**
   * Whether to continue as new before entering `stepId`: at a loop (a step entered again) or when
   * Temporal suggests it, and only where the whole run is this one thread outside any split, so
   * its state is all in `CarriedState`.
   */
  const shouldContinueAsNew = (stepId: string, thread: Thread) =>
    stepsThisExecution > 0 &&
    ctx.threads === 1 &&
    thread.tracks.length === 0 &&
    !ctx.joins.holdsArrivals() &&
    (workflowInfo().continueAsNewSuggested || (ctx.visits.get(stepId) ?? 0) > 0);

  async function runThread(first: string, thread: Thread): Promise<void> {
    let stepId: string | null = first;
    while (stepId !== null && !ctx.end) {
      if (shouldContinueAsNew(stepId, thread)) {
        await flushRecords(ctx, thread);
        ctx.continueAt = { stepId, thread };
        return;
      }
      const step: PlanStep = ctx.plan.steps[stepId];
      // The wait carried across continue-as-new keeps its visit: the same step, not entered again.
      const carriedWait = ctx.resumingWait?.stepId === stepId ? ctx.resumingWait : null;
      const visit = carriedWait ? carriedWait.visit : ctx.enter(stepId);
      if (carriedWait) ctx.reenter(stepId);
      stepsThisExecution++;
      const env: StepEnv = { ctx, thread, step, ref: { runId: input.runId, stepId, visit } };
      const result = await runStep(env);
      const complete = (outcome: string, reason: string) => {
        const at = iso();
        ctx.finish(stepId as string, visit, outcome, reason, at);
        thread.pending.push({ kind: 'completed', ...env.ref, outcome, reason, at });
      };
      switch (result.kind) {
        case 'leave': {
          complete(result.handle, result.reason);
          const next: string | null = step.next[result.handle] ?? null;
          if (next === null) threadEnded(`Nothing is connected to the "${result.handle}" output of "${step.label}"`);
          stepId = next;
          break;
        }
        case 'split':
          complete('split', result.reason);
          for (const track of result.tracks) {
            const target = step.next[track.id];
            if (target) spawn(target, { tracks: [...thread.tracks, trackTag(step.id, visit, track.id)], approval: null, pending: [] });
          }
          ctx.joins.split(step.id, visit, result.tracks.length);
          stepId = null;
          break;
        case 'join': {
          const { arrival } = result;
          complete(arrival.kind === 'release' ? 'next' : arrival.kind === 'wait' ? 'arrived' : 'absorbed', arrival.reason);
          if (arrival.kind !== 'release') {
            stepId = null;
            break;
          }
          thread.tracks = arrival.tracks;
          stepId = step.next['next'] ?? null;
          if (stepId === null) threadEnded(`Nothing is connected to the output of "${step.label}"`);
          break;
        }
        case 'continue_as_new':
          await flushRecords(ctx, thread);
          ctx.continueAt = { stepId, thread, wait: result.wait };
          return;
        case 'end':
          complete(result.outcome, result.reason);
          await flushRecords(ctx, thread);
          ctx.stop({ outcome: result.outcome, reason: result.reason });
          return;
      }
    }
    await flushRecords(ctx, thread);
  }

  function spawn(stepId: string, thread: Thread): void {
    ctx.threads++;
    runThread(stepId, thread)
      .catch((error: unknown) => {
        ctx.unwritten.push(...thread.pending.splice(0));
        if (ctx.end && isCancellation(error)) return;
        if (error instanceof TemporalFailure) {
          // An activity failed for good (e.g. the account was deleted): the run stops and says why.
          ctx.stop({ outcome: 'exited', reason: `Stopped at "${ctx.plan.steps[stepId]?.label ?? stepId}": ${error.cause?.message ?? error.message}` });
          return;
        }
        ctx.failure ??= error;
        scope.cancel();
      })
      .finally(() => {
        ctx.threads--;
      });
  }

  /** Account changes announced by signal: re-read the account, so dates, conditions and exit criteria follow. */
  async function watchAccount(): Promise<void> {
    let seen = 0;
    try {
      for (;;) {
        await condition(() => ctx.changesRequested > seen);
        seen = ctx.changesRequested;
        await refreshFacts(ctx);
      }
    } catch (error) {
      if (!isCancellation(error)) {
        ctx.failure ??= error;
        scope.cancel();
      }
    }
  }

  try {
    await scope.run(async () => {
      await refreshFacts(ctx);
      void watchAccount();
      const carried = input.carried;
      spawn(carried?.resumeAt ?? input.plan.entryStepId, { tracks: [], approval: carried?.approval ?? null, pending: [] });
      await condition(() => ctx.threads === 0);
    });
  } catch (error) {
    if (!(isCancellation(error) && (ctx.end || ctx.failure))) throw error;
  }
  if (ctx.failure) throw ctx.failure;

  if (ctx.continueAt && !ctx.end) {
    // Every Update and signal handler has finished; state and open messages travel in the input.
    await condition(allHandlersFinished);
    await continueAsNew<(input: PlaybookRunInput) => Promise<PlaybookRunResult>>({ ...input, carried: ctx.carry(ctx.continueAt.stepId, ctx.continueAt.thread, ctx.continueAt.wait) });
  }

  const end: RunEnd = ctx.end ?? { outcome: 'exited', reason: deadEnd ?? 'The playbook has no steps' };
  await CancellationScope.nonCancellable(async () => {
    await condition(() => ctx.threads === 0);
    const at = iso();
    // Steps the end cut short (other tracks, a wait a person cancelled) close with the run's reason.
    const cut: StepRecord[] = [...ctx.active.values()].map((a) => ({ kind: 'completed', runId: input.runId, stepId: a.stepId, visit: a.visit, outcome: end.outcome === 'cancelled' ? 'cancelled' : 'stopped', reason: end.reason, at }));
    const records = [...ctx.unwritten.splice(0), ...cut];
    if (records.length) await local.recordSteps({ runId: input.runId, records });
    await acts.finishRun({ runId: input.runId, outcome: end.outcome, reason: end.reason, at });
  });
  ctx.stop(end);
  return { outcome: end.outcome, reason: end.reason, path: [...ctx.path] };
}
