import type { PlaybookDocument } from '@cairn/playbook';
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { flowNodeTypes } from './node-types';
import { type RunOverlay, type StepFlowNode, toFlow } from './to-flow';

const CATEGORY_COLOURS: Record<string, string> = { start: '#3b5bdb', timing: '#7048e8', human: '#f08c00', touch: '#1098ad', flow: '#495057' };

function miniMapColour(node: StepFlowNode): string {
  if (node.data.state === 'current') return '#f08c00';
  return CATEGORY_COLOURS[node.data.category] ?? '#98a2b3';
}

/** A read-only canvas of a playbook; `run` highlights the step a run is on and what it has done. */
export function PlaybookCanvas({ document, run }: { document: PlaybookDocument; run?: RunOverlay }) {
  const { nodes, edges } = useMemo(() => toFlow(document, run), [document, run]);
  return (
    <div className="canvas" data-testid="playbook-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={flowNodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
        minZoom={0.2}
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        <MiniMap<StepFlowNode> pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={2} />
      </ReactFlow>
    </div>
  );
}
