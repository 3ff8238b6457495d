import { type NodeDefinition, nodeDefinition, type NodeType, nodeTypes, TEMPLATE_FIELDS } from '@cairn/playbook';
import { nodeDetail } from '../canvas/node-types';
import { describeNodeData, type FieldDescriptor } from './schema-fields';

/**
 * The editor's one registry: per node type, what the palette lists, the canvas draws and the side
 * panel edits, all derived from the node registry of @cairn/playbook (label, description,
 * category, schema, defaults, outputs) and the canvas's detail line. Nothing is copied here.
 */
export interface EditorNodeType {
  type: NodeType;
  label: string;
  description: string;
  category: NodeDefinition['category'];
  definition: NodeDefinition;
  /** The data a new node of this type starts with (valid: the catalogue spec checks it). */
  defaults: () => Record<string, unknown>;
  /** The side panel's form. */
  form: FieldDescriptor;
  /** The one line the canvas shows, or '' while the data does not validate. */
  detail: (data: unknown) => string;
}

export const editorNodeTypes: Record<NodeType, EditorNodeType> = Object.fromEntries(
  nodeTypes.map((type) => {
    const definition = nodeDefinition(type);
    const entry: EditorNodeType = {
      type,
      label: definition.label,
      description: definition.description,
      category: definition.category,
      definition,
      defaults: () => JSON.parse(JSON.stringify(definition.defaults)) as Record<string, unknown>,
      form: describeNodeData(definition.dataSchema, TEMPLATE_FIELDS[type] ?? []),
      detail: (data) => {
        const parsed = definition.dataSchema.safeParse(data);
        return parsed.success ? nodeDetail(type, parsed.data) : '';
      },
    };
    return [type, entry];
  }),
) as Record<NodeType, EditorNodeType>;

const CATEGORY_ORDER: Record<EditorNodeType['category'], number> = { start: 0, timing: 1, human: 2, touch: 3, flow: 4 };
export const CATEGORY_NAMES: Record<EditorNodeType['category'], string> = { start: 'Start', timing: 'Timing', human: 'Human touch', touch: 'Touches', flow: 'Flow' };

/** The palette: node types matching `query` (label, type or description), grouped by category. */
export function paletteEntries(query: string): EditorNodeType[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return Object.values(editorNodeTypes)
    .filter((entry) => {
      const text = `${entry.label} ${entry.type} ${entry.description} ${CATEGORY_NAMES[entry.category]}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] || nodeTypes.indexOf(a.type) - nodeTypes.indexOf(b.type));
}
