import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { formatTime } from '../layout/Layout';
import { Pager, usePager } from '../layout/Pager';
import { Empty, ErrorState, Loading } from '../layout/States';
import { NewPlaybookDialog } from './NewPlaybookDialog';

export function PlaybookListPage() {
  const pager = usePager();
  const { data, error, reload } = useResource(() => api.playbooks({ cursor: pager.cursor }), [pager.cursor]);
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div className="page-head">
        <h1>Playbooks</h1>
        {can('playbooks:write') && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New playbook
          </button>
        )}
      </div>
      {creating && <NewPlaybookDialog onClose={() => setCreating(false)} />}
      {error && <ErrorState error={error} onRetry={reload} />}
      {!data && !error && <Loading what="Loading playbooks" />}
      {data && data.items.length === 0 && pager.first && (
        <Empty>{can('playbooks:write') ? 'No playbooks yet: create one with New playbook (from a template or blank).' : 'No playbooks yet: CS ops design them.'}</Empty>
      )}
      {data && data.items.length > 0 && (
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Published</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/playbooks/${p.id}`}>{p.name}</Link>
                <div className="muted">{p.description}</div>
              </td>
              <td>{p.kind}</td>
              <td>{p.latestVersion ? `v${p.latestVersion}` : 'draft only'}</td>
              <td>{formatTime(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <Pager pager={pager} nextCursor={data?.nextCursor} />
    </section>
  );
}
