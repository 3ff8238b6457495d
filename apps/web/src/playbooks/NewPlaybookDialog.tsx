import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { editorApi } from '../api/editor-api';
import { Dialog } from '../editor/Dialog';
import { keyFromName, newDocument, templateChoices } from '../editor/files';

/** "New playbook": a name, and a template from the library to start from (or blank); opens it in the editor. */
export function NewPlaybookDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [template, setTemplate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = templateChoices();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await editorApi.createPlaybook(newDocument(template, name.trim(), key || keyFromName(name)));
      navigate(`/playbooks/${created.id}/edit`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title="New playbook" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label="New playbook">
        <div className="field">
          <label htmlFor="new-name">Name</label>
          <input id="new-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="new-key">Key (never changes)</label>
          <input id="new-key" value={key} placeholder={keyFromName(name || 'my playbook')} onChange={(e) => setKey(e.target.value)} pattern="[a-z0-9][a-z0-9-]*" />
        </div>
        <fieldset className="field-group">
          <legend>Start from</legend>
          {choices.map((c) => (
            <label key={c.key || 'blank'} className="radio template-choice">
              <input type="radio" name="template" value={c.key} checked={template === c.key} onChange={() => setTemplate(c.key)} />
              <span>
                <strong>{c.name}</strong> <span className="muted">{c.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="problem" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create and edit'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
