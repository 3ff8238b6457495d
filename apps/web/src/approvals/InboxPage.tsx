import type { InboxItem, InboxView } from '@cairn/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { formatTime, Problem } from '../layout/Layout';

type ApprovalItem = Extract<InboxItem, { kind: 'approval' }>;
type TaskItem = Extract<InboxItem, { kind: 'task' }>;

const SLA_WORDS: Record<InboxItem['slaState'], string> = { on_time: 'on time', due_soon: 'due soon', overdue: 'overdue', escalated: 'escalated' };

function ApprovalCard({ approval, mayDecide, onDecided }: { approval: ApprovalItem; mayDecide: boolean; onDecided: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const overdue = approval.slaState === 'overdue' || approval.slaState === 'escalated';

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
        <span className={overdue ? 'due overdue' : 'due'}>
          {approval.dueAt ? `due ${formatTime(approval.dueAt)}` : 'no deadline'} · {SLA_WORDS[approval.slaState]}
        </span>
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

function TaskCard({ task }: { task: TaskItem }) {
  const late = task.slaState === 'overdue' || task.slaState === 'escalated';
  return (
    <article className="card" data-testid={`task-${task.id}`}>
      <header>
        <strong>{task.title}</strong>
        <span className={late ? 'due overdue' : 'due'}>
          due {formatTime(task.dueAt ?? task.createdAt)} · {SLA_WORDS[task.slaState]}
        </span>
      </header>
      <p className="muted">
        Task · {task.accountName} · {task.playbookName} v{task.version} · for {task.assigneeName ?? 'nobody'} · <Link to={`/runs/${task.runId}`}>run</Link>
      </p>
    </article>
  );
}

const VIEWS: Array<[InboxView, string]> = [
  ['all', 'Everything'],
  ['mine', 'Mine'],
  ['team', 'My team'],
  ['overdue', 'Overdue'],
];

export function InboxPage() {
  const [view, setView] = useState<InboxView>('all');
  const { data, error, reload } = useResource(() => api.inbox(view), [view], 5_000);
  const { session, reach } = useAuth();
  const decides = reach('approvals:decide');
  const mayDecide = decides !== null;
  // Ops decide only what is assigned to them; CSMs and managers see the buttons, and the API says
  // so if the account is neither theirs nor their team's.
  const mayDecideOn = (a: ApprovalItem) => decides !== null && (decides !== 'assigned' || a.assigneeId === session?.user.id);
  const items = data?.items ?? [];
  return (
    <section>
      <h1>Inbox</h1>
      <p>
        {VIEWS.map(([v, label]) => (
          <button key={v} className={v === view ? 'primary' : undefined} onClick={() => setView(v)}>
            {label}
          </button>
        ))}
      </p>
      {!mayDecide && <p className="muted">You can read the inbox; deciding needs a CSM, CS manager, ops or admin role.</p>}
      <Problem error={error} />
      {data && items.length === 0 && <p className="muted">Nothing waits for you here.</p>}
      {items.map((item) => (item.kind === 'approval' ? <ApprovalCard key={item.id} approval={item} mayDecide={mayDecideOn(item)} onDecided={reload} /> : <TaskCard key={item.id} task={item} />))}
    </section>
  );
}
