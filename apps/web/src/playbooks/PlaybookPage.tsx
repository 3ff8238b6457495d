import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../auth/use-auth';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { PlaybookCanvas } from '../canvas/PlaybookCanvas';
import { ResourceView } from '../layout/States';
import { EnrollDialog } from './EnrollDialog';

export function PlaybookPage() {
  const { id = '' } = useParams();
  const resource = useResource(() => api.playbook(id), [id]);
  const { can } = useAuth();
  const [enrolling, setEnrolling] = useState(false);
  return (
    <section className="page-canvas">
      <ResourceView resource={resource} what="Loading the playbook">
        {(playbook) => {
          const latest = playbook.versions[0];
          return (
            <>
              <div className="page-head">
                <h1>{playbook.name}</h1>
                <span className="pill">{playbook.kind}</span>
                <span className="pill">{latest ? `v${latest.version} published` : 'not published'}</span>
                <Link to={`/playbooks/${playbook.id}/edit`} className="button-link">
                  {can('playbooks:write') ? 'Edit' : 'Open in the editor (read only)'}
                </Link>
                {can('runs:enroll') && (
                  <button type="button" className="primary" onClick={() => setEnrolling(true)} disabled={!latest} title={latest ? undefined : 'Publish the playbook before enrolling accounts'}>
                    Enroll accounts…
                  </button>
                )}
                <Link to={`/runs?playbookId=${playbook.id}`}>Runs</Link>
              </div>
              {!latest && can('runs:enroll') && <p className="muted">Publish the playbook to enroll accounts in it.</p>}
              <p className="muted">{playbook.description}</p>
              <PlaybookCanvas document={playbook.draft} tall />
              {enrolling && <EnrollDialog playbookId={playbook.id} playbookName={playbook.name} onClose={() => setEnrolling(false)} />}
            </>
          );
        }}
      </ResourceView>
    </section>
  );
}
