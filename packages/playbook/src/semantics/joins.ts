import type { ExecutablePlan } from '../plan';

/**
 * Parallel tracks and joins, shared by the engine and the simulator. A token on a track carries
 * the tracks it is on, innermost last, each tagged `<split step id>#<visit>/<track id>`: the
 * visit keeps a loop's second pass through a split apart from its first.
 */
export function trackTag(splitStepId: string, visit: number, trackId: string): string {
  return `${splitStepId}#${visit}/${trackId}`;
}

export type JoinArrival =
  | { kind: 'release'; tracks: string[]; reason: string }
  | { kind: 'wait'; reason: string }
  /** An `any` join already let the run through: later tracks end here. */
  | { kind: 'absorbed'; reason: string };

/** How many edges lead into each step (a join outside any split waits for all of them). */
export function incomingCounts(plan: ExecutablePlan): Map<string, number> {
  const incoming = new Map<string, number>();
  for (const step of Object.values(plan.steps)) for (const target of Object.values(step.next)) if (target) incoming.set(target, (incoming.get(target) ?? 0) + 1);
  return incoming;
}

/** The arrivals at each join, per split pass. Plain data, so the engine can keep it in workflow state. */
export class JoinBook {
  private readonly arrivals = new Map<string, Set<string>>();
  private readonly released = new Set<string>();
  /** Split pass (`<split id>#<visit>`) → number of tracks. */
  private readonly splits = new Map<string, number>();

  constructor(private readonly incoming: Map<string, number>) {}

  /** Whether some join holds tracks that arrived and waits for others. */
  holdsArrivals(): boolean {
    return [...this.arrivals.keys()].some((key) => !this.released.has(key));
  }

  /** A split fired: remember how many tracks its joins wait for. */
  split(splitStepId: string, visit: number, tracks: number): void {
    this.splits.set(`${splitStepId}#${visit}`, tracks);
  }

  /**
   * A token arrives at a join. Tracks are counted per split pass: an approval's two outputs into
   * one join are one track. `tokenId` names a token that is on no track.
   */
  arrive(joinStepId: string, mode: 'all' | 'any', tracks: string[], tokenId: string): JoinArrival {
    const current = tracks.at(-1);
    const pass = current?.split('/')[0];
    const needed = mode === 'any' ? 1 : pass ? (this.splits.get(pass) ?? 1) : (this.incoming.get(joinStepId) ?? 1);
    const key = `${joinStepId}@${pass ?? ''}`;
    const arrived = this.arrivals.get(key) ?? new Set<string>();
    arrived.add(current ?? tokenId);
    this.arrivals.set(key, arrived);
    if (this.released.has(key)) return { kind: 'absorbed', reason: 'The join already continued with the first track' };
    if (arrived.size < needed) return { kind: 'wait', reason: `${arrived.size} of ${needed} tracks arrived` };
    this.released.add(key);
    return { kind: 'release', tracks: tracks.slice(0, -1), reason: mode === 'any' ? 'The first track arrived' : `All ${needed} tracks arrived` };
  }
}
