import { isNodeType } from '@cairn/playbook';
import { Background, type Connection, Controls, type Edge, type FinalConnectionState, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo } from 'react';
import { useEditor, useEditorStore } from './context';
import { DiffCanvas } from './DiffCanvas';
import { connectionProblem } from './document-edits';
import { editorFlowNodeTypes } from './EditorNode';
import type { EditorFlowEdge, EditorFlowNode } from './flow';
import { DRAG_TYPE } from './Palette';
import { drawSimulation } from './simulate-logic';

const CATEGORY_COLOURS: Record<string, string> = { start: '#3b5bdb', timing: '#7048e8', human: '#f08c00', touch: '#1098ad', flow: '#495057' };
const miniMapColour = (node: EditorFlowNode) => (node.data.problems.some((p) => p.severity === 'error') ? '#e03131' : (CATEGORY_COLOURS[node.data.category] ?? '#98a2b3'));

/** The editable canvas: drop steps from the palette, draw connections (refused with a reason), drag, select. */
export function EditorCanvas() {
  const store = useEditorStore();
  const { storeNodes, storeEdges, simulation, onNodesChange, onEdgesChange, readOnly, focus } = useEditor((s) => ({
    storeNodes: s.nodes,
    storeEdges: s.edges,
    simulation: s.simulation,
    onNodesChange: s.onNodesChange,
    onEdgesChange: s.onEdgesChange,
    readOnly: s.readOnly,
    focus: s.focus,
  }));
  const { screenToFlowPosition, setCenter, getNode } = useReactFlow<EditorFlowNode>();
  // A simulated path (the simulate panel's) drawn over the canvas.
  const { nodes, edges } = useMemo(() => drawSimulation(storeNodes, storeEdges, simulation), [storeNodes, storeEdges, simulation]);

  const onConnect = useCallback((c: Connection) => void store.getState().connect({ source: c.source, target: c.target, sourceHandle: c.sourceHandle }), [store]);

  // While a connection is dragged, targets the store's connection rule refuses are not offered…
  const isValidConnection = useCallback(
    (c: Connection | Edge) => connectionProblem(store.getState().doc, { source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }) === null,
    [store],
  );
  // …and letting go over one says why.
  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromNode || !state.toNode) return;
      const fromOutput = state.fromHandle?.type !== 'target';
      const c = fromOutput
        ? { source: state.fromNode.id, sourceHandle: state.fromHandle?.id ?? null, target: state.toNode.id }
        : { source: state.toNode.id, sourceHandle: state.toHandle?.id ?? null, target: state.fromNode.id };
      const problem = connectionProblem(store.getState().doc, c);
      if (problem) store.getState().setNotice({ kind: 'refused', text: problem });
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DRAG_TYPE);
      if (!isNodeType(type)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Centred under the pointer, as the palette entry was held.
      store.getState().addNodeAt(type, { x: at.x - 120, y: at.y - 30 });
    },
    [screenToFlowPosition, store],
  );

  // The problems list (or a new step) asks to bring a node into view.
  useEffect(() => {
    if (!focus) return;
    const node = getNode(focus.nodeId);
    if (!node) return;
    const width = node.measured?.width ?? 240;
    const height = node.measured?.height ?? 100;
    void setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: 1, duration: 200 });
  }, [focus, getNode, setCenter]);

  return (
    <div className="editor-canvas" data-testid="editor-canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<EditorFlowNode, EditorFlowEdge>
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        nodeTypes={editorFlowNodeTypes}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > 200}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1.1 }}
        proOptions={{ hideAttribution: true }}
        aria-label="Playbook canvas"
      >
        <Background gap={20} />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.1 }} />
        <MiniMap<EditorFlowNode> pannable zoomable nodeColor={miniMapColour} nodeStrokeWidth={2} ariaLabel="Minimap" />
      </ReactFlow>
      <DiffCanvas />
    </div>
  );
}
