import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { Pager, usePager } from '../layout/Pager';
import { Empty, ErrorState, Loading } from '../layout/States';

const humanize = (value: string) => value.replaceAll('_', ' ');

export function AccountListPage() {
  const pager = usePager();
  const { data, error, reload } = useResource(() => api.accounts({ cursor: pager.cursor }), [pager.cursor]);
  return (
    <section>
      <h1>Accounts</h1>
      {error && <ErrorState error={error} onRetry={reload} />}
      {!data && !error && <Loading what="Loading accounts" />}
      {data && data.items.length === 0 && pager.first && <Empty>No accounts yet: import them (CSV) or create them through the API.</Empty>}
      {data && data.items.length > 0 && (
      <table className="table">
        <thead>
          <tr>
            <th>Account</th>
            <th>Segment</th>
            <th>CSM</th>
            <th>People map</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/accounts/${a.id}`}>{a.name}</Link>
              </td>
              <td>
                <span className="pill">{a.segment.name}</span>
              </td>
              <td>{a.csm?.name ?? <span className="muted">unassigned</span>}</td>
              <td className="muted">{a.stakeholders.map((s) => `${s.name} (${humanize(s.role)})`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <Pager pager={pager} nextCursor={data?.nextCursor} />
    </section>
  );
}
