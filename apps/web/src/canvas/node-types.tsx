import type { Condition, NodeData, NodeType } from '@cairn/playbook';
import type { NodeTypes } from '@xyflow/react';
import type { ComponentType } from 'react';
import { StepNode, type StepNodeProps } from './StepNode';

/**
 * What the canvas adds to a node type. Everything else (label, description, category, outputs)
 * is read from the node registry of @cairn/playbook by `toFlow`, never copied here.
 */
interface CanvasNodeType<T extends NodeType> {
  component: ComponentType<StepNodeProps>;
  /** The one line that says what a step of this type does, from its validated data. */
  detail: (data: NodeData<T>) => string;
}

const humanize = (value: string) => value.replaceAll('_', ' ');
const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const OPS: Record<string, string> = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', not_in: 'not in', contains: 'contains' };

/** A condition in one short line, e.g. `metric.weekly_active_users ≥ 10`. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map(describeCondition).join(' and ');
  if ('any' in c) return c.any.map(describeCondition).join(' or ');
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  if (c.op === 'exists' || c.op === 'not_exists') return `${c.field} ${c.op === 'exists' ? 'is set' : 'is not set'}`;
  return `${c.field} ${OPS[c.op] ?? c.op} ${Array.isArray(c.value) ? c.value.join(', ') : String(c.value)}`;
}

/** "renewal date − 90 days", "contract start date + 7 days", "renewal date". */
function relativeDate(field: string, offsetDays: number): string {
  const name = humanize(field.replace(/_date$/, ' date'));
  return offsetDays === 0 ? name : `${name} ${offsetDays > 0 ? '+' : '−'} ${plural(Math.abs(offsetDays), 'day')}`;
}

/**
 * The one place the canvas maps node types to components. Keyed by every `NodeType`: a type added
 * to the registry fails the typecheck until it is given a canvas component and a detail line here.
 */
const canvasNodes: { [T in NodeType]: CanvasNodeType<T> } = {
  trigger: {
    component: StepNode,
    detail: (d) => {
      switch (d.on) {
        case 'manual':
          return 'Enrolled by a person or the API';
        case 'segment_entered':
          return `Enters segment ${d.segment}`;
        case 'segment_exited':
          return `Leaves segment ${d.segment}`;
        case 'event':
          return `On ${d.event.type}${d.event.where ? ` where ${describeCondition(d.event.where)}` : ''}`;
        case 'account_date':
          return `On ${relativeDate(d.field, d.offsetDays)}`;
        case 'schedule':
          return `Schedule ${d.cron} (${d.timezone})`;
      }
    },
  },
  wait: {
    component: StepNode,
    detail: (d) => {
      const when = d.mode === 'duration' ? `for ${d.duration}` : d.mode === 'until_day' ? `until day ${d.day}` : `until ${relativeDate(d.field, d.offsetDays)}`;
      return [when, d.businessDays ? 'business days' : null, d.quietHours ? `quiet ${d.quietHours.start}–${d.quietHours.end}` : null].filter(Boolean).join(' · ');
    },
  },
  wait_for: {
    component: StepNode,
    detail: (d) => `${d.for === 'event' ? d.event.type : describeCondition(d.condition)} · timeout ${d.timeout}`,
  },
  branch: { component: StepNode, detail: (d) => d.cases.map((c) => `${c.label}: ${describeCondition(c.when)}`).join(' · ') },
  touch: {
    component: StepNode,
    detail: (d) =>
      [`${capitalize(humanize(d.channel))} to ${humanize(d.to)}${d.subject ? `: ${d.subject}` : ''}`, d.variants.length ? plural(d.variants.length, 'segment variant') : null]
        .filter(Boolean)
        .join(' · '),
  },
  task: {
    component: StepNode,
    detail: (d) =>
      `${d.title} · ${d.owner.side === 'ours' ? 'our' : "customer's"} ${humanize(d.owner.role)} · ${d.due.from === 'enrollment' ? `by day ${d.due.days}` : `within ${plural(d.due.days, 'day')}`}`,
  },
  approval: {
    component: StepNode,
    detail: (d) => [d.title, d.sla ? `SLA ${d.sla}` : null, d.escalation.length ? plural(d.escalation.length, 'escalation step') : null].filter(Boolean).join(' · '),
  },
  milestone: { component: StepNode, detail: (d) => `${d.name} by day ${d.targetDay}` },
  update_account: {
    component: StepNode,
    detail: (d) => (d.set === 'attribute' ? `Set ${d.attribute} = ${JSON.stringify(d.value)}` : `Lifecycle stage → ${humanize(d.stage)}`),
  },
  webhook: { component: StepNode, detail: (d) => `${d.method} ${d.url} · ${d.retries} ${d.retries === 1 ? 'retry' : 'retries'}` },
  parallel: { component: StepNode, detail: (d) => d.tracks.map((t) => t.label).join(' ∥ ') },
  join: { component: StepNode, detail: (d) => (d.mode === 'all' ? 'When every track has arrived' : 'At the first track to arrive') },
  enroll: { component: StepNode, detail: (d) => `Enroll in ${d.playbook}` },
  end: { component: StepNode, detail: (d) => (d.outcome === 'exited' ? `Exit${d.reason ? `: ${d.reason}` : ''}` : 'Completed') },
};

/** The React Flow type of a node whose type the registry does not know (e.g. a newer draft). */
export const UNKNOWN_NODE_TYPE = 'unknown';

/** The detail line of a node of a registered type, given data that passed its `dataSchema`. */
export function nodeDetail(type: NodeType, data: unknown): string {
  return (canvasNodes[type].detail as (data: unknown) => string)(data);
}

/** `nodeTypes` for <ReactFlow>: one entry per registered node type, plus the unknown fallback. */
export const flowNodeTypes: NodeTypes = {
  ...Object.fromEntries(Object.entries(canvasNodes).map(([type, { component }]) => [type, component])),
  [UNKNOWN_NODE_TYPE]: StepNode,
};
