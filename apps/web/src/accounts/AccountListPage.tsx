import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { Problem } from '../layout/Layout';
import { Pager, usePager } from '../layout/Pager';

const humanize = (value: string) => value.replaceAll('_', ' ');

export function AccountListPage() {
  const pager = usePager();
  const { data, error } = useResource(() => api.accounts({ cursor: pager.cursor }), [pager.cursor]);
  return (
    <section>
      <h1>Accounts</h1>
      <Problem error={error} />
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
      <Pager pager={pager} nextCursor={data?.nextCursor} />
    </section>
  );
}
