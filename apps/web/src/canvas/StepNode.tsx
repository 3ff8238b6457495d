import { Handle, type NodeProps, Position } from '@xyflow/react';
import { NODE_WIDTH } from './layout';
import type { StepFlowNode } from './to-flow';

export type StepNodeProps = NodeProps<StepFlowNode>;

/** Wide enough for each output label to sit above its handle. */
export const nodeWidth = (outputs: number) => Math.max(NODE_WIDTH, outputs * 80);

const STATE_BADGE = { current: 'Now', done: 'Done', waiting: 'Waiting', skipped: 'Skipped' } as const;

/** One step on the canvas: its type, its label, what it does, and one source handle per output. */
export function StepNode({ id, data }: StepNodeProps) {
  const classes = ['step-node', `step-${data.nodeType}`, `category-${data.category}`, data.state ? `is-${data.state}` : '', data.problem ? 'is-invalid' : '']
    .filter(Boolean)
    .join(' ');
  const many = data.outputs.length > 1;
  return (
    <div className={classes} data-testid={`node-${id}`} data-state={data.state ?? 'idle'} title={data.description} style={{ width: nodeWidth(data.outputs.length) }}>
      {data.hasInput && <Handle type="target" position={Position.Top} />}
      <div className="step-type">
        <span className="step-dot" aria-hidden />
        {data.typeLabel}
        {data.state && <span className={`step-badge badge-${data.state}`}>{STATE_BADGE[data.state]}</span>}
      </div>
      <div className="step-title">{data.title}</div>
      {data.stateDetail && <div className="step-state-detail">{data.stateDetail}</div>}
      {data.detail && <div className="step-detail">{data.detail}</div>}
      {data.problem && <div className="step-problem">{data.problem}</div>}
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
        // Centred under its label: with n outputs, label i spans [i/n, (i+1)/n] of the width.
        <Handle key={o.handle} id={o.handle} type="source" position={Position.Bottom} className={`handle-${o.handle}`} style={{ left: `${((i + 0.5) / data.outputs.length) * 100}%` }} title={o.label} />
      ))}
    </div>
  );
}
