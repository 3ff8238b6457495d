import type { Account, BulkEnrollRequest, BulkEnrollResponse } from '@cairn/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { Dialog } from '../editor/Dialog';
import { ErrorState, Loading } from '../layout/States';
import { outcomeLines, outcomeSummary } from './enroll-logic';

/** How long typing pauses before the account search asks the API. */
export const SEARCH_DEBOUNCE_MS = 250;

type Who = 'accounts' | 'segment';

/**
 * "Enroll accounts": pick accounts (search by name) or a segment, say why, and enroll them in the
 * latest published version. The answer lists each account: enrolled (a link to its run), skipped
 * and why (already running, re-entry policy, audience), or failed.
 */
export function EnrollDialog({ playbookId, playbookName, onClose, initial = [] }: { playbookId: string; playbookName: string; onClose: () => void; initial?: Array<Pick<Account, 'id' | 'name'>> }) {
  const [who, setWho] = useState<Who>('accounts');
  const [picked, setPicked] = useState<Array<Pick<Account, 'id' | 'name'>>>(initial);
  const [segmentId, setSegmentId] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<BulkEnrollResponse | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: BulkEnrollRequest = who === 'segment' ? { segmentId } : { accountIds: picked.map((a) => a.id) };
    if (reason.trim()) body.reason = reason.trim();
    try {
      setAnswer(await api.enrollMany(playbookId, body));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const ready = who === 'segment' ? Boolean(segmentId) : picked.length > 0;
  return (
    <Dialog title={`Enroll accounts in ${playbookName}`} onClose={onClose}>
      {answer ? (
        <EnrollOutcome answer={answer} names={new Map(picked.map((a) => [a.id, a.name]))} onClose={onClose} onAgain={() => setAnswer(null)} />
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label="Enroll accounts">
          <fieldset className="field-group">
            <legend>Who</legend>
            <label className="radio">
              <input type="radio" name="enroll-who" checked={who === 'accounts'} onChange={() => setWho('accounts')} /> Accounts I pick
            </label>
            <label className="radio">
              <input type="radio" name="enroll-who" checked={who === 'segment'} onChange={() => setWho('segment')} /> Every account of a segment
            </label>
          </fieldset>
          {who === 'accounts' ? <AccountPicker picked={picked} onChange={setPicked} /> : <SegmentPicker value={segmentId} onChange={setSegmentId} />}
          <div className="field">
            <label htmlFor="enroll-reason">Reason (recorded on each run)</label>
            <input id="enroll-reason" value={reason} maxLength={500} placeholder="e.g. Signed the renewal" onChange={(e) => setReason(e.target.value)} />
          </div>
          {error && <ErrorState error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !ready}>
              {busy ? 'Enrolling…' : who === 'segment' ? 'Enroll the segment' : `Enroll ${picked.length} account${picked.length === 1 ? '' : 's'}`}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** Search accounts by name (debounced) and add them to the list; each picked one can be removed. */
function AccountPicker({ picked, onChange }: { picked: Array<Pick<Account, 'id' | 'name'>>; onChange: (next: Array<Pick<Account, 'id' | 'name'>>) => void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useResource(() => api.accounts({ q: q || undefined, limit: 8 }), [q]);
  const pickedIds = new Set(picked.map((a) => a.id));
  const choices = (found.data?.items ?? []).filter((a) => !pickedIds.has(a.id));
  return (
    <div className="field account-picker">
      <label htmlFor="enroll-search">Find accounts</label>
      <input id="enroll-search" type="search" value={text} placeholder="Name or external id" onChange={(e) => setText(e.target.value)} autoComplete="off" />
      {found.error ? (
        <ErrorState error={found.error} onRetry={found.reload} />
      ) : !found.data ? (
        <Loading what="Searching accounts" />
      ) : choices.length === 0 ? (
        <p className="muted">{q ? `No other account matches “${q}”.` : 'No other accounts.'}</p>
      ) : (
        <ul className="picker-results" aria-label="Matching accounts">
          {choices.map((a) => (
            <li key={a.id}>
              <button type="button" className="link" onClick={() => onChange([...picked, { id: a.id, name: a.name }])} aria-label={`Add ${a.name}`}>
                + {a.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {picked.length > 0 && (
        <ul className="picker-chosen" aria-label="Accounts to enroll">
          {picked.map((a) => (
            <li key={a.id} className="pill">
              {a.name}{' '}
              <button type="button" className="link" onClick={() => onChange(picked.filter((p) => p.id !== a.id))} aria-label={`Remove ${a.name}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SegmentPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const segments = useResource(() => api.segments({ limit: 200 }), []);
  if (segments.error) return <ErrorState error={segments.error} onRetry={segments.reload} />;
  if (!segments.data) return <Loading what="Loading segments" />;
  if (segments.data.items.length === 0) return <p className="muted">No segments yet: define one on the Segments page.</p>;
  return (
    <div className="field">
      <label htmlFor="enroll-segment">Segment</label>
      <select id="enroll-segment" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Pick a segment…</option>
        {segments.data.items.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.memberCount} accounts)
          </option>
        ))}
      </select>
    </div>
  );
}

function EnrollOutcome({ answer, names, onClose, onAgain }: { answer: BulkEnrollResponse; names: ReadonlyMap<string, string>; onClose: () => void; onAgain: () => void }) {
  const lines = outcomeLines(answer, names);
  return (
    <div data-testid="enroll-outcome">
      <p role="status">{outcomeSummary(answer)}</p>
      <ul className="enroll-outcome" aria-label="Each account">
        {lines.map((line) => (
          <li key={line.accountId} className={`outcome-${line.outcome}`}>
            <strong>{line.name}</strong>: {line.outcome}
            {line.why && ` — ${line.why}`}
            {line.runId && (
              <>
                {' '}
                <Link to={`/runs/${line.runId}`}>{line.outcome === 'enrolled' ? 'Open the run' : 'Open the running one'}</Link>
              </>
            )}
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={onAgain}>
          Enroll more
        </button>
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
