import { nodeTypes } from '@cairn/playbook';
import { Handle, type NodeProps, type NodeTypes, Position } from '@xyflow/react';
import { memo } from 'react';
import { UNKNOWN_NODE_TYPE } from '../canvas/node-types';
import { nodeWidth } from '../canvas/StepNode';
import type { EditorFlowNode } from './flow';

/**
 * One step on the editor's canvas: type, label, its essentials at a glance ("for 30 days",
 * "Send it? · SLA 2 days", the branch cases), the compiler's findings, and a named handle per
 * output. Memoized: React Flow re-renders it only when its own node object changes.
 */
export const EditorNode = memo(function EditorNode({ id, data, selected }: NodeProps<EditorFlowNode>) {
  const errors = data.problems.filter((p) => p.severity === 'error');
  const classes = ['step-node', 'editor-node', `step-${data.nodeType}`, `category-${data.category}`, errors.length ? 'is-invalid' : '', selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  const many = data.outputs.length > 1;
  const first = data.problems[0];
  return (
    <div className={classes} data-testid={`node-${id}`} data-problems={data.problems.length} title={data.description} style={{ width: nodeWidth(data.outputs.length) }}>
      {data.hasInput && <Handle type="target" position={Position.Top} aria-label={`Into ${data.title}`} />}
      <div className="step-type">
        <span className="step-dot" aria-hidden />
        {data.typeLabel}
        {data.problems.length > 0 && (
          <span className={`step-badge badge-${first.severity}`} aria-label={`${data.problems.length} problem${data.problems.length === 1 ? '' : 's'}`}>
            {data.problems.length}
          </span>
        )}
      </div>
      <div className="step-title">{data.title}</div>
      {data.detail && <div className="step-detail">{data.detail}</div>}
      {first && <div className={`step-problem problem-${first.severity}`}>{first.message}</div>}
      {!first && data.problem && <div className="step-problem">{data.problem}</div>}
      {many && (
        <div className="step-outputs">
          {data.outputs.map((o) => (
            <span key={o.handle} className={`step-output output-${o.handle}`}>
              {o.label}
            </span>
          ))}
        </div>
      )}
      {data.outputs.map((o, i) => (
        <Handle
          key={o.handle}
          id={o.handle}
          type="source"
          position={Position.Bottom}
          className={`handle-${o.handle}`}
          style={{ left: `${((i + 0.5) / data.outputs.length) * 100}%` }}
          title={o.label}
          aria-label={`${o.label} output of ${data.title}`}
        />
      ))}
    </div>
  );
});

/** React Flow's node types for the editor: every registered type (and unknown ones) draws as an EditorNode. */
export const editorFlowNodeTypes: NodeTypes = Object.fromEntries([...nodeTypes, UNKNOWN_NODE_TYPE].map((type) => [type, EditorNode]));
