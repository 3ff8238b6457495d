import type { Playbook } from '@cairn/contracts';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type ChangeEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { useAuth } from '../auth/use-auth';
import { Problem } from '../layout/Layout';
import { EditorContext, useEditor, useLiveValidation } from './context';
import { EditorCanvas } from './EditorCanvas';
import { EditorNotice } from './EditorNotice';
import { elkLayout } from './elk-layout';
import { exportFileName, exportText, importDocument } from './files';
import { HelpDialog } from './HelpDialog';
import { Inspector } from './Inspector';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { PublishDialog } from './PublishDialog';
import { shortcutFor } from './shortcuts';
import { SimulatePanel } from './SimulatePanel';
import { TimelinePanel } from './TimelinePanel';
import { createEditorStore, type EditorStore } from './store';
import { type Autosave, type SaveStatus, useAutosave } from './use-autosave';
import { VersionsPanel } from './VersionsPanel';

/** /playbooks/:id/edit: loads the playbook, then the editor (read-only for those who may not design). */
export function EditorPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { data: playbook, error, reload } = useResource(() => api.playbook(id), [id]);
  if (error && !playbook) {
    return (
      <section>
        <Problem error={error} />
        <div className="actions">
          <button type="button" onClick={reload}>
            Try again
          </button>
          <Link to="/playbooks">Back to playbooks</Link>
        </div>
      </section>
    );
  }
  if (!playbook) return <p className="muted">Loading the playbook…</p>;
  return <LoadedEditor key={playbook.id} playbook={playbook} readOnly={!can('playbooks:write')} canPublish={can('playbooks:publish')} />;
}

function LoadedEditor({ playbook: initial, readOnly, canPublish }: { playbook: Playbook; readOnly: boolean; canPublish: boolean }) {
  const [store] = useState(() => createEditorStore(initial.draft, { readOnly }));
  const [playbook, setPlaybook] = useState(initial);
  useLiveValidation(store);
  const autosave = useAutosave(store, initial.id, initial.draftRevision, !readOnly);
  return (
    <EditorContext.Provider value={store}>
      <ReactFlowProvider>
        <Editor store={store} playbook={playbook} setPlaybook={setPlaybook} autosave={autosave} canPublish={canPublish && !readOnly} />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}

const SAVE_TEXT: Record<SaveStatus, string> = { saved: 'All changes saved', unsaved: 'Unsaved changes', saving: 'Saving…', error: 'Not saved', conflict: 'Someone else saved' };

function Editor({ store, playbook, setPlaybook, autosave, canPublish }: { store: EditorStore; playbook: Playbook; setPlaybook: (p: Playbook) => void; autosave: Autosave; canPublish: boolean }) {
  const { name, readOnly, canUndo, canRedo, undo, redo, setNotice } = useEditor((s) => ({
    name: s.doc.name,
    readOnly: s.readOnly,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    undo: s.undo,
    redo: s.redo,
    setNotice: s.setNotice,
  }));
  const { fitView, getNodes } = useReactFlow();
  const [dialog, setDialog] = useState<'publish' | 'help' | null>(null);
  const [published, setPublished] = useState<string | null>(null);
  const [view, setView] = useState<'canvas' | 'timeline'>('canvas');
  const fileInput = useRef<HTMLInputElement>(null);

  const layout = useCallback(async () => {
    const sizes = Object.fromEntries(getNodes().map((n) => [n.id, { width: n.measured?.width ?? 240, height: n.measured?.height ?? 110 }]));
    try {
      store.getState().applyPositions(await elkLayout(store.getState().doc, sizes));
      requestAnimationFrame(() => void fitView({ padding: 0.1, duration: 200 }));
    } catch (e) {
      setNotice({ kind: 'refused', text: `Auto-layout failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }, [getNodes, store, fitView, setNotice]);

  const reload = useCallback(async () => {
    try {
      const fresh = await api.playbook(playbook.id);
      store.getState().replaceDocument(fresh.draft);
      autosave.setRevision(fresh.draftRevision);
      setPlaybook(fresh);
    } catch (e) {
      setNotice({ kind: 'refused', text: e instanceof Error ? e.message : String(e) });
    }
  }, [playbook.id, store, autosave, setPlaybook, setNotice]);

  // Keyboard shortcuts, anywhere on the page but in a dialog; text fields keep their own keys.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog) return;
      const target = event.target as HTMLElement | null;
      const inField = Boolean(target?.closest('input, textarea, select, [contenteditable="true"]'));
      const action = shortcutFor(event, inField);
      if (!action) return;
      const s = store.getState();
      event.preventDefault();
      switch (action) {
        case 'undo':
          return s.undo();
        case 'redo':
          return s.redo();
        case 'copy':
          return s.copy();
        case 'paste':
          return s.paste();
        case 'delete':
          return s.removeSelected();
        case 'save':
          return void autosave.saveNow();
        case 'help':
          return setDialog('help');
        case 'layout':
          return void layout();
        case 'fit':
          return void fitView({ padding: 0.1, duration: 200 });
        case 'timeline':
          return setView((v) => (v === 'canvas' ? 'timeline' : 'canvas'));
        case 'escape':
          return s.select([]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, autosave, dialog, layout, fitView]);

  const onExport = () => {
    const doc = store.getState().doc;
    const url = URL.createObjectURL(new Blob([exportText(doc)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(doc);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const result = importDocument(await file.text(), store.getState().doc.key);
    if (!result.ok) return setNotice({ kind: 'refused', text: result.problem });
    store.getState().replaceDocument(result.doc, { keepHistory: true });
    setNotice({ kind: 'info', text: result.note ?? `Imported ${file.name}` });
  };

  return (
    <section className="editor" aria-label={`Edit ${name}`}>
      <div className="editor-toolbar" role="toolbar" aria-label="Editor">
        <h1>{name}</h1>
        {readOnly && <span className="pill">read only</span>}
        <span className={`save-status save-${autosave.status}`} role="status" data-testid="save-status">
          {readOnly ? `Revision ${autosave.revision}` : SAVE_TEXT[autosave.status]}
        </span>
        <div className="editor-views" role="tablist" aria-label="View">
          {(['canvas', 'timeline'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={`tab${view === v ? ' is-active' : ''}`} onClick={() => setView(v)} title="Canvas or timeline (T)">
              {v === 'canvas' ? 'Canvas' : 'Timeline'}
            </button>
          ))}
        </div>
        <div className="toolbar-actions">
          <button type="button" onClick={undo} disabled={!canUndo || readOnly} aria-label="Undo" title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button type="button" onClick={redo} disabled={!canRedo || readOnly} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
            ↷ Redo
          </button>
          <button type="button" onClick={() => void layout()} disabled={readOnly} title="Auto-layout (Shift+L)">
            Auto-layout
          </button>
          <button type="button" onClick={() => void fitView({ padding: 0.1, duration: 200 })} title="Zoom to fit (Shift+F)">
            Zoom to fit
          </button>
          <button type="button" onClick={onExport}>
            Export
          </button>
          <button type="button" onClick={() => fileInput.current?.click()} disabled={readOnly}>
            Import
          </button>
          <input ref={fileInput} type="file" accept=".json,application/json" hidden aria-label="Import a playbook file" onChange={(e) => void onImport(e)} />
          <button type="button" onClick={() => setDialog('help')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            ?
          </button>
          {canPublish && (
            <button type="button" className="primary" onClick={() => setDialog('publish')}>
              Publish…
            </button>
          )}
        </div>
      </div>
      {(autosave.status === 'conflict' || autosave.status === 'error') && autosave.message && (
        <div className="problem editor-banner" role="alert">
          {autosave.message}{' '}
          {autosave.status === 'conflict' ? (
            <button type="button" onClick={() => void reload()}>
              Reload
            </button>
          ) : (
            <button type="button" onClick={() => void autosave.saveNow()}>
              Retry
            </button>
          )}
        </div>
      )}
      <EditorNotice />
      {published && (
        <div className="notice notice-info" role="status">
          {published}
          <button type="button" className="link" onClick={() => setPublished(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className={`editor-body${readOnly ? ' is-read-only' : ''}`}>
        {!readOnly && <Palette />}
        {view === 'canvas' ? <EditorCanvas /> : <TimelinePanel />}
        <div className="editor-side">
          <Inspector />
          <SimulatePanel />
          <VersionsPanel playbookId={playbook.id} versions={playbook.versions} />
        </div>
      </div>
      <ProblemsPanel />
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog === 'publish' && (
        <PublishDialog
          playbookId={playbook.id}
          saveFirst={autosave.saveNow}
          onClose={() => setDialog(null)}
          onFocusNode={(id) => store.getState().focusNode(id)}
          onPublished={(result) => {
            setDialog(null);
            setPublished(`Published version ${result.version}${result.inFlight.running ? ` · ${result.inFlight.running} runs in flight, ${result.inFlight.exited} stopped` : ''}`);
            void api.playbook(playbook.id).then(setPlaybook, () => undefined);
          }}
        />
      )}
    </section>
  );
}
