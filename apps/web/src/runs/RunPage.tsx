import { isNodeType, nodeDefinition, type PlaybookDocument } from '@cairn/playbook';
import type { Run, SentEmail } from '@cairn/contracts';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { PlaybookCanvas } from '../canvas/PlaybookCanvas';
import type { RunOverlay } from '../canvas/to-flow';
import { formatTime } from '../layout/Layout';
import { Empty, ErrorState, Loading } from '../layout/States';
import { runOverlay } from './run-states';
import { RunStatus } from './RunStatus';
import { temporalWorkflowUrl } from './temporal-link';

const POLL_MS = 2_000;
const isRunning = (run: Run | null) => run?.status === 'running';

/** The step as the designer named it, with its registry type label; the node id if it is gone. */
function stepName(doc: PlaybookDocument | undefined, nodeId: string, nodeType: string): { title: string; type: string } {
  const node = doc?.nodes.find((n) => n.id === nodeId);
  const label = typeof node?.data.label === 'string' ? node.data.label : null;
  return { title: label ?? nodeId, type: isNodeType(nodeType) ? nodeDefinition(nodeType).label : nodeType };
}

const STEP_WORDS: Record<string, string> = { done: 'Done', current: 'Active', waiting: 'Waiting', skipped: 'Skipped' };

/** Stop a running run, saying why (recorded on the run and in the audit log). */
function CancelRun({ run, onCancelled }: { run: Run; onCancelled: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.cancelRun(run.id, { reason });
      onCancelled();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="cancel-run" onSubmit={submit} aria-label="Cancel the run">
      <label htmlFor="cancel-reason">Cancel the run, because</label>
      <input id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="the customer churned" />
      <button type="submit" disabled={busy || !reason.trim()}>
        Cancel run
      </button>
      {error && <ErrorState error={error} />}
    </form>
  );
}

/** Each step in the order the run entered it: why it fired, what came of it, and what it sent. */
function Explanation({ run, doc, states, emails }: { run: Run; doc: PlaybookDocument | undefined; states: RunOverlay | undefined; emails: SentEmail[] }) {
  if (run.steps.length === 0) return <Empty>The run has not entered a step yet.</Empty>;
  return (
    <ol className="explain" data-testid="run-explanation">
      {run.steps.map((s) => {
        const name = stepName(doc, s.nodeId, s.nodeType);
        const sent = emails.filter((m) => m.nodeId === s.nodeId);
        const actions = run.actions.filter((a) => a.nodeId === s.nodeId && a.visit === s.visit);
        const state = s.status === 'completed' ? 'done' : (states?.states[s.nodeId] ?? 'current');
        return (
          <li key={s.id}>
            <div className="page-head">
              <strong>{name.title}</strong>
              <span className="muted">
                {name.type}
                {s.visit > 0 ? ` · visit ${s.visit + 1}` : ''}
              </span>
              <span className={`step-status step-status-${s.status}`}>{STEP_WORDS[state] ?? state}</span>
              {s.outcome && <span className="pill">took “{s.outcome}”</span>}
              <span className="muted">
                {formatTime(s.startedAt)}
                {s.completedAt ? ` → ${formatTime(s.completedAt)}` : ''}
              </span>
            </div>
            {s.startedReason && <p className="why">Why it fired: {s.startedReason}</p>}
            {s.reason && <p className="why">{s.status === 'completed' ? 'What came of it' : 'Waiting for'}: {s.reason}</p>}
            {states?.details?.[s.nodeId] && s.status !== 'completed' && <p className="why">Now: {states.details[s.nodeId]}</p>}
            {sent.map((m) => (
              <p key={m.id} className="why">
                Email {m.status === 'sent' ? 'sent' : 'sending'} to {m.toAddress} ({m.toRole}): “{m.subject}”{m.approvalId ? ' · after approval' : ''} — {m.reason}
              </p>
            ))}
            {actions.map((a) => (
              <p key={a.id} className="why">
                {a.kind.replace('_', ' ')} → {a.target}: {a.status} — {a.reason}
              </p>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

export function RunPage() {
  const { id = '' } = useParams();
  // Poll every 2 s while the run is still moving; a finished run does not change.
  const run = useResource(() => api.run(id), [id], POLL_MS, isRunning);
  // The canvas shows the immutable version the run started on, not today's draft.
  const versionId = run.data?.playbookVersionId;
  const version = useResource(() => (versionId ? api.version(versionId) : Promise.resolve(null)), [versionId]);
  // Each poll brings a new object: redraw the canvas only when what it shows has changed.
  const doc = version.data?.document;
  const overlayJson = run.data ? JSON.stringify(runOverlay(run.data, doc)) : null;
  const overlay = useMemo<RunOverlay | undefined>(() => (overlayJson ? JSON.parse(overlayJson) : undefined), [overlayJson]);
  const data = run.data;
  // The emails the run sent: reloaded with each poll that changes the step count.
  const stepCount = run.data?.steps.length ?? 0;
  const emails = useResource(() => api.runEmails(id), [id, stepCount]);
  const { reach } = useAuth();
  const mayCancel = reach('runs:cancel') !== null;
  const temporalUrl = data ? temporalWorkflowUrl(data.workflowId, import.meta.env.VITE_TEMPORAL_UI_URL, import.meta.env.VITE_TEMPORAL_NAMESPACE) : null;

  return (
    <section className="page-canvas">
      {run.error && <ErrorState error={run.error} onRetry={run.reload} />}
      {version.error && <ErrorState error={`The playbook version: ${version.error}`} onRetry={version.reload} />}
      {!data && !run.error && <Loading what="Loading the run" />}
      {data && (
        <>
          <div className="page-head">
            <h1>
              {data.accountName} <span className="muted-title">· {data.playbookName}</span>
            </h1>
            <RunStatus status={data.status} />
            <span className="pill">v{data.version}</span>
            {isRunning(data) && <span className="muted">Refreshing every 2 s</span>}
            {temporalUrl && (
              <a href={temporalUrl} target="_blank" rel="noreferrer" className="temporal-link">
                Open the workflow in the Temporal UI
              </a>
            )}
          </div>
          <dl className="facts">
            <div>
              <dt>Account</dt>
              <dd>{data.accountName}</dd>
            </div>
            <div>
              <dt>Playbook</dt>
              <dd>
                <Link to={`/playbooks/${data.playbookId}`}>{data.playbookName}</Link> v{data.version}
              </dd>
            </div>
            <div>
              <dt>On step</dt>
              <dd data-testid="run-current">{data.currentNodeId ? stepName(doc, data.currentNodeId, '').title : '—'}</dd>
            </div>
            <div>
              <dt>Enrolled</dt>
              <dd>
                {formatTime(data.startedAt)}
                {data.enrolledBy ? ` by ${data.enrolledBy}` : ''}
              </dd>
            </div>
            <div>
              <dt>Why</dt>
              <dd>{data.reason ?? '—'}</dd>
            </div>
            <div>
              <dt>Ended</dt>
              <dd>{formatTime(data.endedAt)}</dd>
            </div>
          </dl>
          {isRunning(data) && mayCancel && <CancelRun run={data} onCancelled={run.reload} />}
          {doc ? <PlaybookCanvas document={doc} run={overlay} /> : !version.error && <Loading what="Loading the canvas" />}
          <h2>Step by step</h2>
          {emails.error && <ErrorState error={`The run's emails: ${emails.error}`} onRetry={emails.reload} />}
          <Explanation run={data} doc={doc} states={overlay} emails={emails.data?.items ?? []} />
          <h2>History</h2>
          <table className="table" data-testid="run-history">
            <thead>
              <tr>
                <th>Step</th>
                <th>Status</th>
                <th>Outcome</th>
                <th>Why</th>
                <th>Started</th>
                <th>Completed</th>
              </tr>
            </thead>
            <tbody>
              {data.steps.map((s) => {
                const name = stepName(doc, s.nodeId, s.nodeType);
                return (
                  <tr key={s.id}>
                    <td>
                      {name.title}
                      <div className="muted">
                        {name.type} · {s.nodeId}
                      </div>
                    </td>
                    <td>
                      <span className={`step-status step-status-${s.status}`}>{s.status}</span>
                    </td>
                    <td>{s.outcome ?? '—'}</td>
                    <td>
                      {s.startedReason && s.startedReason !== s.reason ? <div className="muted">Why: {s.startedReason}</div> : null}
                      {s.reason ?? ''}
                    </td>
                    <td>{formatTime(s.startedAt)}</td>
                    <td>{formatTime(s.completedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted plan-hash">Plan {data.planHash.slice(0, 12)} · workflow {data.workflowId}</p>
        </>
      )}
    </section>
  );
}
