import { type Condition, conditionFields } from './conditions';
import type { Diagnostic } from './diagnostics';
import type { CheckedNode } from './graph';
import { templateVariables } from './template';

/** What the surroundings know, when the caller knows it; unknown lists are not checked. */
export interface CompileContext {
  /** Keys of playbooks that exist (for `enroll`). */
  playbooks?: readonly string[];
  /** Segment keys (audience, touch variants, `segment` conditions). */
  segments?: readonly string[];
  /** Account attributes conditions may read (`account.<attribute>`). */
  accountAttributes?: readonly string[];
  /** The workspace's account fields: what an `update_account` step may write, and of which type. */
  accountFields?: readonly AccountFieldShape[];
}

/** An account field as the compiler needs it (the field schema's key, type and enum options). */
export interface AccountFieldShape {
  key: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'enum' | 'currency';
  options: readonly string[];
}

/** What conditions read beside the field schema's keys: `account.name`, and the health the account carries. */
export const ACCOUNT_FACT_KEYS = ['name', 'health', 'health_score'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `value` does not fit `field`, or null when it does (null clears a field of any type). */
export function fieldValueProblem(field: AccountFieldShape, value: unknown): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'number':
    case 'currency':
      return typeof value === 'number' ? null : `"${field.key}" holds numbers`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `"${field.key}" holds true or false`;
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) ? null : `"${field.key}" holds dates as YYYY-MM-DD`;
    case 'enum':
      return typeof value === 'string' && field.options.includes(value) ? null : `"${field.key}" is one of ${field.options.map((o) => `"${o}"`).join(', ')}`;
    default:
      return typeof value === 'string' ? null : `"${field.key}" holds text`;
  }
}

/** An `update_account` step writes a field the workspace has, with a value of its type. */
function checkAccountWrite(node: CheckedNode, fields: readonly AccountFieldShape[]): Array<{ path: string; code: string; message: string }> {
  const d = node.data as { set: string; attribute?: string; value?: unknown };
  if (d.set !== 'attribute' || d.attribute === undefined) return [];
  const field = fields.find((f) => f.key === d.attribute);
  if (!field) return [{ path: 'attribute', code: 'reference.unknown_attribute', message: `"${node.label}" writes account attribute "${d.attribute}", which is not an account field: add it to the field schema first` }];
  const problem = fieldValueProblem(field, d.value);
  return problem ? [{ path: 'value', code: 'reference.bad_attribute_value', message: `"${node.label}" writes ${JSON.stringify(d.value)}, but ${problem}` }] : [];
}

/** The roots a template may use: `{{account.name}}`, `{{recipient.name}}`, `{{csm.name}}`, … */
export const TEMPLATE_ROOTS = ['account', 'recipient', 'csm', 'playbook', 'run'] as const;

/** The templated text fields of each node type (the editor offers its variable picker and preview on them). */
export const TEMPLATE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  touch: ['subject', 'body'],
  approval: ['title'],
  task: ['title'],
  webhook: ['body'],
};

/** Every condition a node holds, with the data path it sits at. */
function conditionsOf(node: CheckedNode): Array<{ path: string; condition: Condition }> {
  const d = node.data as Record<string, any>;
  switch (node.type) {
    case 'branch':
      return (d.cases as Array<{ when: Condition }>).map((c, i) => ({ path: `cases[${i}].when`, condition: c.when }));
    case 'wait_for':
      return d.for === 'condition' ? [{ path: 'condition', condition: d.condition }] : d.event.where ? [{ path: 'event.where', condition: d.event.where }] : [];
    case 'task':
      return d.completion.by === 'condition' ? [{ path: 'completion.condition', condition: d.completion.condition }] : [];
    case 'milestone':
      return d.criteria ? [{ path: 'criteria', condition: d.criteria }] : [];
    case 'trigger':
      return d.on === 'event' && d.event.where ? [{ path: 'event.where', condition: d.event.where }] : [];
    default:
      return [];
  }
}

/** References from node data to other steps, milestones, playbooks, segments and attributes resolve. */
export function checkReferences(nodes: Map<string, CheckedNode>, context: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const at = (node: CheckedNode, path: string) => `nodes[${node.index}].data.${path}`;
  const problem = (node: CheckedNode, path: string, code: string, message: string, severity: Diagnostic['severity'] = 'error') =>
    found.push({ severity, code, message, nodeId: node.id, path: at(node, path) });

  for (const node of nodes.values()) {
    for (const { path, condition } of conditionsOf(node)) {
      for (const field of conditionFields(condition)) {
        const [root, name] = field.split('.');
        if (root === 'step' && !nodes.has(field.slice(5, -'.outcome'.length))) {
          problem(node, path, 'reference.unknown_step', `"${node.label}" reads the outcome of step "${field.slice(5, -8)}", which does not exist`);
        } else if (root === 'milestone' && nodes.get(field.slice(10))?.type !== 'milestone') {
          problem(node, path, 'reference.unknown_milestone', `"${node.label}" reads milestone "${field.slice(10)}", which is not a milestone of this playbook`);
        } else if (root === 'account' && context.accountAttributes && !context.accountAttributes.includes(name)) {
          problem(node, path, 'reference.unknown_attribute', `"${node.label}" reads account attribute "${name}", which accounts do not have`);
        } else if (root === 'event' && !(node.type === 'trigger' || node.type === 'wait_for' || node.type === 'task')) {
          problem(node, path, 'reference.event_outside_event', `"${node.label}" reads "${field}", but only event filters have an event to read`);
        }
      }
    }
    for (const field of TEMPLATE_FIELDS[node.type] ?? []) {
      const text = (node.data as Record<string, unknown>)[field];
      if (typeof text !== 'string') continue;
      for (const variable of templateVariables(text)) {
        if (!(TEMPLATE_ROOTS as readonly string[]).includes(variable.split('.')[0])) {
          problem(node, field, 'reference.unknown_variable', `"{{${variable}}}" in "${node.label}" is not a known variable (use ${TEMPLATE_ROOTS.map((r) => `${r}.…`).join(', ')})`);
        }
      }
    }
    if (node.type === 'update_account' && context.accountFields) {
      for (const write of checkAccountWrite(node, context.accountFields)) problem(node, write.path, write.code, write.message);
    }
    if (node.type === 'enroll' && context.playbooks && !context.playbooks.includes(String(node.data.playbook))) {
      problem(node, 'playbook', 'reference.unknown_playbook', `"${node.label}" enrolls in playbook "${String(node.data.playbook)}", which does not exist`);
    }
    if (node.type === 'touch' && context.segments) {
      (node.data.variants as Array<{ segments: string[] }>).forEach((v, i) =>
        v.segments.forEach((s, j) => {
          if (!context.segments?.includes(s)) problem(node, `variants[${i}].segments[${j}]`, 'reference.unknown_segment', `Segment "${s}" does not exist`);
        }),
      );
    }
  }
  return found;
}
