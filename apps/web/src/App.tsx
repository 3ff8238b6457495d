import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AccountListPage } from './accounts/AccountListPage';
import { AccountPage } from './accounts/AccountPage';
import { InboxPage } from './approvals/InboxPage';
import { SignInPage } from './auth/SignInPage';
import { useAuth } from './auth/use-auth';
import { Layout } from './layout/Layout';
import { PlaybookListPage } from './playbooks/PlaybookListPage';
import { ErrorBoundary } from './layout/States';
import { RunListPage } from './runs/RunListPage';
import { SegmentsPage } from './segments/SegmentsPage';

// The canvas pages carry React Flow: loaded on first visit, so the lists and inbox start fast.
const PlaybookPage = lazy(() => import('./playbooks/PlaybookPage').then((m) => ({ default: m.PlaybookPage })));
const EditorPage = lazy(() => import('./editor/EditorPage').then((m) => ({ default: m.EditorPage })));
const RunPage = lazy(() => import('./runs/RunPage').then((m) => ({ default: m.RunPage })));

/** Every page but the sign-in needs a session; without one, sign in and come back. */
function SignedIn({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

/** A page that throws while rendering shows the error, not a blank app; another page clears it. */
function PageBoundary({ children }: { children: ReactNode }) {
  const location = useLocation();
  return <ErrorBoundary resetKey={location.pathname}>{children}</ErrorBoundary>;
}

export function App() {
  return (
    <BrowserRouter>
      <Layout>
        <PageBoundary>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/" element={<Navigate to="/playbooks" replace />} />
            <Route path="/playbooks" element={<SignedIn><PlaybookListPage /></SignedIn>} />
            <Route path="/playbooks/:id" element={<SignedIn><PlaybookPage /></SignedIn>} />
            <Route path="/playbooks/:id/edit" element={<SignedIn><EditorPage /></SignedIn>} />
            <Route path="/runs" element={<SignedIn><RunListPage /></SignedIn>} />
            <Route path="/runs/:id" element={<SignedIn><RunPage /></SignedIn>} />
            <Route path="/approvals" element={<SignedIn><InboxPage /></SignedIn>} />
            <Route path="/inbox" element={<Navigate to="/approvals" replace />} />
            <Route path="/accounts" element={<SignedIn><AccountListPage /></SignedIn>} />
            <Route path="/accounts/:id" element={<SignedIn><AccountPage /></SignedIn>} />
            <Route path="/segments" element={<SignedIn><SegmentsPage /></SignedIn>} />
            <Route path="*" element={<p>Not found.</p>} />
          </Routes>
        </Suspense>
        </PageBoundary>
      </Layout>
    </BrowserRouter>
  );
}
