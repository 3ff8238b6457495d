import { useMemo } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { PlaybookCanvas } from '../canvas/PlaybookCanvas';
import { formatTime, Problem } from '../layout/Layout';
import { runStates } from './run-states';

export function RunPage() {
  const { id = '' } = useParams();
  const run = useResource(() => api.run(id), [id], 2_000);
  const running = run.data?.status === 'running';
  // The canvas shows the version the run started on, not today's draft.
  const versionId = run.data?.playbookVersionId;
  const version = useResource(() => (versionId ? api.version(versionId) : Promise.resolve(null)), [versionId]);
  const states = useMemo(() => (run.data ? runStates(run.data) : {}), [run.data]);
  const data = run.data;

  return (
    <section className="page-canvas">
      <Problem error={run.error ?? version.error} />
      {data && (
        <>
          <div className="page-head">
            <h1>
              {data.accountName} · {data.playbookName}
            </h1>
            <span className={`status status-${data.status}`} data-testid="run-status">
              {data.status}
            </span>
            <span className="pill">v{data.version}</span>
            {running && <span className="muted">refreshing every 2 s</span>}
          </div>
          <p className="muted">
            Enrolled {formatTime(data.startedAt)}
            {data.reason ? ` · ${data.reason}` : ''} · on step <strong>{data.currentNodeId ?? '—'}</strong>
            · plan {data.planHash.slice(0, 12)}
          </p>
          {version.data && <PlaybookCanvas document={version.data.document} states={states} />}
          <h2>History</h2>
          <table className="table" data-testid="run-history">
            <thead>
              <tr>
                <th>Step</th>
                <th>Type</th>
                <th>Status</th>
                <th>Outcome</th>
                <th>Why</th>
                <th>Started</th>
                <th>Completed</th>
              </tr>
            </thead>
            <tbody>
              {data.steps.map((s) => (
                <tr key={s.id}>
                  <td>{s.nodeId}</td>
                  <td>{s.nodeType}</td>
                  <td>{s.status}</td>
                  <td>{s.outcome ?? '—'}</td>
                  <td>{s.reason ?? ''}</td>
                  <td>{formatTime(s.startedAt)}</td>
                  <td>{formatTime(s.completedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
