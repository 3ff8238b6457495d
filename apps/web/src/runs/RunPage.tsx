import { isNodeType, nodeDefinition, type PlaybookDocument } from '@cairn/playbook';
import type { Run } from '@cairn/contracts';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { PlaybookCanvas } from '../canvas/PlaybookCanvas';
import type { RunOverlay } from '../canvas/to-flow';
import { formatTime, Problem } from '../layout/Layout';
import { runOverlay } from './run-states';
import { RunStatus } from './RunStatus';

const POLL_MS = 2_000;
const isRunning = (run: Run | null) => run?.status === 'running';

/** The step as the designer named it, with its registry type label; the node id if it is gone. */
function stepName(doc: PlaybookDocument | undefined, nodeId: string, nodeType: string): { title: string; type: string } {
  const node = doc?.nodes.find((n) => n.id === nodeId);
  const label = typeof node?.data.label === 'string' ? node.data.label : null;
  return { title: label ?? nodeId, type: isNodeType(nodeType) ? nodeDefinition(nodeType).label : nodeType };
}

export function RunPage() {
  const { id = '' } = useParams();
  // Poll every 2 s while the run is still moving; a finished run does not change.
  const run = useResource(() => api.run(id), [id], POLL_MS, isRunning);
  // The canvas shows the immutable version the run started on, not today's draft.
  const versionId = run.data?.playbookVersionId;
  const version = useResource(() => (versionId ? api.version(versionId) : Promise.resolve(null)), [versionId]);
  // Each poll brings a new object: redraw the canvas only when what it shows has changed.
  const overlayJson = run.data ? JSON.stringify(runOverlay(run.data)) : null;
  const overlay = useMemo<RunOverlay | undefined>(() => (overlayJson ? JSON.parse(overlayJson) : undefined), [overlayJson]);
  const data = run.data;
  const doc = version.data?.document;

  return (
    <section className="page-canvas">
      <Problem error={run.error ?? version.error} />
      {data && (
        <>
          <div className="page-head">
            <h1>
              {data.accountName} <span className="muted-title">· {data.playbookName}</span>
            </h1>
            <RunStatus status={data.status} />
            <span className="pill">v{data.version}</span>
            {isRunning(data) && <span className="muted">Refreshing every 2 s</span>}
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
          {doc && <PlaybookCanvas document={doc} run={overlay} />}
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
