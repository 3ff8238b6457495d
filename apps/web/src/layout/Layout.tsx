import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { api } from '../api/client';
import { useAuth } from '../auth/use-auth';

const ROLE_NAMES = { admin: 'Admin', ops: 'CS ops', cs_manager: 'CS manager', csm: 'CSM', viewer: 'Viewer' } as const;

export function Layout({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Cairn</span>
        {session && (
          <>
            <nav>
              <NavLink to="/playbooks">Playbooks</NavLink>
              <NavLink to="/runs">Runs</NavLink>
              <NavLink to="/approvals">Inbox</NavLink>
              <NavLink to="/accounts">Accounts</NavLink>
              <NavLink to="/segments">Segments</NavLink>
            </nav>
            <div className="who" data-testid="signed-in-as">
              <span>{session.user.name}</span>
              <span className="pill">{ROLE_NAMES[session.user.role]}</span>
              <button type="button" onClick={() => void api.signOut()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </header>
      <main>{children}</main>
    </div>
  );
}

export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p className="problem" role="alert">
      {error}
    </p>
  ) : null;
}

export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}
