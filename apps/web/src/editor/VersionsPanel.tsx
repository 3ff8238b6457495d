import type { PlaybookDiffResponse, PlaybookVersionSummary } from '@cairn/contracts';
import { useState } from 'react';
import { editorApi } from '../api/editor-api';
import { formatTime } from '../layout/Layout';

/** The version history: each published version with its note and publisher, and what the draft changes since. */
export function VersionsPanel({ playbookId, versions }: { playbookId: string; versions: PlaybookVersionSummary[] }) {
  const [diff, setDiff] = useState<{ version: number; diff: PlaybookDiffResponse } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const compare = async (version: number) => {
    setError(null);
    try {
      setDiff({ version, diff: await editorApi.diff(playbookId, version, 'draft') });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="versions" aria-label="Versions">
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">Not published yet.</p>
      ) : (
        <ol>
          {versions.map((v) => (
            <li key={v.id}>
              <strong>v{v.version}</strong> <span className="muted">{formatTime(v.publishedAt)}{v.publishedBy ? ` · ${v.publishedBy}` : ''}</span>
              {v.note && <div>{v.note}</div>}
              <button type="button" className="link" onClick={() => void compare(v.version)}>
                Compare with the draft
              </button>
            </li>
          ))}
        </ol>
      )}
      {error && (
        <p className="problem" role="alert">
          {error}
        </p>
      )}
      {diff && (
        <div className="diff" data-testid="version-diff">
          <h3>
            v{diff.version} → draft{diff.diff.sameBehaviour ? ': runs would behave the same' : ''}
          </h3>
          <ul>
            <li>{diff.diff.nodes.added.length} steps added{diff.diff.nodes.added.length ? `: ${diff.diff.nodes.added.map((n) => n.id).join(', ')}` : ''}</li>
            <li>{diff.diff.nodes.removed.length} steps removed{diff.diff.nodes.removed.length ? `: ${diff.diff.nodes.removed.map((n) => n.id).join(', ')}` : ''}</li>
            <li>
              {diff.diff.nodes.changed.filter((c) => c.changes.length).length} steps changed
              {diff.diff.nodes.changed
                .filter((c) => c.changes.length)
                .map((c) => ` · ${c.id} (${c.changes.map((f) => f.path).join(', ')})`)
                .join('')}
            </li>
            <li>
              {diff.diff.edges.added.length} connections added, {diff.diff.edges.removed.length} removed
            </li>
          </ul>
        </div>
      )}
    </section>
  );
}
