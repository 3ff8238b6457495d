import type { PlaybookDiffResponse } from '@cairn/contracts';
import type { PlaybookDocument } from '@cairn/playbook';
import { create } from 'zustand';

/** A diff shown on the canvas: the answer, and the later side's document it is drawn on. */
export interface DiffOverlay {
  playbookId: string;
  diff: PlaybookDiffResponse;
  doc: PlaybookDocument;
}

/**
 * The diff the versions panel shows over the canvas (one editor is open at a time). Its own small
 * store, not the editor's: the document and its history are untouched by looking at a diff.
 */
export const useDiffOverlay = create<{ overlay: DiffOverlay | null; show: (overlay: DiffOverlay) => void; clear: () => void }>()((set) => ({
  overlay: null,
  show: (overlay) => set({ overlay }),
  clear: () => set({ overlay: null }),
}));
