import { compilePlaybook } from '@cairn/playbook';
import { createContext, useContext, useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { EditorActions, EditorState, EditorStore } from './store';

export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditor needs an <EditorContext.Provider>');
  return store;
}

/** A slice of the editor store; components re-render only when that slice changes (shallowly). */
export function useEditor<T>(selector: (state: EditorState & EditorActions) => T): T {
  return useStore(useEditorStore(), useShallow(selector));
}

/** How long after the last edit the browser compiles the playbook again. */
export const VALIDATE_AFTER_MS = 150;

/** Compiles the document in the browser after each edit (debounced), puts the findings on the canvas and keeps the plan. */
export function useLiveValidation(store: EditorStore, delay = VALIDATE_AFTER_MS): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const result = compilePlaybook(store.getState().doc);
      store.getState().setDiagnostics(result.diagnostics, result.ok ? result.plan : null);
    };
    run();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.doc === previous.doc) return;
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store, delay]);
}
