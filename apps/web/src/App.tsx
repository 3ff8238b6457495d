import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { InboxPage } from './approvals/InboxPage';
import { Layout } from './layout/Layout';
import { PlaybookListPage } from './playbooks/PlaybookListPage';
import { PlaybookPage } from './playbooks/PlaybookPage';
import { RunListPage } from './runs/RunListPage';
import { RunPage } from './runs/RunPage';

export function App() {
  return (
    <BrowserRouter>
      <Layout>
        <Routes>
          <Route path="/" element={<Navigate to="/playbooks" replace />} />
          <Route path="/playbooks" element={<PlaybookListPage />} />
          <Route path="/playbooks/:id" element={<PlaybookPage />} />
          <Route path="/runs" element={<RunListPage />} />
          <Route path="/runs/:id" element={<RunPage />} />
          <Route path="/approvals" element={<InboxPage />} />
          <Route path="*" element={<p>Not found.</p>} />
        </Routes>
      </Layout>
    </BrowserRouter>
  );
}
