import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AccountListPage } from './accounts/AccountListPage';
import { InboxPage } from './approvals/InboxPage';
import { Layout } from './layout/Layout';
import { PlaybookListPage } from './playbooks/PlaybookListPage';
import { RunListPage } from './runs/RunListPage';

// The canvas pages carry React Flow: loaded on first visit, so the lists and inbox start fast.
const PlaybookPage = lazy(() => import('./playbooks/PlaybookPage').then((m) => ({ default: m.PlaybookPage })));
const RunPage = lazy(() => import('./runs/RunPage').then((m) => ({ default: m.RunPage })));

export function App() {
  return (
    <BrowserRouter>
      <Layout>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Routes>
            <Route path="/" element={<Navigate to="/playbooks" replace />} />
            <Route path="/playbooks" element={<PlaybookListPage />} />
            <Route path="/playbooks/:id" element={<PlaybookPage />} />
            <Route path="/runs" element={<RunListPage />} />
            <Route path="/runs/:id" element={<RunPage />} />
            <Route path="/approvals" element={<InboxPage />} />
            <Route path="/accounts" element={<AccountListPage />} />
            <Route path="*" element={<p>Not found.</p>} />
          </Routes>
        </Suspense>
      </Layout>
    </BrowserRouter>
  );
}
