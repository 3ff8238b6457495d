import type { PlaybookDocument } from '@cairn/playbook';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { NODE_HEIGHT, NODE_WIDTH, type Point } from '../canvas/layout';
import { nodeOutputs } from './document-edits';

/** Layered, top to bottom, edges leaving each node by its output ports in order (left to right). */
const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.nodeNode': '50',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.semiInteractive': 'true',
} as const;

/** The ELK graph of a document: each node with its measured size (or the default) and one port per output. */
export function elkGraph(doc: PlaybookDocument, sizes: Readonly<Record<string, { width: number; height: number }>> = {}): ElkNode {
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: doc.nodes.map((node) => {
      const outputs = nodeOutputs(node);
      const size = sizes[node.id] ?? { width: Math.max(NODE_WIDTH, outputs.length * 80), height: NODE_HEIGHT };
      return {
        id: node.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: outputs.map((o, i) => ({ id: `${node.id}::${o.handle}`, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(i) } })),
      };
    }),
    edges: doc.edges
      .filter((e) => doc.nodes.some((n) => n.id === e.source) && doc.nodes.some((n) => n.id === e.target))
      .map((e) => {
        const source = doc.nodes.find((n) => n.id === e.source);
        const handle = e.sourceHandle ?? (source ? nodeOutputs(source)[0]?.handle : undefined);
        return { id: e.id, sources: [handle ? `${e.source}::${handle}` : e.source], targets: [e.target] };
      }),
  };
}

/** Node positions (top-left, whole pixels) from ELK's answer. */
export function positionsFromElk(result: ElkNode): Record<string, Point> {
  return Object.fromEntries((result.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
}

type ElkModule = { default: new () => { layout: (graph: ElkNode) => Promise<ElkNode> } };

/** Lays the document out with ELK (loaded on first use: it is a large script). */
export async function elkLayout(
  doc: PlaybookDocument,
  sizes?: Record<string, { width: number; height: number }>,
  // The bundle's typings differ between the app's and the specs' module resolution: its shape is all we use.
  load: () => Promise<ElkModule> = () => import('elkjs/lib/elk.bundled.js') as unknown as Promise<ElkModule>,
): Promise<Record<string, Point>> {
  const { default: ELK } = await load();
  const elk = new ELK();
  return positionsFromElk(await elk.layout(elkGraph(doc, sizes)));
}
