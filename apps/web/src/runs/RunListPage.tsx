import { runStatusSchema } from '@cairn/contracts';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { formatTime } from '../layout/Layout';
import { Pager, usePager } from '../layout/Pager';
import { Empty, ErrorState, Loading } from '../layout/States';
import { RunStatus } from './RunStatus';

type Filters = { status?: string; playbookId?: string; accountId?: string };

/** One filtered list; a new filter mounts a new one, so paging starts again from the first page. */
function RunTable({ filters }: { filters: Filters }) {
  const pager = usePager();
  const { data, error, reload } = useResource(() => api.runs({ ...filters, cursor: pager.cursor }), [pager.cursor], 5_000);
  const filtered = Boolean(filters.status || filters.playbookId || filters.accountId);
  return (
    <>
      {error && <ErrorState error={error} onRetry={reload} />}
      {!data && !error && <Loading what="Loading runs" />}
      {data && data.items.length === 0 && pager.first && <Empty>{filtered ? 'No run matches these filters.' : 'No runs yet: enroll an account in a published playbook.'}</Empty>}
      {data && data.items.length > 0 && (
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
            {data.items.map((r) => (
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
      )}
      <Pager pager={pager} nextCursor={data?.nextCursor} />
    </>
  );
}

export function RunListPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = { status: params.get('status') ?? undefined, playbookId: params.get('playbookId') ?? undefined, accountId: params.get('accountId') ?? undefined };
  const playbooks = useResource(() => api.playbooks({ limit: 200 }), []);
  const accounts = useResource(() => api.accounts({ limit: 200 }), []);
  const set = (key: keyof Filters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  return (
    <section>
      <h1>Runs</h1>
      <form className="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            {runStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Playbook
          <select value={filters.playbookId ?? ''} onChange={(e) => set('playbookId', e.target.value)}>
            <option value="">Any</option>
            {(playbooks.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Account
          <select value={filters.accountId ?? ''} onChange={(e) => set('accountId', e.target.value)}>
            <option value="">Any</option>
            {(accounts.data?.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        {(playbooks.error || accounts.error) && <span className="muted">Some filter choices could not be loaded: {playbooks.error ?? accounts.error}</span>}
      </form>
      <RunTable key={JSON.stringify(filters)} filters={filters} />
    </section>
  );
}
