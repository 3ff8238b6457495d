/** Where the Temporal UI runs unless `VITE_TEMPORAL_UI_URL` says otherwise (`npm start`'s dev server UI). */
export const DEFAULT_TEMPORAL_UI_URL = 'http://localhost:8233';

/** The Temporal UI page of a run's workflow: `<base>/namespaces/<ns>/workflows/<workflowId>`. */
export function temporalWorkflowUrl(workflowId: string, base: string | undefined, namespace: string | undefined): string {
  const root = (base?.trim() || DEFAULT_TEMPORAL_UI_URL).replace(/\/+$/, '');
  return `${root}/namespaces/${encodeURIComponent(namespace?.trim() || 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}
