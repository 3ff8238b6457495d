import type { PlaybookDocument, PlaybookEdge, PlaybookNode } from './document';

/** One value that differs: where (a dotted path inside the node, edge or document) and both sides. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  type: string;
  /** What changed in its behaviour (type, data); a move on the canvas alone is `moved`. */
  changes: FieldChange[];
  moved: boolean;
}

export interface PlaybookDiff {
  nodes: { added: PlaybookNode[]; removed: PlaybookNode[]; changed: NodeChange[] };
  /** Edges by where they lead (source, output, target), so a re-drawn edge with a new id is not a change. */
  edges: { added: PlaybookEdge[]; removed: PlaybookEdge[] };
  /** Name, description, kind, audience, settings. */
  document: FieldChange[];
  /** True when runs would behave the same (only positions or nothing changed). */
  sameBehaviour: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-level differences between two JSON values, as dotted paths under `prefix` (arrays compare whole). */
function fieldChanges(before: unknown, after: unknown, prefix: string): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before, after }];
}

const edgeKey = (e: PlaybookEdge) => `${e.source}\u0000${e.sourceHandle ?? 'next'}\u0000${e.target}`;

/**
 * What changed from one playbook document to another (two versions, or a version and the draft):
 * nodes added, removed and changed (field by field), edges by where they lead, and the document's
 * own fields. The editor highlights it on the canvas; publishing shows it before runs move on.
 */
export function diffPlaybooks(before: PlaybookDocument, after: PlaybookDocument): PlaybookDiff {
  const was = new Map(before.nodes.map((n) => [n.id, n]));
  const is = new Map(after.nodes.map((n) => [n.id, n]));
  const changed: NodeChange[] = [];
  for (const node of after.nodes) {
    const old = was.get(node.id);
    if (!old) continue;
    const changes = [...fieldChanges(old.type, node.type, 'type'), ...fieldChanges(old.data, node.data, 'data')];
    const moved = old.position.x !== node.position.x || old.position.y !== node.position.y;
    if (changes.length || moved) changed.push({ id: node.id, type: node.type, changes, moved });
  }
  const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const newEdges = new Map(after.edges.map((e) => [edgeKey(e), e]));
  const document = (['name', 'description', 'kind', 'audience', 'settings'] as const).flatMap((field) => fieldChanges(before[field], after[field], field));
  const diff: PlaybookDiff = {
    nodes: { added: after.nodes.filter((n) => !was.has(n.id)), removed: before.nodes.filter((n) => !is.has(n.id)), changed },
    edges: { added: [...newEdges].filter(([k]) => !oldEdges.has(k)).map(([, e]) => e), removed: [...oldEdges].filter(([k]) => !newEdges.has(k)).map(([, e]) => e) },
    document,
    sameBehaviour: false,
  };
  diff.sameBehaviour =
    !diff.nodes.added.length && !diff.nodes.removed.length && changed.every((c) => c.changes.length === 0) && !diff.edges.added.length && !diff.edges.removed.length && !document.some((d) => d.path.startsWith('audience') || d.path.startsWith('settings'));
  return diff;
}
