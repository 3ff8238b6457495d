import { Link, useParams } from 'react-router';
import { useAuth } from '../auth/use-auth';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { PlaybookCanvas } from '../canvas/PlaybookCanvas';
import { Problem } from '../layout/Layout';

export function PlaybookPage() {
  const { id = '' } = useParams();
  const { data: playbook, error } = useResource(() => api.playbook(id), [id]);
  const latest = playbook?.versions[0];
  const { can } = useAuth();
  return (
    <section className="page-canvas">
      <Problem error={error} />
      {playbook && (
        <>
          <div className="page-head">
            <h1>{playbook.name}</h1>
            <span className="pill">{playbook.kind}</span>
            <span className="pill">{latest ? `v${latest.version} published` : 'not published'}</span>
            <Link to={`/playbooks/${playbook.id}/edit`} className="button-link">
              {can('playbooks:write') ? 'Edit' : 'Open in the editor (read only)'}
            </Link>
          </div>
          <p className="muted">{playbook.description}</p>
          <PlaybookCanvas document={playbook.draft} tall />
        </>
      )}
    </section>
  );
}
