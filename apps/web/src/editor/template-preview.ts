import { renderTemplate, TEMPLATE_ROOTS, templateVariables } from '@cairn/playbook';

/**
 * A sample account to preview templated text against (the variables a run renders with:
 * account, recipient, CSM, playbook, run).
 */
export const SAMPLE_VARIABLES = {
  account: { name: 'Acme Analytics', arr: 120000, plan: 'enterprise', seats: 250, renewal_date: '2027-03-01', region: 'EMEA' },
  recipient: { name: 'Jamie Rivera', email: 'jamie@acme.example', role: 'champion' },
  csm: { name: 'Casey Morgan', email: 'casey@cairn.local' },
  playbook: { name: 'This playbook', key: 'this-playbook', version: 1 },
  run: { day: 3, startedAt: '2026-01-05' },
} satisfies Record<(typeof TEMPLATE_ROOTS)[number], Record<string, unknown>>;

/** Every variable the picker offers, e.g. `account.name`, from the roots the compiler accepts. */
export function variableOptions(playbookName?: string): string[] {
  const vars = withPlaybook(playbookName);
  return TEMPLATE_ROOTS.flatMap((root) => Object.keys(vars[root]).map((key) => `${root}.${key}`));
}

function withPlaybook(playbookName?: string) {
  return playbookName ? { ...SAMPLE_VARIABLES, playbook: { ...SAMPLE_VARIABLES.playbook, name: playbookName } } : SAMPLE_VARIABLES;
}

/** The text as the sample account would get it, and the variables it names that no run has. */
export function previewTemplate(text: string, playbookName?: string): { text: string; unknown: string[] } {
  const unknown = templateVariables(text).filter((v) => !(TEMPLATE_ROOTS as readonly string[]).includes(v.split('.')[0]));
  return { text: renderTemplate(text, withPlaybook(playbookName)), unknown };
}

/** Inserts `{{variable}}` at the caret (or the end). */
export function insertVariable(text: string, variable: string, caret: number = text.length): { text: string; caret: number } {
  const token = `{{${variable}}}`;
  const at = Math.max(0, Math.min(caret, text.length));
  return { text: text.slice(0, at) + token + text.slice(at), caret: at + token.length };
}
