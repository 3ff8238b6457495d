import type { Diagnostic } from '@cairn/playbook';
import type { Issue } from '../common/errors';

/** Compiler diagnostics as API issues: the path inside the document, plus the node or edge. */
export function toIssues(diagnostics: readonly Diagnostic[]): Issue[] {
  return diagnostics.map((d) => ({
    path: d.path,
    message: d.message,
    code: d.code,
    ...(d.nodeId !== undefined ? { nodeId: d.nodeId } : {}),
    ...(d.edgeId !== undefined ? { edgeId: d.edgeId } : {}),
  }));
}

/** How many of the diagnostics block publishing. */
export const countErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').length;
