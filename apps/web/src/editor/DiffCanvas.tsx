import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { flowNodeTypes } from '../canvas/node-types';
import { useDiffOverlay } from './diff-overlay';
import { diffFlow, diffHighlights, diffSummary } from './diff-view';

const LEGEND: Array<[string, string]> = [
  ['added', 'added'],
  ['changed', 'changed (hover for what)'],
  ['moved', 'moved only'],
  ['removed', 'removed (ghost)'],
];

/** The diff the versions panel picked, over the editor's canvas: read only, with a legend and a way back. */
export function DiffCanvas() {
  const { overlay, clear } = useDiffOverlay();
  const flow = useMemo(() => (overlay ? diffFlow(overlay.doc, diffHighlights(overlay.diff)) : null), [overlay]);
  if (!overlay || !flow) return null;
  return (
    <div className="diff-canvas" data-testid="diff-canvas" role="region" aria-label="Differences on the canvas">
      <div className="diff-legend">
        <strong>{diffSummary(overlay.diff)}</strong>
        <ul aria-label="Legend">
          {LEGEND.map(([mark, words]) => (
            <li key={mark} className={`legend-${mark}`}>
              <span className="legend-swatch" aria-hidden /> {words}
            </li>
          ))}
        </ul>
        <button type="button" onClick={clear}>
          Clear the diff
        </button>
      </div>
      <ReactFlowProvider>
        <ReactFlow
          nodes={flow.nodes}
          edges={flow.edges}
          nodeTypes={flowNodeTypes}
          nodesConnectable={false}
          nodesDraggable={false}
          elementsSelectable={false}
          minZoom={0.1}
          maxZoom={2}
          fitView
          fitViewOptions={{ padding: 0.1, maxZoom: 1.1 }}
          proOptions={{ hideAttribution: true }}
          aria-label="Playbook canvas with the differences"
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
