import type { ApiError, PublishResponse } from '@cairn/contracts';
import { type FormEvent, useState } from 'react';
import { ApiRequestError } from '../api/client';
import { editorApi } from '../api/editor-api';
import { Dialog } from './Dialog';

/**
 * Publishing: a note for the history and what happens to runs in flight. The draft is saved first;
 * when the compiler refuses it, its findings are listed step by step (a click focuses the step).
 */
export function PublishDialog({
  playbookId,
  saveFirst,
  onClose,
  onPublished,
  onFocusNode,
}: {
  playbookId: string;
  saveFirst: () => Promise<boolean>;
  onClose: () => void;
  onPublished: (result: PublishResponse) => void;
  onFocusNode: (nodeId: string) => void;
}) {
  const [note, setNote] = useState('');
  const [inFlight, setInFlight] = useState<'finish' | 'exit'>('finish');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<ApiError['issues']>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIssues([]);
    try {
      if (!(await saveFirst())) throw new Error('The draft could not be saved, so it was not published');
      onPublished(await editorApi.publish(playbookId, { note, inFlight }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      if (e instanceof ApiRequestError) setIssues(e.issues);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Publish a new version" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label="Publish">
        <div className="field">
          <label htmlFor="publish-note">What changed and why</label>
          <textarea id="publish-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </div>
        <fieldset className="field-group">
          <legend>Runs in flight on earlier versions</legend>
          <label className="radio">
            <input type="radio" name="inFlight" value="finish" checked={inFlight === 'finish'} onChange={() => setInFlight('finish')} /> Let them finish on their version
          </label>
          <label className="radio">
            <input type="radio" name="inFlight" value="exit" checked={inFlight === 'exit'} onChange={() => setInFlight('exit')} /> Stop them now (recorded on each run)
          </label>
        </fieldset>
        {error && (
          <div className="problem" role="alert">
            <p>{error}</p>
            {issues.length > 0 && (
              <ul>
                {issues.map((issue, i) => (
                  <li key={`${issue.path}-${i}`}>
                    {issue.nodeId ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          onFocusNode(issue.nodeId as string);
                          onClose();
                        }}
                      >
                        {issue.message}
                      </button>
                    ) : (
                      issue.message
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Publishing…' : 'Publish'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
