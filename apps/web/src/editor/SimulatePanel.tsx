import type { Account } from '@cairn/contracts';
import { simulate, type SimulationResult } from '@cairn/playbook';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { Empty, ErrorState } from '../layout/States';
import { useEditor, useEditorStore } from './context';
import {
  approvalSteps,
  dayLabel,
  type DecisionRows,
  type EventRow,
  type TaskRows,
  milestoneWords,
  overlayOfSimulation,
  personTasks,
  SAMPLE_ACCOUNT,
  sampleText,
  simulationInputOf,
  snapshotOfAccount,
} from './simulate-logic';

const NEW_EVENT: EventRow = { type: '', day: '1', data: '', set: '' };
const OUTCOME_WORDS = { completed: 'Completed', exited: 'Exited', running: 'Still running' } as const;

/**
 * Simulate: an account from the API (or a sample, as editable JSON), events and approval decisions,
 * run through `simulate()` in the browser on the draft's plan (the live validation's compile). Lists
 * the path step by step with its day and reason, the milestones, and draws the path on the canvas.
 * Re-runs as the draft changes once run.
 */
export function SimulatePanel() {
  const store = useEditorStore();
  const { plan, hasErrors, focusNode } = useEditor((s) => ({ plan: s.plan, hasErrors: s.diagnostics.some((d) => d.severity === 'error'), focusNode: s.focusNode }));
  const [accountText, setAccountText] = useState(() => sampleText(SAMPLE_ACCOUNT));
  const [events, setEvents] = useState<EventRow[]>([]);
  const [decisions, setDecisions] = useState<DecisionRows>({});
  const [tasks, setTasks] = useState<TaskRows>({});
  const [submitted, setSubmitted] = useState<{ accountText: string; events: EventRow[]; decisions: DecisionRows; tasks: TaskRows } | null>(null);
  const [accounts, setAccounts] = useState<{ items: Account[] | null; error: string | null }>({ items: null, error: null });
  const [query, setQuery] = useState('');

  const loadAccounts = useCallback(async (q: string) => {
    setAccounts((a) => ({ ...a, error: null }));
    try {
      const page = await api.accounts({ q: q.trim() || undefined, limit: 50 });
      setAccounts({ items: page.items, error: null });
    } catch (e) {
      setAccounts({ items: null, error: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  const approvals = useMemo(() => (plan ? approvalSteps(plan) : []), [plan]);
  const manualTasks = useMemo(() => (plan ? personTasks(plan) : []), [plan]);
  const run = useMemo((): { result: SimulationResult } | { problems: string[] } | null => {
    if (!submitted || !plan) return null;
    const input = simulationInputOf(submitted.accountText, submitted.events, submitted.decisions, submitted.tasks);
    if (!input.ok) return { problems: input.problems };
    try {
      return { result: simulate(plan, input.input) };
    } catch (e) {
      return { problems: [e instanceof Error ? e.message : String(e)] };
    }
  }, [plan, submitted]);
  const result = run && 'result' in run ? run.result : null;

  // The path on the canvas while there is one; gone with the panel.
  useEffect(() => {
    store.getState().setSimulation(result && plan ? overlayOfSimulation(plan, result) : null);
  }, [store, plan, result]);
  useEffect(() => () => store.getState().setSimulation(null), [store]);

  const pickAccount = (id: string) => {
    const account = accounts.items?.find((a) => a.id === id);
    setAccountText(sampleText(account ? snapshotOfAccount(account) : SAMPLE_ACCOUNT));
  };
  const setEvent = (i: number, patch: Partial<EventRow>) => setEvents((list) => list.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const decisionOf = (id: string) => decisions[id] ?? { decision: 'approved' as const, afterDays: '0' };

  return (
    <details className="simulate" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && accounts.items === null && void loadAccounts('')}>
      <summary>
        <h2>Simulate</h2>
      </summary>
      <form
        aria-label="Simulate"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted({ accountText, events, decisions, tasks });
        }}
      >
        <fieldset>
          <legend>Account</legend>
          <div className="inline-form">
            <input type="search" aria-label="Find an account" placeholder="Find an account" value={query} onChange={(e) => setQuery(e.target.value)} />
            <button type="button" onClick={() => void loadAccounts(query)}>
              Find
            </button>
          </div>
          {accounts.error ? (
            <ErrorState error={accounts.error} onRetry={() => void loadAccounts(query)} />
          ) : (
            <select aria-label="Account" defaultValue="" onChange={(e) => pickAccount(e.target.value)} disabled={!accounts.items}>
              <option value="">{accounts.items ? (accounts.items.length ? 'The sample account' : 'No accounts found: the sample account') : 'Loading accounts…'}</option>
              {accounts.items?.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} · {a.segment.key}
                </option>
              ))}
            </select>
          )}
          <label className="field">
            <span className="field-label">As the simulator reads it (edit freely)</span>
            <textarea aria-label="Account JSON" rows={8} spellCheck={false} value={accountText} onChange={(e) => setAccountText(e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>Events</legend>
          {events.length === 0 && <p className="muted">None: add what happens to the account, on a day since enrollment.</p>}
          {events.map((e, i) => (
            <div key={i} className="sim-event-block">
              <div className="sim-event">
                <input aria-label={`Type of event ${i + 1}`} placeholder="product.sso_configured" value={e.type} onChange={(x) => setEvent(i, { type: x.target.value })} />
                <input aria-label={`Day of event ${i + 1}`} type="number" min={0} step="any" value={e.day} onChange={(x) => setEvent(i, { day: x.target.value })} />
                <input aria-label={`Changes of event ${i + 1}`} placeholder='{"metric.weekly_active_users": 15}' value={e.set} onChange={(x) => setEvent(i, { set: x.target.value })} />
                <button type="button" className="link" aria-label={`Remove event ${i + 1}`} onClick={() => setEvents((list) => list.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
              <input aria-label={`Data of event ${i + 1}`} placeholder='Event data: {"drop_percent": 40}' value={e.data} onChange={(x) => setEvent(i, { data: x.target.value })} />
            </div>
          ))}
          <button type="button" onClick={() => setEvents((list) => [...list, NEW_EVENT])}>
            Add an event
          </button>
        </fieldset>
        {approvals.length > 0 && (
          <fieldset>
            <legend>Approvals</legend>
            {approvals.map((a) => (
              <div key={a.id} className="sim-decision">
                <span>{a.label}</span>
                <select
                  aria-label={`Decision on ${a.label}`}
                  value={decisionOf(a.id).decision}
                  onChange={(e) => setDecisions((d) => ({ ...d, [a.id]: { ...decisionOf(a.id), decision: e.target.value as 'approved' } }))}
                >
                  <option value="approved">Approved</option>
                  <option value="rejected">Rejected</option>
                  <option value="none">No decision</option>
                </select>
                <input
                  aria-label={`Days until the decision on ${a.label}`}
                  type="number"
                  min={0}
                  step="any"
                  value={decisionOf(a.id).afterDays}
                  onChange={(e) => setDecisions((d) => ({ ...d, [a.id]: { ...decisionOf(a.id), afterDays: e.target.value } }))}
                />
              </div>
            ))}
          </fieldset>
        )}
        {manualTasks.length > 0 && (
          <fieldset>
            <legend>Tasks a person marks done</legend>
            {manualTasks.map((t) => (
              <label key={t.id} className="sim-decision">
                <span>{t.label}</span>
                <span className="muted">done after days (blank: never)</span>
                <input
                  aria-label={`Days until ${t.label} is done`}
                  type="number"
                  min={0}
                  step="any"
                  value={tasks[t.id] ?? '0'}
                  onChange={(e) => setTasks((d) => ({ ...d, [t.id]: e.target.value }))}
                />
              </label>
            ))}
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!plan}>
            Run the simulation
          </button>
          {submitted && (
            <button type="button" onClick={() => setSubmitted(null)}>
              Clear
            </button>
          )}
        </div>
      </form>
      {!plan && <Empty>{hasErrors ? 'The draft does not compile: fix the problems listed below to simulate it.' : 'Compiling the draft…'}</Empty>}
      {run && 'problems' in run && (
        <ul className="problem" role="alert" aria-label="Simulation input problems">
          {run.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {result && (
        <div data-testid="simulation-result">
          <p className="sim-outcome" role="status">
            {OUTCOME_WORDS[result.outcome]}
            {result.endedOnDay !== null ? ` on ${dayLabel(result.endedOnDay)}` : ''}: {result.reason}
          </p>
          <ol className="sim-path" aria-label="Simulated path">
            {result.entries.map((e, i) => (
              <li key={i} data-step={e.stepId}>
                <span className="sim-day">{dayLabel(e.day)}</span>{' '}
                <button type="button" className="link" onClick={() => focusNode(e.stepId)}>
                  {e.label}
                </button>{' '}
                {e.what === 'took' ? `→ ${e.handle}` : e.what}
                <span className="why">{e.reason}</span>
              </li>
            ))}
          </ol>
          {result.milestones.length > 0 && (
            <ul className="sim-path" aria-label="Milestones">
              {result.milestones.map((m) => (
                <li key={`${m.stepId}-${m.day}`} className={`ms-${m.status}`}>
                  ◆ {m.name}: {milestoneWords(m.status)} ({dayLabel(m.day)}, target day {m.targetDay})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
