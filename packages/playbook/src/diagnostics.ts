import { z } from 'zod';

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  /** Stable machine code, e.g. `node.invalid_data`; documented in docs/playbook-language.md. */
  code: z.string(),
  /** Written for a CS ops person, not a developer. */
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Path inside the document, e.g. `nodes[2].data.duration`. */
  path: z.string(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

/** Formats a zod issue path (`['nodes', 2, 'data', 'duration']`) as `nodes[2].data.duration`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}
