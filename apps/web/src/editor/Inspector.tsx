import { isNodeType, type PlaybookNode } from '@cairn/playbook';
import { useCallback, useMemo } from 'react';
import { useAccountAttributes } from './account-attributes';
import { useEditor } from './context';
import { nodeOutputs } from './document-edits';
import { type FieldContext, FieldList } from './fields';
import { editorNodeTypes } from './registry';
import { dataPathOf, type FieldPath, setAt } from './schema-fields';

const samePrefix = (path: FieldPath, prefix: FieldPath) => prefix.every((p, i) => String(path[i]) === String(p));

/** The side panel: the selected step's settings (a form generated from its schema) and where its outputs lead. */
export function Inspector() {
  const { selected, count, readOnly } = useEditor((s) => ({ selected: s.selectedNodes.length === 1 ? s.selectedNodes[0] : null, count: s.selectedNodes.length + s.selectedEdges.length, readOnly: s.readOnly }));
  const node = useEditor((s) => (selected ? s.doc.nodes.find((n) => n.id === selected) : undefined));
  if (node) return <NodeInspector node={node} readOnly={readOnly} />;
  return (
    <aside className="inspector" aria-label="Settings">
      {count > 1 ? <MultiSelection count={count} /> : count === 1 ? <EdgeSelection /> : <PlaybookSettings />}
    </aside>
  );
}

function MultiSelection({ count }: { count: number }) {
  const { removeSelected, copy, readOnly } = useEditor((s) => ({ removeSelected: s.removeSelected, copy: s.copy, readOnly: s.readOnly }));
  return (
    <>
      <h2>{count} selected</h2>
      <div className="actions">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={removeSelected} disabled={readOnly}>
          Delete
        </button>
      </div>
    </>
  );
}

function EdgeSelection() {
  const { edgeId, removeSelected, readOnly } = useEditor((s) => ({ edgeId: s.selectedEdges[0], removeSelected: s.removeSelected, readOnly: s.readOnly }));
  const problems = useEditor((s) => s.findings.edges.get(edgeId) ?? []);
  return (
    <>
      <h2>Connection</h2>
      <p className="muted">{edgeId}</p>
      {problems.map((p) => (
        <p key={p} className="problem">
          {p}
        </p>
      ))}
      <button type="button" onClick={removeSelected} disabled={readOnly}>
        Delete connection
      </button>
    </>
  );
}

function PlaybookSettings() {
  const { doc, readOnly, replaceDocument } = useEditor((s) => ({ doc: s.doc, readOnly: s.readOnly, replaceDocument: s.replaceDocument }));
  return (
    <>
      <h2>Playbook</h2>
      <p className="muted">Select a step to configure it; add steps from the palette.</p>
      <div className="field">
        <label htmlFor="playbook-name">Name</label>
        <input id="playbook-name" value={doc.name} disabled={readOnly} onChange={(e) => replaceDocument({ ...doc, name: e.target.value }, { keepHistory: true })} />
      </div>
      <div className="field">
        <label htmlFor="playbook-description">Description</label>
        <textarea id="playbook-description" rows={3} value={doc.description} disabled={readOnly} onChange={(e) => replaceDocument({ ...doc, description: e.target.value }, { keepHistory: true })} />
      </div>
      <p className="muted">
        Key <code>{doc.key}</code> · {doc.nodes.length} steps · {doc.edges.length} connections
      </p>
    </>
  );
}

function NodeInspector({ node, readOnly }: { node: PlaybookNode; readOnly: boolean }) {
  const { updateNodeData, removeSelected, connect, removeEdge, nodes, edges, playbookName, diagnostics } = useEditor((s) => ({
    updateNodeData: s.updateNodeData,
    removeSelected: s.removeSelected,
    connect: s.connect,
    removeEdge: s.removeEdge,
    nodes: s.doc.nodes,
    edges: s.doc.edges,
    playbookName: s.doc.name,
    diagnostics: s.diagnostics,
  }));
  const accountAttributes = useAccountAttributes();
  const entry = isNodeType(node.type) ? editorNodeTypes[node.type] : null;
  const mine = useMemo(() => diagnostics.filter((d) => d.nodeId === node.id && !d.edgeId), [diagnostics, node.id]);
  const ctx: FieldContext = useMemo(
    () => ({
      errorsAt: (path) =>
        mine
          .filter((d) => {
            const at = dataPathOf(d.path);
            return at !== null && at.length === path.length && samePrefix(at, path);
          })
          .map((d) => d.message),
      playbookName,
      stepIds: nodes.filter((n) => n.id !== node.id).map((n) => n.id),
      milestoneIds: nodes.filter((n) => n.type === 'milestone').map((n) => n.id),
      accountAttributes,
    }),
    [mine, playbookName, nodes, node.id, accountAttributes],
  );
  const onChange = useCallback((path: FieldPath, value: unknown) => updateNodeData(node.id, (setAt(node.data, path, value) ?? {}) as Record<string, unknown>), [node, updateNodeData]);
  // Findings on the step as a whole (not on one field): unconnected outputs, unreachable…
  const general = mine.filter((d) => {
    const at = dataPathOf(d.path);
    return at === null || at.length === 0;
  });
  const outputs = nodeOutputs(node);
  return (
    <aside className="inspector" aria-label="Settings">
      <h2>{entry?.label ?? node.type}</h2>
      <p className="muted">{entry?.description ?? 'This node type is not known to this version of Cairn.'}</p>
      <p className="muted">
        Id <code>{node.id}</code>
      </p>
      {general.length > 0 && (
        <ul className="field-errors" aria-label="Problems with this step">
          {general.map((d) => (
            <li key={d.message}>{d.message}</li>
          ))}
        </ul>
      )}
      <fieldset disabled={readOnly} className="inspector-form">
        {entry ? <FieldList descriptor={entry.form} value={node.data} path={[]} onChange={onChange} ctx={ctx} /> : null}
        {outputs.length > 0 && (
          <fieldset className="field-group">
            <legend>Outputs</legend>
            {outputs.map((o) => {
              const edge = edges.find((e) => e.source === node.id && (e.sourceHandle ?? outputs[0].handle) === o.handle);
              const id = `output-${node.id}-${o.handle}`;
              return (
                <div className="field" key={o.handle}>
                  <label htmlFor={id}>{o.label} leads to</label>
                  <select
                    id={id}
                    value={edge?.target ?? ''}
                    onChange={(e) => {
                      if (!e.target.value) {
                        if (edge) removeEdge(edge.id);
                      } else connect({ source: node.id, sourceHandle: o.handle, target: e.target.value }, edge?.id);
                    }}
                  >
                    <option value="">— not connected —</option>
                    {nodes
                      .filter((n) => n.id !== node.id)
                      .map((n) => (
                        <option key={n.id} value={n.id}>
                          {typeof n.data.label === 'string' && n.data.label ? `${n.data.label} (${n.id})` : n.id}
                        </option>
                      ))}
                  </select>
                </div>
              );
            })}
          </fieldset>
        )}
        <button type="button" className="danger" onClick={removeSelected}>
          Delete step
        </button>
      </fieldset>
    </aside>
  );
}
