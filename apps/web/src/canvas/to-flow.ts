import { isNodeType, nodeDefinition, type PlaybookDocument } from '@cairn/playbook';
import type { Edge, Node } from '@xyflow/react';

/** What the canvas shows about a run on each step. */
export type StepState = 'current' | 'done' | undefined;

export interface StepNodeData extends Record<string, unknown> {
  nodeType: string;
  typeLabel: string;
  category: string;
  title: string;
  detail: string;
  outputs: Array<{ handle: string; label: string }>;
  hasInput: boolean;
  state: StepState;
}

/** The one line that says what a step does, shown under its title. */
export function stepDetail(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'wait':
      if (data.mode === 'until_day') return `until day ${String(data.day)}`;
      if (data.mode === 'until_date') return `until ${String(data.field).replace(/_/g, ' ')} ${Number(data.offsetDays) >= 0 ? '+' : '−'} ${Math.abs(Number(data.offsetDays))} days`;
      return `for ${String(data.duration ?? '')}`;
    case 'approval':
      return String(data.title ?? '') + (data.sla ? ` · SLA ${String(data.sla)}` : '');
    case 'touch':
      return `${String(data.channel ?? 'email')} to ${String(data.to ?? '').replace('_', ' ')}: ${String(data.subject ?? '')}`;
    case 'end':
      return data.outcome === 'exited' ? `exit${data.reason ? `: ${String(data.reason)}` : ''}` : 'completed';
    case 'trigger':
      return `enrolled ${String(data.on ?? 'manual')}ly`;
    default:
      return '';
  }
}

/**
 * Maps a playbook document to React Flow nodes and edges. Labels, outputs and categories come
 * from the node registry of @cairn/playbook, so the canvas never copies node metadata.
 */
export function toFlow(doc: PlaybookDocument, states: Record<string, StepState> = {}): { nodes: Node<StepNodeData>[]; edges: Edge[] } {
  const nodes = doc.nodes.map((node): Node<StepNodeData> => {
    const definition = isNodeType(node.type) ? nodeDefinition(node.type) : null;
    const parsed = definition?.dataSchema.safeParse(node.data);
    const outputs = definition && parsed?.success ? definition.outputs(parsed.data).map(({ handle, label }) => ({ handle, label })) : [];
    return {
      id: node.id,
      type: 'step',
      position: node.position,
      data: {
        nodeType: node.type,
        typeLabel: definition?.label ?? `Unknown (${node.type})`,
        category: definition?.category ?? 'flow',
        title: typeof node.data.label === 'string' && node.data.label ? node.data.label : (definition?.label ?? node.id),
        detail: stepDetail(node.type, node.data),
        outputs,
        hasInput: node.type !== 'trigger',
        state: states[node.id],
      },
    };
  });
  const edges = doc.edges.map(
    (edge): Edge => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? 'next',
      animated: states[edge.source] === 'done' && states[edge.target] !== undefined,
    }),
  );
  return { nodes, edges };
}
