import { useEditor } from './context';

/** Everything the compiler finds in the draft; a problem on a step focuses and selects it. */
export function ProblemsPanel() {
  const { diagnostics, focusNode, select } = useEditor((s) => ({ diagnostics: s.diagnostics, focusNode: s.focusNode, select: s.select }));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="problems" aria-label="Problems" data-testid="problems">
      <h2>
        Problems{' '}
        <span className={`pill ${errors ? 'pill-error' : 'pill-ok'}`} data-testid="problem-count">
          {errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'ready to publish'}
          {warnings ? ` · ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}
        </span>
      </h2>
      {diagnostics.length === 0 ? (
        <p className="muted">No problems: the playbook compiles.</p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => (
            <li key={`${d.code}-${d.path}-${i}`} className={`problem-item severity-${d.severity}`}>
              {d.nodeId ? (
                <button type="button" className="link" onClick={() => (d.edgeId ? select([], [d.edgeId]) : focusNode(d.nodeId as string))}>
                  {d.message}
                </button>
              ) : (
                <span>{d.message}</span>
              )}
              <span className="muted"> · {d.code}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
