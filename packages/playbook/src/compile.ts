import type { z } from 'zod';
import { type Diagnostic, formatPath } from './diagnostics';
import { type PlaybookDocument, playbookDocumentSchema } from './document';
import { type CheckedNode, TIME_PASSING_TYPES, type Wiring } from './graph';
import { canonicalJson, sha256Hex } from './hash';
import { migrateDocument } from './migrations';
import { isNodeType, nodeDefinition } from './nodes/registry';
import type { ExecutablePlan, PlanMilestone, PlanStep } from './plan';
import { checkReferences, type CompileContext } from './references';
import { computeTimeline, type Timeline } from './timeline';

/** Bumped whenever lowering changes, so a plan says which compiler produced it. */
export const COMPILER_VERSION = 2;

export type { CompileContext } from './references';

export type CompileResult =
  | { ok: true; plan: ExecutablePlan; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

const error = (d: Omit<Diagnostic, 'severity'>): Diagnostic => ({ severity: 'error', ...d });

/** Node id at `nodes[i]` of the raw input, so even a malformed document's diagnostics point at a node. */
function rawNodeId(input: unknown, index: number): string | undefined {
  const nodes = (input as { nodes?: unknown })?.nodes;
  const id = Array.isArray(nodes) ? (nodes[index] as { id?: unknown })?.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function rawEdgeId(input: unknown, index: number): string | undefined {
  const edges = (input as { edges?: unknown })?.edges;
  const id = Array.isArray(edges) ? (edges[index] as { id?: unknown })?.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function documentDiagnostics(input: unknown, issues: z.core.$ZodIssue[]): Diagnostic[] {
  return issues.map((issue) => {
    const [head, index] = issue.path;
    const nodeId = head === 'nodes' && typeof index === 'number' ? rawNodeId(input, index) : undefined;
    const edgeId = head === 'edges' && typeof index === 'number' ? rawEdgeId(input, index) : undefined;
    const where = nodeId ? `Step "${nodeId}": ` : edgeId ? `Connection "${edgeId}": ` : '';
    return error({ code: 'document.invalid', message: `${where}${issue.message}`, path: formatPath(issue.path), nodeId, edgeId });
  });
}

function checkNodes(doc: PlaybookDocument): { nodes: Map<string, CheckedNode>; diagnostics: Diagnostic[] } {
  const nodes = new Map<string, CheckedNode>();
  const diagnostics: Diagnostic[] = [];
  doc.nodes.forEach((node, index) => {
    const at = `nodes[${index}]`;
    if (nodes.has(node.id)) {
      diagnostics.push(error({ code: 'node.duplicate_id', message: `Two steps share the id "${node.id}"`, nodeId: node.id, path: `${at}.id` }));
      return;
    }
    if (!isNodeType(node.type)) {
      diagnostics.push(error({ code: 'node.unknown_type', message: `Step "${node.id}" has an unknown type "${node.type}"`, nodeId: node.id, path: `${at}.type` }));
      return;
    }
    const definition = nodeDefinition(node.type);
    const parsed = definition.dataSchema.safeParse(node.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = formatPath(issue.path);
        diagnostics.push(
          error({
            code: 'node.invalid_data',
            message: `${definition.label} "${node.id}"${field ? ` (${field})` : ''}: ${issue.message}`,
            nodeId: node.id,
            path: field ? `${at}.data.${field}` : `${at}.data`,
          }),
        );
      }
      return;
    }
    const data = parsed.data as Record<string, unknown>;
    const label = typeof data.label === 'string' && data.label ? data.label : definition.label;
    nodes.set(node.id, { index, id: node.id, type: node.type, label, data, outputs: definition.outputs(data) });
  });
  return { nodes, diagnostics };
}

function checkEdges(doc: PlaybookDocument, nodes: Map<string, CheckedNode>, invalidNodeIds: Set<string>) {
  const diagnostics: Diagnostic[] = [];
  const wiring: Wiring = new Map();
  const incoming = new Map<string, number>();
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, index) => {
    const at = `edges[${index}]`;
    const d = (code: string, message: string, field: string) => diagnostics.push(error({ code, message, edgeId: edge.id, nodeId: edge.source, path: `${at}.${field}` }));
    if (edgeIds.has(edge.id)) return d('edge.duplicate_id', `Two connections share the id "${edge.id}"`, 'id');
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) {
      if (!invalidNodeIds.has(edge.source)) d('edge.unknown_source', `Connection "${edge.id}" starts at a step that does not exist ("${edge.source}")`, 'source');
      return;
    }
    if (!target) {
      if (!invalidNodeIds.has(edge.target)) d('edge.unknown_target', `Connection "${edge.id}" leads to a step that does not exist ("${edge.target}")`, 'target');
      return;
    }
    let handle = edge.sourceHandle ?? undefined;
    if (handle === undefined) {
      if (source.outputs.length !== 1) {
        const names = source.outputs.map((o) => o.handle).join(', ') || 'none';
        return d('edge.handle_required', `Connection "${edge.id}" must say which output of "${source.id}" it leaves from (${names})`, 'sourceHandle');
      }
      handle = source.outputs[0].handle;
    }
    if (!source.outputs.some((o) => o.handle === handle)) {
      const names = source.outputs.map((o) => o.handle).join(', ') || 'none';
      return d('edge.unknown_handle', `${nodeDefinition(source.type).label} "${source.id}" has no output "${handle}" (it has: ${names})`, 'sourceHandle');
    }
    const outs = wiring.get(source.id) ?? new Map<string, string>();
    if (outs.has(handle)) return d('edge.duplicate_output', `Output "${handle}" of "${source.id}" is connected twice; an output leads to one step`, 'sourceHandle');
    if (target.type === 'trigger') return d('edge.into_trigger', `Connection "${edge.id}" leads into the trigger; nothing can come before the trigger`, 'target');
    outs.set(handle, target.id);
    wiring.set(source.id, outs);
    incoming.set(target.id, (incoming.get(target.id) ?? 0) + 1);
  });
  return { wiring, incoming, diagnostics };
}

function checkGraph(nodes: Map<string, CheckedNode>, wiring: Wiring, incoming: Map<string, number>): { entry?: CheckedNode; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const node of nodes.values()) {
    if (node.type === 'join' && (incoming.get(node.id) ?? 0) < 2) {
      diagnostics.push(error({ code: 'join.single_input', message: `Join "${node.id}" brings tracks together, so at least two connections must lead into it`, nodeId: node.id, path: `nodes[${node.index}]` }));
    }
  }
  const triggers = [...nodes.values()].filter((n) => n.type === 'trigger');
  if (triggers.length === 0) {
    diagnostics.push(error({ code: 'playbook.no_trigger', message: 'The playbook needs a trigger: add one where it starts', path: 'nodes' }));
  }
  for (const extra of triggers.slice(1)) {
    diagnostics.push(error({ code: 'playbook.multiple_triggers', message: `A playbook has exactly one trigger; remove "${extra.id}" or merge it`, nodeId: extra.id, path: `nodes[${extra.index}]` }));
  }
  for (const node of nodes.values()) {
    for (const output of node.outputs) {
      if (output.required && !wiring.get(node.id)?.has(output.handle)) {
        diagnostics.push(
          error({ code: 'node.output_unconnected', message: `Connect the "${output.label}" output of "${node.id}" to the next step`, nodeId: node.id, path: `nodes[${node.index}]` }),
        );
      }
    }
  }
  const entry = triggers[0];
  if (entry) {
    const reached = new Set<string>([entry.id]);
    const queue = [entry.id];
    for (let i = 0; i < queue.length; i++) {
      for (const next of wiring.get(queue[i])?.values() ?? []) {
        if (reached.has(next)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
    for (const node of nodes.values()) {
      if (!reached.has(node.id)) diagnostics.push(error({ code: 'node.unreachable', message: `Step "${node.id}" can never be reached from the trigger`, nodeId: node.id, path: `nodes[${node.index}]` }));
    }
  }
  diagnostics.push(...zeroTimeLoops(nodes, wiring));
  return { entry, diagnostics };
}

/** A cycle that never waits would spin forever in zero time: every loop must pass through a wait. */
function zeroTimeLoops(nodes: Map<string, CheckedNode>, wiring: Wiring): Diagnostic[] {
  const state = new Map<string, 'open' | 'done'>();
  const found: Diagnostic[] = [];
  const visit = (start: string) => {
    // Iterative DFS so a 5,000-step playbook cannot overflow the stack.
    const stack: Array<{ id: string; next: string[] }> = [];
    const push = (id: string) => {
      state.set(id, 'open');
      stack.push({ id, next: TIME_PASSING_TYPES.has(nodes.get(id)?.type ?? '') ? [] : [...(wiring.get(id)?.values() ?? [])] });
    };
    push(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = top.next.shift();
      if (next === undefined) {
        state.set(top.id, 'done');
        stack.pop();
      } else if (state.get(next) === 'open' && !TIME_PASSING_TYPES.has(nodes.get(next)?.type ?? '')) {
        const node = nodes.get(next) as CheckedNode;
        found.push(error({ code: 'graph.zero_time_loop', message: `The loop through "${next}" has no wait, so it would repeat instantly; add a wait inside it`, nodeId: next, path: `nodes[${node.index}]` }));
      } else if (!state.has(next)) {
        push(next);
      }
    }
  };
  for (const id of [...nodes.keys()].sort()) if (!state.has(id)) visit(id);
  return found;
}

function milestonesOf(nodes: Map<string, CheckedNode>, timeline: Timeline): PlanMilestone[] {
  return [...nodes.values()]
    .filter((n) => n.type === 'milestone')
    .map((n) => ({ stepId: n.id, name: String(n.data.name), targetDay: Number(n.data.targetDay), ...(timeline[n.id] ?? { earliestDay: 0, latestDay: null }) }))
    .sort((a, b) => a.targetDay - b.targetDay || (a.stepId < b.stepId ? -1 : 1));
}

/** Warns when a milestone cannot be reached by its target day even on the fastest path. */
function milestoneWarnings(nodes: Map<string, CheckedNode>, milestones: PlanMilestone[]): Diagnostic[] {
  return milestones
    .filter((m) => m.earliestDay > m.targetDay)
    .map((m) => {
      const node = nodes.get(m.stepId) as CheckedNode;
      return {
        severity: 'warning' as const,
        code: 'milestone.late_by_design',
        message: `Milestone "${m.name}" targets day ${m.targetDay}, but the earliest the playbook reaches it is day ${m.earliestDay}`,
        nodeId: m.stepId,
        path: `nodes[${node.index}].data.targetDay`,
      };
    });
}

function lower(doc: PlaybookDocument, nodes: Map<string, CheckedNode>, wiring: Wiring, entry: CheckedNode, timeline: Timeline, milestones: PlanMilestone[]): ExecutablePlan {
  const steps: Record<string, PlanStep> = {};
  for (const id of [...nodes.keys()].sort()) {
    const node = nodes.get(id) as CheckedNode;
    const next: Record<string, string | null> = {};
    for (const output of node.outputs) next[output.handle] = wiring.get(id)?.get(output.handle) ?? null;
    steps[id] = { id, type: node.type, label: node.label, data: node.data, next };
  }
  const body = {
    schemaVersion: doc.schemaVersion,
    compilerVersion: COMPILER_VERSION,
    key: doc.key,
    name: doc.name,
    kind: doc.kind,
    audience: doc.audience,
    settings: doc.settings,
    entryStepId: entry.id,
    steps,
    timeline,
    milestones,
  };
  // Through canonical JSON: the plan is plain data, and its hash covers exactly these bytes.
  const canonical = canonicalJson(body);
  return { ...(JSON.parse(canonical) as Omit<ExecutablePlan, 'hash'>), hash: sha256Hex(canonical) };
}

function checkAudience(doc: PlaybookDocument, context: CompileContext): Diagnostic[] {
  if (!context.segments) return [];
  return doc.audience.segments
    .map((segment, i) => ({ segment, i }))
    .filter(({ segment }) => !context.segments?.includes(segment))
    .map(({ segment, i }) => error({ code: 'reference.unknown_segment', message: `The audience names segment "${segment}", which does not exist`, path: `audience.segments[${i}]` }));
}

/** Checks only the document's shape (what a draft must satisfy to be saved); graph rules wait for publish. */
export function parsePlaybookDocument(input: unknown): { ok: true; document: PlaybookDocument } | { ok: false; diagnostics: Diagnostic[] } {
  const migrated = migrateDocument(input);
  if (!migrated.ok) return { ok: false, diagnostics: [migrated.diagnostic] };
  const parsed = playbookDocumentSchema.safeParse(migrated.document);
  return parsed.success ? { ok: true, document: parsed.data } : { ok: false, diagnostics: documentDiagnostics(migrated.document, parsed.error.issues) };
}

/**
 * A stored document (draft or published) of any supported schema version, as the current version.
 * Stored documents passed validation when saved, so failing here means the data was changed by hand.
 */
export function upgradeStoredDocument(stored: unknown): PlaybookDocument {
  const parsed = parsePlaybookDocument(stored);
  if (!parsed.ok) throw new Error(`stored playbook document is invalid: ${parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.document;
}

/**
 * Validates a playbook document (anything: it may come straight from an HTTP body or a file) and
 * lowers it to an executable plan. Pure and deterministic: the same input gives the same output.
 */
export function compilePlaybook(input: unknown, context: CompileContext = {}): CompileResult {
  const parsed = parsePlaybookDocument(input);
  if (!parsed.ok) return parsed;
  const doc = parsed.document;
  const checked = checkNodes(doc);
  const invalid = new Set(doc.nodes.map((n) => n.id).filter((id) => !checked.nodes.has(id)));
  const edges = checkEdges(doc, checked.nodes, invalid);
  // With a broken step, reachability and wiring findings would be noise: fix the steps first.
  if (checked.diagnostics.length) return { ok: false, diagnostics: [...checked.diagnostics, ...edges.diagnostics] };
  const graph = checkGraph(checked.nodes, edges.wiring, edges.incoming);
  const diagnostics = [...edges.diagnostics, ...graph.diagnostics, ...checkReferences(checked.nodes, context), ...checkAudience(doc, context)];
  if (diagnostics.some((d) => d.severity === 'error') || !graph.entry) return { ok: false, diagnostics };
  const timeline = computeTimeline(checked.nodes, edges.wiring, graph.entry.id);
  const milestones = milestonesOf(checked.nodes, timeline);
  diagnostics.push(...milestoneWarnings(checked.nodes, milestones));
  return { ok: true, plan: lower(doc, checked.nodes, edges.wiring, graph.entry, timeline, milestones), diagnostics };
}
