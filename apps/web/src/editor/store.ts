import type { Diagnostic, ExecutablePlan, NodeType, PlaybookDocument } from '@cairn/playbook';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Point } from '../canvas/layout';
import type { RunOverlay } from '../canvas/to-flow';
import { addNode, type Clipboard, type Connection, connect, copyElements, freeSpot, insertAfter, moveNodes, pasteElements, removeElements, setNodeData } from './document-edits';
import { carryOver, type EditorFlowEdge, type EditorFlowNode, type Findings, findingsOf, syncFlowEdges, syncFlowNodes } from './flow';

/** Undo goes back this many edits; older ones are dropped. */
export const HISTORY_LIMIT = 100;

export interface Notice {
  kind: 'refused' | 'info';
  text: string;
}

/** The editor's state: the document (the truth), what the canvas draws of it, and the edit history. */
export interface EditorState {
  doc: PlaybookDocument;
  /** React Flow's nodes and edges, derived from `doc`, findings and selection (plus measured sizes). */
  nodes: EditorFlowNode[];
  edges: EditorFlowEdge[];
  selectedNodes: string[];
  selectedEdges: string[];
  /** The compiler's findings on the document as it is now (the browser compiles as you edit). */
  diagnostics: Diagnostic[];
  findings: Findings;
  /** The plan of that same compile when the document compiles (the timeline and the simulator read it), else null. */
  plan: ExecutablePlan | null;
  /** A simulated path drawn over the canvas (the simulate panel sets it), or null. */
  simulation: RunOverlay | null;
  /** Earlier documents (undo) and undone ones (redo), as whole snapshots. */
  past: PlaybookDocument[];
  future: PlaybookDocument[];
  clipboard: Clipboard | null;
  /** A refused connection's reason, or a passing note. */
  notice: Notice | null;
  readOnly: boolean;
  /** Raised by each edit of the document (autosave saves when it moves). */
  edits: number;
  /** A request to bring a node into view (the problems list sets it). */
  focus: { nodeId: string; seq: number } | null;
}

export interface EditorActions {
  onNodesChange: (changes: NodeChange<EditorFlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<EditorFlowEdge>[]) => void;
  /** Adds a node where it was dropped; returns its id. */
  addNodeAt: (type: NodeType, position: Point) => string | null;
  /** Adds a node after the selected one (or below the last), connected; returns its id. */
  insertNode: (type: NodeType) => string | null;
  /**
   * Connects two nodes (in place of `replacing`, when an output is pointed elsewhere); false, and a
   * notice saying why, when the connection would be invalid.
   */
  connect: (connection: Connection, replacing?: string) => boolean;
  /** Removes one connection (the side panel's "disconnect"). */
  removeEdge: (edgeId: string) => void;
  updateNodeData: (id: string, data: Record<string, unknown>) => void;
  removeSelected: () => void;
  select: (nodeIds: string[], edgeIds?: string[]) => void;
  focusNode: (nodeId: string) => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  applyPositions: (positions: Record<string, Point>) => void;
  setDiagnostics: (diagnostics: Diagnostic[], plan?: ExecutablePlan | null) => void;
  setSimulation: (overlay: RunOverlay | null) => void;
  /** Loads a document: a reload from the server, an import, a template. */
  replaceDocument: (doc: PlaybookDocument, options?: { keepHistory?: boolean }) => void;
  setNotice: (notice: Notice | null) => void;
  setReadOnly: (readOnly: boolean) => void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

export function createEditorStore(initial: PlaybookDocument, options: { readOnly?: boolean; diagnostics?: Diagnostic[] } = {}): EditorStore {
  return createStore<EditorState & EditorActions>()((set, get) => {
    /** Recomputes the canvas from the document, findings and selection. */
    const view = (s: Pick<EditorState, 'doc' | 'findings' | 'selectedNodes' | 'selectedEdges' | 'nodes' | 'edges'>) => ({
      nodes: syncFlowNodes(s.nodes, s.doc, s.findings, new Set(s.selectedNodes)),
      edges: syncFlowEdges(s.edges, s.doc, s.findings, new Set(s.selectedEdges)),
    });

    /** Makes `doc` the document, the one before it undoable. */
    const commit = (doc: PlaybookDocument, extra: Partial<EditorState> = {}, before = get().doc) => {
      const s = get();
      if (s.readOnly || doc === s.doc) return;
      const next = { ...s, ...extra, doc };
      set({ ...extra, doc, past: [...s.past, before].slice(-HISTORY_LIMIT), future: [], edits: s.edits + 1, ...view(next) });
    };

    const findings = findingsOf(options.diagnostics ?? []);
    return {
      doc: initial,
      ...view({ doc: initial, findings, selectedNodes: [], selectedEdges: [], nodes: [], edges: [] }),
      selectedNodes: [],
      selectedEdges: [],
      diagnostics: options.diagnostics ?? [],
      findings,
      plan: null,
      simulation: null,
      past: [],
      future: [],
      clipboard: null,
      notice: null,
      readOnly: options.readOnly ?? false,
      edits: 0,
      focus: null,

      onNodesChange: (changes) => {
        const s = get();
        // Removal goes through removeSelected (Delete key, with undo); React Flow's own is off.
        const kept = changes.filter((c) => c.type !== 'remove' && (!s.readOnly || c.type === 'dimensions' || c.type === 'select'));
        if (kept.length === 0) return;
        let selected: Set<string> | null = null;
        const moved: Record<string, Point> = {};
        for (const c of kept) {
          if (c.type === 'select') {
            selected ??= new Set(s.selectedNodes);
            if (c.selected) selected.add(c.id);
            else selected.delete(c.id);
          }
          if (c.type === 'position' && c.dragging === false && c.position) moved[c.id] = c.position;
        }
        const nodes = carryOver(s.nodes, applyNodeChanges(kept, s.nodes));
        const selectedNodes = selected ? [...selected] : s.selectedNodes;
        set({ nodes, selectedNodes });
        // A drag ends: its positions go into the document, as one undoable edit.
        if (Object.keys(moved).length) commit(moveNodes(get().doc, moved));
        else if (selected) set(view({ ...get() }));
      },

      onEdgesChange: (changes) => {
        const s = get();
        const kept = changes.filter((c) => c.type === 'select');
        if (kept.length === 0) return;
        const selected = new Set(s.selectedEdges);
        for (const c of kept) {
          if (c.type !== 'select') continue;
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
        set({ edges: applyEdgeChanges(kept, s.edges), selectedEdges: [...selected] });
        set(view({ ...get() }));
      },

      addNodeAt: (type, position) => {
        if (get().readOnly) return null;
        const { doc, id } = addNode(get().doc, type, freeSpot(get().doc, position));
        commit(doc, { selectedNodes: [id], selectedEdges: [] });
        return id;
      },

      insertNode: (type) => {
        const s = get();
        if (s.readOnly) return null;
        const after = s.selectedNodes.length === 1 ? s.selectedNodes[0] : (s.doc.nodes.at(-1)?.id ?? null);
        const { doc, id } = insertAfter(s.doc, after, type);
        commit(doc, { selectedNodes: [id], selectedEdges: [], focus: { nodeId: id, seq: (s.focus?.seq ?? 0) + 1 } });
        return id;
      },

      connect: (connection, replacing) => {
        if (get().readOnly) return false;
        const result = connect(replacing ? removeElements(get().doc, [], [replacing]) : get().doc, connection);
        if ('problem' in result) {
          set({ notice: { kind: 'refused', text: result.problem } });
          return false;
        }
        commit(result.doc, { notice: null });
        return true;
      },

      removeEdge: (edgeId) => commit(removeElements(get().doc, [], [edgeId]), { selectedEdges: get().selectedEdges.filter((id) => id !== edgeId) }),

      updateNodeData: (id, data) => commit(setNodeData(get().doc, id, data)),

      removeSelected: () => {
        const s = get();
        commit(removeElements(s.doc, s.selectedNodes, s.selectedEdges), { selectedNodes: [], selectedEdges: [] });
      },

      select: (nodeIds, edgeIds = []) => {
        const s = get();
        const next = { ...s, selectedNodes: nodeIds, selectedEdges: edgeIds };
        set({ selectedNodes: nodeIds, selectedEdges: edgeIds, ...view(next) });
      },

      focusNode: (nodeId) => {
        const s = get();
        const next = { ...s, selectedNodes: [nodeId], selectedEdges: [] };
        set({ selectedNodes: [nodeId], selectedEdges: [], focus: { nodeId, seq: (s.focus?.seq ?? 0) + 1 }, ...view(next) });
      },

      undo: () => {
        const s = get();
        const doc = s.past.at(-1);
        if (!doc || s.readOnly) return;
        const ids = new Set(doc.nodes.map((n) => n.id));
        const next = { ...s, doc, selectedNodes: s.selectedNodes.filter((id) => ids.has(id)), selectedEdges: [] };
        set({ doc, past: s.past.slice(0, -1), future: [s.doc, ...s.future], edits: s.edits + 1, selectedNodes: next.selectedNodes, selectedEdges: [], ...view(next) });
      },

      redo: () => {
        const s = get();
        const doc = s.future[0];
        if (!doc || s.readOnly) return;
        const ids = new Set(doc.nodes.map((n) => n.id));
        const next = { ...s, doc, selectedNodes: s.selectedNodes.filter((id) => ids.has(id)), selectedEdges: [] };
        set({ doc, past: [...s.past, s.doc].slice(-HISTORY_LIMIT), future: s.future.slice(1), edits: s.edits + 1, selectedNodes: next.selectedNodes, selectedEdges: [], ...view(next) });
      },

      copy: () => {
        const clip = copyElements(get().doc, get().selectedNodes);
        if (clip) set({ clipboard: clip, notice: { kind: 'info', text: `Copied ${clip.nodes.length} step${clip.nodes.length === 1 ? '' : 's'}` } });
      },

      paste: () => {
        const s = get();
        if (!s.clipboard || s.readOnly) return;
        const { doc, ids } = pasteElements(s.doc, s.clipboard);
        commit(doc, { selectedNodes: ids, selectedEdges: [] });
      },

      applyPositions: (positions) => commit(moveNodes(get().doc, positions)),

      setDiagnostics: (diagnostics, plan = null) => {
        const s = get();
        const next = { ...s, findings: findingsOf(diagnostics) };
        set({ diagnostics, findings: next.findings, plan, ...view(next) });
      },

      setSimulation: (simulation) => set({ simulation }),

      replaceDocument: (doc, { keepHistory = false } = {}) => {
        const s = get();
        const ids = new Set(doc.nodes.map((n) => n.id));
        const next = { ...s, doc, selectedNodes: s.selectedNodes.filter((id) => ids.has(id)), selectedEdges: [] };
        set({
          doc,
          selectedNodes: next.selectedNodes,
          selectedEdges: [],
          past: keepHistory ? [...s.past, s.doc].slice(-HISTORY_LIMIT) : [],
          future: [],
          edits: keepHistory ? s.edits + 1 : s.edits,
          ...view(next),
        });
      },

      setNotice: (notice) => set({ notice }),
      setReadOnly: (readOnly) => set({ readOnly }),
    };
  });
}
