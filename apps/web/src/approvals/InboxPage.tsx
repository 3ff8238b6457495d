import type { Approval } from '@cairn/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { formatTime, Problem } from '../layout/Layout';

function ApprovalCard({ approval, mayDecide, onDecided }: { approval: Approval; mayDecide: boolean; onDecided: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const overdue = approval.dueAt !== null && Date.parse(approval.dueAt) < Date.now();

  async function decide(decision: 'approved' | 'rejected') {
    setBusy(true);
    try {
      // The decider is the signed-in person; the API refuses (403, shown here) an approval that is not theirs to decide.
      await api.decide(approval.id, { decision });
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
      {mayDecide && (
        <div className="actions">
          <button className="primary" disabled={busy} onClick={() => decide('approved')}>
            Approve
          </button>
          <button disabled={busy} onClick={() => decide('rejected')}>
            Reject
          </button>
        </div>
      )}
    </article>
  );
}

export function InboxPage() {
  const { data, error, reload } = useResource(() => api.approvals('pending'), [], 5_000);
  const { session, reach } = useAuth();
  const decides = reach('approvals:decide');
  const mayDecide = decides !== null;
  // Ops decide only what is assigned to them; CSMs and managers see the buttons, and the API says
  // so if the account is neither theirs nor their team's.
  const mayDecideOn = (a: Approval) => decides !== null && (decides !== 'assigned' || a.assigneeId === session?.user.id);
  return (
    <section>
      <h1>Approvals</h1>
      {!mayDecide && <p className="muted">You can read the inbox; deciding needs a CSM, CS manager, ops or admin role.</p>}
      <Problem error={error} />
      {data?.length === 0 && <p className="muted">Nothing waits for a decision.</p>}
      {(data ?? []).map((a) => (
        <ApprovalCard key={a.id} approval={a} mayDecide={mayDecideOn(a)} onDecided={reload} />
      ))}
    </section>
  );
}
