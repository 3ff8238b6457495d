import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import type { StepNodeData } from './to-flow';

export function StepNode({ id, data }: NodeProps<Node<StepNodeData>>) {
  const classes = ['step-node', `step-${data.nodeType}`, `category-${data.category}`, data.state ? `is-${data.state}` : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`node-${id}`} data-state={data.state ?? 'idle'}>
      {data.hasInput && <Handle type="target" position={Position.Top} />}
      <div className="step-type">
        <span className="step-dot" aria-hidden />
        {data.typeLabel}
        {data.state === 'current' && <span className="step-badge">now</span>}
      </div>
      <div className="step-title">{data.title}</div>
      {data.detail && <div className="step-detail">{data.detail}</div>}
      {data.outputs.length > 1 && (
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
          style={{ left: `${((i + 1) / (data.outputs.length + 1)) * 100}%` }}
          title={o.label}
        />
      ))}
    </div>
  );
}
