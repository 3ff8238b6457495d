import { z } from 'zod';
import { approvalSchema } from './approvals';
import { runLiveStateSchema } from './runs';
import { taskSchema } from './tasks';

/** The Temporal Updates the API sends a run on a person's behalf. */
export const engineUpdateSchema = z.enum(['decideApproval', 'completeTask', 'reassignApproval', 'reassignTask']);
export type EngineUpdate = z.infer<typeof engineUpdateSchema>;

/**
 * What the run answered a decision, completion or reassignment: the Update it was sent, what the
 * Update returned (the engine accepts with `{ accepted: true }`; a refusal is a 409 instead), and
 * the run's live state asked right after (its `runState` query: the steps active now and what each
 * waits for), so the caller sees the run move on. `state` is null when the run did not answer the
 * query within 2 s; the decision stands all the same.
 */
export const engineAnswerSchema = z.object({
  update: engineUpdateSchema,
  result: z.object({ accepted: z.literal(true) }).catchall(z.unknown()),
  state: runLiveStateSchema.nullable(),
});
export type EngineAnswer = z.infer<typeof engineAnswerSchema>;

/** `POST /api/approvals/:id/decision` and `…/reassign`: the approval, and the engine's answer. */
export const approvalWithEngineSchema = approvalSchema.extend({ engine: engineAnswerSchema });
export type ApprovalWithEngine = z.infer<typeof approvalWithEngineSchema>;

/** `POST /api/tasks/:id/complete` and `…/reassign`: the task, and the engine's answer. */
export const taskWithEngineSchema = taskSchema.extend({ engine: engineAnswerSchema });
export type TaskWithEngine = z.infer<typeof taskWithEngineSchema>;
