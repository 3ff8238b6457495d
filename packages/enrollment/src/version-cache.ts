import type { ExecutablePlan } from '@cairn/playbook';
import type { DataSource } from 'typeorm';

/** A published version as a run starts on it (versions are immutable once published). */
export interface CachedVersion {
  id: string;
  version: number;
  hash: string;
  plan: ExecutablePlan;
}

/**
 * The latest published version of each playbook, kept in process. Every enrollment reads the
 * playbook's current max(version) in the query it makes anyway, so a publish (in this process or
 * another) is seen at once: the entry is replaced when the number moved.
 */
export class VersionCache {
  private readonly latest = new Map<string, CachedVersion>();

  /** The cached version if it is still the latest (`latestVersion`); otherwise undefined. */
  get(playbookId: string, latestVersion: number): CachedVersion | undefined {
    const hit = this.latest.get(playbookId);
    return hit && hit.version === latestVersion ? hit : undefined;
  }

  set(playbookId: string, version: CachedVersion): void {
    const current = this.latest.get(playbookId);
    if (!current || current.version <= version.version) this.latest.set(playbookId, version);
  }

  /** Forgets one playbook (or all): the next enrollment reads its version again. */
  forget(playbookId?: string): void {
    if (playbookId === undefined) this.latest.clear();
    else this.latest.delete(playbookId);
  }
}

const caches = new WeakMap<DataSource, VersionCache>();

/** The process-wide cache for a data source (one per database). */
export function versionCacheFor(dataSource: DataSource): VersionCache {
  let cache = caches.get(dataSource);
  if (!cache) caches.set(dataSource, (cache = new VersionCache()));
  return cache;
}
