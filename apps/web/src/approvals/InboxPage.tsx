import type { InboxItem, InboxView, SlaState, WorkItemComment } from '@cairn/contracts';
import { type FormEvent, type KeyboardEvent as ReactKeyboardEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { formatTime } from '../layout/Layout';
import { Empty, ErrorState, Loading } from '../layout/States';
import { type Candidate, dueIn, editedTouch, move, reassignCandidates, SLA_BADGES, type SnoozeChoice, snoozeUntil } from './inbox-logic';

const VIEWS: Array<[InboxView, string]> = [
  ['mine', 'Mine'],
  ['team', 'My team'],
  ['overdue', 'Overdue'],
  ['all', 'All'],
];

const SHORTCUTS: Array<[string, string]> = [
  ['j / ↓', 'next item'],
  ['k / ↑', 'previous item'],
  ['a', 'approve (with your edits)'],
  ['r', 'reject'],
  ['e', 'edit the touch before approving'],
  ['c', 'complete a task'],
  ['s', 'snooze'],
  ['Esc', 'leave a field (your edits stay)'],
  ['?', 'show or hide these shortcuts'],
];

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The SLA state as a coloured badge, in words (never colour alone). */
export function SlaBadge({ state }: { state: SlaState }) {
  const badge = SLA_BADGES[state];
  return (
    <span className={`sla sla-${badge.tone}`} data-testid="sla-badge">
      {badge.label}
    </span>
  );
}

/** Keys typed into a field belong to the field, not to the shortcuts. */
function inField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function Comments({ item, mayWrite }: { item: InboxItem; mayWrite: boolean }) {
  const thread = useResource<{ items: WorkItemComment[] }>(() => api.comments(item.kind, item.id), [item.kind, item.id]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await api.comment(item.kind, item.id, text);
      setText('');
      setError(null);
      thread.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section aria-labelledby="comments-title" className="comments">
      <h3 id="comments-title">Comments</h3>
      {thread.error && <ErrorState error={thread.error} onRetry={thread.reload} />}
      {!thread.data && !thread.error && <Loading what="Loading comments" />}
      {thread.data && thread.data.items.length === 0 && <Empty>No comments yet.</Empty>}
      {thread.data && thread.data.items.length > 0 && (
        <ol className="thread">
          {thread.data.items.map((c) => (
            <li key={c.id}>
              <strong>{c.authorName}</strong> <span className="muted">{c.kind === 'comment' ? '' : `(${c.kind}) `}{formatTime(c.createdAt)}</span>
              <div>{c.body}</div>
            </li>
          ))}
        </ol>
      )}
      {mayWrite && (
        <form onSubmit={submit} className="inline-form" aria-label="Add a comment">
          <label className="visually-hidden" htmlFor="comment-text">
            Comment
          </label>
          <input id="comment-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a comment" maxLength={2000} />
          <button type="submit" disabled={!text.trim()}>
            Comment
          </button>
        </form>
      )}
      {error && <ErrorState error={error} />}
    </section>
  );
}

interface DetailProps {
  item: InboxItem;
  mayDecide: boolean;
  mayMove: boolean;
  candidates: Candidate[];
  candidatesNote: string | null;
  onDone: (message: string) => void;
  registerActions: (actions: DetailActions) => void;
}

/** What the page's shortcuts do on the item shown. */
export interface DetailActions {
  approve: () => void;
  reject: () => void;
  edit: () => void;
  complete: () => void;
  snooze: () => void;
}

function Detail({ item, mayDecide, mayMove, candidates, candidatesNote, onDone, registerActions }: DetailProps) {
  const proposed = item.kind === 'approval' ? item.proposed : null;
  const [draft, setDraft] = useState({ subject: proposed?.subject ?? '', body: proposed?.body ?? '' });
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [assignee, setAssignee] = useState('');
  const [snoozeDate, setSnoozeDate] = useState('');
  const subjectRef = useRef<HTMLInputElement>(null);
  const snoozeRef = useRef<HTMLButtonElement>(null);

  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await what();
      onDone(done);
    } catch (e) {
      // The API's or the run's refusal (403, 409 "already decided", 503) in its own words.
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const approve = () => {
    if (item.kind !== 'approval' || !mayDecide || busy) return;
    const edit = editedTouch(proposed, draft);
    void act(() => api.decide(item.id, { decision: 'approved', ...(note.trim() ? { note: note.trim() } : {}), ...(edit ? { editedTouch: edit } : {}) }), edit ? 'Approved with your edits: the run sends the edited touch' : 'Approved: the run moves on');
  };
  const reject = () => {
    if (item.kind !== 'approval' || !mayDecide || busy) return;
    void act(() => api.decide(item.id, { decision: 'rejected', ...(note.trim() ? { note: note.trim() } : {}) }), 'Rejected: nothing is sent');
  };
  const complete = () => {
    if (item.kind !== 'task' || !mayDecide || busy) return;
    void act(() => api.completeTask(item.id, note.trim() ? { note: note.trim() } : {}), 'Task completed: the run moves on');
  };
  const edit = () => {
    if (!proposed || !mayDecide) return;
    setEditing(true);
    setTimeout(() => subjectRef.current?.focus(), 0);
  };
  const snoozeFor = (choice: SnoozeChoice) => {
    const { until, problem } = snoozeUntil(choice, Date.now());
    if (problem) return setError(problem);
    void act(
      () => api.snooze(item.kind, item.id, { until }),
      `Snoozed until ${formatTime(until)}: the SLA keeps running${item.dueAt && Date.parse(until) > Date.parse(item.dueAt) ? ' (it ends after the due date)' : ''}`,
    );
  };
  const reassign = () => {
    if (!assignee) return setError('Pick someone to hand it to');
    const name = candidates.find((c) => c.id === assignee)?.name ?? 'them';
    void act(() => api.reassign(item.kind, item.id, { assigneeId: assignee, ...(note.trim() ? { comment: note.trim() } : {}) }), `Handed to ${name}`);
  };

  // The page's shortcuts act on the item shown, with its current edits (re-registered each render).
  // A layout effect, so the actions are current as soon as the DOM is: the shortcuts listen on the
  // document, outside React, and a passive effect could still be pending when `a` follows an edit.
  useLayoutEffect(() => {
    registerActions({ approve, reject, edit, complete, snooze: () => snoozeRef.current?.focus() });
  });

  const leaveField = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      (e.target as HTMLElement).blur();
      document.getElementById(`inbox-item-${item.id}`)?.focus();
    }
  };

  return (
    <article className="inbox-detail card" aria-labelledby="detail-title" data-testid={`${item.kind}-${item.id}`}>
      <header>
        <h2 id="detail-title">{item.title}</h2>
        <SlaBadge state={item.slaState} />
      </header>
      <dl className="facts facts-compact">
        <div>
          <dt>Due</dt>
          <dd>
            {formatTime(item.dueAt)} <span className="muted">({dueIn(item.dueAt, Date.now())})</span>
          </dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>
            <Link to={`/accounts/${item.accountId}`}>{item.accountName}</Link>
          </dd>
        </div>
        <div>
          <dt>Playbook</dt>
          <dd>
            <Link to={`/runs/${item.runId}`}>
              {item.playbookName} v{item.version}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Assigned to</dt>
          <dd>{item.assigneeName ?? 'nobody'}</dd>
        </div>
        {item.kind === 'task' && (
          <div>
            <dt>Owner</dt>
            <dd>
              {item.ownerSide === 'ours' ? 'Us' : 'The customer'} ({item.ownerRole})
            </dd>
          </div>
        )}
        {item.escalationLevel > 0 && (
          <div>
            <dt>Escalation</dt>
            <dd>{item.escalationLevel} step(s) fired</dd>
          </div>
        )}
      </dl>

      {item.kind === 'approval' && !proposed && <p className="muted">This step sends nothing by itself: approving lets the run go on.</p>}
      {proposed && (
        <fieldset className="proposed" disabled={!editing}>
          <legend>
            The {proposed.channel} it would send to {proposed.to}
            {!editing && mayDecide && (
              <button type="button" className="link edit-touch" onClick={edit}>
                Edit before approving (e)
              </button>
            )}
          </legend>
          <label className="field">
            <span>Subject</span>
            <input ref={subjectRef} value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} onKeyDown={leaveField} maxLength={300} />
          </label>
          <label className="field">
            <span>Body</span>
            <textarea value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} onKeyDown={leaveField} rows={8} />
          </label>
          {editing && editedTouch(proposed, draft) && <p className="muted">Edited: approving sends your version.</p>}
        </fieldset>
      )}

      {mayDecide ? (
        <>
          <label className="field">
            <span>Note (kept with the decision, or with a reassignment)</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={leaveField} rows={2} maxLength={2000} />
          </label>
          <div className="actions">
            {item.kind === 'approval' ? (
              <>
                <button type="button" className="primary" disabled={busy} onClick={approve}>
                  Approve
                </button>
                <button type="button" disabled={busy} onClick={reject}>
                  Reject
                </button>
              </>
            ) : item.completion === 'person' ? (
              <button type="button" className="primary" disabled={busy} onClick={complete}>
                Mark done
              </button>
            ) : (
              <span className="muted">This task completes on its own ({item.completion === 'event' ? 'when its event arrives' : 'when its condition holds'}).</span>
            )}
          </div>
        </>
      ) : (
        <p className="muted">You can read this item; deciding it is for its assignee, the account's CSM or their manager.</p>
      )}

      {mayMove && (
        <div className="inbox-tools">
          <div role="group" aria-label="Snooze" className="actions">
            <span className="muted">Snooze</span>
            <button type="button" ref={snoozeRef} disabled={busy} onClick={() => snoozeFor({ days: 1 })}>
              1 day
            </button>
            <button type="button" disabled={busy} onClick={() => snoozeFor({ days: 3 })}>
              3 days
            </button>
            <label className="visually-hidden" htmlFor="snooze-date">
              Snooze until date
            </label>
            <input id="snooze-date" type="date" value={snoozeDate} onChange={(e) => setSnoozeDate(e.target.value)} onKeyDown={leaveField} />
            <button type="button" disabled={busy || !snoozeDate} onClick={() => snoozeFor({ date: snoozeDate })}>
              Snooze until date
            </button>
          </div>
          <div role="group" aria-label="Reassign" className="actions">
            <label htmlFor="reassign-to" className="muted">
              Hand to
            </label>
            <select id="reassign-to" value={assignee} onChange={(e) => setAssignee(e.target.value)} onKeyDown={leaveField}>
              <option value="">Choose someone…</option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.role ? ` (${c.role.replace('_', ' ')})` : ''}
                </option>
              ))}
            </select>
            <button type="button" disabled={busy} onClick={reassign}>
              Reassign
            </button>
          </div>
          {candidatesNote && <p className="muted">{candidatesNote}</p>}
        </div>
      )}
      {error && <ErrorState error={error} />}
      <Comments item={item} mayWrite={mayDecide || mayMove} />
    </article>
  );
}

export function InboxPage() {
  const { session, reach } = useAuth();
  const [params, setParams] = useSearchParams();
  // CSMs and managers start on their own work; ops, admins and viewers on everything.
  const defaultView: InboxView = session?.user.role === 'csm' || session?.user.role === 'cs_manager' ? 'mine' : 'all';
  const view = (VIEWS.some(([v]) => v === params.get('view')) ? params.get('view') : defaultView) as InboxView;
  const inbox = useResource(() => api.inbox(view), [view], 5_000);
  const items = useMemo(() => inbox.data?.items ?? [], [inbox.data]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const actions = useRef<DetailActions | null>(null);

  const selected = items.find((i) => i.id === selectedId) ?? items[0] ?? null;
  const decides = reach('approvals:decide');
  // Ops decide only what is assigned to them; CSMs and managers on their (team's) accounts, which
  // the API checks row by row (its 403 is shown).
  const mayDecideOn = (i: InboxItem) => decides !== null && (decides !== 'assigned' || i.assigneeId === session?.user.id);
  // Reassign and snooze: the row rule (`mayReassign`: the assignee, their manager, ops, admins)
  // needs the assignee's manager, which inbox items do not carry; they are offered to whoever may
  // decide, and the API's refusal (403) is shown in words.
  const mayMoveOn = () => decides !== null;

  const isAdmin = reach('users:manage') !== null;
  const users = useResource(() => (isAdmin ? api.users({ active: true, limit: 200 }) : Promise.resolve(null)), [isAdmin]);
  const accounts = useResource(() => (isAdmin || decides === null ? Promise.resolve(null) : api.accounts({ limit: 200 })), [isAdmin, decides]);
  const candidates = useMemo(
    () =>
      reassignCandidates({
        users: users.data?.items ?? null,
        csms: accounts.data?.items.map((a) => a.csm) ?? [],
        items,
        currentAssigneeId: selected?.assigneeId ?? null,
      }),
    [users.data, accounts.data, items, selected?.assigneeId],
  );
  const candidatesNote = isAdmin ? null : 'Only admins can list every user: these are the CSMs of the accounts and the assignees you can see.';

  const onDone = useCallback(
    (text: string) => {
      setMessage(text);
      const next = move(
        items.map((i) => i.id),
        selected?.id ?? null,
        1,
      );
      setSelectedId(next === selected?.id ? null : next);
      inbox.reload();
    },
    [items, selected?.id, inbox],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || inField(e.target)) return;
      const ids = items.map((i) => i.id);
      const key = e.key;
      if (key === 'j' || key === 'ArrowDown') setSelectedId(move(ids, selected?.id ?? null, 1));
      else if (key === 'k' || key === 'ArrowUp') setSelectedId(move(ids, selected?.id ?? null, -1));
      else if (key === 'a') actions.current?.approve();
      else if (key === 'r') actions.current?.reject();
      else if (key === 'e') actions.current?.edit();
      else if (key === 'c') actions.current?.complete();
      else if (key === 's') actions.current?.snooze();
      else if (key === '?') setHelp((h) => !h);
      else if (key === 'Escape') setHelp(false);
      else return;
      e.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items, selected?.id]);

  // The selected row follows j/k into view and takes the focus when it moved by keyboard.
  useEffect(() => {
    const row = selected && document.getElementById(`inbox-item-${selected.id}`);
    if (row && document.activeElement?.closest('.inbox-list')) row.focus();
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  return (
    <section className="inbox">
      <div className="page-head">
        <h1>Inbox</h1>
        <button type="button" className="link" onClick={() => setHelp((h) => !h)} aria-expanded={help} aria-controls="inbox-shortcuts">
          Keyboard shortcuts (?)
        </button>
      </div>
      <div role="tablist" aria-label="Inbox views" className="tabs">
        {VIEWS.map(([v, label]) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={v === view}
            className={v === view ? 'tab is-active' : 'tab'}
            onClick={() => {
              setSelectedId(null);
              setParams({ view: v });
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {help && (
        <div id="inbox-shortcuts" className="card shortcuts" role="dialog" aria-label="Keyboard shortcuts">
          <dl>
            {SHORTCUTS.map(([k, what]) => (
              <div key={k}>
                <dt>
                  <kbd>{k}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {message && (
        <p className="notice notice-done" role="status">
          {message}
        </p>
      )}
      {decides === null && <p className="muted">You can read the inbox; deciding needs a CSM, CS manager, ops or admin role.</p>}
      {inbox.error && <ErrorState error={inbox.error} onRetry={inbox.reload} />}
      {!inbox.data && !inbox.error && <Loading what="Loading the inbox" />}
      {inbox.data && items.length === 0 && <Empty>{view === 'overdue' ? 'Nothing is overdue.' : 'Nothing waits here. Approvals and tasks appear when runs reach them.'}</Empty>}
      {items.length > 0 && (
        <div className="inbox-body">
          <ul className="inbox-list" role="listbox" aria-label="Approvals and tasks, due first">
            {items.map((i) => (
              <li
                key={i.id}
                id={`inbox-item-${i.id}`}
                role="option"
                aria-selected={i.id === selected?.id}
                tabIndex={i.id === selected?.id ? 0 : -1}
                className={i.id === selected?.id ? 'inbox-row is-selected' : 'inbox-row'}
                onClick={() => setSelectedId(i.id)}
                data-testid={`inbox-row-${i.id}`}
              >
                <div className="inbox-row-head">
                  <span className="pill">{i.kind === 'approval' ? 'Approval' : 'Task'}</span>
                  <strong>{i.title}</strong>
                </div>
                <div className="muted">
                  {i.accountName} · {i.playbookName}
                </div>
                <div className="inbox-row-due">
                  <SlaBadge state={i.slaState} /> <span className="muted">{dueIn(i.dueAt, Date.now())}</span>
                  {i.commentCount > 0 && <span className="muted"> · {i.commentCount} comment(s)</span>}
                </div>
              </li>
            ))}
          </ul>
          {selected && (
            <Detail
              key={selected.id}
              item={selected}
              mayDecide={mayDecideOn(selected)}
              mayMove={mayMoveOn()}
              candidates={candidates}
              candidatesNote={candidatesNote}
              onDone={onDone}
              registerActions={(a) => {
                actions.current = a;
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}
