import type { PlaybookDocument } from '@cairn/playbook';
import { Background, Controls, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { StepNode } from './StepNode';
import { type StepState, toFlow } from './to-flow';

const nodeTypes = { step: StepNode };

/** A read-only canvas of a playbook; `states` highlights where a run is and what it has done. */
export function PlaybookCanvas({ document, states }: { document: PlaybookDocument; states?: Record<string, StepState> }) {
  const { nodes, edges } = useMemo(() => toFlow(document, states), [document, states]);
  return (
    <div className="canvas" data-testid="playbook-canvas">
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView fitViewOptions={{ padding: 0.2 }} nodesConnectable={false} nodesDraggable={false} proOptions={{ hideAttribution: true }}>
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
