import type { StepRef } from '@cairn/workflows';

/** `<runId>:<stepId>:<visit>[:<suffix>]`: the idempotency key of a step visit's side effect. */
export function actionKey(ref: StepRef, ...suffix: Array<string | number>): string {
  return [ref.runId, ref.stepId, ref.visit, ...suffix].join(':');
}
