import type { NodeType } from '@cairn/playbook';
import { type DragEvent, useId, useState } from 'react';
import { useEditor } from './context';
import { CATEGORY_NAMES, paletteEntries } from './registry';

/** The drag payload a palette entry carries onto the canvas. */
export const DRAG_TYPE = 'application/x-cairn-node-type';

/** The node catalogue: search, then drag an entry onto the canvas or click it to add it after the selected step. */
export function Palette() {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const { insertNode, readOnly, hasSelection } = useEditor((s) => ({ insertNode: s.insertNode, readOnly: s.readOnly, hasSelection: s.selectedNodes.length === 1 }));
  const entries = paletteEntries(query);
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  let category = '';
  return (
    <aside className="palette" aria-label="Steps">
      <label htmlFor={searchId} className="visually-hidden">
        Search steps
      </label>
      <input id={searchId} type="search" placeholder="Search steps…" value={query} onChange={(e) => setQuery(e.target.value)} />
      <p className="muted palette-hint">{hasSelection ? 'Click to add after the selected step, or drag onto the canvas.' : 'Drag onto the canvas, or click to add at the end.'}</p>
      {entries.length === 0 && <p className="muted">No step matches “{query}”.</p>}
      <ul>
        {entries.map((entry) => {
          const heading = entry.category !== category ? CATEGORY_NAMES[entry.category] : null;
          category = entry.category;
          return (
            <li key={entry.type}>
              {heading && <div className="palette-category">{heading}</div>}
              <button
                type="button"
                className={`palette-item category-${entry.category}`}
                draggable={!readOnly}
                disabled={readOnly}
                onDragStart={(e) => onDragStart(e, entry.type)}
                onClick={() => insertNode(entry.type)}
                aria-label={`Add ${entry.label}`}
                data-testid={`palette-${entry.type}`}
                title={entry.description}
              >
                <span className="step-dot" aria-hidden />
                <span>
                  <strong>{entry.label}</strong>
                  <span className="palette-description">{entry.description}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
