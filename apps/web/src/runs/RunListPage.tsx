import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { formatTime, Problem } from '../layout/Layout';
import { Pager, usePager } from '../layout/Pager';
import { RunStatus } from './RunStatus';

export function RunListPage() {
  const pager = usePager();
  const { data, error } = useResource(() => api.runs({ cursor: pager.cursor }), [pager.cursor], 5_000);
  return (
    <section>
      <h1>Runs</h1>
      <Problem error={error} />
      <table className="table">
        <thead>
          <tr>
            <th>Account</th>
            <th>Playbook</th>
            <th>Status</th>
            <th>On step</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/runs/${r.id}`}>{r.accountName}</Link>
              </td>
              <td>
                {r.playbookName} <span className="muted">v{r.version}</span>
              </td>
              <td>
                <RunStatus status={r.status} />
              </td>
              <td>{r.currentNodeId ?? '—'}</td>
              <td>{formatTime(r.startedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager pager={pager} nextCursor={data?.nextCursor} />
      {data?.items.length === 0 && pager.first && <p className="muted">No runs yet: enroll an account in a published playbook.</p>}
    </section>
  );
}
