import type { ExecutablePlan } from '../plan';

/**
 * The event types a run of `plan` can react to: `wait_for` steps and tasks that complete on an
 * event, and event exit criteria (an event matches only its exact type). Any other event changes
 * nothing in the run, so a sender may leave it out; account changes are another matter (dates,
 * conditions and exit criteria read the account) and always go.
 */
export function eventTypesListenedTo(plan: Pick<ExecutablePlan, 'steps' | 'settings'>): string[] {
  const types = new Set<string>();
  for (const step of Object.values(plan.steps)) {
    const data = step.data as { for?: string; event?: { type?: string }; completion?: { by?: string; event?: { type?: string } } };
    if (step.type === 'wait_for' && data.for === 'event' && data.event?.type) types.add(data.event.type);
    if (step.type === 'task' && data.completion?.by === 'event' && data.completion.event?.type) types.add(data.completion.event.type);
  }
  for (const exit of plan.settings?.exitWhen ?? []) if (exit.when.on === 'event') types.add(exit.when.event.type);
  return [...types].sort();
}
