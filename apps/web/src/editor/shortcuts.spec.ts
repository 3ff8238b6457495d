import { type KeyPress, type ShortcutAction, shortcutFor } from './shortcuts';

describe('keyboard shortcuts', () => {
  it.each<[KeyPress, boolean, ShortcutAction | null]>([
    [{ key: 'z', ctrlKey: true }, false, 'undo'],
    [{ key: 'z', metaKey: true }, false, 'undo'],
    [{ key: 'Z', ctrlKey: true, shiftKey: true }, false, 'redo'],
    [{ key: 'y', ctrlKey: true }, false, 'redo'],
    [{ key: 'c', ctrlKey: true }, false, 'copy'],
    [{ key: 'v', metaKey: true }, false, 'paste'],
    [{ key: 'Delete' }, false, 'delete'],
    [{ key: 'Backspace' }, false, 'delete'],
    [{ key: 's', ctrlKey: true }, false, 'save'],
    [{ key: 's', ctrlKey: true }, true, 'save'],
    [{ key: '?', shiftKey: true }, false, 'help'],
    [{ key: 'L', shiftKey: true }, false, 'layout'],
    [{ key: 'Escape' }, true, 'escape'],
    [{ key: 't' }, false, 'timeline'],
    [{ key: 'T', shiftKey: true }, false, null],
    [{ key: 't', ctrlKey: true }, false, null],
    [{ key: 't' }, true, null],
    // Typing in a field keeps its own keys.
    [{ key: 'z', ctrlKey: true }, true, null],
    [{ key: 'Backspace' }, true, null],
    [{ key: '?' }, true, null],
    [{ key: 'a' }, false, null],
  ])('%j (in a field: %s) → %s', (key, inField, action) => expect(shortcutFor(key, inField)).toBe(action));
});
