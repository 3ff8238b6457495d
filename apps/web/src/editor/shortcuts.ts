/** What a key press asks the editor to do. */
export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'paste' | 'delete' | 'save' | 'help' | 'layout' | 'fit' | 'timeline' | 'escape';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

/** The shortcuts, as the help dialog lists them. */
export const SHORTCUTS: Array<{ keys: string; action: ShortcutAction; what: string }> = [
  { keys: 'Ctrl/⌘ Z', action: 'undo', what: 'Undo' },
  { keys: 'Ctrl/⌘ Shift Z, Ctrl Y', action: 'redo', what: 'Redo' },
  { keys: 'Ctrl/⌘ C', action: 'copy', what: 'Copy the selected steps' },
  { keys: 'Ctrl/⌘ V', action: 'paste', what: 'Paste (with new ids)' },
  { keys: 'Delete, Backspace', action: 'delete', what: 'Delete the selection' },
  { keys: 'Ctrl/⌘ S', action: 'save', what: 'Save the draft now' },
  { keys: 'Shift L', action: 'layout', what: 'Lay the playbook out' },
  { keys: 'Shift F', action: 'fit', what: 'Zoom to fit' },
  { keys: 'T', action: 'timeline', what: 'Switch between the canvas and the timeline' },
  { keys: '?', action: 'help', what: 'Show these shortcuts' },
  { keys: 'Esc', action: 'escape', what: 'Close a dialog, clear the selection' },
];

/**
 * The editor action for a key press, or null. `inField` (typing in an input) leaves text editing
 * keys to the field: only save and escape still apply there.
 */
export function shortcutFor(e: KeyPress, inField = false): ShortcutAction | null {
  const mod = Boolean(e.ctrlKey || e.metaKey);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey && key === 's') return 'save';
  if (key === 'Escape') return 'escape';
  if (inField) return null;
  if (mod && !e.altKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    return null;
  }
  if (e.altKey) return null;
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (e.key === '?') return 'help';
  if (e.shiftKey && key === 'l') return 'layout';
  if (e.shiftKey && key === 'f') return 'fit';
  if (!e.shiftKey && key === 't') return 'timeline';
  return null;
}
