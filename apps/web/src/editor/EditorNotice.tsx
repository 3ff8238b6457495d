import { useEditor } from './context';

/** A refused connection's reason (an alert), or a passing note (a status), until dismissed. */
export function EditorNotice() {
  const { notice, setNotice } = useEditor((s) => ({ notice: s.notice, setNotice: s.setNotice }));
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'refused' ? 'alert' : 'status'} data-testid="editor-notice">
      {notice.text}
      <button type="button" className="link" onClick={() => setNotice(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
