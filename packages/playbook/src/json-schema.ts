import { z } from 'zod';
import { audienceSchema, CURRENT_SCHEMA_VERSION, playbookDocumentSchema, playbookEdgeSchema, playbookKindSchema, playbookSettingsSchema, positionSchema } from './document';
import { nodeRegistry } from './nodes/registry';

/**
 * The document schema with each node's `data` tied to its type, for editors and other tools
 * (VS Code, CI linters). The compiler checks node data per type itself; this is the same rules,
 * generated from the same zod schemas.
 */
function typedDocumentSchema() {
  const nodeVariants = Object.values(nodeRegistry).map((definition) =>
    z
      .object({ id: z.string(), type: z.literal(definition.type), position: positionSchema, data: definition.dataSchema })
      .strict()
      .describe(`${definition.label}: ${definition.description}`),
  );
  return z
    .object({
      schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
      key: playbookDocumentSchema.shape.key,
      name: playbookDocumentSchema.shape.name,
      description: playbookDocumentSchema.shape.description,
      kind: playbookKindSchema.optional(),
      audience: audienceSchema.optional(),
      settings: playbookSettingsSchema.optional(),
      nodes: z.array(z.union(nodeVariants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])),
      edges: z.array(playbookEdgeSchema),
    })
    .strict();
}

/** JSON Schema (draft 2020-12) of a `*.playbook.json` document. */
export function playbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(typedDocumentSchema(), { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'https://cairn.dev/schemas/playbook.schema.json', title: 'Cairn playbook', ...schema };
}
