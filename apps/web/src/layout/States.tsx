import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { Resource } from '../api/use-resource';

/** Something is on its way: said in words, and announced to screen readers. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

/** Nothing to show, and what that means (and what to do about it, when something can be done). */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty muted">{children}</p>;
}

/** An error in words, with a way to try again: never a blank screen. */
export function ErrorState({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="state state-error problem" role="alert">
      <span>{error}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * The three states of a loaded resource in one place: its error (with a retry), loading until the
 * first answer, the empty message when `isEmpty(data)`, else `children(data)`. An error after data
 * was shown (a failed poll) keeps the data under the message.
 */
export function ResourceView<T>({
  resource,
  what,
  empty,
  isEmpty,
  children,
}: {
  resource: Resource<T>;
  what?: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  const { data, error, reload } = resource;
  return (
    <>
      {error && <ErrorState error={error} onRetry={reload} />}
      {data === null ? !error && <Loading what={what} /> : empty !== undefined && isEmpty?.(data) ? <Empty>{empty}</Empty> : children(data)}
    </>
  );
}

/**
 * Catches what a page throws while rendering (a bug, an answer it did not expect) and shows it with
 * a way back, instead of React unmounting the whole app. `resetKey` (the location) clears it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null; key?: string }> {
  override state: { error: Error | null; key?: string } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey?: string }, state: { error: Error | null; key?: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('A page failed to render', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section>
        <h1>Something went wrong on this page</h1>
        <ErrorState error={this.state.error.message || String(this.state.error)} onRetry={() => this.setState({ error: null })} />
        <p className="muted">
          The rest of Cairn still works: pick another page above, or <a href="/">go to the start</a>.
        </p>
      </section>
    );
  }
}
