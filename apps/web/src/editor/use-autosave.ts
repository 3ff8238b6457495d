import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError } from '../api/client';
import { editorApi } from '../api/editor-api';
import type { EditorStore } from './store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict';

/** How long after the last edit the draft is saved. */
export const AUTOSAVE_AFTER_MS = 1_000;

export interface Autosave {
  status: SaveStatus;
  message: string | null;
  revision: number;
  /** Saves now (Ctrl+S, before publishing); resolves true when the draft on the server is this one. */
  saveNow: () => Promise<boolean>;
  /** After a conflict or a reload: the server's revision is the base from now on. */
  setRevision: (revision: number) => void;
}

/**
 * Saves the draft after each edit (debounced) with the revision it was loaded at; the server
 * refuses a stale revision (409: someone else saved), which stops autosave until the person
 * chooses to reload.
 */
export function useAutosave(store: EditorStore, playbookId: string, initialRevision: number, enabled: boolean, delay = AUTOSAVE_AFTER_MS): Autosave {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [message, setMessage] = useState<string | null>(null);
  const revision = useRef(initialRevision);
  const [revisionShown, setRevisionShown] = useState(initialRevision);
  const savedEdits = useRef(store.getState().edits);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const conflict = useRef(false);

  const save = useCallback(async (): Promise<boolean> => {
    if (conflict.current) return false;
    if (inFlight.current) await inFlight.current;
    const { doc, edits } = store.getState();
    if (edits === savedEdits.current) {
      setStatus('saved');
      return true;
    }
    setStatus('saving');
    const attempt = (async () => {
      try {
        const saved = await editorApi.saveDraft(playbookId, doc, revision.current);
        revision.current = saved.draftRevision;
        setRevisionShown(saved.draftRevision);
        savedEdits.current = edits;
        setMessage(null);
        setStatus(store.getState().edits === edits ? 'saved' : 'unsaved');
        return true;
      } catch (e) {
        if (e instanceof ApiRequestError && e.status === 409) {
          conflict.current = true;
          setStatus('conflict');
          setMessage('Someone else saved this playbook since you opened it. Reload to see their changes (yours since then are not saved).');
        } else {
          setStatus('error');
          setMessage(e instanceof Error ? e.message : String(e));
        }
        return false;
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = attempt;
    return attempt;
  }, [store, playbookId]);

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.edits === previous.edits || conflict.current) return;
      setStatus('unsaved');
      clearTimeout(timer);
      timer = setTimeout(() => void save(), delay);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store, save, enabled, delay]);

  const setRevision = useCallback(
    (next: number) => {
      revision.current = next;
      setRevisionShown(next);
      conflict.current = false;
      savedEdits.current = store.getState().edits;
      setStatus('saved');
      setMessage(null);
    },
    [store],
  );

  return { status, message, revision: revisionShown, saveNow: save, setRevision };
}
