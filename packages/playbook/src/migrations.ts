import type { Diagnostic } from './diagnostics';
import { CURRENT_SCHEMA_VERSION } from './document';

type Json = Record<string, unknown>;

/** Lifts a document from version N to N + 1; pure, and never loses what it does not understand. */
const migrations: Record<number, (doc: Json) => Json> = {
  /** v2: a wait says which kind it is (`mode`); v1 waits were all fixed durations. */
  1: (doc) => ({
    ...doc,
    schemaVersion: 2,
    nodes: Array.isArray(doc.nodes)
      ? doc.nodes.map((node: Json) =>
          node && node.type === 'wait' && node.data && typeof node.data === 'object' && !('mode' in (node.data as Json))
            ? { ...node, data: { mode: 'duration', ...(node.data as Json) } }
            : node,
        )
      : doc.nodes,
  }),
};

export type MigrationResult = { ok: true; document: unknown; from: number } | { ok: false; diagnostic: Diagnostic };

/** Brings a document of any supported schemaVersion to the current one (other input passes through). */
export function migrateDocument(input: unknown): MigrationResult {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: true, document: input, from: CURRENT_SCHEMA_VERSION };
  const from = (input as Json).schemaVersion;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) return { ok: true, document: input, from: CURRENT_SCHEMA_VERSION };
  if (from > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'document.newer_version',
        message: `This playbook was written for schema version ${from}; this Cairn understands up to ${CURRENT_SCHEMA_VERSION}. Upgrade Cairn to open it.`,
        path: 'schemaVersion',
      },
    };
  }
  let doc = input as Json;
  for (let version = from; version < CURRENT_SCHEMA_VERSION; version++) doc = migrations[version](doc);
  return { ok: true, document: doc, from };
}
