import type { Diagnostic } from '@cairn/playbook';

/** One diagnostic per line: severity, code, where (path and node or edge), message. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.path || '(document)', d.nodeId ? `node ${d.nodeId}` : '', d.edgeId ? `edge ${d.edgeId}` : ''].filter(Boolean).join(', ');
  return `  ${d.severity.padEnd(7)} ${d.code.padEnd(28)} ${where}\n          ${d.message}`;
}

export function summary(file: string, diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (!diagnostics.length) return `${file}: valid`;
  return `${file}: ${errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'valid'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
}
