import { useState } from 'react';

/**
 * Where a list is: the cursor of the page shown (undefined: the first) and the cursors of the pages
 * before it, so "Previous" can go back (cursors only lead forward).
 */
export function usePager() {
  const [trail, setTrail] = useState<string[]>([]);
  const cursor = trail[trail.length - 1];
  return {
    cursor,
    next: (nextCursor: string) => setTrail((t) => [...t, nextCursor]),
    previous: () => setTrail((t) => t.slice(0, -1)),
    first: trail.length === 0,
  };
}

/** Previous / Next buttons under a paged list. */
export function Pager({ pager, nextCursor }: { pager: ReturnType<typeof usePager>; nextCursor: string | null | undefined }) {
  if (pager.first && !nextCursor) return null;
  return (
    <nav className="pager">
      <button type="button" disabled={pager.first} onClick={pager.previous}>
        Previous
      </button>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next
      </button>
    </nav>
  );
}
