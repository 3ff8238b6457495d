import type { PlanStep } from '@cairn/playbook';

/**
 * What this engine can run today. The language is larger than the engine: a playbook using a
 * step the engine cannot run yet is refused at publish time (with this reason), never mid-run.
 */
export function unsupportedByEngine(step: PlanStep): string | null {
  const d = step.data as Record<string, any>;
  switch (step.type) {
    case 'trigger':
      return d.on === 'manual' || d.on === undefined ? null : `automatic "${d.on}" triggers are not running yet; use a manual trigger and enroll accounts`;
    case 'wait':
      if (d.businessDays || d.quietHours) return 'business days and quiet hours are not applied by the engine yet';
      return d.mode === 'until_date' ? 'waiting until an account date is not running yet' : null;
    case 'approval':
      if (d.assignee?.kind === 'role') return 'approvals assigned to a role are not running yet; assign the account’s CSM or a user';
      return d.escalation?.length ? 'escalation ladders are not running yet; use an SLA' : null;
    case 'touch':
      if (d.channel !== 'email') return `"${d.channel}" touches are not running yet; use email`;
      return d.variants?.length ? 'per-segment variants are not running yet' : null;
    case 'end':
      return null;
    default:
      return `"${step.type}" steps can be designed, validated and simulated, but the engine does not run them yet`;
  }
}
