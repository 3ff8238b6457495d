import type { Account, Run, RunAction, SentEmail, StoredEvent, SuccessPlan } from '@cairn/contracts';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { formatTime } from '../layout/Layout';
import { Empty, ErrorState, Loading, ResourceView } from '../layout/States';
import { EnrollAccountDialog } from '../playbooks/EnrollAccountDialog';
import { RunStatus } from '../runs/RunStatus';
import { formatMoney, MILESTONE_RULE, MILESTONE_WORDS, type MilestoneState, mergeTimeline, milestoneRows, peopleMap, worstState } from './account-logic';

/** How many of the account's most recent runs the page reads in full (milestones, actions, emails). */
const RUNS_READ = 10;
const EVENTS_PAGE = 20;

function MilestoneBadge({ state }: { state: MilestoneState }) {
  return (
    <span className={`pill ms-${state}`} data-testid="milestone-state">
      {MILESTONE_WORDS[state]}
    </span>
  );
}

function Header({ account }: { account: Account }) {
  const a = account.attributes;
  const { can } = useAuth();
  const [enrolling, setEnrolling] = useState(false);
  return (
    <>
      {enrolling && <EnrollAccountDialog account={account} onClose={() => setEnrolling(false)} />}
      <div className="page-head">
        <h1>{account.name}</h1>
        {can('runs:enroll') && (
          <button type="button" onClick={() => setEnrolling(true)}>
            Enroll in playbook…
          </button>
        )}
        {account.health ? (
          <span className={`pill health-${account.health.status}`}>
            Health {account.health.status}
            {account.health.score !== null ? ` · ${account.health.score}` : ''}
          </span>
        ) : (
          <span className="pill">No health rating</span>
        )}
      </div>
      <dl className="facts" aria-label="Account facts">
        <div>
          <dt>ARR</dt>
          <dd>{formatMoney(a.arr)}</dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd>{a.plan ?? '—'}</dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>{typeof a.renewal_date === 'string' ? a.renewal_date : '—'}</dd>
        </div>
        <div>
          <dt>CSM</dt>
          <dd>{account.csm?.name ?? 'unassigned'}</dd>
        </div>
        <div>
          <dt>Segment</dt>
          <dd>{account.segment.name}</dd>
        </div>
        <div>
          <dt>Lifecycle</dt>
          <dd>{typeof a.lifecycle_stage === 'string' ? a.lifecycle_stage.replaceAll('_', ' ') : '—'}</dd>
        </div>
      </dl>
    </>
  );
}

function PeopleMap({ account }: { account: Account }) {
  const { groups, gaps } = peopleMap(account.stakeholders);
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">People map</h2>
      {gaps.map((g) => (
        <p key={g.role} className="gap" role="note">
          No {g.label.toLowerCase()}: plays that go to the {g.label.toLowerCase()} have nobody to reach.
        </p>
      ))}
      {groups.length === 0 ? (
        <Empty>Nobody in the people map yet.</Empty>
      ) : (
        <dl className="people">
          {groups.map((g) => (
            <div key={g.role}>
              <dt>{g.label}</dt>
              {g.people.map((p) => (
                <dd key={p.id}>
                  {p.name}
                  {p.isPrimary && g.people.length > 1 ? ' (primary)' : ''} <span className="muted">{[p.title, p.email].filter(Boolean).join(' · ')}</span>
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Milestones({ runs }: { runs: Run[] }) {
  const rows = milestoneRows(runs);
  const worst = worstState(rows);
  return (
    <section aria-labelledby="milestones-title">
      <h2 id="milestones-title">Milestones {worst && <MilestoneBadge state={worst} />}</h2>
      <p className="muted">{MILESTONE_RULE}</p>
      {rows.length === 0 ? (
        <Empty>No milestone reached or missed yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Milestone</th>
              <th>State</th>
              <th>Day (target)</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={`${m.runId}-${m.name}-${m.day}`}>
                <td>
                  {m.name}
                  <div className="muted">
                    <Link to={`/runs/${m.runId}`}>{m.playbookName}</Link>
                  </div>
                </td>
                <td>
                  <MilestoneBadge state={m.state} />
                </td>
                <td>
                  {Math.round(m.day)} ({m.targetDay})
                </td>
                <td>{m.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ActiveRuns({ runs }: { runs: Run[] }) {
  const active = runs.filter((r) => r.status === 'running');
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Active runs</h2>
      {active.length === 0 ? (
        <Empty>No playbook is running for this account.</Empty>
      ) : (
        <ul className="plain">
          {active.map((r) => (
            <li key={r.id}>
              <Link to={`/runs/${r.id}`}>
                {r.playbookName} v{r.version}
              </Link>{' '}
              <RunStatus status={r.status} /> <span className="muted">since {formatTime(r.startedAt)}</span>
              {r.live?.active[0] && (
                <div className="muted">
                  On “{r.live.active[0].label}”{r.live.active[0].waitingFor ? `, waiting for ${r.live.active[0].waitingFor}` : ''}
                  {r.live.active[0].until ? ` until ${formatTime(r.live.active[0].until)}` : ''}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ accountId, runs, emails }: { accountId: string; runs: Run[]; emails: SentEmail[] }) {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  async function load(from: string | undefined) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.accountEvents(accountId, { limit: EVENTS_PAGE, cursor: from });
      setEvents((before) => (from ? [...before, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }
  // The first page, once per account; older pages are appended on request.
  useEffect(() => {
    void load(undefined);
  }, [accountId]);

  const actions: Array<RunAction & { runId: string }> = runs.flatMap((r) => r.actions.map((a) => ({ ...a, runId: r.id })));
  const entries = mergeTimeline({ events, moreEvents: Boolean(cursor), emails, actions });
  return (
    <section aria-labelledby="timeline-title" className="wide">
      <h2 id="timeline-title">Timeline</h2>
      {error && <ErrorState error={error} onRetry={() => void load(cursor ?? undefined)} />}
      {!error && loading && events.length === 0 && <Loading what="Loading the timeline" />}
      {!loading && !error && entries.length === 0 && <Empty>No touches or events yet.</Empty>}
      {entries.length > 0 && (
        <ol className="timeline" aria-label="Touches and events, newest first">
          {entries.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <span className="muted">{formatTime(e.at)}</span>
              <span className={`pill kind-${e.kind}`}>{e.kind === 'email' ? 'Email' : e.kind === 'action' ? 'Action' : 'Event'}</span>
              <span>
                {e.title}
                {e.runId && (
                  <>
                    {' '}
                    · <Link to={`/runs/${e.runId}`}>run</Link>
                  </>
                )}
                {e.detail && <div className="muted">{e.detail}</div>}
              </span>
            </li>
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" disabled={loading} onClick={() => void load(cursor)}>
          Older events
        </button>
      )}
    </section>
  );
}

function SuccessPlanView({ plan }: { plan: SuccessPlan }) {
  const accountabilities = [...plan.accountabilities.ours.map((a) => ({ ...a, side: 'Us' })), ...plan.accountabilities.customer.map((a) => ({ ...a, side: 'Customer' }))];
  return (
    <section aria-labelledby="plan-title" className="wide">
      <h2 id="plan-title">Success plan</h2>
      <p>
        <strong>Strategy:</strong> {plan.strategy || <span className="muted">not written yet</span>}
      </p>
      <p className="muted">
        {plan.summary.green} green · {plan.summary.red} red · {plan.summary.agreed} agreed with the customer
      </p>
      {plan.objectives.length === 0 ? (
        <Empty>No objectives yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Objective</th>
              <th>Status</th>
              <th>Why</th>
              <th>Agreed</th>
            </tr>
          </thead>
          <tbody>
            {plan.objectives.map((o) => (
              <tr key={o.id}>
                <td>
                  {o.title}
                  {o.targetDate && <div className="muted">by {o.targetDate}</div>}
                </td>
                <td className={`objective-${o.status}`}>{o.status === 'green' ? 'Green' : 'Red'}</td>
                <td>
                  {o.statusReason}
                  {o.override && <div className="muted">Set by {o.override.by}{o.override.note ? `: ${o.override.note}` : ''}</div>}
                </td>
                <td>{o.agreement ? `${o.agreement.name}, ${formatTime(o.agreement.agreedAt)}` : <span className="muted">not yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Joint accountabilities</h3>
      {accountabilities.length === 0 ? (
        <Empty>No tasks on either side yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Task</th>
              <th>Side</th>
              <th>Status</th>
              <th>Due</th>
            </tr>
          </thead>
          <tbody>
            {accountabilities.map((t) => (
              <tr key={t.taskId}>
                <td>
                  {t.title} <span className="muted">({t.ownerRole})</span>
                </td>
                <td>{t.side}</td>
                <td className={t.overdue ? 'gap' : undefined}>{t.overdue ? 'overdue' : t.status}</td>
                <td>{formatTime(t.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The runs of an account in full (the most recent few), with the emails they sent. */
async function loadRuns(accountId: string): Promise<{ runs: Run[]; emails: SentEmail[] }> {
  const page = await api.runs({ accountId, limit: RUNS_READ });
  const runs = await Promise.all(page.items.map((r) => api.run(r.id)));
  const emails = (await Promise.all(runs.map((r) => api.runEmails(r.id)))).flatMap((p) => p.items);
  return { runs, emails };
}

export function AccountPage() {
  const { id = '' } = useParams();
  const account = useResource(() => api.account(id), [id]);
  const runs = useResource(() => loadRuns(id), [id]);
  const plan = useResource(() => api.successPlan(id), [id]);

  return (
    <section className="account-page">
      <p className="muted">
        <Link to="/accounts">Accounts</Link> /
      </p>
      <ResourceView resource={account} what="Loading the account">
        {(a) => (
          <>
            <Header account={a} />
            <div className="account-grid">
              <PeopleMap account={a} />
              <ResourceView resource={runs} what="Loading runs and milestones">
                {({ runs: list }) => (
                  <>
                    <Milestones runs={list} />
                    <ActiveRuns runs={list} />
                  </>
                )}
              </ResourceView>
              <ResourceView resource={plan} what="Loading the success plan">
                {(p) => <SuccessPlanView plan={p} />}
              </ResourceView>
              {runs.data ? <Timeline accountId={a.id} runs={runs.data.runs} emails={runs.data.emails} /> : !runs.error && <Loading what="Loading the timeline" />}
            </div>
          </>
        )}
      </ResourceView>
    </section>
  );
}
