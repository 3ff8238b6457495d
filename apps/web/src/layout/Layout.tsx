import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Cairn</span>
        <nav>
          <NavLink to="/playbooks">Playbooks</NavLink>
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/approvals">Approvals</NavLink>
          <NavLink to="/accounts">Accounts</NavLink>
        </nav>
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
