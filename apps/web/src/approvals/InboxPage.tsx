import type { Approval } from '@cairn/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { formatTime, Problem } from '../layout/Layout';

function ApprovalCard({ approval, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const overdue = approval.dueAt !== null && Date.parse(approval.dueAt) < Date.now();

  async function decide(decision: 'approved' | 'rejected') {
    if (!approval.assigneeId) return setError('This approval has no assignee to decide it');
    setBusy(true);
    try {
      // There is no sign-in yet, so the web app cannot know who is deciding: it names the approval's
      // assignee, which the API records as the decider. Replace with the signed-in user once auth lands.
      await api.decide(approval.id, { decision, decidedById: approval.assigneeId });
      onDecided();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" data-testid={`approval-${approval.id}`}>
      <header>
        <strong>{approval.title}</strong>
        <span className={overdue ? 'due overdue' : 'due'}>{approval.dueAt ? `due ${formatTime(approval.dueAt)}` : 'no deadline'}</span>
      </header>
      <p className="muted">
        {approval.accountName} · {approval.playbookName} v{approval.version} · for {approval.assigneeName ?? 'nobody'} ·{' '}
        <Link to={`/runs/${approval.runId}`}>run</Link>
      </p>
      {approval.proposed && (
        <div className="proposed">
          <div>
            <span className="muted">To</span> {approval.proposed.to}
          </div>
          <div>
            <span className="muted">Subject</span> {approval.proposed.subject}
          </div>
          <pre>{approval.proposed.body}</pre>
        </div>
      )}
      <Problem error={error} />
      <div className="actions">
        <button className="primary" disabled={busy} onClick={() => decide('approved')}>
          Approve
        </button>
        <button disabled={busy} onClick={() => decide('rejected')}>
          Reject
        </button>
      </div>
    </article>
  );
}

export function InboxPage() {
  const { data, error, reload } = useResource(() => api.approvals('pending'), [], 5_000);
  return (
    <section>
      <h1>Approvals</h1>
      <Problem error={error} />
      {data?.length === 0 && <p className="muted">Nothing waits for a decision.</p>}
      {(data ?? []).map((a) => (
        <ApprovalCard key={a.id} approval={a} onDecided={reload} />
      ))}
    </section>
  );
}
