import { Dialog } from './Dialog';
import { SHORTCUTS } from './shortcuts';

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Select several steps with Shift or Ctrl/⌘ and a click, or Shift and a drag.</p>
    </Dialog>
  );
}
