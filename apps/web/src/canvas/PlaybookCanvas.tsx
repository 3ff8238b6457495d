import type { PlaybookDocument } from '@cairn/playbook';
import { Background, Controls, MiniMap, ReactFlow, useNodesInitialized, useNodesState, useReactFlow, useStore } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef } from 'react';
import { initialViewport } from './layout';
import { flowNodeTypes } from './node-types';
import { type RunOverlay, type StepFlowNode, toFlow } from './to-flow';

const CATEGORY_COLOURS: Record<string, string> = { start: '#3b5bdb', timing: '#7048e8', human: '#f08c00', touch: '#1098ad', flow: '#495057' };

function miniMapColour(node: StepFlowNode): string {
  if (node.data.state === 'current') return '#f08c00';
  if (node.data.state === 'waiting') return '#7048e8';
  return CATEGORY_COLOURS[node.data.category] ?? '#98a2b3';
}

/**
 * Opens the canvas once its nodes are measured: the whole playbook if it fits at a readable zoom,
 * otherwise readable and scrolled to the top (or to the step a run is on). Later run updates keep
 * whatever the user has panned to.
 */
function InitialViewport() {
  const initialized = useNodesInitialized();
  const { getNodes, getNodesBounds, setViewport } = useReactFlow<StepFlowNode>();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const done = useRef(false);
  useEffect(() => {
    if (!initialized || done.current || !width || !height) return;
    done.current = true;
    const nodes = getNodes();
    const current = nodes.find((n) => n.data.state === 'current' || n.data.state === 'waiting');
    const focus = current ? { x: current.position.x, y: current.position.y } : undefined;
    void setViewport(initialViewport(getNodesBounds(nodes), { width, height }, focus));
  }, [initialized, width, height, getNodes, getNodesBounds, setViewport]);
  return null;
}

/** A read-only canvas of a playbook; `run` highlights the step a run is on and what it has done. */
export function PlaybookCanvas({ document, run, tall = false }: { document: PlaybookDocument; run?: RunOverlay; tall?: boolean }) {
  const flow = useMemo(() => toFlow(document, run), [document, run]);
  // Nodes live in state so React Flow can write their measured sizes back (the MiniMap draws
  // only measured nodes); a new document or run state replaces them.
  const [nodes, setNodes, onNodesChange] = useNodesState(flow.nodes);
  useEffect(() => setNodes(flow.nodes), [flow.nodes, setNodes]);
  return (
    <div className={tall ? 'canvas canvas-tall' : 'canvas'} data-testid="playbook-canvas">
      <ReactFlow
        nodes={nodes}
        edges={flow.edges}
        onNodesChange={onNodesChange}
        nodeTypes={flowNodeTypes}
        minZoom={0.2}
        maxZoom={2}
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <InitialViewport />
        <Background gap={20} />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.08 }} />
        <MiniMap<StepFlowNode> pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={2} />
      </ReactFlow>
    </div>
  );
}
