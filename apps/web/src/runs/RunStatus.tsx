import type { RunStatus as Status } from '@cairn/contracts';

/** The status badge of a run, coloured by status. */
export function RunStatus({ status }: { status: Status }) {
  return (
    <span className={`status status-${status}`} data-testid="run-status">
      {status}
    </span>
  );
}
