import type { Account, Run } from '@cairn/contracts';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiRequestError } from '../api/client';
import { useResource } from '../api/use-resource';
import { Dialog } from '../editor/Dialog';
import { ErrorState, Loading } from '../layout/States';

/**
 * "Enroll in playbook" from an account's page: pick a published playbook, say why, and the account
 * starts a run of its latest version; a refusal (already running, re-entry, audience) is said in the
 * API's words.
 */
export function EnrollAccountDialog({ account, onClose }: { account: Pick<Account, 'id' | 'name'>; onClose: () => void }) {
  const playbooks = useResource(() => api.playbooks({ status: 'published', limit: 200 }), []);
  const [playbookId, setPlaybookId] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setRefused(null);
    try {
      setRun(await api.enroll(playbookId, { accountId: account.id, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
    } catch (e) {
      // 409: the enrollment rules said no (running already, re-entry policy, audience).
      if (e instanceof ApiRequestError && e.status === 409) setRefused(e.message);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Enroll ${account.name} in a playbook`} onClose={onClose}>
      {run ? (
        <div>
          <p role="status">
            Enrolled in {run.playbookName} v{run.version}. <Link to={`/runs/${run.id}`}>Open the run</Link>
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label="Enroll in playbook">
          {playbooks.error ? (
            <ErrorState error={playbooks.error} onRetry={playbooks.reload} />
          ) : !playbooks.data ? (
            <Loading what="Loading published playbooks" />
          ) : playbooks.data.items.length === 0 ? (
            <p className="muted">No published playbooks yet: publish one first.</p>
          ) : (
            <div className="field">
              <label htmlFor="enroll-playbook">Playbook</label>
              <select id="enroll-playbook" value={playbookId} onChange={(e) => setPlaybookId(e.target.value)}>
                <option value="">Pick a playbook…</option>
                {playbooks.data.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} (v{p.latestVersion})
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="enroll-account-reason">Reason (recorded on the run)</label>
            <input id="enroll-account-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </div>
          {refused && (
            <p className="problem" role="alert">
              Not enrolled: {refused}
            </p>
          )}
          {error && <ErrorState error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !playbookId}>
              {busy ? 'Enrolling…' : 'Enroll'}
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
