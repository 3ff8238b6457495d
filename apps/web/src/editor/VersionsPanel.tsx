import type { PlaybookDiffResponse, PlaybookVersionSummary } from '@cairn/contracts';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { editorApi } from '../api/editor-api';
import { formatTime } from '../layout/Layout';
import { ErrorState } from '../layout/States';
import { useEditorStore } from './context';
import { useDiffOverlay } from './diff-overlay';
import { describeChange, diffSummary, sideName } from './diff-view';

type Side = number | 'draft';
const parseSide = (value: string): Side => (value === 'draft' ? 'draft' : Number(value));

/**
 * The version history (each published version with its note and publisher), and a diff of any two
 * versions, or a version and the draft: listed here and highlighted on the canvas until cleared.
 */
export function VersionsPanel({ playbookId, versions }: { playbookId: string; versions: PlaybookVersionSummary[] }) {
  const store = useEditorStore();
  const { overlay, show, clear } = useDiffOverlay();
  // Until picked, from the latest version (one published while the editor is open included).
  const [picked, setFrom] = useState<Side | null>(null);
  const from = picked ?? versions[0]?.version ?? 'draft';
  const [to, setTo] = useState<Side>('draft');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The diff belongs to this editor: leaving it clears the canvas.
  useEffect(() => clear, [clear]);
  const diff = overlay?.playbookId === playbookId ? overlay.diff : null;

  const compare = async (a: Side, b: Side) => {
    setError(null);
    setBusy(true);
    try {
      const later = b === 'draft' ? null : versions.find((v) => v.version === b);
      const [answer, doc] = await Promise.all([editorApi.diff(playbookId, a, b), later ? api.version(later.id).then((v) => v.document) : Promise.resolve(store.getState().doc)]);
      show({ playbookId, diff: answer, doc });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const sides: Side[] = ['draft', ...versions.map((v) => v.version)];
  return (
    <section className="versions" aria-label="Versions">
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">Not published yet.</p>
      ) : (
        <>
          <ol>
            {versions.map((v) => (
              <li key={v.id}>
                <strong>v{v.version}</strong>{' '}
                <span className="muted">
                  {formatTime(v.publishedAt)}
                  {v.publishedBy ? ` · ${v.publishedBy}` : ''}
                </span>
                {v.note && <div>{v.note}</div>}
                <button type="button" className="link" onClick={() => void compare(v.version, 'draft')} disabled={busy}>
                  Compare with the draft
                </button>
              </li>
            ))}
          </ol>
          <form
            className="diff-pick"
            aria-label="Compare two versions"
            onSubmit={(e) => {
              e.preventDefault();
              void compare(from, to);
            }}
          >
            <label>
              From{' '}
              <SideSelect sides={sides} value={from} onChange={setFrom} />
            </label>{' '}
            <label>
              to{' '}
              <SideSelect sides={sides} value={to} onChange={setTo} />
            </label>{' '}
            <button type="submit" disabled={busy || from === to}>
              {busy ? 'Comparing…' : 'Compare'}
            </button>
          </form>
        </>
      )}
      {error && <ErrorState error={error} onRetry={() => void compare(from, to)} />}
      {diff && <DiffDetails diff={diff} onClear={clear} />}
    </section>
  );
}

/** The diff in words: each step added, changed (field by field), moved or removed, and the connections. */
/** One side of a comparison: a published version or the draft. */
function SideSelect({ sides, value, onChange }: { sides: Side[]; value: Side; onChange: (side: Side) => void }) {
  return (
    <select value={String(value)} onChange={(e) => onChange(parseSide(e.target.value))}>
      {sides.map((s) => (
        <option key={s} value={String(s)}>
          {sideName(s)}
        </option>
      ))}
    </select>
  );
}

function DiffDetails({ diff, onClear }: { diff: PlaybookDiffResponse; onClear: () => void }) {
  const changed = diff.nodes.changed.filter((c) => c.changes.length);
  return (
    <div className="diff" data-testid="version-diff">
      <h3>{diffSummary(diff)}</h3>
      <p className="muted">Highlighted on the canvas: green added, amber changed, grey moved, red dashed removed.</p>
      <ul aria-label="What changed">
        {diff.nodes.added.map((n) => (
          <li key={`a-${n.id}`} className="diff-line-added">
            Added <code>{n.id}</code>
          </li>
        ))}
        {changed.map((c) => (
          <li key={`c-${c.id}`} className="diff-line-changed">
            Changed <code>{c.id}</code>
            <ul>
              {c.changes.map((f) => (
                <li key={f.path}>{describeChange(f)}</li>
              ))}
            </ul>
          </li>
        ))}
        {diff.nodes.removed.map((n) => (
          <li key={`r-${n.id}`} className="diff-line-removed">
            Removed <code>{n.id}</code>
          </li>
        ))}
        {diff.document.map((f) => (
          <li key={`d-${f.path}`}>Playbook {describeChange(f)}</li>
        ))}
      </ul>
      <button type="button" onClick={onClear}>
        Clear the diff
      </button>
    </div>
  );
}
